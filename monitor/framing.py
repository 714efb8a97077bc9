"""Where a picture of a step is cut: one frame for before and after, at whole lines of text.

The frame is the union of the target's sentence (else the target) in every capture shown, in
page coordinates, so that before and after show the same part of the page even when the target
moved; it grows to the whole of every line of text it cuts (the lines each capture recorded
around its target), so that no word is cut at an edge. What is outlined is the target and the
words of its sentence that changed (the word diff mapped onto the recorded word boxes), never
the text that only reflowed below them. Geometry only: imaging.py cuts the pixels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from monitor.model import Box, Observation

#: Room around the sentence (CSS pixels) before the frame is made whole; and its least height.
CONTEXT = 24
MIN_HEIGHT = 160
#: The largest shared frame; a target that moved farther is framed on each side on its own.
FRAME_MAX = (1280, 1100)


def union(boxes: Iterable[Box | None]) -> Box | None:
    """The smallest box holding every box given, None when none is."""
    real = [b for b in boxes if b is not None]
    if not real:
        return None
    x0, y0 = min(b.x for b in real), min(b.y for b in real)
    x1, y1 = max(b.x + b.width for b in real), max(b.y + b.height for b in real)
    return Box(x=x0, y=y0, width=x1 - x0, height=y1 - y0)


def overlaps(a: Box, b: Box) -> bool:
    """They share some area (touching edges do not)."""
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def contains(outer: Box, inner: Box) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.x + inner.width <= outer.x + outer.width
        and inner.y + inner.height <= outer.y + outer.height
    )


def cut_lines(frame: Box, lines: Iterable[Box]) -> list[Box]:
    """The lines of text that the frame's edges cut (partly in, partly out)."""
    return [line for line in lines if overlaps(frame, line) and not contains(frame, line)]


def _edges(box: Box) -> tuple[int, int, int, int]:
    return box.x, box.y, box.x + box.width, box.y + box.height


def _box(x0: int, y0: int, x1: int, y1: int) -> Box:
    return Box(x=x0, y=y0, width=max(1, x1 - x0), height=max(1, y1 - y0))


def _exclude(frame: Box, line: Box, keep: Box) -> Box | None:
    """The frame with one edge moved inwards past line, the least area lost; None when every such
    move would cut into keep."""
    x0, y0, x1, y1 = _edges(frame)
    lx0, ly0, lx1, ly1 = _edges(line)
    kx0, ky0, kx1, ky1 = _edges(keep)
    options = []
    if lx0 < x0 < lx1 and lx1 <= kx0:
        options.append(_box(lx1, y0, x1, y1))
    if lx0 < x1 < lx1 and lx0 >= kx1:
        options.append(_box(x0, y0, lx0, y1))
    if ly0 < y0 < ly1 and ly1 <= ky0:
        options.append(_box(x0, ly1, x1, y1))
    if ly0 < y1 < ly1 and ly0 >= ky1:
        options.append(_box(x0, y0, x1, ly0))
    # a line a side edge cuts, wholly above or below what must stay (a page header beside the
    # frame): the top or bottom edge moves past it instead; and the same across
    if lx0 < x0 < lx1 or lx0 < x1 < lx1:
        if ly1 <= ky0 and ly1 > y0:
            options.append(_box(x0, ly1, x1, y1))
        if ly0 >= ky1 and ly0 < y1:
            options.append(_box(x0, y0, x1, ly0))
    if ly0 < y0 < ly1 or ly0 < y1 < ly1:
        if lx1 <= kx0 and lx1 > x0:
            options.append(_box(lx1, y0, x1, y1))
        if lx0 >= kx1 and lx0 < x1:
            options.append(_box(x0, y0, lx0, y1))
    return max(options, key=lambda b: b.width * b.height) if options else None


def whole_lines(frame: Box, lines: Sequence[Box], bounds: Box, keep: Box | None = None) -> Box:
    """frame grown to the whole of every line of text it cuts, staying inside bounds; a line it
    cannot take whole is left out instead (the edge moves back past it), never cutting into keep."""
    keep = keep or frame
    for _ in range(4 * len(lines) + 1):
        cut = cut_lines(frame, lines)
        if not cut:
            break
        changed = False
        for line in cut:
            if not overlaps(frame, line) or contains(frame, line):
                continue
            grown = union([frame, line])
            if grown is not None and contains(bounds, grown):
                frame, changed = grown, True
                continue
            smaller = _exclude(frame, line, keep)
            if smaller is not None:
                frame, changed = smaller, True
        if not changed:
            break
    return frame


def core(obs: Observation | None) -> Box | None:
    """What a picture of the step must show: the target's sentence, else the target."""
    if obs is None or obs.target is None:
        return None
    for box in (obs.target.sentence_box, obs.target.box):
        if box is not None and box.width > 0 and box.height > 0:
            return box
    return None


