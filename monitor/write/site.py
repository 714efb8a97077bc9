"""instructions/ -> a static site for GitHub Pages: every page in every locale, the changelog, the feeds.

Layout of OUT (relative links everywhere, so it works under https://OWNER.github.io/REPO/):
    index.html                  every language in its own name, platform × locale with last-verified badges
    <locale>/index.html         a language's landing page, in that language (sitelangs.py)
    <locale>/<platform>.html    each instructions/<locale>/<platform>.md (any other .md likewise)
    images/...                  the images the pages reference, copied byte for byte
    changelog.html              every changelog entry, newest first, anchored #change-<id>
    feed.atom, feed.json, <platform>.atom, <platform>.json, and per language feed-<locale>.*, <platform>-<locale>.*
    status.json                 every platform × language's state, for other guides (docs/status-schema.md)
    badges/<locale>/<platform>.svg, embed/<locale>/<platform>.html   a badge and a snippet to copy (embed.py)
    style.css, .nojekyll
Markdown is rendered with raw HTML disabled, so text scraped from Meta's pages stays text. A link
to a page or image that does not exist fails the build, naming the page; no external resources,
and no JavaScript but the root's language picker (a few inline lines; the language list works without). Output depends only on the inputs: unchanged files are not rewritten and
files of an earlier build that are no longer produced are removed.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from PIL import Image

from monitor.guard import files
from monitor.guard.files import write_atomic
from monitor.write import catalogs, changelog, embed, feed, follower, sitelangs
from monitor.write.changelog import ChangelogEntry
from monitor.write.page import REHEARSED_FILE, VERIFIED_FILE
from monitor.write.phrases import phrases
from monitor.write.wording import heading_anchor as slug

SITE_URL_ENV = "OPTOUT_SITE_URL"  # where the site is served, e.g. https://owner.github.io/repo/
MARKER = ".optout-monitor-site"  # marks a folder as a site this module built (and may prune)
INSTRUCTIONS = "instructions"
SKIP_FOLDERS = {"changelog", "images"}
TEMPLATES = Path(__file__).parent.parent / "templates" / "site"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class SiteError(Exception):
    """The instructions cannot become a site as they are: a missing page or image, or a bad output folder."""


@dataclass
class Page:
    source: Path
    rel: PurePosixPath  # relative to instructions/, e.g. fr/facebook.md
    out_rel: PurePosixPath  # relative to OUT, e.g. fr/facebook.html
    locale: str | None = None
    platform: str | None = None
    title: str = ""
    heading: Markup = field(default_factory=Markup)  # the page's h1 (badges go right under it)
    body: Markup = field(default_factory=Markup)  # everything after it


@dataclass
class _Build:
    root: Path
    instructions: Path
    out: Path
    repo_url: str | None
    pages: dict[PurePosixPath, Page] = field(default_factory=dict)  # by rel
    assets: dict[PurePosixPath, Path] = field(default_factory=dict)  # out rel -> source file
    sizes: dict[PurePosixPath, tuple[int, int]] = field(default_factory=dict)


def gettext_for(locale: str | None) -> Callable[[str], str]:
    """The site's words in a language, from its catalog (monitor/write/catalogs.py); templates call it `_`.
    The templates autoescape, so a translation is always text on the page, never HTML."""
    return catalogs.translations(locale or "en").gettext


def words(locale: str | None) -> dict[str, Callable[..., str]]:
    """What a template calls to speak `locale`: `_("…")` and `pgettext("context", "…")`."""
    tr = catalogs.translations(locale or "en")
    return {"_": tr.gettext, "pgettext": tr.pgettext}


def build_site(
    root: Path, out: Path, base_url: str = "", repo_url: str | None = None, report: Path | None = None
) -> list[Path]:
    """Build the site for the repository at root into out; return every file written or kept.

    base_url is the public address of out, used for absolute links in the feeds; repo_url links
    commits and files outside instructions/ (the command fills both from its options or the
    environment: `site --help`); report, the report.json of the last check of the real sites, lets
    status.json and the badges say "changed" or "broken" (status.py).
    """
    instructions = root / INSTRUCTIONS
    if not instructions.is_dir():
        raise SiteError(f"{instructions}: no instructions folder to build a site from")
    _check_out(root, out)
    try:
        inputs = embed.read_inputs(root, instructions, report)
    except embed.EmbedError as exc:
        raise SiteError(str(exc)) from None
    build = _Build(root, instructions, out, repo_url)
    for source in _markdown_files(instructions):
        rel = PurePosixPath(source.relative_to(instructions).as_posix())
        build.pages[rel] = Page(source, rel, _out_rel(rel), *_locale_platform(rel))
    markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    markdown.enable(["table", "strikethrough"])
    for page in build.pages.values():
        _render(build, markdown, page)
    entries = changelog.read_all(root)
    verified = _Dates(_read_verified(instructions / VERIFIED_FILE), _read_verified(instructions / REHEARSED_FILE))
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    platforms = sorted({p.platform for p in build.pages.values() if p.platform} | {e.platform for e in entries})
    files: dict[PurePosixPath, bytes] = {}
    common = {"repo_url": feed.web_url(repo_url), "feed_links": _feed_links(platforms)}
    readme = build.pages.get(PurePosixPath("README.md"))
    pairs = sorted({(p.platform, p.locale) for p in build.pages.values() if p.platform and p.locale})
    paths = embed.statuses(inputs, pairs)
    files.update(embed.files(env, paths, base_url, common, embed.report_day(inputs)))
    locales = sorted({loc for _, loc in pairs}, key=lambda loc: (loc != "en", loc))
    taken = {p.out_rel for p in build.pages.values()}
    files.update(sitelangs.landing_pages(env, paths, locales, common, taken))
    for page in build.pages.values():
        if page is readme:
            continue
        files[page.out_rel] = _page_html(env, build, page, verified, common)
    files[PurePosixPath("index.html")] = _index_html(env, build, readme, verified, common, locales)
    files[PurePosixPath("changelog.html")] = _changelog_html(env, build, entries, common)
    files[PurePosixPath("style.css")] = (TEMPLATES / "style.css").read_bytes()
    files[PurePosixPath(".nojekyll")] = b""
    files[PurePosixPath(MARKER)] = b"Built by optout-monitor site; rebuilding prunes files not built.\n"
    written: list[Path] = []
    for rel, data in sorted(files.items()):
        write_atomic(out / rel, data)
        written.append(out / rel)
    for rel, source in sorted(build.assets.items()):
        write_atomic(out / rel, source.read_bytes())
        written.append(out / rel)
    # a feed per language the site has pages in, changes or not (a subscription never 404s)
    written += feed.build_feeds(entries, out, base_url, repo_url, platforms, sorted({loc for _, loc in pairs}))
    _prune(out, set(written))
    return written


# --------------------------------------------------------------------------- discovering pages


def _check_out(root: Path, out: Path) -> None:
    resolved = out.resolve()
    if resolved == root.resolve() or resolved in root.resolve().parents:
        raise SiteError(f"refusing to build the site into {out}: it holds the repository")
    if (resolved / ".git").exists() or (resolved / "monitor.yaml").exists():
        raise SiteError(f"refusing to build the site into {out}: it looks like a repository")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SiteError(f"refusing to build the site into {out}: it is not empty and was not built by `site`")
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is a file; give a folder for the site")


def _markdown_files(instructions: Path) -> list[Path]:
    found = []
    for path in sorted(instructions.rglob("*.md")):
        parts = path.relative_to(instructions).parts
        if parts[0] in SKIP_FOLDERS or any(p.startswith(".") for p in parts):
            continue
        found.append(path)
    return found


def _out_rel(rel: PurePosixPath) -> PurePosixPath:
    if rel == PurePosixPath("README.md"):
        return PurePosixPath("index.html")
    if rel.name == "README.md":
        return rel.with_name("index.html")
    return rel.with_suffix(".html")


def _locale_platform(rel: PurePosixPath) -> tuple[str | None, str | None]:
    """instructions/<locale>/<platform>.md names a locale and a platform; anything else neither (or a locale)."""
    if len(rel.parts) == 2 and re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", rel.parts[0]):
        platform = rel.stem if rel.stem != "README" else None
        return rel.parts[0], platform
    return None, None


def _read_verified(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise SiteError(f"{path}: not readable JSON ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise SiteError(f'{path}: expected a mapping of "site/locale/viewport" to an ISO date')
    return data


# --------------------------------------------------------------------------- Markdown


def _render(build: _Build, markdown: MarkdownIt, page: Page) -> None:
    tokens = markdown.parse(page.source.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    reports: list[Token] = []  # "tell us" paragraphs whose link has nowhere to point
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            text = _inline_text(tokens[i + 1])
            base = slug(text) or "section"
            n = seen.get(base, 0)
            seen[base] = n + 1
            token.attrSet("id", base if n == 0 else f"{base}-{n}")
            if token.tag == "h1" and not page.title:
                page.title = text
        if token.type == "inline":
            unlinked = False
            for child in token.children or []:
                if child.type == "link_open":
                    href = str(child.attrGet("href") or "")
                    unlinked = not _link(build, page, child)
                    if unlinked and page.locale and _repository_page(page, href) is not None:
                        reports.append(token)
                elif child.type == "link_close" and unlinked:
                    child.tag, unlinked = "span", False
                elif child.type == "image":
                    _image(build, page, child)
    for token in reports:  # no repository known: say so, never "the link opens a pre-filled report"
        token.children = markdown.parseInline(phrases(page.locale or "en").report_unlinked)[0].children
    if not page.title:
        page.title = _default_title(page)
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        page.heading = Markup(markdown.renderer.render(tokens[:3], markdown.options, {}))
        tokens = tokens[3:]
    else:
        page.heading = Markup("<h1>{}</h1>").format(page.title)
    page.body = Markup(markdown.renderer.render(tokens, markdown.options, {}))


def _inline_text(token: Token) -> str:
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline")).strip()


def _default_title(page: Page) -> str:
    if page.platform and page.locale:
        return f"{feed.platform_name(page.platform)} ({page.locale})"
    return page.rel.stem


def _resolve(page: Page, href: str) -> tuple[PurePosixPath | None, str]:
    """A relative href -> (path relative to instructions/ or None when it leaves it, fragment)."""
    path, _, fragment = href.partition("#")
    path = unquote(path.split("?", 1)[0])
    joined = posixpath.normpath(posixpath.join(str(page.rel.parent), path))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None, fragment
    return PurePosixPath(joined), fragment


def _relative(target: PurePosixPath, page: Page) -> str:
    return posixpath.relpath(str(target), str(page.out_rel.parent))


def _link(build: _Build, page: Page, token: Token) -> bool:
    """Point a link at the site's copy of its target; False when it had to become plain text."""
    href = str(token.attrGet("href") or "")
    if not href or href.startswith("#") or href.startswith("//") or _SCHEME.match(href):
        return True
    target, fragment = _resolve(page, href)
    suffix = f"#{fragment}" if fragment else ""
    issues = _repository_page(page, href)
    if issues is not None:  # "tell us": the repository's issues, as GitHub's file view resolves the link
        if build.repo_url:
            token.attrSet("href", f"{build.repo_url.rstrip('/')}/{issues}")
            return True
        token.tag = "span"
        token.attrs = {}
        return False
    if target is None:
        outside = posixpath.normpath(posixpath.join(INSTRUCTIONS, str(page.rel.parent), href.partition("#")[0]))
        if build.repo_url and not outside.startswith(".."):
            token.attrSet("href", f"{build.repo_url.rstrip('/')}/blob/HEAD/{outside}{suffix}")
            return True
        token.tag = "span"  # nowhere to point on the site: keep the words, drop the link
        token.attrs = {}
        return False
    if str(target) == "." or (build.instructions / target).is_dir():
        target = target / "README.md"
    if target.suffix == ".md":
        linked = build.pages.get(target)
        if linked is None:
            raise SiteError(f"{page.source}: links to {href!r}, but instructions/{target} does not exist")
        token.attrSet("href", _relative(linked.out_rel, page) + suffix)
        return True
    source = build.instructions / target
    if not source.is_file():
        raise SiteError(f"{page.source}: links to {href!r}, but instructions/{target} does not exist")
    build.assets[target] = source
    token.attrSet("href", _relative(target, page) + suffix)
    return True


