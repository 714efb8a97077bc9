"""Changelog entries -> Atom and JSON Feed 1.1 files (overall and per platform) and CHANGELOG.md.

Pure functions over `ChangelogEntry` records: no clock, no network. The same entries give the
same bytes, so a feed that did not change is not rewritten (and git sees nothing):
- an entry's id is `urn:optout-monitor:change:<entry.id>` (entry.id is a hash of what changed);
- published/updated come from `entry.when`; a feed's `updated` is its newest entry's date;
- scraped text is escaped wherever it goes: feedgen escapes XML, JSON Feed carries it as
  `content_text` and as `content_html` escaped with markupsafe, Markdown gets backslashes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from feedgen.feed import FeedGenerator

from monitor import config as config_mod
from monitor.guard.files import write_atomic
from monitor.guard.inert import md_text
from monitor.judge import groups
from monitor.judge.groups import Group
from monitor.write import catalogs, changelog, follower, languages
from monitor.write.changelog import ChangelogEntry

ID_PREFIX = "urn:optout-monitor:change:"
FEED_ID_PREFIX = "urn:optout-monitor:feed:"
FEED_TITLE = "optout-monitor: changes to Meta's AI-training objection path"
DESCRIPTION = (
    "Every time Meta rewords or moves a step on the way to the objection form, and how the instructions followed."
)
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# A feed without entries still needs an `updated`; a fixed date keeps the output stable.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Characters XML 1.0 cannot carry (lxml refuses them); scraped text may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Enough to keep scraped text from becoming emphasis, code, links, HTML, entities or table cells
# (it never starts a line, so list and heading markers need no escape).


def platform_name(platform: str) -> str:
    return groups.platform_name(platform)


def entry_uid(entry: ChangelogEntry) -> str:
    """The entry's permanent id in every feed (never changes once published)."""
    return ID_PREFIX + entry.id


