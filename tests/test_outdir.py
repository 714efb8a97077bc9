"""Output folders: a command clears only a folder it made (or an empty one), never one that
overlaps the baseline, the instructions or the repository, and refuses before any work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli import app
from monitor.guard import outdir
from monitor.model import RunInfo

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), prog_name="optout-monitor")
    return result.exit_code, result.output


def documents(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A folder of someone's files, as `check --out ~/my-documents` would find it."""
    folder = tmp_path / "my-documents"
    (folder / "taxes").mkdir(parents=True)
    files = {"letter.txt": b"Dear Meta,\n", "taxes/2025.pdf": b"%PDF-1.7 ..."}
    for rel, data in files.items():
        (folder / rel).write_bytes(data)
    return folder, files


def intact(folder: Path, files: dict[str, bytes]) -> bool:
    found = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    return found == files


def test_check_refuses_a_folder_of_documents_before_walking(tmp_path: Path) -> None:
    folder, files = documents(tmp_path)
    code, output = invoke("check", "--out", str(folder), "--journey", "facebook-genai", "--browser", "/nonexistent")
    assert code == 2, output
    assert "not empty" in output and "not made by optout-monitor" in output and "letter.txt" in output
    assert intact(folder, files)


@pytest.mark.parametrize("command", ["site", "feed", "aggregate", "publish"])
def test_every_command_that_writes_a_folder_refuses_a_folder_of_documents(tmp_path: Path, command: str) -> None:
    folder, files = documents(tmp_path)
    args = {
        "site": ["site", str(folder), "--root", str(ROOT)],
        "feed": ["feed", "--out", str(folder), "--root", str(ROOT)],
        "aggregate": ["aggregate", str(tmp_path / "shard"), "--out", str(folder)],
        "publish": ["publish", str(report_file(tmp_path)), "--dry-run", str(folder), "--root", str(tmp_path)],
    }[command]
    code, output = invoke(*args)
    assert code == 2 and "not made by optout-monitor" in output, output
    assert intact(folder, files)


def report_file(tmp_path: Path) -> Path:
    from monitor.model import Report

    info = RunInfo(started="2026-01-01T00:00:00+00:00", finished="2026-01-01T00:00:01+00:00", seconds=1, config="m")
    path = tmp_path / "run" / "report.json"
    path.parent.mkdir(parents=True)
    path.write_text(Report.build(info, [], []).canonical_json())
    return path


def test_check_refuses_an_out_that_is_the_baseline(tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    (snaps / "j/en/desktop").mkdir(parents=True)
    (snaps / "j/en/desktop/a.json").write_text("{}")
    code, output = invoke("check", "--out", str(snaps), "--snapshots", str(snaps), "--journey", "facebook-genai")
    assert code == 2 and "overlaps --snapshots" in output, output
    assert (snaps / "j/en/desktop/a.json").read_text() == "{}"


@pytest.mark.parametrize(
    ("out", "snapshots", "clash"),
    [
        ("snaps/runs/1", "snaps", "--snapshots"),  # inside the baseline
        ("work", "work/snaps", "--snapshots"),  # holding the baseline
        ("repo/instructions/x", "repo/snapshots", "the instructions"),
        ("repo", "repo/snapshots", "the repository"),
        ("/", "repo/snapshots", "the repository"),
    ],
)
def test_an_out_overlapping_the_baseline_instructions_or_repository_is_refused(
    tmp_path: Path, out: str, snapshots: str, clash: str
) -> None:
    repo = tmp_path / "repo"
    protected = [
        ("--snapshots", tmp_path / snapshots),
        ("the instructions", repo / "instructions"),
        ("the repository", repo),
    ]
    with pytest.raises(outdir.OutputError, match=f"overlaps {clash}") as caught:
        outdir.claim(tmp_path / out, "check", "--out", protected)
    assert caught.value.code == 2
    assert not (tmp_path / out / outdir.MARKER).exists()


def test_a_run_folder_inside_the_repository_is_fine(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    outdir.claim(repo / "runs" / "1", "check", "--out", [("the repository", repo)])
    assert (repo / "runs" / "1" / outdir.MARKER).is_file()


def test_a_folder_the_monitor_made_is_cleared_but_keeps_its_marker(tmp_path: Path) -> None:
    out = tmp_path / "run"
    outdir.claim(out, "check", "--out")
    (out / "observations" / "j").mkdir(parents=True)
    (out / "report.json").write_text("{}")
    outdir.claim(out, "check", "--out")  # a second run into the same folder is allowed
    outdir.clear(out)
    assert [p.name for p in out.iterdir()] == [outdir.MARKER]


def test_an_empty_folder_is_claimed(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    outdir.claim(out, "feed", "--out")
    assert (out / outdir.MARKER).is_file()


def test_clear_refuses_a_folder_without_a_marker(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(outdir.OutputError, match="did not make it"):
        outdir.clear(tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_a_file_given_as_out_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(outdir.OutputError, match="is a file"):
        outdir.claim(tmp_path / "f", "site", "OUT")


def test_the_site_folder_built_earlier_is_still_accepted(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    out.mkdir()
    (out / ".optout-monitor-site").write_text("built\n")
    (out / "index.html").write_text("<html>")
    outdir.claim(out, "site", "OUT", marker=".optout-monitor-site")
    assert json.dumps(sorted(p.name for p in out.iterdir())) == json.dumps([".optout-monitor-site", "index.html"])


def test_a_missing_storage_state_file_is_refused_before_the_earlier_run_is_cleared(tmp_path: Path) -> None:
    out = tmp_path / "run"
    outdir.claim(out, "check", "--out")
    (out / "report.json").write_text("{}")  # the earlier run
    missing = tmp_path / "nowhere.json"
    code, output = invoke(
        "check", "--out", str(out), "--snapshots", str(tmp_path / "snaps"),
        "--journey", "instagram-privacy-center", "--storage-state", f"instagram={missing}",
    )  # fmt: skip
    assert code == 2 and "nowhere.json" in output, output
    assert (out / "report.json").read_text() == "{}"