def _repository_page(page: Page, href: str) -> str | None:
    """`issues/new?…` when a relative href climbs out of the repository through GitHub's file view
    (/OWNER/REPO/blob/BRANCH/instructions/…), as the instructions' "tell us" link does; else None."""
    path, _, query = href.partition("?")
    outside = posixpath.normpath(posixpath.join(INSTRUCTIONS, str(page.rel.parent), path))
    if outside.startswith("../../issues/") and ".." not in outside[len("../../") :]:
        rest = outside[len("../../") :]
        return f"{rest}?{query}" if query else rest
    return None


def _image(build: _Build, page: Page, token: Token) -> None:
    src = str(token.attrGet("src") or "")
    alt = "".join(c.content for c in token.children or []).strip()
    if not alt:
        fallback = Token("text", "", 0, content=f"Screenshot: {PurePosixPath(unquote(src)).stem.replace('-', ' ')}")
        token.children = [fallback]
    if src.startswith("//") or _SCHEME.match(src):
        raise SiteError(
            f"{page.source}: image {src!r} is not part of the repository; the site loads nothing from elsewhere"
        )
    target, _ = _resolve(page, src)
    if target is None or not (build.instructions / target).is_file():
        raise SiteError(f"{page.source}: shows image {src!r}, which does not exist under instructions/")
    build.assets[target] = build.instructions / target
    if "mobile" in target.parts or "desktop" in target.parts:  # shown no wider than the screen it shows
        token.attrSet("class", "shot-phone" if "mobile" in target.parts else "shot-computer")
    size = _image_size(build, target)
    if size is not None:
        token.attrSet("width", str(size[0]))
        token.attrSet("height", str(size[1]))


