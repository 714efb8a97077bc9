"""Every OS error is an error message: a read-only folder or a full disk (real tmpfs mounts) ends
in one line naming the path and the cause, exit 3, with no traceback, and before any page is
opened when the output folder cannot be written; a full disk during accept changes no walk."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor import store
from monitor.cli import app
from tests.conftest import Replica
from tests.runs import leftovers, synthetic_run, walk_prints
from tests.tmpfs import read_only, tmpfs


def invoke(*args: str) -> tuple[int, str, float]:
    t0 = time.monotonic()
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output, time.monotonic() - t0


def one_line_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in output, output
    return lines[0]


def test_a_read_only_out_fails_before_any_page_is_opened(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro") as mount:
        read_only(mount)
        code, output, seconds = invoke(
            "check", "--out", str(mount / "run"), "--journey", "facebook-genai", "--browser", "/nonexistent"
        )
    line = one_line_error(output)
    assert code == 3 and str(mount / "run") in line and "Read-only file system" in line
    assert seconds < 10


def test_a_full_disk_during_a_check_is_one_line(tmp_path: Path, replica: Replica) -> None:
    with tmpfs(tmp_path / "full", "96k") as mount:
        code, output, _ = invoke(
            "check",
            "--out",
            str(mount / "run"),
            "--snapshots",
            str(tmp_path / "snaps"),
            "--journey",
            "facebook-genai",
            "--locale",
            "en",
            "--viewport",
            "desktop",
            *replica.site_args,
        )
    line = one_line_error(output)
    assert code == 3 and str(mount / "run") in line and "No space left on device" in line


def test_a_full_disk_during_accept_replaces_no_walk_and_leaves_no_staging(tmp_path: Path) -> None:
    old = synthetic_run(tmp_path / "old", "old", walks=6)
    new = synthetic_run(tmp_path / "new", "new", walks=6, size=(240, 180))
    size = sum(p.stat().st_size for p in (old / store.OBSERVATIONS).rglob("*") if p.is_file())
    with tmpfs(tmp_path / "full", f"{size * 3 // 2 // 1024}k") as mount:
        snaps = mount / "snaps"
        store.accept(old, snaps)
        before = walk_prints(snaps)
        code, output, _ = invoke("accept", str(new), "--snapshots", str(snaps))
        line = one_line_error(output)
        assert code == 3 and str(snaps) in line and "No space left on device" in line
        assert walk_prints(snaps) == before
        assert leftovers(snaps) == []


def test_a_read_only_baseline_is_one_line_for_accept(tmp_path: Path) -> None:
    run = synthetic_run(tmp_path / "run", "ro", walks=1)
    with tmpfs(tmp_path / "ro") as mount:
        read_only(mount)
        code, output, _ = invoke("accept", str(run), "--snapshots", str(mount / "snaps"))
    line = one_line_error(output)
    assert code == 3 and str(mount / "snaps") in line and "Read-only file system" in line


def test_an_unexpected_failure_is_one_line_and_debug_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug, not the user's fault")

    monkeypatch.setattr(store, "accept", boom)
    result = CliRunner().invoke(app, ["accept", str(tmp_path), "--snapshots", str(tmp_path / "s")])
    line = one_line_error(result.output)
    assert result.exit_code == 3 and "unexpected RuntimeError: a bug" in line and "--debug" in line
    result = CliRunner().invoke(app, ["--debug", "accept", str(tmp_path), "--snapshots", str(tmp_path / "s")])
    assert isinstance(result.exception, RuntimeError)
