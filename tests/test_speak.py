"""monitor/walk/speak.py: a page of a context made with no locale, told a locale, is what a context made
for that locale would show a site and its scripts. The quick look reads every locale in one context per
site on that promise; Playwright computes what it sends itself, so an upgrade that changes it fails here."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from monitor import config
from monitor.walk import browser, speak
from monitor.walk.browser import StandIns

# what a script can read of the language, the locale's formats and the browser it runs in
SEEN_JS = """async () => [navigator.language, navigator.languages, navigator.userAgent,
  Intl.DateTimeFormat().resolvedOptions().locale, new Date(0).toLocaleString(), (1234.5).toLocaleString(),
  navigator.userAgentData && await navigator.userAgentData.getHighEntropyValues(
    ["architecture", "model", "platform", "platformVersion", "fullVersionList", "bitness", "wow64", "mobile"])]"""


class _Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(sorted(self.headers.items())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<pre id=h>" + body.replace(b"<", b"&lt;") + b"</pre>")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def echo() -> Iterator[str]:
    """A server on localhost (a secure context, so client hints are sent) that shows the request's headers."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _seen(page: Page, url: str) -> tuple[Any, Any]:
    page.goto(url)
    return json.loads(page.text_content("#h") or "[]"), page.evaluate(SEEN_JS)


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
def test_a_page_told_a_locale_shows_the_site_and_its_scripts_what_a_context_of_that_locale_does(
    cfg: config.Config, echo: str, viewport: str
) -> None:
    """Headers (Accept-Language, client hints, user agent), navigator, Intl and formats, for three locales
    in turn on one page: the same as a page of a context made for each."""
    locales = ["de", "fr", "it"]
    assert {"de", "fr", "it"} <= set(cfg.locales) and cfg.viewports["mobile"].device
    with browser.launched() as session:
        shared = speak.new_context(session, cfg, viewport, None, StandIns())
        page = shared.new_page()
        for locale in locales:
            own = browser.new_context(session, cfg, locale, viewport, None, StandIns())
            expected = _seen(own.new_page(), echo)
            own.close()
            speak.speak(page, cfg.locales[locale])
            headers, scripts = _seen(page, echo)
            assert headers == expected[0], locale
            assert scripts == expected[1], locale
            assert dict(headers)["Accept-Language"] == cfg.locales[locale]
        if viewport == "mobile":
            assert scripts[-1]["platform"] == "Android" and scripts[-1]["mobile"] is True
        shared.close()


def test_the_client_hints_of_a_device_are_playwrights() -> None:
    """The port of Playwright's calculateUserAgentMetadata, on the user agents of its own device list."""
    phone = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"
    assert speak.user_agent_metadata({"user_agent": phone, "is_mobile": True}) == {
        "mobile": True,
        "model": "",
        "architecture": "arm",
        "platform": "Android",
        "platformVersion": "14",
    }
    mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15"
    assert speak.user_agent_metadata({"user_agent": mac})["architecture"] == "x86"  # type: ignore[index]
    assert speak.user_agent_metadata({}) is None


def test_a_language_cookie_a_page_set_is_not_carried_to_the_next_locales_page(cfg: config.Config, echo: str) -> None:
    """A consent click may set locale=…; the next page, of another locale, is asked for without it. The
    login's own language cookie stays, as it is in a context made for each locale."""
    login = {"cookies": [{"name": "locale", "value": "en_GB", "domain": "127.0.0.1", "path": "/login", "expires": -1}]}
    with browser.launched() as session:
        context = speak.new_context(session, cfg, "desktop", login, StandIns())
        page = context.new_page()
        speak.speak(page, cfg.locales["de"])
        page.goto(echo)
        page.evaluate("document.cookie = 'locale=de_DE; path=/'; document.cookie = 'datr=answered; path=/'")
        speak.speak(page, cfg.locales["fr"])
        headers = dict(_seen(page, echo)[0])
        assert "locale=de_DE" not in headers.get("Cookie", "") and "datr=answered" in headers["Cookie"]
        kept = {(c["name"], c["value"], c["path"]) for c in context.cookies()}
        assert ("locale", "en_GB", "/login") in kept and ("locale", "de_DE", "/") not in kept
        context.close()
