"""Finding a step's target on a page by role and accessible name, as a person would read it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, TypeVar
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page

from monitor.config import TargetSpec
from monitor.guard import privacy
from monitor.judge import hops, normalize


def name_pattern(name: str, match: str = "whole") -> re.Pattern[str]:
    """The accessible name, case-insensitive, any run of whitespace (and typographic quotes) alike,
    invisible characters (a soft hyphen, a zero-width space) allowed between any two letters.
    match: "whole" name, a "prefix" ending at a word boundary, or whole "words" anywhere in it."""
    words = [normalize.BETWEEN.join(_letter(ch) for ch in w) for w in name.split()]
    body = r"\s+".join(words)
    if match == "prefix":
        return re.compile("^" + _EDGE + body + r"(?![\w])", re.IGNORECASE)
    if match == "words":
        return re.compile(r"(?<![\w])" + body + r"(?![\w])", re.IGNORECASE)
    return re.compile("^" + _EDGE + body + _EDGE + "$", re.IGNORECASE)


_EDGE = f"[\\s{normalize.INVISIBLE}]*"


def _letter(ch: str) -> str:
    return "['’]" if ch in "'’" else re.escape(ch)


def any_pattern(names: list[str]) -> re.Pattern[str]:
    """One pattern for several candidate names: a single query answers "is any of them here?"."""
    bodies = [name_pattern(n).pattern.removeprefix("^" + _EDGE).removesuffix(_EDGE + "$") for n in names]
    return re.compile("^" + _EDGE + "(?:" + "|".join(bodies) + ")" + _EDGE + "$", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    locator: Locator
    matched: str  # the candidate name that found it
    frame: Frame | None = None  # the same-site iframe it was found in (None: the page itself)


def site_frames(page: Page) -> list[Frame]:
    """The page's iframes of the same site (nested ones too), in document order: a frame boundary is
    no place a person sees, so a target inside one is looked for there. Frames of other sites (ads,
    widgets of another company) are not entered: what they say is not the site's.
    `page.frames` is Playwright's own list (no round trip): a page without frames costs nothing."""
    frames = page.frames
    if len(frames) < 2:
        return []
    here = page.main_frame.url
    return [
        f
        for f in frames[1:]
        if not f.is_detached() and (f.url in ("about:srcdoc", "about:blank") or hops.same_site(f.url, here))
    ]


def find(page: Page, spec: TargetSpec, locale: str, frames: bool = True) -> Found | None:
    """The first visible element with the spec's role whose name is one of the locale's candidates:
    in the page, else (unless `frames` is False) in its same-site iframes (site_frames)."""
    if not frames:
        return _find_in(page, spec, locale)
    hit = page_then_frames(page, lambda scope: _find_in(scope, spec, locale))
    return None if hit is None else Found(hit[0].locator, hit[0].matched, hit[1])


T = TypeVar("T")


def page_then_frames(page: Page, look: Callable[[Page | Frame], T | None]) -> tuple[T, Frame | None] | None:
    """What `look` finds in the page, else in the first of its same-site iframes where it finds
    something (with that frame); a frame that goes away meanwhile is skipped."""
    got = look(page)
    if got is not None:
        return got, None
    for frame in site_frames(page):
        try:
            got = look(frame)
        except PlaywrightError:
            continue
        if got is not None:
            return got, frame
    return None


def _find_in(scope: Page | Frame, spec: TargetSpec, locale: str) -> Found | None:
    """The first name that a visible element of the role has, in the names' order. Each role query
    computes every element's role and name; most often the first name is there: it is asked first,
    then one query for all the names whole says whether any other is worth its own query."""
    names = spec.names(locale)
    for n, name in enumerate(names):
        if n == 1 and spec.match == "whole" and scope.get_by_role(spec.role, name=any_pattern(names[1:])).count() == 0:
            return None
        loc = scope.get_by_role(spec.role, name=name_pattern(name, spec.match))
        count = loc.count()
        for i in range(count):
            candidate = loc.nth(i)
            if candidate.is_visible():
                return Found(candidate, name if spec.match == "whole" else f"{name} ({spec.match})")
    return None


