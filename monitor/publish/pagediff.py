"""The instruction pages' change as a reviewer reads it: changed sentences, changed words marked.

`git diff` of a page is a line diff, and a page's lines are long (a step with its sentence and
its place: ~200 characters) and come in pairs with their pictures' alt text. A reviewer wants the
words that changed. So, per page: the lines outside pictures (a line that is only an image is left
out: the pictures are listed once, beside the diff), cut into sentences, the changed sentences
paired (difflib), and each pair diffed by words (judge/textdiff.py: diff-match-patch). A pair is
shown as git's `--word-diff=plain` shows it, inside a ```diff block so GitHub colours it:

    @@ On a phone @@
    - 6. Tap the link “[-object-]” under the heading “How we use your information …”.
    + 6. Tap the link “{+Oppose+}” under the heading “How we use your information …”.

One sentence per line, long unchanged stretches cut to "…", the section a change is in as the hunk
header, and a sentence changed the same way in several sections (phone and computer) shown once,
under all their names. Pure functions of the two texts; bodies.py fences the lines.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from monitor.judge.textdiff import word_diff

DEL_OPEN, DEL_CLOSE = "[-", "-]"
ADD_OPEN, ADD_CLOSE = "{+", "+}"
LONG = 110  # a changed sentence longer than this (a code block scrolls beyond ~105 characters on GitHub)
CONTEXT = 50
CHANGE_LIMIT = 100  # a changed stretch longer than this (in a long sentence) is shown by its start

_IMAGE_LINE = re.compile(r"^\s*\[?!\[.*\]\([^()\s]*\)(?:\]\([^()\s]*\))?\s*$")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")
_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:\d{1,3}[.)]|[-*+])?\s*")
# a sentence ends at . ! ? or … (then maybe a closing quote or bracket), before a space and a capital,
# a digit or an opening quote
_END = re.compile(r"(?<=[.!?…])([\"”»’)\]*]*)\s+(?=[\"“„«‘(\[*]*\w)")


@dataclass(frozen=True)
class Hunk:
    """Changed sentences in one or more sections of a page: `-`/`+` lines, words marked."""

    sections: tuple[str, ...]
    lines: tuple[str, ...]

    def render(self) -> list[str]:
        head = [f"@@ {', '.join(self.sections)} @@"] if any(self.sections) else []
        return head + list(self.lines)


def is_image_line(line: str) -> bool:
    """A line that is only a picture (its alt text and path): listed apart, never diffed."""
    return bool(_IMAGE_LINE.match(line))


def sentences(line: str) -> list[str]:
    """A line of Markdown as sentences; a list marker or quote sign stays with the first one."""
    text = line.strip()
    if not text:
        return []
    prefix = _PREFIX.match(text)
    start = prefix.end() if prefix else 0
    out: list[str] = []
    at = start
    for m in _END.finditer(text, start):
        cut = m.start() + len(m.group(1))
        out.append(text[at:cut])
        at = m.end()
    out.append(text[at:])
    out = [s.strip() for s in out if s.strip()]
    if out and start:
        out[0] = text[:start].strip() + " " + out[0]
    return out


def _units(text: str) -> list[tuple[str, str]]:
    """(section, sentence) for every sentence of the page outside picture lines."""
    section = ""
    units: list[tuple[str, str]] = []
    for line in text.splitlines():
        if is_image_line(line):
            continue
        heading = _HEADING.match(line)
        if heading:
            section = heading.group(1).strip()
        units.extend((section, s) for s in sentences(line))
    return units


def page_hunks(old: str, new: str) -> list[Hunk]:
    """The sentences that changed between two versions of a page, grouped by section, repeats merged."""
    a, b = _units(old), _units(new)
    matcher = difflib.SequenceMatcher(None, [s for _, s in a], [s for _, s in b], autojunk=False)
    sections: dict[tuple[str, ...], list[str]] = {}  # a changed sentence's lines -> the sections it is in
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            before = olds[k] if k < len(olds) else None
            after = news[k] if k < len(news) else None
            section = (after or before or ("", ""))[0]
            lines = tuple(pair(before[1] if before else None, after[1] if after else None))
            places = sections.setdefault(lines, [])
            if section not in places:
                places.append(section)
    hunks: dict[tuple[str, ...], list[str]] = {}  # the same sections -> their changed sentences, in order
    for lines, places in sections.items():
        hunks.setdefault(tuple(places), []).extend(lines)
    return [Hunk(places, tuple(lines)) for places, lines in hunks.items()]


def pair(old: str | None, new: str | None) -> list[str]:
    """A changed sentence as `-`/`+` lines, the words that differ marked; a sentence only on one side
    is marked whole."""
    if old is None and new is not None:
        return [f"+ {ADD_OPEN}{new}{ADD_CLOSE}"]
    if new is None and old is not None:
        return [f"- {DEL_OPEN}{old}{DEL_CLOSE}"]
    assert old is not None and new is not None
    diffs = word_diff(old, new, whole_words=True)
    long = max(len(old), len(new)) > LONG  # both sides cut alike
    minus = _marked([(op, t) for op, t in diffs if op <= 0], DEL_OPEN, DEL_CLOSE, long)
    plus = _marked([(op, t) for op, t in diffs if op >= 0], ADD_OPEN, ADD_CLOSE, long)
    return [f"- {minus}", f"+ {plus}"]


def _marked(parts: Sequence[tuple[int, str]], opening: str, closing: str, long: bool) -> str:
    """The sentence with its changed words between marks; when long, unchanged stretches cut to "…"."""
    out: list[str] = []
    for i, (op, text) in enumerate(parts):
        if op != 0:
            lead = len(text) - len(text.lstrip())
            trail = len(text) - len(text.rstrip())
            core = text.strip()
            if long and len(core) > CHANGE_LIMIT:  # a whole menu's text, say: its start tells what it was
                head = core[:CHANGE_LIMIT]
                core = (head[: head.rfind(" ")] if " " in head else head) + f" … ({len(core)} characters)"
            out.append(text[:lead] + (f"{opening}{core}{closing}" if core else "") + text[len(text) - trail :])
        elif long:
            out.append(_cut(text, first=i == 0, last=i == len(parts) - 1))
        else:
            out.append(text)
    return "".join(out)


def _cut(text: str, first: bool, last: bool) -> str:
    """An unchanged stretch kept to CONTEXT characters beside each change, cut at a space."""
    if first and len(text) > CONTEXT:
        tail = text[-CONTEXT:]
        return "…" + tail[tail.find(" ") :] if " " in tail else "…" + tail
    if last and len(text) > CONTEXT:
        head = text[:CONTEXT]
        return (head[: head.rfind(" ")] if " " in head else head) + " …"
    if not first and not last and len(text) > 2 * CONTEXT:
        head, tail = text[:CONTEXT], text[-CONTEXT:]
        head = head[: head.rfind(" ")] if " " in head else head
        tail = tail[tail.find(" ") :] if " " in tail else tail
        return f"{head} …{tail}"
    return text
