"""What a step reads off a page: the target's description, the outline, and masked screenshots.

The walk (journey.py) decides where to go; this reads what is there, as one person would see it,
with the account's identity learnt from the page and painted over before any picture is taken
(monitor/guard/privacy.py, monitor/guard/redact.py).
"""

from __future__ import annotations

import contextlib
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from monitor import imaging
from monitor.config import Config, Journey, TargetSpec
from monitor.guard import privacy
from monitor.guard.redact import Identity
from monitor.model import Box, Images, Observation, Status, Target
from monitor.walk import capture, locate, settle

MASK_ATTR = "data-om-mask"
TARGET_PAD = 48
MASK_COLOUR = "#6b6f76"

# Marks every element that shows an e-mail address or one of the identity tokens (folded:
# lower case, accents off; monitor/guard/redact.py), in a field or in text, as a word of its own
# anywhere in it, and every badge that is only a small number.
MARK_PERSONAL_JS = """([attr, tokens]) => {
  const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}/;
  const fold = s => (s || '').normalize('NFKD').replace(/\\p{M}/gu, '').toLowerCase();
  const wordChar = /[\\p{L}\\p{N}]/u;
  const hasToken = s => {
    const f = fold(s);
    return tokens.some(t => {
      for (let i = f.indexOf(t); i >= 0; i = f.indexOf(t, i + 1)) {
        const before = i > 0 ? f[i - 1] : ' ', after = f[i + t.length] || ' ';
        if (!wordChar.test(before) && !wordChar.test(after)) return true;
      }
      return false;
    });
  };
  const personal = s => email.test(s) || hasToken(s);
  // a region already painted whole (privacy.py) needs no box of its own on top of it
  const mark = el => { if (!el.closest('[data-om-private]')) el.setAttribute(attr, ''); };
  for (const el of document.querySelectorAll('input, textarea')) {
    if (personal(el.value || '') || el.type === 'email' || el.type === 'tel') mark(el);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el) continue;
    // personal data; and counters (a badge that is only a small number changes on every load)
    if (personal(node.nodeValue || '') || /^\\s*\\d{1,3}\\+?\\s*$/.test(el.textContent || '')) mark(el);
  }
}"""

# The account's own e-mail address, as pre-filled in the page's fields: learnt by the walk.
FIELD_EMAILS_JS = """() => [...document.querySelectorAll('input, textarea')].map(e => e.value || '')
  .filter(v => /^[^\\s@]+@[^\\s@]+\\.[A-Za-z]{2,}$/.test(v.trim()))"""

# The boxes of the words of `said` (whitespace-collapsed text of `root`, as the sentence was read),
# found in root's text nodes; and their union. None of them when the sentence is not found there
# (text-transform, a <br> between words) or the block is huge: the picture then frames the target.
SENTENCE_BOXES_JS = """
  const sentenceBoxes = (root, said) => {
    const at = [];
    let flat = '', space = true;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n && flat.length < 20000; n = walker.nextNode()) {
      const pe = n.parentElement;
      if (pe && (!pe.getClientRects().length || getComputedStyle(pe).visibility === 'hidden')) continue;
      const v = n.nodeValue || '';
      for (let i = 0; i < v.length; i++) {
        if (/\\s/.test(v[i])) { if (!space) { flat += ' '; at.push([n, i]); space = true; } }
        else { flat += v[i]; at.push([n, i]); space = false; }
      }
    }
    const start = said ? flat.toLowerCase().indexOf(said.toLowerCase()) : -1;
    const r0 = root.getBoundingClientRect();
    const page = r => ({x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY),
                        width: Math.round(r.width), height: Math.round(r.height)});
    const block = r0.width && r0.height && r0.height < 2 * innerHeight ? page(r0) : null;
    if (start < 0) return {sentence_box: block, words: []};
    const words = [];
    const range = document.createRange();
    for (const m of said.matchAll(/\\S+/g)) {
      const a = at[start + m.index], b = at[start + m.index + m[0].length - 1];
      range.setStart(a[0], a[1]);
      range.setEnd(b[0], b[1] + 1);
      words.push(page(range.getBoundingClientRect()));
    }
    const seen = words.filter(w => w.width > 0 && w.height > 0);
    if (!seen.length) return {sentence_box: block, words: []};
    const x = Math.min(...seen.map(w => w.x)), y = Math.min(...seen.map(w => w.y));
    const right = Math.max(...seen.map(w => w.x + w.width)), bottom = Math.max(...seen.map(w => w.y + w.height));
    return {sentence_box: {x, y, width: right - x, height: bottom - y}, words};
  };
"""