def _image_size(build: _Build, target: PurePosixPath) -> tuple[int, int] | None:
    if target not in build.sizes:
        try:
            with Image.open(build.instructions / target) as img:
                build.sizes[target] = (int(img.width), int(img.height))
        except (OSError, ValueError):
            return None
    return build.sizes[target]


# --------------------------------------------------------------------------- pages


def _root_prefix(out_rel: PurePosixPath) -> str:
    return "../" * (len(out_rel.parts) - 1)


def _feed_links(platforms: Iterable[str]) -> list[dict[str, str]]:
    _ = gettext_for("en")  # listed on the index and the changelog, which are in English
    links = [{"stem": "feed", "label": _("All changes")}]
    links += [{"stem": p, "label": feed.platform_name(p)} for p in platforms]
    return links


def _head_feeds(platform: str | None, locale: str | None = None) -> list[dict[str, str]]:
    """The feeds a page announces in its head, named in the page's language: a page in one language
    announces that language's feeds (every platform, then its own platform), written in it."""
    _ = gettext_for(locale)
    everything = f"feed-{locale}" if locale else "feed"
    out = [
        {"type": "application/atom+xml", "title": _("All changes (Atom)"), "href": f"{everything}.atom"},
        {"type": "application/feed+json", "title": _("All changes (JSON Feed)"), "href": f"{everything}.json"},
    ]
    if platform:
        name = feed.platform_name(platform)
        stem = f"{platform}-{locale}" if locale else platform
        atom, json_feed = _("{name} changes (Atom)"), _("{name} changes (JSON Feed)")
        out += [
            {"type": "application/atom+xml", "title": atom.format(name=name), "href": f"{stem}.atom"},
            {"type": "application/feed+json", "title": json_feed.format(name=name), "href": f"{stem}.json"},
        ]
    return out


