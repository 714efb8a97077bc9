"""The watch daemon: durations, back-off, one run at a time across processes, a clean stop on SIGTERM/Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from filelock import FileLock

from monitor.watch import Outcome, Result, Watcher, default_lock_path, describe, parse_duration

# One watcher in its own process. Its job appends "start PID TIME" / "end PID TIME" to a file.
DRIVER = r"""
import os, sys, time
from pathlib import Path
from monitor.watch import Watcher, parse_duration

record, lock, every, job_seconds, start_at = sys.argv[1:6]

def job():
    with open(record, "a") as f:
        f.write(f"start {os.getpid()} {time.time():.6f}\n")
    time.sleep(float(job_seconds))
    with open(record, "a") as f:
        f.write(f"end {os.getpid()} {time.time():.6f}\n")
    return 0

watcher = Watcher(parse_duration(every), parse_duration("0s"), job, Path(lock), log=lambda m: print(m, flush=True))
watcher.install_signal_handlers()
time.sleep(max(0.0, float(start_at) - time.time()))  # start together with the other process
sys.exit(watcher.run())
"""


def start(tmp_path: Path, every: str, job_seconds: float, start_at: float = 0.0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            DRIVER,
            str(tmp_path / "record"),
            str(tmp_path / "watch.lock"),
            every,
            str(job_seconds),
            str(start_at),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def records(tmp_path: Path) -> list[tuple[str, int, float]]:
    path = tmp_path / "record"
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        kind, pid, stamp = line.split()
        out.append((kind, int(pid), float(stamp)))
    return out


def wait_for(predicate: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting")


def finish(proc: subprocess.Popen[str], timeout: float = 5.0) -> tuple[int, str]:
    out, _ = proc.communicate(timeout=timeout)
    return proc.returncode, out


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6h", timedelta(hours=6)),
        ("15m", timedelta(minutes=15)),
        ("90s", timedelta(seconds=90)),
        ("1d", timedelta(days=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        (" 2H ", timedelta(hours=2)),
        ("0.5s", timedelta(seconds=0.5)),
        ("0s", timedelta(0)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("bad", ["6", "six hours", "6 hours", "h", "-1h", "", "1h-30m", "1w"])
def test_parse_duration_names_the_bad_value(bad: str) -> None:
    with pytest.raises(ValueError, match=f"^{bad!r} is not a duration: use a number and a unit"):
        parse_duration(bad)


def test_describe() -> None:
    assert [describe(parse_duration(t)) for t in ("6h", "15m", "90s", "1d2h", "45m", "2s")] == [
        "6h",
        "15m",
        "2m",
        "1d 2h",
        "45m",
        "2s",
    ]


def test_every_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="every must be longer than 0"):
        Watcher(timedelta(0), timedelta(0), lambda: 0, tmp_path / "l")


# --------------------------------------------------------------------------- in one process


def test_back_off_doubles_up_to_every_and_resets_after_a_good_run(tmp_path: Path) -> None:
    w = Watcher(parse_duration("8h"), parse_duration("15m"), lambda: 0, tmp_path / "l", log=lambda m: None)
    failed = Result(Outcome.FAILED, 3)
    assert [w.next_delay(failed) for _ in range(5)] == [parse_duration(t) for t in ("1h", "2h", "4h", "8h", "8h")]
    assert w.next_delay(Result(Outcome.SKIPPED)) == parse_duration("8h"), "a skipped run keeps the retry pace"
    normal = w.next_delay(Result(Outcome.OK, 0))
    assert w.failures == 0 and parse_duration("8h") <= normal <= parse_duration("8h15m")


def test_run_once_reads_exit_codes_and_survives_exceptions(tmp_path: Path) -> None:
    lines: list[str] = []
    codes = iter([0, 1, 3, 2])

    def job() -> int:
        return next(codes)

    w = Watcher(parse_duration("1h"), timedelta(0), job, tmp_path / "l", log=lines.append)
    assert [w.run_once().outcome for _ in range(4)] == [Outcome.OK, Outcome.OK, Outcome.FAILED, Outcome.FAILED]

    def boom() -> int:
        raise RuntimeError("Chromium went away")

    w.job = boom
    assert w.run_once() == Result(Outcome.FAILED, detail="RuntimeError: Chromium went away")
    assert any("nothing to do (exit 0)" in m for m in lines) and any(
        "instructions updated (exit 1)" in m for m in lines
    )
    assert any("failed after" in m and "exit 3" in m for m in lines)
    assert any("RuntimeError: Chromium went away" in m for m in lines)
    free = FileLock(str(tmp_path / "l"), timeout=0)
    free.acquire()  # raises if a run left the lock taken
    free.release()


def test_a_taken_lock_skips_the_run_and_names_its_owner(tmp_path: Path) -> None:
    lines: list[str] = []
    ran: list[int] = []
    lock = tmp_path / "watch.lock"
    (tmp_path / "watch.lock.owner").write_text("pid 4242 since 2025-06-01T00:00:00+00:00\n")
    holder = FileLock(str(lock), timeout=0)
    with holder:
        w = Watcher(parse_duration("1h"), timedelta(0), lambda: ran.append(1) or 0, lock, log=lines.append)
        assert w.run_once() == Result(Outcome.SKIPPED, detail="locked")
    assert ran == []
    assert any(f"skipped a run: another run holds {lock} (pid 4242" in m for m in lines)
    assert w.run_once().outcome is Outcome.OK and ran == [1], "free again once the other run ends"


def test_a_failed_run_is_logged_backed_off_and_the_loop_goes_on(tmp_path: Path) -> None:
    lines: list[str] = []
    calls: list[float] = []

    def job() -> int:
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise OSError("network is unreachable")
        w.request_stop("test")
        return 0

    w = Watcher(parse_duration("1s"), timedelta(0), job, tmp_path / "l", log=lines.append)
    assert w.run() == 0
    assert len(calls) == 2 and 0.8 <= calls[1] - calls[0] <= 3
    text = "\n".join(lines)
    assert "OSError: network is unreachable" in text
    assert "backing off after 1 failed run" in text
    assert "next run at " in text and "stopped (test) after 2 runs" in text


# --------------------------------------------------------------------------- real processes


def test_two_watch_processes_never_run_at_the_same_time(tmp_path: Path) -> None:
    start_at = time.time() + 0.8  # both past their imports, then both due at once
    procs = [start(tmp_path, "1s", 0.6, start_at) for _ in range(2)]
    try:
        wait_for(lambda: len({pid for kind, pid, _ in records(tmp_path) if kind == "end"}) == 2, timeout=15)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
    results = [finish(p) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    runs = records(tmp_path)
    # Appended as they happen: with no overlap, every start is followed by the same process's end.
    assert [kind for kind, _, _ in runs] == ["start", "end"] * (len(runs) // 2), runs
    for (_, pid, began), (_, pid_end, ended) in zip(runs[::2], runs[1::2], strict=True):
        assert pid == pid_end and began <= ended, f"run of {pid} overlapped another: {runs}"
    for (_, _, ended), (_, _, began) in zip(runs[1::2], runs[2::2], strict=False):
        assert ended <= began, runs
    assert {pid for _, pid, _ in runs} == {p.pid for p in procs}, "both took turns"
    output = "".join(out for _, out in results)
    assert "skipped a run: another run holds" in output, "the lock was contended and one of them skipped"


def test_sigterm_between_runs_stops_cleanly_with_exit_0(tmp_path: Path) -> None:
    proc = start(tmp_path, "30s", 0.1)
    try:
        wait_for(lambda: any(r[0] == "end" for r in records(tmp_path)))
        time.sleep(0.1)
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code, out = finish(proc)
    finally:
        proc.kill()
    assert code == 0, out
    assert time.monotonic() - sent < 2, "it does not wait for the next run"
    assert "next run at " in out and "stopped (SIGTERM) after 1 run" in out
    assert [r[0] for r in records(tmp_path)] == ["start", "end"]
    assert not (tmp_path / "watch.lock.owner").exists()


def test_sigterm_during_a_run_lets_it_finish_then_stops(tmp_path: Path) -> None:
    proc = start(tmp_path, "30s", 1.0)
    try:
        wait_for(lambda: any(r[0] == "start" for r in records(tmp_path)))
        proc.send_signal(signal.SIGTERM)
        code, out = finish(proc)
    finally:
        proc.kill()
    assert code == 0, out
    assert [r[0] for r in records(tmp_path)] == ["start", "end"], "the running job finished"
    assert "SIGTERM: stopping once the current run ends" in out and "stopped (SIGTERM) after 1 run" in out
    assert "next run at" not in out.split("SIGTERM")[1], "no next run is planned once asked to stop"


def test_ctrl_c_stops_it_too(tmp_path: Path) -> None:
    proc = start(tmp_path, "30s", 0.1)
    try:
        wait_for(lambda: any(r[0] == "end" for r in records(tmp_path)))
        os.kill(proc.pid, signal.SIGINT)
        code, out = finish(proc)
    finally:
        proc.kill()
    assert code == 0, out
    assert "stopped (SIGINT)" in out and "Traceback" not in out


def test_default_lock_path_is_the_same_for_every_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert default_lock_path(tmp_path / "repo") == tmp_path / "repo" / ".git" / "optout-monitor-watch.lock"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    here = default_lock_path(tmp_path / "plain")
    code = f"from pathlib import Path; from monitor.watch import default_lock_path; print(default_lock_path(Path({str(tmp_path / 'plain')!r})))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert str(here) == other and here.parent == tmp_path / "cache" / "optout-monitor"