# What a reader sees around the element: its text, box on the page, landmarks and headings
# above it, its sentence (its section's ARIA snapshot is capture.section_aria's).
DESCRIBE_JS = locate.composed(
    """el => {
  const clean = s => (s || '').replace(/\\s+/g, ' ').trim();
  // On screen: not hidden, not transparent, and bigger than a visually hidden 1 px box.
  const rendered = p => (!p.checkVisibility || p.checkVisibility({opacityProperty: true, visibilityProperty: true}))
    && [...p.getClientRects()].some(q => q.width > 2 && q.height > 2);
  const r = el.getBoundingClientRect();
  const box = {x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY),
               width: Math.round(r.width), height: Math.round(r.height)};
  const landmarkRoles = {main: 'main', nav: 'navigation', aside: 'complementary', header: 'banner',
                         footer: 'contentinfo', form: 'form', section: 'region', article: 'article',
                         dialog: 'dialog'};
  const context = [];
  for (let a = up(el); a && a !== document.body; a = up(a)) {
    const role = a.getAttribute('role') || landmarkRoles[a.tagName.toLowerCase()];
    const label = a.getAttribute('aria-label') ||
      (a.getAttribute('aria-labelledby') ? clean((byId(a, a.getAttribute('aria-labelledby')) || {}).textContent) : '');
    const landmark = ['main','navigation','complementary','banner','contentinfo','form','region','article',
                      'dialog','menu','search','alertdialog'].includes(role);
    if (landmark && (role !== 'region' || label)) {
      context.unshift(label ? `${role} "${label}"` : role);
    }
  }
  const headings = [];
  const order = deepAll('*');  // document order, the contents of open shadow roots in their host's place
  const at = order.indexOf(el);
  const above = new Set();
  for (let a = up(el); a; a = up(a)) above.add(a);
  // the headings before it in that order (one pass: an index lookup per heading was quadratic on long pages)
  const all = order.slice(0, Math.max(at, 0)).filter(e => e.matches('h1,h2,h3,h4,h5,h6,[role="heading"]'));
  for (const h of all) {
    if (h === el || above.has(h)) continue;
    const cs = getComputedStyle(h);
    if (cs.display === 'none' || cs.visibility === 'hidden' || !rendered(h)) continue;  // a visually hidden heading is unseen
    const level = parseInt(h.getAttribute('aria-level') || (h.tagName.match(/^H(\\d)$/) || [0, 2])[1], 10);
    while (headings.length && headings[headings.length - 1].level >= level) headings.pop();
    headings.push({level, text: clean(h.textContent)});
  }
  for (const h of headings) context.push(`h${h.level} "${h.text}"`);
  // its words as the page holds them; an icon's SVG <title>/<desc> is no word of it (a badge's count
  // next to an icon must read as a change of "" -> "4", as before icons carried a title)
  const bare = n => n.nodeType === 3 ? n.nodeValue : n.nodeType === 1 && ['TITLE', 'DESC', 'SCRIPT', 'STYLE']
    .includes(n.nodeName.toUpperCase()) ? '' : [...n.childNodes].map(bare).join('');
  const text = clean(el.innerText || bare(el));
  // The words a person sees on it: rendered text only, never an SVG <title>, a visually hidden
  // span (1 px, clipped) or a transparent one; '' for an icon that shows none (its name is unseen).
  const parts = [];
  const visit = node => {
    if (node.nodeType === 3) { if (node.parentElement && rendered(node.parentElement)) parts.push(node.nodeValue); return; }
    if (node.nodeType === 1 && ['SCRIPT', 'STYLE', 'TEMPLATE', 'TITLE', 'DESC'].includes(node.nodeName.toUpperCase())) return;
    if (node.nodeType === 1 && node.shadowRoot) visit(node.shadowRoot);
    for (const c of node.childNodes) visit(c);
  };
  const field = el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes((el.type || '').toLowerCase());
  if (field) parts.push(el.value || ''); else visit(el);
  const shown = clean(parts.join(' '));
  let block = up(el);
  while (block && block !== document.body && getComputedStyle(block).display.startsWith('inline')) block = up(block);
  const blockText = clean(block ? block.innerText : text);  // rendered text: no SVG <title> of an icon
  const sentences = blockText.split(/(?<=[.!?…])\\s+/);
  const sentence = sentences.find(s => text && s.includes(text)) || blockText.slice(0, 300);
  const a = closestUp(el, 'a[href]');
  const href = a ? a.href : (el.getAttribute('href') ? new URL(el.getAttribute('href'), location.href).href : null);
  const said = sentence.slice(0, 500);
  return {box, context, text, shown, sentence: said, href, ...sentenceBoxes(block || el, said)};
}""".replace("const clean", SENTENCE_BOXES_JS + "\n  const clean", 1)
)

