"""Pixels: perceptual hashes, crops, highlight boxes and diff images. No browser here."""

from __future__ import annotations

import hashlib
import importlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

import imagehash
from PIL import Image, ImageChops, ImageDraw

from monitor.model import Box, Observation

HIGHLIGHT = (228, 30, 90)

#: Every image the project writes stays within these (docs/decisions/0013).
MAX_WIDTH = 1280
MAX_HEIGHT = 4000
MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class Hashes:
    phash: str
    dhash: str


def sha256(data: bytes) -> str:
    """The file's exact identity, recorded at capture and checked before a baseline is trusted."""
    return hashlib.sha256(data).hexdigest()


def hashes(png: bytes) -> Hashes:
    with Image.open(io.BytesIO(png)) as img:
        return _hashes(img)


def _hashes(img: Image.Image) -> Hashes:
    grey = img.convert("L")
    return Hashes(str(imagehash.phash(grey)), str(imagehash.dhash(grey)))


def crop_hashes(png: bytes, box: Box, pad: int) -> Hashes:
    """hashes(crop(png, box, pad)), without encoding the crop as a PNG only to decode it again."""
    with Image.open(io.BytesIO(png)) as img:
        area = padded(box, pad, img.width, img.height)
        return _hashes(img.crop((area.x, area.y, area.x + area.width, area.y + area.height)))


def warm() -> None:
    """Import what the first perceptual hash needs (imagehash imports scipy's DCT on first use,
    ~0.3 s): run beside the browser's launch, it is not paid on the first step."""
    importlib.import_module("scipy.fftpack")


def hash_distance(a: str | None, b: str | None) -> int | None:
    """Hamming distance of two hex hashes, None when either is missing."""
    if not a or not b or len(a) != len(b):
        return None
    return int(imagehash.hex_to_hash(a) - imagehash.hex_to_hash(b))


def padded(box: Box, pad: int, page_width: int, page_height: int) -> Box:
    """The box grown by pad on every side, kept inside the page."""
    x = max(0, box.x - pad)
    y = max(0, box.y - pad)
    right = min(page_width, box.x + box.width + pad)
    bottom = min(page_height, box.y + box.height + pad)
    return Box(x=x, y=y, width=max(1, right - x), height=max(1, bottom - y))


def crop(png: bytes, box: Box, pad: int) -> bytes:
    """The part of a screenshot around box, grown by pad and kept inside the image."""
    with Image.open(io.BytesIO(png)) as img:
        area = padded(box, pad, img.width, img.height)
        part = img.crop((area.x, area.y, area.x + area.width, area.y + area.height))
        return to_png(part)


def outline(png: bytes, box: Box, width: int = 3, colour: tuple[int, int, int] = HIGHLIGHT) -> bytes:
    """The image with a rounded outline drawn around box (in the image's own pixels)."""
    with Image.open(io.BytesIO(png)) as img:
        out = img.convert("RGB")
    draw = ImageDraw.Draw(out)
    draw.rounded_rectangle(
        (box.x - width - 2, box.y - width - 2, box.x + box.width + width + 1, box.y + box.height + width + 1),
        radius=6,
        outline=colour,
        width=width,
    )
    return to_png(out)


GAP = 16  # pixels between before and after in a side by side
REGION_PAD = 80  # context kept around the changed region
REGION_MAX = (900, 480)  # the largest view of one side; a larger change is shown from its top


def changed_box(before: bytes, after: bytes, threshold: int = 24) -> Box | None:
    """The smallest box holding every pixel that differs (both images placed at the top left), or
    None when they look the same."""
    with Image.open(io.BytesIO(before)) as a_img, Image.open(io.BytesIO(after)) as b_img:
        a, b = _same_size(a_img.convert("RGB"), b_img.convert("RGB"))
    changed = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > threshold else 0)
    bbox = changed.getbbox()
    if bbox is None:
        return None
    return Box(x=bbox[0], y=bbox[1], width=bbox[2] - bbox[0], height=bbox[3] - bbox[1])


def diff_image(before: bytes, after: bytes) -> bytes:
    """Before and after side by side, cut to the region that changed (with some context around it) and
    that region outlined on both, so a reader compares the two versions of the same place at a glance.
    Images that look the same are shown whole, side by side."""
    with Image.open(io.BytesIO(before)) as a_img, Image.open(io.BytesIO(after)) as b_img:
        a, b = _same_size(a_img.convert("RGB"), b_img.convert("RGB"))
    region = changed_box(to_png(a), to_png(b))
    if region is None:
        view = Box(x=0, y=0, width=a.width, height=a.height)
    else:
        # where the change starts: text that reflows moves everything below it, so a tall region is cut
        # to REGION_MAX from its top rather than shrunk to illegible
        grown = padded(region, REGION_PAD, a.width, a.height)
        view = Box(x=grown.x, y=grown.y, width=min(grown.width, REGION_MAX[0]), height=min(grown.height, REGION_MAX[1]))
    parts = []
    for img in (a, b):
        part = img.crop((view.x, view.y, view.x + view.width, view.y + view.height))
        if region is not None:
            draw = ImageDraw.Draw(part)
            x, y = region.x - view.x, region.y - view.y
            draw.rectangle((x - 3, y - 3, x + region.width + 2, y + region.height + 2), outline=HIGHLIGHT, width=3)
        parts.append(part)
    return _joined(parts)


