"""A target is found where a person would find it, and what stops a person is named.

Checks of the public generative-AI page (facebook-genai, en, desktop) through the mutation proxy,
against one baseline accepted through the untouched proxy (module scope), without the
confirmation walk (thresholds.confirm = 0) to keep each case to one walk.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from monitor import config, runner, store
from monitor.model import BlockReason, Change, Status, Verdict
from monitor.replica.mutations import get_mutation
from monitor.replica.proxy import MutationProxy
from monitor.walk import browser, locate
from monitor.walk.browser import StandIns

from .conftest import Replica, serving

JOURNEY = "facebook-genai"


@pytest.fixture(scope="module")
def proxy(replica: Replica) -> Iterator[MutationProxy]:
    yield from serving(MutationProxy(replica.url))


@pytest.fixture(scope="module")
def once(cfg: config.Config) -> config.Config:
    return cfg.model_copy(update={"thresholds": cfg.thresholds.model_copy(update={"confirm": 0})})


@pytest.fixture(scope="module")
def accepted(once: config.Config, proxy: MutationProxy, tmp_path_factory: pytest.TempPathFactory) -> store.Tree:
    folder = tmp_path_factory.mktemp("genai-baseline")
    proxy.mutation = None
    runner.Check(once, "monitor.yaml", StandIns({"facebook": proxy.url})).run(
        runner.plan(once, [JOURNEY], ["en"], ["desktop"]), folder / "run"
    )
    store.accept(folder / "run", folder / "snapshots")
    return store.read_tree(folder / "snapshots")


def check(once: config.Config, proxy: MutationProxy, baseline: store.Tree, case: str, out: Path) -> dict[str, Change]:
    """The case's changes by step."""
    proxy.mutation = get_mutation(case)
    try:
        report = runner.Check(once, "monitor.yaml", StandIns({"facebook": proxy.url}), baseline=baseline).check(
            runner.plan(once, [JOURNEY], ["en"], ["desktop"]), out
        )
    finally:
        proxy.mutation = None
    return {c.step: c for c in report.changes}


def test_the_same_words_inside_an_open_shadow_root_are_unchanged(
    once: config.Config, proxy: MutationProxy, accepted: store.Tree, tmp_path: Path
) -> None:
    changes = check(once, proxy, accepted, "shadow-root-article", tmp_path)
    assert changes["object-link"].verdict is Verdict.UNCHANGED, changes["object-link"].summary


@pytest.mark.parametrize(
    ("case", "verdict", "found_by"),
    [
        ("iframe-same-site-paragraph", Verdict.UNCHANGED, "locator"),  # the same words, place and destination
        ("iframe-same-site-renamed", Verdict.REWORDED, "search"),  # renamed in the frame: found again, not gone
        ("iframe-same-site-section-moved", Verdict.MOVED, "locator"),  # under a new heading: the page's and the frame's
    ],
)
def test_a_target_inside_a_same_site_iframe_is_judged_as_a_person_sees_the_page(
    once: config.Config,
    proxy: MutationProxy,
    accepted: store.Tree,
    tmp_path: Path,
    case: str,
    verdict: Verdict,
    found_by: str,
) -> None:
    link = check(once, proxy, accepted, case, tmp_path)["object-link"]
    assert link.verdict is verdict and link.evidence.found_by == found_by, link.summary


def test_a_link_inside_a_same_site_iframe_is_clicked_and_followed_to_its_page(
    once: config.Config, proxy: MutationProxy, tmp_path: Path
) -> None:
    genai = once.journey(JOURNEY)
    follow = genai.steps[-1].model_copy(update={"click": genai.steps[-1].observe, "observe": None})
    form = config.Step.model_validate(
        {
            "id": "form",
            "observe": {"role": "heading", "name": {"en": ["Object to Your Information Being Used for AI at Meta"]}},
        }
    )
    journey = genai.model_copy(update={"id": "genai-follow", "steps": [*genai.steps[:-1], follow, form]})
    followed = once.model_copy(update={"journeys": [*once.journeys, journey]})
    proxy.mutation = get_mutation("iframe-same-site-paragraph")
    started = time.monotonic()
    try:
        (walk,) = runner.Check(followed, "monitor.yaml", StandIns({"facebook": proxy.url})).run(
            runner.plan(followed, ["genai-follow"], ["en"], ["desktop"]), tmp_path
        )
    finally:
        proxy.mutation = None
    link, heading = walk.observations[-2:]
    assert link.status is Status.OK and link.target is not None
    assert link.target.leads_to == "https://www.facebook.com/help/contact/712876720715583"
    assert heading.status is Status.OK and heading.url == link.target.leads_to, heading.error
    # the frame's landmarks and the page's headings above it, as a person reads them
    assert link.target.context[0] == "main" and any(c.startswith("h1 ") for c in link.target.context)
    assert time.monotonic() - started < 60


