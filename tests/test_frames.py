"""Pictures that frame the step (issue 22): before and after share one frame, the target's sentence
in both at whole lines of text, and the outline marks the target and the words that changed, not
the text that reflowed below them. Checked on real walks of the replica with the recorded text
boxes, and independently with OCR: no word at a picture's edge is a piece of a word of the page."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from monitor import config, framing, imaging, runner, store
from monitor.model import Box, Change, Observation, Report
from monitor.write import pictures, report

from .conftest import Replica

JOURNEY = "facebook-privacy-center"
VARIANTS = ("moved-section", "reworded")
VIEWPORTS = ("desktop", "mobile")
CASES = [(v, vp) for v in VARIANTS for vp in VIEWPORTS]
# how far outside its box imaging draws an outline (2 px gap + 3 px line)
OUTLINE_REACH = 6


@pytest.fixture(scope="module")
def runs(
    cfg: config.Config, replica: Replica, baseline: store.Tree, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, Report]]:
    """The Facebook Privacy Center journey in English, on both devices, walked once per variant
    against the suite's baseline (tests/conftest.py), with the report and its pictures written."""
    out = {}
    quick = cfg.model_copy(update={"thresholds": cfg.thresholds.model_copy(update={"confirm": 0})})
    for variant in VARIANTS:
        folder = tmp_path_factory.mktemp(variant)
        replica.set_variant(variant)
        try:
            check = runner.Check(quick, "monitor.yaml", replica.stand_ins, replica.states, workers=2, baseline=baseline)
            check.check(runner.plan(quick, [JOURNEY], ["en"], list(VIEWPORTS)), folder)
            out[variant] = (folder, report.load(folder / "report.json"))  # as written: with its pictures
        finally:
            replica.set_variant("baseline-2025")
    return out


@dataclass(frozen=True)
class Case:
    """The link's change in one variant and viewport: the report folder, the change, both captures."""

    variant: str
    folder: Path
    change: Change
    before: Observation
    after: Observation


def case_of(runs: dict[str, tuple[Path, Report]], baseline: store.Tree, variant: str, viewport: str) -> Case:
    folder, rep = runs[variant]
    change = next(c for c in rep.changes if c.tracked and c.viewport == viewport)
    assert change.images.before and change.images.after and change.images.diff, change.images.notes
    before = baseline.observations[change.key]
    after = store.load_observation(store.observation_path(folder / store.OBSERVATIONS, change.key))
    return Case(variant, folder, change, before, after)


@pytest.fixture(params=CASES, ids=["-".join(c) for c in CASES])
def case(request: pytest.FixtureRequest, runs: dict[str, tuple[Path, Report]], baseline: store.Tree) -> Case:
    return case_of(runs, baseline, *request.param)


def size_of(path: Path) -> tuple[int, int]:
    with Image.open(path) as img:
        return img.size


def test_before_and_after_share_one_frame_around_both_sentences(case: Case, baseline: store.Tree) -> None:
    folder, change, before, after = case.folder, case.change, case.before, case.after
    frame = change.images.before_frame
    assert frame is not None and change.images.after_frame == frame, "one frame for both pictures"
    for obs in (before, after):
        core = framing.core(obs)
        assert core is not None and framing.contains(frame, core), "the sentence of each capture is in the frame"
    assert (
        size_of(folder / change.images.before) == size_of(folder / change.images.after) == (frame.width, frame.height)
    )
    # the frame is where the pictures were cut: the part inside each capture's clip is its pixels
    for obs, root, pic in (
        (before, baseline.root, change.images.before),
        (after, folder / store.OBSERVATIONS, change.images.after),
    ):
        assert obs.images is not None and obs.images.target and obs.images.target_clip is not None
        clip = obs.images.target_clip
        shared = Box(x=max(frame.x, clip.x), y=max(frame.y, clip.y), width=0, height=0)
        right = min(frame.x + frame.width, clip.x + clip.width)
        bottom = min(frame.y + frame.height, clip.y + clip.height)
        shared = shared.model_copy(update={"width": right - shared.x, "height": bottom - shared.y})
        source = store.combo_dir(root, obs.journey, obs.locale, obs.viewport) / obs.images.target
        with Image.open(source) as whole, Image.open(folder / pic) as cut:
            a = whole.convert("RGB").crop((shared.x - clip.x, shared.y - clip.y, right - clip.x, bottom - clip.y))
            b = cut.convert("RGB").crop((shared.x - frame.x, shared.y - frame.y, right - frame.x, bottom - frame.y))
        changed = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v else 0)
        differing = ImageChops.subtract(changed, highlight(b)).histogram()[255]
        assert differing < 0.005 * shared.width * shared.height, "only the outline differs from the capture"


