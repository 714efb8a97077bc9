"""Text as a reader compares it: normalised, diffed by words, and scored for similarity.

diff-match-patch over words (each word, space run or sign stands for one character, the way
diff_linesToChars does for lines), then its semantic clean-up: what a person would call the
change, fast in pure Python. compare.py judges with it; what people read quotes it (word-level
diffs of the instructions).
"""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

from monitor.judge import normalize

_DMP = diff_match_patch()
_DMP.Diff_Timeout = 0.05  # seconds; sentences are at most 500 characters, this only bounds the worst case

_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_CODE_BASE = 0xF0000  # supplementary private use area: a code point per distinct word
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def norm(text: str) -> str:
    """Typographic quotes aside, text as a reader sees it (normalize.text): the raw stays in the evidence."""
    return normalize.text(text.translate(_QUOTES))


def numbers_only(old: str, new: str) -> bool:
    """A badge's count or a date inside a button is not its wording: digits aside, nothing changed."""

    def strip(text: str) -> str:
        return _DIGITS.sub("", norm(text)).strip(" +,.:/-").casefold()

    return (bool(_DIGITS.search(old)) or bool(_DIGITS.search(new))) and strip(old) == strip(new)


def word_diff(old: str, new: str, *, whole_words: bool = False) -> list[tuple[int, str]]:
    """diff-match-patch over words (each word, space run or sign stands for one character, the way
    diff_linesToChars does for lines), then diff_cleanupSemantic: readable, and fast in pure Python.
    With whole_words the cleanup runs on the words themselves, so that a change never begins or ends
    inside a word (“di Met[-a-]” for “Meta” → “generativa”): what a reviewer is shown."""
    vocabulary: dict[str, str] = {}
    words: list[str] = []

    def encode(text: str) -> str:
        out = []
        for token in _TOKEN.findall(text):
            code = vocabulary.get(token)
            if code is None:
                code = chr(_CODE_BASE + len(words))
                vocabulary[token] = code
                words.append(token)
            out.append(code)
        return "".join(out)

    diffs = _DMP.diff_main(encode(old), encode(new), False)
    if whole_words:
        _DMP.diff_cleanupSemantic(diffs)
    decoded = [(op, "".join(words[ord(ch) - _CODE_BASE] for ch in text)) for op, text in diffs]
    if not whole_words:
        _DMP.diff_cleanupSemantic(decoded)
    return [(int(op), str(text)) for op, text in decoded]


def similarity(old: str, new: str, by_words: bool = True) -> float:
    """1 - Levenshtein distance (in characters) of the diff / the longer text's length. Short labels are
    diffed by characters ("Center" → "Centre" stays close); sentences by words, which is fast."""
    if old == new:
        return 1.0
    if not old or not new:
        return 0.0
    if by_words or max(len(old), len(new)) > 120:
        diffs = word_diff(old, new)
    else:
        diffs = _DMP.diff_main(old, new, False)
        _DMP.diff_cleanupSemantic(diffs)
    distance = _DMP.diff_levenshtein(diffs)
    return 1.0 - float(distance) / max(len(old), len(new))
