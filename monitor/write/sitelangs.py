"""A reader finds their language: a landing page per language, and the root's language list and picker.

One landing page per language (`<locale>/index.html`, in that language: its instructions pages with
their badges, and every language in its own name); the front page offers the same list, script-free,
under the one script of the site: the root picks the reader's language from the browser's preferred
languages (navigator.languages) and goes to its landing page, unless the reader came from the site
itself or prefers English.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from monitor.write import catalogs, follower, status
from monitor.write.badge import render
from monitor.write.feed import platform_name
from monitor.write.phrases import phrases

LANDING = "index.html"


def landing_rel(locale: str) -> PurePosixPath:
    return PurePosixPath(locale) / LANDING


def language_links(
    locales: Sequence[str], prefix: str, current: str | None = None, page: str = LANDING
) -> list[dict[str, Any]]:
    """Every language in its own name (CLDR), linking to its `page` (by default its landing page);
    what the template's language nav lists."""
    return [
        {
            "code": loc,
            "name": catalogs.language_name(loc),
            "href": f"{prefix}{PurePosixPath(loc) / page}",
            "current": loc == current,
        }
        for loc in locales
    ]


def picker_script(locales: Sequence[str]) -> Markup:
    """The root's only script: to the first preferred language the site has (not English, which the
    root already is), once, when the reader arrives from elsewhere. Our words only: codes are [a-z-]."""
    codes = [c for c in locales if c != catalogs.SOURCE_LOCALE and all(ch.isalpha() or ch == "-" for ch in c)]
    return Markup(
        "<script>(function(){var have=" + json.dumps(codes) + ";"
        "try{if(document.referrer&&new URL(document.referrer).origin===location.origin)return;}catch(e){}"
        "var prefs=navigator.languages||[navigator.language||''];"
        "for(var i=0;i<prefs.length;i++){var code=String(prefs[i]).toLowerCase().split('-')[0];"
        "if(code==='en')return;"
        "if(have.indexOf(code)>=0){location.replace(code+'/" + LANDING + "');return;}}})();</script>"
    )


def landing_pages(
    env: Environment,
    paths: Sequence[status.PathStatus],
    locales: Sequence[str],
    common: dict[str, Any],
    taken: set[PurePosixPath],
) -> dict[PurePosixPath, bytes]:
    """`<locale>/index.html` for each language with pages (unless instructions/ has its own there)."""
    out: dict[PurePosixPath, bytes] = {}
    template = env.get_template("language.html.j2")
    for locale in locales:
        rel = landing_rel(locale)
        if rel in taken:
            continue
        tr = catalogs.translations(locale)
        mine = [p for p in paths if p.locale == locale]
        html = template.render(
            lang=catalogs.primary(locale),
            title=phrases(locale).all_pages,
            _=tr.gettext,
            pgettext=tr.pgettext,
            root="../",
            feeds=[
                {
                    "type": "application/atom+xml",
                    "title": tr.gettext("All changes (Atom)"),
                    "href": f"feed-{locale}.atom",
                },
                {
                    "type": "application/feed+json",
                    "title": tr.gettext("All changes (JSON Feed)"),
                    "href": f"feed-{locale}.json",
                },
            ],
            language_feed=f"feed-{locale}",
            nav_feed=f"feed-{locale}.atom",
            feed_explained=follower.translate(locale, follower.FEED_EXPLAINED),
            current="language",
            languages=language_links(locales, "../", locale),
            cards=[
                {
                    "href": f"../{p.page}",
                    "title": phrases(locale).title.format(platform=platform_name(p.platform)),
                    "badge": f"../{p.badge}",
                    "alt": (drawn := render(p)).alt,
                    "width": drawn.width,
                    "height": drawn.height,
                    "embed": f"../{p.embed}",
                }
                for p in sorted(mine, key=lambda p: p.platform)
            ],
            **common,
        )
        out[rel] = html.encode()
    return out
