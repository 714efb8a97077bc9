"""The printable Privacy Policy at the real page's size: bounded files per step, the right verdicts.

One locale, one viewport: the point is the page's size, not the matrix.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from monitor import config, imaging, runner, store
from monitor.model import Report, Verdict
from monitor.replica import VARIANTS

from .conftest import Replica

JOURNEY = "facebook-privacy-policy-printable"
LONG_VARIANTS = [name for name, v in VARIANTS.items() if name.startswith("long-page-")]


def _check(cfg: config.Config, replica: Replica, out: Path, variant: str, baseline: store.Tree | None) -> Report:
    replica.set_variant(variant)
    try:
        quick = cfg.model_copy(update={"thresholds": cfg.thresholds.model_copy(update={"confirm": 0})})
        check = runner.Check(quick, "monitor.yaml", replica.stand_ins, replica.states, workers=1, baseline=baseline)
        return check.check(runner.plan(quick, [JOURNEY], ["en"], ["desktop"]), out)
    finally:
        replica.set_variant("baseline-2025")


@pytest.fixture(scope="module")
def long_baseline(
    cfg: config.Config, replica: Replica, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, store.Tree]:
    out = tmp_path_factory.mktemp("long-first")
    _check(cfg, replica, out, "baseline-2025", None)
    snaps = tmp_path_factory.mktemp("long-baseline")
    store.accept(out, snaps)
    return out, store.read_tree(snaps)


def test_the_long_page_is_the_size_of_the_real_one(replica: Replica) -> None:
    from playwright.sync_api import sync_playwright

    from monitor.walk import browser

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser.find_browser(None, p), args=browser.LAUNCH_ARGS)
        page = b.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{replica.url}/__host/www.facebook.com/privacy/policy/printable/")
        page.wait_for_function("() => document.images.length > 100")
        size = page.evaluate(
            """() => ({h: document.documentElement.scrollHeight, els: document.querySelectorAll('body *').length,
                      links: document.querySelectorAll('a[href], [role=link]').length, imgs: document.images.length,
                      y: [...document.querySelectorAll('a')].find(a => a.textContent === 'right to object')
                           .getBoundingClientRect().top + scrollY})"""
        )
        b.close()
    assert 120_000 <= size["h"] <= 140_000
    assert 3_000 <= size["els"] <= 4_000 and 550 <= size["links"] <= 700 and size["imgs"] == 150
    assert 0.35 * size["h"] < size["y"] < 0.65 * size["h"], "the objection link sits near the middle"


def test_a_walk_of_the_long_page_keeps_every_file_within_budget(long_baseline: tuple[Path, store.Tree]) -> None:
    out, _ = long_baseline
    pngs = list(out.rglob("*.png"))
    assert pngs, "the walk wrote pictures"
    for png in pngs:
        assert png.stat().st_size <= 2_000_000, png
        with Image.open(io.BytesIO(png.read_bytes())) as img:
            assert img.width <= 1280 and img.height <= 4000, (png, img.size)
    steps = list((out / store.OBSERVATIONS).rglob("*.json"))
    assert len(steps) == 3
    for step in steps:
        assert step.stat().st_size < 64_000, step
    assert (out / "report.html").stat().st_size < 5_000_000
    tracked = store.load_observation(next(s for s in steps if s.name == "object-link.json"))
    assert tracked.target is not None and tracked.target.box is not None and tracked.target.box.y > 40_000
    assert any("first screen of a page" in note for note in tracked.capped)


def test_steps_that_see_the_same_page_state_share_one_capture(long_baseline: tuple[Path, store.Tree]) -> None:
    out, _ = long_baseline
    tree = store.read_tree(out / store.OBSERVATIONS)
    walk = tree.walk_of(JOURNEY, "en", "desktop")
    policy, consent = walk[0], walk[1]
    assert policy.images is not None and consent.images is not None
    assert consent.images.page == policy.images.page, "the consent dialog was captured with the page"
    assert not (store.combo_dir(out / store.OBSERVATIONS, JOURNEY, "en", "desktop") / "consent.page.png").exists()


@pytest.mark.parametrize("variant", LONG_VARIANTS)
def test_each_long_page_variant_gets_its_verdict(
    variant: str,
    cfg: config.Config,
    replica: Replica,
    long_baseline: tuple[Path, store.Tree],
    tmp_path: Path,
) -> None:
    report = _check(cfg, replica, tmp_path, variant, long_baseline[1])
    tracked = next(c for c in report.changes if c.tracked)
    assert tracked.verdict is Verdict(VARIANTS[variant].expected_for(JOURNEY)), tracked.summary
    assert (tmp_path / "report.html").stat().st_size < 5_000_000
    for step in (tmp_path / store.OBSERVATIONS).rglob("*.json"):
        assert step.stat().st_size < 64_000, step


def test_the_consent_button_is_where_its_picture_says_though_the_dialog_is_fixed(
    long_baseline: tuple[Path, store.Tree],
) -> None:
    """The dialog stays put while the capture scrolls: the button is outlined where it shows."""
    out, _ = long_baseline
    tree = store.read_tree(out / store.OBSERVATIONS)
    consent = tree.walk_of(JOURNEY, "en", "desktop")[1]
    box = imaging.target_in_image(consent, "target")
    png = tree.image(consent, "target")
    assert box is not None and png is not None
    with Image.open(png) as img:
        button = img.convert("RGB").crop((box.x + 4, box.y + 4, box.x + box.width - 4, box.y + box.height - 4))
    colours = sorted(button.getcolors(maxcolors=button.width * button.height) or [], reverse=True)
    assert colours[0][1] == (0xE4, 0xE6, 0xEB), "the crop is the grey 'Decline optional cookies' button"