def lines_of(obs: Observation | None) -> list[Box]:
    return list(obs.images.lines) if obs is not None and obs.images is not None else []


def around(box: Box, bounds: Box) -> Box:
    """box with CONTEXT around it, at least MIN_HEIGHT tall, inside bounds."""
    pad_y = max(CONTEXT, (MIN_HEIGHT - box.height + 1) // 2)
    x0, y0, x1, y1 = _edges(box)
    bx0, by0, bx1, by1 = _edges(bounds)
    return _box(max(bx0, x0 - CONTEXT), max(by0, y0 - pad_y), min(bx1, x1 + CONTEXT), min(by1, y1 + pad_y))


@dataclass(frozen=True)
class Frames:
    """Where the before and the after pictures are cut (page coordinates: one box when `shared`)
    and what each outlines."""

    before: Box
    after: Box
    before_marks: tuple[Box, ...]
    after_marks: tuple[Box, ...]

    @property
    def shared(self) -> bool:
        return self.before == self.after


def frames(
    before: Observation | None, after: Observation | None, bounds: Box, ops: Sequence[tuple[int, str]] = ()
) -> Frames | None:
    """One frame for both captures: the union of their sentences, grown to whole lines of both;
    each side framed on its own (same size) when the target moved farther than FRAME_MAX. None
    when neither capture shows a target."""
    cores = [core(before), core(after)]
    keep = union(cores)
    if keep is None:
        return None
    lines = lines_of(before) + lines_of(after)
    old_marks, new_marks = marks(before, after, ops)
    if keep.width <= FRAME_MAX[0] and keep.height <= FRAME_MAX[1]:
        frame = around(keep, bounds)
        if not lines:  # captures recorded before the lines were: the screen's whole width cuts no line across
            frame = frame.model_copy(update={"x": bounds.x, "width": bounds.width})
        frame = whole_lines(frame, lines, bounds, keep)
        return Frames(frame, frame, old_marks, new_marks)
    one = [
        whole_lines(around(c, bounds), lines_of(o), bounds, c) if c else None
        for c, o in ((cores[0], before), (cores[1], after))
    ]
    width = max(b.width for b in one if b is not None)
    height = max(b.height for b in one if b is not None)
    sized = [Box(x=b.x, y=b.y, width=width, height=height) if b is not None else None for b in one]
    first, second = sized[0] or sized[1], sized[1] or sized[0]
    assert first is not None and second is not None
    return Frames(first, second, old_marks, new_marks)


_WORD = re.compile(r"\S+")


def changed_words(sentence: str, words: Sequence[Box], ops: Sequence[tuple[int, str]], side: int) -> list[Box]:
    """The boxes of the words of sentence that the word diff `ops` (old -> new) changed on `side`
    (-1: the old sentence, deleted words; 1: the new one, inserted words). Nothing when the boxes
    or the diff do not match the sentence."""
    spans = [m.span() for m in _WORD.finditer(sentence)]
    if len(spans) != len(words) or "".join(t for op, t in ops if op in (0, side)) != sentence:
        return []
    changed: list[tuple[int, int]] = []
    at = 0
    for op, text in ops:
        if op == side and text.strip():
            changed.append((at, at + len(text)))
        if op in (0, side):
            at += len(text)
    return [
        box
        for (start, end), box in zip(spans, words, strict=True)
        if box.width > 0 and any(start < b and a < end for a, b in changed)
    ]


def marks(
    before: Observation | None, after: Observation | None, ops: Sequence[tuple[int, str]]
) -> tuple[tuple[Box, ...], tuple[Box, ...]]:
    """What each side outlines: its target, with the words of its sentence that changed."""
    out: list[tuple[Box, ...]] = []
    for obs, side in ((before, -1), (after, 1)):
        target = obs.target if obs is not None else None
        if target is None:
            out.append(())
            continue
        words = changed_words(target.sentence, target.words, ops, side) if ops else []
        if target.box is not None and target.box.width > 0:
            words.append(target.box)
        out.append(tuple(by_line(words)))
    return out[0], out[1]


def by_line(boxes: Sequence[Box]) -> list[Box]:
    """Boxes on one line of text joined into one (an outline per line, not one around a paragraph)."""
    rows: list[Box] = []
    for box in sorted(boxes, key=lambda b: (b.y, b.x)):
        middle = box.y + box.height / 2
        at = next((i for i, r in enumerate(rows) if r.y <= middle <= r.y + r.height), None)
        if at is None:
            rows.append(box)
        else:
            rows[at] = union([rows[at], box]) or box
    return rows
