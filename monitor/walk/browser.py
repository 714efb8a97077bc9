"""Finding Chromium, launching it, one context per walk, login state, and stand-ins by routing.

Stand-ins are wired with `context.route`: the page keeps asking for https://www.facebook.com/…
and the stand-in answers, so URLs, link targets and cookies read as on the real site.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Browser, BrowserContext, Playwright, Request, Route, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from monitor.config import Config
from monitor.guard import loginsecret
from monitor.guard.sendguard import check_site_url
from monitor.walk import settle
from monitor.walk.locate import CHANGE_STAMP_JS
from monitor.walk.watchdog import Fuse, browser_pid

BROWSER_ENV = "OPTOUT_MONITOR_BROWSER"
SYSTEM_BROWSERS = (
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--font-render-hinting=none",
    "--hide-scrollbars",
]
FORWARDED_HOST = "X-Forwarded-Host"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}


class BrowserError(Exception):
    """No usable browser, or a login state that cannot be read."""


def find_browser(configured: str | None = None, playwright: Playwright | None = None) -> str:
    """The Chromium to launch: the config/--browser value, $OPTOUT_MONITOR_BROWSER, Playwright's own, the system's."""
    tried: list[str] = []
    for source, candidate in (("browser setting", configured), (f"${BROWSER_ENV}", os.environ.get(BROWSER_ENV))):
        if candidate:
            if Path(candidate).is_file() and os.access(candidate, os.X_OK):
                return candidate
            raise BrowserError(f"{source} points at {candidate!r}, which is not an executable file")
    if playwright is not None:
        try:
            own = playwright.chromium.executable_path
        except Exception:  # Playwright raises when its browser was never downloaded
            own = ""
        if own and Path(own).is_file():
            return own
        tried.append(own or "Playwright's own Chromium")
    for candidate in (*SYSTEM_BROWSERS, shutil.which("chromium") or ""):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
        if candidate:
            tried.append(candidate)
    raise BrowserError(
        "no Chromium found (tried " + ", ".join(tried) + "). Install one with `apt-get install chromium`, "
        f"or set {BROWSER_ENV}=/path/to/chromium, or `browser:` in monitor.yaml."
    )


@dataclass(frozen=True)
class StandIns:
    """Real site name -> stand-in base URL; every host of a mapped site is answered by it."""

    sites: dict[str, str] = field(default_factory=dict)

    def host_map(self, config: Config) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, base in self.sites.items():
            for host in config.sites[name].hosts:
                out[host] = base.rstrip("/")
        return out

    def __bool__(self) -> bool:
        return bool(self.sites)


def parse_site_options(values: list[str], config: Config, allow_remote: bool = False) -> StandIns:
    """`--site NAME=URL` values -> StandIns, with errors that name the bad value; a stand-in that is not
    on this machine (loopback) is refused unless allow_remote."""
    sites: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or not name or not url:
            raise ValueError(f"--site {value!r}: expected NAME=URL, e.g. facebook=http://127.0.0.1:8765")
        if name not in config.sites:
            raise ValueError(f"--site {value!r}: unknown site {name!r}; known: {', '.join(sorted(config.sites))}")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"--site {value!r}: {url!r} is not an http(s) URL")
        check_site_url(value, url, allow_remote)
        sites[name] = url
    return StandIns(sites)


def load_storage_state(
    site: str, config: Config, overrides: dict[str, str] | None = None
) -> tuple[dict[str, Any] | None, str]:
    """The login state for a site and where it came from: --storage-state, the env variable, then the file."""
    login = config.sites[site].login
    source = ""
    raw: str | None = None
    if overrides and site in overrides:
        source = overrides[site]
        raw = _read_state_file(Path(source).expanduser(), f"--storage-state {site}")
    elif login.storage_state_env and os.environ.get(login.storage_state_env):
        # an Actions secret holds it as base64 (loginsecret.py); by hand, a path or the JSON itself
        return _state_from_env(site, login.storage_state_env, os.environ[login.storage_state_env])
    elif login.storage_state_file and Path(login.storage_state_file).expanduser().is_file():
        source = login.storage_state_file
        raw = _read_state_file(Path(source).expanduser(), source)
    if raw is None:
        return None, ""
    try:
        return loginsecret.parse(raw, f"{source} ({site})"), source
    except ValueError as exc:
        raise BrowserError(str(exc)) from None


STATE_SHAPE = 'a Playwright storage state: a JSON object {"cookies": [...], "origins": [...]}'


def _state_from_env(site: str, var: str, value: str) -> tuple[dict[str, Any], str]:
    """$VAR holds the state itself (base64 of it, as the Actions secret; or anything that parses as
    JSON) or the path of a file holding it.

    The value is a live session: no message here ever contains any of it.
    """
    source = f"${var}"
    try:
        state = json.loads(loginsecret.decode(value) or value)
    except ValueError:
        looks_like_json = value.lstrip()[:1] in ("{", "[", '"')
        path = Path(value.strip()).expanduser()
        if looks_like_json or "\n" in value or len(value) > 4096 or not path.is_file():
            raise BrowserError(
                f"{source} (login state for {site}) is neither valid JSON nor the path of a readable file; "
                f"expected {STATE_SHAPE}, or the path of a file holding one (its value is not shown)"
            ) from None
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise BrowserError(
                f"{source} (login state for {site}) names a file that cannot be read as JSON; expected {STATE_SHAPE}"
            ) from None
    if not isinstance(state, dict) or not isinstance(state.get("cookies"), list):
        raise BrowserError(
            f"{source} (login state for {site}) is JSON of the wrong shape ({type(state).__name__}"
            f"{' without a cookies list' if isinstance(state, dict) else ''}); expected {STATE_SHAPE}"
        )
    return state, source


def state_files(config: Config, overrides: dict[str, str] | None = None) -> list[tuple[str, Path]]:
    """(where it was named, path) of every login-state file the run would read: options, env paths, config."""
    out: list[tuple[str, Path]] = []
    for site, path in (overrides or {}).items():
        out.append((f"--storage-state {site}", Path(path).expanduser()))
    for name, spec in config.sites.items():
        var = spec.login.storage_state_env
        value = os.environ.get(var, "") if var else ""
        if var and value and not value.lstrip().startswith(("{", "[")) and "\n" not in value and len(value) < 4096:
            out.append((f"${var}", Path(value.strip()).expanduser()))
        if spec.login.storage_state_file and name not in (overrides or {}):
            out.append((f"sites.{name}.login.storage_state_file", Path(spec.login.storage_state_file).expanduser()))
    return out


def _read_state_file(path: Path, source: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BrowserError(f"{source}: cannot read login state {path}: {exc.strerror}") from None


@dataclass(frozen=True)
class Session:
    """One thread's Playwright and its launched Chromium (Playwright's sync API is per thread)."""

    playwright: Playwright
    browser: Browser
    executable: str
    pid: int | None = None  # Chromium's own process: what the watchdog stops


@contextmanager
def launched(executable: str | None = None, configured: str | None = None) -> Iterator[Session]:
    with sync_playwright() as p:
        path = executable or find_browser(configured, p)
        browser = p.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
        try:
            yield Session(p, browser, path, browser_pid(browser))
        finally:
            with contextlib.suppress(PlaywrightError):  # stopped by the watchdog: nothing left to close
                browser.close()


def context_options(config: Config, locale: str | None, viewport: str, devices: dict[str, Any]) -> dict[str, Any]:
    """Playwright's options for a context of viewport in locale; with no locale, each page says its
    own (speak.py)."""
    vp = config.viewports[viewport]
    options: dict[str, Any] = {}
    if vp.device:
        if vp.device not in devices:
            raise BrowserError(f"viewports.{viewport}.device: Playwright knows no device {vp.device!r}")
        options.update(devices[vp.device])
        options.pop("default_browser_type", None)
    if vp.width and vp.height:
        options["viewport"] = {"width": vp.width, "height": vp.height}
    if vp.scale:
        options["device_scale_factor"] = vp.scale
    if locale is not None:
        options["locale"] = config.locales[locale]
    options.update(
        timezone_id="UTC",
        color_scheme="light",
        reduced_motion="reduce",
        service_workers="block",
    )
    return options


def new_context(
    session: Session,
    config: Config,
    locale: str | None,
    viewport: str,
    storage_state: dict[str, Any] | None,
    stand_ins: StandIns,
    fuse: Fuse | None = None,
) -> BrowserContext:
    options = context_options(config, locale, viewport, session.playwright.devices)
    if storage_state is not None:
        options["storage_state"] = storage_state
    context = session.browser.new_context(**options)
    context.set_default_timeout(config.timeouts.target_ms)
    context.set_default_navigation_timeout(config.timeouts.navigation_ms)
    context.add_init_script(CHANGE_STAMP_JS)
    context.add_init_script(settle.PENDING_JS)
    if stand_ins:
        context.route("**/*", _router(stand_ins.host_map(config), config.timeouts.navigation_ms / 1000, fuse))
    return context


def _router(
    hosts: dict[str, str], timeout_s: float = 60.0, fuse: Fuse | None = None
) -> Callable[[Route, Request], None]:
    """Answer requests for mapped hosts from their stand-in; refuse every other non-local host.

    A stand-in that breaks the transport (a dropped connection, a malformed or huge header, a
    stall) ends the request as a network failure within `timeout_s`, which the walk reports as
    `blocked`; it never raises into the walk. A redirect is followed here, hop by hop: Chromium
    does not route the request a fulfilled 3xx leads to, so a page load whose chain ends elsewhere
    is sent on by a script redirect to its last address (the page's URL becomes it, as on the real
    site). A chain that comes back to an address it passed (a loop), or is longer than
    MAX_REDIRECTS, is answered at once with LOOP_STATUS naming the chain, not walked until a timeout.
    """

    def handle(route: Route, request: Request) -> None:
        with contextlib.suppress(PlaywrightError):  # the page or browser went away (closed, or the watchdog)
            answer(route, request)

    def answer(route: Route, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.netloc not in hosts:
            if parts.hostname in ("127.0.0.1", "localhost") or parts.scheme in ("data", "blob"):
                route.continue_()
            else:
                route.abort("blockedbyclient")
            return
        headers = {k: v for k, v in request.all_headers().items() if k.lower() not in HOP_BY_HOP}
        url, method, body = request.url, request.method, request.post_data_buffer
        seen = [url]
        try:
            for _ in range(MAX_REDIRECTS):
                got = _fetch(hosts, url, method, body, headers, timeout_s, fuse)
                location = got.headers.get("Location") or got.headers.get("location")
                if got.status not in (301, 302, 303, 307, 308) or not location:
                    if url == request.url or not request.is_navigation_request():
                        route.fulfill(status=got.status, headers=got.headers, body=got.body)
                    else:  # a navigation that was redirected: the page's URL becomes the last one
                        route.fulfill(status=200, content_type=HTML, body=_script_redirect(url))
                    return
                url = urljoin(url, location)
                if url in seen:
                    break
                seen.append(url)
                if urlsplit(url).netloc not in hosts:
                    if request.is_navigation_request():  # the browser goes on (and is refused there)
                        route.fulfill(status=200, content_type=HTML, body=_script_redirect(url))
                    else:
                        route.abort("blockedbyclient")
                    return
                if got.status == 303 or (got.status in (301, 302) and method == "POST"):
                    method, body = "GET", None
            # a loop, or a chain longer than any browser follows: said at once, with the addresses
            chain = " -> ".join([*seen, url])
            route.fulfill(status=LOOP_STATUS, content_type="text/plain; charset=utf-8", body=f"redirect loop: {chain}")
        except TimeoutError:
            route.abort("timedout")
        except (OSError, http.client.HTTPException, ValueError):
            route.abort("connectionreset")

    return handle


MAX_REDIRECTS = 10
# Fields that hold one value: a repeat (a CDN adding its own Date) keeps the first, as browsers do.
SINGLE_VALUED = {"date", "content-type", "location", "last-modified", "etag", "expires", "age", "retry-after"}
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_FOLD = re.compile(r"\r?\n[ \t]+")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def merged_headers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Response header lines -> the one-value-per-name dict `route.fulfill` takes, every value one line.

    HTTP allows a field to repeat and (obsolete, still sent) to fold onto continuation lines. A
    value with a line break in it makes Chromium drop the fulfilled answer without an error, and
    the page then waits for it until the walk's deadline: so folds are unfolded, repeats of a
    single-valued field keep the first, list fields are joined with ", ", and Set-Cookie (the one
    field Playwright splits on line breaks) is joined with "\\n". A line still broken is dropped.
    """
    out: dict[str, str] = {}
    names: dict[str, str] = {}  # lower-case -> the spelling first seen
    for raw_name, raw_value in pairs:
        name, low = raw_name.strip(), raw_name.strip().lower()
        value = _FOLD.sub(" ", raw_value).strip()
        if low in HOP_BY_HOP or not _TOKEN.match(name) or _CONTROL.search(value):
            continue
        key = names.setdefault(low, name)
        if key not in out:
            out[key] = value
        elif low == "set-cookie":
            out[key] = f"{out[key]}\n{value}"
        elif low not in SINGLE_VALUED:
            out[key] = f"{out[key]}, {value}"
    return out