def feed_words(locale: str | None) -> dict[str, str]:
    """What a page in `locale` says about its feeds: the one a header links (the language's own), and
    the line that says what a feed is, in the page's language."""
    if not locale:
        return {"nav_feed": "feed.atom", "feed_explained": ""}
    return {
        "nav_feed": f"feed-{locale}.atom",
        "feed_explained": follower.translate(locale, follower.FEED_EXPLAINED),
    }


@dataclass(frozen=True)
class _Dates:
    """verified.json (checks of the real sites) and rehearsals.json (walks of a stand-in), as read."""

    checked: dict[str, str]
    rehearsed: dict[str, str]


def _badges(verified: _Dates, platform: str, locale: str, lang: str | None = None) -> list[dict[str, str]]:
    """One badge per viewport, worded in `lang` (the page's language; default the instructions' locale):
    checked on the real site (date), rehearsal only (never "checked"), or not yet checked."""
    names = phrases(lang or locale).viewport_names
    keys = [*verified.checked, *verified.rehearsed]
    viewports = sorted({k.split("/")[2] for k in keys if k.count("/") == 2}) or ["desktop", "mobile"]
    badges = []
    for vp in viewports:
        key = f"{platform}/{locale}/{vp}"
        checked, rehearsed = verified.checked.get(key, "")[:10], verified.rehearsed.get(key, "")[:10]
        if rehearsed and rehearsed >= checked:
            badges.append({"viewport": names.get(vp, vp), "state": "rehearsal", "date": rehearsed})
        elif checked:
            badges.append({"viewport": names.get(vp, vp), "state": "checked", "date": checked})
        else:
            badges.append({"viewport": names.get(vp, vp), "state": "unverified", "date": ""})
    return badges


