"""The hourly quick look (`check --quick`): is the full matrix needed now?

Meta moves the link at any hour; the full matrix (every journey × locale × viewport) is too dear to
walk hourly. What decides whether the instructions still hold is each journey's tracked step, so
the quick look walks, per site, each journey up to and including its tracked step, in one locale
and one viewport, public journeys first, and compares them with the same baseline under the same
rules. Anything but `unchanged`/`cosmetic`, or a baseline problem, asks for the full run, which
confirms, updates and publishes as the 6-hourly run does (docs/decisions/0023-the-hourly-quick-look.md).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from monitor.judge import compare
from monitor.model import Observation, ObservationKey, Report, RunInfo, Status, Verdict, Walk

if TYPE_CHECKING:
    from monitor.config import Config, Journey, Thresholds
    from monitor.runner import Combo, Route
    from monitor.store import Tree

# The verdicts that leave the instructions as they are: no full run for them.
QUIET = frozenset({Verdict.UNCHANGED, Verdict.COSMETIC})
DECISION_FILE = "quick.json"
NO_RUN = RunInfo(started="", finished="", seconds=0, config="")  # a one-walk compare needs no run details


@dataclass(frozen=True)
class QuickPlan:
    """What one quick look walks: a config whose journeys stop at their tracked step, the combos, and
    the reads (other locales: straight to the tracked step's page, its words read) by combo."""

    config: Config
    combos: list[Combo]
    routes: dict[Combo, Route] = field(default_factory=dict)


def plan(config: Config, baseline: Tree | None = None) -> QuickPlan:
    """Per site, each chosen journey cut after its tracked step, in the quick locale and viewport, then
    its tracked step in every other locale; public journeys first (no login to expire, and they alone
    give a fork without an account a signal). With `baseline`, another locale goes straight to the page
    the baseline saw its tracked step on and reads its words (a Route); without one there, it walks the path."""
    from monitor.runner import Combo

    spec = config.quick
    locale = spec.locale or next(iter(config.locales))
    viewport = spec.viewport or next(iter(config.viewports))
    wanted = spec.journeys or [j.id for j in config.journeys if j.tracked_step is not None]
    chosen = sorted((config.journey(jid) for jid in wanted), key=lambda j: (j.login, wanted.index(j.id)))
    cut = {j.id: _through_tracked(j) for j in chosen}
    journeys = [cut.get(j.id, j) for j in config.journeys]
    combos = [Combo(j.id, locale, viewport) for j in chosen]
    routes: dict[Combo, Route] = {}
    for journey in chosen if baseline is not None else ():
        tracked = journey.tracked_step
        assert tracked is not None and baseline is not None
        for other in config.locales:
            combo = Combo(journey.id, other, viewport)
            seen = baseline.observations.get(ObservationKey(journey.id, other, viewport, tracked.id))
            if other == locale or seen is None:  # a locale not accepted yet: the full run walks it first
                continue
            combos.append(combo)
            route = _shortcut(seen, baseline)
            if route is not None:
                routes[combo] = route
    return QuickPlan(config.model_copy(update={"journeys": journeys}), combos, routes)


def _through_tracked(journey: Journey) -> Journey:
    tracked = journey.tracked_step
    assert tracked is not None  # config validation: a quick journey has one
    end = journey.steps.index(tracked) + 1
    return journey.model_copy(update={"steps": journey.steps[:end]})


def _shortcut(seen: Observation, baseline: Tree) -> Route | None:
    """Straight to the page the baseline saw the tracked step on, its words read (monitor/walk/quickread.py):
    None when the baseline did not find it there by its names, or lost its pictures (the path is walked)."""
    from monitor import store
    from monitor.runner import Route

    if seen.status is not Status.OK or seen.found_by != "locator" or seen.target is None:
        return None
    if not seen.url.startswith(("https://", "http://")):
        return None
    images = store.pictures_of(baseline, seen)
    return None if images is None else Route(seen, images)


def baseline_view(baseline: Tree, quick: QuickPlan) -> Tree:
    """The baseline's observations of the steps the quick look walks: later steps (and, on a shortcut,
    the steps on the way) are not walked, so they must not read as removed."""
    from monitor.store import Tree

    steps: dict[tuple[str, str, str], set[str]] = {}
    for c in quick.combos:
        route = quick.routes.get(c)
        walked = {route.seen.step} if route is not None else {s.id for s in quick.config.journey(c.journey).steps}
        steps[(c.journey, c.locale, c.viewport)] = walked
    kept = {k: o for k, o in baseline.observations.items() if k[3] in steps.get((k[0], k[1], k[2]), ())}
    return Tree(baseline.root, kept, dict(baseline.broken))


class Decision(BaseModel):
    """The quick look's answer, written to quick.json beside the report."""

    model_config = ConfigDict(frozen=True)

    full_run: bool
    reasons: list[str]
    # The same reasons hour after hour (a pull request not merged yet, a login not refreshed) have
    # the same fingerprint: the workflow dispatches the full run once per fingerprint.
    fingerprint: str = ""


def baseline_digest(baseline: Tree) -> str:
    """What the baseline held, as a hash: the same change seen against another baseline (one that
    took in a merged update, then Meta changed back) is a new fingerprint, not one already sent."""
    parts = sorted(f"{k.path} {o.model_dump_json()}" for k, o in baseline.observations.items())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def decide(report: Report, baseline: str = "") -> Decision:
    """Full run when any step says anything but unchanged/cosmetic, or the baseline has a problem;
    `baseline` (baseline_digest) goes into the fingerprint."""
    reasons = [
        f"{c.combo} {c.step}: {c.verdict.value}"
        for c in report.changes
        if c.verdict not in QUIET and c.verdict is not Verdict.SKIPPED
    ]
    reasons += [f"baseline problem: {p.path}: {p.message}" for p in report.problems]
    seen = "\n".join([baseline, *sorted(reasons)])
    print_ = hashlib.sha256(seen.encode()).hexdigest()[:16] if reasons else ""
    return Decision(full_run=bool(reasons), reasons=reasons, fingerprint=print_)


def watching(
    progress: Callable[[Combo, Walk], None], baseline: Tree, thresholds: Thresholds, enough: threading.Event
) -> Callable[[Combo, Walk], None]:
    """A progress callback that also compares each finished walk and sets `enough` at the first one that
    asks for the full run: the answer is known, so the walks not yet started are left out."""

    def seen(combo: Combo, walk: Walk) -> None:
        progress(combo, walk)
        if not enough.is_set() and decide(compare.compare_run(baseline, [walk], thresholds, NO_RUN)).full_run:
            enough.set()

    return seen


def write(decision: Decision, out: Path) -> Path:
    from monitor.guard.files import write_atomic

    path = out / DECISION_FILE
    write_atomic(path, (json.dumps(decision.model_dump(), indent=2) + "\n").encode())
    return path
