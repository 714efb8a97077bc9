"""The `watch` daemon: run a job (check → update → publish) every so often with the `schedule` library.

- One run at a time, also across processes: a run holds a file lock (filelock) while it works;
  a process that finds the lock taken skips that run, says so, and keeps its schedule.
- The next run is logged after every run: `every`, plus a random delay up to `jitter` so that
  many forks do not all knock on Meta's door at the same second.
- A failed run (an exception, or an exit code other than 0 "nothing to do" and 1 "updated") is
  logged and retried sooner, then later: every/8, every/4, every/2, then every, until one works.
- SIGTERM and SIGINT (Ctrl-C) ask it to stop: a running job finishes, then the loop exits with 0.
  A second Ctrl-C interrupts the job itself.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import os
import random
import re
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import schedule
from filelock import FileLock, Timeout

UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?[smhd])+")
# How long the loop sleeps at most before looking at the clock and the stop flag again.
POLL_SECONDS = 0.5
# Exit codes of a job that mean it worked (nothing to do / instructions updated).
OK_CODES = (0, 1)

Log = Callable[[str], None]


def parse_duration(text: str) -> timedelta:
    """'6h', '15m', '90s', '1d', '1h30m', '0.5s' -> timedelta; anything else raises ValueError naming it."""
    value = text.strip().lower().replace(" ", "")
    if not _DURATION.fullmatch(value):
        raise ValueError(f"{text!r} is not a duration: use a number and a unit (s, m, h, d), e.g. 6h, 15m, 90s, 1h30m")
    total = timedelta()
    for number, unit in _PART.findall(value):
        total += timedelta(**{UNITS[unit]: float(number)})
    return total


def describe(delta: timedelta) -> str:
    """A short human duration: 5h 52m, 45m, 1.5s."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return f"{seconds:g}s" if seconds != int(seconds) else f"{int(seconds)}s"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (minutes, "m")) if n]
    return " ".join(parts) or "0m"


def default_lock_path(repo_root: Path) -> Path:
    """One lock per checkout, where git never tracks it: .git/optout-monitor-watch.lock (else the user cache)."""
    git = repo_root / ".git"
    if git.is_dir():
        return git / "optout-monitor-watch.lock"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "optout-monitor"
    digest = hashlib.sha256(str(repo_root.resolve()).encode()).hexdigest()[:12]  # the same in every process
    return cache / f"watch-{digest}.lock"


class Outcome(enum.Enum):
    OK = "ok"  # the job ran and exited 0 or 1
    FAILED = "failed"  # the job raised or exited with another code
    SKIPPED = "skipped"  # another process held the lock


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    code: int | None = None
    detail: str = ""


