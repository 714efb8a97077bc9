"""Legal but unusual HTTP answers load like any other page; loops and refusals end at once, named.

Pages are loaded through the stand-in router (the same `new_context` a walk uses) from the mutation
proxy in front of the replica: one browser for the module, one page load per case, so each case
takes about a second. A case that stalls fails on Playwright's own 8 s navigation timeout.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from monitor import config
from monitor.replica.mutations import get_mutation
from monitor.replica.proxy import MutationProxy
from monitor.walk.browser import Session, StandIns, launched, merged_headers, new_context

from .conftest import Replica, serving

PAGE = "https://www.facebook.com/privacy/genai/"


@pytest.fixture(scope="module")
def proxy(replica: Replica) -> Iterator[MutationProxy]:
    yield from serving(MutationProxy(replica.url))


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    with launched() as s:
        yield s


def load(cfg: config.Config, session: Session, proxy: MutationProxy, case: str) -> tuple[int, str, str, float]:
    """(status, page URL, body text, seconds) of one page load with the case's fault."""
    proxy.mutation = get_mutation(case)
    quick = cfg.model_copy(update={"timeouts": cfg.timeouts.model_copy(update={"navigation_ms": 8000})})
    context = new_context(session, quick, "en", "desktop", None, StandIns({"facebook": proxy.url}))
    started = time.monotonic()
    try:
        page = context.new_page()
        response = page.goto(PAGE, wait_until="load")
        status = response.status if response is not None else 0
        if status == 200:  # the replica has rendered (after a redirect chain: at its last address)
            page.wait_for_selector("html[data-replica-ready]", state="attached", timeout=8000)
        return status, page.url, page.inner_text("body"), time.monotonic() - started
    finally:
        context.close()
        proxy.mutation = None


@pytest.mark.parametrize(
    "case", ["repeated-date", "folded-header", "repeated-set-cookie", "chunked-body", "trickled-body", "redirect-chain"]
)
def test_a_legal_but_unusual_answer_loads_the_page_like_any_other(
    cfg: config.Config, session: Session, proxy: MutationProxy, case: str
) -> None:
    status, _, text, seconds = load(cfg, session, proxy, case)
    assert status == 200 and "object" in text and seconds < 8


def test_a_redirect_loop_is_answered_at_once_naming_the_address(
    cfg: config.Config, session: Session, proxy: MutationProxy
) -> None:
    status, _, text, seconds = load(cfg, session, proxy, "redirect-loop")
    assert status == 508 and seconds < 5
    assert text.startswith("redirect loop: ") and f"{PAGE} -> {PAGE}" in text


def test_repeated_and_folded_header_lines_become_one_line_each() -> None:
    merged = merged_headers(
        [
            ("Date", "Mon, 07 Dec 2026 04:59:59 GMT"),
            ("Set-Cookie", "a=1"),
            ("date", "Mon, 07 Dec 2026 05:00:00 GMT"),
            ("Set-Cookie", "b=2"),
            ("Cache-Control", "private"),
            ("Cache-Control", "no-store"),
            ("X-Served-By", "cache-ams21\r\n\tcache-fra19"),
            ("X-Broken", "a\rb"),
            ("Bad Name", "x"),
        ]
    )
    assert merged == {
        "Date": "Mon, 07 Dec 2026 04:59:59 GMT",
        "Set-Cookie": "a=1\nb=2",
        "Cache-Control": "private, no-store",
        "X-Served-By": "cache-ams21 cache-fra19",
    }
