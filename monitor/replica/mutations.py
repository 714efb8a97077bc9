"""A mutation proxy in front of the replica: pages nobody here wrote, and faults that are not changes.

The replica's variants were written with the walker; this corpus was not. The proxy forwards every
request to the replica and, for the current `Mutation`, either rewrites the rendered page (a script
injected after the replica renders: remove a link, tuck it into an accordion, delay it, insert
invisible characters) or breaks the transport (a dropped connection, a malformed header, a stall,
a redirect to a login or checkpoint page). scripts/accuracy.py walks every case and writes the
table in docs/accuracy.md.
"""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

# Runs once the replica has rendered (it sets data-replica-ready on <html>); `M` is the mutation.
INJECT = """<script>(function(){
  function link(){ return [...document.querySelectorAll('a')].find(a => /^\\s*object\\s*$/i.test(a.textContent)); }
  function run(){ try { (function(link){ %s })(link); } catch (e) { console.error(e); } }
  function wait(){ if (document.documentElement.getAttribute('data-replica-ready')) run(); else setTimeout(wait, 20); }
  wait();
})();</script>"""


@dataclass(frozen=True)
class Mutation:
    """One case: what the proxy does, and the verdict a careful person would give the object link."""

    name: str
    kind: (
        str  # the failure class it exercises (hop, disclosure, slow, fault, consent, appeared, invisible, names, noise)
    )
    expected: str  # a verdict value; "blocked:<reason>" for a walk that cannot see
    description: str
    path: str = "/privacy/genai/"  # requests whose path starts with this are mutated ("" = every request)
    script: str = ""  # JavaScript run on the rendered page; `link()` returns the object link
    delay_s: float = 0.0  # before answering
    fault: str = ""  # drop | bad-header | huge-header | bad-length | stall | redirect-login | redirect-checkpoint
    status: int = 0  # answer with this status instead


def _js(body: str) -> str:
    return body


def _wrap(tag_open: str, tag_close: str) -> str:
    """Wrap the paragraph holding the link in a disclosure."""
    return _js(f"""const p = link().closest('p'); const w = document.createElement('div');
      w.innerHTML = {tag_open!r} + {tag_close!r}; const slot = w.querySelector('[data-slot]') || w.lastElementChild;
      p.replaceWith(w); slot.appendChild(p);""")


