"""Browser work asked for now and taken later: the quick look's read pages load while a walk waits.

Playwright's sync API makes one call at a time, and a walk spends most of its time waiting in one
(for a page to load, to go still). The sync API's own event handlers run in greenlets of their own:
a sync call made there hands the turn back to the event loop until its answer comes
(playwright/_impl/_greenlets.py). start() runs a function of sync calls the same way, so the pages
it asks for are made and loaded during the waits of whatever the thread does next, as a person
opens tabs ahead. Nothing runs truly at once: the function and the thread take turns at sync calls.

It uses two private parts of Playwright 1.65 (a sync object's event loop and dispatcher greenlet,
and `wait_for_future`); tests/test_ahead.py pins what it relies on, and where they are missing
start() runs the function at once, as a plain call (docs/decisions/0025-reads-ahead-in-one-context.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

try:
    from playwright._impl import _greenlets
except ImportError:  # pragma: no cover - another Playwright: start() calls the function at once
    _greenlets = None  # type: ignore[assignment]
EventGreenlet = getattr(_greenlets, "EventGreenlet", None)
wait_for_future = getattr(_greenlets, "wait_for_future", None)


class Started(Generic[T]):
    """A function started by start(): result() waits for it (from any greenlet) and gives its value,
    or raises its error."""

    def __init__(self, anchor: Any, future: asyncio.Future[tuple[bool, Any]] | None, outcome: tuple[bool, Any]) -> None:
        self._anchor = anchor
        self._future = future
        self._outcome = outcome  # when there is no future: the function ran at once

    def done(self) -> bool:
        return self._future is None or self._future.done()

    def result(self) -> T:
        ok, value = self._outcome
        if self._future is not None:
            if not self._future.done():
                assert wait_for_future is not None
                wait_for_future(self._anchor._loop, self._anchor._dispatcher_fiber, self._future)
            ok, value = self._future.result()
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]


def start(anchor: Any, work: Callable[[], T]) -> Started[T]:
    """Run work (which may make sync calls) during this thread's next waits on anchor's Playwright
    (any of its sync objects: the browser, a context). Its error is kept for result(), never logged
    as unretrieved: a page asked for ahead that failed is loaded again by whoever takes it."""
    loop = getattr(anchor, "_loop", None)
    fiber = getattr(anchor, "_dispatcher_fiber", None)
    if (
        EventGreenlet is None
        or wait_for_future is None
        or loop is None
        or fiber is None
        or loop.is_closed()
        or fiber.dead
    ):
        return Started(anchor, None, _outcome(work))
    future: asyncio.Future[tuple[bool, Any]] = loop.create_future()

    def body() -> None:
        outcome = _outcome(work)
        if not future.done():
            future.set_result(outcome)

    # run in the dispatcher (the event loop's greenlet), as Playwright starts an event handler
    loop.call_soon(lambda: EventGreenlet(body).switch())
    return Started(anchor, future, (False, None))


def _outcome(work: Callable[[], T]) -> tuple[bool, Any]:
    try:
        return True, work()
    except Exception as exc:  # not GreenletExit: a greenlet dropped when Playwright stops just ends
        return False, exc
