"""Walking pages nobody here wrote: late rendering is waited for, a link tucked into a disclosure
is a step added (with the click named), and a same-named link elsewhere is not the target.

facebook-genai (en, desktop) through the mutation proxy, against a baseline accepted through it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor import config, runner, store
from monitor.model import Change, Status, Verdict
from monitor.replica.mutations import get_mutation
from monitor.replica.proxy import MutationProxy
from monitor.walk.browser import StandIns

from .conftest import Replica

JOURNEY = "facebook-genai"


@pytest.fixture(scope="module")
def proxied(replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MutationProxy, store.Tree]]:
    server = MutationProxy(replica.url)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cfg = config.load(Path(__file__).resolve().parent.parent / "monitor.yaml")
    work = tmp_path_factory.mktemp("discovery")
    walks = runner.Check(cfg, "monitor.yaml", StandIns({"facebook": server.url})).run(
        runner.plan(cfg, [JOURNEY], ["en"], ["desktop"]), work / "base"
    )
    assert all(w.ok for w in walks)
    store.accept(work / "base", work / "snaps")
    try:
        yield server, store.read_tree(work / "snaps")
    finally:
        server.shutdown()
        server.server_close()


def tracked(cfg: config.Config, proxied: tuple[MutationProxy, store.Tree], case: str, out: Path) -> Change:
    proxy, baseline = proxied
    proxy.mutation = get_mutation(case)
    quick = cfg.model_copy(update={"thresholds": cfg.thresholds.model_copy(update={"confirm": 0})})
    check = runner.Check(quick, "monitor.yaml", StandIns({"facebook": proxy.url}), baseline=baseline)
    try:
        report = check.check(runner.plan(quick, [JOURNEY], ["en"], ["desktop"]), out)
    finally:
        proxy.mutation = None
    return next(c for c in report.changes if c.step == "object-link")


def test_a_link_that_renders_3_6_s_late_is_waited_for_not_gone(
    cfg: config.Config, proxied: tuple[MutationProxy, store.Tree], tmp_path: Path
) -> None:
    change = tracked(cfg, proxied, "late-link-3600ms", tmp_path)
    assert change.verdict is Verdict.UNCHANGED, change.summary
    obs = store.read_tree(tmp_path / store.OBSERVATIONS).observations
    assert all(o.status is Status.OK and o.found_by == "locator" for o in obs.values())


def test_a_page_that_renders_hidden_and_shows_itself_3_2_s_later_is_captured_shown(
    cfg: config.Config, proxied: tuple[MutationProxy, store.Tree], tmp_path: Path
) -> None:
    tracked(cfg, proxied, "late-page-3200ms", tmp_path)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert {c["step"]: c["verdict"] for c in report["changes"]} == {
        "genai": "unchanged",
        "consent": "unchanged",
        "object-link": "unchanged",
    }


@pytest.mark.parametrize(
    ("case", "click"),
    [("aria-expanded-accordion", "Learn more about your rights"), ("details-accordion", "Your rights")],
)
def test_a_link_tucked_into_an_accordion_is_a_step_added_naming_the_click(
    cfg: config.Config, proxied: tuple[MutationProxy, store.Tree], tmp_path: Path, case: str, click: str
) -> None:
    """details-accordion: inside a closed <details> a link can keep a box; the search took it for the
    target, renamed ("reworded"), instead of opening the disclosure a person has to click."""
    change = tracked(cfg, proxied, case, tmp_path)
    assert change.verdict is Verdict.STEP_ADDED, change.summary
    assert change.evidence.hop is not None and change.evidence.hop.name == click


def test_a_same_named_link_one_click_away_that_leads_elsewhere_is_target_gone(
    cfg: config.Config, proxied: tuple[MutationProxy, store.Tree], tmp_path: Path
) -> None:
    change = tracked(cfg, proxied, "unrelated-object-elsewhere", tmp_path)
    assert change.verdict is Verdict.TARGET_GONE, change.summary
    assert "1111111111" in change.evidence.findings[0].detail
