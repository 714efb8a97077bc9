"""The replica's HTTP server: dispatch on (forwarded host, path), admin endpoints, index page.

The monitor's browser keeps asking for the real URLs; a Playwright route handler
forwards each request here with `X-Forwarded-Host: <real host>` (plus the
browser's Cookie, Accept-Language and User-Agent). People can browse directly:
`/` lists the variants and entry points, `/__host/<host>/<path>` stands for the
header.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from . import facebook, instagram, longpolicy, metapages
from .common import (
    ACCOUNT_HANDLE,
    CONSENT_COOKIE,
    COOKIE_DOMAIN,
    SESSION_COOKIES,
    Ctx,
    consent_dialog,
    error_page,
    form_post,
    login_wall,
    security_check,
)
from .i18n import HTML_LANG, pick_locale
from .markup import Page, html_document
from .variants import DEFAULT_VARIANT, VARIANTS, Variant, get_variant

#: Real host -> (platform, site part).
HOSTS: dict[str, tuple[str, str]] = {
    "www.facebook.com": ("facebook", "www"),
    "facebook.com": ("facebook", "www"),
    "m.facebook.com": ("facebook", "www"),
    "web.facebook.com": ("facebook", "www"),
    "accountscenter.facebook.com": ("facebook", "accountscenter"),
    "www.instagram.com": ("instagram", "www"),
    "instagram.com": ("instagram", "www"),
    "privacycenter.instagram.com": ("instagram", "privacycenter"),
    "help.instagram.com": ("instagram", "help"),
    "accountscenter.instagram.com": ("instagram", "accountscenter"),
    "help.meta.com": ("meta", "help"),
}

DIRECT_PREFIX = "/__host/"
ADMIN_PREFIX = "/__replica/"


@dataclass(frozen=True)
class Route:
    page: str  # page id (variants key their status/delay knobs on it)
    render: Callable[[Ctx], Page]
    login: bool  # needs the session cookies
    form: str | None = None  # "2025" / "2024": accepts POST


ROUTES: dict[tuple[str, str, str], Route] = {
    ("facebook", "www", "/"): Route("fb.home", facebook.home, True),
    ("facebook", "www", "/privacy/center"): Route("fb.privacy-center", facebook.privacy_center, True),
    ("facebook", "www", "/privacy/genai"): Route("fb.genai", facebook.genai, False),
    ("facebook", "www", "/privacy/policy"): Route("fb.policy", facebook.policy, False),
    ("facebook", "www", "/privacy/policy/printable"): Route("fb.printable", longpolicy.printable_long, False),
    ("facebook", "www", "/help/contact/712876720715583"): Route(
        "fb.form", lambda c: facebook.form_page(c, "2025"), True, "2025"
    ),
    ("facebook", "www", "/help/contact/6359191084165019"): Route(
        "fb.form-2024", lambda c: facebook.form_page(c, "2024"), True, "2024"
    ),
    ("facebook", "accountscenter", "/"): Route("fb.accounts-center", metapages.accounts_center, True),
    ("instagram", "www", "/"): Route("ig.home", instagram.home, True),
    ("instagram", "www", "/accounts/edit"): Route("ig.settings", instagram.settings, True),
    ("instagram", "www", "/" + ACCOUNT_HANDLE): Route("ig.profile", instagram.profile, True),
    ("instagram", "privacycenter", "/"): Route("ig.privacy-center", instagram.privacy_centre, True),
    ("instagram", "privacycenter", "/privacy/genai"): Route("ig.genai", instagram.genai, False),
    ("instagram", "privacycenter", "/policy"): Route("ig.policy", instagram.policy, False),
    ("instagram", "help", "/contact/767264225370182"): Route(
        "ig.form", lambda c: instagram.form_page(c, "2025"), True, "2025"
    ),
    ("instagram", "help", "/contact/233964459562201"): Route(
        "ig.form-2024", lambda c: instagram.form_page(c, "2024"), True, "2024"
    ),
    ("instagram", "accountscenter", "/"): Route("ig.accounts-center", metapages.accounts_center, True),
    ("meta", "help", "/support/privacy"): Route("meta.form", metapages.form_page, False, "2025"),
}

#: Where a person starts each journey (shown on the index page).
ENTRY_POINTS = (
    ("Facebook home (logged in)", "www.facebook.com", "/"),
    ("Facebook Privacy Center", "www.facebook.com", "/privacy/center/"),
    ("Facebook Privacy Policy", "www.facebook.com", "/privacy/policy/"),
    ("Facebook printable policy", "www.facebook.com", "/privacy/policy/printable/"),
    ("Facebook Generative AI", "www.facebook.com", "/privacy/genai/"),
    ("Facebook form (2025)", "www.facebook.com", "/help/contact/712876720715583"),
    ("Facebook form (2024)", "www.facebook.com", "/help/contact/6359191084165019"),
    ("Instagram home (logged in)", "www.instagram.com", "/"),
    ("Instagram settings", "www.instagram.com", "/accounts/edit/"),
    ("Instagram profile (logged in)", "www.instagram.com", f"/{ACCOUNT_HANDLE}/"),
    ("Instagram Privacy Centre", "privacycenter.instagram.com", "/"),
    ("Instagram AI at Meta", "privacycenter.instagram.com", "/privacy/genai/"),
    ("Instagram Privacy Policy", "privacycenter.instagram.com", "/policy/"),
    ("Instagram form (2025)", "help.instagram.com", "/contact/767264225370182"),
    ("Instagram form (2024)", "help.instagram.com", "/contact/233964459562201"),
    ("Meta privacy form (new-form-address)", "help.meta.com", "/support/privacy/"),
)


def normalise_path(path: str) -> str:
    path = "/" + "/".join(p for p in path.split("/") if p)
    return path


def parse_cookies(header: str | None) -> dict[str, str]:
    jar: dict[str, str] = {}
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            jar.setdefault(name.strip(), value.strip().strip('"'))
    return jar


def default_render_delay(page: str) -> int:
    """60-149 ms, fixed per page: late enough to matter, the same on every load."""
    return 60 + hashlib.sha256(page.encode()).digest()[0] % 90


def storage_state(platform: str) -> dict[str, Any]:
    """A Playwright storage state holding the replica's logged-in session (no consent cookie)."""
    if platform not in ("facebook", "instagram"):
        raise ValueError(f"storage_state: platform must be 'facebook' or 'instagram', not {platform!r}")
    cookies = [
        {
            "name": name,
            "value": value,
            "domain": COOKIE_DOMAIN[platform],
            "path": "/",
            "expires": -1,
            "httpOnly": True,
            "secure": True,
            "sameSite": "None",
        }
        for name, value in SESSION_COOKIES[platform]
    ]
    return {"cookies": cookies, "origins": []}


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