# An init script in every page stamps the last time the page changed (window.__omChanged).
CHANGE_STAMP_JS = """(() => {
  window.__omChanged = performance.now();
  // Playwright's own screenshot helpers (mask glass, caret hiding, the painting stylesheet it adds
  // to <html> and takes away again, marked by SCREENSHOT_MARK) are not the page changing: counted
  // as changes, every screenshot was retaken thrice with a settle in between.
  const ours = n => n.nodeName.startsWith('X-PW-')
    || (n.nodeName === 'STYLE' && (n.textContent || '').includes('{mark}'));
  const own = r => (r.type === 'childList' && [...r.addedNodes, ...r.removedNodes].every(ours))
    || (r.type === 'attributes' && (r.attributeName === 'style'
          && (/^(INPUT|TEXTAREA)$/.test(r.target.nodeName) || r.target.isContentEditable)
        || (r.attributeName || '').startsWith('data-om-')));
  new MutationObserver(records => {
    if (records.some(r => !own(r))) window.__omChanged = performance.now();
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();""".replace("{mark}", privacy.SCREENSHOT_MARK)


def wait_for(page: Page, spec: TargetSpec, locale: str, timeout_ms: int) -> Found | None:
    """find(), retried until timeout_ms. No earlier give-up on a page that looks settled: pages
    render their content by script after load, sometimes seconds later on a loaded machine, and a
    target that shows late is not gone (the journey's `timeouts.target_ms` is the bound)."""
    step_ms = 100
    waited = 0
    while True:
        found = find(page, spec, locale)
        if found is not None or waited >= timeout_ms:
            return found
        page.wait_for_timeout(step_ms)
        waited += step_ms


# Whether any of the names is among the page's words at all: its text (hidden text and open shadow
# roots included) and the attributes an accessible name is taken from, every whitespace and invisible
# character dropped on both sides (a name joins its block children with a space, textContent does not).
# A name in none of them cannot be an element's accessible name, except one made of CSS generated
# content alone; a name found there may still be no element's: the role query decides.
WORDS_HOLD_JS = """needles => {
  const norm = s => (s || '').replace(/[\\s{invisible}]+/g, '').replace(/’/g, "'").toLowerCase();
  const parts = [];
  const visit = root => {
    for (const el of root.querySelectorAll('*')) {
      for (const a of ['aria-label', 'title', 'alt', 'placeholder', 'value']) {
        const v = el.getAttribute(a);
        if (v) parts.push(v);
      }
      if (el.tagName === 'INPUT' && el.value) parts.push(el.value);
      if (el.shadowRoot) { parts.push(el.shadowRoot.textContent || ''); visit(el.shadowRoot); }
    }
  };
  parts.push(document.documentElement.textContent || '');
  visit(document);
  const words = norm(parts.join(''));
  return needles.some(n => norm(n) && words.includes(norm(n)));
}""".replace("{invisible}", "".join(f"\\u{ord(c):04x}" for c in normalize.INVISIBLE))


def any_present(page: Page, specs: list[TargetSpec], locale: str) -> bool:
    """Whether the page holds an element of any spec's role and names, shown or not: one query for all
    (the role locators or-ed). False means find() would find none of them, without a query each.
    A page whose words hold none of the names is answered by one script (WORDS_HOLD_JS), not the role
    query, which computes every element's role and name (~60 ms on a walk's page)."""
    needles = [n for spec in specs for n in spec.names(locale)]
    if not needles or not page.evaluate(WORDS_HOLD_JS, needles):
        return False
    queries: list[Locator] = []
    whole: dict[
        Any, list[str]
    ] = {}  # (a TargetSpec role) one pattern per role for the names matched whole: fewer DOM scans
    for spec in specs:
        if spec.match == "whole":
            whole.setdefault(spec.role, []).extend(spec.names(locale))
            continue
        queries += [page.get_by_role(spec.role, name=name_pattern(n, spec.match)) for n in spec.names(locale)]
    queries += [page.get_by_role(role, name=any_pattern(names)) for role, names in whole.items() if names]
    if not queries:
        return False
    either = queries[0]
    for one in queries[1:]:
        either = either.or_(one)
    return either.count() > 0


def visible(page: Page, spec: TargetSpec | None, locale: str, frames: bool = True) -> bool:
    return spec is not None and find(page, spec, locale, frames) is not None


# --------------------------------------------------------------------------- the page as it shows

