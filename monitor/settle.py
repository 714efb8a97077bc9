"""Waiting for a page to settle, not for a fixed time: loaded, network idle, DOM still.

Meta renders client-side, and a loaded CI runner renders slower than a laptop: a target that
shows 3 s after load is not gone. Every wait here is bounded by the journey's timeouts.
"""

from __future__ import annotations

import contextlib

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

# Resolves when the DOM has been quiet for `quiet` ms (or after `cap` ms): pages render by script.
SETTLE_JS = """([quiet, cap]) => new Promise(resolve => {
  let timer = null; const start = performance.now();
  const done = () => { observer.disconnect(); resolve(performance.now() - start); };
  const observer = new MutationObserver(() => {
    clearTimeout(timer);
    if (performance.now() - start > cap) { done(); return; }
    timer = setTimeout(done, quiet);
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  timer = setTimeout(done, quiet);
}).then(() => document.fonts ? document.fonts.ready.then(() => true) : true)"""

QUIET_MS = 150  # no DOM change for this long: the render pass is over
DOM_CAP_MS = 4000  # a page that never stops changing (a ticker) is taken as it is after this
NETWORK_IDLE_CAP_MS = 3000  # a page that polls forever is not waited on longer than this
CONTENT_CAP_MS = 8000  # a page with no readable text at all (a blank error page) is taken after this
HAS_TEXT_JS = "() => !!document.body && document.body.innerText.trim().length > 0"


def settle(page: Page, navigation_ms: int) -> None:
    """Loaded, then some readable text, then no request for 500 ms (at most NETWORK_IDLE_CAP_MS),
    then a still DOM."""
    try:
        page.wait_for_load_state("load", timeout=navigation_ms)
    except PlaywrightError:
        return  # a navigation replaced the document while settling; the next wait handles it
    # a page that renders hidden and shows itself later (visibility toggled by script) has no
    # readable text yet: wait for some (innerText skips hidden content), at most CONTENT_CAP_MS
    with contextlib.suppress(PlaywrightError):
        page.wait_for_function(HAS_TEXT_JS, timeout=min(CONTENT_CAP_MS, navigation_ms))
    # a page that keeps a request open (long polling) is never idle: then the DOM decides
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=min(NETWORK_IDLE_CAP_MS, navigation_ms))
    with contextlib.suppress(PlaywrightError):
        page.evaluate(SETTLE_JS, [QUIET_MS, DOM_CAP_MS])


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
