"""Applying a report to a working tree: the changed steps become the baseline, the affected
instruction pages and images are re-rendered, and each instruction-relevant change gets a
changelog entry. Applying the same report twice changes nothing.

A walk that needs a human (target gone, blocked) is never applied: its baseline, its pages and
its images stay as they were, so a broken path can never remove instructions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from monitor import store
from monitor.config import Config
from monitor.judge import shown
from monitor.model import Category, Change, ObservationKey, Report, Verdict
from monitor.write import appfollow, changelog, instructions
from monitor.write.app_steps import AppGuide
from monitor.write.changelog import ChangelogEntry

FIRST_WALK_SUMMARY = "first walk: the path was walked for the first time and is now the baseline"


class UpdateError(Exception):
    """A report that cannot be applied to this tree."""


class BrokenBaseline(UpdateError):
    """The baseline holds files that fail verification: a human re-accepts them (exit 3)."""


@dataclass
class Applied:
    accepted: list[str] = field(default_factory=list)  # journey/locale/viewport/step written into the baseline
    dropped: list[str] = field(default_factory=list)  # baseline steps the path no longer has
    held: list[str] = field(default_factory=list)  # walks not applied: a human is needed
    files: list[Path] = field(default_factory=list)  # instruction files whose bytes changed
    entries: list[Path] = field(default_factory=list)  # changelog entries written
    # app steps that now quote the website's new word (with a notice): never walked, the apps are not opened
    app_steps: list[appfollow.Followed] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.accepted or self.dropped or self.files or self.entries)


def apply(
    config: Config,
    report: Report,
    run_dir: Path,
    root: Path,
    today: date | None = None,
    apps: AppGuide | None = None,
) -> Applied:
    """Apply report (whose observations are in run_dir/observations) to root's snapshots/ and instructions/;
    `apps` is the app-steps file beside the journey file (app_steps.load_beside)."""
    snapshots = root / "snapshots"
    if report.run.sites and (snapshots / store.REAL_ONLY_MARKER).exists():
        raise UpdateError(
            f"the report walked stand-ins ({', '.join(sorted(report.run.sites))}); {snapshots} holds the real "
            "sites only. Apply it to a scratch workspace with --root DIR."
        )
    result = Applied()
    human = {c.combo for c in report.changes if c.category is Category.HUMAN}
    result.held = sorted(human)
    wanted: set[ObservationKey] = set()
    dropped: set[ObservationKey] = set()
    for change in report.changes:
        if change.combo in human or change.verdict in (Verdict.UNCHANGED, Verdict.SKIPPED):
            continue
        if change.verdict is Verdict.STEP_REMOVED and change.evidence.superseded_by is None:
            dropped.add(change.key)  # the walk no longer has this step at all
        else:
            wanted.add(change.key)
    words_before = _target_words(snapshots, report)  # a removed step's words, gone once accepted
    try:
        written = store.accept_steps(run_dir, snapshots, wanted, dropped)
    except store.StoreError as exc:
        raise UpdateError(str(exc)) from None
    result.accepted = sorted(k.path for k in written.accepted)
    result.dropped = sorted(k.path for k in written.dropped)
    baseline = store.read_tree(snapshots)
    if baseline.broken:
        path, message = next(iter(sorted(baseline.broken.items())))
        more = f" (and {len(baseline.broken) - 1} more)" if len(baseline.broken) > 1 else ""
        raise BrokenBaseline(
            f"baseline problem, instructions left as they were: {message}{more} — fix: re-accept with "
            f"`optout-monitor accept RUN --snapshots {snapshots}` from a check that walked {path.parent.relative_to(snapshots)}"
        )
    day = today or _run_day(report)
    result.files = instructions.update_instructions(config, baseline, root / "instructions", report, day, apps)
    updates = [c for c in report.changes if c.category is Category.UPDATE and c.combo not in human]
    rewritten = set(result.files)  # applied before: its pages say so already
    found = appfollow.for_changes(config, baseline, apps, updates)
    result.app_steps = [f for f in found if root / "instructions" / f.locale / f"{f.site}.md" in rewritten]
    pages = {p.site: p for p in instructions.plan_pages(config)}
    for change in [*(c for c in report.changes if c.category is Category.UPDATE), *first_walks(report)]:
        if change.combo in human:
            continue
        words = baseline.observations.get(change.key)
        label = shown.words(words) or words_before.get(change.key)
        entry = _entry(change, report, root, pages.get(change.site), label)
        path = root / changelog.FOLDER / entry.filename()
        before = path.read_bytes() if path.exists() else None
        changelog.write(root, entry)
        if path.read_bytes() != before:
            result.entries.append(path)
    return result


def first_walks(report: Report) -> list[Change]:
    """Per walk without a baseline (every step new), the one step its changelog entry is about: the
    tracked step, else the last one. A first walk is news too: the path was walked for the first time."""
    walks: dict[str, list[Change]] = {}
    for change in report.changes:
        walks.setdefault(change.combo, []).append(change)
    chosen = []
    for changes in walks.values():
        if not changes or any(c.verdict is not Verdict.NEW for c in changes):
            continue
        tracked = [c for c in changes if c.tracked]
        chosen.append(tracked[0] if tracked else max(changes, key=lambda c: c.index))
    return chosen


def _run_day(report: Report) -> date:
    try:
        return datetime.fromisoformat(report.run.started).date()
    except ValueError:
        return date.today()


def _target_words(snapshots: Path, report: Report) -> dict[ObservationKey, str]:
    """The accepted words of each changed step's target, read before the report is applied."""
    found: dict[ObservationKey, str] = {}
    for change in report.changes:
        if change.category is not Category.UPDATE:
            continue
        try:
            words = shown.words(store.load_observation(store.observation_path(snapshots, change.key)))
        except store.StoreError:
            continue
        if words:
            found[change.key] = words
    return found


