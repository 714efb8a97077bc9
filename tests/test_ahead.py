"""monitor/walk/ahead.py: browser work asked for now runs while the thread waits on the browser, and is
taken later. It relies on private parts of Playwright: an upgrade that changes them fails here."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from monitor.walk import ahead, browser


def test_work_started_ahead_runs_while_the_thread_waits_on_the_browser() -> None:
    """Not at once (the thread is busy), but during its next wait on the browser, which it shortens."""
    with browser.launched() as session:
        loaded: list[str] = []

        def load() -> str:
            page = session.browser.new_page()
            page.goto("data:text/html,<title>loaded ahead</title>")
            loaded.append(page.title())
            return page.title()

        started = ahead.start(session.browser, load)
        assert not started.done() and loaded == []  # asked for, not run yet
        other = session.browser.new_page()  # a wait on the browser: the work gets its turns
        other.wait_for_timeout(1000)
        assert started.done() and loaded == ["loaded ahead"]
        assert started.result() == "loaded ahead"


def test_work_started_ahead_is_waited_for_where_it_is_taken() -> None:
    with browser.launched() as session:
        started = ahead.start(session.browser, lambda: session.browser.new_page().evaluate("6 * 7"))
        assert started.result() == 42


def test_an_error_of_work_started_ahead_is_raised_where_it_is_taken_and_only_there() -> None:
    """A page asked for ahead that failed is loaded again by whoever takes it: the error is theirs."""
    with browser.launched() as session:

        def fail() -> None:
            session.browser.new_page().goto("http://127.0.0.1:9/", timeout=5000)

        started = ahead.start(session.browser, fail)
        session.browser.new_page().wait_for_timeout(200)
        with pytest.raises(PlaywrightError, match="net::ERR_"):
            started.result()


def test_without_playwrights_greenlets_work_runs_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ahead, "EventGreenlet", None)
    ran: list[int] = []
    started = ahead.start(object(), lambda: ran.append(1) or "done")
    assert ran == [1] and started.done() and started.result() == "done"
