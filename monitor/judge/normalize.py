"""Text as a reader sees it, for comparing: invisible characters are not rewording.

A soft hyphen inside "object", a zero-width space, a no-break space or full-width letters render
(almost) the same word. Compared texts are normalised here; the raw text stays in the observation
and in the evidence, so a reviewer can see what the page really said.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that render as nothing: soft hyphen, zero-width space/non-joiner/joiner, word joiner,
# invisible operators, BOM / zero-width no-break space, left-to-right and right-to-left marks and
# embeddings, the Mongolian vowel separator.
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_SPACES = re.compile(r"\s+")  # Python's \s covers NBSP, the en/em/thin spaces, line and paragraph separators


def text(raw: str) -> str:
    """NFKC (full-width letters, ligatures, NBSP become plain), invisible characters dropped,
    every run of any kind of whitespace one space, trimmed. Case is kept: callers decide."""
    folded = unicodedata.normalize("NFKC", raw)
    return _SPACES.sub(" ", _INVISIBLE.sub("", folded)).strip()


def visible(raw: str) -> str:
    """normalize.text without touching line structure (for ARIA snapshots): NFKC, invisibles dropped."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", raw))


def invisible_only(old: str, new: str) -> bool:
    """The two differ, but only by characters a reader cannot see (or their Unicode form)."""
    return old != new and text(old) == text(new)


# For a regular expression over raw text: any number of invisible characters between two letters.
BETWEEN = f"[{INVISIBLE}]*"
