"""A baseline is verified before it is trusted: an image that is empty, not a PNG, or not the one
recorded at capture, and a schema version this code does not know, are named problems (exit 3)
with the fix; never "unchanged", and never a crash in `update`."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor import config, store
from monitor.cli import app
from monitor.config import Thresholds
from monitor.judge import compare
from monitor.model import Verdict, Walk
from monitor.update import BrokenBaseline, apply
from tests.pngs import png
from tests.runs import INFO, synthetic_run

ROOT = Path(__file__).resolve().parent.parent
WALK = "synthetic/l00/desktop"


def zero_bytes(folder: Path) -> None:
    (folder / "s1.page.png").write_bytes(b"")


def random_bytes(folder: Path) -> None:
    (folder / "s1.page.png").write_bytes(os.urandom(2048))


def another_png(folder: Path) -> None:
    (folder / "s1.page.png").write_bytes(png("not the captured one"))


def schema_2(folder: Path) -> None:
    data = json.loads((folder / "s1.json").read_text())
    (folder / "s1.json").write_text(json.dumps({**data, "schema_version": 2}))


BREAKS: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "0-byte png": (zero_bytes, "s1.page.png", "not an image (0 bytes)"),
    "random bytes": (random_bytes, "s1.page.png", "not an image (2048 bytes)"),
    "another png": (another_png, "s1.page.png", "sha256 differs"),
    "schema_version 2": (schema_2, "s1.json", "schema_version 2 is not one this optout-monitor knows"),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_run(tmp_path_factory.mktemp("run") / "run", "verify", walks=2)


def walks_of(run: Path, locale: str = "l00") -> list[Walk]:
    tree = store.read_tree(run / store.OBSERVATIONS)
    obs = tree.walk_of("synthetic", locale, "desktop")
    return [Walk(journey="synthetic", site="facebook", locale=locale, viewport="desktop", observations=obs)]


@pytest.mark.parametrize("name", list(BREAKS))
def test_a_broken_baseline_file_is_a_problem_with_its_fix_never_unchanged(run: Path, tmp_path: Path, name: str) -> None:
    snaps = tmp_path / "snaps"
    store.accept(run, snaps)
    brk, file, message = BREAKS[name]
    brk(snaps / WALK)
    report = compare.compare_run(store.read_tree(snaps), walks_of(run), Thresholds(), INFO)
    assert report.exit_code == 3
    [problem] = report.problems
    assert problem.path == str(snaps / WALK / file) and message in problem.message
    assert f"optout-monitor accept RUN --snapshots {snaps}" in problem.fix and problem.key == f"{WALK}/s1"
    by_step = {c.step: c for c in report.changes}
    assert by_step["s1"].verdict is Verdict.NEW and "unreadable" in by_step["s1"].summary
    assert by_step["s0"].verdict is Verdict.UNCHANGED  # the rest of the walk is still compared


def test_an_intact_baseline_verifies_clean(run: Path, tmp_path: Path) -> None:
    store.accept(run, tmp_path / "snaps")
    report = compare.compare_run(store.read_tree(tmp_path / "snaps"), walks_of(run), Thresholds(), INFO)
    assert report.problems == [] and {c.verdict for c in report.changes} == {Verdict.UNCHANGED}


@pytest.mark.parametrize("name", ["0-byte png", "schema_version 2"])
def test_update_stops_with_the_problem_instead_of_crashing(run: Path, tmp_path: Path, name: str) -> None:
    """A broken walk the report does not cover: update names it (exit 3) and leaves instructions alone."""
    root = tmp_path / "root"
    store.accept(run, root / "snapshots")
    BREAKS[name][0](root / "snapshots/synthetic/l01/desktop")
    report = compare.compare_run(store.read_tree(root / "snapshots"), walks_of(run), Thresholds(), INFO)
    report_path = run / "report.json"
    report_path.write_text(report.canonical_json())
    cfg = config.load(ROOT / "monitor.yaml")
    with pytest.raises(BrokenBaseline, match="synthetic/l01/desktop"):
        apply(cfg, report, run, root)
    result = CliRunner().invoke(
        app, ["update", str(report_path), "--root", str(root), "-c", str(ROOT / "monitor.yaml")]
    )
    assert result.exit_code == 3 and "baseline problem" in result.output and "Traceback" not in result.output
    assert not (root / "instructions").exists()


def test_update_repairs_a_broken_step_that_the_run_captured_again(run: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    store.accept(run, root / "snapshots")
    zero_bytes(root / "snapshots" / WALK)
    report = compare.compare_run(store.read_tree(root / "snapshots"), walks_of(run), Thresholds(), INFO)
    applied = apply(config.load(ROOT / "monitor.yaml"), report, run, root)
    assert applied.accepted == [f"{WALK}/s1"]
    assert store.read_tree(root / "snapshots").broken == {}
