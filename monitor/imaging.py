"""Pixels: perceptual hashes, crops, highlight boxes and diff images. No browser here."""

from __future__ import annotations

import io
from dataclasses import dataclass

import imagehash
from PIL import Image, ImageChops, ImageDraw

from .model import Box, Observation

HIGHLIGHT = (228, 30, 90)

#: Every image the project writes stays within these (docs/decisions/0007).
MAX_WIDTH = 1280
MAX_HEIGHT = 4000
MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class Hashes:
    phash: str
    dhash: str


def hashes(png: bytes) -> Hashes:
    with Image.open(io.BytesIO(png)) as img:
        grey = img.convert("L")
        return Hashes(str(imagehash.phash(grey)), str(imagehash.dhash(grey)))


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


def diff_image(before: bytes, after: bytes) -> bytes:
    """After, dimmed, with the pixels that differ from before painted in the highlight colour."""
    with Image.open(io.BytesIO(before)) as a_img, Image.open(io.BytesIO(after)) as b_img:
        a = a_img.convert("RGB")
        b = b_img.convert("RGB")
    size = (max(a.width, b.width), max(a.height, b.height))
    canvas_a = Image.new("RGB", size, (255, 255, 255))
    canvas_b = Image.new("RGB", size, (255, 255, 255))
    canvas_a.paste(a, (0, 0))
    canvas_b.paste(b, (0, 0))
    changed = ImageChops.difference(canvas_a, canvas_b).convert("L").point(lambda v: 255 if v > 24 else 0)
    faded = Image.blend(canvas_b, Image.new("RGB", size, (255, 255, 255)), 0.6)
    faded.paste(Image.new("RGB", size, HIGHLIGHT), (0, 0), changed)
    return to_png(faded)


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
