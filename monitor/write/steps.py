"""Which steps a page tells, per viewport: as an accepted walk captured them, or as the journey file documents them.

A captured step carries the words shown on screen; without a walk in the baseline, the documented names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from monitor import store
from monitor.config import Config, Journey, Step
from monitor.judge.shown import shown_label, words
from monitor.model import Observation, Status
from monitor.write import journeywords, labels
from monitor.write.page import viewport_kind
from monitor.write.verified import DOCUMENTED, Provenance


@dataclass(frozen=True)
class Seen:
    """One step of one viewport as the page will tell it: captured (verified) or documented."""

    step: Step
    kind: str  # goto, consent, click, submit, form, observe, after
    label: str  # the words shown on screen as captured, or the first documented name
    role: str
    obs: Observation | None  # the accepted observation, when the walk was captured
    shown: bool = True  # False: the label is an accessible name nobody sees (an icon without words)
    looks: str | None = None  # what such an icon looks like: the journey file's words, else the catalog's


def _step_kind(journey_steps: Sequence[Step], index: int) -> str:
    step = journey_steps[index]
    before = journey_steps[:index]
    if any(s.submit for s in before):
        return "after"
    if step.goto is not None:
        return "goto"
    if step.consent is not None:
        return "consent"
    if step.submit:
        return "submit"
    if step.click is not None or step.fill is not None:
        return "click"
    if step.observe is not None and any(s.tracked for s in before):
        return "form"
    if step.observe is not None or (step.wait is not None and step.wait.target is not None):
        return "observe"
    return "skip"


def _documented_label(config: Config, journey: Journey, step: Step, locale: str) -> str:
    """The journey file's name in `locale`; else an unreviewed learned set's (quoted under the notice
    that says so); else the English one (labels.py says which)."""
    if step.goto is not None:
        host = urlsplit(step.goto).hostname or step.goto
        return host.removeprefix("www.")
    site = journey.site
    spec = (config.sites[site].consent if site in config.sites else None) if step.consent is not None else step.target
    if spec is None:
        return ""
    if not spec.name.get(locale):
        learned = labels.learned_name(config, journey, step, locale)
        if learned:
            return learned
    return spec.names(locale)[0]


def _documented_role(config: Config, site: str, step: Step) -> str:
    if step.consent is not None:
        consent = config.sites[site].consent if site in config.sites else None
        return consent.role if consent is not None else "button"
    return step.target.role if step.target is not None else ""


def walk_is_usable(observations: Sequence[Observation]) -> bool:
    """Every step was got past: a step the site no longer needs (its successor was already on the
    page) counts, so that a removed step does not send the page back to the guides' words."""
    return bool(observations) and all(o.reached for o in observations)


def removed(obs: Observation | None) -> bool:
    """The walk found this step no longer needed (its successor's target was already on the page)."""
    return obs is not None and obs.status is Status.MISSING and obs.superseded_by is not None


def _seen_steps(
    config: Config, journey: Journey, locale: str, viewport: str, walk: Sequence[Observation] | None
) -> list[Seen]:
    by_step = {o.step: o for o in walk} if walk else {}
    steps = journey.steps_for(viewport)
    out: list[Seen] = []
    for index, step in enumerate(steps):
        kind = _step_kind(steps, index)
        if kind == "skip":
            continue
        obs = by_step.get(step.id)
        if removed(obs):
            continue  # the site no longer asks for it: a page that told it would send people looking
        label = None if kind == "goto" else words(obs)
        role = obs.target.role if obs is not None and obs.target is not None and obs.target.role else None
        # documented icons (looks:, in any language) have names nobody sees; a captured target shows
        # words or it does not
        shown = shown_label(obs) is not None if label else not journeywords.is_icon(step)
        out.append(
            Seen(
                step=step,
                kind=kind,
                label=label or _documented_label(config, journey, step, locale),
                role=role or _documented_role(config, journey.site, step),
                obs=obs,
                shown=shown,
                looks=journeywords.looks(step, locale),
            )
        )
    return out


@dataclass
class ViewportSteps:
    """One viewport of a page: its steps, whether its walk is in the baseline, and the state it is in."""

    name: str
    kind: str
    seen: list[Seen]
    verified: bool  # the walk is in the baseline: its captured words and pictures are used
    state: str = DOCUMENTED
    day: date | None = None
    removed: frozenset[str] = frozenset()  # steps of the journey the accepted walk found no longer needed


def viewport_steps(
    config: Config,
    journey: Journey,
    locale: str,
    baseline: store.Tree | None,
    provenance: Provenance | None = None,
) -> list[ViewportSteps]:
    out: list[ViewportSteps] = []
    for name in config.viewports:
        if not journey.steps_for(name):
            continue
        walk = baseline.walk_of(journey.id, locale, name) if baseline is not None else []
        usable = walk_is_usable(walk)
        seen = _seen_steps(config, journey, locale, name, walk if usable else None)
        state, day = DOCUMENTED, None
        if usable:
            state, day = (provenance or Provenance()).state((journey.site, locale, name), baseline)
        gone = frozenset(o.step for o in walk if removed(o)) if usable else frozenset()
        out.append(ViewportSteps(name, viewport_kind(config, name), seen, usable, state, day, gone))
    return out