def test_the_frame_cuts_no_line_of_text_the_walk_recorded(case: Case) -> None:
    change, before, after = case.change, case.before, case.after
    for obs, frame in ((before, change.images.before_frame), (after, change.images.after_frame)):
        assert obs.images is not None and len(obs.images.lines) > 5, "the walk records the lines around the target"
        assert frame is not None
        assert framing.cut_lines(frame, obs.images.lines) == []


# ------------------------------------------------------------------ OCR: the words at the edges are whole

_LETTERS = re.compile(r"[^\w]+")


def ocr_words(img: Image.Image) -> list[tuple[str, int, int, int]]:
    """(word, left, right, confidence) of every word Tesseract reads, upscaled 2× for small text."""
    import pytesseract

    big = img.convert("RGB").resize((img.width * 2, img.height * 2), Image.Resampling.LANCZOS)
    d = pytesseract.image_to_data(big, lang="eng", output_type=pytesseract.Output.DICT)
    out = []
    for text, left, width, conf in zip(d["text"], d["left"], d["width"], d["conf"], strict=True):
        word = _LETTERS.sub("", text).casefold()
        if word:
            out.append((word, left // 2, (left + width) // 2, int(float(conf))))
    return out


def vocabulary(*images: bytes) -> set[str]:
    """The words of the page: what OCR reads on the whole captured screens."""
    words: set[str] = set()
    for data in images:
        with Image.open(io.BytesIO(data)) as img:
            words.update(w for w, *_ in ocr_words(img))
    return words


def fragments_at_edges(img: Image.Image, words: set[str], margin: int = 8) -> list[str]:
    """Words touching the left or right edge that are a piece of a longer word of the page and no
    word of it themselves ("acebook" of "Facebook", "er" of "Other"): a cut word."""
    found = []
    for word, left, right, conf in ocr_words(img):
        if conf < 60 or len(word) < 2 or word in words:
            continue
        at_left, at_right = left <= margin, right >= img.width - margin
        if (at_left and any(w.endswith(word) for w in words if len(w) > len(word))) or (
            at_right and any(w.startswith(word) for w in words if len(w) > len(word))
        ):
            found.append(word)
    return found


def halves(diff: Path) -> list[Image.Image]:
    with Image.open(diff) as img:
        rgb = img.convert("RGB")
    half = (rgb.width - imaging.GAP) // 2
    return [rgb.crop((0, 0, half, rgb.height)), rgb.crop((rgb.width - half, 0, rgb.width, rgb.height))]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_word_is_cut_at_the_edges_of_the_side_by_side_ocr(
    runs: dict[str, tuple[Path, Report]], baseline: store.Tree, viewport: str
) -> None:
    pytest.importorskip("pytesseract")
    found = case_of(runs, baseline, "moved-section", viewport)
    folder, change, before, after = found.folder, found.change, found.before, found.after
    screens = []
    for obs, root in ((before, baseline.root), (after, folder / store.OBSERVATIONS)):
        assert obs.images is not None and obs.images.target
        combo = store.combo_dir(root, obs.journey, obs.locale, obs.viewport)
        screens += [(combo / obs.images.page).read_bytes(), (combo / obs.images.target).read_bytes()]
    words = vocabulary(*screens)
    assert {"facebook", "privacy", "object"} <= words, "OCR reads the page"
    assert change.images.diff is not None
    for side in halves(folder / change.images.diff):
        assert fragments_at_edges(side, words) == []


def test_the_instructions_desktop_picture_cuts_no_word_at_either_edge(baseline: store.Tree) -> None:
    pytest.importorskip("pytesseract")
    obs = next(o for k, o in baseline.observations.items() if k == (JOURNEY, "en", "desktop", "object-link"))
    data = pictures.people_image(baseline, obs)
    assert data is not None and obs.images is not None and obs.images.target and obs.images.target_clip
    combo = store.combo_dir(baseline.root, obs.journey, obs.locale, obs.viewport)
    words = vocabulary((combo / obs.images.target).read_bytes())
    with Image.open(io.BytesIO(data)) as img:
        assert fragments_at_edges(img, words) == []
    # and by the recorded lines: the crop, in page coordinates, cuts none
    with Image.open(combo / obs.images.target) as clip_img:
        which = "target"
        target = imaging.target_in_image(obs, which)
        assert target is not None
        crop = pictures.framed_crop(obs, target, clip_img.width, clip_img.height, which)
    clip = obs.images.target_clip
    on_page = Box(x=crop.x + clip.x, y=crop.y + clip.y, width=crop.width, height=crop.height)
    assert framing.cut_lines(on_page, obs.images.lines) == []


# ------------------------------------------------------------------ the outline: the change, not the reflow


def highlight(img: Image.Image) -> Image.Image:
    """255 where a picture has the outline's colour (imaging.HIGHLIGHT), else 0."""
    mask = Image.new("L", img.size, 255)
    for band, value in zip(img.convert("RGB").split(), imaging.HIGHLIGHT, strict=True):
        mask = ImageChops.multiply(mask, band.point(lambda v, want=value: 255 if v == want else 0))
    return mask


def outline_box(img: Image.Image) -> Box | None:
    """The bounding box of the outline's pixels in a picture."""
    bbox = highlight(img).getbbox()
    return None if bbox is None else Box(x=bbox[0], y=bbox[1], width=bbox[2] - bbox[0], height=bbox[3] - bbox[1])


def test_the_outline_marks_the_target_and_changed_words_not_the_reflow(case: Case) -> None:
    folder, change, before, after, variant = case.folder, case.change, case.before, case.after, case.variant
    assert change.images.diff is not None
    frame = change.images.before_frame
    assert frame is not None
    with Image.open(folder / change.images.diff) as diff:
        scaled = diff.width != 2 * frame.width + imaging.GAP
    sides = halves(folder / change.images.diff) if not scaled else []
    if scaled:  # a wide pair is scaled down to fit: its halves are the before and after pictures
        for pic in (change.images.before, change.images.after):
            assert pic is not None
            with Image.open(folder / pic) as img:
                sides.append(img.convert("RGB"))
    for obs, side in zip((before, after), sides, strict=True):
        assert obs.target is not None and obs.target.box is not None and obs.target.sentence_box is not None
        allowed = framing.union([obs.target.box, obs.target.sentence_box])
        assert allowed is not None
        reach = Box(
            x=allowed.x - frame.x - OUTLINE_REACH,
            y=allowed.y - frame.y - OUTLINE_REACH,
            width=allowed.width + 2 * OUTLINE_REACH,
            height=allowed.height + 2 * OUTLINE_REACH,
        )
        box = outline_box(side)
        assert box is not None, "the target is outlined"
        assert framing.contains(reach, box), f"outline {box} strays outside the target and its sentence {reach}"
        if variant == "moved-section":  # the same sentence: only the target is outlined
            target = obs.target.box
            assert box.height <= target.height + 2 * OUTLINE_REACH
            assert box.width <= target.width + 2 * OUTLINE_REACH


# ------------------------------------------------------------------ the geometry, without a browser


def test_a_frame_grows_to_the_whole_of_every_line_it_cuts_and_leaves_out_what_it_cannot_take() -> None:
    lines = [
        Box(x=100, y=100, width=500, height=18),  # the sentence's line: cut at the right edge
        Box(x=100, y=122, width=200, height=18),  # its next line: inside
        Box(x=0, y=90, width=90, height=18),  # the left column: cut at the left edge, too far to take
    ]
    target = Box(x=150, y=100, width=44, height=18)
    frame = framing.whole_lines(
        Box(x=80, y=95, width=300, height=60), lines, Box(x=50, y=0, width=1280, height=800), target
    )
    assert framing.cut_lines(frame, lines) == []
    assert frame.x + frame.width >= 600, "grown to the end of the sentence's line"
    assert frame.x >= 90, "the left column's line is left out, not cut"


def test_a_header_line_a_side_edge_cuts_above_the_sentence_is_left_out_by_the_top_edge() -> None:
    """Instagram's desktop page: the header's "Privacy Centre" starts left of the frame and ends
    inside it, above the notice; the left edge cannot move past it without cutting the sentence,
    so the top edge moves below it (it was shown as "rivacy Centre")."""
    lines = [
        Box(x=180, y=23, width=99, height=17),  # the header's "Privacy Centre"
        Box(x=256, y=117, width=414, height=19),  # the notice's heading
        Box(x=256, y=234, width=753, height=18),  # the sentence with the target
    ]
    keep = Box(x=256, y=117, width=753, height=135)
    frame = framing.whole_lines(
        Box(x=185, y=0, width=900, height=600), lines, Box(x=185, y=0, width=900, height=600), keep
    )
    assert framing.cut_lines(frame, lines) == []
    assert frame.y >= 40, "the top edge moved below the header line"
    assert framing.contains(frame, keep)


def test_a_sentence_whose_link_got_longer_is_pictured_in_the_same_window_before_and_after() -> None:
    """reworded (nl, it): “bezwaar maken” → “bezwaar indienen” made the sentence a line longer and
    wider; a window centred on the sentence moved with it (the heading above was cut off after)."""
    before = Box(x=61, y=226, width=320, height=86)
    after = Box(x=61, y=226, width=327, height=64)
    for page in ((412, 3000), (1280, 2400)):
        assert pictures.crop_at_start(before, *page) == pictures.crop_at_start(after, *page)
        window = pictures.crop_at_start(before, *page)
        assert framing.contains(window, before) and framing.contains(window, after)
    assert pictures.crop_around(before, 1280, 2400) != pictures.crop_around(after, 1280, 2400)


def test_the_changed_words_are_mapped_onto_their_boxes() -> None:
    old, new = "You have the right to object to it.", "You have the right to oppose it."
    boxes = [Box(x=10 * i, y=0, width=8, height=10) for i in range(len(new.split()))]
    ops = [(0, "You have the right to "), (-1, "object to"), (1, "oppose"), (0, " it.")]
    assert framing.changed_words(new, boxes, ops, 1) == [boxes[5]]
    assert framing.changed_words(old, boxes, ops, -1) == [], "the old sentence has 8 words, not 7 boxes"
    assert framing.changed_words(new, boxes[:-1], ops, 1) == [], "boxes that do not match the words: none"


def test_an_observation_recorded_before_the_boxes_loads_and_is_framed_on_its_target() -> None:
    raw = {
        "journey": JOURNEY,
        "site": "facebook",
        "locale": "en",
        "viewport": "desktop",
        "step": "object-link",
        "index": 5,
        "action": "click",
        "status": "ok",
        "target": {
            "role": "link",
            "name": "object",
            "text": "object",
            "matched": "object",
            "box": {"x": 592, "y": 207, "width": 44, "height": 17},
        },
        "images": {"page": "p.png", "page_phash": "0" * 16, "page_dhash": "0" * 16},
    }
    obs = Observation.model_validate(raw)
    assert obs.target is not None and obs.target.words == [] and obs.images is not None and obs.images.lines == []
    found = framing.frames(obs, obs, Box(x=0, y=0, width=1280, height=800))
    assert found is not None and found.shared
    assert framing.contains(found.before, Box(x=592, y=207, width=44, height=17))
    assert (found.before.x, found.before.width) == (0, 1280), (
        "no line recorded: the whole width, cutting no line across"
    )


def test_a_steps_pictures_are_one_size_whatever_lines_their_edges_left_out() -> None:
    """Before 412×569, after 412×581 made the pair jump in a pull request: the edges that move in past a
    cut line are painted in the page's colour instead, so every picture of a page is the full size."""
    from PIL import Image

    from monitor.write.pictures import _blank_outside

    page = Image.new("RGB", (412, 3000), (240, 242, 245))
    sizes = {_blank_outside(page, Box(x=0, y=y, width=412, height=h)).image.size for y, h in ((100, 569), (900, 581))}
    assert sizes == {(412, 600)}
    shot = _blank_outside(page.copy(), Box(x=10, y=50, width=300, height=500))
    assert shot.image.getpixel((0, 0)) == (240, 242, 245), "outside the crop: the page's own colour"