# Helpers for page scripts that read the page as a person sees it, across open shadow roots (a
# component boundary is no place on the screen; Playwright's role locators cross it too):
# up(e) is the parent or the shadow host, closestUp(e, sel) the nearest such ancestor matching,
# deepAll(sel) every match in document order with shadow contents in their host's place.
COMPOSED_JS = """
  const up = e => e.parentElement || (e.parentNode instanceof ShadowRoot ? e.parentNode.host : null);
  const closestUp = (e, sel) => { for (let a = e; a; a = up(a)) if (a.matches(sel)) return a; return null; };
  const deepAll = sel => { const out = [];
    const visit = n => { for (const c of n.children) { if (c.matches(sel)) out.push(c);
      if (c.shadowRoot) visit(c.shadowRoot); visit(c); } };
    if (document.body) visit(document.body); return out; };
  const byId = (e, id) => (e.getRootNode().getElementById ? e.getRootNode().getElementById(id) : null)
    || document.getElementById(id);
"""


def composed(js: str) -> str:
    """A page function `(args) => { … }` with COMPOSED_JS's helpers defined at the top of its body."""
    head, brace, body = js.partition("{")
    return head + brace + COMPOSED_JS + body


# --------------------------------------------------------------------------- finding it again

FOUND_ATTR = "data-om-found"

# Every visible link, button, tab or menu item, with what a person would compare it by.
CANDIDATES_JS = composed("""() => {
  const clean = s => (s || '').replace(/\\s+/g, ' ').trim();
  const sel = 'a[href], [role="link"], [role="button"], button, [role="menuitem"], [role="tab"], summary, [aria-expanded]';
  const out = [];
  deepAll(sel).forEach((el, i) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility === 'hidden' || cs.display === 'none') return;
    // inside a closed <details> (content-visibility: hidden) a box can remain: nobody sees it
    if (el.checkVisibility && !el.checkVisibility()) return;
    const tag = el.tagName.toLowerCase();
    const role = el.getAttribute('role') || (tag === 'a' ? 'link' : 'button');
    const disclosure = tag === 'summary' || el.getAttribute('aria-expanded') === 'false';
    const submit = tag === 'button' && (el.getAttribute('type') || 'submit') === 'submit' && !!el.closest('form');
    const name = clean(el.getAttribute('aria-label') || el.innerText || el.textContent);
    let block = up(el);
    while (block && block !== document.body && getComputedStyle(block).display.startsWith('inline')) block = up(block);
    const a = closestUp(el, 'a[href]');
    const region = closestUp(el, '[role="region"][aria-label], section[aria-label], [role="dialog"], [aria-labelledby]');
    let section = region ? (region.getAttribute('aria-label') ||
      clean((byId(region, region.getAttribute('aria-labelledby')) || {}).textContent)) : '';
    out.push({i, role, name, text: clean(el.innerText || el.textContent),
              block: clean(block ? block.innerText : '').slice(0, 600),
              section: clean(section), href: a ? a.href : null, disclosure, submit});
  });
  return out;
}""")

MARK_JS = composed("""([i, attr]) => {
  deepAll('[' + attr + ']').forEach(e => e.removeAttribute(attr));
  const sel = 'a[href], [role="link"], [role="button"], button, [role="menuitem"], [role="tab"], summary, [aria-expanded]';
  const el = deepAll(sel)[i];
  if (el) el.setAttribute(attr, '');
  return !!el;
}""")


@dataclass(frozen=True)
class Clue:
    """What the step's target looked like last time (from the baseline) and is called in the config."""

    names: tuple[str, ...]
    sentence: str = ""
    leads_to: str | None = None
    section: str = ""  # the labelled region it sat in (the last `region "…"` of its context)


