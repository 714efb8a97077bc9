"""Waiting for a page to settle, not for a fixed time: loaded, some text, no request in flight, DOM still.

Meta renders client-side, and a loaded CI runner renders slower than a laptop: a target that
shows 3 s after load is not gone. Every wait here is bounded by the journey's timeouts, and none
waits longer than the page needs (docs/decisions/0014-the-monitor-s-own-cost.md): the DOM has
been still for QUIET_MS when the page's change stamp says so, not after a fresh QUIET_MS, and a
page with no request in flight is not given Playwright's 500 ms of network silence.
"""

from __future__ import annotations

import contextlib
import time
import weakref

from playwright.sync_api import BrowserContext, Locator, Page, Request
from playwright.sync_api import Error as PlaywrightError

# Resolves once the body has readable text (at most `contentCap` ms: a blank error page is taken
# as it is) and the DOM has been still for `quiet` ms (at most `domCap` ms: a ticker is taken as
# it is), then the fonts are loaded. Stillness is read from the change stamp every page of a walk
# carries (locate.CHANGE_STAMP_JS, which leaves out the monitor's own marks), so a page that has
# been still for long resolves at once; a page without the stamp is watched from now on. The
# result is how long it waited, in ms.
SETTLE_JS = """([quiet, sure, domCap, contentCap]) => new Promise(resolve => {
  const start = performance.now();
  const stamped = typeof window.__omChanged === 'number';
  let changed = start, observer = null;
  if (!stamped) {
    observer = new MutationObserver(() => { changed = performance.now(); });
    observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  }
  const last = () => stamped ? window.__omChanged : changed;
  // Hidden text does not count: a page that renders hidden and shows itself later has none yet.
  // The first visible text node is enough (body.innerText lays out and copies the whole page).
  const hasText = () => {
    if (!document.body) return false;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (n.nodeValue.trim() && el && el.checkVisibility({visibilityProperty: true})) return true;
    }
    return false;
  };
  let still = null;  // when the text wait ended and the stillness wait began
  const done = () => { if (observer) observer.disconnect(); resolve(performance.now() - start); };
  const tick = () => {
    const now = performance.now();
    if (still === null) {
      if (!hasText() && now - start < contentCap) { setTimeout(tick, 50); return; }
      still = now;
    }
    const quietFor = now - last();
    if (quietFor >= quiet || now - still >= domCap) { done(); return; }
    // nothing scheduled can change the page before `quiet` would have passed: it is still already
    if (quietFor >= sure && window.__omBusy && !window.__omBusy(quiet - quietFor)) { done(); return; }
    setTimeout(tick, Math.max(10, Math.min(quiet - quietFor, quietFor < sure ? sure - quietFor : quiet)));
  };
  // after the microtasks already queued: a change made just before (the same task) is stamped first
  queueMicrotask(tick);
}).then(ms => document.fonts ? document.fonts.ready.then(() => ms) : ms)"""

# An init script in every page of a walk: what the page has scheduled that can still change it. Timers
# (their due times), animation frames, idle callbacks and running CSS animations and transitions
# (whose end events often remove a dialog): window.__omBusy(horizon) says whether any of them may run
# within `horizon` ms. The page's own functions are wrapped in Proxies, which call them unchanged.
PENDING_JS = """(() => {
  if (window.__omBusy) return;
  const pending = {timer: new Map(), frame: new Map(), idle: new Map()};  // id -> when it may run
  const wrap = (name, apply) => { const f = window[name]; if (typeof f === 'function') window[name] = new Proxy(f, {apply}); };
  const track = (name, cancel, kind, delay, repeats) => {
    const ids = pending[kind];
    wrap(name, (t, self, args) => {
      const fn = args[0];
      if (typeof fn !== 'function') return Reflect.apply(t, self, args);  // code in a string: not tracked
      const at = () => performance.now() + delay(args);
      let id = 0;
      const run = function (...a) { if (repeats) ids.set(id, at()); else ids.delete(id); return fn.apply(this, a); };
      id = Reflect.apply(t, self, [run, ...args.slice(1)]);
      ids.set(id, at());
      return id;
    });
    wrap(cancel, (t, self, args) => { ids.delete(args[0]); return Reflect.apply(t, self, args); });
  };
  const wait = args => Math.max(0, Number(args[1]) || 0), now = () => 0;
  track('setTimeout', 'clearTimeout', 'timer', wait, false);
  track('setInterval', 'clearInterval', 'timer', wait, true);
  track('requestAnimationFrame', 'cancelAnimationFrame', 'frame', now, false);
  track('requestIdleCallback', 'cancelIdleCallback', 'idle', now, false);
  const animating = () => (document.getAnimations ? document.getAnimations() : [])
    .some(a => a.playState === 'running' || a.pending);
  window.__omBusy = horizon => {
    if (document.readyState !== 'complete' || animating()) return true;
    const until = performance.now() + horizon;
    return Object.values(pending).some(ids => [...ids.values()].some(at => at <= until));
  };
})();"""