def _languages(build: _Build, page: Page) -> list[dict[str, Any]]:
    if page.locale is None:
        return []
    siblings = sorted(
        (p for p in build.pages.values() if p.locale and p.platform == page.platform and p.rel.name == page.rel.name),
        key=lambda p: p.locale or "",
    )
    if len(siblings) < 2:
        return []
    return [
        {
            "code": p.locale,
            "name": catalogs.language_name(p.locale or ""),
            "href": _relative(p.out_rel, page),
            "current": p is page,
        }
        for p in siblings
    ]


def _page_html(env: Environment, build: _Build, page: Page, verified: _Dates, common: dict[str, Any]) -> bytes:
    template = env.get_template("page.html.j2")
    instructions_page = bool(page.platform and page.locale)
    html = template.render(
        lang=page.locale or "en",
        title=page.title,
        **words(page.locale),
        root=_root_prefix(page.out_rel),
        feeds=_head_feeds(page.platform, page.locale),
        current="page",
        # an instructions page carries its own language links and status line: not repeated here
        languages=[] if instructions_page else _languages(build, page),
        badge_items=[],
        heading=page.heading,
        body=page.body,
        platform_feed=f"{page.platform}-{page.locale}" if instructions_page else page.platform,
        **feed_words(page.locale),
        embed_href=f"{_root_prefix(page.out_rel)}embed/{page.locale}/{page.platform}.html"
        if instructions_page
        else None,
        **common,
    )
    return html.encode()


