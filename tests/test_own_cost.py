"""The monitor's own cost (docs/decisions/0014): a screenshot taken once, waits no longer than the page
needs, and an unchanged run that rewrites no byte of the baseline."""

from __future__ import annotations

import io
import random
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page

from monitor import imaging, store
from monitor.guard import privacy
from monitor.model import Box, Images, Observation, RunInfo, Status, Walk
from monitor.walk import browser, locate, settle
from tests.pngs import png

LATE_PAGE = b"""<!doctype html><html><body><p>first paint</p><script>
addEventListener('load', () => fetch('/slow').then(r => r.text()).then(t => {
  const p = document.createElement('p'); p.id = 'late'; p.textContent = t; document.body.append(p);
}));
</script></body></html>"""


class _Slow(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(0.8)
            body, kind = b"brought by a late answer", "text/plain"
        else:
            body, kind = LATE_PAGE, "text/html"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def slow_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with browser.launched() as session:
        context = session.browser.new_context(viewport={"width": 800, "height": 600})
        context.add_init_script(locate.CHANGE_STAMP_JS)
        settle.watch(context)
        yield context.new_page()
        context.close()


def _stamp(page: Page) -> float:
    return float(page.evaluate("() => window.__omChanged"))


def test_the_screenshot_s_painting_stylesheet_is_not_a_change_of_the_page(page: Page) -> None:
    page.goto("data:text/html,<p>hello</p>")
    before = _stamp(page)
    page.screenshot(style=privacy.screenshot_css("#6b6f76"), caret="hide", animations="disabled")
    assert _stamp(page) == before, "taken as a change, every screenshot would be taken again, thrice"
    page.evaluate("() => document.body.append('more')")
    assert _stamp(page) > before, "a real change still moves the stamp"


ARGS = [settle.QUIET_MS, settle.SURE_MS, settle.DOM_CAP_MS, settle.CONTENT_CAP_MS]


def test_settling_a_page_still_for_long_does_not_wait_for_fresh_stillness(page: Page) -> None:
    page.goto("data:text/html,<p>still</p>")
    page.wait_for_timeout(settle.QUIET_MS + 50)
    waited_ms = page.evaluate(settle.SETTLE_JS, ARGS)
    assert waited_ms < settle.QUIET_MS / 3


def test_settling_a_page_that_just_changed_waits_until_it_is_still(page: Page) -> None:
    page.goto("data:text/html,<p>busy</p>")
    waited_ms = page.evaluate(f"args => {{ document.body.append('now'); return ({settle.SETTLE_JS})(args); }}", ARGS)
    assert waited_ms >= settle.QUIET_MS - 5


def test_settling_waits_for_readable_text_and_not_for_hidden_text(page: Page) -> None:
    page.goto("data:text/html,<p hidden>not yet</p>")
    # the text is scheduled inside the evaluate, so the wait starts before it and a timer never runs early
    waited_ms, shown = page.evaluate(
        "async (args) => { setTimeout(() => document.body.append('shown'), 300);"
        f" return [await ({settle.SETTLE_JS})(args), document.body.innerText.includes('shown')]; }}",
        ARGS,
    )
    assert shown and waited_ms >= 290


def test_settling_waits_for_a_request_in_flight_and_what_its_answer_renders(page: Page, slow_server: str) -> None:
    page.goto(slow_server + "/", wait_until="load")
    settle.settle(page, 10_000)
    assert page.locator("#late").text_content() == "brought by a late answer"


# --------------------------------------------------------------------------- accept


def _obs(step: str, index: int, title: str = "Privacy Center") -> Observation:
    return Observation(
        journey="j",
        site="facebook",
        locale="en",
        viewport="desktop",
        step=step,
        index=index,
        action="click",
        status=Status.OK,
        url="https://www.facebook.com/privacy/center/",
        title=title,
        images=Images(page=f"{step}.page.png", page_phash="0" * 16, page_dhash="0" * 16),
    )


def _run(folder: Path, seed: str, *observations: Observation) -> Path:
    """A run whose pictures' bytes follow from seed while their perceptual hashes stay the same."""
    walk = Walk(journey="j", site="facebook", locale="en", viewport="desktop", observations=list(observations))
    store.save_walk(
        folder / store.OBSERVATIONS, walk, {o.images.page: png(seed + o.step) for o in observations if o.images}
    )
    info = RunInfo(started="2026-01-01T00:00:00+00:00", finished="2026-01-01T00:00:01+00:00", seconds=1, config="-")
    store.save_run(folder, info, [walk])
    return folder


def _bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".optout" not in str(p)
    }


def test_an_unchanged_walk_keeps_the_baseline_s_bytes_though_its_pictures_differ(tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    store.accept(_run(tmp_path / "1", "first", _obs("a", 0), _obs("b", 1)), snaps)
    before = _bytes(snaps)
    again = _run(tmp_path / "2", "second", _obs("a", 0), _obs("b", 1))
    assert (again / store.OBSERVATIONS / "j/en/desktop/a.page.png").read_bytes() != before["j/en/desktop/a.page.png"]
    result = store.accept(again, snaps)
    assert result.written == 0 and result.walks == ["j/en/desktop"]
    assert _bytes(snaps) == before


def test_a_walk_with_a_changed_step_is_accepted_whole(tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    store.accept(_run(tmp_path / "1", "first", _obs("a", 0), _obs("b", 1)), snaps)
    changed = _run(tmp_path / "2", "second", _obs("a", 0), _obs("b", 1, title="Privacy Centre"))
    result = store.accept(changed, snaps)
    assert result.written == 3, "the step with the new title, and the pictures of both steps"
    assert _bytes(snaps) == _bytes(changed / store.OBSERVATIONS)


def test_the_target_s_hashes_are_those_of_its_crop_without_a_png_in_between() -> None:
    img = Image.frombytes("RGB", (400, 300), random.Random(7).randbytes(400 * 300 * 3))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    shot = buf.getvalue()
    for box in (
        Box(x=120, y=100, width=80, height=20),
        Box(x=0, y=0, width=5, height=5),
        Box(x=390, y=290, width=40, height=40),
    ):
        assert imaging.crop_hashes(shot, box, 48) == imaging.hashes(imaging.crop(shot, box, 48))
