"""One writer per --snapshots and per --out folder, across processes: a second writer waits a
short, configurable time, then exits 3 with a message naming the holder (pid, command, start)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli import app
from monitor.guard import locks
from tests.runs import synthetic_run

ROOT = Path(__file__).resolve().parent.parent
HOLD = """
import sys, time
from pathlib import Path
from monitor.guard import locks
with locks.hold(Path(sys.argv[1]), "optout-monitor accept runs/1"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


@pytest.fixture(autouse=True)
def own_lock_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture()
def holder(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """Another process holding the lock of tmp_path/target for 30 s."""
    folder = tmp_path / "target"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder), "30"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    try:
        yield folder, proc
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def invoke(*args: str, wait: str = "0.5") -> tuple[int, str, float]:
    t0 = time.monotonic()
    result = CliRunner().invoke(app, list(args), env={locks.WAIT_ENV: wait})
    return result.exit_code, result.output, time.monotonic() - t0


def test_a_second_accept_into_the_same_baseline_names_the_holder(
    holder: tuple[Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    snaps, proc = holder
    run = synthetic_run(tmp_path / "run", "lock", walks=1)
    code, output, _ = invoke("accept", str(run), "--snapshots", str(snaps))
    assert code == 3, output
    assert f"pid {proc.pid}" in output and "`optout-monitor accept runs/1`" in output and "started 20" in output
    assert "waited 0.5s" in output and locks.WAIT_ENV in output and "Traceback" not in output
    assert not snaps.exists(), "nothing was written"


def test_a_second_check_into_the_same_out_exits_before_walking(holder: tuple[Path, subprocess.Popen[str]]) -> None:
    out, proc = holder
    code, output, seconds = invoke(
        "check", "--out", str(out), "--journey", "facebook-genai", "--browser", "/nonexistent"
    )
    assert code == 3 and f"pid {proc.pid}" in output and "run folder" in output, output
    assert seconds < 10


def test_a_second_writer_waits_for_a_short_holder_and_then_works(tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(snaps), "1.0"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    run = synthetic_run(tmp_path / "run", "lock", walks=1)
    code, output, seconds = invoke("accept", str(run), "--snapshots", str(snaps), wait="30")
    proc.wait()
    proc.stdout.close()
    assert code == 0 and "accepted 1 walk(s)" in output, output
    assert seconds < 30


def test_the_same_folder_spelled_two_ways_has_one_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a").mkdir()
    monkeypatch.chdir(tmp_path)
    assert locks.lock_path(Path("a")) == locks.lock_path(tmp_path / "a" / ".." / "a")
    assert not any(p.name.endswith(".lock") for p in (tmp_path / "a").iterdir()), "the lock is not in the folder"


def test_a_bad_wait_setting_is_named(tmp_path: Path) -> None:
    run = synthetic_run(tmp_path / "run", "lock", walks=1)
    code, output, _ = invoke("accept", str(run), "--snapshots", str(tmp_path / "s"), wait="soon")
    assert code == 3 and "$OPTOUT_LOCK_WAIT='soon'" in output
