"""The mutation proxy: forwards to the replica and applies the current case of mutations.CORPUS.

A script case is injected into the rendered page (INJECT); a transport case (`fault`, `status`,
`headers`, `delay_s`) is played on the wire, header lines written exactly as given.
"""

from __future__ import annotations

import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from .mutations import Mutation

# Runs once the replica has rendered (it sets data-replica-ready on <html>); `M` is the mutation.
INJECT = """<script>(function(){
  function link(){ return [...document.querySelectorAll('a')].find(a => /^\\s*object\\s*$/i.test(a.textContent)); }
  function run(){ try { (function(link){ %s })(link); } catch (e) { console.error(e); } }
  function wait(){ if (document.documentElement.getAttribute('data-replica-ready')) run(); else setTimeout(wait, 20); }
  wait();
})();</script>"""


# Pages only the proxy serves: a checkpoint wall, an unrelated page with an unrelated "object" link,
# and a rights page whose "object" link leads to the baseline's form.
CHECKPOINT = "<!DOCTYPE html><title>Security check</title><h1>Security check</h1><p>Confirm it's you.</p>"
DECOY = (
    "<!DOCTYPE html><html lang=en><title>How we use information</title><main><h1>How we use information</h1>"
    "<p>You can <a href='https://www.facebook.com/help/contact/1111111111'>object</a> to marketing e-mails.</p>"
    "</main></html>"
)

RIGHTS = (
    "<!DOCTYPE html><html lang=en><title>Your rights</title><main><h1>Your rights</h1>"
    "<p>You have the right to <a href='https://www.facebook.com/help/contact/712876720715583'>object</a> to the use"
    " of your information for AI at Meta.</p></main></html>"
)


def _html(page: str) -> tuple[list[tuple[str, str]], bytes]:
    body = page.encode()
    return [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))], body


def _pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


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
        if m is not None and m.fault in ("redirect-loop", "redirect-chain"):
            hop = self._redirect(m.fault)
            if hop:
                self._raw(hop[0], [("Location", hop[1]), ("Content-Length", "0")], b"")
                return
        elif m is not None and m.fault.startswith("redirect-"):
            host = self.headers.get("X-Forwarded-Host", "www.facebook.com")
            where = "/" if m.fault == "redirect-login" else "/checkpoint/828281030927956/"
            self._raw(302, [("Location", f"https://{host}{where}"), ("Content-Length", "0")], b"")
            return
        if self.path.startswith("/privacy/decoy/"):
            self._raw(200, *_html(DECOY))
            return
        if self.path.startswith("/privacy/your-rights/"):
            self._raw(200, *_html(RIGHTS))
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
        if m is not None:
            out_headers = [*out_headers, *m.headers]
        kept = [
            (k, v) for k, v in out_headers if k.lower() not in ("content-length", "connection", "transfer-encoding")
        ]
        if m is not None and m.script and b"</body>" in payload:
            payload = payload.replace(b"</body>", (INJECT % m.script).encode() + b"</body>", 1)
        if m is None or not m.fault or m.fault.startswith("redirect-"):
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
        elif m.fault == "repeat-date":  # a CDN adds its own Date (and Cache-Control) after the origin's
            again = [
                ("Date", "Mon, 07 Dec 2026 05:00:00 GMT"),
                ("Cache-Control", "private"),
                ("Cache-Control", "no-store"),
            ]
            self._raw(status, [*kept, *again, ("Content-Length", str(len(payload)))], payload)
        elif m.fault == "folded-header":  # obs-fold: a value continued on the next line
            folded = [("X-Served-By", "cache-ams21\r\n\tcache-fra19"), ("Date", "Mon, 07 Dec 2026\r\n 05:00:00 GMT")]
            self._raw(status, [*kept, *folded, ("Content-Length", str(len(payload)))], payload)
        elif m.fault == "repeat-cookie":  # several Set-Cookie lines and a repeated Vary
            cookies = [("Set-Cookie", f"c{i}=v{i}; Path=/; SameSite=Lax") for i in range(4)]
            self._raw(
                status,
                [*kept, *cookies, ("Vary", "Accept"), ("Vary", "Cookie"), ("Content-Length", str(len(payload)))],
                payload,
            )
        elif m.fault == "chunked":  # legal framing: chunks of 997 bytes, no Content-Length
            framed = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in _pieces(payload, 997)) + b"0\r\n\r\n"
            self._raw(status, [*kept, ("Transfer-Encoding", "chunked")], framed)
        elif m.fault == "trickle":  # the body in 12 pieces over about 2.4 s
            self._raw(status, [*kept, ("Content-Length", str(len(payload)))], b"")
            for piece in _pieces(payload, len(payload) // 12 + 1):
                if self.server.stop.wait(0.2) or not self._send(piece):
                    break
        elif m.fault == "stall":
            self._raw(status, [*kept, ("Content-Length", str(len(payload)))], b"", close=False)
            self.server.stop.wait(120)
            self.close_connection = True

    def _redirect(self, fault: str) -> tuple[int, str] | None:
        """A loop sends the page to itself; a chain passes three other addresses (301, 302, 307) first."""
        host = self.headers.get("X-Forwarded-Host", "www.facebook.com")
        here = urlsplit(self.path)
        if fault == "redirect-loop":
            return 302, f"https://{host}{self.path}"
        hop = int(here.query.partition("hop=")[2] or 0)
        if hop >= 3:
            return None
        return (301, 302, 307)[hop], f"https://{host}{here.path}?hop={hop + 1}"

    def _send(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            return False
        return True

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
