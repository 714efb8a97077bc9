"""Accepted observations + templates -> the instructions people read (Markdown, per platform and language).

One page per platform × locale, `instructions/<locale>/<site>.md`, an index `instructions/README.md`,
notes for maintainers `instructions/MAINTAINERS.md`, screenshots for people under
`instructions/images/<site>/<locale>/<viewport>/<step>.png`, and the dates each walk was last checked
on the real site, `instructions/verified.json` (a rehearsal on a stand-in goes to `rehearsals.json`).

- Three ways in per page: the app (documented steps from `app-steps.yaml`, always labelled as not
  checked), a phone's browser and a computer (from the walks).
- Labels are the words shown on screen as captured; an icon without words is described by what it
  looks like (`looks:` in monitor.yaml), never by an accessible name nobody sees. Every step says
  where to look: the heading above it, or its position measured on that viewport, or the journey
  file's documented context (`hint:`). A page whose walk is not in the baseline is rendered from the
  journey file, says so, and carries no screenshots.
- Each page states, per viewport, one of three states in people's words: checked on the real site
  (date), a rehearsal on a copy of Meta's pages (date), or not yet checked (documented steps).
- Everything the monitor read from a page passes through `inert` before it reaches a template;
  the Jinja environment refuses any value that is not `inert.Md` (see render.py's `_only_md`).
- Nothing here touches a browser or git; files are written with `guard.files.write_atomic`, so an
  unchanged run changes no byte. Images are rewritten only when missing or stale.

This module is the public face and `python -m monitor.write.instructions`; the work is in:
- page.py: what a page is (which pages, their files, platforms and screens, the records templates print);
- verified.py: its states (checked on the real site, rehearsal, not yet checked) and their dates;
- steps.py: which steps a page tells, captured or documented;
- phrasing.py and wording.py: how a step is phrased, and what the page says around its steps;
- pictures.py: the cropped, outlined screenshots; render.py: the templates and the files.

See docs/decisions/0003-instructions.md and 0009-instructions-people-follow.md; the wording is in
the catalogs (phrases.py, monitor/locales/, docs/decisions/0015-translation-catalogs.md).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from monitor.write.page import (
    DOCUMENTED_FORMS,
    IMAGES,
    REHEARSED_FILE,
    VERIFIED_FILE,
    ImageKey,
    PageSpec,
    fold_height,
    page_journey,
    plan_pages,
    platform_name,
    screen_position,
)
from monitor.write.phrasing import format_date, quote_label
from monitor.write.pictures import IMAGE_BUDGET, crop_around, people_image
from monitor.write.render import (
    environment,
    render_index,
    render_page,
    render_repository,
    update_instructions,
    write_instructions,
)
from monitor.write.verified import OVERDUE_DAYS, REFRESH_DAYS, Verified, run_effects
from monitor.write.wording import ISSUE_TEMPLATE, heading_anchor, labels_notice

__all__ = [
    "DOCUMENTED_FORMS",
    "IMAGES",
    "IMAGE_BUDGET",
    "ISSUE_TEMPLATE",
    "OVERDUE_DAYS",
    "REFRESH_DAYS",
    "REHEARSED_FILE",
    "VERIFIED_FILE",
    "ImageKey",
    "PageSpec",
    "Verified",
    "crop_around",
    "environment",
    "fold_height",
    "format_date",
    "heading_anchor",
    "labels_notice",
    "main",
    "page_journey",
    "people_image",
    "plan_pages",
    "platform_name",
    "quote_label",
    "render_index",
    "render_page",
    "render_repository",
    "run_effects",
    "screen_position",
    "update_instructions",
    "write_instructions",
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m monitor.write.instructions",
        description="Render instructions/ from monitor.yaml, app-steps.yaml beside it and the accepted snapshots/.",
    )
    parser.add_argument("--config", type=Path, default=Path("monitor.yaml"), help="the journey file")
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository (snapshots/, instructions/)")
    args = parser.parse_args(argv)
    for path in render_repository(args.config, args.root):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
