"""The hourly quick look (`check --quick`): is the full matrix needed now?

Meta moves the link at any hour; the full matrix (every journey × locale × viewport) is too dear to
walk hourly. What decides whether the instructions still hold is each journey's tracked step, so
the quick look walks, per site, each journey up to and including its tracked step, in one locale
and one viewport, public journeys first, and compares them with the same baseline under the same
rules. Anything but `unchanged`/`cosmetic`, or a baseline problem, asks for the full run, which
confirms, updates and publishes as the 6-hourly run does (docs/decisions/0023-the-hourly-quick-look.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from .model import Report, Verdict

if TYPE_CHECKING:
    from .config import Config, Journey
    from .runner import Combo
    from .store import Tree

# The verdicts that leave the instructions as they are: no full run for them.
QUIET = frozenset({Verdict.UNCHANGED, Verdict.COSMETIC})
DECISION_FILE = "quick.json"


class QuickSpec(BaseModel):
    """monitor.yaml `quick:`; every key optional (defaults: the first locale and viewport listed,
    every journey that has a tracked step)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    locale: str | None = None
    viewport: str | None = None
    journeys: list[str] | None = Field(default=None, min_length=1)


def spec_problems(
    spec: QuickSpec, locales: list[str], viewports: list[str], journeys: list[Journey]
) -> list[tuple[tuple[str | int, ...], str]]:
    """Cross-references of `quick:` a schema cannot see: (key path, message) for each broken one."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    if spec.locale is not None and spec.locale not in locales:
        out.append((("quick", "locale"), f"unknown locale {spec.locale!r}; known: {', '.join(locales)}"))
    if spec.viewport is not None and spec.viewport not in viewports:
        out.append((("quick", "viewport"), f"unknown viewport {spec.viewport!r}; known: {', '.join(viewports)}"))
    viewport = spec.viewport or (viewports[0] if viewports else "")
    by_id = {j.id: j for j in journeys}
    seen: set[str] = set()
    for index, jid in enumerate(spec.journeys or []):
        at: tuple[str | int, ...] = ("quick", "journeys", index)
        journey = by_id.get(jid)
        if jid in seen:
            out.append((at, f"journey {jid!r} is listed twice"))
        seen.add(jid)
        if journey is None:
            out.append((at, f"unknown journey {jid!r}; known: {', '.join(by_id)}"))
        elif journey.tracked_step is None:
            out.append((at, f"journey {jid!r} has no tracked step: the quick look walks only up to it"))
        elif viewport in viewports and journey.tracked_step not in journey.steps_for(viewport):
            out.append((at, f"journey {jid!r}'s tracked step is not walked in viewport {viewport!r}"))
    return out


@dataclass(frozen=True)
class QuickPlan:
    """What one quick look walks: a config whose journeys stop at their tracked step, and the combos."""

    config: Config
    combos: list[Combo]


def plan(config: Config) -> QuickPlan:
    """Per site, each chosen journey cut after its tracked step, in the quick locale and viewport;
    public journeys first (no login to expire, and they alone give a fork without an account a signal)."""
    from .runner import Combo

    spec = config.quick
    locale = spec.locale or next(iter(config.locales))
    viewport = spec.viewport or next(iter(config.viewports))
    wanted = spec.journeys or [j.id for j in config.journeys if j.tracked_step is not None]
    chosen = sorted((config.journey(jid) for jid in wanted), key=lambda j: (j.login, wanted.index(j.id)))
    cut = {j.id: _through_tracked(j) for j in chosen}
    journeys = [cut.get(j.id, j) for j in config.journeys]
    return QuickPlan(
        config.model_copy(update={"journeys": journeys}),
        [Combo(j.id, locale, viewport) for j in chosen],
    )


def _through_tracked(journey: Journey) -> Journey:
    tracked = journey.tracked_step
    assert tracked is not None  # config validation: a quick journey has one
    end = journey.steps.index(tracked) + 1
    return journey.model_copy(update={"steps": journey.steps[:end]})


def baseline_view(baseline: Tree, quick: QuickPlan) -> Tree:
    """The baseline's observations of the steps the quick look walks: later steps are not walked,
    so they must not read as removed."""
    from .store import Tree

    steps = {
        (c.journey, c.locale, c.viewport): {s.id for s in quick.config.journey(c.journey).steps} for c in quick.combos
    }
    kept = {k: o for k, o in baseline.observations.items() if k[3] in steps.get((k[0], k[1], k[2]), ())}
    return Tree(baseline.root, kept, dict(baseline.broken))


class Decision(BaseModel):
    """The quick look's answer, written to quick.json beside the report."""

    model_config = ConfigDict(frozen=True)

    full_run: bool
    reasons: list[str]


def decide(report: Report) -> Decision:
    """Full run when any step says anything but unchanged/cosmetic, or the baseline has a problem."""
    reasons = [
        f"{c.combo} {c.step}: {c.verdict.value}"
        for c in report.changes
        if c.verdict not in QUIET and c.verdict is not Verdict.SKIPPED
    ]
    reasons += [f"baseline problem: {p.path}: {p.message}" for p in report.problems]
    return Decision(full_run=bool(reasons), reasons=reasons)


def write(decision: Decision, out: Path) -> Path:
    from .store import write_atomic

    path = out / DECISION_FILE
    write_atomic(path, (json.dumps(decision.model_dump(), indent=2) + "\n").encode())
    return path
