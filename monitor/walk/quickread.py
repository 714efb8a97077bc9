"""The quick look's read of a tracked step in another locale: straight to its page, its words only.

The hourly quick look (monitor/quick.py) walks the path to each tracked step in one locale; in every
other locale it goes straight to the page the baseline saw the tracked step on and reads what the
instructions quote: the target's name, text, sentence, section and where it leads (its href; the
destination the baseline's click opened when the href is the baseline's). Nothing is clicked and no
picture taken: the observation keeps the baseline's pictures, and the same compare judges it, so a
word changed in German alone asks for the full run (docs/decisions/0023-the-hourly-quick-look.md).
"""

from __future__ import annotations

import contextlib
import time
import weakref
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from monitor.config import Journey
from monitor.model import BlockReason, Observation, Status, Walk
from monitor.walk import locate, settle, speak, stuck
from monitor.walk.capture import HEADINGS_CAP, cap_lines
from monitor.walk.journey import Walker
from monitor.walk.pagereads import OUTLINE_JS, WalkState

OUTLINE_AND_TITLE_JS = f"() => [({OUTLINE_JS})(), document.title]"
NOTE = "quick look: the words were read on the page; the pictures are the baseline's"


# Each context's pages stay open from read to read, with their state (whose page-answer handler is
# attached once): a new page costs about as much as reading one. A page handed to a read is in use.
_STATES: weakref.WeakKeyDictionary[Page, WalkState] = weakref.WeakKeyDictionary()
_IN_USE: weakref.WeakSet[Page] = weakref.WeakSet()


def _free_page(walker: Walker, context: BrowserContext, viewport: str) -> WalkState:
    """A page of context no read is using, its state as new; a new page when every one is in use."""
    for page in context.pages:
        state = _STATES.get(page)
        if state is not None and page not in _IN_USE and not page.is_closed():
            state.last_status, state.last_url, state.retry_after, state.redirected = 200, "", "", False
            break
    else:
        state = WalkState(context.new_page(), viewport=viewport)
        walker.watch(context, state, page_only=True)
        _STATES[state.page] = state
    _IN_USE.add(state.page)
    return state


def prefetch(walker: Walker, context: BrowserContext, seen: Observation) -> WalkState | None:
    """The page of a read to come, asked for now (until the server answers): it loads and goes still
    while the read before it is done, so its own read does not wait. None when asking failed: the read
    then loads the page itself and says what went wrong."""
    state = _free_page(walker, context, seen.viewport)
    try:
        speak.speak(state.page, walker.config.locales[seen.locale])
        response = state.page.goto(seen.url, wait_until="commit", timeout=walker.config.timeouts.navigation_ms)
    except PlaywrightError:
        _IN_USE.discard(state.page)
        return None
    state.last_status = response.status if response is not None else 200
    return state


def read_tracked(
    walker: Walker, context: BrowserContext, journey: Journey, seen: Observation, ahead: WalkState | None = None
) -> Walk:
    """One observation of `journey`'s tracked step in seen's locale and viewport, read on seen.url
    (on `ahead`'s page when prefetch() asked for it already)."""
    started = time.perf_counter()
    tracked = journey.tracked_step
    assert tracked is not None and tracked.target is not None
    state = ahead if ahead is not None else _free_page(walker, context, seen.viewport)
    try:
        obs = _read(walker, state, journey, seen, loading=ahead is not None)
    except stuck.Blocked as exc:
        obs = _blocked(state, seen, exc.reason, str(exc))
    except PlaywrightError as exc:
        obs = _blocked(state, seen, *stuck.fault(exc))
    walker.answers.add(journey.site, state)
    _IN_USE.discard(state.page)  # the page and its context stay for the next read: its cookies, its consent
    if walker.redaction:
        obs = walker.learned.identity(walker.identity).redact_record(obs)
    return Walk(
        journey=journey.id,
        site=journey.site,
        locale=seen.locale,
        viewport=seen.viewport,
        observations=[obs],
        seconds=time.perf_counter() - started,
    )


def _read(walker: Walker, state: WalkState, journey: Journey, seen: Observation, loading: bool) -> Observation:
    config = walker.config
    page = state.page
    tracked = journey.tracked_step
    assert tracked is not None and tracked.target is not None
    spec, locale = tracked.target, seen.locale
    if loading:  # asked for by prefetch(); its answer's status is in state
        page.wait_for_load_state("domcontentloaded", timeout=config.timeouts.navigation_ms)
    else:
        speak.speak(page, config.locales[locale])
        response = page.goto(seen.url, wait_until="domcontentloaded", timeout=config.timeouts.navigation_ms)
        state.last_status = response.status if response is not None else 200
    settle.settle(page, config.timeouts.navigation_ms)
    state.redirected = urlsplit(page.url)[1:3] != urlsplit(seen.url)[1:3]
    stuck.dismiss_and_check(config, state, journey, locale)
    found = locate.wait_for(page, spec, locale, config.timeouts.target_ms)
    before = seen.target
    how: dict[str, str] = {"found_by": "locator"}
    if found is None:
        stuck.check_blocked(config, state, journey, locale)
        tried = ", ".join(repr(n) for n in spec.names(locale))
        missing = f"no {spec.role} named {tried} on {page.url}"
        # found again by its likeness to the baseline's, as the walk does (no scrolling, no extra click here)
        hit = locate.search(page, walker.clue(spec, seen.model_dump(), locale), config.thresholds.similarity)
        if hit is None:
            update = {"status": Status.MISSING, "error": missing, "url": page.url, "target": None, "capped": [NOTE]}
            return seen.model_copy(update=update)
        found, confidence = hit
        how = {"found_by": "search", "error": f"{missing}; found again by search (score {confidence})"}
    target, _ = walker.reader.describe(page, found)
    if before is not None and before.leads_to and target.href == before.href:
        target = target.model_copy(update={"leads_to": before.leads_to})  # the click went there last time
    if before is not None and not walker.pictures:  # not read: it could only ever make a change cosmetic
        target = target.model_copy(update={"aria": before.aria})
    # Other links named like it are not looked for (the baseline's are kept): a second one shows in the
    # walked locale; one that took the first's place leads elsewhere, which is read here.
    also = before.also if before is not None else []
    headings, title = page.evaluate(OUTLINE_AND_TITLE_JS)  # one call for both
    outline, _ = cap_lines([str(h) for h in headings], HEADINGS_CAP, "headings")
    return seen.model_copy(
        update={
            "status": Status.OK,
            "error": None,
            "url": page.url,
            "title": str(title),
            "headings": outline,
            "target": target.model_copy(update={"also": also}) if also else target,
            "hop": None,
            "capped": [NOTE],
            **how,
        }
    )


def _blocked(state: WalkState, seen: Observation, reason: BlockReason, message: str) -> Observation:
    url = seen.url
    with contextlib.suppress(PlaywrightError):
        url = state.page.url
    return seen.model_copy(
        update={"status": Status.BLOCKED, "reason": reason, "error": message, "url": url, "capped": [NOTE]}
    )