QUIET_MS = 150  # no DOM change for this long: the render pass is over
# ...or for this long, when nothing the page scheduled can change it before QUIET_MS would have passed
# (PENDING_JS): most pages of a walk are still once rendered, and need not be watched for QUIET_MS
SURE_MS = 50
DOM_CAP_MS = 4000  # a page that never stops changing (a ticker) is taken as it is after this
NETWORK_IDLE_CAP_MS = 3000  # a page that polls forever is not waited on longer than this
CONTENT_CAP_MS = 8000  # a page with no readable text at all (a blank error page) is taken after this
POLL_MS = 50  # how often a page with requests in flight is looked at again


class Traffic:
    """The requests each page of a context has in flight, from the context's own events."""

    def __init__(self) -> None:
        self._open: dict[Page, set[Request]] = {}

    def _started(self, request: Request) -> None:
        with contextlib.suppress(PlaywrightError):  # a request of no page (a worker's)
            self._open.setdefault(request.frame.page, set()).add(request)

    def _ended(self, request: Request) -> None:
        for requests in self._open.values():
            requests.discard(request)

    def busy(self, page: Page) -> bool:
        return bool(self._open.get(page))


_TRAFFIC: weakref.WeakKeyDictionary[BrowserContext, Traffic] = weakref.WeakKeyDictionary()


def watch(context: BrowserContext) -> None:
    """Count the requests in flight of every page of context, for settle(); before its first page."""
    if context in _TRAFFIC:
        return
    traffic = Traffic()
    context.on("request", traffic._started)
    context.on("requestfinished", traffic._ended)
    context.on("requestfailed", traffic._ended)
    _TRAFFIC[context] = traffic


def settle(page: Page, navigation_ms: int) -> None:
    """Loaded, then some readable text and a still DOM, then no request in flight (at most
    NETWORK_IDLE_CAP_MS; the DOM is waited on again after the last one ended)."""
    try:
        page.wait_for_load_state("load", timeout=navigation_ms)
    except PlaywrightError:
        return  # a navigation replaced the document while settling; the next wait handles it
    traffic = _TRAFFIC.get(page.context)
    if traffic is None:  # a context nobody watched: Playwright's 500 ms of network silence
        with contextlib.suppress(PlaywrightError):
            page.wait_for_load_state("networkidle", timeout=min(NETWORK_IDLE_CAP_MS, navigation_ms))
    _still(page, min(DOM_CAP_MS, navigation_ms), min(CONTENT_CAP_MS, navigation_ms))
    if traffic is None:
        return
    # a page that keeps a request open (long polling) is never idle: then the cap decides
    deadline = time.monotonic() + min(NETWORK_IDLE_CAP_MS, navigation_ms) / 1000
    while traffic.busy(page) and time.monotonic() < deadline:
        with contextlib.suppress(PlaywrightError):
            page.wait_for_timeout(POLL_MS)
        if not traffic.busy(page):  # what the last answer brought is rendered before we look
            _still(page, max(1, int(1000 * (deadline - time.monotonic()))), 0)


def _still(page: Page, dom_cap_ms: int, content_cap_ms: int) -> None:
    with contextlib.suppress(PlaywrightError):
        page.evaluate(SETTLE_JS, [QUIET_MS, SURE_MS, dom_cap_ms, content_cap_ms])


# True while the page's main content is hidden from readers: aria-hidden or inert on it or above it.
HIDDEN_JS = """() => {
  const main = document.querySelector('main, [role="main"]') || document.body.firstElementChild || document.body;
  for (let el = main; el && el !== document.documentElement; el = el.parentElement) {
    if (el.getAttribute('aria-hidden') === 'true' || el.hasAttribute('inert')) return true;
  }
  return false;
}"""


def consent_closed(page: Page, button: Locator, timeout_ms: int) -> bool:
    """After the consent click: the button gone and the page readable again, within timeout_ms."""
    waited = 0
    step_ms = 100
    while True:
        try:
            gone = button.count() == 0 or not button.is_visible()
            readable = not page.evaluate(HIDDEN_JS)
        except PlaywrightError:
            return True  # the click navigated: the dialog went with the old document
        if gone and readable:
            return True
        if waited >= timeout_ms:
            return False
        page.wait_for_timeout(step_ms)
        waited += step_ms
