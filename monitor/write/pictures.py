"""The pictures on the pages: a step's screenshot cropped around its target, outlined, under a byte budget.

The source is the accepted page screenshot, already masked; nothing else is drawn from.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from monitor import framing, imaging, store
from monitor.model import Box, Observation

# Screenshots for people.
IMAGE_MAX = (900, 600)  # the largest crop, CSS pixels (= image pixels: snapshots are taken at CSS scale)
ANCHOR_MARGIN = (80, 200)  # room left of and above a sentence a picture starts at
IMAGE_BUDGET = 150 * 1024  # bytes per image; met by fewer colours, then by scaling down
IMAGE_COLOURS = (128, 64, 32)
OUTLINE_WIDTH = 3
PHOTO_COLOURS = 8192  # more distinct colours than this in a crop: it holds photos


def image_relpath(site: str, locale: str, viewport: str, step: str) -> str:
    return f"{site}/{locale}/{viewport}/{step}.png"


def image_source(tree: store.Tree | None, obs: Observation | None) -> Path | None:
    """The page screenshot a people image is cut from, when the step has one and a target box."""
    if tree is None or obs is None or obs.target is None or obs.target.box is None:
        return None
    box = obs.target.box
    if box.width <= 0 or box.height <= 0:
        return None
    which = "target" if imaging.target_in_image(obs, "target") is not None else "page"
    path = tree.image(obs, which)
    return path if path is not None and path.is_file() else None


def crop_around(box: Box, page_width: int, page_height: int, limit: tuple[int, int] = IMAGE_MAX) -> Box:
    """At most `limit`, inside the page, the target centred across and at 40 % down."""
    width = min(limit[0], page_width)
    height = min(limit[1], page_height)
    cx = box.x + box.width / 2
    cy = box.y + box.height / 2
    left = int(min(max(0, round(cx - width / 2)), page_width - width))
    top = int(min(max(0, round(cy - height * 0.4)), page_height - height))
    return Box(x=left, y=top, width=width, height=height)


def crop_at_start(box: Box, page_width: int, page_height: int, limit: tuple[int, int] = IMAGE_MAX) -> Box:
    """At most `limit`, inside the page, anchored at the sentence's top left (a margin left and above
    it) rather than centred: when a link's words change, the sentence starts where it started and only
    its end reflows, so the picture before and the picture after frame the same part of the page."""
    width = min(limit[0], page_width)
    height = min(limit[1], page_height)
    left = box.x - max(0, min(ANCHOR_MARGIN[0], width - box.width))
    top = box.y - max(0, min(ANCHOR_MARGIN[1], height - box.height))
    left = int(min(max(0, left), page_width - width))
    top = int(min(max(0, top), page_height - height))
    return Box(x=left, y=top, width=width, height=height)


def framed_crop(obs: Observation, target: Box, page_width: int, page_height: int, which: str) -> Box:
    """The part of the page a step's picture shows (framed: below)."""
    return framed(obs, target, page_width, page_height, which)[1]


def framed(obs: Observation, target: Box, page_width: int, page_height: int, which: str) -> tuple[Box, Box]:
    """The picture's window and crop: at the start of the target's sentence (its lines whole, when they
    fit; crop_at_start), else around the target (crop_around); the crop's
    edges then moved in past every line of text they cut (the lines the capture recorded;
    monitor/framing.py), so that no word is cut at an edge."""
    clip = obs.images.target_clip if obs.images is not None and which == "target" else None
    dx, dy = (clip.x, clip.y) if clip is not None else (0, 0)
    lines = [Box(x=b.x - dx, y=b.y - dy, width=b.width, height=b.height) for b in framing.lines_of(obs)]
    page = Box(x=0, y=0, width=page_width, height=page_height)
    # the sentence's lines whole, when they fit: the crop is centred on them rather than on the target
    core = framing.core(obs)
    if core is not None:
        core = framing.whole_lines(Box(x=core.x - dx, y=core.y - dy, width=core.width, height=core.height), lines, page)
    whole = core is not None and core.width <= IMAGE_MAX[0] and core.height <= IMAGE_MAX[1]
    keep = framing.union([core if whole else target, target]) or target
    crop = crop_at_start(keep, page_width, page_height) if whole else crop_around(keep, page_width, page_height)
    # the crop is as large as it may be: an edge that cuts a line moves in past it (the picture keeps
    # the crop's place and size: what the edges moved past is painted over, _blank_outside)
    return crop, framing.whole_lines(crop, lines, crop, keep)


