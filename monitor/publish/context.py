"""What the parts of a publish run share: the settings and clone they work with, and the result they add to.

One record, made once the run knows its repository and base branch, and handed to each part
(plans, branches, pulls, issues, bodies, dry run) explicitly; nothing else is shared between them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from monitor.guard.redact import LearnedDigests
from monitor.model import Report
from monitor.publish import git as gitops
from monitor.publish.github import Scrubber
from monitor.publish.settings import Settings


@dataclass(frozen=True)
class Action:
    """One thing publish did (or found already done) for a platform: the CLI prints these, in order."""

    platform: str
    what: str  # opened PR, updated PR, unchanged PR, closed PR, kept for a maintainer, commented, … issue
    url: str = ""
    detail: str = ""

    def line(self) -> str:
        return " ".join(p for p in (f"{self.platform}: {self.what}", self.url, self.detail and f"({self.detail})") if p)


@dataclass
class PublishResult:
    """What publish did (URLs of pull requests and issues) or, in a dry run, the files it wrote."""

    prs_opened: list[str] = field(default_factory=list)
    prs_updated: list[str] = field(default_factory=list)
    prs_unchanged: list[str] = field(default_factory=list)  # already right: nothing pushed, nothing edited
    prs_closed: list[str] = field(default_factory=list)
    issues_opened: list[str] = field(default_factory=list)
    issues_updated: list[str] = field(default_factory=list)
    issues_closed: list[str] = field(default_factory=list)
    dry_run_files: list[Path] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # bot branches left alone: someone else committed there
    branches_deleted: list[str] = field(default_factory=list)  # bot branches whose changes the site reverted
    notes: list[str] = field(default_factory=list)
    # The pull requests (a dry run: the payload files) that propose a first walk's baseline: the run says so
    first_walks: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # per platform, in the order they happened

    @property
    def changed_anything(self) -> bool:
        return any(
            (
                self.prs_opened,
                self.prs_updated,
                self.prs_closed,
                self.issues_opened,
                self.issues_updated,
                self.issues_closed,
                self.branches_deleted,
            )
        )


@dataclass(frozen=True)
class Context:
    """The run's givens: the report, the clone (root, git), where a dry run writes, the settings read from
    the environment, the base branch, how to log, and the result every part adds to."""

    report: Report
    root: Path
    dry_run: Path | None
    env: Mapping[str, str]
    report_dir: Path | None  # the report's folder: its images/ hold the screenshots of failing steps
    log: Callable[[str], None]
    scrub: Scrubber
    git: gitops.Git
    settings: Settings
    base: str
    result: PublishResult

    @property
    def learned(self) -> LearnedDigests:
        """What the report's walks read of the account off the pages, for the gate (run.json `learned`)."""
        return LearnedDigests(frozenset(self.report.run.learned))
