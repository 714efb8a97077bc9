"""`optout-monitor auth PLATFORM --out FILE`: a person logs in once in a visible Chromium; we keep the session.

The storage state (cookies and local storage) is a live, logged-in session: it is written with
mode 0600, never inside the repository, and goes to GitHub as an Actions secret holding one opaque
base64 string (`base64 < FILE | tr -d '\n' | gh secret set OPTOUT_FACEBOOK_STORAGE_STATE`), never
the JSON itself: GitHub redacts secrets by exact string (see loginsecret.py).
When it expires, runs report "blocked (login)", which opens the "refresh the login" issue;
running this command again and replacing the secret is the fix.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Error, sync_playwright

from monitor.config import Config
from monitor.walk.browser import LAUNCH_ARGS, StandIns, _router, find_browser

# GitHub refuses secrets larger than this.
SECRET_LIMIT = 48 * 1024
DEFAULT_TIMEOUT = 15 * 60.0
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class LoginPage:
    url: str  # where the person logs in
    cookie: str  # the cookie that exists only once logged in


LOGIN_PAGES = {
    "facebook": LoginPage("https://www.facebook.com/login/", "c_user"),
    "instagram": LoginPage("https://www.instagram.com/accounts/login/", "sessionid"),
}


class AuthError(Exception):
    """The login state was not saved: a bad place to write it, no browser, or no login seen."""


def press_enter() -> None:
    """The default way for a person to say "done": Enter on the terminal."""
    try:
        sys.stdin.readline()
    except (OSError, ValueError):  # no terminal: only the cookie ends the wait
        threading.Event().wait()


def check_destination(out: Path, repo_root: Path) -> Path:
    """out, absolute; AuthError when it would land inside the repository (symlinks followed) or is a folder."""
    target = out.expanduser().resolve()
    repo = repo_root.expanduser().resolve()
    if target == repo or repo in target.parents:
        raise AuthError(
            f"refusing to write the login state to {out}: it is inside the repository ({repo}), where a "
            "logged-in session could be committed. Choose a path outside it, e.g. "
            "~/.config/optout-monitor/<platform>.json"
        )
    if target.is_dir():
        raise AuthError(f"{out} is a folder; give the file to write, e.g. {out}/facebook.json")
    return target


def save_login(
    platform: str,
    out: Path,
    repo_root: Path,
    config: Config,
    headless: bool = False,
    wait_for: Callable[[], object] | None = press_enter,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    stand_in: str | None = None,
    executable: str | None = None,
    log: Callable[[str], None] | None = None,
) -> str:
    """Open the platform's login page, wait for the login, save the storage state; return what to do next.

    The wait ends when the session cookie appears (facebook `c_user`, instagram `sessionid`) or when
    `wait_for` returns (it runs on a thread; by default it waits for Enter). `stand_in` answers the
    platform's hosts from another origin (as `check --site` does), for tests and the replica.
    """
    say = log or (lambda message: print(message, file=sys.stderr, flush=True))
    if platform not in LOGIN_PAGES or platform not in config.sites:
        known = ", ".join(sorted(set(LOGIN_PAGES) & set(config.sites)))
        raise AuthError(f"unknown platform {platform!r}; known: {known}")
    target = check_destination(out, repo_root)
    page_spec = LOGIN_PAGES[platform]
    done = threading.Event()
    if wait_for is not None:
        said_done = wait_for

        def wait_then_set() -> None:
            said_done()
            done.set()

        threading.Thread(target=wait_then_set, name="auth-wait", daemon=True).start()
    with sync_playwright() as p:
        path = executable or find_browser(config.browser, p)
        try:
            browser = p.chromium.launch(executable_path=path, headless=headless, args=LAUNCH_ARGS)
        except Error as exc:
            hint = (
                " (a visible browser needs a display: run it on a desktop, or under xvfb-run)" if not headless else ""
            )
            raise AuthError(f"could not start Chromium {path}{hint}: {str(exc).splitlines()[0]}") from None
        try:
            context = browser.new_context(no_viewport=not headless)
            if stand_in:
                context.route("**/*", _router(StandIns({platform: stand_in}).host_map(config)))
            page = context.new_page()
            try:
                page.goto(page_spec.url, wait_until="domcontentloaded")
            except Error as exc:
                raise AuthError(f"could not open {page_spec.url}: {str(exc).splitlines()[0]}") from None
            say(
                f"Log in to {platform.capitalize()} in the browser window"
                + (", then press Enter here." if wait_for is press_enter else ".")
                + f" Waiting for the {page_spec.cookie!r} cookie…"
            )
            logged_in = _wait(context, page_spec.cookie, done, timeout)
            if logged_in is None:
                raise AuthError(f"no login seen within {timeout:g}s and nobody said done; nothing written")
            state = context.storage_state()
        finally:
            browser.close()
    _write_private(target, (json.dumps(state, indent=2, sort_keys=True) + "\n").encode())
    return instructions(platform, target, config, logged_in, state)


def _wait(context: BrowserContext, cookie: str, done: threading.Event, timeout: float) -> bool | None:
    """True when the cookie appeared, False when the person said done without it, None on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if any(c.get("name") == cookie and c.get("value") for c in context.cookies()):
                return True
        except Error:
            raise AuthError("the browser was closed before the login finished; nothing written") from None
        if done.is_set():
            return False
        if not context.pages:
            raise AuthError("the browser window was closed before the login finished; nothing written")
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)