def _entry(
    change: Change, report: Report, root: Path, page: instructions.PageSpec | None, label: str | None = None
) -> ChangelogEntry:
    ev = change.evidence
    old_text = (ev.name.old if ev.name else None) or (ev.text.old if ev.text else None)
    new_text = (ev.name.new if ev.name else None) or (ev.text.new if ev.text else None)
    old_to = ev.leads_to.old if ev.leads_to else None
    new_to = ev.leads_to.new if ev.leads_to else None
    parts = (
        change.site,
        change.locale,
        change.viewport,
        change.journey,
        change.step,
        change.verdict.value,
        old_text,
        new_text,
        old_to,
        new_to,
        "|".join(ev.context.old) if ev.context else None,
        "|".join(ev.context.new) if ev.context else None,
        ev.hop.name if ev.hop else None,
        ev.superseded_by,
    )
    image = (
        Path("instructions")
        / instructions.IMAGES
        / change.site
        / change.locale
        / change.viewport
        / f"{change.step}.png"
    )
    page_path = Path("instructions") / change.locale / f"{change.site}.md"
    return ChangelogEntry(
        id=ChangelogEntry.make_id(*parts),
        when=report.run.started,
        platform=change.site,
        locale=change.locale,
        viewport=change.viewport,
        journey=change.journey,
        step=change.step,
        verdict=change.verdict.value,
        summary=FIRST_WALK_SUMMARY if change.verdict is Verdict.NEW else change.summary,
        old_text=old_text,
        new_text=new_text,
        old_place=list(ev.context.old) if ev.context else [],
        new_place=list(ev.context.new) if ev.context else [],
        old_leads_to=old_to,
        new_leads_to=new_to,
        images=[str(image)] if (root / image).exists() else [],
        pages=[str(page_path)] if page is not None and (root / page_path).exists() else [],
        label=label,
        hop=ev.hop.name if ev.hop else None,
        old_role=ev.role.old if ev.role else None,
        new_role=ev.role.new if ev.role else None,
    )
