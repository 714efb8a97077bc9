#!/usr/bin/env python3
"""Step "Find the last check's report": the monitor run whose `report` artifact the site reads.

status.json and the badges can say "changed: guide update pending" or "broken" only from the
report.json of the last full check (the aggregate job's artifact `report`, docs/forking.md). This
finds the newest completed run of monitor.yml on the branch that still holds that artifact: the run
that started this Pages run first (TRIGGER_RUN_ID, from a workflow_run event; a quick look has no
such artifact), then the workflow's completed runs, newest first. Writes `run-id=N` to $GITHUB_OUTPUT,
or nothing when none is found, and exits 0 either way: without a report the site says what it
knows (checked, or not yet checked). The job needs `actions: read`.

Reads GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_REF_NAME (the branch), GITHUB_OUTPUT,
TRIGGER_RUN_ID (optional). The token is sent, never printed.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

WORKFLOW = "monitor.yml"
ARTIFACT = "report"
LOOK_BACK = 30  # runs: the full check runs every 6 hours, the quick look in the hours between


class ApiError(Exception):
    pass


def get(api: str, token: str, path: str, **query: str) -> Any:
    url = f"{api}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
    request = urllib.request.Request(
        url,
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": "2022-11-28",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        hint = " (the job needs permissions: actions: read)" if exc.code in (403, 404) else ""
        raise ApiError(f"GET {path}: HTTP {exc.code}{hint}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ApiError(f"GET {path}: {exc}") from None


def has_report(api: str, token: str, repo: str, run_id: int) -> bool:
    found = get(api, token, f"/repos/{repo}/actions/runs/{run_id}/artifacts", name=ARTIFACT)
    return any(a.get("name") == ARTIFACT and not a.get("expired") for a in found.get("artifacts", []))


def find_run(api: str, token: str, repo: str, branch: str, trigger: str) -> int | None:
    candidates: list[int] = [int(trigger)] if trigger.isdigit() else []
    runs = get(
        api,
        token,
        f"/repos/{repo}/actions/workflows/{WORKFLOW}/runs",
        status="completed",
        branch=branch,
        per_page=str(LOOK_BACK),
    )
    for run in runs.get("workflow_runs", []):
        if run.get("status") == "completed" and run.get("head_branch") == branch and run["id"] not in candidates:
            candidates.append(int(run["id"]))
    for run_id in candidates:
        if has_report(api, token, repo, run_id):
            return run_id
    return None


def main() -> int:
    env = os.environ
    missing = [n for n in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_REF_NAME", "GITHUB_OUTPUT") if not env.get(n)]
    if missing:
        print(f"::error::{', '.join(missing)} is unset: this step runs in a GitHub Actions job", file=sys.stderr)
        return 2
    api = env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    branch = env["GITHUB_REF_NAME"]
    try:
        run_id = find_run(api, env["GITHUB_TOKEN"], env["GITHUB_REPOSITORY"], branch, env.get("TRIGGER_RUN_ID", ""))
    except ApiError as exc:
        print(f"::warning::no report of the last check: {exc}; the site says what it knows without it")
        return 0
    if run_id is None:
        print(
            f"::notice::no completed run of {WORKFLOW} on {branch} holds the artifact {ARTIFACT!r} "
            "(none yet, or expired): the site says what it knows without it"
        )
        return 0
    with open(env["GITHUB_OUTPUT"], "a", encoding="utf-8") as fh:
        fh.write(f"run-id={run_id}\n")
    print(f"the site reads the report of run {run_id} of {WORKFLOW}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
