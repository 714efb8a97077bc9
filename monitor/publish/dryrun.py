"""A dry run: the pull requests and issues publish would open, written as files; no remote is touched.

Per pull request and issue, `<stem>.json` (kind, title, body, labels, files, and for a pull request
its branch and commit) and `<stem>.md` (the body alone, to read). The commits are built in the
clone as a real run builds them but pushed nowhere; pictures are copied beside the payloads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from monitor.publish.bodies import Bodies
from monitor.publish.branches import Branches
from monitor.publish.context import Context
from monitor.publish.issues import Issues
from monitor.publish.plans import LABEL, IssuePlan, Platform


class DryRun:
    """Writes the payloads of one run into a folder."""

    def __init__(self, ctx: Context, branches: Branches, bodies: Bodies, issues: Issues) -> None:
        self.ctx = ctx
        self.branches = branches
        self.bodies = bodies
        self.issues = issues

    def write(self, folder: Path, platforms: list[Platform], plans: list[IssuePlan], base_sha: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for plat in platforms:
            if not plat.publishable:
                continue
            built = self.branches.build(plat, base_sha)
            if built is None:
                self.ctx.log(f"{plat.name}: no file differs from {self.ctx.base}; no pull request")
                continue
            words = self.branches.pulls.words
            head = self.ctx.git.commit_tree(built.tree, [base_sha], words.commit_message(plat, base_sha))
            payload = {
                "kind": "pull_request",
                "first_walk": bool(plat.firsts),
                "title": words.title(plat, built.base_sha),
                "body": words.body(plat, built, head),
                "labels": [LABEL, plat.name],
                "base": self.ctx.base,
                "head": plat.branch,
                "commit": head,
                "files": [{"status": s, "path": p} for s, p in built.files],
            }
            self._write_payload(folder, f"pr-{plat.name}", payload)
            if plat.firsts:
                self.ctx.result.first_walks.append(str(folder / f"pr-{plat.name}.md"))
        evidence = self.issues.push_evidence(plans)
        for plan in plans:
            payload = {
                "kind": "issue",
                "title": plan.title,
                "body": self.bodies.issue_body(plan, evidence, comment=False),
                "labels": plan.labels,
                "files": sorted(plan.evidence),
            }
            self._write_payload(folder, f"issue-{plan.platform}-{plan.problem}", payload)
        self.ctx.log(f"dry run: wrote {len(self.ctx.result.dry_run_files)} file(s) to {folder}; no remote was touched")

    def _write_payload(self, folder: Path, stem: str, payload: dict[str, Any]) -> None:
        data = self.ctx.scrub(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        body = self.ctx.scrub(str(payload["body"]))
        for path, text in ((folder / f"{stem}.json", data), (folder / f"{stem}.md", body)):
            path.write_text(text, encoding="utf-8")
            self.ctx.result.dry_run_files.append(path)
        self.ctx.log(f"dry run: {payload['kind'].replace('_', ' ')} {payload['title']!r} -> {folder / stem}.json")
