"""Translation catalogs: what the instructions and the site say in each language, as gettext .po files.

`monitor/locales/messages.pot` is the English source (msgids are the English wording, extracted by
`make translations` from the `_()`/`pgettext()`/`ngettext()` calls in Python and in the site
templates); `monitor/locales/<ll>/LC_MESSAGES/messages.po` holds one language, the layout Weblate,
Crowdin and `pybabel` understand. The .po files are read as they are on first use: no compiled .mo
file can go stale (docs/decisions/0015-translation-catalogs.md). Plural rules, dates and language
names come from Babel's CLDR data, never from a table of ours.

A translation is our Markdown (instructions) or text (site, escaped there), written by a person
outside the code: `problems()` refuses one that could do more than the English does (HTML, a link
or URL of its own, broken emphasis, a new block, other `{placeholders}`), and the loader drops such
a message, so that page says the English words instead.
"""

from __future__ import annotations

import gettext
import io
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES_DIR = Path(__file__).parent.parent / "locales"
DOMAIN = "messages"
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
SOURCE_LOCALE = "en"  # the msgids: messages.pot is the English catalog, there is no en/messages.po
# CLDR's "en" writes dates the US way ("March 1, 2026"); these pages are for people in the EU, so
# English dates follow CLDR's English for Europe ("1 March 2026").
CLDR_LOCALES = {"en": "en_150"}


def primary(locale: str) -> str:
    """The language of a locale code: "pt-BR" -> "pt"."""
    return locale.replace("_", "-").split("-")[0].lower()


def po_path(locale: str, root: Path = LOCALES_DIR) -> Path:
    return root / primary(locale) / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_locales(root: Path = LOCALES_DIR) -> list[str]:
    """The languages that have a catalog, plus the source language; sorted, English first."""
    found = {p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return [SOURCE_LOCALE, *sorted(found - {SOURCE_LOCALE})]


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale, domain=DOMAIN)


# --------------------------------------------------------------------------- what a translation may hold

_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_LINK_TARGET = re.compile(r"\]\(([^)]*)\)")
# Each of these may appear in a translation only as often as in the English: they are HTML, links,
# URLs, emphasis, code, tables or a new block, which only the English wording decides to use.
_COUNTED = ("<", ">", "[", "]", "**", "`", "|", "\n", "://", "www.", "mailto:", "@", "![")


def _texts(message: Message) -> tuple[list[str], list[str]]:
    ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
    strs = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]
    return [str(i) for i in ids], [str(s or "") for s in strs]


def translation_problem(source: str, translation: str) -> str | None:
    """Why a translation of `source` may not be used, or None: it must keep the same `{placeholders}`
    and the same link targets, and add no HTML, link, URL, emphasis, code, table or line break."""
    want, got = Counter(_PLACEHOLDER.findall(source)), Counter(_PLACEHOLDER.findall(translation))
    if want != got:
        missing = ", ".join("{" + k + "}" for k in sorted(want - got))
        extra = ", ".join("{" + k + "}" for k in sorted(got - want))
        return (
            "placeholders differ from the English:"
            + (f" missing {missing}" if missing else "")
            + (f" unknown {extra}" if extra else "")
        )
    if _LINK_TARGET.findall(source) != _LINK_TARGET.findall(translation):
        return "link targets differ from the English: keep each ](…) exactly as it is"
    for token in _COUNTED:
        if translation.count(token) != source.count(token):
            return f"holds {token!r} {translation.count(token)} time(s), the English {source.count(token)}"
    return None


@dataclass(frozen=True)
class Problem:
    locale: str
    path: Path
    line: int
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.locale}: msgid {self.msgid!r}: {self.what}"


def problems(locale: str, root: Path = LOCALES_DIR) -> list[Problem]:
    """Everything that keeps a shipped catalog from being complete and safe: a msgid of messages.pot
    that is missing, untranslated or fuzzy, and a translation that `translation_problem` refuses."""
    path = po_path(locale, root)
    if not path.is_file():
        return [Problem(locale, path, 0, "", "no catalog: copy messages.pot here and translate it")]
    pot = root / f"{DOMAIN}.pot"
    template = read_catalog(pot)
    catalog = read_catalog(path, primary(locale))
    out: list[Problem] = []
    for wanted in template:
        if not wanted.id:
            continue
        message = catalog.get(wanted.id, wanted.context)
        if message is None:  # named where it is: in the template
            missing = f"missing from {path.relative_to(root)}: run `make translations`"
            out.append(Problem(locale, pot, int(wanted.lineno or 0), _first(wanted), missing))
            continue
        line = int(message.lineno or 0)
        ids, strs = _texts(message)
        if "fuzzy" in message.flags:
            out.append(Problem(locale, path, line, ids[0], "fuzzy: check the translation, then remove the flag"))
        if not all(s.strip() for s in strs):
            out.append(Problem(locale, path, line, ids[0], "untranslated"))
            continue
        for index, text in enumerate(strs):
            source = ids[min(index, len(ids) - 1)]
            refused = translation_problem(source, text)
            if refused is not None:
                out.append(Problem(locale, path, line, ids[0], refused))
    return out