def framed(
    sources: Sequence[tuple[bytes, Box]], frame: Box, marks: Sequence[Box] = (), shown: Box | None = None
) -> bytes:
    """The frame (page coordinates) of one capture: cut from its images, each pasted where it sits
    on the page (later ones on top), only within `shown` when given; what none of them shows is
    hatched; each mark outlined."""
    out = Image.new("RGB", (frame.width, frame.height), (236, 238, 241))
    draw = ImageDraw.Draw(out)
    for d in range(-frame.height, frame.width, 12):
        draw.line((d, 0, d + frame.height, frame.height), fill=(214, 217, 222), width=2)
    for data, where in sources:
        with Image.open(io.BytesIO(data)) as img:
            part = img.convert("RGB")
        x, y = where.x, where.y
        if shown is not None:
            left, top = max(0, shown.x - x), max(0, shown.y - y)
            right = min(part.width, shown.x + shown.width - x)
            bottom = min(part.height, shown.y + shown.height - y)
            if right <= left or bottom <= top:
                continue
            part, x, y = part.crop((left, top, right, bottom)), x + left, y + top
        out.paste(part, (x - frame.x, y - frame.y))
    for mark in marks:
        x, y, w = mark.x - frame.x, mark.y - frame.y, 3
        draw.rounded_rectangle(
            (x - w - 2, y - w - 2, x + mark.width + w + 1, y + mark.height + w + 1),
            radius=6,
            outline=HIGHLIGHT,
            width=w,
        )
    return to_png(out)


def side_by_side(before: bytes, after: bytes) -> bytes:
    """Two pictures next to each other, a thin rule between them."""
    with Image.open(io.BytesIO(before)) as a_img, Image.open(io.BytesIO(after)) as b_img:
        parts = [a_img.convert("RGB"), b_img.convert("RGB")]
    return _joined(parts)


def _joined(parts: list[Image.Image]) -> bytes:
    canvas = Image.new("RGB", (parts[0].width + GAP + parts[1].width, max(p.height for p in parts)), (255, 255, 255))
    canvas.paste(parts[0], (0, 0))
    canvas.paste(parts[1], (parts[0].width + GAP, 0))
    ImageDraw.Draw(canvas).line(
        (parts[0].width + GAP // 2, 0, parts[0].width + GAP // 2, canvas.height), fill=(200, 204, 210), width=2
    )
    return to_png(canvas)


def _same_size(a: Image.Image, b: Image.Image) -> tuple[Image.Image, Image.Image]:
    size = (max(a.width, b.width), max(a.height, b.height))
    out = []
    for img in (a, b):
        canvas = Image.new("RGB", size, (255, 255, 255))
        canvas.paste(img, (0, 0))
        out.append(canvas)
    return out[0], out[1]


def to_png(img: Image.Image) -> bytes:
    """PNG bytes within the pixel and byte budget: scaled down to fit, then fewer colours if need be."""
    if img.width > MAX_WIDTH or img.height > MAX_HEIGHT:
        img = img.copy()
        img.thumbnail((MAX_WIDTH, MAX_HEIGHT), Image.Resampling.LANCZOS)
    data = _encode(img)
    while len(data) > MAX_BYTES:
        img = img.convert("RGB").quantize(colors=64) if img.mode != "P" else _smaller(img)
        data = _encode(img)
    return data


def _smaller(img: Image.Image) -> Image.Image:
    return img.resize((max(1, img.width * 3 // 4), max(1, img.height * 3 // 4)))


def _encode(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def within_budget(png: bytes) -> bytes:
    """A PNG from the browser as it is when it fits the budget, else re-encoded to fit."""
    with Image.open(io.BytesIO(png)) as img:
        fits = img.width <= MAX_WIDTH and img.height <= MAX_HEIGHT
        if fits and len(png) <= MAX_BYTES:
            return png
        return to_png(img.convert("RGB"))


def thumbnail(png: bytes, width: int = 360) -> bytes:
    """A small copy for a page that shows many pictures."""
    with Image.open(io.BytesIO(png)) as img:
        small = img.convert("RGB")
    small.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
    return to_png(small)


def target_in_image(obs: Observation, which: str) -> Box | None:
    """The target's box inside one of the observation's images ("page" or "target"), None when
    that image does not show it (an older tight crop, or a target below the first screen)."""
    if obs.target is None or obs.target.box is None or obs.images is None:
        return None
    box = obs.target.box
    if which == "target":
        clip = obs.images.target_clip
        if clip is None:
            return None
        return Box(x=box.x - clip.x, y=box.y - clip.y, width=box.width, height=box.height)
    return box
