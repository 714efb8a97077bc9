"""How the pages are rendered and written: the Jinja templates and the instructions folder on disk.

The templates print only `inert.Md` (see `_only_md`); files are written and pruned through
`guard.files`, so an unchanged run changes no byte; pictures are redrawn only when missing or stale.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from monitor import config as config_mod
from monitor import store
from monitor.config import Config
from monitor.guard.files import remove, remove_empty_folders, write_atomic
from monitor.guard.inert import Md
from monitor.model import Report
from monitor.write import app_steps
from monitor.write.app_steps import AppGuide
from monitor.write.page import (
    IMAGES,
    INDEX,
    MAINTAINERS,
    REHEARSED_FILE,
    VERIFIED_FILE,
    ImageKey,
    page_journey,
    plan_pages,
)
from monitor.write.pictures import image_relpath, image_source, people_image
from monitor.write.steps import viewport_steps, walk_is_usable
from monitor.write.verified import OVERDUE_DAYS, REFRESH_DAYS, Provenance, Verified, run_effects
from monitor.write.wording import index_row, page_view

TEMPLATES = Path(__file__).parent.parent / "templates" / "instructions"


def _only_md(value: Any) -> Any:
    """Jinja's finalize: a template may print Md (escaped or ours) and numbers, nothing else."""
    if isinstance(value, Md) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TypeError(
        f"instructions templates print only inert.Md values; got {type(value).__name__} {str(value)[:60]!r}. "
        "Escape scraped text with inert.md_text before it reaches a template."
    )


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # Markdown: escaping is done in Python, and enforced by _only_md
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_only_md,
    )


def render_page(
    config: Config,
    site: str,
    locale: str,
    baseline: store.Tree | None,
    verified: Verified | None,
    image_dir_rel: str = "../images",
    rehearsed: Verified | None = None,
    apps: AppGuide | None = None,
) -> str:
    """One page's Markdown. No baseline, or none for this walk: the unverified page, from monitor.yaml's labels."""
    view = page_view(config, site, locale, baseline, verified, image_dir_rel, rehearsed, apps)
    return environment().get_template("page.md.j2").render(page=view)


def render_index(
    config: Config,
    baseline: store.Tree | None,
    verified: Verified,
    today: date,
    rehearsed: Verified | None = None,
) -> str:
    provenance = Provenance(verified, rehearsed or Verified())
    rows = [index_row(config, spec, baseline, provenance, today) for spec in plan_pages(config)]
    return (
        environment()
        .get_template("index.md.j2")
        .render(rows=rows, overdue_days=OVERDUE_DAYS, refresh_days=REFRESH_DAYS)
    )


def render_maintainers() -> str:
    """instructions/MAINTAINERS.md: how these pages are made, kept off the public pages."""
    return environment().get_template("maintainers.md.j2").render(refresh_days=REFRESH_DAYS)