def similarity(a: str, b: str) -> float:
    a, b = normalize.text(a).casefold(), normalize.text(b).casefold()
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def score(candidate: dict[str, Any], clue: Clue) -> float:
    """0..1: how sure we are that a candidate is the target that was renamed, moved or restyled."""
    name = max((similarity(candidate["name"], n) for n in clue.names), default=0.0)
    text = max((similarity(candidate["text"], n) for n in clue.names), default=0.0)
    words = max(name, text)
    sentence = 0.0
    if clue.sentence and candidate["block"]:
        block = candidate["block"].casefold()
        sentence = max(similarity(s, clue.sentence) for s in re.split(r"(?<=[.!?…])\s+", block) if s) if block else 0.0
    same_destination = 1.0 if clue.leads_to and candidate["href"] == clue.leads_to else 0.0
    same_section = similarity(candidate.get("section", ""), clue.section) if clue.section else 0.0
    if clue.leads_to is None and not clue.section:
        return 0.7 * words + 0.3 * sentence
    return 0.35 * words + 0.2 * sentence + 0.3 * same_destination + 0.15 * same_section


def search(page: Page, clue: Clue, threshold: float) -> tuple[Found, float] | None:
    """The best candidate on the page scoring at least threshold, marked so it can be located; the
    page's same-site iframes are read only when the page itself has none (one evaluate each)."""
    hit = page_then_frames(page, lambda scope: _search_in(scope, clue, threshold))
    return None if hit is None else (Found(hit[0][0].locator, hit[0][0].matched, hit[1]), hit[0][1])


def _search_in(scope: Page | Frame, clue: Clue, threshold: float) -> tuple[Found, float] | None:
    candidates: list[dict[str, Any]] = scope.evaluate(CANDIDATES_JS)
    best: tuple[float, dict[str, Any]] | None = None
    for cand in candidates:
        if not cand["name"]:
            continue
        s = score(cand, clue)
        if best is None or s > best[0]:
            best = (s, cand)
    if best is None or best[0] < threshold:
        return None
    return Found(mark(scope, best[1]["i"]), best[1]["name"]), round(best[0], 3)


PROBE_LIMIT = 2  # scripted controls clicked on a copy of the page per missing target


def scripted_near_misses(
    page: Page, clue: Clue, threshold: float, never: list[str] | None = None, limit: int = PROBE_LIMIT
) -> list[dict[str, Any]]:
    """Controls without an address (a button that navigates by script) that the search would take if
    they led where the baseline's target led: only a click can tell, so they are clicked on a copy of
    the page (walk/copies.py `probe`). Never a form's submit button, a control named like a `submit:`
    step (`never`), or a disclosure (those act in place)."""
    if not clue.leads_to:
        return []
    refused = [name_pattern(n) for n in never or []]
    scored = [
        (score({**cand, "href": clue.leads_to}, clue), cand)
        for cand in page.evaluate(CANDIDATES_JS)
        if cand["name"]
        and not cand["href"]
        and not cand.get("submit")
        and not cand.get("disclosure")
        and not any(p.match(cand["name"]) for p in refused)
    ]
    scored.sort(key=lambda t: -t[0])
    return [cand for s, cand in scored if s >= threshold][:limit]


def mark(scope: Page | Frame, index: int) -> Locator:
    """The index-th candidate of CANDIDATES_JS, marked so a locator finds it."""
    scope.evaluate(MARK_JS, [index, FOUND_ATTR])
    return scope.locator(f"[{FOUND_ATTR}]").first


def stays_here(href: str, page_url: str) -> bool:
    """A link that goes nowhere by itself (href="#", "#!", "javascript:…"): its click is the page's script."""
    if href.lower().startswith("javascript:"):
        return True
    here, _, fragment = href.partition("#")
    return here == page_url.split("#")[0] and fragment in ("", "!")


DISCLOSURE_LIMIT = 4  # disclosures tried per missing target (an accordion page can have dozens)


