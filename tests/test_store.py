"""Snapshots on disk: atomic, byte-stable, and a failed or stand-in run never replaces what it must not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from monitor import store
from monitor.guard import files
from monitor.model import BlockReason, Images, Observation, RunInfo, Status, Walk
from tests.pngs import png


def obs(step: str, index: int, status: Status = Status.OK, journey: str = "j", text: str = "x") -> Observation:
    return Observation(
        journey=journey,
        site="facebook",
        locale="en",
        viewport="desktop",
        step=step,
        index=index,
        action="click",
        status=status,
        url=f"https://www.facebook.com/{text}",
        reason=BlockReason.LOGIN if status is Status.BLOCKED else None,
        images=Images(page=f"{step}.page.png", page_phash="0" * 16, page_dhash="0" * 16),
    )


def run_with(tmp: Path, walks: list[Walk], sites: dict[str, str] | None = None) -> Path:
    run = tmp / "run"
    for w in walks:
        store.save_walk(
            run / store.OBSERVATIONS,
            w,
            {o.images.page: png(f"{o.step}-{o.url}") for o in w.observations if o.images},
        )
    info = RunInfo(
        started="2026-01-01T00:00:00+00:00",
        finished="2026-01-01T00:00:01+00:00",
        seconds=1,
        config="m.yaml",
        sites=sites or {},
    )
    store.save_run(run, info, walks)
    return run


def walk(*observations: Observation, journey: str = "j") -> Walk:
    return Walk(journey=journey, site="facebook", locale="en", viewport="desktop", observations=list(observations))


def test_write_atomic_leaves_identical_files_untouched(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b.json"
    assert files.write_atomic(path, b"one") is True
    before = path.stat().st_mtime_ns
    os.utime(path, ns=(before - 10_000_000, before - 10_000_000))
    stamped = path.stat().st_mtime_ns
    assert files.write_atomic(path, b"one") is False
    assert path.stat().st_mtime_ns == stamped
    assert files.write_atomic(path, b"two") is True and path.read_bytes() == b"two"
    assert [p.name for p in path.parent.iterdir()] == ["b.json"], "no temporary file left behind"


def test_accepting_the_same_run_twice_changes_no_byte(tmp_path: Path) -> None:
    run = run_with(tmp_path, [walk(obs("a", 0), obs("b", 1))])
    snaps = tmp_path / "snaps"
    first = store.accept(run, snaps)
    assert first.written == 4 and first.walks == ["j/en/desktop"]
    stamp = {p: p.stat().st_mtime_ns for p in snaps.rglob("*") if p.is_file()}
    again = store.accept(run, snaps)
    assert again.written == 0 and again.removed == 0
    assert stamp == {p: p.stat().st_mtime_ns for p in snaps.rglob("*") if p.is_file()}


def test_accept_removes_steps_the_path_no_longer_has(tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    store.accept(run_with(tmp_path / "1", [walk(obs("a", 0), obs("b", 1))]), snaps)
    result = store.accept(run_with(tmp_path / "2", [walk(obs("a", 0))]), snaps)
    assert result.removed == 2
    assert sorted(p.name for p in (snaps / "j/en/desktop").iterdir()) == ["a.json", "a.page.png"]


def test_a_blocked_walk_keeps_its_old_baseline(tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    store.accept(run_with(tmp_path / "1", [walk(obs("a", 0, text="old"))]), snaps)
    before = (snaps / "j/en/desktop/a.json").read_bytes()
    result = store.accept(run_with(tmp_path / "2", [walk(obs("a", 0, Status.BLOCKED, text="new"))]), snaps)
    assert result.kept == ["j/en/desktop"] and result.walks == []
    assert (snaps / "j/en/desktop/a.json").read_bytes() == before


def test_stand_in_captures_never_enter_a_real_sites_baseline(tmp_path: Path) -> None:
    snaps = tmp_path / "snapshots"
    snaps.mkdir()
    (snaps / store.REAL_ONLY_MARKER).write_text("real sites only\n")
    run = run_with(tmp_path, [walk(obs("a", 0))], sites={"facebook": "http://127.0.0.1:8765"})
    with pytest.raises(store.StoreError, match="real sites only"):
        store.accept(run, snaps)
    assert list(snaps.iterdir()) == [snaps / store.REAL_ONLY_MARKER]


def test_the_repository_snapshots_folder_is_marked_real_sites_only() -> None:
    assert (Path(__file__).resolve().parent.parent / "snapshots" / store.REAL_ONLY_MARKER).is_file()


def test_a_damaged_run_accepts_nothing(tmp_path: Path) -> None:
    run = run_with(tmp_path, [walk(obs("a", 0))])
    (run / store.OBSERVATIONS / "j/en/desktop/a.json").write_text("{not json")
    snaps = tmp_path / "snaps"
    with pytest.raises(store.StoreError, match="damaged"):
        store.accept(run, snaps)
    assert not snaps.exists()


def test_accepting_a_folder_that_is_not_a_run_says_so(tmp_path: Path) -> None:
    with pytest.raises(store.StoreError, match="--out folder of a check"):
        store.accept(tmp_path, tmp_path / "snaps")


def test_read_tree_reports_unreadable_files_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "j/en/desktop"
    folder.mkdir(parents=True)
    (folder / "a.json").write_text(obs("a", 0).canonical_json())
    (folder / "a.page.png").write_bytes(png("a"))
    (folder / "b.json").write_text('{"journey": 1}')
    tree = store.read_tree(tmp_path)
    assert list(tree.observations) == [("j", "en", "desktop", "a")]
    assert list(tree.broken) == [folder / "b.json"] and "unreadable observation" in tree.broken[folder / "b.json"]
