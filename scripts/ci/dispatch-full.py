#!/usr/bin/env python3
"""Step "Start the full run": dispatch monitor.yml's full matrix after the quick look saw a change.

A run started with the job's GITHUB_TOKEN does start workflow_dispatch runs (unlike push events);
the job needs `actions: write`. The new run waits for this one in the concurrency group, then walks
the whole matrix, confirms, updates and publishes. Reads GITHUB_TOKEN, GITHUB_API_URL,
GITHUB_REPOSITORY, GITHUB_REF_NAME (the branch the quick look ran on) and DRY_RUN (passed on).
The token is sent, never printed.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request

WORKFLOW = "monitor.yml"


def main() -> int:
    env = os.environ
    missing = [n for n in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_REF_NAME") if not env.get(n)]
    if missing:
        print(f"::error::{', '.join(missing)} is unset: this step runs in a GitHub Actions job", file=sys.stderr)
        return 2
    api = env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    url = f"{api}/repos/{env['GITHUB_REPOSITORY']}/actions/workflows/{WORKFLOW}/dispatches"
    inputs = {"mode": "full", "dry-run": "true" if env.get("DRY_RUN") == "true" else "false"}
    body = json.dumps({"ref": env["GITHUB_REF_NAME"], "inputs": inputs}).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {env['GITHUB_TOKEN']}",
            "X-GitHub-Api-Version": "2022-11-28",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        try:
            message = str(json.loads(exc.read() or b"{}").get("message", ""))
        except ValueError:
            message = ""
        hint = " (the job needs permissions: actions: write)" if exc.code in (403, 404) else ""
        print(f"::error::dispatching {WORKFLOW} failed: HTTP {exc.code} {message[:200]}{hint}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"::error::dispatching {WORKFLOW} failed: {exc}", file=sys.stderr)
        return 1
    if status != 204:
        print(f"::error::dispatching {WORKFLOW}: expected HTTP 204, got {status}", file=sys.stderr)
        return 1
    print(f"started the full run of {WORKFLOW} on {env['GITHUB_REF_NAME']} (inputs {json.dumps(inputs)})")
    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(f"The quick look saw a change: the full run of {WORKFLOW} was started.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
