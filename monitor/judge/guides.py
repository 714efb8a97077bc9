"""A first walk against the documented path: step by step, the guides' words beside what the site showed.

The journey file (monitor.yaml) holds the path as the 2025 guides describe it: each step's target
and the words the guides quote for it, per language. A first walk has no baseline to compare with,
so it is compared with that: the same words, different words (both kept), a step the guides do not
have (the walk needed an extra click), or a step the site no longer has (its target was not needed:
the next one was already on the page). Where they differ, the instructions follow the walk.
Pure: observations and the config in, records out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from monitor.config import Config, Journey, Step
from monitor.judge import normalize
from monitor.model import Observation

Outcome = Literal["same", "different", "extra", "gone", "unread"]

# Words for the outcomes, worded for a maintainer reading a pull request.
OUTCOME_WORDS: dict[str, str] = {
    "same": "same words",
    "different": "different words",
    "extra": "a step the guides do not have",
    "gone": "a step the site no longer has",
    "unread": "not compared",
}


@dataclass(frozen=True)
class Difference:
    """One way the walk departs from the guides, with the walks (locale, viewport) that show it."""

    kind: Outcome
    journey: str
    step: str
    guides: str  # the documented words ("" when the guides have no such step)
    walk: str  # what the walk saw ("" when the site no longer has the step)
    walks: tuple[tuple[str, str], ...]  # (locale, viewport), sorted

    @property
    def locales(self) -> list[str]:
        return list(dict.fromkeys(loc for loc, _ in self.walks))

    @property
    def viewports(self) -> list[str]:
        return list(dict.fromkeys(vp for _, vp in self.walks))


@dataclass
class StepRow:
    """A documented step across every walk that took it: what the guides say, how often the walk agreed."""

    journey: str
    step: str
    action: str
    locale: str  # of the walk whose words the row shows: English when walked
    guides: str  # in that locale
    walk: str  # what the first walk saw there
    counts: dict[str, int] = field(default_factory=dict)  # outcome -> walks

    @property
    def walks(self) -> int:
        return sum(self.counts.values())

    @property
    def outcome(self) -> Outcome:
        kinds: tuple[Outcome, ...] = ("gone", "different", "extra", "unread")
        for kind in kinds:
            if self.counts.get(kind):
                return kind
        return "same"

    @property
    def verdict(self) -> str:
        """ "same words in all 12 walks", "different words in 2 of 12 walks"."""
        n = self.walks
        if self.outcome == "same":
            return "same in the walk" if n == 1 else f"same in every walk ({n})"
        parts = [
            f"{OUTCOME_WORDS[k]} in {c} of {n} walk{'s' if n != 1 else ''}"
            for k, c in self.counts.items()
            if k != "same" and c
        ]
        return "; ".join(parts)


@dataclass(frozen=True)
class Comparison:
    """The whole first walk of a platform against its guides."""

    rows: list[StepRow]
    differences: list[Difference]
    walks: list[tuple[str, str, str]]  # (journey, locale, viewport) compared

    @property
    def agrees(self) -> bool:
        return not self.differences


def documented(step: Step, locale: str) -> str:
    """The guides' words for a step in a locale: the first name the journey file quotes, or the action."""
    target = step.target
    if target is not None:
        return target.names(locale)[0]
    if step.goto is not None:
        return f"open {step.goto}"
    if step.consent is not None:
        return "the cookie dialog, if one shows"
    return step.action


def compare(config: Config, observations: Iterable[Observation]) -> Comparison:
    """Each walk's observations against the journey's documented steps (the steps of its viewport)."""
    walks: dict[tuple[str, str, str], dict[str, Observation]] = {}
    for obs in observations:
        walks.setdefault((obs.journey, obs.locale, obs.viewport), {})[obs.step] = obs
    journeys = {j.id: j for j in config.journeys}
    rows: dict[tuple[str, str], StepRow] = {}
    found: dict[tuple[str, str, str, str, str], list[tuple[str, str]]] = {}
    # English first (the row shows the first walk's words), then the others in order
    for (journey_id, locale, viewport), seen in sorted(
        walks.items(), key=lambda kv: (kv[0][0], kv[0][1] != "en", kv[0])
    ):
        journey = journeys.get(journey_id)
        documented_ids = _documented_steps(journey, viewport)
        for step in documented_ids:
            taken = seen.get(step.id)
            if taken is None:
                continue  # not walked (the walk stopped earlier): a problem for the issue, not for this table
            kind, guides, walk = _judge(step, taken, locale)
            row = rows.get((journey_id, step.id))
            if row is None:
                row = rows[(journey_id, step.id)] = StepRow(journey_id, step.id, step.action, locale, guides, walk)
            counted: Outcome = "extra" if kind == "same" and taken.hop is not None else kind
            row.counts[counted] = row.counts.get(counted, 0) + 1
            if kind == "different" or kind == "gone":
                found.setdefault((kind, journey_id, step.id, guides, walk), []).append((locale, viewport))
            if taken.hop is not None:
                extra = f"{taken.hop.role} “{normalize.text(taken.hop.name)}”"
                found.setdefault(("extra", journey_id, step.id, "", extra), []).append((locale, viewport))
        for step_id, obs in seen.items():  # observed, but no documented step of that name
            if step_id not in {s.id for s in documented_ids}:
                words = _seen_words(obs)
                found.setdefault(("extra", journey_id, step_id, "", words), []).append((locale, viewport))
    order = {(j.id, s.id): (ji, si) for ji, j in enumerate(config.journeys) for si, s in enumerate(j.steps)}
    differences = [
        Difference(kind, journey, step, guides, walk, tuple(sorted(where)))  # type: ignore[arg-type]
        for (kind, journey, step, guides, walk), where in found.items()
    ]
    differences.sort(key=lambda d: (order.get((d.journey, d.step), (999, 999)), d.kind, d.walks))
    ordered = sorted(rows.values(), key=lambda r: order.get((r.journey, r.step), (999, 999)))
    return Comparison(ordered, differences, sorted(walks))


def _documented_steps(journey: Journey | None, viewport: str) -> list[Step]:
    if journey is None:
        return []
    return [s for s in journey.steps if s.viewports is None or viewport in s.viewports]


def _judge(step: Step, obs: Observation, locale: str) -> tuple[Outcome, str, str]:
    guides = documented(step, locale)
    if obs.superseded_by is not None:
        return "gone", guides, ""
    target = step.target
    if target is None or obs.target is None:
        if obs.status.value != "ok":
            return "unread", guides, obs.status.value
        return "same", guides, {"goto": "opened", "consent": "handled"}.get(step.action, "done")
    seen = normalize.text(obs.target.name or obs.target.text)
    wanted = {normalize.text(n).casefold() for n in target.names(locale)}
    if obs.found_by != "search" and (seen.casefold() in wanted or obs.target.matched):
        return "same", guides, seen
    return "different", guides, seen


def _seen_words(obs: Observation) -> str:
    if obs.target is not None:
        return f"{obs.target.role} “{normalize.text(obs.target.name or obs.target.text)}”"
    return obs.action