def _index_html(
    env: Environment,
    build: _Build,
    readme: Page | None,
    verified: _Dates,
    common: dict[str, Any],
    locales: Sequence[str] = (),
) -> bytes:
    groups: dict[str, list[Page]] = {}
    others: list[Page] = []
    for page in build.pages.values():
        if page is readme:
            continue
        if page.platform and page.locale:
            groups.setdefault(page.platform, []).append(page)
        else:
            others.append(page)
    index = Page(build.instructions / "README.md", PurePosixPath("README.md"), PurePosixPath("index.html"))
    _ = gettext_for("en")  # the index and the changelog are in English; each page speaks its own language
    heading = _("Object to Meta using your posts for AI training")
    html = env.get_template("index.html.j2").render(
        lang="en",
        title=readme.title if readme else heading,
        heading=readme.heading if readme else Markup("<h1>{}</h1>").format(heading),
        **words("en"),
        root="",
        feeds=_head_feeds(None),
        current="index",
        # every language in its own name (script-free), and the one script that picks the reader's
        languages=sitelangs.language_links(locales, "") if len(locales) > 1 else [],
        picker=sitelangs.picker_script(locales) if len(locales) > 1 else "",
        groups=[
            {
                "platform": platform,
                "name": feed.platform_name(platform),
                "cards": [
                    {
                        "href": _relative(p.out_rel, index),
                        "title": p.title,
                        "locale": p.locale,
                        "language": catalogs.language_name(p.locale or ""),
                        "badges": _badges(verified, platform, p.locale or "", "en"),
                    }
                    for p in sorted(pages, key=lambda p: (p.locale != "en", p.locale or ""))
                ],
            }
            for platform, pages in sorted(groups.items())
        ],
        others=[{"href": _relative(p.out_rel, index), "title": p.title} for p in sorted(others, key=lambda p: p.rel)],
        readme=None,  # its table repeats the cards above; README.md stays for GitHub's file view
        **common,
    )
    return html.encode()


def _changelog_html(
    env: Environment, build: _Build, entries: Sequence[ChangelogEntry], common: dict[str, Any]
) -> bytes:
    _ = gettext_for("en")  # the changelog is in English; each instructions page speaks its own language
    site_pages = {str(p.out_rel) for p in build.pages.values()}
    days: list[dict[str, Any]] = []
    for group in feed.grouped(entries):  # one item per change group, as in the feeds (groups.py)
        entry = group.members[0]  # its id is the anchor the feeds link to
        stamp = feed.rfc3339(feed.group_when(group))

        def on_site(page: str) -> str | None:
            href = feed.page_url(page)
            return href if href in site_pages else None  # an instruction page this site does not have

        story = follower.story(group, "en", on_site, dated=False)
        image, size = _entry_image(build, entry)
        item = {
            "id": entry.id,
            "title": story.title,
            "sentences": [s.html() for s in story.sentences],
            "links": feed.change_links(group, build.repo_url),
            "when": stamp,
            "when_text": stamp[:16].replace("T", " ") + " UTC",
            "image": image,
            "image_alt": _("Screenshot after the change: {title}").format(title=story.title),
            "image_size": size,
        }
        if not days or days[-1]["date"] != stamp[:10]:
            days.append(
                {"date": stamp[:10], "day": catalogs.long_date("en", feed.group_when(group).date()), "entries": []}
            )
        days[-1]["entries"].append(item)
    html = env.get_template("changelog.html.j2").render(
        lang="en",
        title=_("What changed"),
        **words("en"),
        root="",
        feeds=_head_feeds(None),
        current="changelog",
        languages=[],
        days=days,
        **common,
    )
    return html.encode()


def _entry_image(build: _Build, entry: ChangelogEntry) -> tuple[str | None, tuple[int, int] | None]:
    for repo_path in entry.images:
        path = PurePosixPath(repo_path.strip("/"))
        if path.parts[:1] != (INSTRUCTIONS,) or ".." in path.parts:
            continue
        rel = PurePosixPath(*path.parts[1:])
        source = build.instructions / rel
        if source.is_file():
            build.assets[rel] = source
            return str(rel), _image_size(build, rel)
    return None, None


def _prune(out: Path, keep: set[Path]) -> None:
    for path in sorted(out.rglob("*"), reverse=True):
        if path.is_file() and path not in keep:
            files.remove(path)
    files.remove_empty_folders(out)