CORPUS: tuple[Mutation, ...] = (
    # ---- unchanged and noise: no alarm
    Mutation("proxy-unchanged", "noise", "unchanged", "the page through the proxy, untouched"),
    Mutation(
        "late-footer",
        "noise",
        "unchanged",
        "a footer line appears 1.5 s after render",
        script=_js(
            "setTimeout(() => { const f = document.createElement('div'); f.textContent = 'Updated just now';"
            " document.body.appendChild(f); }, 1500);"
        ),
    ),
    Mutation("slow-response", "noise", "unchanged", "the server answers after 2 s", delay_s=2.0),
    Mutation(
        "nbsp-in-sentence",
        "invisible",
        "unchanged",
        "the sentence's spaces become no-break spaces",
        script=_js(
            "const p = link().closest('p'); p.childNodes.forEach(n => { if (n.nodeType === 3)"
            " n.nodeValue = n.nodeValue.replace(/ /g, '\\u00a0'); });"
        ),
    ),
    # ---- invisible characters are not rewording
    Mutation(
        "soft-hyphen",
        "invisible",
        "unchanged",
        "a soft hyphen inside the link's word",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = 'ob\\u00adject';"),
    ),
    Mutation(
        "zero-width-space",
        "invisible",
        "unchanged",
        "a zero-width space inside the link's word",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = 'obj\\u200bect';"),
    ),
    Mutation(
        "zero-width-joiner",
        "invisible",
        "unchanged",
        "a zero-width joiner and a BOM in the word",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = '\\ufeffob\\u200dject';"),
    ),
    Mutation(
        "nbsp-around-link",
        "invisible",
        "cosmetic",
        "no-break spaces inside the link, around the word (the underline is wider: it looks different)",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = '\\u00a0object\\u00a0';"),
    ),
    Mutation(
        "fullwidth-letters",
        "invisible",
        "cosmetic",
        "the word in full-width letters (the same word after NFKC; wider glyphs look different)",
        script=_js(
            "const s = link().querySelector('span') || link(); s.textContent = '\\uff4f\\uff42\\uff4a\\uff45\\uff43\\uff54';"
        ),
    ),
    # ---- real rewording and relinking: the instructions change
    Mutation(
        "renamed-link",
        "names",
        "reworded",
        "the link now says 'opt out'",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = 'opt out';"),
    ),
    Mutation(
        "new-destination",
        "hop",
        "retargeted",
        "the link leads to another form",
        script=_js("link().href = 'https://www.facebook.com/help/contact/6359191084165019';"),
    ),
    Mutation(
        "link-to-plain-text",
        "hop",
        "target-gone",
        "the link becomes plain text",
        script=_js("const a = link(); a.replaceWith(document.createTextNode(a.textContent));"),
    ),
    Mutation(
        "link-removed",
        "hop",
        "target-gone",
        "the link and its sentence are removed",
        script=_js("link().closest('p').remove();"),
    ),
    Mutation(
        "unrelated-object-elsewhere",
        "hop",
        "target-gone",
        "the link is removed; an unrelated page one click away has an 'object' link to another place",
        script=_js(
            "const p = link().closest('p'); const a = document.createElement('a');"
            " a.href = 'https://www.facebook.com/privacy/decoy/'; a.textContent = 'How do we use your information?';"
            " p.replaceWith(a);"
        ),
    ),
    Mutation(
        "link-to-button",
        "names",
        "reworded",
        "the link becomes a button that navigates",
        script=_js(
            "const a = link(); const b = document.createElement('div'); b.setAttribute('role', 'button');"
            " b.tabIndex = 0; b.textContent = a.textContent; const to = a.href;"
            " b.onclick = () => { location.href = to; }; a.replaceWith(b);"
        ),
    ),
    # ---- disclosures: the link is still there, one click further
    Mutation(
        "details-accordion",
        "disclosure",
        "step-added",
        "the paragraph is tucked into a `details` element",
        script=_wrap("<details><summary>Your rights</summary><div data-slot></div></details>", ""),
    ),
    Mutation(
        "aria-expanded-accordion",
        "disclosure",
        "step-added",
        "the paragraph is hidden behind a button with aria-expanded",
        script=_js(
            "const p = link().closest('p'); const b = document.createElement('button');"
            " b.textContent = 'Learn more about your rights'; b.setAttribute('aria-expanded', 'false');"
            " p.hidden = true; p.before(b); b.onclick = () => { p.hidden = false;"
            " b.setAttribute('aria-expanded', 'true'); };"
        ),
    ),
    Mutation(
        "see-more",
        "disclosure",
        "step-added",
        "a 'See more' button reveals the sentence",
        script=_js(
            "const p = link().closest('p'); p.style.display = 'none'; const b = document.createElement('div');"
            " b.setAttribute('role', 'button'); b.tabIndex = 0; b.textContent = 'See more'; p.before(b);"
            " b.onclick = () => { p.style.display = ''; b.remove(); };"
        ),
    ),
    # ---- slow rendering: still there
    Mutation(
        "late-link-2800ms",
        "slow",
        "unchanged",
        "the link's paragraph shows 2.8 s after render",
        script=_js("const p = link().closest('p'); p.hidden = true; setTimeout(() => { p.hidden = false; }, 2800);"),
    ),
    Mutation(
        "late-link-3600ms",
        "slow",
        "unchanged",
        "the link's paragraph is added to the DOM 3.6 s after render, in its place",
        script=_js(
            "const p = link().closest('p'); const parent = p.parentNode, next = p.nextSibling; p.remove();"
            " setTimeout(() => { parent.insertBefore(p, next); }, 3600);"
        ),
    ),
    Mutation(
        "late-page-3200ms",
        "slow",
        "unchanged",
        "the whole page renders 3.2 s late",
        script=_js(
            "const r = document.getElementById('root') || document.body.firstElementChild; r.style.visibility = 'hidden';"
            " setTimeout(() => { r.style.visibility = ''; }, 3200);"
        ),
    ),
    # ---- faults that are not UI changes
    Mutation("dropped-connection", "fault", "blocked:http-error", "the connection drops mid-response", fault="drop"),
    # These two were first labelled blocked:http-error; the first run showed the page arrives whole
    # (a tolerant reader skips the bad line, reads to the close): nothing changed, so unchanged.
    Mutation(
        "malformed-header",
        "fault",
        "unchanged",
        "a header line without a colon (the body still arrives whole)",
        fault="bad-header",
    ),
    Mutation("huge-header", "fault", "blocked:http-error", "a 100 kB header line", fault="huge-header"),
    Mutation(
        "bad-content-length",
        "fault",
        "unchanged",
        "Content-Length is not a number (the body is read to the close)",
        fault="bad-length",
    ),
    Mutation("stalled-response", "fault", "blocked:timeout", "headers sent, then nothing", fault="stall"),
    Mutation("redirect-to-login", "fault", "blocked:login", "a 302 to a login page", fault="redirect-login"),
    Mutation(
        "redirect-to-checkpoint",
        "fault",
        "blocked:security-check",
        "a 302 to a checkpoint page",
        fault="redirect-checkpoint",
    ),
    Mutation("server-503", "fault", "blocked:http-error", "503 Service Unavailable", status=503),
    # ---- consent that does not close
    Mutation(
        "consent-stays",
        "consent",
        "blocked:consent",
        "the decline button does nothing: the dialog stays and the page stays aria-hidden",
        script=_js(
            "const r = document.getElementById('root') || document.body.firstElementChild;"
            " const main = document.querySelector('main'); if (main) main.parentElement.setAttribute('aria-hidden', 'true');"
            " document.addEventListener('click', e => { if (e.target.closest('[role=dialog]')) e.stopImmediatePropagation(); }, true);"
        ),
    ),
    # ---- names are not whole strings on real pages
    Mutation(
        "object-to-phrase",
        "names",
        "reworded",
        "the link text grows to 'right to object to'",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = 'object to';"),
    ),
)


