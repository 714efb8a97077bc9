"""Are a locale's on-screen words known for a journey? The one place that decides it.

A language can have its catalog (the sentences around the words) before anyone has recorded what
Meta's buttons and links say in it. Its page then must not quote the English words as if they were
that language's: it says the words are not yet checked (phrases.notice_labels). Three states:

- "verified": every step that names a target (click, fill, observe, wait) and the site's cookie
  dialog, when the journey passes one, have names for the locale in the journey file, as
  maintainers wrote or accepted them;
- "unreviewed": the words were learned from a walk (`check --learn-labels LOCALE`) and no
  maintainer has accepted them yet;
- "missing": some are not known at all; the page falls back to the English words and says so.
"""

from __future__ import annotations

from typing import Literal

from .config import Config, Journey

LabelState = Literal["verified", "unreviewed", "missing"]
VERIFIED: LabelState = "verified"
UNREVIEWED: LabelState = "unreviewed"
MISSING: LabelState = "missing"


def label_state(config: Config, journey: Journey, locale: str) -> LabelState:
    """Whether the journey file names every target of `journey` in `locale` (see the module's doc)."""
    for step in journey.steps:
        target = step.target
        if target is not None and not target.name.get(locale):
            return MISSING
        if step.consent is not None:
            consent = config.sites[journey.site].consent if journey.site in config.sites else None
            if consent is not None and not consent.name.get(locale):
                return MISSING
    return VERIFIED
