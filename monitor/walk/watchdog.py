"""A hard deadline for one walk, enforced from outside the page, so that no run can hang.

Every browser call has its own timeout, but a page (or a stand-in) can still stall a call that
Playwright cannot cancel, and a sum of bounded waits can grow without bound. The watchdog is a
timer thread: when a walk outlives `timeouts.walk_ms` it closes the stand-in connections the walk
has open and kills the walk's Chromium process. Every pending browser call then fails at once,
the walk ends as `blocked (timeout)`, and the runner launches a fresh browser for the next walk.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
from types import TracebackType
from typing import Any

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError


def browser_pid(browser: Browser) -> int | None:
    """The Chromium browser process's id, asked of Chromium itself (None when it will not say)."""
    try:
        cdp = browser.new_browser_cdp_session()
        try:
            info: dict[str, Any] = cdp.send("SystemInfo.getProcessInfo")
        finally:
            cdp.detach()
    except PlaywrightError:
        return None
    for process in info.get("processInfo", []):
        if process.get("type") == "browser" and int(process.get("id", 0)) > 0:
            return int(process["id"])
    return None


class Fuse:
    """What a walk has open that the watchdog may have to cut: stand-in sockets, and the browser."""

    def __init__(self) -> None:
        self.blown = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()

    def track(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.add(sock)
        if self.blown.is_set():
            _shut(sock)

    def untrack(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def blow(self) -> None:
        self.blown.set()
        with self._lock:
            open_now = list(self._sockets)
        for sock in open_now:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked reading it


class Watchdog:
    """`with Watchdog(seconds, pid, fuse) as dog:` ... `dog.fired` tells whether the deadline struck."""

    def __init__(self, seconds: float, pid: int | None, fuse: Fuse | None = None) -> None:
        self.seconds = seconds
        self.pid = pid
        self.fuse = fuse
        self.fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        if self.fuse is not None:
            self.fuse.blow()
        if self.pid is not None:
            with contextlib.suppress(OSError):  # already gone
                os.kill(self.pid, signal.SIGKILL)