class ReplicaServer(ThreadingHTTPServer):
    """Serves the replica; `variant` can be switched while it runs."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], variant: str = DEFAULT_VARIANT, verbose: bool = False) -> None:
        self._variant = get_variant(variant).name
        self.submissions: list[dict[str, Any]] = []
        self.verbose = verbose
        self._lock = threading.Lock()
        self._counter = 0
        super().__init__(address, ReplicaHandler)

    @property
    def variant(self) -> str:
        return self._variant

    @variant.setter
    def variant(self, name: str) -> None:
        self._variant = get_variant(name).name

    @property
    def current(self) -> Variant:
        return VARIANTS[self._variant]

    def next_count(self) -> int:
        with self._lock:
            self._counter += 1
            return self._counter

    def record(self, submission: dict[str, Any]) -> None:
        with self._lock:
            self.submissions.append(submission)

    def clear_submissions(self) -> None:
        with self._lock:
            self.submissions.clear()


def make_server(port: int = 0, variant: str = DEFAULT_VARIANT, host: str = "127.0.0.1") -> ReplicaServer:
    """A replica bound to (host, port); port 0 picks a free one (see `server.server_port`)."""
    get_variant(variant)  # fail before binding
    return ReplicaServer((host, port), variant)


class ReplicaHandler(BaseHTTPRequestHandler):
    server: ReplicaServer
    protocol_version = "HTTP/1.1"
    server_version = "replica"
    sys_version = ""

    # ---- plumbing ----------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"replica: {self.address_string()} {format % args}\n")

    def do_GET(self) -> None:
        self._respond(self._safe("GET", b""))

    def do_HEAD(self) -> None:
        self._respond(self._safe("GET", b""), head=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self._respond(self._safe("POST", body))

    def do_DELETE(self) -> None:
        self._respond(self._safe("DELETE", b""))

    def _safe(self, method: str, body: bytes) -> Response:
        try:
            return self._handle(method, body)
        except Exception:  # a replica bug must show as a 500, not a dropped connection
            trace = traceback.format_exc()
            sys.stderr.write(f"replica: error on {method} {self.path}\n{trace}")
            return _text(500, "replica internal error\n" + trace)

    def _respond(self, response: Response, head: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "private, no-cache, no-store, must-revalidate")
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    # ---- dispatch ------------------------------------------------------------------------

    def _handle(self, method: str, body: bytes) -> Response:
        split = urlsplit(self.path)
        path, query = split.path or "/", split.query
        forwarded = (self.headers.get("X-Forwarded-Host") or "").strip().lower()
        direct = False
        if not forwarded:
            if path.startswith(ADMIN_PREFIX):
                return self._admin(method, path[len(ADMIN_PREFIX) :].strip("/"), query, body)
            if path.startswith(DIRECT_PREFIX):
                forwarded, _, rest = path[len(DIRECT_PREFIX) :].partition("/")
                forwarded = forwarded.lower()
                path = "/" + rest
                direct = True
            elif path == "/" and method == "GET":
                return Response(200, index_page(self.server))
            else:
                return _text(
                    404,
                    "Not a replica page. Send X-Forwarded-Host, or open /__host/<host>/<path>; "
                    "/ lists the entry points.\n",
                )
        host = forwarded.split(":")[0]
        if host not in HOSTS:
            return _text(404, f"The replica does not serve host {host!r}. Hosts: {', '.join(HOSTS)}\n")
        platform, part = HOSTS[host]
        route = ROUTES.get((platform, part, normalise_path(path)))
        variant = self.server.current
        params = dict(parse_qsl(query))
        cookies = parse_cookies(self.headers.get("Cookie"))
        session = SESSION_COOKIES[platform]
        ctx = Ctx(
            variant=variant,
            platform=platform,
            host=host,
            path=path,
            locale=pick_locale(self.headers.get("Accept-Language"), params.get("locale")),
            mobile="Mobile" in (self.headers.get("User-Agent") or "") or host == "m.facebook.com",
            logged_in=bool(session) and all(cookies.get(name) for name, _ in session),
            consented=CONSENT_COOKIE[platform] in cookies,
            direct=direct,
            counter=self.server.next_count(),
            query=params,
            page=route.page if route else "",
        )
        if route is None:
            return self._page(ctx, error_page(ctx, 404), "notfound")
        delay = variant.response_delay.get(route.page, 0.0)
        if delay:
            time.sleep(delay)
        status = variant.status.get(route.page)
        if status is not None and status >= 400:
            return self._page(ctx, error_page(ctx, status), route.page)
        blocked: Page | None = None
        if route.login and (variant.login_wall or not ctx.logged_in):
            blocked = login_wall(ctx)
        elif route.login and variant.security_check:
            blocked = security_check(ctx)
        if method == "POST":
            if route.form is None:
                return _json(405, {"error": "method not allowed"})
            return self._form_post(ctx, route, body, allowed=blocked is None)
        if method != "GET":
            return _text(405, "method not allowed\n")
        return self._page(ctx, blocked or route.render(ctx), route.page)

    def _page(self, ctx: Ctx, page: Page, page_id: str) -> Response:
        variant = ctx.variant
        b = ctx.b
        root_kids: list[Any] = [page.root]
        if not ctx.consented and ctx.platform != "meta":
            root_kids.append(consent_dialog(ctx))
        root = b("div", "root", root_kids)
        mount = "mount_0_0_" + hashlib.sha256(variant.class_seed.encode()).hexdigest()[:2]
        state = {
            "platform": ctx.platform,
            "locale": ctx.locale,
            "mobile": ctx.mobile,
            "origin": ctx.origin,
            "url": ctx.url + ("?" + self.path.split("?", 1)[1] if "?" in self.path else ""),
            "direct": ctx.direct,
            "prefix": DIRECT_PREFIX,
            "hosts": list(HOSTS),
            "consentCookie": CONSENT_COOKIE[ctx.platform],
            "cookieDomain": COOKIE_DOMAIN[ctx.platform],
            "sessionCookies": [list(c) for c in SESSION_COOKIES[ctx.platform]],
            "delay": variant.render_delay.get(page_id, default_render_delay(page_id)),
            "mount": mount,
            "sendError": ctx.t("form.err.send"),
        }
        payload = {"root": root, "popups": page.popups, "validate": page.validate, "state": state}
        body_comp = "body.ig" if ctx.platform == "instagram" else "body.fb"
        if ctx.mobile:
            body_comp += " body.mobile"
        document = html_document(
            lang=HTML_LANG[ctx.locale],
            title=page.title,
            seed=variant.class_seed,
            theme=variant.theme,
            html_id=ctx.platform,
            body_class=b.classes(body_comp),
            payload=payload,
            mount=mount,
        )
        headers = (
            ("Content-Language", HTML_LANG[ctx.locale]),
            ("X-Replica-Variant", variant.name),
            ("X-Replica-Page", page_id),
        )
        return Response(page.status, document, headers=headers)

    def _form_post(self, ctx: Ctx, route: Route, body: bytes, allowed: bool) -> Response:
        fields = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        if not allowed:
            return _json(403, {"error": ctx.t("login.must")})
        assert route.form is not None
        result = form_post(ctx, route.form, fields)
        self.server.record(
            {
                "platform": ctx.platform,
                "host": ctx.host,
                "path": ctx.path,
                "form": route.page,
                "kind": route.form,
                "step": result.step,
                "accepted": result.accepted,
                "locale": ctx.locale,
                "mobile": ctx.mobile,
                "variant": ctx.variant.name,
                "fields": fields,
            }
        )
        return _json(result.status, result.payload)

    # ---- admin -----------------------------------------------------------------------------

    def _admin(self, method: str, what: str, query: str, body: bytes) -> Response:
        if what == "variant":
            if method == "GET":
                return _text(200, self.server.variant)
            if method == "POST":
                params = dict(parse_qsl(query))
                from_form = dict(parse_qsl(body.decode("utf-8", "replace")))
                name = from_form.get("name") or params.get("name", "")
                if name not in VARIANTS:
                    return _text(400, f"unknown variant {name!r}; valid variants: {', '.join(VARIANTS)}\n")
                self.server.variant = name
                if "name" in from_form:  # the index page's form: back to the index
                    return Response(303, b"", "text/plain; charset=utf-8", (("Location", "/"),))
                return _text(200, name)
        if what == "variants" and method == "GET":
            return _json(
                200,
                [
                    {
                        "name": v.name,
                        "expected": v.expected,
                        "description": v.description,
                        "journeys": dict(v.journeys),
                        "locales": list(v.locales),
                    }
                    for v in VARIANTS.values()
                ],
            )
        if what == "submissions":
            if method == "GET":
                with self.server._lock:
                    return _json(200, list(self.server.submissions))
            if method == "DELETE":
                self.server.clear_submissions()
                return _text(200, "cleared\n")
        return _text(404 if method == "GET" else 405, f"no admin endpoint {method} {ADMIN_PREFIX}{what}\n")


def _text(status: int, text: str) -> Response:
    return Response(status, text.encode("utf-8"), "text/plain; charset=utf-8")


def _json(status: int, data: Any) -> Response:
    return Response(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")


def index_page(server: ReplicaServer) -> bytes:
    rows = "".join(
        f"<tr><td><code>{escape(v.name)}</code>{' (current)' if v.name == server.variant else ''}</td>"
        f"<td>{escape(v.expected)}</td><td>{escape(v.description)}</td></tr>"
        for v in VARIANTS.values()
    )
    entries = "".join(
        f'<li><a href="{DIRECT_PREFIX}{host}{path}">{escape(label)}</a> <code>https://{host}{path}</code></li>'
        for label, host, path in ENTRY_POINTS
    )
    options = "".join(
        f'<option value="{escape(n)}"{" selected" if n == server.variant else ""}>{escape(n)}</option>'
        for n in VARIANTS
    )
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>optout-monitor replica</title>
<style>body{{font-family:Helvetica,Arial,sans-serif;max-width:980px;margin:32px auto;padding:0 16px;color:#1c1e21}}
table{{border-collapse:collapse}}td,th{{border:1px solid #dadde1;padding:6px 8px;vertical-align:top;text-align:left}}
code{{background:#f0f2f5;padding:1px 4px;border-radius:4px}}</style></head><body>
<h1>optout-monitor replica</h1>
<p>A local stand-in for the Facebook and Instagram paths to Meta's form for objecting to the use of
your information for AI at Meta. It answers requests for the real URLs: send them here with the header
<code>X-Forwarded-Host: &lt;real host&gt;</code> (a Playwright route handler does this), or browse
<code>/__host/&lt;host&gt;/&lt;path&gt;</code>. Pages need the session cookies (the <em>Log in</em>
button on the login wall sets them here); the locale comes from Accept-Language or <code>?locale=fr</code>.</p>
<p>Current variant: <strong>{escape(server.variant)}</strong></p>
<form method="post" action="{ADMIN_PREFIX}variant"><label>Switch variant <select name="name">{options}</select></label>
<button type="submit">Switch</button></form>
<h2>Entry points</h2><ul>{entries}</ul>
<h2>Variants</h2><table><tr><th>name</th><th>expected verdict</th><th>what changes</th></tr>{rows}</table>
<h2>Admin</h2><ul><li><code>GET {ADMIN_PREFIX}variant</code>, <code>POST {ADMIN_PREFIX}variant?name=NAME</code></li>
<li><code>GET {ADMIN_PREFIX}variants</code> (JSON), <code>GET|DELETE {ADMIN_PREFIX}submissions</code></li></ul>
</body></html>
"""
    return html.encode("utf-8")