def _write_private(path: Path, data: bytes) -> None:
    """Write through a 0600 temporary file and a rename; the folder is created 0700."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.chmod(path, 0o600)


def secret_name(platform: str, config: Config) -> str:
    return config.sites[platform].login.storage_state_env or f"OPTOUT_{platform.upper()}_STORAGE_STATE"


def encode_command(path: Path) -> str:
    """The shell pipeline printing a state file as one line of base64 (GNU and BSD base64 alike)."""
    return f"base64 < {shlex.quote(str(path))} | tr -d '\\n'"


def secret_command(name: str, path: Path) -> str:
    """The exact command storing a state file as the Actions secret `name` (gh reads the value on stdin)."""
    return f"{encode_command(path)} | gh secret set {name}"


def instructions(platform: str, out: Path, config: Config, logged_in: bool, state: Mapping[str, Any]) -> str:
    """What to tell the person once the state is saved: how to use it here and as an Actions secret."""
    name = secret_name(platform, config)
    quoted = shlex.quote(str(out))
    size = out.stat().st_size
    lines = []
    if not logged_in:
        cookie = LOGIN_PAGES[platform].cookie
        lines.append(
            f"Warning: no {cookie!r} cookie was set, so this is probably not a logged-in session; "
            "journeys that need a login will report blocked (login)."
        )
    lines += [
        f"Saved the {platform} login state to {out} (mode 0600, {len(state.get('cookies', []))} cookies).",
        "It is a logged-in session: keep it private and never commit it.",
        "",
        f"Use it on this machine:  optout-monitor check --storage-state {platform}={quoted}",
        "",
        "Store it as an Actions secret for the scheduled runs, as one base64 string (never the JSON:",
        "GitHub redacts a secret only as a whole, and the runs mask each cookie value themselves):",
        f"  {secret_command(name, out)}",
        f"  (or Settings → Secrets and variables → Actions → New repository secret: name {name},",
        f"   value the output of: {encode_command(out)})",
        f"then delete the file if you do not need it here:  rm {quoted}",
    ]
    encoded = 4 * ((size + 2) // 3)
    if encoded > SECRET_LIMIT:
        lines += [
            "",
            f"Warning: in base64 the state is {encoded / 1024:.1f} KB and GitHub secrets hold at most "
            f"{SECRET_LIMIT // 1024} KB; log in from a fresh profile or clear the site's local storage, "
            "then run this again.",
        ]
    lines += [
        "",
        "Sessions expire. When one does, runs report blocked (login) and the monitor opens a",
        f"'refresh the login' issue: run `optout-monitor auth {platform} --out FILE` again and replace the secret.",
    ]
    return "\n".join(lines)
