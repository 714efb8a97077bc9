"""The journey file's own words for a page, in the page's language: where to look (`hint:`) and what
an icon without words looks like (`looks:`).

A locale the journey file writes them for uses its words; any other shipped language uses the
catalog's translation of the English one (the English is the msgid: `make translations` extracts it
from monitor.yaml with `extract` below, so a translator sees it beside the code's sentences). A
language whose catalog has no translation gets none: a place in another language, or an icon's
accessible name, would be words the reader does not see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from ruamel.yaml import YAML

from monitor.config import Step
from monitor.guard.inert import clean
from monitor.judge import groups
from monitor.model import Observation
from monitor.write import catalogs

SOURCE = catalogs.SOURCE_LOCALE
WORD_KEYS = ("hint", "looks")


def _own_words(words: dict[str, str] | None, locale: str) -> str | None:
    """The journey file's words for `locale`, else the catalog's translation of its English ones."""
    if not words:
        return None
    code = catalogs.primary(locale)
    written = words.get(locale) or words.get(code)
    if written:
        return written
    english = words.get(SOURCE)
    if not english or code == SOURCE:
        return None
    translated = catalogs.translations(code).gettext(english)
    return translated if translated != english else None


def hint(step: Step, locale: str) -> str | None:
    """Where a person finds the step's target, documented ("in the menu that opens"), in `locale`."""
    return _own_words(step.hint, locale)


# a quotation in any shipped language's marks: “…”, „…“, « … », ‘…’ (an apostrophe inside a word is no mark)
_QUOTATION = re.compile(r"“([^“”]+)”|„([^„“”]+)[“”]|«\s*([^«»]+?)\s*»|‘([^‘’]+)’(?!\w)|\"([^\"]+)\"")
_APOSTROPHES = "'’ʼ‘"


def normal(text: str) -> str:
    """Words as compared: inert, apostrophes alike, spaces collapsed, case folded."""
    out = clean(text)
    for mark in _APOSTROPHES:
        out = out.replace(mark, "'")
    return " ".join(out.split()).casefold()


def quotations(text: str) -> set[str]:
    """Every quoted string of a text, normalised."""
    return {normal(next(g for g in m.groups() if g is not None)) for m in _QUOTATION.finditer(text)}


def place_words(obs: Observation | None) -> set[str]:
    """The headings and landmarks around a walked target (`h2 "More info and support"`) and the
    page's headings (`h2 More info and support`), as the words a reader sees."""
    if obs is None:
        return set()
    context = obs.target.context if obs.target is not None else []
    words = [groups.place_words(p) for p in context] + [re.sub(r"^h[1-6] ", "", h) for h in obs.headings]
    return {normal(w) for w in words}


def hint_holds(documented: str, obs: Observation | None) -> bool:
    """A documented place still true of a walk: it quotes no name (“in the menu that opens”), or the
    walk shows one of the names it quotes (“under „More info and support“”) above the target."""
    quoted = quotations(documented)
    return not quoted or obs is None or bool(quoted & place_words(obs))


def looks(step: Step, locale: str) -> str | None:
    """What the step's icon looks like ("your profile picture"), in `locale`; None when the step's
    target shows words (no `looks:`), or when no words for it exist in that language."""
    return _own_words(step.looks, locale)


def is_icon(step: Step) -> bool:
    """Whether the journey file documents the step's target as an icon that shows no words."""
    return bool(step.looks)


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel's extractor for a journey file (babel.cfg): the English `hint:` and `looks:` of every step."""
    data = YAML(typ="safe", pure=True).load(fileobj.read().decode("utf-8")) or {}
    seen: set[str] = set()
    for journey in data.get("journeys") or []:
        for step in (journey or {}).get("steps") or []:
            for key in WORD_KEYS:
                english = ((step or {}).get(key) or {}).get(SOURCE)
                if isinstance(english, str) and english and english not in seen:
                    seen.add(english)
                    note = "where to look" if key == "hint" else "what an icon without words looks like"
                    yield 0, None, english, [f"TRANSLATORS: from the journey file, {note}."]