OUTLINE_JS = locate.composed("""() => {
  const out = [];
  for (const h of deepAll('h1,h2,h3,[role="heading"]')) {
    const level = parseInt(h.getAttribute('aria-level') || (h.tagName.match(/^H(\\d)$/) || [0, 2])[1], 10);
    const cs = getComputedStyle(h);
    if (level > 3 || cs.display === 'none' || cs.visibility === 'hidden' || !h.getClientRects().length) continue;
    out.push(`h${level} ` + (h.textContent || '').replace(/\\s+/g, ' ').trim());
  }
  return out;
}""")

STAMP_JS = "() => window.__omChanged || 0"
HEADING = re.compile(r'^h(?P<level>[1-6]) "')
FRAME_DEPTH = 4  # iframes inside iframes read through, at most


def through_frames(page: Page, found: locate.Found, info: dict[str, Any]) -> dict[str, Any]:
    """A description read inside a same-site iframe, as a person sees it on the page: the landmarks
    and headings around each iframe come before those inside it (a heading inside replaces the
    page's headings of its level and below), and the boxes are moved to page coordinates."""
    landmarks = [c for c in info["context"] if not HEADING.match(c)]
    headings = [c for c in info["context"] if HEADING.match(c)]
    frame = found.frame
    for _ in range(FRAME_DEPTH):
        if frame is None or frame.parent_frame is None:
            break
        host = frame.frame_element()
        outer = host.evaluate(DESCRIBE_JS)
        landmarks = [c for c in outer["context"] if not HEADING.match(c)] + landmarks
        headings = _nest_headings([c for c in outer["context"] if HEADING.match(c)], headings)
        frame = frame.parent_frame
    seen = found.locator.bounding_box()  # in the page's viewport, whatever frame it is in
    if seen is None:
        return {**info, "context": landmarks + headings}
    scroll_x, scroll_y = page.evaluate("() => [window.scrollX, window.scrollY]")
    dx = round(seen["x"] + scroll_x) - info["box"]["x"]
    dy = round(seen["y"] + scroll_y) - info["box"]["y"]

    def moved(b: dict[str, int] | None) -> dict[str, int] | None:
        return None if b is None else {**b, "x": b["x"] + dx, "y": b["y"] + dy}

    return {
        **info,
        "context": landmarks + headings,
        "box": moved(info["box"]),
        "sentence_box": moved(info.get("sentence_box")),
        "words": [moved(w) for w in info.get("words", [])],
    }


def _nest_headings(outer: list[str], inner: list[str]) -> list[str]:
    """The heading trail of a page's headings followed by a frame's: a heading pops those of its level and below."""
    trail = list(outer)
    for h in inner:
        level = int(HEADING.match(h)["level"])  # type: ignore[index]
        while trail and int(HEADING.match(trail[-1])["level"]) >= level:  # type: ignore[index]
            trail.pop()
        trail.append(h)
    return trail