FRAMED = (
    "<!DOCTYPE html><html lang=en><main><h1>Privacy</h1><iframe src='{src}'></iframe></main></html>",
    "<!DOCTYPE html><p>You can <a href='https://www.facebook.com/help/contact/712876720715583'>object</a>.</p>",
)


@pytest.mark.parametrize(
    ("src", "entered"),
    [
        ("https://www.facebook.com/embed/notice", True),  # the site's own page, framed
        ("https://help.facebook.com/embed/notice", True),  # another host of the same site
        ("https://widgets.example.net/notice", False),  # another site's widget: its words are not the site's
    ],
)
def test_a_target_is_looked_for_in_iframes_of_the_same_site_only(src: str, entered: bool) -> None:
    spec = config.TargetSpec.model_validate({"role": "link", "name": {"en": ["object"]}})
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser.find_browser(None, p), args=browser.LAUNCH_ARGS)
        try:
            page = b.new_page()
            page.route(
                "**/*",
                lambda r: r.fulfill(
                    content_type="text/html",
                    body=FRAMED[1] if "notice" in r.request.url else FRAMED[0].format(src=src),
                ),
            )
            page.goto("https://www.facebook.com/privacy/")  # "load": the iframe's document too
            found = locate.find(page, spec, "en")
            assert (found is not None) is entered
            assert found is None or (found.frame is not None and found.frame.url == src)
        finally:
            b.close()


def test_a_notice_added_by_a_scroll_handler_at_the_end_of_the_page_is_found_by_scrolling(
    once: config.Config, proxy: MutationProxy, accepted: store.Tree, tmp_path: Path
) -> None:
    changes = check(once, proxy, accepted, "scroll-event-end", tmp_path)
    link = changes["object-link"]
    assert link.verdict is Verdict.MOVED and link.evidence.found_by == "locator", link.summary


def test_a_second_link_with_the_tracked_name_is_news_naming_both_destinations(
    once: config.Config, proxy: MutationProxy, accepted: store.Tree, tmp_path: Path
) -> None:
    changes = check(once, proxy, accepted, "second-link-before", tmp_path)
    link = changes["object-link"]
    assert link.verdict is Verdict.RETARGETED
    detail = " ".join(f.detail for f in link.evidence.findings)
    assert "1111111111" in detail and "712876720715583" in detail
    # the walk kept to the link the baseline knew, though the other one comes first on the page
    assert "712876720715583 (followed: where the accepted target led)" in detail
    assert link.evidence.leads_to is None  # the followed link's destination did not change


@pytest.mark.parametrize(
    ("case", "verdict"),
    [
        ("link-to-button", Verdict.REWORDED),  # a click on a copy of the page leads to the same form
        ("link-to-button-elsewhere", Verdict.TARGET_GONE),  # same name, another page: not the target
    ],
)
def test_a_button_that_navigates_by_script_is_the_target_only_when_its_click_leads_to_the_same_place(
    once: config.Config, proxy: MutationProxy, accepted: store.Tree, tmp_path: Path, case: str, verdict: Verdict
) -> None:
    link = check(once, proxy, accepted, case, tmp_path)["object-link"]
    assert link.verdict is verdict, link.summary
    if verdict is Verdict.REWORDED:
        assert link.evidence.found_by == "search"
        assert link.evidence.leads_to is None  # the destination did not change, only what leads there


def test_a_renamed_consent_button_blocks_as_consent_naming_the_dialog_and_its_buttons(
    once: config.Config, proxy: MutationProxy, accepted: store.Tree, tmp_path: Path
) -> None:
    changes = check(once, proxy, accepted, "consent-renamed", tmp_path)
    consent = changes["consent"]
    assert consent.verdict is Verdict.BLOCKED and consent.evidence.reason is BlockReason.CONSENT
    error = consent.evidence.error or ""
    assert "Allow the use of cookies" in error and "'Reject non-essential'" in error and "consent:" in error


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("redirect-loop", "a redirect loop at https://www.facebook.com/privacy/genai/"),
        (
            "too-many-requests",
            "HTTP 429 from https://www.facebook.com/privacy/genai/ (too many requests); the site asks to retry after 120 s",
        ),
    ],
)
def test_a_redirect_loop_and_a_429_end_at_once_saying_what_to_do(
    once: config.Config, proxy: MutationProxy, tmp_path: Path, case: str, words: str
) -> None:
    proxy.mutation = get_mutation(case)
    started = time.monotonic()
    try:
        (walk,) = runner.Check(once, "monitor.yaml", StandIns({"facebook": proxy.url})).run(
            runner.plan(once, [JOURNEY], ["en"], ["desktop"]), tmp_path
        )
    finally:
        proxy.mutation = None
    first = walk.observations[0]
    assert first.status is Status.BLOCKED and first.reason is BlockReason.HTTP_ERROR
    assert words in (first.error or "") and time.monotonic() - started < 30
    assert all(o.status is Status.SKIPPED for o in walk.observations[1:])
