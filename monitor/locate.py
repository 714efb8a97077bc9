"""Finding a step's target on a page by role and accessible name, as a person would read it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page

from . import normalize
from .config import TargetSpec


def name_pattern(name: str) -> re.Pattern[str]:
    """Whole accessible name, case-insensitive, any run of whitespace (and typographic quotes) alike,
    invisible characters (a soft hyphen, a zero-width space) allowed between any two letters."""
    words = [normalize.BETWEEN.join(_letter(ch) for ch in w) for w in name.split()]
    return re.compile("^" + _EDGE + r"\s+".join(words) + _EDGE + "$", re.IGNORECASE)


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


def find(page: Page, spec: TargetSpec, locale: str) -> Found | None:
    """The first visible element with the spec's role whose name is one of the locale's candidates."""
    names = spec.names(locale)
    if len(names) > 1 and page.get_by_role(spec.role, name=any_pattern(names)).count() == 0:
        return None
    for name in names:
        loc = page.get_by_role(spec.role, name=name_pattern(name))
        count = loc.count()
        for i in range(count):
            candidate = loc.nth(i)
            if candidate.is_visible():
                return Found(candidate, name)
    return None


# An init script in every page stamps the last time the page changed (window.__omChanged).
CHANGE_STAMP_JS = """(() => {
  window.__omChanged = performance.now();
  // Playwright's own screenshot helpers (mask glass, caret hiding) are not the page changing.
  const ours = n => n.nodeName.startsWith('X-PW-');
  const own = r => (r.type === 'childList' && [...r.addedNodes, ...r.removedNodes].every(ours))
    || (r.type === 'attributes' && (r.attributeName === 'style' && /^(INPUT|TEXTAREA)$/.test(r.target.nodeName)
        || (r.attributeName || '').startsWith('data-om-')));
  new MutationObserver(records => {
    if (records.some(r => !own(r))) window.__omChanged = performance.now();
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();"""


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


def visible(page: Page, spec: TargetSpec | None, locale: str) -> bool:
    return spec is not None and find(page, spec, locale) is not None


# --------------------------------------------------------------------------- finding it again

FOUND_ATTR = "data-om-found"

# Every visible link, button, tab or menu item, with what a person would compare it by.
CANDIDATES_JS = """() => {
  const clean = s => (s || '').replace(/\\s+/g, ' ').trim();
  const sel = 'a[href], [role="link"], [role="button"], button, [role="menuitem"], [role="tab"]';
  const out = [];
  document.querySelectorAll(sel).forEach((el, i) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility === 'hidden' || cs.display === 'none') return;
    const tag = el.tagName.toLowerCase();
    const role = el.getAttribute('role') || (tag === 'a' ? 'link' : 'button');
    const name = clean(el.getAttribute('aria-label') || el.innerText || el.textContent);
    let block = el.parentElement;
    while (block && block !== document.body && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    const a = el.closest('a[href]');
    const region = el.closest('[role="region"][aria-label], section[aria-label], [role="dialog"], [aria-labelledby]');
    let section = region ? (region.getAttribute('aria-label') ||
      clean((document.getElementById(region.getAttribute('aria-labelledby')) || {}).textContent)) : '';
    out.push({i, role, name, text: clean(el.innerText || el.textContent),
              block: clean(block ? block.innerText : '').slice(0, 600),
              section: clean(section), href: a ? a.href : null});
  });
  return out;
}"""

MARK_JS = """([i, attr]) => {
  document.querySelectorAll('[' + attr + ']').forEach(e => e.removeAttribute(attr));
  const sel = 'a[href], [role="link"], [role="button"], button, [role="menuitem"], [role="tab"]';
  const el = document.querySelectorAll(sel)[i];
  if (el) el.setAttribute(attr, '');
  return !!el;
}"""


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
    """The best candidate on the page scoring at least threshold, marked so it can be located."""
    candidates: list[dict[str, Any]] = page.evaluate(CANDIDATES_JS)
    best: tuple[float, dict[str, Any]] | None = None
    for cand in candidates:
        if not cand["name"]:
            continue
        s = score(cand, clue)
        if best is None or s > best[0]:
            best = (s, cand)
    if best is None or best[0] < threshold:
        return None
    page.evaluate(MARK_JS, [best[1]["i"], FOUND_ATTR])
    return Found(page.locator(f"[{FOUND_ATTR}]").first, best[1]["name"]), round(best[0], 3)


def hop_candidates(page: Page, hints: list[str], limit: int) -> list[dict[str, Any]]:
    """Links on the page worth one extra click, the ones named like the path's own steps first."""
    here = urlsplit(page.url)
    site = ".".join(here.hostname.split(".")[-2:]) if here.hostname else ""
    found: list[dict[str, Any]] = []
    for cand in page.evaluate(CANDIDATES_JS):
        href = cand["href"]
        if cand["role"] != "link" or not cand["name"]:
            continue
        if href:
            parts = urlsplit(href)
            same_site = (parts.hostname or "").endswith(site) or (parts.hostname or "").endswith("meta.com")
            if not same_site or href.split("#")[0] == page.url.split("#")[0]:
                continue
        rank = max((similarity(cand["name"], h) for h in hints), default=0.0)
        found.append({**cand, "rank": rank})
    found.sort(key=lambda c: -c["rank"])
    return found[:limit]
