"""What a step keeps of a page, at a cost that does not grow with the page (docs/decisions/0013).

A step keeps the first screen (what a person sees on arriving) and a viewport-sized clip around
its target (the report and the instructions outline the target in it); never the full height of a page, which on Meta's printable
policy is 130,000 px. Steps that see the same page state share one first-screen capture. The
ARIA snapshot is of the nearest section around the target, capped; whatever is capped says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Frame, Locator, Page

from monitor import imaging
from monitor.model import Box
from monitor.walk.locate import composed

#: ARIA snapshot of the target's section, in characters (a whole policy's is ~360,000).
ARIA_CAP = 16_000
#: The page outline (h1-h3) kept per step.
HEADINGS_CAP = 120
SECTION_ATTR = "data-om-section"

# The nearest sectioning element or landmark around the element (not the whole <main> of a policy).
SECTIONS = (
    "'section, article, aside, nav, form, dialog, [role=region], [role=dialog], [role=form], '"
    " + '[role=navigation], [role=complementary], [role=article], main, [role=main]'"
)
SECTION_JS = composed(f"""(el, attr) => {{
  const region = (up(el) && closestUp(up(el), {SECTIONS})) || up(el) || el;
  region.setAttribute(attr, '');
}}""")
# Whether a section encloses the element inside its own document (an iframe's content may have none).
HAS_SECTION_JS = composed(f"el => !!(up(el) && closestUp(up(el), {SECTIONS}))")
# Which of the iframes inside the marked section the element (an iframe) is, in document order.
FRAME_INDEX_JS = "(el, attr) => { const r = document.querySelector('[' + attr + ']'); return r ? [...r.querySelectorAll('iframe')].indexOf(el) : -1; }"
IFRAME_LINE = re.compile(r"^(?P<indent>\s*)- iframe\b")
STATE_JS = "() => [location.href, window.__omChanged || 0, document.documentElement.scrollHeight]"
# Scrolls so that page y is at the top of the viewport (as far as the page allows); the scroll it reached.
SCROLL_JS = "y => { window.scrollTo(window.scrollX, y); return [window.scrollX, window.scrollY]; }"
# A target inside a fixed or sticky box (a consent dialog) stays put when the page scrolls.
PINNED_JS = composed("""el => {
  for (let e = el; e && e !== document.body; e = up(e)) {
    const p = getComputedStyle(e).position;
    if (p === 'fixed' || p === 'sticky') return true;
  }
  return false;
}""")
#: Lines of text recorded around a target (a clip of a dense page holds ~100; ~100 bytes each in the JSON).
LINES_CAP = 200
# The lines of text inside a rectangle of the page (page coordinates, as scrolled now): each text
# node's line fragments, those of one block on one line joined. Boxes only, never the text.
LINES_JS = composed("""([x, y, w, h, cap]) => {
  const frags = [];
  const roots = [document.body, ...deepAll('*').filter(e => e.shadowRoot).map(e => e.shadowRoot)];
  const range = document.createRange();
  for (const root of roots) {
    if (!root) continue;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!/\\S/.test(n.nodeValue || '')) continue;
      const pe = n.parentElement;
      if (!pe) continue;
      const pr = pe.getBoundingClientRect();
      if (pr.right + scrollX < x || pr.left + scrollX > x + w || pr.bottom + scrollY < y || pr.top + scrollY > y + h) continue;
      if (getComputedStyle(pe).visibility === 'hidden') continue;
      let block = pe;
      while (block && block !== document.body && getComputedStyle(block).display.startsWith('inline')) block = up(block);
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (r.width < 1 || r.height < 1) continue;
        const f = {block, left: r.left + scrollX, top: r.top + scrollY, right: r.right + scrollX, bottom: r.bottom + scrollY};
        if (f.right < x || f.left > x + w || f.bottom < y || f.top > y + h) continue;
        const same = frags.find(g => g.block === block && Math.min(g.bottom, f.bottom) - Math.max(g.top, f.top)
          > Math.min(g.bottom - g.top, f.bottom - f.top) / 2);
        if (same) {
          same.left = Math.min(same.left, f.left); same.right = Math.max(same.right, f.right);
          same.top = Math.min(same.top, f.top); same.bottom = Math.max(same.bottom, f.bottom);
        } else if (frags.length < cap) frags.push(f);
      }
    }
  }
  return frags.map(f => ({x: Math.floor(f.left), y: Math.floor(f.top),
    width: Math.ceil(f.right) - Math.floor(f.left), height: Math.ceil(f.bottom) - Math.floor(f.top)}));
}""")
HEIGHT_JS = "() => Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)"


@dataclass
class Shot:
    """One first-screen capture, kept for the steps that see the same page state."""

    key: tuple[Any, ...]
    name: str
    sha256: str
    hashes: imaging.Hashes


@dataclass
class Shared:
    """The last first-screen capture of a walk."""

    last: Shot | None = None


@dataclass(frozen=True)
class Captured:
    page_name: str
    page_png: bytes | None  # None: the file of an earlier step holds it
    page_sha256: str
    page_hashes: imaging.Hashes
    target_png: bytes | None = None  # the viewport around the target
    target_hashes: imaging.Hashes | None = None  # of the tight crop around the target
    target_clip: Box | None = None  # where target_png sits on the page
    notes: tuple[str, ...] = ()
    lines: tuple[Box, ...] = ()  # the lines of text inside target_clip


def state_key(page: Page) -> tuple[Any, ...]:
    """What identifies a page state: the document, its last change, its height."""
    return (id(page), *page.evaluate(STATE_JS))


def around(box: Box, view_w: int, view_h: int, page_w: int, page_h: int) -> Box:
    """A viewport-sized rectangle centred on box, kept inside the page."""
    width = max(1, min(view_w, page_w))
    height = max(1, min(view_h, page_h))
    x = min(max(0, box.x + box.width // 2 - width // 2), max(0, page_w - width))
    y = min(max(0, box.y + box.height // 2 - height // 2), max(0, page_h - height))
    return Box(x=x, y=y, width=width, height=height)


def take(
    page: Page,
    step: str,
    shared: Shared,
    box: Box | None,
    shoot: Callable[[dict[str, float]], bytes],
    pad: int,
    target: Locator | None = None,
) -> Captured:
    """The first screen (shared when the state did not change) and the clip around box.

    `shoot(clip)` takes a masked screenshot of a rectangle of the viewport. Each rectangle is
    scrolled into the viewport first: a full-page screenshot clipped to it costs ~1.2 s on a
    130,000 px page (Chromium lays out the whole page), a viewport one ~0.1 s. The scroll
    position is put back afterwards. A target in a fixed box (box measured at the current scroll)
    is taken in the current viewport, where it is."""
    view = page.viewport_size or {"width": 1280, "height": 800}
    scroll = page.evaluate("() => [window.scrollX, window.scrollY]")
    pinned_at = int(scroll[1]) if target is not None and box is not None and target.evaluate(PINNED_JS) else None
    try:
        return _take(page, step, shared, box, shoot, pad, view, pinned_at)
    finally:
        page.evaluate("([x, y]) => window.scrollTo(x, y)", scroll)


def _take(
    page: Page,
    step: str,
    shared: Shared,
    box: Box | None,
    shoot: Callable[[dict[str, float]], bytes],
    pad: int,
    view: Any,
    pinned_at: int | None,
) -> Captured:
    height = int(page.evaluate(HEIGHT_JS))
    notes: list[str] = []
    if height > view["height"]:
        notes.append(f"page image: the first screen of a page {height} px tall")
    key = state_key(page)
    previous = shared.last
    if previous is not None and previous.key == key:
        page_name, page_png, page_sha, page_hashes = previous.name, None, previous.sha256, previous.hashes
    else:
        first = Box(x=0, y=0, width=view["width"], height=max(1, min(view["height"], height)))
        png = imaging.within_budget(shoot(_in_view(page, first)))
        page_name, page_png, page_sha, page_hashes = f"{step}.page.png", png, imaging.sha256(png), imaging.hashes(png)
        shared.last = Shot(state_key(page), page_name, page_sha, page_hashes)
    if box is None or box.width <= 0 or box.height <= 0:
        return Captured(page_name, page_png, page_sha, page_hashes, notes=tuple(notes))
    if pinned_at is not None:
        area = Box(x=0, y=pinned_at, width=view["width"], height=max(1, min(view["height"], height - pinned_at)))
    else:
        area = around(box, view["width"], view["height"], view["width"], height)
    clip_png = shoot(_in_view(page, area))
    lines = tuple(Box(**b) for b in page.evaluate(LINES_JS, [area.x, area.y, area.width, area.height, LINES_CAP]))
    if len(lines) >= LINES_CAP:
        notes.append(f"lines: kept the first {LINES_CAP} lines of text around the target")
    local = Box(x=box.x - area.x, y=box.y - area.y, width=box.width, height=box.height)
    crop_hashes = imaging.crop_hashes(clip_png, local, pad)
    return Captured(
        page_name,
        page_png,
        page_sha,
        page_hashes,
        imaging.within_budget(clip_png),
        crop_hashes,
        area,
        tuple(notes),
        lines,
    )


def _in_view(page: Page, box: Box) -> dict[str, float]:
    """Scroll box (page coordinates) into the viewport; its rectangle in viewport coordinates."""
    left, top = page.evaluate(SCROLL_JS, box.y)
    return {"x": box.x - left, "y": box.y - top, "width": box.width, "height": box.height}


def section_aria(page: Page | Frame, target: Locator) -> tuple[str, str | None]:
    """The ARIA snapshot of the nearest section around the target (page: the page or the iframe it
    is in), capped at ARIA_CAP characters; the note says what was cut."""
    target.evaluate(SECTION_JS, SECTION_ATTR)
    try:
        region = page.locator(f"[{SECTION_ATTR}]").first
        aria = region.aria_snapshot() if region.count() else target.aria_snapshot()
    finally:
        page.evaluate(
            composed(f"() => {{ deepAll('[{SECTION_ATTR}]').forEach(e => e.removeAttribute('{SECTION_ATTR}')); }}")
        )
    return cap_text(aria, ARIA_CAP, "aria")


def frame_aria(page: Page, frame: Frame, target: Locator) -> tuple[str, str | None]:
    """section_aria for a target inside a same-site iframe, as a person reads the page: the section
    around the target inside the frame when it has one, else the page's section around the iframe
    with the frame's content in place of its `- iframe` line (Playwright's snapshot of a section
    does not enter its frames)."""
    if target.evaluate(HAS_SECTION_JS):
        return section_aria(frame, target)
    inner = frame.locator("body").aria_snapshot()
    parent = frame.parent_frame
    scope: Page | Frame = page if parent is None or parent == page.main_frame else parent
    host = frame.frame_element()
    host.evaluate(SECTION_JS, SECTION_ATTR)
    try:
        region = scope.locator(f"[{SECTION_ATTR}]").first
        outer = region.aria_snapshot() if region.count() else ""
        index = int(host.evaluate(FRAME_INDEX_JS, SECTION_ATTR))
    finally:
        scope.evaluate(
            composed(f"() => {{ deepAll('[{SECTION_ATTR}]').forEach(e => e.removeAttribute('{SECTION_ATTR}')); }}")
        )
    return cap_text(splice_frame(outer, index, inner) if outer else inner, ARIA_CAP, "aria")


def splice_frame(outer: str, index: int, inner: str) -> str:
    """outer's index-th `- iframe` line replaced by inner, indented to its place (outer as it was
    when it has no such line)."""
    lines = outer.splitlines()
    seen = -1
    for i, line in enumerate(lines):
        match = IFRAME_LINE.match(line)
        if match is None:
            continue
        seen += 1
        if seen == max(index, 0):
            indent = match.group("indent")
            return "\n".join([*lines[:i], *(indent + x for x in inner.splitlines()), *lines[i + 1 :]])
    return outer


def cap_text(text: str, limit: int, what: str) -> tuple[str, str | None]:
    """text cut at the last whole line within limit characters, and a note when it was cut."""
    if len(text) <= limit:
        return text, None
    cut = text.rfind("\n", 0, limit)
    kept = text[: cut if cut > 0 else limit]
    return kept, f"{what}: kept the first {len(kept)} of {len(text)} characters"


def cap_lines(lines: list[str], limit: int, what: str) -> tuple[list[str], str | None]:
    if len(lines) <= limit:
        return lines, None
    return lines[:limit], f"{what}: kept the first {limit} of {len(lines)}"
