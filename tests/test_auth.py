"""`auth`: the login state is saved 0600 outside the repository, from a real (headless) Chromium."""

from __future__ import annotations

import json
import stat
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from monitor.config import Config
from monitor.walk import auth, browser

ROOT = Path(__file__).resolve().parent.parent

FACEBOOK_LOGIN = b"""<!doctype html><html><body>
<form><button type="button">Log in</button></form>
<script>setTimeout(() => { document.cookie = "c_user=4242; path=/; secure"; }, 300);</script>
</body></html>"""

INSTAGRAM_LOGIN = b"""<!doctype html><html><body>
<form method="post" action="/accounts/login/ajax/"><button>Log in</button></form>
<script>setTimeout(() => document.forms[0].submit(), 200);</script>
</body></html>"""


class LoginHandler(BaseHTTPRequestHandler):
    """The platforms' login pages, answering through context.route the real URLs asked for."""

    never_log_in = False

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        host = self.headers.get(browser.FORWARDED_HOST, "")
        if self.never_log_in:
            self._send(b"<!doctype html><p>Log in</p>")
        elif host == "www.facebook.com" and self.path.startswith("/login/"):
            self._send(FACEBOOK_LOGIN)
        elif host == "www.instagram.com" and self.path.startswith("/accounts/login/"):
            self._send(INSTAGRAM_LOGIN)
        else:
            self._send(b"<!doctype html><p>home</p>")

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._send(b"<!doctype html><p>Welcome</p>", {"Set-Cookie": "sessionid=abc123; Path=/; Secure; HttpOnly"})


@pytest.fixture
def login_server() -> Iterator[tuple[str, type[LoginHandler]]]:
    handler = type("Handler", (LoginHandler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", handler
    finally:
        server.shutdown()
        server.server_close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_refuses_to_write_inside_the_repository(cfg: Config, tmp_path: Path) -> None:
    for inside in (ROOT / "facebook.json", ROOT / "instructions" / "state.json", ROOT):
        with pytest.raises(auth.AuthError, match=r"refusing to write the login state .* inside the repository"):
            auth.save_login("facebook", inside, ROOT, cfg, headless=True, wait_for=None)
    link = tmp_path / "sneaky"
    link.symlink_to(ROOT / "snapshots")
    with pytest.raises(auth.AuthError, match="inside the repository"):
        auth.save_login("facebook", link / "facebook.json", ROOT, cfg, headless=True, wait_for=None)
    assert not (ROOT / "facebook.json").exists() and not (ROOT / "snapshots" / "facebook.json").exists()
    with pytest.raises(auth.AuthError, match="unknown platform 'myspace'; known: facebook, instagram"):
        auth.save_login("myspace", tmp_path / "x.json", ROOT, cfg, headless=True, wait_for=None)
    with pytest.raises(auth.AuthError, match="is a folder"):
        auth.save_login("facebook", tmp_path, ROOT, cfg, headless=True, wait_for=None)


def test_saves_the_session_once_the_cookie_appears(
    cfg: Config, tmp_path: Path, login_server: tuple[str, type[LoginHandler]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = login_server
    out = tmp_path / "config" / "optout-monitor" / "facebook.json"
    message = auth.save_login("facebook", out, ROOT, cfg, headless=True, wait_for=None, timeout=20, stand_in=url)
    assert mode(out) == 0o600 and mode(out.parent) == 0o700
    state = json.loads(out.read_text())
    assert {c["name"]: c["value"] for c in state["cookies"]}["c_user"] == "4242"
    command = f"base64 < {out} | tr -d '\\n' | gh secret set OPTOUT_FACEBOOK_STORAGE_STATE"
    assert command in [line.strip() for line in message.splitlines()], message
    assert "Warning" not in message and "refresh the login" in message
    loaded, source = browser.load_storage_state("facebook", cfg, {"facebook": str(out)})
    assert loaded is not None and source == str(out), "check reads what auth writes"
    # the printed pipeline, run as printed up to gh, gives the value check reads from the secret's variable
    pipeline = command.removesuffix(" | gh secret set OPTOUT_FACEBOOK_STORAGE_STATE")
    secret = subprocess.run(["bash", "-c", pipeline], capture_output=True, text=True, check=True).stdout
    assert "\n" not in secret and "{" not in secret, "one opaque line, not structured data"
    monkeypatch.setenv("OPTOUT_FACEBOOK_STORAGE_STATE", secret)
    assert browser.load_storage_state("facebook", cfg) == (state, "$OPTOUT_FACEBOOK_STORAGE_STATE")


def test_instagram_session_cookie_from_a_set_cookie_header_replaces_an_old_file(
    cfg: Config, tmp_path: Path, login_server: tuple[str, type[LoginHandler]]
) -> None:
    url, _ = login_server
    out = tmp_path / "instagram.json"
    out.write_text("old")
    out.chmod(0o644)
    message = auth.save_login("instagram", out, ROOT, cfg, headless=True, wait_for=None, timeout=20, stand_in=url)
    assert mode(out) == 0o600
    cookies = {c["name"]: c for c in json.loads(out.read_text())["cookies"]}
    assert cookies["sessionid"]["value"] == "abc123" and cookies["sessionid"]["httpOnly"] is True
    assert "| gh secret set OPTOUT_INSTAGRAM_STORAGE_STATE" in message
    assert [p.name for p in tmp_path.iterdir()] == ["instagram.json"], "no temporary file left behind"


def test_enter_without_a_login_saves_but_warns(
    cfg: Config, tmp_path: Path, login_server: tuple[str, type[LoginHandler]]
) -> None:
    url, handler = login_server
    handler.never_log_in = True
    out = tmp_path / "facebook.json"
    message = auth.save_login(
        "facebook", out, ROOT, cfg, headless=True, wait_for=lambda: None, timeout=20, stand_in=url
    )
    assert out.exists() and mode(out) == 0o600
    assert message.startswith("Warning: no 'c_user' cookie was set")


def test_no_login_and_nobody_says_done_writes_nothing(
    cfg: Config, tmp_path: Path, login_server: tuple[str, type[LoginHandler]]
) -> None:
    url, handler = login_server
    handler.never_log_in = True
    out = tmp_path / "facebook.json"
    with pytest.raises(auth.AuthError, match="no login seen within 1s"):
        auth.save_login("facebook", out, ROOT, cfg, headless=True, wait_for=None, timeout=1, stand_in=url)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_state_too_big_for_a_secret_once_in_base64_is_warned_about(cfg: Config, tmp_path: Path) -> None:
    """GitHub's 48 KB limit applies to the stored value: base64 makes a 37 KB file 49 KB."""
    state = {"cookies": [], "origins": [{"origin": "https://www.facebook.com", "localStorage": []}]}
    small, big = tmp_path / "small.json", tmp_path / "big.json"
    small.write_text("x" * 30_000)
    big.write_text("x" * 37_000)
    assert "Warning" not in auth.instructions("facebook", small, cfg, True, state)
    warned = auth.instructions("facebook", big, cfg, True, state)
    assert "in base64 the state is 48.2 KB and GitHub secrets hold at most 48 KB" in warned
