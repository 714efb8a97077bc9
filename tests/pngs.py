"""Real, tiny PNGs for baseline trees: a baseline's images are decoded before they are trusted."""

from __future__ import annotations

import hashlib
import io

from PIL import Image


def png(seed: str) -> bytes:
    """A 4×4 PNG whose colour follows from seed: different seeds, different bytes."""
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), tuple(hashlib.sha256(seed.encode()).digest()[:3])).save(buf, "PNG")
    return buf.getvalue()
