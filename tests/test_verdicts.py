"""Every replica variant, on both platforms, gets the verdict a careful person would give it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from monitor import config, runner, store
from monitor.model import VERDICT_PRECEDENCE, Category, Report, Verdict
from monitor.replica import VARIANTS

from .conftest import Replica

JOURNEYS = {"facebook": "facebook-privacy-center", "instagram": "instagram-privacy-center"}
# Two raw runs (one per viewport) pin the behaviour; how often noise stays quiet over many runs is
# measured by scripts/accuracy.py --repeat N (docs/accuracy.md). OPTOUT_NOISE_RUNS=20 runs more here.
NOISE_RUNS = int(os.environ.get("OPTOUT_NOISE_RUNS", "2"))


def strongest(report: Report, journey: str, locale: str) -> Verdict:
    """The run's verdict for one walk: the strongest step verdict (new and skipped steps aside)."""
    seen = [
        c.verdict
        for c in report.changes
        if c.journey == journey and c.locale == locale and c.verdict not in (Verdict.NEW, Verdict.SKIPPED)
    ]
    return min(seen, key=VERDICT_PRECEDENCE.index)


def check_variant(
    cfg: config.Config,
    replica: Replica,
    baseline: store.Tree,
    out: Path,
    variant: str,
    locales: list[str],
    confirm: int = 1,
    viewports: tuple[str, ...] = ("desktop",),
) -> Report:
    replica.set_variant(variant)
    try:
        quick = cfg.model_copy(update={"thresholds": cfg.thresholds.model_copy(update={"confirm": confirm})})
        check = runner.Check(quick, "monitor.yaml", replica.stand_ins, replica.states, workers=2, baseline=baseline)
        return check.check(runner.plan(quick, list(JOURNEYS.values()), locales, list(viewports)), out)
    finally:
        replica.set_variant("baseline-2025")


# variants judged on the Privacy Center journeys (the long-page ones change only the printable policy)
@pytest.mark.parametrize(
    "variant",
    [
        v
        for v, spec in VARIANTS.items()
        if v not in ("noise", "de-only-reworded")
        and all(spec.expected_for(j) == spec.expected for j in JOURNEYS.values())
    ],
)
def test_each_variant_gets_its_expected_verdict_on_both_platforms(
    variant: str, cfg: config.Config, replica: Replica, baseline: store.Tree, tmp_path: Path
) -> None:
    report = check_variant(cfg, replica, baseline, tmp_path, variant, ["en"], confirm=0)
    expected = Verdict(VARIANTS[variant].expected)
    got = {platform: strongest(report, journey, "en") for platform, journey in JOURNEYS.items()}
    assert got == {"facebook": expected, "instagram": expected}, [
        c.summary for c in report.changes if c.verdict is not Verdict.UNCHANGED
    ]
    assert report.exit_code == {Category.NOTHING: 0, Category.UPDATE: 1, Category.HUMAN: 3}[expected.category]
    assert (tmp_path / "report.html").is_file() and (tmp_path / "report.md").is_file()


def test_a_change_in_one_locale_only_leaves_the_others_alone(
    cfg: config.Config, replica: Replica, baseline: store.Tree, tmp_path: Path
) -> None:
    report = check_variant(cfg, replica, baseline, tmp_path, "de-only-reworded", ["de", "en"])
    for journey in JOURNEYS.values():
        assert strongest(report, journey, "de") is Verdict.REWORDED
        assert strongest(report, journey, "en") is Verdict.UNCHANGED
    tracked = [c for c in report.changes if c.locale == "de" and c.tracked]
    assert all(
        c.evidence.name is not None and c.evidence.name.old == "widersprechen"
        for c in tracked
        if c.journey.startswith("facebook")
    )


def test_the_reworded_link_is_found_again_and_the_walk_goes_on(
    cfg: config.Config, replica: Replica, baseline: store.Tree, tmp_path: Path
) -> None:
    report = check_variant(cfg, replica, baseline, tmp_path, "reworded", ["en"])
    link = next(c for c in report.changes if c.journey == JOURNEYS["facebook"] and c.tracked)
    assert link.evidence.found_by == "search"
    assert link.evidence.name is not None and (link.evidence.name.old, link.evidence.name.new) == ("object", "Oppose")
    assert link.evidence.confirmations == 2, "seen again on a fresh page load"
    form = next(c for c in report.changes if c.journey == JOURNEYS["facebook"] and c.step == "form")
    assert form.verdict is Verdict.UNCHANGED, "the walk went on past the found-again link"


def test_noise_never_gives_an_instruction_relevant_verdict(
    cfg: config.Config, replica: Replica, baseline: store.Tree, tmp_path: Path
) -> None:
    """Dates, counters and avatars change on every load; NOISE_RUNS raw checks (no confirmation), on a
    computer and a phone by turns, stay quiet."""
    loud = []
    for i in range(NOISE_RUNS):
        viewport = ("desktop", "mobile")[i % 2]
        report = check_variant(
            cfg, replica, baseline, tmp_path / str(i), "noise", ["en"], confirm=0, viewports=(viewport,)
        )
        loud += [
            f"run {i}: {c.combo}/{c.step}: {c.summary}" for c in report.changes if c.category is not Category.NOTHING
        ]
    assert loud == []
