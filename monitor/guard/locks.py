"""One writer per folder, across processes: a file lock (filelock, as `watch` uses) per --snapshots
or --out folder, with a note naming the holder so that a second writer can say who it waited for.

The lock files live in the user's cache, keyed by the folder's resolved path, never inside the
folder: an output folder stays empty until a command writes it, a read-only folder can still be
locked, and git never sees a lock. A second writer waits `OPTOUT_LOCK_WAIT` seconds (default
10), then gives up with a LockError that names the holder's pid, command and start time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

WAIT_ENV = "OPTOUT_LOCK_WAIT"
DEFAULT_WAIT = 10.0


class LockError(Exception):
    """Another process holds a folder's lock (the message names it), or the wait setting is bad."""


def lock_dir() -> Path:
    """$XDG_CACHE_HOME/optout-monitor/locks (~/.cache/…), else a per-user folder in the temp dir."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "optout-monitor" / "locks"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        if os.access(cache, os.W_OK):
            return cache
    except OSError:
        pass
    fallback = Path(tempfile.gettempdir()) / f"optout-monitor-locks-{os.getuid()}"
    fallback.mkdir(mode=0o700, parents=True, exist_ok=True)
    return fallback


def lock_path(folder: Path) -> Path:
    """The lock file for a folder: the same in every process that names the folder, however spelled."""
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:20]
    return lock_dir() / f"{digest}.lock"


def wait_seconds() -> float:
    raw = os.environ.get(WAIT_ENV, "").strip()
    if not raw:
        return DEFAULT_WAIT
    try:
        value = float(raw)
    except ValueError:
        raise LockError(f"${WAIT_ENV}={raw[:20]!r}: expected a number of seconds, e.g. 10") from None
    if value < 0:
        raise LockError(f"${WAIT_ENV}={raw[:20]!r}: cannot be negative")
    return value


def holder(folder: Path) -> str:
    """Who holds a folder's lock, as one phrase; 'another process' when it left no note."""
    try:
        note = json.loads(_note_path(lock_path(folder)).read_text(encoding="utf-8"))
        return f"pid {note['pid']} (`{note['command']}`, started {note['started']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextmanager
def hold(folder: Path, command: str, role: str = "folder", wait: float | None = None) -> Iterator[None]:
    """Hold the folder's lock while the block runs; LockError after `wait` seconds of waiting."""
    timeout = wait_seconds() if wait is None else wait
    path = lock_path(folder)
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise LockError(
            f"{folder}: another optout-monitor is writing this {role}: {holder(folder)}; "
            f"waited {timeout:g}s. Run again when it has finished (${WAIT_ENV} sets the wait)."
        ) from None
    note = _note_path(path)
    try:
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        text = json.dumps({"pid": os.getpid(), "command": _short(command), "started": started, "folder": str(folder)})
        note.write_text(text, encoding="utf-8")
        yield
    finally:
        note.unlink(missing_ok=True)
        lock.release()


def command_line() -> str:
    """This process's command, for the holder note: `optout-monitor accept runs/1`."""
    return " ".join(["optout-monitor", *sys.argv[1:]])


def _note_path(lock: Path) -> Path:
    return lock.with_suffix(".holder.json")


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "…"