LOOP_STATUS = 508  # Loop Detected: what the walk reports (with the chain) for a redirect loop
HTML = "text/html; charset=utf-8"
SCRIPT_REDIRECT = "<!DOCTYPE html><meta charset=utf-8><script>location.replace({url})</script>"


def refused(status: int, url: str, retry_after: str = "") -> str:
    """What an HTTP error answer means for the person reading the issue: a loop names its address,
    a 429 or 503 says when the site asked to be tried again (its Retry-After)."""
    if status == LOOP_STATUS:
        return (
            f"a redirect loop at {url}: it redirects back to an address it passed (or more than {MAX_REDIRECTS} times)"
        )
    message = f"HTTP {status} from {url}"
    if status == 429:
        message += " (too many requests)"
    if retry_after.strip():
        wait = retry_after.strip()
        message += (
            f"; the site asks to retry after {wait} s" if wait.isdigit() else f"; the site asks to retry after {wait}"
        )
    return message


def _script_redirect(url: str) -> str:
    return SCRIPT_REDIRECT.format(url=json.dumps(url).replace("<", "\\u003c"))


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def _fetch(
    hosts: dict[str, str],
    url: str,
    method: str,
    body: bytes | None,
    headers: dict[str, str],
    timeout_s: float,
    fuse: Fuse | None = None,
) -> _Answer:
    """One request to the stand-in of url's host, read whole within timeout_s (TimeoutError after)."""
    parts = urlsplit(url)
    target = urlsplit(hosts[parts.netloc])
    path = (target.path.rstrip("/") + (parts.path or "/")) + (f"?{parts.query}" if parts.query else "")
    sent = {**headers, FORWARDED_HOST: parts.netloc, "X-Forwarded-Proto": parts.scheme}
    deadline = time.monotonic() + timeout_s
    conn_cls = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    conn = conn_cls(target.netloc, timeout=timeout_s)
    if fuse is not None and fuse.blown.is_set():
        raise TimeoutError(f"{url}: the walk's deadline has passed")
    try:
        conn.connect()
        if fuse is not None:
            fuse.track(conn.sock)
        conn.request(method, path, body=body, headers=sent)
        resp = conn.getresponse()
        chunks: list[bytes] = []
        while chunk := resp.read1(65536) if resp.length is None or resp.length > 0 else b"":
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url}: no complete answer within {timeout_s:.0f} s")
        if resp.length:  # fewer bytes than Content-Length said: the connection dropped
            raise http.client.IncompleteRead(b"".join(chunks), resp.length)
        return _Answer(resp.status, merged_headers(resp.getheaders()), b"".join(chunks))
    finally:
        if fuse is not None:
            fuse.untrack(conn.sock)
        conn.close()