def when(entry: ChangelogEntry) -> datetime:
    """entry.when as an aware UTC datetime; a naive value is read as UTC."""
    try:
        value = datetime.fromisoformat(entry.when)
    except ValueError:
        raise ValueError(f"changelog entry {entry.id}: 'when' is not an ISO 8601 date-time: {entry.when!r}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def clean(text: str | None) -> str:
    """Scraped text as one line: control characters dropped, whitespace collapsed."""
    return " ".join(_NOT_XML.sub("", text or "").split())


def clean_lines(text: str) -> str:
    """Our text (a story, its scraped words already one line each) with what XML cannot carry dropped;
    lines and no-break spaces kept."""
    return _NOT_XML.sub("", text)


def web_url(url: str | None) -> str | None:
    """url when it is an http(s) URL, else None (a changelog file never turns into a javascript: link)."""
    if url and urlsplit(url).scheme in ("http", "https") and not any(c.isspace() for c in url):
        return url
    return None


def pr_link(entry: ChangelogEntry) -> str | None:
    return web_url(entry.pr_url)


def commit_link(entry: ChangelogEntry, repo_url: str | None) -> str | None:
    if entry.commit and repo_url and re.fullmatch(r"[0-9a-fA-F]{7,64}", entry.commit):
        return web_url(f"{repo_url.rstrip('/')}/commit/{entry.commit}")
    return None


def entry_link(entry: ChangelogEntry, base_url: str = "", repo_url: str | None = None) -> str:
    """Where an entry points: its pull request, else its commit, else its place on the changelog page."""
    return pr_link(entry) or commit_link(entry, repo_url) or f"{_base(base_url)}changelog.html#change-{entry.id}"


def change_links(group: Group[ChangelogEntry], repo_url: str | None) -> list[dict[str, str]]:
    """The pull request that made a change, else its commit: where a curious reader sees the edit."""
    pr = next((u for u in (pr_link(m) for m in group.members) if u), None)
    if pr:
        return [{"label": "Pull request", "href": pr}]
    first = group.members[0]
    commit = commit_link(first, repo_url)
    return [{"label": f"Commit {first.commit[:12]}", "href": commit}] if commit and first.commit else []


def page_url(repo_path: str, base_url: str = "") -> str | None:
    """The site URL of an instruction page or image given by its repository path, or None outside instructions/."""
    path = repo_path.strip("/")
    if not path.startswith("instructions/"):
        return None
    rel = path.removeprefix("instructions/")
    if rel == "README.md":
        rel = "index.html"
    elif rel.endswith(".md"):
        rel = rel[:-3] + ".html"
    return _base(base_url) + rel


def _base(base_url: str) -> str:
    return base_url.rstrip("/") + "/" if base_url else ""


# --------------------------------------------------------------------------- groups (the feeds' unit)


def group_story(
    group: Group[ChangelogEntry],
    locale: str = "en",
    base_url: str | None = "",
    dated: bool = True,
    tail: bool = True,
) -> follower.Story:
    """A change group as `locale`'s followers read it (follower.py): the one wording of every feed,
    CHANGELOG.md, the site's changelog and the pull request's preview. Pages are linked on the site
    at base_url (relative when empty); base_url None names them without a link."""
    if base_url is None:
        return follower.story(group, locale, None, dated, tail)
    site = base_url
    return follower.story(group, locale, lambda page: page_url(page, site), dated, tail)


def group_title(group: Group[ChangelogEntry], locale: str = "en") -> str:
    """E.g. `Facebook: “object” now reads “Oppose”` (in the reader's language)."""
    return group_story(group, locale).title


def group_uid(group: Group[ChangelogEntry]) -> str:
    """A single step keeps its entry's id (feeds published before groups keep their ids)."""
    if len(group.members) == 1:
        return entry_uid(group.members[0])
    return f"{ID_PREFIX}group-{group.id}"


def group_link(group: Group[ChangelogEntry], base_url: str = "", repo_url: str | None = None) -> str:
    for member in group.members:
        link = pr_link(member) or commit_link(member, repo_url)
        if link:
            return link
    return entry_link(group.members[0], base_url, repo_url)


def group_summary(group: Group[ChangelogEntry], locale: str = "en") -> str:
    """The first sentence of the story: what changed."""
    return group_story(group, locale).sentences[0].text()


def group_text(group: Group[ChangelogEntry], base_url: str = "", locale: str = "en") -> str:
    """What changed, one sentence a line, as plain text."""
    return group_story(group, locale, base_url).text()


def group_html(group: Group[ChangelogEntry], base_url: str = "", locale: str = "en") -> str:
    """The same as group_text as an HTML fragment (a paragraph a sentence); every scraped string escaped."""
    return group_story(group, locale, base_url).html()


def group_when(group: Group[ChangelogEntry]) -> datetime:
    return max(when(m) for m in group.members)


def group_tags(group: Group[ChangelogEntry]) -> list[str]:
    """The platform and the languages: words a follower filters by (never a verdict or a device)."""
    m = group.members[0]
    return list(dict.fromkeys(clean(t) for t in (m.platform, *group.locales) if clean(t)))


def follower_markdown(
    group: Group[ChangelogEntry],
    locale: str = "en",
    dated: bool = True,
    repo_url: str | None = None,
    tail: bool = True,
) -> list[str]:
    """What `locale`'s followers will read about a change, as Markdown lines (a bold title, then one
    sentence a list item); every scraped word escaped. The pull request's preview calls this. With
    repo_url, the pages are linked to their file in the repository (CHANGELOG.md)."""

    if repo_url:
        repo = repo_url.rstrip("/")
        story = follower.story(group, locale, lambda page: f"{repo}/blob/HEAD/{quote(page)}", dated, tail)
    else:
        story = group_story(group, locale, None, dated, tail)
    lines = story.markdown()
    what = re.split(r"\s?:\s", story.title, maxsplit=1)[-1]  # the title without "Facebook: "
    if story.sentences and story.sentences[0].text().rstrip(".").endswith(what):
        lines = lines[1:]  # the bold title says it already (also as "English: …" or "German: …")
    return [f"- **{md_escape(story.title)}**", *(f"  - {line}" for line in lines)]


# --------------------------------------------------------------------------- feeds


def _sorted(entries: Iterable[ChangelogEntry]) -> list[ChangelogEntry]:
    """Newest first; ties broken by id so the order never depends on the input's."""
    return sorted(entries, key=lambda e: (when(e), e.id), reverse=True)


def grouped(entries: Iterable[ChangelogEntry]) -> list[Group[ChangelogEntry]]:
    """Entries as groups, newest first; ties broken by id so the order never depends on the input's."""
    return sorted(groups.of_entries(entries), key=lambda g: (group_when(g), group_uid(g)), reverse=True)


def _atom(
    entries: list[ChangelogEntry], name: str, title: str, base_url: str, repo_url: str | None, language: str = "en"
) -> bytes:
    base = _base(base_url)
    found = grouped(entries)
    fg = FeedGenerator()
    fg.id(FEED_ID_PREFIX + name)
    fg.title(title)
    fg.subtitle(description(language))
    fg.author({"name": "optout-monitor"})
    fg.link(href=f"{base}changelog.html", rel="alternate", type="text/html")
    fg.link(href=f"{base}{name if name != 'all' else 'feed'}.atom", rel="self", type="application/atom+xml")
    fg.language(language)
    fg.generator("optout-monitor", uri=repo_url or None)
    fg.updated(group_when(found[0]) if found else EPOCH)
    for group in found:
        story = group_story(group, language, base_url)
        fe = fg.add_entry(order="append")
        fe.id(group_uid(group))
        fe.title(clean_lines(story.title))
        fe.link(href=group_link(group, base_url, repo_url), rel="alternate")
        fe.published(group_when(group))
        fe.updated(group_when(group))
        fe.summary(clean_lines(story.text()), type="text")
        fe.content(clean_lines(story.html()), type="html")
        for term in group_tags(group):
            fe.category(term=term)
    data: bytes = fg.atom_str(pretty=True)
    return data


def _json_feed(
    entries: list[ChangelogEntry], name: str, title: str, base_url: str, repo_url: str | None, language: str = "en"
) -> bytes:
    base = _base(base_url)
    items = []
    for group in grouped(entries):
        story = group_story(group, language, base_url)
        item: dict[str, object] = {
            "id": group_uid(group),
            "url": group_link(group, base_url, repo_url),
            "title": clean_lines(story.title),
            "summary": clean_lines(story.sentences[0].text()),
            "content_text": clean_lines(story.text()),
            "content_html": clean_lines(story.html()),
            "date_published": rfc3339(group_when(group)),
            "date_modified": rfc3339(group_when(group)),
            "tags": group_tags(group),
        }
        image = next((u for m in group.members for u in (page_url(i, base_url) for i in m.images) if u), None)
        if image and base:
            item["image"] = image
        items.append(item)
    feed: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "description": description(language),
        "language": language,
        "authors": [{"name": "optout-monitor", **({"url": repo_url} if repo_url else {})}],
        "items": items,
    }
    if base:
        feed["home_page_url"] = f"{base}changelog.html"
        feed["feed_url"] = f"{base}{name if name != 'all' else 'feed'}.json"
    return (json.dumps(feed, indent=2, ensure_ascii=False) + "\n").encode()


