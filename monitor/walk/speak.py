"""A page that speaks its own language: the quick look reads every locale in one context per site.

A context's locale is fixed when it is made, and each context's first page costs the browser about
0.4 s on a 2-core machine (a renderer started, then a first navigation): a context per locale made the
quick look's 30 reads cost 8 s. A context made without a locale lets each page say its own, as
Playwright itself says the context's (Chrome DevTools Protocol: Emulation.setLocaleOverride, and
Emulation.setUserAgentOverride with the same user agent and client hints Playwright sends): the site
sees the same request headers, and its scripts the same navigator and Intl, as in a context made for
that locale (tests/test_speak.py pins it). What the locales share is the context's cookies and
storage: the consent answered once, and the login. A cookie named like a language choice is not
shared: a page's own consent click may set one, and the next page of another locale must not carry
it, so speak() puts them back as the context was made (docs/decisions/0025-reads-ahead-in-one-context.md).
"""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING, Any

from playwright.sync_api import BrowserContext, CDPSession, Page

from monitor.config import Config
from monitor.walk import browser
from monitor.walk.browser import Session, StandIns
from monitor.walk.watchdog import Fuse

# a cookie of a language choice (locale=, lang=, …): never carried from one locale's page to another's
LANGUAGE_COOKIE = re.compile(r"locale|lang", re.I)

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam

_OPTIONS: weakref.WeakKeyDictionary[BrowserContext, dict[str, Any]] = weakref.WeakKeyDictionary()
_MADE_WITH: weakref.WeakKeyDictionary[BrowserContext, list[SetCookieParam]] = weakref.WeakKeyDictionary()
_SESSIONS: weakref.WeakKeyDictionary[Page, CDPSession] = weakref.WeakKeyDictionary()


def new_context(
    session: Session,
    config: Config,
    viewport: str,
    storage_state: dict[str, Any] | None,
    stand_ins: StandIns,
    fuse: Fuse | None = None,
) -> BrowserContext:
    """A context of viewport made with no locale: each of its pages is told its own by speak()."""
    context = browser.new_context(session, config, None, viewport, storage_state, stand_ins, fuse)
    _OPTIONS[context] = browser.context_options(config, None, viewport, session.playwright.devices)
    cookies = (storage_state or {}).get("cookies", [])
    _MADE_WITH[context] = [c for c in cookies if LANGUAGE_COOKIE.search(c.get("name", ""))]
    return context


def speak(page: Page, tag: str) -> None:
    """From its next navigation on, page asks for and presents itself in `tag` (a locale's BCP 47 tag,
    monitor.yaml `locales`). A page of a context made for a locale (not by new_context above) already does."""
    options = _OPTIONS.get(page.context)
    if options is None:
        return
    _forget_language_choices(page.context)
    session = _SESSIONS.get(page)
    if session is None:
        session = _SESSIONS[page] = page.context.new_cdp_session(page)
    session.send("Emulation.setLocaleOverride", {"locale": tag})
    agent: dict[str, Any] = {"userAgent": options.get("user_agent") or "", "acceptLanguage": tag}
    metadata = user_agent_metadata(options)
    if metadata is not None:
        agent["userAgentMetadata"] = metadata
    session.send("Emulation.setUserAgentOverride", agent)


def _forget_language_choices(context: BrowserContext) -> None:
    """The context's language cookies as it was made with them (its login's), none a page set since."""
    made = _MADE_WITH.get(context, [])
    now = [c for c in context.cookies() if LANGUAGE_COOKIE.search(c.get("name", ""))]
    key = ("name", "domain", "path", "value")
    if sorted(tuple(c.get(k) for k in key) for c in now) == sorted(tuple(c.get(k) for k in key) for c in made):
        return
    context.clear_cookies(name=LANGUAGE_COOKIE)
    if made:
        context.add_cookies(made)


def user_agent_metadata(options: dict[str, Any]) -> dict[str, Any] | None:
    """The client hints Playwright 1.65 derives from a device's user agent (calculateUserAgentMetadata in
    its crPage): sent with the user agent, or a page that changes its language loses them."""
    ua = options.get("user_agent")
    if not ua:
        return None
    meta: dict[str, Any] = {
        "mobile": bool(options.get("is_mobile")),
        "model": "",
        "architecture": "x86",
        "platform": "Windows",
        "platformVersion": "",
    }
    for pattern, platform, arm in (
        (r"Android (\d+(\.\d+)?(\.\d+)?)", "Android", True),
        (r"iPhone OS (\d+(_\d+)?)", "iOS", True),
        (r"iPad; CPU OS (\d+(_\d+)?)", "iOS", True),
        (r"Mac OS X (\d+(_\d+)?(_\d+)?)", "macOS", "Intel" not in ua),
        (r"Windows\D+(\d+(\.\d+)?(\.\d+)?)", "Windows", False),
    ):
        found = re.search(pattern, ua)
        if found:
            meta.update(platform=platform, platformVersion=found.group(1))
            if arm:
                meta["architecture"] = "arm"
            break
    else:
        if "linux" in ua.lower():
            meta["platform"] = "Linux"
    if "ARM" in ua:
        meta["architecture"] = "arm"
    return meta
