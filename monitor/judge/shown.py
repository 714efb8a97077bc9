"""The words a person sees on a step's target: what the instructions quote, and what a change is
called by when its words did not change (a PR names "the “AI at Meta” link", never a step's key)."""

from __future__ import annotations

from monitor.guard.inert import clean, shorten
from monitor.model import Observation

# A target's role as a reader names the thing: anything else is "the … step".
NOUNS = {"link": "link", "button": "button", "tab": "tab", "menuitem": "menu item", "option": "option"}


def shown_label(obs: Observation | None, longest: int = 60) -> str | None:
    """The captured words that are on screen, or None when the target shows none (an icon button).
    Only words a person sees: the accessible name is quoted only where the visible words hold it
    (`Target.shown`; older observations have only `text`, which stands in)."""
    if obs is None or obs.target is None:
        return None
    seen = obs.target.text if obs.target.shown is None else obs.target.shown
    name, text = clean(obs.target.name), clean(seen)
    if not text:
        return None
    if name:
        at = text.casefold().find(name.casefold())
        if at >= 0:
            return text[at : at + len(name)]
    return text if len(text) <= longest else shorten(text, longest)


def words(obs: Observation | None) -> str | None:
    """The words a step's target is called by, as the instructions quote them: what shows on it
    (shown_label: a card link's name "AI at Meta", not the card's whole text), else, for an icon that
    shows none, its accessible name."""
    shown = shown_label(obs)
    if shown is not None:
        return shown
    if obs is None or obs.target is None:
        return None
    return clean(obs.target.name) or None


def noun(role: str | None) -> str:
    """`link` -> "link", `menuitem` -> "menu item"; "" for a role a reader has no word for."""
    return NOUNS.get((role or "").strip().lower(), "")