class Watcher:
    """Runs `job` every `every` (+ up to `jitter`), one process at a time, until asked to stop."""

    def __init__(
        self,
        every: timedelta,
        jitter: timedelta,
        job: Callable[[], int],
        lock_path: Path,
        log: Log | logging.Logger | None = None,
        *,
        run_now: bool = True,
        first_retry: timedelta | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if every <= timedelta(0):
            raise ValueError(f"every must be longer than 0 (got {describe(every)})")
        if jitter < timedelta(0):
            raise ValueError(f"jitter cannot be negative (got {jitter})")
        self.every = every
        self.jitter = jitter
        self.job = job
        self.lock_path = Path(lock_path)
        self.run_now = run_now
        self.first_retry = min(first_retry or every / 8, every)
        self.failures = 0
        self.runs = 0
        self._log = log.info if isinstance(log, logging.Logger) else (log or _default_log)
        self._rng = rng or random.Random()
        self._scheduler = schedule.Scheduler()
        self._stop_reason: str | None = None
        self._in_job = False

    # ------------------------------------------------------------------ stopping

    @property
    def stopping(self) -> bool:
        return self._stop_reason is not None

    def request_stop(self, reason: str = "asked to") -> None:
        """Stop after the current run (or right away between runs). Safe to call from a signal handler."""
        if self._stop_reason is None:
            self._stop_reason = reason

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGINT stop the loop between runs; a second SIGINT interrupts the running job."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.stopping and signum == signal.SIGINT and self._in_job:
            raise KeyboardInterrupt  # asked twice: stop the job too
        self.request_stop(name)
        if self._in_job:
            self._log(f"{name}: stopping once the current run ends")

    # ------------------------------------------------------------------ one run

    def run_once(self) -> Result:
        """Run the job once if no other process is running it; never raises for the job's failures."""
        lock = FileLock(str(self.lock_path), timeout=0)
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            lock.acquire()
        except Timeout:
            owner = _read_owner(self.lock_path)
            self._log(f"skipped a run: another run holds {self.lock_path}{owner}")
            return Result(Outcome.SKIPPED, detail="locked")
        self._in_job = True
        started = time.monotonic()
        try:
            _write_owner(self.lock_path)
            self.runs += 1
            self._log(f"run {self.runs} starts")
            try:
                code = self.job()
            except Exception as exc:  # a failed run must not end the daemon
                last = traceback.extract_tb(exc.__traceback__)[-1:]
                where = f" ({last[0].filename}:{last[0].lineno})" if last else ""
                self._log(
                    f"run {self.runs} failed after {describe(_since(started))}: {type(exc).__name__}: {exc}{where}"
                )
                return Result(Outcome.FAILED, detail=f"{type(exc).__name__}: {exc}")
            if code in OK_CODES:
                what = "nothing to do" if code == 0 else "instructions updated"
                self._log(f"run {self.runs} done in {describe(_since(started))}: {what} (exit {code})")
                return Result(Outcome.OK, code)
            self._log(f"run {self.runs} failed after {describe(_since(started))}: exit {code}")
            return Result(Outcome.FAILED, code, f"exit {code}")
        finally:
            _clear_owner(self.lock_path)
            lock.release()
            self._in_job = False

    # ------------------------------------------------------------------ the loop

    def next_delay(self, result: Result | None) -> timedelta:
        """The wait before the next run after `result` (None: the first one)."""
        if result is not None and result.outcome is Outcome.FAILED:
            self.failures += 1
            return min(self.every, self.first_retry * (1 << (self.failures - 1)))
        if result is not None and result.outcome is Outcome.OK:
            self.failures = 0
        if self.failures:  # skipped while backing off: keep the retry pace
            return min(self.every, self.first_retry * (1 << (self.failures - 1)))
        return self.every + self.jitter * self._rng.random()

    @property
    def next_run(self) -> datetime | None:
        value: datetime | None = self._scheduler.next_run
        return value

    def _plan(self, delay: timedelta, why: str) -> None:
        self._scheduler.clear()
        seconds = max(1, round(delay.total_seconds()))  # the schedule's resolution is one second
        delay = timedelta(seconds=seconds)
        self._scheduler.every(seconds).seconds.do(self._tick)
        when = self.next_run
        stamp = when.astimezone().isoformat(timespec="seconds") if when else "?"
        self._log(f"next run at {stamp} (in {describe(delay)}{why})")

    def _tick(self) -> Any:
        result = self.run_once()
        if not self.stopping:
            delay = self.next_delay(result)
            why = ""
            if self.failures:
                why = f"; backing off after {self.failures} failed run{'s' if self.failures > 1 else ''}"
            self._plan(delay, why)
        return schedule.CancelJob  # every run plans the next one itself

    def run(self) -> int:
        """Loop until stopped; 0 when stopped by a signal or request_stop()."""
        self._log(
            f"watching: every {describe(self.every)}"
            + (f" plus up to {describe(self.jitter)}" if self.jitter else "")
            + f", lock {self.lock_path}, pid {os.getpid()}"
        )
        if self.run_now:
            self._tick()
        else:
            self._plan(self.next_delay(None), "")
        while not self.stopping:
            self._scheduler.run_pending()
            if self.stopping:
                break
            idle = self._scheduler.idle_seconds
            time.sleep(min(max(idle if idle is not None else POLL_SECONDS, 0.0), POLL_SECONDS))
        self._scheduler.clear()
        self._log(f"stopped ({self._stop_reason}) after {self.runs} run{'s' if self.runs != 1 else ''}")
        return 0


def _since(started: float) -> timedelta:
    return timedelta(seconds=round(time.monotonic() - started, 1))


def _owner_path(lock_path: Path) -> Path:
    return lock_path.with_name(lock_path.name + ".owner")


def _write_owner(lock_path: Path) -> None:
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    _owner_path(lock_path).write_text(f"pid {os.getpid()} since {stamp}\n", encoding="utf-8")


def _clear_owner(lock_path: Path) -> None:
    _owner_path(lock_path).unlink(missing_ok=True)


def _read_owner(lock_path: Path) -> str:
    try:
        return f" ({_owner_path(lock_path).read_text(encoding='utf-8').strip()})"
    except OSError:
        return ""


def _default_log(message: str) -> None:
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    print(f"{stamp} watch: {message}", flush=True)
