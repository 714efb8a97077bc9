"""Faults that are not UI changes end as `blocked` with the right reason, never a crash or a hang.

Walks of the public generative-AI page (facebook-genai, en, desktop) through the mutation proxy.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor import config, runner, store
from monitor.model import BlockReason, Status, Walk
from monitor.replica.mutations import get_mutation
from monitor.replica.proxy import MutationProxy
from monitor.walk.browser import StandIns

from .conftest import Replica, serving

JOURNEY = "facebook-genai"


@pytest.fixture()
def proxy(replica: Replica) -> Iterator[MutationProxy]:
    yield from serving(MutationProxy(replica.url))


def walk_through(cfg: config.Config, proxy: MutationProxy, case: str, out: Path) -> Walk:
    proxy.mutation = get_mutation(case)
    check = runner.Check(cfg, "monitor.yaml", StandIns({"facebook": proxy.url}))
    (walk,) = check.run(runner.plan(cfg, [JOURNEY], ["en"], ["desktop"]), out)
    return walk


def first_blocked(walk: Walk) -> tuple[BlockReason | None, str]:
    obs = next(o for o in walk.observations if o.status is Status.BLOCKED)
    return obs.reason, obs.error or ""


def test_a_connection_dropped_mid_response_is_blocked_as_a_network_error(
    cfg: config.Config, proxy: MutationProxy, tmp_path: Path
) -> None:
    reason, error = first_blocked(walk_through(cfg, proxy, "dropped-connection", tmp_path))
    assert reason is BlockReason.HTTP_ERROR and "ERR_CONNECTION_RESET" in error


def test_a_server_redirect_to_a_login_page_is_blocked_as_login(
    cfg: config.Config, proxy: MutationProxy, tmp_path: Path
) -> None:
    reason, error = first_blocked(walk_through(cfg, proxy, "redirect-to-login", tmp_path))
    assert reason is BlockReason.LOGIN and "login wall on https://www.facebook.com/" in error


def test_a_consent_click_that_leaves_the_page_hidden_is_blocked_as_consent(
    cfg: config.Config, proxy: MutationProxy, tmp_path: Path
) -> None:
    walk = walk_through(cfg, proxy, "consent-stays", tmp_path)
    reason, error = first_blocked(walk)
    assert reason is BlockReason.CONSENT and "did not close" in error
    assert all(o.target is None for o in walk.observations if o.step == "object-link")


def test_the_watchdog_ends_a_stalled_walk_at_its_deadline_and_the_next_walk_gets_a_browser(
    cfg: config.Config, proxy: MutationProxy, tmp_path: Path
) -> None:
    slow = cfg.model_copy(
        update={"timeouts": cfg.timeouts.model_copy(update={"walk_ms": 10_000, "navigation_ms": 60_000})}
    )
    proxy.mutation = get_mutation("stalled-response")
    check = runner.Check(slow, "monitor.yaml", StandIns({"facebook": proxy.url}))
    started = time.monotonic()
    combos = [runner.Combo(JOURNEY, "en", "desktop"), runner.Combo("facebook-privacy-policy", "en", "desktop")]
    walks = check.run(combos, tmp_path)  # one worker: the stalled walk first, then one that needs a browser
    assert time.monotonic() - started < 45  # the stand-in and navigation would have waited 60 s each
    by_journey = {w.journey: w for w in walks}
    reason, error = first_blocked(by_journey[JOURNEY])
    assert reason is BlockReason.TIMEOUT and "hard deadline of 10 s" in error
    assert by_journey["facebook-privacy-policy"].ok  # walked by the same worker, in a fresh browser


def test_a_walk_the_watchdog_stopped_is_not_walked_again_to_confirm(
    cfg: config.Config, proxy: MutationProxy, tmp_path: Path
) -> None:
    combos = runner.plan(cfg, [JOURNEY], ["en"], ["desktop"])
    stand_ins = StandIns({"facebook": proxy.url})
    runner.Check(cfg, "monitor.yaml", stand_ins).run(combos, tmp_path / "base")
    store.accept(tmp_path / "base", tmp_path / "snapshots")
    short = cfg.model_copy(
        update={"timeouts": cfg.timeouts.model_copy(update={"walk_ms": 6_000, "navigation_ms": 60_000})}
    )
    runs: list[Path] = []

    class Counted(runner.Check):
        def run(self, combos: list[runner.Combo], out: Path, *args: Any, **kwargs: Any) -> list[Walk]:
            runs.append(out)
            return super().run(combos, out, *args, **kwargs)

    proxy.mutation = get_mutation("stalled-response")
    check = Counted(short, "monitor.yaml", stand_ins, baseline=store.read_tree(tmp_path / "snapshots"))
    report = check.check(combos, tmp_path / "out")
    assert runs == [tmp_path / "out"]  # no second walk into the same stall on ".confirm"
    (blocked,) = [c for c in report.changes if c.verdict.value == "blocked"]
    assert blocked.evidence.reason is BlockReason.TIMEOUT
