"""Where a person would be stuck: an HTTP error, a security check, a login wall, a cookie dialog.

A walk that meets one stops there with a `blocked` observation naming the reason, so the issue
tells a maintainer what to do (refresh the login, look at the dialog), never a timeout later on.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, cast

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from monitor.config import Config, Journey
from monitor.model import BlockReason
from monitor.walk import locate, settle, speak
from monitor.walk.browser import refused
from monitor.walk.pagereads import WalkState

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam


class Blocked(Exception):
    def __init__(self, reason: BlockReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def dismiss_consent(config: Config, state: WalkState, journey: Journey, locale: str) -> None:
    """Close the cookie dialog when it shows, and make sure it closed."""
    consent = config.sites[journey.site].consent
    if consent is None:
        return
    found = locate.find(state.page, consent, locale, frames=False)  # every step: the page's own dialog only
    unanswered = locate.unanswered_consent(state.page, consent, locale) if found is None else None
    if unanswered is not None:
        raise Blocked(BlockReason.CONSENT, unanswered)
    if found is not None:
        state.answered = answer_consent(state.page, found, config.timeouts.target_ms, config.timeouts.navigation_ms)


def answer_consent(page: Page, found: locate.Found, timeout_ms: int, navigation_ms: int) -> list[SetCookieParam]:
    """Click the dialog's button and make sure it closed; the cookies the click set (its answer),
    for Answers. Cookies named like a language choice are never part of it."""
    before = {(c.get("name"), c.get("domain"), c.get("path")): c.get("value") for c in page.context.cookies()}
    found.locator.click(timeout=timeout_ms)
    settle.settle(page, navigation_ms)
    verify_consent(page, found, timeout_ms)
    set_now: list[SetCookieParam] = []
    for c in page.context.cookies():
        key = (c.get("name"), c.get("domain"), c.get("path"))
        if before.get(key) != c.get("value") and not speak.LANGUAGE_COOKIE.search(c.get("name", "")):
            set_now.append(cast("SetCookieParam", {k: v for k, v in c.items() if k != "partitionKey"}))
    return set_now


class Answers:
    """The cookie dialog's answer per site (the cookies its click set), from the first walk that gave
    it: the quick look's read contexts start with it, as a person who answered once does, instead of
    each answering again (docs/decisions/0023-the-hourly-quick-look.md). Full walks never use it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_site: dict[str, list[SetCookieParam]] = {}

    def add(self, site: str, state: WalkState) -> None:
        with self._lock:
            if state.answered:
                self._by_site.setdefault(site, state.answered)
            state.answered = []

    def of(self, site: str) -> list[SetCookieParam]:
        with self._lock:
            return list(self._by_site.get(site, []))


def verify_consent(page: Page, found: locate.Found, timeout_ms: int) -> None:
    """The click must have closed the dialog and given the page back to readers: a page left
    aria-hidden behind a dialog that stayed is unreadable, and anything found on it is garbage."""
    if settle.consent_closed(page, found.locator, timeout_ms):
        return
    raise Blocked(
        BlockReason.CONSENT,
        f"the cookie dialog did not close after clicking {found.matched!r} on {page.url} "
        "(the dialog is still shown, or the page behind it stays aria-hidden)",
    )


def fault(exc: PlaywrightError) -> tuple[BlockReason, str]:
    """What a browser error stops a walk as, and its first line: a timeout, the page's server (a
    network or protocol failure, net::ERR_…), or the browser."""
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    if isinstance(exc, PlaywrightTimeout):
        return BlockReason.TIMEOUT, line
    return (BlockReason.HTTP_ERROR if "net::ERR_" in str(exc) else BlockReason.BROWSER), line


def dismiss_and_check(config: Config, state: WalkState, journey: Journey, locale: str) -> None:
    """dismiss_consent, then check_blocked; on a page that shows none of the buttons and headings they
    look for (most pages of a walk), in one query for all of them instead of one each."""
    site = config.sites[journey.site]
    wall = [site.login.wall] if (journey.login or state.redirected) and site.login.wall is not None else []
    looked_for = [*([site.consent] if site.consent is not None else []), *site.security_check, *wall]
    if locate.any_present(state.page, looked_for, locale):
        dismiss_consent(config, state, journey, locale)
        check_blocked(config, state, journey, locale)
        return
    if site.consent is not None:  # no button it names: a dialog without one is a renamed button
        unanswered = locate.unanswered_consent(state.page, site.consent, locale)
        if unanswered is not None:
            raise Blocked(BlockReason.CONSENT, unanswered)
    _answered(state)


def _answered(state: WalkState) -> None:
    """Blocked when the page did not load: a network error, or an HTTP error status."""
    page = state.page
    if page.url.startswith("chrome-error://"):
        where = state.last_url or "the page"
        raise Blocked(BlockReason.HTTP_ERROR, f"the browser could not load {where} (network error)")
    if state.last_status >= 400:
        raise Blocked(BlockReason.HTTP_ERROR, refused(state.last_status, state.last_url or page.url, state.retry_after))


def check_blocked(config: Config, state: WalkState, journey: Journey, locale: str) -> None:
    """Blocked when the page is one a person would be stuck on: an error, a security check, a login wall."""
    page = state.page
    _answered(state)
    site = config.sites[journey.site]
    for check in site.security_check:
        if locate.visible(page, check, locale, frames=False):
            raise Blocked(BlockReason.SECURITY_CHECK, f"security check shown on {page.url}")
    # a public page shows "Log in" in its header; only a redirect makes it a wall there
    if (journey.login or state.redirected) and locate.visible(page, site.login.wall, locale, frames=False):
        raise Blocked(
            BlockReason.LOGIN,
            f"login wall on {page.url}: the {journey.site} session is missing or expired "
            f"(refresh it with `optout-monitor auth {journey.site} --out FILE`)",
        )