# Pages only the proxy serves: a checkpoint wall, and an unrelated page with an unrelated "object" link.
CHECKPOINT = "<!DOCTYPE html><title>Security check</title><h1>Security check</h1><p>Confirm it's you.</p>"
DECOY = (
    "<!DOCTYPE html><html lang=en><title>How we use information</title><main><h1>How we use information</h1>"
    "<p>You can <a href='https://www.facebook.com/help/contact/1111111111'>object</a> to marketing e-mails.</p>"
    "</main></html>"
)


def _html(page: str) -> tuple[list[tuple[str, str]], bytes]:
    body = page.encode()
    return [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))], body


def get_mutation(name: str) -> Mutation:
    for mutation in CORPUS:
        if mutation.name == name:
            return mutation
    raise KeyError(f"unknown mutation {name!r}; known: {', '.join(m.name for m in CORPUS)}")


class MutationProxy(ThreadingHTTPServer):
    """Forwards to `upstream` (the replica), applying `mutation` to matching requests."""

    daemon_threads = True

    def __init__(self, upstream: str, mutation: Mutation | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = urlsplit(upstream)
        self.mutation = mutation
        self.stop = threading.Event()  # ends stalled answers when the proxy shuts down

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def server_close(self) -> None:
        self.stop.set()
        super().server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up on a broken answer is the point of the exercise


class _Handler(BaseHTTPRequestHandler):
    server: MutationProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._forward("GET")

    def do_POST(self) -> None:
        self._forward("POST")

    def _forward(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        mutation = self.server.mutation
        mutate = mutation is not None and urlsplit(self.path).path.startswith(mutation.path)
        m = mutation if mutate else None
        if m is not None and m.delay_s:
            time.sleep(m.delay_s)
        if m is not None and m.fault.startswith("redirect-"):
            host = self.headers.get("X-Forwarded-Host", "www.facebook.com")
            where = "/" if m.fault == "redirect-login" else "/checkpoint/828281030927956/"
            self._raw(302, [("Location", f"https://{host}{where}"), ("Content-Length", "0")], b"")
            return
        if self.path.startswith("/privacy/decoy/"):
            self._raw(200, *_html(DECOY))
            return
        if self.path.startswith("/checkpoint/"):
            self._raw(200, *_html(CHECKPOINT))
            return
        conn = http.client.HTTPConnection(self.server.upstream.netloc, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        try:
            conn.request(method, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            status, out_headers, payload = resp.status, resp.getheaders(), resp.read()
        finally:
            conn.close()
        if m is not None and m.status:
            status = m.status
        kept = [
            (k, v) for k, v in out_headers if k.lower() not in ("content-length", "connection", "transfer-encoding")
        ]
        if m is not None and m.script and b"</body>" in payload:
            payload = payload.replace(b"</body>", (INJECT % m.script).encode() + b"</body>", 1)
        if m is None or not m.fault:
            self._raw(status, [*kept, ("Content-Length", str(len(payload)))], payload)
            return
        if m.fault == "drop":
            self._raw(status, [*kept, ("Content-Length", str(len(payload)))], payload[: len(payload) // 3], close=True)
        elif m.fault == "bad-header":
            self._raw(status, [*kept, ("Content-Length", str(len(payload))), ("X-Broken header value", "")], payload)
        elif m.fault == "huge-header":
            self._raw(status, [*kept, ("X-Huge", "a" * 100_000), ("Content-Length", str(len(payload)))], payload)
        elif m.fault == "bad-length":
            self._raw(status, [*kept, ("Content-Length", "lots")], payload, close=True)
        elif m.fault == "stall":
            self._raw(status, [*kept, ("Content-Length", str(len(payload)))], b"", close=False)
            self.server.stop.wait(120)
            self.close_connection = True

    def _raw(self, status: int, headers: list[tuple[str, str]], body: bytes, close: bool = False) -> None:
        """Headers written as given (a broken one stays broken), then the body."""
        lines = [f"HTTP/1.1 {status} {http.client.responses.get(status, 'Status')}"]
        for name, value in headers:
            lines.append(f"{name}: {value}" if value or ":" not in name else name)
        if close:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        try:
            self.wfile.write(head + body)
            self.wfile.flush()
        except OSError:
            pass
        if close:
            self.close_connection = True
