"""What publish will do, decided from the report and the clone before any remote is touched.

A platform's share of the working tree (its snapshots, instruction pages, pictures and changelog
entries, plus the shared files), the tree built from it on the base branch, and the issues to open
(one per platform and problem, with the screenshots of the failing steps).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from monitor.model import Category, Change, Verdict
from monitor.publish.context import Context
from monitor.publish.github import UnsafeError
from monitor.write.nextsteps import branch_for, display_name, issue_title, problem_of

LABEL = "optout-monitor"
VERIFIED = "instructions/verified.json"
REHEARSED = "instructions/rehearsals.json"  # a stand-in's dates (write/page.py REHEARSED_FILE): same format
DATED = (VERIFIED, REHEARSED)  # shared, but each platform's pull request carries only its own dates
SHARED_FILES = ("instructions/README.md", VERIFIED, REHEARSED)
MAX_EVIDENCE = 6  # screenshots per issue


@dataclass
class Platform:
    """A platform's changes in this report and the paths of the working tree it publishes."""

    name: str
    changes: list[Change]
    specific: list[str]  # paths that belong to this platform alone
    shared: list[str]  # shared files, published with the platform when it has changes of its own

    @property
    def branch(self) -> str:
        return branch_for(self.name)

    @property
    def updates(self) -> list[Change]:
        return [c for c in self.changes if c.category is Category.UPDATE]

    @property
    def firsts(self) -> list[Change]:
        """Steps walked without a baseline (a fresh fork, a journey or locale added later), in walks that
        reached their end: `update` wrote them as the baseline, a first-walk pull request proposes it."""
        human = {c.combo for c in self.changes if c.category is Category.HUMAN}
        return [c for c in self.changes if c.verdict is Verdict.NEW and c.combo not in human]

    @property
    def publishable(self) -> bool:
        """Something for a pull request: a change to the instructions, or a first walk."""
        return bool(self.updates or self.firsts)

    @property
    def display(self) -> str:
        return display_name(self.name)


@dataclass
class Built:
    """A platform's tree on the base commit, with the files it changes there."""

    base_sha: str
    tree: str  # None-free: only built when the platform's own paths changed
    files: list[tuple[str, str]]  # (status, path) against the base


@dataclass
class IssuePlan:
    """One issue to open or update: a platform, a problem, the changes that show it and their screenshots."""

    platform: str
    problem: str
    changes: list[Change]
    evidence: dict[str, bytes] = field(default_factory=dict)  # repository path -> PNG
    shots: dict[int, str] = field(default_factory=dict)  # index in changes -> evidence path

    @property
    def title(self) -> str:
        return issue_title(self.platform, self.problem)

    @property
    def labels(self) -> list[str]:
        return [LABEL, self.platform]

    @property
    def fingerprint(self) -> str:
        keys = sorted(f"{c.key.path}:{c.verdict.value}:{c.evidence.reason or ''}" for c in self.changes)
        return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:12]


class Planner:
    """Reads the report, the working tree and the base commit; writes nothing."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def platform(self, name: str, base_sha: str) -> Platform:
        changes = [c for c in self.ctx.report.changes if c.site == name]
        journeys = self._journeys_of(name, base_sha)
        specific = [f"snapshots/{j}" for j in sorted(journeys)]
        pages = {p.relative_to(self.ctx.root).as_posix() for p in self.ctx.root.glob(f"instructions/*/{name}.md")}
        pages |= {
            p
            for p in self.ctx.git.ls_tree(base_sha, "instructions")
            if re.fullmatch(rf"instructions/[^/]+/{re.escape(name)}\.md", p)
        }
        specific += sorted(pages)
        specific.append(f"instructions/images/{name}")
        specific += self._changelog_of(name, base_sha)
        plat = Platform(name, changes, specific, list(SHARED_FILES))
        head = self.ctx.git.rev("HEAD")
        if head and head != base_sha:
            drift = self.ctx.git.changed_paths(head, base_sha, plat.specific + plat.shared)
            if drift:
                shown = ", ".join(p for _, p in drift[:5])
                raise UnsafeError(
                    f"this checkout (HEAD {head[:10]}) and {self.ctx.base} on origin ({base_sha[:10]}) differ in "
                    f"{display_name(name)}'s files ({shown}); publishing would undo those changes. Update the "
                    f"checkout (git pull --ff-only origin {self.ctx.base}), run `optout-monitor update` again, then publish."
                )
        return plat

    def _journeys_of(self, platform: str, base_sha: str) -> set[str]:
        known = {c.journey: c.site for c in self.ctx.report.changes}
        names = {p.name for p in (self.ctx.root / "snapshots").glob("*") if p.is_dir()}
        names |= {p.split("/")[1] for p in self.ctx.git.ls_tree(base_sha, "snapshots") if p.count("/") >= 2}
        found = set()
        for journey in names:
            site = known.get(journey) or self._site_on_disk(journey, base_sha)
            if site is None and journey.startswith(f"{platform}-"):
                site = platform
            if site == platform:
                found.add(journey)
        return found

    def _site_on_disk(self, journey: str, base_sha: str) -> str | None:
        for path in sorted((self.ctx.root / "snapshots" / journey).glob("*/*/*.json"))[:1]:
            site = _json_field(path.read_bytes(), "site")
            if site:
                return site
        for rel in self.ctx.git.ls_tree(base_sha, f"snapshots/{journey}"):
            if rel.endswith(".json"):
                return _json_field(self.ctx.git.show(base_sha, rel) or b"", "site")
        return None

    def _changelog_of(self, platform: str, base_sha: str) -> list[str]:
        folder = "instructions/changelog"
        paths = []
        on_disk = {p.relative_to(self.ctx.root).as_posix(): p for p in (self.ctx.root / folder).glob("*.json")}
        for rel, path in sorted(on_disk.items()):
            if _json_field(path.read_bytes(), "platform") == platform:
                paths.append(rel)
        for rel in self.ctx.git.ls_tree(base_sha, folder):
            if (
                rel.endswith(".json")
                and rel not in on_disk
                and _json_field(self.ctx.git.show(base_sha, rel) or b"", "platform") == platform
            ):
                paths.append(rel)  # deleted in the working tree
        return paths

    def issues(self, platforms: list[Platform]) -> list[IssuePlan]:
        plans: dict[tuple[str, str], IssuePlan] = {}
        for plat in platforms:
            for change in plat.changes:
                problem = problem_of(change)
                if problem is not None:
                    plans.setdefault((plat.name, problem), IssuePlan(plat.name, problem, [])).changes.append(change)
        for plan in plans.values():
            self._collect_evidence(plan)
        return [plans[k] for k in sorted(plans)]

    def _collect_evidence(self, plan: IssuePlan) -> None:
        if self.ctx.report_dir is None:
            return
        for i, change in enumerate(plan.changes[:MAX_EVIDENCE]):
            rel = change.images.after or change.images.before
            if not rel or ".." in Path(rel).parts or Path(rel).is_absolute():
                continue
            path = self.ctx.report_dir / rel
            if not path.is_file():
                continue
            data = path.read_bytes()
            name = f"evidence/{plan.platform}/{plan.problem}/{hashlib.sha256(data).hexdigest()[:16]}.png"
            plan.evidence[name] = data
            plan.shots[i] = name


def _json_field(data: bytes, key: str) -> str | None:
    try:
        value = json.loads(data).get(key)
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