def _first(message: Message) -> str:
    return _texts(message)[0][0]


# --------------------------------------------------------------------------- using a catalog


@cache
def translations(locale: str, root: Path = LOCALES_DIR) -> gettext.NullTranslations:
    """A language's gettext translations from its .po (fuzzy and refused messages left out: those
    fall back to the English); the English msgids themselves for English or a language without one."""
    path = po_path(locale, root)
    if primary(locale) == SOURCE_LOCALE or not path.is_file():
        return gettext.NullTranslations()
    catalog = read_catalog(path, primary(locale))
    for message in list(catalog):
        if not message.id:
            continue
        ids, strs = _texts(message)
        if any(translation_problem(ids[min(i, len(ids) - 1)], s) for i, s in enumerate(strs) if s):
            catalog.delete(message.id, message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


# A catalog whose header comment holds this line is a machine translation nobody who speaks the
# language has reviewed yet: its pages say so (phrases.notice_review). A reviewer deletes the line
# and names themself in Last-Translator. A comment, because Babel drops unknown header fields.
REVIEW_PENDING = "# Review: machine translation, awaiting a native speaker's review"


@cache
def awaiting_review(locale: str, root: Path = LOCALES_DIR) -> bool:
    """Whether a language's catalog is marked as awaiting a native speaker's review (REVIEW_PENDING)."""
    path = po_path(locale, root)
    if primary(locale) == SOURCE_LOCALE or not path.is_file():
        return False
    return REVIEW_PENDING in read_catalog(path, primary(locale)).header_comment.splitlines()


def language_name(locale: str) -> str:
    """The language's own name from CLDR ("italiano"), capitalised as a menu item is ("Italiano")."""
    code = primary(locale)
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, LookupError):
        return locale
    return name[:1].upper() + name[1:]


def _cldr(locale: str) -> str:
    code = primary(locale)
    return CLDR_LOCALES.get(code, code)


def long_date(locale: str, day: date) -> str:
    """A day as the language writes it in a sentence: "1 March 2026", "1. März 2026"."""
    try:
        return format_date(day, "long", locale=_cldr(locale))
    except (ValueError, LookupError):
        return day.isoformat()


def short_date(locale: str, day: date) -> str:
    """A day as a badge writes it: "3 Dec 2026", "3 déc. 2026", "3. Dez. 2026"."""
    try:
        return format_skeleton("yMMMd", day, locale=_cldr(locale))
    except (ValueError, LookupError):
        return day.isoformat()


def month_year(locale: str, day: date) -> str:
    """A month as the language writes it: "May 2025", "mai 2025", "mayo de 2025"."""
    try:
        return format_skeleton("yMMMM", day, locale=_cldr(locale))
    except (ValueError, LookupError):
        return f"{day.year}-{day.month:02d}"


# --------------------------------------------------------------------------- checking from the command line


def check(locales: Iterable[str] | None = None, root: Path = LOCALES_DIR) -> list[Problem]:
    chosen = list(locales) if locales is not None else [loc for loc in catalog_locales(root) if loc != SOURCE_LOCALE]
    return [p for loc in chosen for p in problems(loc, root)]


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m monitor.write.catalogs [LOCALE...]`: list what keeps the catalogs from shipping; exit 1 if anything."""
    args = list(sys.argv[1:] if argv is None else argv)
    found = check(args or None)
    for problem in found:
        print(problem, file=sys.stderr)
    total = len([m for m in read_catalog(TEMPLATE) if m.id])
    for locale in args or [loc for loc in catalog_locales() if loc != SOURCE_LOCALE]:
        bad = len({p.msgid for p in found if p.locale == locale})
        print(f"{locale}: {total - bad} of {total} messages translated and usable")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
