"""Observations too doubtful to become a baseline without a person saying so.

A target with no role or no accessible name is not something instructions can name (it was read
off a page still hidden behind a dialog, say); one found only by similarity search with a low score
may be another element altogether. `accept` keeps the old baseline of such a walk unless a person
passes --accept-doubtful.
"""

from __future__ import annotations

import re

from monitor.model import Observation

# A target found by search below this score is doubtful (locate.search scores 0..1).
SEARCH_SCORE_OK = 0.85
_SCORE = re.compile(r"found again by search \(score (?P<score>[0-9.]+)\)")


def doubts(obs: Observation) -> list[str]:
    """Why this observation should not be accepted unasked; empty when it is sound."""
    found: list[str] = []
    target = obs.target
    if target is not None and (not target.role.strip() or not target.name.strip()):
        missing = " and ".join(w for w, v in (("role", target.role), ("accessible name", target.name)) if not v.strip())
        found.append(f"step {obs.step!r}: the target has no {missing}")
    if obs.found_by == "search":
        match = _SCORE.search(obs.error or "")
        score = float(match.group("score")) if match else 0.0
        if score < SEARCH_SCORE_OK:
            found.append(f"step {obs.step!r}: found only by search, score {score:.2f} (below {SEARCH_SCORE_OK})")
    return found
