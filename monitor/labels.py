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
"""

from __future__ import annotations

from typing import Literal

from .config import Config, Journey

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