def description(language: str) -> str:
    """What the feeds are about: English for the overall and platform feeds, else the feed's language."""
    return DESCRIPTION if language == "en" else follower.translate(language, follower.FEED_DESCRIPTION)


def feed_files(platforms: Iterable[str], locales: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """(file stem, feed name, title) for the overall feed, each platform's, each language's
    (`feed-fr`, every platform, titled in French) and each platform's in each language (`facebook-fr`)."""
    out = [("feed", "all", FEED_TITLE)]
    for platform in sorted(set(platforms)):
        out.append((platform, platform, f"{FEED_TITLE} ({platform_name(platform)})"))
    for locale in sorted(set(locales)):
        out.append((f"feed-{locale}", f"feed-{locale}", follower.translate(locale, follower.FEED_TITLE)))
        for platform in sorted(set(platforms)):
            name = f"{platform}-{locale}"
            title = follower.translate(locale, follower.FEED_TITLE_PLATFORM).format(platform=platform_name(platform))
            out.append((name, name, title))
    return out


def _chosen(ordered: list[ChangelogEntry], name: str, platforms: Iterable[str]) -> list[ChangelogEntry]:
    """The entries of the feed called name: all, feed-<locale>, <platform> or <platform>-<locale>."""
    if name == "all":
        return ordered
    if name.startswith("feed-"):
        return [e for e in ordered if e.locale == name.removeprefix("feed-")]
    if name in platforms:
        return [e for e in ordered if e.platform == name]
    platform = max((p for p in platforms if name.startswith(f"{p}-")), key=len)
    locale = name.removeprefix(f"{platform}-")
    return [e for e in ordered if e.platform == platform and e.locale == locale]


def build_feeds(
    entries: Sequence[ChangelogEntry],
    out: Path,
    base_url: str = "",
    repo_url: str | None = None,
    platforms: Iterable[str] = ("facebook", "instagram"),
    locales: Iterable[str] = (),
) -> list[Path]:
    """Write feed.atom + feed.json (everything), <platform>.atom / .json, and per language
    feed-<locale>.atom / .json and <platform>-<locale>.atom / .json into out; one item per change
    group (groups.py), newest first.

    base_url is where `out` is served (absolute links and `self` links in the feeds; relative when
    empty); repo_url (https://github.com/OWNER/REPO) turns commit hashes into links. A platform
    without entries still gets its (empty) feeds, so a subscription never 404s.
    """
    ordered = _sorted(entries)
    written: list[Path] = []
    names = set(platforms) | {e.platform for e in ordered}
    languages = {e.locale for e in ordered} | set(locales)
    for stem, name, title in feed_files(names, languages):
        chosen = _chosen(ordered, name, names)
        # a per-language feed declares its language; the others are in English (our own words)
        language = next((loc for loc in languages if name in (f"feed-{loc}", *(f"{p}-{loc}" for p in names))), "en")
        for suffix, render in ((".atom", _atom), (".json", _json_feed)):
            path = out / f"{stem}{suffix}"
            write_atomic(path, render(chosen, name, title, base_url, repo_url, language))
            written.append(path)
    return written


def page_languages(root: Path) -> list[str]:
    """Every language the repository has pages for (languages.page_locales: the journey file's locales,
    then every catalog and learned label set), so each gets its feeds before its first change."""
    journey_file = root / "monitor.yaml"
    if journey_file.is_file():
        return languages.page_locales(config_mod.load(journey_file))
    return catalogs.catalog_locales()


def write_feeds(root: Path, out: Path, base_url: str = "", repo_url: str | None = None) -> list[Path]:
    """`optout-monitor feed --out DIR`: the repository's changelog entries -> the feeds and CHANGELOG.md in out."""
    entries = changelog.read_all(root)
    written = build_feeds(entries, out, base_url, repo_url, locales=page_languages(root))
    path = out / "CHANGELOG.md"
    write_atomic(path, render_changelog(entries, repo_url).encode())
    return [*written, path]


# --------------------------------------------------------------------------- CHANGELOG.md


def md_escape(text: str) -> str:
    """Scraped text made inert in Markdown: the one escaper the instructions and PR bodies use too."""
    return str(md_text(clean(text)))


def _short_sha(sha: str | None) -> str:
    """A commit id is ours, but is checked like any other text before it reaches Markdown."""
    return sha[:12] if sha and re.fullmatch(r"[0-9a-f]{7,40}", sha) else md_escape(sha or "")


def render_changelog(entries: Sequence[ChangelogEntry], repo_url: str | None = None) -> str:
    """CHANGELOG.md: one section per day, newest first, one item per change group; every scraped string
    escaped."""
    lines = [
        "# Changelog",
        "",
        "What changed on Meta's way to the objection form, and how the instructions followed.",
        "Newest first. Generated by `optout-monitor feed` from `instructions/changelog/`; do not edit.",
        "Feeds: `feed.atom`, `feed.json`, one per platform (`facebook.atom`, `instagram.json`, …) and per "
        "language (`feed-fr.atom`, `facebook-de.json`, …).",
    ]
    found = grouped(entries)
    if not found:
        lines += ["", "Nothing has changed yet."]
    day = ""
    for group in found:
        today = catalogs.long_date("en", group_when(group).date())
        if today != day:
            lines += ["", f"## {today}", ""]
            day = today
        lines += changelog_item(group, repo_url)
    return "\n".join(lines) + "\n"


def changelog_item(group: Group[ChangelogEntry], repo_url: str | None = None, tail: bool = True) -> list[str]:
    """One group as CHANGELOG.md shows it (and as a pull request previews it): a bold title with its pull
    request or commit, then one sentence a list item, in English; pages named by their titles. Without
    tail, no device line and no pages (a preview of several changes says those once)."""
    link = ""
    first = group.members[0]
    pr = next((u for u in (pr_link(m) for m in group.members) if u), None)
    commit = commit_link(first, repo_url)
    if pr:
        link = f" ([pull request](<{pr}>))"
    elif commit:
        link = f" ([commit {_short_sha(first.commit)}](<{commit}>))"
    elif first.commit:
        link = f" (commit {_short_sha(first.commit)})"
    head, *rest = follower_markdown(group, "en", dated=False, repo_url=repo_url, tail=tail)
    return [head + link, *rest]
