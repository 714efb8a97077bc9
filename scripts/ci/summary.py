#!/usr/bin/env python3
"""Step "Job summary": append a shard's or the merged run's report to $GITHUB_STEP_SUMMARY.

Usage: summary.py shard|run|quick. Reads CODE (the step's exit code), RUN_DIR, SHARD, ARTIFACT, DRY_RUN
and GitHub's own variables. Relative links become absolute (monitor/publish/jobsummary.py). Runs from the
checkout without the package installed, so a failed install still gets its summary.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from monitor.publish import jobsummary


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ("shard", "run", "quick"):
        print("usage: summary.py shard|run|quick", file=sys.stderr)
        return 2
    env = os.environ
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        print("GITHUB_STEP_SUMMARY is unset: this step runs in a GitHub Actions job", file=sys.stderr)
        return 2
    try:
        url = jobsummary.run_url(env)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    report = Path(env.get("RUN_DIR") or "run") / "report.md"
    text = report.read_text(encoding="utf-8") if report.is_file() else None
    code = env.get("CODE", "")
    if argv[0] == "shard":
        artifact = env.get("ARTIFACT") or "report-shard-" + env.get("SHARD", "?").split("/")[0]
        summary = jobsummary.shard_summary(env.get("SHARD", "?"), code, text, url, artifact)
    elif argv[0] == "quick":
        summary = jobsummary.quick_summary(code, text, url, env.get("ARTIFACT") or "report-quick")
    else:
        dry = env.get("DRY_RUN", "false") == "true"
        walks = jobsummary.first_walks(_json(report.with_name("report.json")) or {})
        published = _json(report.with_name(jobsummary.PUBLISHED))
        prs = [str(p) for p in published.get("first_walks") or []] if published else None
        summary = jobsummary.run_summary(code, text, url, env.get("ARTIFACT") or "report", dry, walks, prs)
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(summary + "\n")
    return 0


def _json(path: Path) -> dict[str, object] | None:
    """A JSON object from a file, or None when it is missing or not one (the summary still gets written)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
