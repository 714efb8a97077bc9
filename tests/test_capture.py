"""What a step keeps of a page, without a browser: the clip around a target, caps, image budgets."""

from __future__ import annotations

import io
import os

from PIL import Image

from monitor import imaging
from monitor.model import Box, Images, Observation, Status, Target
from monitor.walk import capture


def _png(width: int, height: int, noisy: bool = False) -> bytes:
    img = (
        Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
        if noisy
        else Image.new("RGB", (width, height), "white")
    )
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_the_clip_around_a_target_is_one_screen_centred_on_it() -> None:
    area = capture.around(Box(x=142, y=65_000, width=100, height=17), 1280, 800, 1280, 130_000)
    assert (area.x, area.width, area.height) == (0, 1280, 800)
    assert area.y < 65_000 and area.y + 800 > 65_017
    assert abs((area.y + 400) - 65_008) <= 1


def test_the_clip_stays_inside_the_page_at_its_top_and_bottom() -> None:
    top = capture.around(Box(x=10, y=5, width=50, height=20), 1280, 800, 1280, 5_000)
    assert top.y == 0
    bottom = capture.around(Box(x=10, y=4_990, width=50, height=10), 1280, 800, 1280, 5_000)
    assert bottom.y == 4_200
    short = capture.around(Box(x=10, y=100, width=50, height=10), 1280, 800, 1280, 300)
    assert (short.y, short.height) == (0, 300)


def test_a_long_aria_snapshot_is_cut_at_a_line_and_says_so() -> None:
    lines = [f'- link "item {i}"' for i in range(5_000)]
    text, note = capture.cap_text("\n".join(lines), 16_000, "aria")
    assert len(text) <= 16_000 and text.endswith('"') and text.splitlines()[-1] in lines
    assert note is not None and note.startswith("aria: kept the first") and str(len("\n".join(lines))) in note
    assert capture.cap_text("short", 16_000, "aria") == ("short", None)


def test_a_long_outline_keeps_its_first_headings_and_says_so() -> None:
    kept, note = capture.cap_lines([f"h2 {i}" for i in range(300)], 120, "headings")
    assert len(kept) == 120 and kept[-1] == "h2 119" and note == "headings: kept the first 120 of 300"
    assert capture.cap_lines(["h1 a"], 120, "headings") == (["h1 a"], None)


def test_no_image_is_written_over_the_pixel_budget() -> None:
    tall = Image.new("RGB", (1280, 130_000 // 8), "white")
    data = imaging.to_png(tall)
    with Image.open(io.BytesIO(data)) as img:
        assert img.width <= imaging.MAX_WIDTH and img.height <= imaging.MAX_HEIGHT


def test_no_image_is_written_over_the_byte_budget() -> None:
    noisy = _png(1280, 1000, noisy=True)  # ~3.8 MB of incompressible pixels
    assert len(noisy) > imaging.MAX_BYTES
    fitted = imaging.within_budget(noisy)
    assert len(fitted) <= imaging.MAX_BYTES
    small = _png(1280, 800)
    assert imaging.within_budget(small) is small, "an image within budget is kept byte for byte"


def test_the_target_is_found_inside_its_clip() -> None:
    obs = Observation(
        journey="j",
        site="facebook",
        locale="en",
        viewport="desktop",
        step="s",
        index=0,
        action="observe",
        status=Status.OK,
        target=Target(role="link", name="x", text="x", matched="x", box=Box(x=142, y=65_260, width=100, height=17)),
        images=Images(
            page="s.page.png",
            page_phash="0" * 16,
            page_dhash="0" * 16,
            target="s.target.png",
            target_clip=Box(x=0, y=64_868, width=1280, height=800),
        ),
    )
    assert imaging.target_in_image(obs, "target") == Box(x=142, y=392, width=100, height=17)
    assert imaging.target_in_image(obs, "page") == Box(x=142, y=65_260, width=100, height=17)
    old = obs.model_copy(update={"images": obs.images.model_copy(update={"target_clip": None})})  # type: ignore[union-attr]
    assert imaging.target_in_image(old, "target") is None, "an older tight crop has no place on the page"