@dataclass(frozen=True)
class _Shot:
    image: Image.Image
    x: int
    y: int


def _blank_outside(page: Image.Image, crop: Box, window: Box | None = None) -> _Shot:
    """The crop at the full picture size of its page (IMAGE_MAX, or the page when smaller), so that a
    step's before and after pictures are one size: the strips an edge moved in past (lines it would
    cut) are painted in the page's own background colour, never shown cut. The picture shows window
    (the crop before its edges moved in) when given, else a window centred on the crop."""
    width, height = min(IMAGE_MAX[0], page.width), min(IMAGE_MAX[1], page.height)
    if window is not None and (window.width, window.height) == (width, height):
        left, top = window.x, window.y
    else:
        left = max(0, min(crop.x - (width - crop.width) // 2, page.width - width))
        top = max(0, min(crop.y - (height - crop.height) // 2, page.height - height))
    whole = page.crop((left, top, left + width, top + height))
    small = whole.resize((max(1, whole.width // 8), max(1, whole.height // 8)))
    colours = small.getcolors(small.width * small.height) or [(1, (255, 255, 255))]
    background = max(colours, key=lambda c: c[0])[1]
    out = Image.new("RGB", whole.size, background if isinstance(background, tuple) else (255, 255, 255))
    inside = (crop.x - left, crop.y - top, crop.x - left + crop.width, crop.y - top + crop.height)
    out.paste(whole.crop(inside), inside[:2])
    return _Shot(out, left, top)


def people_image(tree: store.Tree | None, obs: Observation | None, budget: int = IMAGE_BUDGET) -> bytes | None:
    """The step's page screenshot (already masked) cropped around its target, the target outlined,
    quantised to a palette and optimised to fit `budget` bytes; None when the step has no picture."""
    source = image_source(tree, obs)
    if source is None or obs is None or obs.target is None or obs.target.box is None:
        return None
    with Image.open(source) as img:
        page = img.convert("RGB")
    which = "target" if obs.images is not None and source.name == obs.images.target else "page"
    target = imaging.target_in_image(obs, which) or obs.target.box
    window, crop = framed(obs, target, page.width, page.height, which)
    shown = _blank_outside(page, crop, window)
    shot = shown.image
    inner = Box(x=target.x - shown.x, y=target.y - shown.y, width=target.width, height=target.height)
    data = b""
    scale = 1.0
    while True:
        for colours in IMAGE_COLOURS:
            data = _palette_png(shot, inner, colours, scale)
            if len(data) <= budget:
                return data
        if scale < 0.2:  # pragma: no cover - a 180×120 palette image is always far below any sane budget
            return data
        scale *= 0.8


def _palette_png(shot: Image.Image, target: Box, colours: int, scale: float) -> bytes:
    """Quantised to colours-1 entries, plus one reserved for the outline so that it stays exact."""
    img = shot
    box = target
    if scale < 1.0:
        size = (max(1, round(shot.width * scale)), max(1, round(shot.height * scale)))
        img = shot.resize(size, Image.Resampling.LANCZOS)
        box = Box(
            x=round(target.x * scale),
            y=round(target.y * scale),
            width=max(1, round(target.width * scale)),
            height=max(1, round(target.height * scale)),
        )
    if img.getcolors(PHOTO_COLOURS) is not None:
        # a page of flat colours: maximum coverage + one k-means pass keeps the large areas (white,
        # page grey) and the small ones (a blue link) at their exact colours
        quantised = img.quantize(colors=colours - 1, method=Image.Quantize.MAXCOVERAGE, kmeans=1)
    else:
        # photos in the crop: k-means over this many colours takes seconds; the octree is instant
        quantised = img.quantize(colors=colours - 1, method=Image.Quantize.FASTOCTREE)
    palette = list(quantised.getpalette() or [])[: 3 * (colours - 1)]
    palette += [0] * (3 * (colours - 1) - len(palette))
    palette += list(imaging.HIGHLIGHT)
    quantised.putpalette(palette)
    draw = ImageDraw.Draw(quantised)
    w = OUTLINE_WIDTH
    draw.rounded_rectangle(
        (box.x - w - 2, box.y - w - 2, box.x + box.width + w + 1, box.y + box.height + w + 1),
        radius=6,
        outline=colours - 1,
        width=w,
    )
    buf = io.BytesIO()
    quantised.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
