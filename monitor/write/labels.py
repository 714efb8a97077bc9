"""Are a locale's on-screen words known for a journey? The one place that decides it.

A language can have its catalog (the sentences around the words) before anyone has recorded what
Meta's buttons and links say in it. Its page then must not quote the English words as if they were
that language's: it says so (phrases.notice_labels, instructions.labels_notice). Three states:

- "verified": every step that names a target (click, fill, observe, wait) and the site's cookie
  dialog, when the journey passes one, have names for the locale: in the journey file, or in a
  learned set a maintainer reviewed (monitor/labelset.py merges those in);
- "unreviewed": a learned set exists for the locale (`check --learn-labels LOCALE`) but nobody has
  accepted it yet: "learned from the page, not yet checked by a person";
- "missing": neither; the page falls back to the English words and says so.

An unreviewed set is never walked with, but its page quotes its words (`learned_name`), under the
notice that says they were learned and not yet checked: the page then shows what the monitor read.
"""

from __future__ import annotations

from typing import Literal

from monitor.config import Config, Journey, Step

LabelState = Literal["verified", "unreviewed", "missing"]
VERIFIED: LabelState = "verified"
UNREVIEWED: LabelState = "unreviewed"
MISSING: LabelState = "missing"


def label_state(config: Config, journey: Journey, locale: str) -> LabelState:
    """Whether every target of `journey` is named in `locale` (see the module's doc)."""
    if _all_named(config, journey, locale):
        return VERIFIED
    if config.label_sets.get(locale) is False:
        return UNREVIEWED
    return MISSING


def _all_named(config: Config, journey: Journey, locale: str) -> bool:
    for step in journey.steps:
        target = step.target
        if target is not None and not target.name.get(locale):
            return False
        if step.consent is not None:
            consent = config.sites[journey.site].consent if journey.site in config.sites else None
            if consent is not None and not consent.name.get(locale):
                return False
    return True


def learned_name(config: Config, journey: Journey, step: Step, locale: str) -> str | None:
    """The name an UNREVIEWED learned set gives a step's target (or the site's cookie button), for a
    page to quote as learned; None when there is no such set or it did not learn that step. A reviewed
    set needs no lookup: loading the journey file merged it (monitor/labelset.py)."""
    learned = config.learned.get(locale)
    if learned is None or learned.reviewed:
        return None
    if step.consent is not None:
        found = learned.sites.get(journey.site, {}).get("consent")
    else:
        found = learned.journeys.get(journey.id, {}).get(step.id)
    return found.names[0] if found is not None else None