def write_instructions(
    config: Config,
    baseline: store.Tree | None,
    out: Path,
    verified: Verified,
    stale: set[ImageKey] | frozenset[ImageKey] | None,
    today: date,
    rehearsed: Verified | None = None,
    apps: AppGuide | None = None,
) -> list[Path]:
    """Render every page, the index, MAINTAINERS.md, verified.json (and rehearsals.json when a stand-in
    was walked) and the people images into `out` (the instructions folder). An image is (re)drawn only
    when it is missing or its key is in `stale` (None: all are); images and pages no longer referenced
    are removed. Returns the paths whose bytes changed."""
    changed: list[Path] = []
    wanted: set[Path] = set()
    for spec in plan_pages(config):
        journey = config.journey(spec.journey)
        for vp in viewport_steps(config, journey, spec.locale, baseline):
            if not vp.verified:
                continue
            for seen in vp.seen:
                if seen.kind not in ("consent", "click", "submit") or image_source(baseline, seen.obs) is None:
                    continue
                key: ImageKey = (spec.site, spec.locale, vp.name, seen.step.id)
                path = out / IMAGES / image_relpath(*key)
                wanted.add(path)
                if path.is_file() and stale is not None and key not in stale:
                    continue
                data = people_image(baseline, seen.obs)
                if data is not None and write_atomic(path, data):
                    changed.append(path)
        text = render_page(config, spec.site, spec.locale, baseline, verified, "../" + IMAGES, rehearsed, apps)
        page_path = out / spec.path
        wanted.add(page_path)
        if write_atomic(page_path, text.encode("utf-8")):
            changed.append(page_path)
    files = [
        (INDEX, render_index(config, baseline, verified, today, rehearsed).encode("utf-8")),
        (MAINTAINERS, render_maintainers().encode("utf-8")),
        (VERIFIED_FILE, verified.to_json().encode("utf-8")),
    ]
    if rehearsed is not None and rehearsed.dates:
        files.append((REHEARSED_FILE, rehearsed.to_json().encode("utf-8")))
    elif (out / REHEARSED_FILE).exists():
        remove(out / REHEARSED_FILE)
        changed.append(out / REHEARSED_FILE)
    for name, data in files:
        if write_atomic(out / name, data):
            changed.append(out / name)
    changed += _remove_unwanted(out, wanted)
    return sorted(changed)


_LOCALE_DIR = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


def _remove_unwanted(out: Path, wanted: set[Path]) -> list[Path]:
    removed: list[Path] = []
    # pages: only <locale>/<site>.md (other folders, such as changelog/, belong to others)
    pages = sorted(p for p in out.glob("*/*.md") if _LOCALE_DIR.match(p.parent.name))
    candidates = [*sorted((out / IMAGES).rglob("*.png")), *pages]
    for path in candidates:
        if path.is_file() and path not in wanted:
            remove(path)
            removed.append(path)
    images = out / IMAGES
    if images.is_dir():
        remove_empty_folders(images, and_root=True)
    return removed


def update_instructions(
    config: Config,
    baseline: store.Tree | None,
    out: Path,
    report: Report | None,
    today: date,
    apps: AppGuide | None = None,
) -> list[Path]:
    """After `accept`: move the dates by the report (Verified.after_run), redraw the stale images and
    render everything. A report of the real sites moves verified.json; a report that walked stand-ins
    (`check --site`, the replica) is a rehearsal: it moves rehearsals.json only, and the walks it
    replaced lose their verified date, so a replica's capture never reads as checked. Without a report
    nothing is re-dated and only missing images are drawn."""
    verified = Verified.load(out / VERIFIED_FILE)
    rehearsed = Verified.load(out / REHEARSED_FILE)
    if report is None:
        return write_instructions(config, baseline, out, verified, set(), today, rehearsed, apps)
    effects = run_effects(config, report)
    # only walks that are in the baseline were walked
    present = {
        k
        for k in effects.walked_ok
        if baseline is not None and walk_is_usable(baseline.walk_of(_journey_of(config, k[0]), k[1], k[2]))
    }
    if report.run.sites:
        rehearsed = rehearsed.after_run(present, effects.changed, today)
        verified = verified.without(present)
    else:
        verified = verified.after_run(present, effects.changed, today)
        rehearsed = rehearsed.without(present)
    return write_instructions(config, baseline, out, verified, set(effects.stale), today, rehearsed, apps)


def _journey_of(config: Config, site: str) -> str:
    journey = page_journey(config, site)
    return journey.id if journey is not None else ""


def render_repository(config_path: Path, root: Path, today: date | None = None) -> list[Path]:
    """The repository's own instructions/: from root/snapshots (real sites only), instructions/verified.json
    and the app steps beside the journey file."""
    config = config_mod.load(config_path)
    apps = app_steps.load_beside(config_path, list(config.locales), config)
    out = root / "instructions"
    baseline = store.read_tree(root / "snapshots")
    verified = Verified.load(out / VERIFIED_FILE)
    rehearsed = Verified.load(out / REHEARSED_FILE)
    return write_instructions(config, baseline, out, verified, set(), today or date.today(), rehearsed, apps)
