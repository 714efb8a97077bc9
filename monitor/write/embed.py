"""What the site offers other guides: `status.json`, a badge and an embed page per platform × language.

The embed page shows, in its own language, a short script-free snippet (badge, one line, link) in a
box to copy, and what it looks like. Links in the snippet are absolute when the site knows where it
is served ($OPTOUT_SITE_URL or --base-url, as in Actions), else relative to the embed page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from monitor import config as config_mod
from monitor import store
from monitor.model import Report
from monitor.write import badge, catalogs, sitelangs, status
from monitor.write import report as report_mod
from monitor.write.feed import platform_name
from monitor.write.page import REHEARSED_FILE, VERIFIED_FILE, page_journey
from monitor.write.phrases import phrases
from monitor.write.verified import Verified

JOURNEY_FILE = "monitor.yaml"
STATUS_FILE = "status.json"
SCHEMA_FILE = "status.schema.json"  # beside status.json on the site; its source is in the site templates
SCHEMA = Path(__file__).parent.parent / "templates" / "site" / SCHEMA_FILE
DEFAULT_VIEWPORTS = ("desktop", "mobile")


class EmbedError(Exception):
    """The journey file or the report given to `site` cannot be read."""


@dataclass(frozen=True)
class Inputs:
    """What the statuses are read from: the repository's date files, journey file and snapshots, and
    optionally the report of the last check of the real sites."""

    dates: status.Dates
    config: config_mod.Config | None
    baseline: store.Tree | None
    report: Report | None


def read_inputs(root: Path, instructions_dir: Path, report_path: Path | None = None) -> Inputs:
    dates = []
    for name in (VERIFIED_FILE, REHEARSED_FILE):
        try:
            dates.append(Verified.load(instructions_dir / name).dates)
        except (ValueError, OSError) as exc:
            raise EmbedError(f"{instructions_dir / name}: {exc}") from None
    checked, rehearsed = dates
    config = None
    journey_file = root / JOURNEY_FILE
    if journey_file.is_file():
        try:
            config = config_mod.load(journey_file)
        except config_mod.ConfigError as exc:
            raise EmbedError(f"{journey_file}: {exc}") from None
    snapshots = root / "snapshots"
    baseline = store.read_tree(snapshots) if config is not None and snapshots.is_dir() else None
    report = None
    if report_path is not None:
        try:
            report = report_mod.load(report_path)
        except report_mod.ReportError as exc:
            raise EmbedError(str(exc)) from None
    return Inputs(status.Dates(checked, rehearsed), config, baseline, report)


def statuses(inputs: Inputs, pairs: Sequence[tuple[str, str]]) -> list[status.PathStatus]:
    """The status of each (platform, locale) the site has a page for."""
    out = []
    config = inputs.config
    for platform, locale in pairs:
        if config is not None and page_journey(config, platform) is not None:
            out.append(status.from_config(config, inputs.baseline, platform, locale, inputs.dates, inputs.report))
        else:
            keys = [*inputs.dates.checked, *inputs.dates.rehearsed]
            vps = sorted({k[2] for k in keys}) or list(DEFAULT_VIEWPORTS)
            out.append(status.from_dates(platform, locale, vps, inputs.dates, inputs.report))
    return out


def report_day(inputs: Inputs) -> date | None:
    """The day of the report the statuses read, when it is a report of the real sites."""
    return status.report_states(inputs.report)[1]


def snippet(path: status.PathStatus, drawn: badge.Badge, prefix: str) -> Markup:
    """The HTML another site copies: the badge linking to the page, one line, the page's title as a link."""
    tr = catalogs.translations(path.locale)
    lang = catalogs.primary(path.locale)
    page = prefix + path.page
    title = phrases(path.locale).title.format(platform=platform_name(path.platform))
    return Markup(
        '<p lang="{lang}"><a href="{page}" hreflang="{lang}"><img src="{src}" width="{w}" height="{h}" alt="{alt}"></a>'
        '<br>\n{line} <a href="{page}" hreflang="{lang}">{title}</a></p>'
    ).format(
        lang=lang,
        page=page,
        src=prefix + path.badge,
        w=drawn.width,
        h=drawn.height,
        alt=drawn.alt,
        line=tr.gettext("How to object, step by step:"),
        title=title,
    )


def files(
    env: Environment,
    paths: Sequence[status.PathStatus],
    base_url: str,
    common: dict[str, Any],
    report_day: date | None = None,
) -> dict[PurePosixPath, bytes]:
    """status.json, badges/<locale>/<platform>.svg and embed/<locale>/<platform>.html."""
    out: dict[PurePosixPath, bytes] = {
        PurePosixPath(STATUS_FILE): status.to_json(paths, base_url, report_day),
        PurePosixPath(SCHEMA_FILE): SCHEMA.read_bytes(),
    }
    template = env.get_template("embed.html.j2")

    def order(loc: str) -> tuple[bool, str]:
        return loc != catalogs.SOURCE_LOCALE, loc

    locales = {
        pl: sorted((p.locale for p in paths if p.platform == pl), key=order) for pl in {p.platform for p in paths}
    }
    base = base_url.rstrip("/") + "/" if base_url else ""
    for path in paths:
        drawn = badge.render(path)
        out[PurePosixPath(path.badge)] = drawn.svg
        code = snippet(path, drawn, base or "../../")
        preview = snippet(path, drawn, "../../")  # the site itself loads nothing from an absolute address
        tr = catalogs.translations(path.locale)
        html = template.render(
            lang=catalogs.primary(path.locale),
            title=tr.gettext("Show this status on your site"),
            _=tr.gettext,
            pgettext=tr.pgettext,
            root="../../",
            feeds=[],
            current="embed",
            # the same platform's embed page in every other language, each in its own name
            languages=sitelangs.language_links(locales[path.platform], "../", path.locale, f"{path.platform}.html"),
            page_href=f"../../{path.page}",
            page_title=phrases(path.locale).title.format(platform=platform_name(path.platform)),
            snippet=preview,
            snippet_source=str(code),  # a str: autoescaped once, so the box shows the HTML itself
            **common,
        )
        out[PurePosixPath(path.embed)] = html.encode()
    return out