def hop_candidates(
    page: Page, hints: list[str], limit: int, never: list[str] | None = None, disclosures: int = DISCLOSURE_LIMIT
) -> list[dict[str, Any]]:
    """Controls worth one extra click: controls that act in place first (a <summary>, anything
    aria-expanded="false", then other buttons: "See more", "Continue"; cheap, and where a moved link
    hides), then same-site links, the ones named like the path's own steps first. Never a control named like a `submit:` step (`never`), a form's submit button, or a
    link off the site; at most `disclosures` disclosures and `limit` in all."""
    here = urlsplit(page.url)
    site = ".".join(here.hostname.split(".")[-2:]) if here.hostname else ""
    refused = [name_pattern(n) for n in never or []]
    links: list[dict[str, Any]] = []
    opens: list[dict[str, Any]] = []
    for cand in page.evaluate(CANDIDATES_JS):
        href = cand["href"]
        if not cand["name"] or cand.get("submit") or any(p.match(cand["name"]) for p in refused):
            continue
        rank = max((similarity(cand["name"], h) for h in hints), default=0.0)
        scripted = not href or stays_here(href, page.url)  # href="#", "javascript:": the page's script acts
        if (not href and cand["role"] == "button") or (scripted and (cand.get("disclosure") or href)):
            # opens something in place ("See more", an accordion, a "Read more" link with href="#")
            # or goes on by script ("Continue"): clicked on a copy of the page, never followed
            opens.append({**cand, "rank": rank + (1.0 if cand.get("disclosure") else 0.0), "opens": True})
            continue
        if cand["role"] != "link":
            continue
        if href:
            parts = urlsplit(href)
            same_site = (parts.hostname or "").endswith(site) or (parts.hostname or "").endswith("meta.com")
            if not same_site or href.split("#")[0] == page.url.split("#")[0]:
                continue
        links.append({**cand, "rank": rank})
    links.sort(key=lambda c: -c["rank"])
    opens.sort(key=lambda c: -c["rank"])
    return (opens[:disclosures] + links)[:limit]


DESTINATION_JS = "el => { const a = el.closest('a[href]'); return a ? a.href : null; }"


def destination_of(locator: Locator) -> str | None:
    """The href the element carries (its own or its enclosing link's), None for a scripted control."""
    try:
        href = locator.evaluate(DESTINATION_JS)
    except PlaywrightError:
        return None
    return str(href) if href else None


# --------------------------------------------------------------------------- what else is here

# A dialog still showing: its name (label, or its first heading) and its buttons' names, so that a
# consent step whose button was renamed can say what the dialog offers instead.
OPEN_DIALOG_JS = composed("""() => {
  const clean = s => (s || '').replace(/\\s+/g, ' ').trim();
  const shown = e => { const r = e.getBoundingClientRect(); const cs = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none'; };
  const d = deepAll('[role=dialog], [role=alertdialog], dialog[open], [aria-modal=true]').find(shown);
  if (!d) return null;
  const heading = d.querySelector('h1, h2, h3, [role=heading]');
  const name = clean(d.getAttribute('aria-label')
    || (d.getAttribute('aria-labelledby') ? (byId(d, d.getAttribute('aria-labelledby')) || {}).textContent : '')
    || (heading ? heading.textContent : ''));
  const buttons = [...d.querySelectorAll('button, [role=button], a[href]')].filter(shown)
    .map(b => clean(b.getAttribute('aria-label') || b.innerText || b.textContent)).filter(Boolean);
  return {name: name.slice(0, 200), buttons: buttons.slice(0, 12).map(b => b.slice(0, 120)),
          cookies: /cookie/i.test(d.innerText || '')};
}""")


@dataclass(frozen=True)
class OpenDialog:
    name: str
    buttons: tuple[str, ...]
    cookies: bool = False  # it speaks of cookies (the word is the same in every language Meta uses)

    def describe(self) -> str:
        shown = ", ".join(repr(b) for b in self.buttons) or "none"
        return f"the dialog {self.name or '(unnamed)'!r} shows the buttons {shown}"


def open_dialog(page: Page) -> OpenDialog | None:
    """The dialog on the page now, if one is shown (for a consent step that found no button to press)."""
    got: dict[str, Any] | None = page.evaluate(OPEN_DIALOG_JS)
    if not got:
        return None
    return OpenDialog(str(got["name"]), tuple(str(b) for b in got["buttons"]), bool(got["cookies"]))


def unanswered_consent(page: Page, spec: TargetSpec, locale: str) -> str | None:
    """Why the cookie dialog cannot be answered, when it shows without any button the journey file
    names (a renamed button): the dialog and the buttons it shows instead, and what to change."""
    dialog = open_dialog(page)
    if dialog is None or not dialog.cookies:
        return None
    tried = ", ".join(repr(n) for n in spec.names(locale))
    return (
        f"the cookie dialog is shown on {page.url} but has no {spec.role} named {tried}: "
        f"{dialog.describe()}. Add the button that declines optional cookies to the site's "
        f"`consent:` names for {locale!r} in the journey file"
    )


