"""Run folders built by the real store code from synthetic walks, for the accept and lock tests:
many walks with real, incompressible PNGs, so that an `accept` takes long enough to be killed
half-way, and helpers that fingerprint a baseline walk by walk."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

from PIL import Image

from monitor import imaging, store
from monitor.model import Images, Observation, RunInfo, Status, Walk

INFO = RunInfo(started="2026-01-01T00:00:00+00:00", finished="2026-01-01T00:00:01+00:00", seconds=1, config="m.yaml")


def noise_png(rng: random.Random, size: tuple[int, int]) -> bytes:
    import io

    img = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def synthetic_run(
    folder: Path,
    seed: str,
    walks: int = 12,
    steps: int = 3,
    size: tuple[int, int] = (160, 120),
    journey: str = "synthetic",
    info: RunInfo = INFO,
) -> Path:
    """A run folder of `walks` walks × `steps` steps, each with a page and a target image."""
    rng = random.Random(seed)
    all_walks: list[Walk] = []
    for w in range(walks):
        locale, viewport = f"l{w:02d}", "desktop"
        observations: list[Observation] = []
        images: dict[str, bytes] = {}
        for i in range(steps):
            step = f"s{i}"
            page, target = noise_png(rng, size), noise_png(rng, (size[0] // 2, size[1] // 2))
            ph, th = imaging.hashes(page), imaging.hashes(target)
            images[f"{step}.page.png"], images[f"{step}.target.png"] = page, target
            observations.append(
                Observation(
                    journey=journey,
                    site="facebook",
                    locale=locale,
                    viewport=viewport,
                    step=step,
                    index=i,
                    action="observe",
                    status=Status.OK,
                    url=f"https://www.facebook.com/{seed}/{step}",
                    images=Images(
                        page=f"{step}.page.png",
                        page_phash=ph.phash,
                        page_dhash=ph.dhash,
                        page_sha256=imaging.sha256(page),
                        target=f"{step}.target.png",
                        target_phash=th.phash,
                        target_dhash=th.dhash,
                        target_sha256=imaging.sha256(target),
                    ),
                )
            )
        walk = Walk(journey=journey, site="facebook", locale=locale, viewport=viewport, observations=observations)
        store.save_walk(folder / store.OBSERVATIONS, walk, images)
        all_walks.append(walk)
    store.save_run(folder, info, all_walks)
    return folder


def walk_prints(snapshots: Path) -> dict[str, str]:
    """journey/locale/viewport -> sha256 over its files' names and bytes (staging folders left out)."""
    prints: dict[str, str] = {}
    for folder in sorted(snapshots.glob("*/*/*")):
        rel = folder.relative_to(snapshots)
        if rel.parts[0].startswith(".") or not folder.is_dir():
            continue
        digest = hashlib.sha256()
        for path in sorted(folder.iterdir()):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        prints[rel.as_posix()] = digest.hexdigest()
    return prints


def leftovers(snapshots: Path) -> list[str]:
    """Anything a writer leaves behind: staging folders and temporary files."""
    found = [p for p in snapshots.rglob("*") if p.name.startswith(store.STAGING_PREFIX) or p.name.endswith(".tmp")]
    return sorted(str(p.relative_to(snapshots)) for p in found)


def copy_run(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
