"""The app steps a pull request changed without walking them, for its body.

When a web step's words change, `update` makes the app steps that show the same thing quote the
website's new word, with a notice (write/appfollow.py). The monitor never opens the apps, so the pull
request lists those steps per language and says they were not walked: a maintainer who has the app
can look. Read from the working tree `update` wrote (its snapshots/) and the journey file the report
names, with app-steps.yaml beside it; without them the body simply has no such section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel import Locale

from monitor import config as config_mod
from monitor import store
from monitor.model import Change
from monitor.publish.context import Context
from monitor.publish.plans import Platform
from monitor.write import app_steps, appfollow, catalogs


def journey_file(ctx: Context) -> Path | None:
    """The journey file of the report's run: the clone's (by the report's name for it, else monitor.yaml),
    else the one the report names, where publish runs (a scratch workspace holds none)."""
    given = Path(ctx.report.run.config)
    for path in (ctx.root / given.name, ctx.root / "monitor.yaml", given):
        if path.is_file():
            return path
    return None


def followed(ctx: Context, plat: Platform, changes: list[Change] | None = None) -> list[dict[str, Any]]:
    """Per language (the pages' order), the platform's app steps that now quote the website's word where
    these changes (default: its updates; a first walk: its new steps) are."""
    changes = plat.updates if changes is None else changes
    path = journey_file(ctx)
    if path is None or not changes:
        return []
    try:
        cfg = config_mod.load(path)
        apps = app_steps.load_beside(path, list(cfg.locales), cfg)
    except (config_mod.ConfigError, ValueError, OSError, app_steps.AppStepsError):
        return []  # the update could not have used them either; its own run said why
    found = appfollow.for_changes(cfg, store.read_tree(ctx.root / "snapshots"), apps, changes)
    out: list[dict[str, Any]] = []
    for item in found:
        if not out or out[-1]["locale"] != item.locale:
            app = apps.platforms[item.site].app if apps is not None else item.site
            out.append({"locale": item.locale, "language": _english_name(item.locale), "app": app, "steps": []})
        out[-1]["steps"].append(item)
    return out


def _english_name(locale: str) -> str:
    try:
        return Locale.parse(catalogs.primary(locale)).get_display_name("en") or locale
    except (ValueError, LookupError):
        return locale
