"""A baseline is accepted whole or not at all: each walk is swapped in by one rename, a writer
killed at any moment leaves every walk entirely old or entirely new, and the next writer removes
what a dead writer left, and only that."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor import store
from tests.runs import copy_run, leftovers, synthetic_run, walk_prints

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Two runs of the same 12 walks with different bytes, built once (read-only for the tests)."""
    folder = tmp_path_factory.mktemp("runs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(folder / "cache"))  # the lock folder of these tests alone
        old = synthetic_run(folder / "old", "old")
        new = synthetic_run(folder / "new", "new")
        # The new run lost a step in one walk: accepting it also removes files.
        for name in ("s2.json", "s2.page.png", "s2.target.png"):
            (new / store.OBSERVATIONS / "synthetic/l00/desktop" / name).unlink()
        yield old, new


def accept_process(run: Path, snaps: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "accept", str(run), "--snapshots", str(snaps)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_accept_swaps_whole_walks_and_leaves_no_staging(runs: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = runs
    snaps = tmp_path / "snaps"
    first = store.accept(old, snaps)
    assert len(first.walks) == 12 and first.written == 12 * 3 * 3
    result = store.accept(new, snaps)
    assert result.removed == 3 and len(result.walks) == 12
    expected = tmp_path / "expected"
    store.accept(new, expected)
    assert walk_prints(snaps) == walk_prints(expected)
    assert leftovers(snaps) == []


def test_a_staged_walk_that_does_not_verify_changes_nothing(runs: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = runs
    snaps = tmp_path / "snaps"
    store.accept(old, snaps)
    before = walk_prints(snaps)
    # A staged file that differs from what the run recorded (here: truncated on the way) is caught.
    with pytest.MonkeyPatch.context() as mp:
        staged: list[Path] = []
        orig_stage = store.Staging.stage

        def stage(self: store.Staging, combo: tuple[str, str, str], files: dict[str, bytes]) -> tuple[int, int]:
            if combo[1] == "l05":
                files = {**files, "s1.page.png": files["s1.page.png"][:10]}
            staged.append(self.root)
            return orig_stage(self, combo, files)

        mp.setattr(store.Staging, "stage", stage)
        with pytest.raises(store.StoreError, match="did not verify") as caught:
            store.accept(new, snaps)
    assert caught.value.code == 3 and "l05/desktop/s1.page.png" in str(caught.value)
    assert walk_prints(snaps) == before, "no walk was swapped"
    assert leftovers(snaps) == [] and not staged[0].exists()


def test_the_next_writer_finishes_a_dead_two_rename_swap_and_removes_only_staging(
    runs: tuple[Path, Path], tmp_path: Path
) -> None:
    """Where the atomic exchange is missing, a swap is two renames; a writer dead between them left
    the walk at old/ and new/ inside its staging folder: READY rolls forward, else back."""
    old, new = runs
    for ready, want in ((True, "new"), (False, "old")):
        snaps = tmp_path / f"snaps-{want}"
        store.accept(old, snaps)
        expected = tmp_path / f"expected-{want}"
        store.accept(old if want == "old" else new, expected)
        dead = snaps / f"{store.STAGING_PREFIX}999999"
        walk = "synthetic/l03/desktop"
        (dead / "old" / walk).parent.mkdir(parents=True)
        os.rename(snaps / walk, dead / "old" / walk)
        copy_run(new / store.OBSERVATIONS / walk, dead / "new" / walk)
        if ready:
            (dead / "READY").touch()
        (snaps / "notes.txt").write_text("mine")
        (snaps / ".keep").write_text("mine too")
        assert store.recover(snaps) == [dead]
        assert walk_prints(snaps)[walk] == walk_prints(expected)[walk]
        assert leftovers(snaps) == []
        assert (snaps / "notes.txt").read_text() == "mine" and (snaps / ".keep").exists()


def test_a_verified_baseline_never_reads_a_writers_staging_folder(runs: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = runs
    snaps = tmp_path / "snaps"
    store.accept(old, snaps)
    copy_run(old / store.OBSERVATIONS, snaps / f"{store.STAGING_PREFIX}1" / "new")
    tree = store.read_tree(snaps)
    assert len(tree.observations) == 12 * 3 and tree.broken == {}


def test_sigkill_at_any_point_of_accept_leaves_each_walk_old_or_new(runs: tuple[Path, Path], tmp_path: Path) -> None:
    """Real processes, killed with SIGKILL: at fractions of a whole accept's time, and at short delays
    after its staging folder appears (the swaps). After each kill every walk hashes to its old or its
    new state; the next accept cleans the dead writer's staging folder and leaves no temp file."""
    old, new = runs
    states = {}
    for name, run in (("old", old), ("new", new)):
        store.accept(run, tmp_path / f"state-{name}")
        states[name] = walk_prints(tmp_path / f"state-{name}")
    snaps = tmp_path / "snaps"
    t0 = time.monotonic()
    store.accept(old, snaps)
    proc = accept_process(new, snaps)
    assert proc.wait(timeout=120) == 0
    whole = time.monotonic() - t0
    assert walk_prints(snaps) == states["new"]

    outcomes: list[tuple[str, int, bool]] = []
    plans = [("fraction", f / 8) for f in range(1, 7)] + [
        ("after-staging", d) for d in (0.0, 0.005, 0.02, 0.05, 0.1, 0.2)
    ]
    for kind, value in plans:
        store.accept(old, snaps)  # the next command: recovers, then puts the old state back
        assert leftovers(snaps) == [] and walk_prints(snaps) == states["old"]
        proc = accept_process(new, snaps)
        if kind == "fraction":
            time.sleep(whole * value)
        else:
            deadline = time.monotonic() + 60
            while not any(snaps.glob(f"{store.STAGING_PREFIX}*")) and proc.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.001)
            time.sleep(value)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        prints = walk_prints(snaps)
        assert set(prints) == set(states["old"])
        for walk, digest in prints.items():
            assert digest in (states["old"][walk], states["new"][walk]), f"{kind} {value}: {walk} is mixed"
        new_walks = sum(prints[w] == states["new"][w] != states["old"][w] for w in prints)
        outcomes.append((f"{kind}={value:g}", new_walks, bool(leftovers(snaps))))
    print("kills (point, walks already new, staging left):", outcomes)
    # The kills were real: some landed mid-accept (a staging folder left, or only part of the walks new).
    assert any(staging or 0 < n < 12 for _, n, staging in outcomes), outcomes
    store.accept(new, snaps)
    assert leftovers(snaps) == [] and walk_prints(snaps) == states["new"]
