"""What a report asks of people next: the pull request or issue `publish` will open, per platform.

Pure functions over a Report, shared by publish (which acts on them) and the report (which tells a
person what will happen, and what to run locally instead). Titles hold counts and our own words
only: scraped text never goes into a title (GitHub links #refs and @mentions there).
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.judge import groups
from monitor.model import BRANCH_PREFIX, BlockReason, Category, Change, Report, Verdict

PROBLEM_TITLES = {
    "login": "Refresh the {name} login for optout-monitor",
    "security-check": "Pass the {name} security check for optout-monitor",
    "blocked": "optout-monitor cannot reach the {name} opt-out pages",
    "target-gone": "A step of the {name} opt-out path is gone",
}
PROBLEM_TEXT = {
    "login": "The monitor met a login wall: its saved {name} session has expired or was logged out.",
    "security-check": "{name} showed the monitor a security check instead of the page.",
    "blocked": "The monitor could not load the {name} pages (an HTTP error, a timeout or a browser failure).",
    "target-gone": "A page of the {name} path loaded, but the link or button a step clicks is no longer on it.",
}


def display_name(platform: str) -> str:
    return groups.platform_name(platform)


def branch_for(platform: str) -> str:
    return f"{BRANCH_PREFIX}{platform}"


def issue_title(platform: str, problem: str) -> str:
    return PROBLEM_TITLES[problem].format(name=display_name(platform))


def problem_of(change: Change) -> str | None:
    """The issue a change belongs to, or None when it needs no human."""
    if change.verdict is Verdict.BLOCKED:
        if change.evidence.reason is BlockReason.LOGIN:
            return "login"
        if change.evidence.reason is BlockReason.SECURITY_CHECK:
            return "security-check"
        return "blocked"
    if change.verdict is Verdict.TARGET_GONE:
        return "target-gone"
    return None


# A platform's walks without a baseline: the pull request that proposes one (publish/firstwalk.py).
FIRST_WALK_TITLE = "First walk of the {name} path"
FIRST_WALK_WHY = (
    "First walk: no baseline yet; merging the pull request makes this walk the baseline and the pages checked."
)


def pr_title(platform: str, updates: list[Change]) -> str:
    """Counts and verdicts: `Update the Facebook instructions: 1 change (reworded) seen in 6 steps`."""
    n = len(updates)
    g = len(groups.of_changes(updates))
    verdicts = ", ".join(sorted({c.verdict.value for c in updates}))
    return (
        f"Update the {display_name(platform)} instructions: {g} change{'s' if g != 1 else ''} ({verdicts}) "
        f"seen in {n} step{'s' if n != 1 else ''}"
    )


@dataclass(frozen=True)
class NextStep:
    platform: str
    kind: str  # "pull request" or "issue"
    title: str
    branch: str | None = None  # a pull request's branch
    why: str = ""

    @property
    def name(self) -> str:
        return display_name(self.platform)


def next_steps(report: Report) -> list[NextStep]:
    """Per platform: the pull request (the instructions need an update) and the issues (a human is
    needed) that `publish` would open or update for this report, in that order."""
    out: list[NextStep] = []
    for platform in sorted({c.site for c in report.changes}):
        mine = [c for c in report.changes if c.site == platform]
        updates = [c for c in mine if c.category is Category.UPDATE]
        human = {c.combo for c in mine if c.category is Category.HUMAN}
        firsts = [c for c in mine if c.verdict is Verdict.NEW and c.combo not in human]
        if updates:
            out.append(NextStep(platform, "pull request", pr_title(platform, updates), branch_for(platform)))
        elif firsts:
            title = FIRST_WALK_TITLE.format(name=display_name(platform))
            out.append(NextStep(platform, "pull request", title, branch_for(platform), why=FIRST_WALK_WHY))
        problems = sorted({p for p in (problem_of(c) for c in mine) if p is not None})
        for problem in problems:
            text = PROBLEM_TEXT[problem].format(name=display_name(platform))
            out.append(NextStep(platform, "issue", issue_title(platform, problem), why=text))
    return out
