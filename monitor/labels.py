"""Whether a journey's labels in a locale can be trusted: "verified", "unreviewed" or "missing".

verified: every step with a target names it in that locale, in the journey file or in a reviewed
learned set (monitor/labelset.py); unreviewed: a learned set exists for the locale but nobody has
accepted it; missing: neither. Instructions in an unverified state say "labels not yet checked".
"""

from __future__ import annotations

from typing import Literal

from .config import Config, Journey

LabelState = Literal["verified", "unreviewed", "missing"]


def label_state(config: Config, journey: Journey, locale: str) -> LabelState:
    targets = [s.target for s in journey.steps if s.target is not None]
    if all(locale in t.name for t in targets):
        return "verified"
    if config.label_sets.get(locale) is False:
        return "unreviewed"
    return "missing"