ARIA_LINE = re.compile(r'^- (?P<role>[\w-]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?')


@dataclass
class WalkState:
    """What one walk carries from step to step."""

    page: Page
    last_status: int = 200
    last_url: str = ""
    retry_after: str = ""  # the last page answer's Retry-After (a 429 or 503 says when to come back)
    images: dict[str, bytes] = field(default_factory=dict)
    shared: capture.Shared = field(default_factory=capture.Shared)
    redirected: bool = False  # the last goto ended on another host or path than it asked for
    viewport: str = ""
    answered: list[Any] = field(default_factory=list)  # the cookies a consent click set (stuck.Answers)


class Learned:
    """What walks read of the account's identity (profile name, pre-filled e-mail), shared by the
    walks of a run so that each later walk redacts and paints it from its first page on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: set[str] = set()

    def add(self, entries: list[str]) -> None:
        with self._lock:
            self._entries.update(" ".join(e.split()) for e in entries if e.strip())

    def identity(self, base: Identity) -> Identity:
        with self._lock:
            return base.add(sorted(self._entries))


@dataclass(frozen=True)
class PageReader:
    """Reads pages for one config: `identity` is the account to redact (with what the walks learn
    added); `redaction=False` shows everything as the page had it, which only tests of the gate use."""

    config: Config
    identity: Identity = field(default_factory=Identity)
    redaction: bool = True
    learned: Learned = field(default_factory=Learned)
    # False: no screenshot and no ARIA snapshot of the target's region (the quick look; its observations
    # keep the baseline's: either could only ever make a change cosmetic)
    pictures: bool = True

    def capture(
        self,
        state: WalkState,
        base: dict[str, Any],
        status: Status,
        found: locate.Found | None = None,
        spec: TargetSpec | None = None,
        error: str | None = None,
        **extra: Any,
    ) -> Observation:
        page = state.page
        target: Target | None = None
        box: Box | None = None
        capped: list[str | None] = []
        if found is not None and spec is not None:
            target, aria_note = self.describe(page, found)
            box = target.box
            capped.append(aria_note)
        outline, headings_note = capture.cap_lines(
            [str(h) for h in page.evaluate(OUTLINE_JS)], capture.HEADINGS_CAP, "headings"
        )
        journey = self.config.journey(base["journey"])
        if self.redaction:
            self._learn(page, journey, base["locale"])
        images, picture_notes = self._pictures(state, base, box, found) if self.pictures else (None, [])
        notes = [n for n in (*capped, headings_note, *picture_notes) if n]
        return Observation(
            **base,
            status=status,
            error=error,
            url=page.url,
            title=page.title(),
            headings=outline,
            target=target,
            images=images,
            capped=notes,
            **extra,
        )

    def _pictures(
        self, state: WalkState, base: dict[str, Any], box: Box | None, found: locate.Found | None
    ) -> tuple[Images, list[str]]:
        """The step's masked screenshots (into state.images) and their hashes."""
        page = state.page
        journey = self.config.journey(base["journey"])
        if self.redaction:
            if journey.privacy is not None:
                page.evaluate(privacy.MARK_PRIVATE_JS, [privacy.ATTR, *journey.privacy.as_js(base["locale"])])
            page.evaluate(MARK_PERSONAL_JS, [MASK_ATTR, self.personal_texts])
        masks = self.masks(page, base["locale"])
        shot = dict(
            full_page=False, animations="disabled", caret="hide", scale="css", mask=masks, mask_color=MASK_COLOUR
        )
        if self.redaction:
            shot["style"] = privacy.screenshot_css(MASK_COLOUR)
        step = base["step"]
        took = capture.take(
            page,
            step,
            state.shared,
            box,
            lambda clip: self._stable_screenshot(page, {**shot, "clip": clip}),
            TARGET_PAD,
            found.locator if found is not None else None,
        )
        images = Images(
            page=took.page_name,
            page_phash=took.page_hashes.phash,
            page_dhash=took.page_hashes.dhash,
            page_sha256=took.page_sha256,
        )
        if took.page_png is not None:
            state.images[took.page_name] = took.page_png
        if took.target_png is not None and took.target_hashes is not None:
            images = images.model_copy(
                update={
                    "target": f"{step}.target.png",
                    "target_phash": took.target_hashes.phash,
                    "target_dhash": took.target_hashes.dhash,
                    "target_clip": took.target_clip,
                    "target_sha256": imaging.sha256(took.target_png),
                    "lines": list(took.lines),
                }
            )
            state.images[f"{step}.target.png"] = took.target_png
        return images, [n for n in took.notes if n]

    @property
    def personal_texts(self) -> list[str]:
        """The identity tokens painted over wherever they show (folded, see redact.fold)."""
        return self.learned.identity(self.identity).tokens if self.redaction else []

    def _learn(self, page: Page, journey: Journey, locale: str) -> None:
        """Read the account's identity off the page: pre-filled e-mail fields, the profile link's text."""
        found: list[str] = [str(v) for v in page.evaluate(FIELD_EMAILS_JS)]
        profile = self.config.sites[journey.site].login.profile if journey.login else None
        # the account menu is the page's own: no look into iframes on every capture
        hit = locate.find(page, profile, locale, frames=False) if profile is not None else None
        if hit is not None:
            with contextlib.suppress(PlaywrightError):  # the menu closed meanwhile
                found.append(hit.locator.inner_text(timeout=1000))
        self.learned.add(found)

    def _stable_screenshot(self, page: Page, shot: dict[str, Any]) -> bytes:
        """A screenshot of a page that did not change while it was taken (checked by the change stamp
        every page carries); a page still rendering is settled and taken again, at most three times."""
        png = b""
        for _ in range(3):
            before = float(page.evaluate(STAMP_JS))
            png = page.screenshot(**shot, timeout=self.config.timeouts.screenshot_ms)
            if float(page.evaluate(STAMP_JS)) == before:
                return png
            settle.settle(page, self.config.timeouts.navigation_ms)
        return png

    def describe(self, page: Page, found: locate.Found) -> tuple[Target, str | None]:
        """The target as a reader and the DOM see it, and a note when its section's ARIA snapshot was cut."""
        info = found.locator.evaluate(DESCRIBE_JS)
        if found.frame is not None:  # read as the page shows it: the frame's place, on the page's scale
            info = through_frames(page, found, info)
        own = found.locator.aria_snapshot()
        match = ARIA_LINE.match(own.strip())
        role = match.group("role") if match else ""
        name = (match.group("name") or "") if match else ""
        if not self.pictures:  # the quick look: a region's ARIA snapshot only ever makes a change cosmetic
            aria, aria_note = "", None  # (the baseline's is kept: runner.baseline_looks, quickread)
        elif found.frame is not None:
            aria, aria_note = capture.frame_aria(page, found.frame, found.locator)
        else:
            aria, aria_note = capture.section_aria(page, found.locator)
        href = info.get("href")
        target = Target(
            role=role,
            name=name.replace('\\"', '"'),
            text=info["text"],
            shown=info["shown"],
            matched=found.matched,
            href=href,
            leads_to=href,
            box=Box(**info["box"]),
            context=list(info["context"]),
            sentence=info["sentence"],
            sentence_box=Box(**info["sentence_box"]) if info.get("sentence_box") else None,
            words=[Box(**w) for w in info.get("words", [])],
            aria=aria,
        )
        return target, aria_note

    def masks(self, page: Page, locale: str) -> list[Locator]:
        # personal data (masks) and regions that change on every load (thresholds.ignore: dates,
        # counters, ads) are painted over alike, so neither reaches a screenshot or its hash
        personal = self.config.masks if self.redaction else []
        css = ", ".join([f"[{MASK_ATTR}]", *(m.css for m in personal if m.css), *self.config.thresholds.ignore])
        masks = [page.locator(css)]
        for mask in personal:
            if mask.role and mask.name:
                names = mask.name.get(locale, [])
                masks.append(page.get_by_role(mask.role, name=locate.any_pattern(names)))  # type: ignore[arg-type]
        return masks
