"""Issues: one per platform and problem (login, security check, blocked, target gone), whose title is its key.

Opened with the screenshots of the failing steps (committed on the `optout-monitor/evidence`
branch, appended, never forced); commented on and refreshed when the problem comes back in a later
run; closed with a comment once a run walks the path again without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monitor.guard import gate
from monitor.guard.redact import Identity
from monitor.model import Verdict
from monitor.publish import git as gitops
from monitor.publish.api import Api
from monitor.publish.bodies import Bodies
from monitor.publish.branches import Refs
from monitor.publish.context import Action, Context
from monitor.publish.github import PushRejectedError, ServerError
from monitor.publish.plans import LABEL, IssuePlan, Platform
from monitor.write.nextsteps import PROBLEM_TITLES, issue_title

EVIDENCE_BRANCH = f"{gitops.BRANCH_PREFIX}evidence"


class Issues:
    """The run's view of the open issues (listed once, by title, again after a doubtful create)."""

    def __init__(self, ctx: Context, refs: Refs, api: Api, bodies: Bodies) -> None:
        self.ctx = ctx
        self.refs = refs
        self.api = api
        self.bodies = bodies
        self._open_issues: dict[str, Any] | None = None

    def publish(self, platforms: list[Platform], plans: list[IssuePlan]) -> None:
        evidence = self.push_evidence(plans)
        open_issues = self._open_issue_map()
        for plan in plans:
            body = self.bodies.issue_body(plan, evidence, comment=False)
            issue = open_issues.get(plan.title)
            if issue is None:
                issue = self._create_issue(plan, body)
                open_issues[plan.title] = issue
                self.ctx.result.issues_opened.append(str(issue.html_url))
                self.ctx.result.actions.append(Action(plan.platform, "opened issue", str(issue.html_url), plan.title))
                self.ctx.log(f"{plan.platform}: opened issue #{issue.number} {issue.html_url}: {plan.title}")
                continue
            if f"run={self.ctx.settings.run_id} " in (issue.body or ""):
                self.ctx.log(f"{plan.platform}: issue #{issue.number} already reports run {self.ctx.settings.run_id}")
                self.ctx.result.actions.append(
                    Action(plan.platform, "unchanged issue", str(issue.html_url), "already reports this run")
                )
                continue
            self.api.comment(
                issue, self.bodies.issue_body(plan, evidence, comment=True), f"commenting on issue #{issue.number}"
            )
            if issue.body != body:
                self.api.call(f"updating issue #{issue.number}", issue.edit, body=body)
            self.ctx.result.issues_updated.append(str(issue.html_url))
            self.ctx.result.actions.append(
                Action(plan.platform, "commented on issue", str(issue.html_url), "failed again; body refreshed")
            )
            self.ctx.log(f"{plan.platform}: issue #{issue.number} updated: it failed again")
        planned = {(p.platform, p.problem) for p in plans}
        for plat in platforms:
            for problem in PROBLEM_TITLES:
                issue = open_issues.get(issue_title(plat.name, problem))
                if issue is None or (plat.name, problem) in planned or not _healed(plat, problem):
                    continue
                body = self.bodies.healed_comment(plat)
                url = self.api.close_with_comment(plat.name, issue, "issue", body, issue.edit, "walked again")
                self.ctx.result.issues_closed.append(url)
                self.ctx.log(f"{plat.name}: closed issue #{issue.number}: {issue.title}")

    def push_evidence(self, plans: list[IssuePlan]) -> str | None:
        """Commit the screenshots of failing steps on the evidence branch (appended, never forced)."""
        files = {path: data for plan in plans for path, data in plan.evidence.items()}
        if not files:
            return None
        gate.check(
            [(Path(p), d) for p, d in files.items()],
            Identity.from_env(self.ctx.env),
            f"pushing {EVIDENCE_BRANCH}",
            self.ctx.learned,
        )
        for attempt in (1, 2):
            parent = self.refs.heads.get(f"refs/heads/{EVIDENCE_BRANCH}")
            tree = self.ctx.git.tree_adding(parent, files)
            if parent and self.ctx.git.tree_of(parent) == tree:
                return parent
            message = gitops.bot_message(
                f"Screenshots of failing steps ({len(files)})", "\n".join(sorted(files)), self.ctx.settings.run_id
            )
            sha = self.ctx.git.commit_tree(tree, [parent] if parent else [], message)
            if self.ctx.dry_run is not None:
                return sha
            pushed = self.ctx.git.push(sha, EVIDENCE_BRANCH, base=self.ctx.base, expect=parent, force=False)
            if pushed.ok:
                self.refs.heads[f"refs/heads/{EVIDENCE_BRANCH}"] = sha
                return sha
            if attempt == 2:
                raise PushRejectedError(f"origin refused the push of {EVIDENCE_BRANCH} twice: {pushed.detail}")
            self.refs.load()
        return None

    def _open_issue_map(self) -> dict[str, Any]:
        if self._open_issues is None:
            found: dict[str, Any] = {}
            issues = self.api.call(
                "listing open issues", lambda: list(self.api.repo.issues(state="open", labels=LABEL))
            )
            for issue in sorted(issues, key=lambda i: int(i.number)):
                if issue.pull_request_urls:
                    continue  # a pull request
                found.setdefault(str(issue.title), issue)
            self._open_issues = found
        return self._open_issues

    def _create_issue(self, plan: IssuePlan, body: str) -> Any:
        doing = f"opening the issue {plan.title!r}"
        try:
            return self.api.call(doing, self.api.repo.create_issue, title=plan.title, body=body, labels=plan.labels)
        except ServerError:
            self._open_issues = None  # did the first attempt land after all?
            issue = self._open_issue_map().get(plan.title)
            if issue is not None:
                return issue
            self.ctx.log(f"{plan.platform}: GitHub failed to open the issue; trying once more")
            return self.api.call(doing, self.api.repo.create_issue, title=plan.title, body=body, labels=plan.labels)


def _healed(plat: Platform, problem: str) -> bool:
    """Did this run walk far enough to know the problem is gone?"""
    verdicts = {c.verdict for c in plat.changes}
    if Verdict.BLOCKED in verdicts:
        return False
    if problem == "target-gone":
        return Verdict.TARGET_GONE not in verdicts and Verdict.SKIPPED not in verdicts
    return True
