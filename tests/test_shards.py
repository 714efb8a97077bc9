"""Sharding: I/N splits the walks deterministically, and the shards' reports merge into the whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import config, runner, store
from monitor.aggregate import AggregateError, aggregate
from monitor.write import report

from .conftest import Replica

# The public journeys but the 130,000 px printable policy: merging does not depend on a page's size
# (tests/test_long_page.py walks that one), and every combination here is walked twice (whole, sharded).
PUBLIC = ["facebook-privacy-policy", "facebook-genai", "instagram-privacy-policy"]


def test_shards_split_every_combination_exactly_once(cfg: config.Config) -> None:
    everything = runner.plan(cfg)
    for n in (1, 2, 3, 5):
        parts = [runner.plan(cfg, shard=(i, n)) for i in range(1, n + 1)]
        flat = [c for part in parts for c in part]
        assert sorted(flat) == sorted(everything) and len(flat) == len(set(flat))
        assert parts == [runner.plan(cfg, shard=(i, n)) for i in range(1, n + 1)], "deterministic"


@pytest.mark.parametrize("bad", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_a_bad_shard_is_refused_with_the_value(bad: str) -> None:
    with pytest.raises(ValueError, match=f"--shard '{bad}'"):
        runner.parse_shard(bad)


def test_aggregated_shards_equal_the_unsharded_report(
    cfg: config.Config, replica: Replica, baseline: store.Tree, tmp_path: Path
) -> None:
    def run(out: Path, shard: tuple[int, int]) -> None:
        check = runner.Check(
            cfg,
            "monitor.yaml",
            replica.stand_ins,
            replica.states,
            workers=2,
            baseline=baseline,
            shard=f"{shard[0]}/{shard[1]}",
        )
        check.check(runner.plan(cfg, PUBLIC, ["en", "fr"], ["desktop"], shard), out)

    replica.set_variant("reworded")  # something to report, with images
    try:
        run(tmp_path / "whole", (1, 1))
        run(tmp_path / "s1", (1, 2))
        run(tmp_path / "s2", (2, 2))
    finally:
        replica.set_variant("baseline-2025")
    whole = report.load(tmp_path / "whole" / "report.json")
    merged = aggregate([tmp_path / "s1", tmp_path / "s2"], tmp_path / "merged")
    assert merged.changes == whole.changes
    assert (merged.counts, merged.outcome, merged.exit_code, merged.problems) == (
        whole.counts,
        whole.outcome,
        whole.exit_code,
        whole.problems,
    )
    assert report.load(tmp_path / "merged" / "report.json") == merged
    for change in merged.changes:
        for rel in (change.images.before, change.images.after, change.images.diff):
            if rel:
                assert (tmp_path / "merged" / rel).is_file()


def test_the_same_walk_in_two_shards_is_refused(tmp_path: Path, replica: Replica, cfg: config.Config) -> None:
    check = runner.Check(cfg, "monitor.yaml", replica.stand_ins, replica.states)
    check.check(runner.plan(cfg, ["facebook-genai"], ["en"], ["desktop"]), tmp_path / "a")
    check.check(runner.plan(cfg, ["facebook-genai"], ["en"], ["desktop"]), tmp_path / "b")
    with pytest.raises(AggregateError, match="walked by two shards"):
        aggregate([tmp_path / "a", tmp_path / "b"], tmp_path / "merged")