def find_all(page: Page | Frame, spec: TargetSpec, locale: str, limit: int = 6) -> list[tuple[Found, str | None]]:
    """Every visible element the spec names, each with where it leads (its link's href), in page order.

    Two of them leading to different places make the target ambiguous: which one the instructions
    mean is itself news (the walk follows the one the baseline knew, and says there are two).
    """
    out: list[tuple[Found, str | None]] = []
    seen: set[tuple[Any, ...]] = set()
    for name in spec.names(locale):
        loc = page.get_by_role(spec.role, name=name_pattern(name, spec.match))
        # one query of the page per name: a locator's every call resolves the role query again, which
        # on a 130,000 px policy costs more than the rest of the step
        for i, (href, visible, x, y) in enumerate(loc.evaluate_all(EVERY_HREF_JS)[:limit]):
            key = (href, round(x), round(y))
            if visible and key not in seen:
                seen.add(key)
                matched = name if spec.match == "whole" else f"{name} ({spec.match})"
                out.append((Found(loc.nth(i), matched, page if isinstance(page, Frame) else None), href))
    return out[:limit]


# Each element's link, whether it shows (Playwright's is_visible: a box with an area, not hidden) and
# where its box is, in one call for all of them.
EVERY_HREF_JS = composed("""els => { return els.map(el => {
  const a = closestUp(el, 'a[href]'); const r = el.getBoundingClientRect();
  const shows = r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  return [a ? a.href : null, shows, r.x, r.y];
}); }""")


SCREENS = 30  # at most this many screens scrolled through looking for a target (a long policy has ~25)
SCROLL_BY_JS = """() => { const before = window.scrollY; window.scrollBy(0, Math.round(window.innerHeight * 0.9));
  return [window.scrollY !== before, window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2]; }"""


def scroll_for(page: Page, spec: TargetSpec, locale: str, pause_ms: int = 250, screens: int = SCREENS) -> Found | None:
    """Scroll down the page a screen at a time, as a person looking for the target would, until it
    shows or the page ends (content some pages add only when scrolled to, at the end, included);
    bounded by `screens`. The page is scrolled back to the top when nothing was found."""
    for _ in range(screens):
        moved, at_end = page.evaluate(SCROLL_BY_JS)
        page.wait_for_timeout(pause_ms)  # a scroll handler adds its content, then it renders
        found = find(page, spec, locale)
        if found is not None:
            return found
        if not moved and at_end:
            break
    page.evaluate("() => window.scrollTo(0, 0)")
    return None


def twins(
    page: Page, spec: TargetSpec, locale: str, first: Found, wanted: str | None
) -> tuple[Found, list[str | None]]:
    """Every element named like a tracked target: the one leading where the baseline's led
    (`wanted`) is followed (the first otherwise), and where the others lead is returned: two is news."""
    every = find_all(first.frame or page, spec, locale)  # the twins of a target in an iframe: in that frame
    if len({to for _, to in every}) < 2:
        return first, []
    pick = next((i for i, (_, to) in enumerate(every) if wanted and hops.same_destination(to, wanted)), 0)
    return every[pick][0], [to for i, (_, to) in enumerate(every) if i != pick]


def click_in_frame(page: Page, found: Found, target_ms: int, navigation_ms: int) -> str | None:
    """Click a link inside a same-site iframe. It opens its page in the tab (that URL), in a new
    tab (None: the caller takes the new tab) or inside the frame, whose page is then opened in the
    tab, where the walk goes on as a person reading it would. Bounded by navigation_ms like any
    click; None when nothing navigated."""
    frame = found.frame
    if frame is None:
        raise ValueError("click_in_frame: the target is not in an iframe")
    href = destination_of(found.locator)
    before, in_frame, tabs = page.url, frame.url, len(page.context.pages)
    found.locator.click(timeout=target_ms)
    waited = 0
    while waited < navigation_ms:
        if page.url != before:
            page.wait_for_load_state("domcontentloaded")
            return page.url
        if len(page.context.pages) > tabs:
            return None
        if frame.is_detached() or frame.url != in_frame:
            where = href or (None if frame.is_detached() else frame.url)
            if where is None:
                return None
            page.goto(where, wait_until="domcontentloaded", timeout=navigation_ms)
            return page.url
        page.wait_for_timeout(100)
        waited += 100
    return None
