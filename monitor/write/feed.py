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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from markupsafe import Markup, escape

from monitor import config as config_mod
from monitor.guard.files import write_atomic
from monitor.guard.inert import md_text
from monitor.judge import groups
from monitor.judge.groups import Group
from monitor.write import catalogs, changelog, languages
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
TITLE_TEXT_LIMIT = 80
VERDICT_WORDS = {
    "reworded": "reworded",
    "moved": "moved",
    "retargeted": "leads somewhere else",
    "step-added": "a step was added",
    "step-removed": "a step was removed",
    "cosmetic": "looks different",
}
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


def _short(text: str | None) -> str:
    one = clean(text)
    return one if len(one) <= TITLE_TEXT_LIMIT else one[: TITLE_TEXT_LIMIT - 1].rstrip() + "…"


def _quoted(text: str | None) -> str:
    return f"“{_short(text)}”"


def entry_title(entry: ChangelogEntry) -> str:
    """E.g. `Facebook (fr, mobile): “opposer” → “vous opposer”`."""
    head = f"{platform_name(entry.platform)} ({entry.locale}, {entry.viewport})"
    old, new = clean(entry.old_text), clean(entry.new_text)
    if old and new and old != new:
        what = f"{_quoted(old)} → {_quoted(new)}"
    elif entry.verdict == "moved":
        what = f"{_quoted(new or old or entry.step)} moved"
    elif entry.verdict == "retargeted":
        what = f"{_quoted(new or old or entry.step)} leads somewhere else"
    elif entry.verdict == "step-added":
        what = f"new step {_quoted(new or entry.step)}"
    elif entry.verdict == "step-removed":
        what = f"step {_quoted(old or entry.step)} removed"
    else:
        what = _short(entry.summary) or VERDICT_WORDS.get(entry.verdict, entry.verdict)
    return f"{head}: {what}"


@dataclass(frozen=True)
class Fact:
    label: str
    text: str
    href: str | None = None


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


def _place(place: list[str]) -> str:
    return " › ".join(clean(p) for p in place if clean(p))


def facts(entry: ChangelogEntry, base_url: str, repo_url: str | None) -> list[Fact]:
    """What changed, as labelled facts (text, and a link where there is one)."""
    out: list[Fact] = []
    old, new = clean(entry.old_text), clean(entry.new_text)
    if old or new:
        if old and new and old != new:
            out.append(Fact("Text", f"“{old}” → “{new}”"))
        else:
            out.append(Fact("Text", f"“{new or old}”"))
    old_place, new_place = _place(entry.old_place), _place(entry.new_place)
    if old_place or new_place:
        if old_place and new_place and old_place != new_place:
            out.append(Fact("Where", f"{old_place} → {new_place}"))
        else:
            out.append(Fact("Where", new_place or old_place))
    old_to, new_to = clean(entry.old_leads_to), clean(entry.new_leads_to)
    if (old_to or new_to) and old_to != new_to:
        out.append(Fact("Leads to", f"{old_to or '(nothing)'} → {new_to or '(nothing)'}"))
    verdict = VERDICT_WORDS.get(entry.verdict, clean(entry.verdict))
    out.append(Fact("Step", f"{clean(entry.journey)} / {clean(entry.step)} ({verdict})"))
    for page in entry.pages:
        out.append(Fact("Instructions updated", clean(page), page_url(page, base_url)))
    if entry.pr_url:
        out.append(Fact("Pull request", clean(entry.pr_url), pr_link(entry)))
    if entry.commit:
        out.append(Fact("Commit", clean(entry.commit)[:12], commit_link(entry, repo_url)))
    return out


# --------------------------------------------------------------------------- groups (the feeds' unit)

# What differs between the locales of one change: each locale's own words.
_PER_LOCALE = ("Text", "Where", "Leads to")


def group_title(group: Group[ChangelogEntry]) -> str:
    """One change of the site as a follower reads it. A single step keeps its entry's title (and the
    words of its language); several steps tell one story: `Facebook: the “object” link now reads
    “Oppose” (en), “S’opposer” (fr); seen on computer and phone`."""
    if len(group.members) == 1:
        return entry_title(group.members[0])
    return clean(group.sentence.rstrip("."))


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


def group_summary(group: Group[ChangelogEntry]) -> str:
    if len(group.members) == 1:
        return clean(group.members[0].summary) or group_title(group)
    # the title already tells the story: the summary says how widely it was seen
    where = groups.seen_on(group.viewports).removeprefix("seen ")
    return f"One change, seen in {len(group.members)} steps of the {group.platform} path: {', '.join(group.locales)}, {where}."


def group_facts(group: Group[ChangelogEntry], base_url: str, repo_url: str | None) -> list[Fact]:
    """The facts of every locale (labelled with it), then the pages, pull request and commit once."""
    if len(group.members) == 1:
        return facts(group.members[0], base_url, repo_url)
    out: list[Fact] = []
    shared: dict[tuple[str, str], Fact] = {}
    for locale in group.locales:
        members = [m for m in group.members if m.locale == locale]
        seen = [m.viewport for m in members]
        for fact in facts(members[0], base_url, repo_url):
            if fact.label in _PER_LOCALE:
                out.append(Fact(f"{fact.label} ({locale}, {', '.join(seen)})", fact.text, fact.href))
        for member in members:
            for fact in facts(member, base_url, repo_url):
                if fact.label not in _PER_LOCALE:
                    shared.setdefault((fact.label, fact.text), fact)
    return out + list(shared.values())


def group_text(group: Group[ChangelogEntry], base_url: str = "", repo_url: str | None = None) -> str:
    """What changed, in words, as plain text."""
    lines = [group_summary(group)]
    for fact in group_facts(group, base_url, repo_url):
        value = fact.text if fact.href is None or fact.href == fact.text else f"{fact.text} <{fact.href}>"
        lines.append(f"{fact.label}: {value}")
    return "\n".join(lines)


def group_html(group: Group[ChangelogEntry], base_url: str = "", repo_url: str | None = None) -> str:
    """The same as group_text as an HTML fragment; every scraped string escaped."""
    parts: list[Markup] = [Markup("<p>{}</p>").format(group_summary(group)), Markup("<ul>")]
    for fact in group_facts(group, base_url, repo_url):
        value = Markup('<a href="{}">{}</a>').format(fact.href, fact.text) if fact.href else escape(fact.text)
        parts.append(Markup("<li>{}: {}</li>").format(fact.label, value))
    parts.append(Markup("</ul>"))
    return str(Markup("").join(parts))


def group_when(group: Group[ChangelogEntry]) -> datetime:
    return max(when(m) for m in group.members)


def group_tags(group: Group[ChangelogEntry]) -> list[str]:
    m = group.members[0]
    return list(dict.fromkeys(clean(t) for t in (m.platform, *group.locales, *group.viewports, m.verdict) if clean(t)))


def content_text(entry: ChangelogEntry, base_url: str = "", repo_url: str | None = None) -> str:
    """What changed, in words, as plain text."""
    lines = [clean(entry.summary) or entry_title(entry)]
    for fact in facts(entry, base_url, repo_url):
        value = fact.text if fact.href is None or fact.href == fact.text else f"{fact.text} <{fact.href}>"
        lines.append(f"{fact.label}: {value}")
    return "\n".join(lines)


def content_html(entry: ChangelogEntry, base_url: str = "", repo_url: str | None = None) -> str:
    """The same as content_text as an HTML fragment; every scraped string escaped."""
    parts: list[Markup] = [Markup("<p>{}</p>").format(clean(entry.summary) or entry_title(entry)), Markup("<ul>")]
    for fact in facts(entry, base_url, repo_url):
        value = Markup('<a href="{}">{}</a>').format(fact.href, fact.text) if fact.href else escape(fact.text)
        parts.append(Markup("<li>{}: {}</li>").format(fact.label, value))
    parts.append(Markup("</ul>"))
    return str(Markup("").join(parts))


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
    fg.subtitle(DESCRIPTION)
    fg.author({"name": "optout-monitor"})
    fg.link(href=f"{base}changelog.html", rel="alternate", type="text/html")
    fg.link(href=f"{base}{name if name != 'all' else 'feed'}.atom", rel="self", type="application/atom+xml")
    fg.language(language)
    fg.generator("optout-monitor", uri=repo_url or None)
    fg.updated(group_when(found[0]) if found else EPOCH)
    for group in found:
        fe = fg.add_entry(order="append")
        fe.id(group_uid(group))
        fe.title(group_title(group))
        fe.link(href=group_link(group, base_url, repo_url), rel="alternate")
        fe.published(group_when(group))
        fe.updated(group_when(group))
        fe.summary(group_text(group, base_url, repo_url), type="text")
        fe.content(group_html(group, base_url, repo_url), type="html")
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
        item: dict[str, object] = {
            "id": group_uid(group),
            "url": group_link(group, base_url, repo_url),
            "title": group_title(group),
            "summary": group_summary(group),
            "content_text": group_text(group, base_url, repo_url),
            "content_html": group_html(group, base_url, repo_url),
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
        "description": DESCRIPTION,
        "language": language,
        "authors": [{"name": "optout-monitor", **({"url": repo_url} if repo_url else {})}],
        "items": items,
    }
    if base:
        feed["home_page_url"] = f"{base}changelog.html"
        feed["feed_url"] = f"{base}{name if name != 'all' else 'feed'}.json"
    return (json.dumps(feed, indent=2, ensure_ascii=False) + "\n").encode()


def feed_files(platforms: Iterable[str], locales: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """(file stem, feed name, title) for the overall feed, each platform's, each language's
    (`feed-fr`, every platform) and each platform's in each language (`facebook-fr`)."""
    out = [("feed", "all", FEED_TITLE)]
    for platform in sorted(set(platforms)):
        out.append((platform, platform, f"{FEED_TITLE} ({platform_name(platform)})"))
    for locale in sorted(set(locales)):
        out.append((f"feed-{locale}", f"feed-{locale}", f"{FEED_TITLE} (language: {locale})"))
        for platform in sorted(set(platforms)):
            name = f"{platform}-{locale}"
            out.append((name, name, f"{FEED_TITLE} ({platform_name(platform)}, language: {locale})"))
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
        today = rfc3339(group_when(group))[:10]
        if today != day:
            lines += ["", f"## {today}", ""]
            day = today
        lines += changelog_item(group, repo_url)
    return "\n".join(lines) + "\n"


def changelog_item(group: Group[ChangelogEntry], repo_url: str | None = None) -> list[str]:
    """One group as CHANGELOG.md shows it (and as a pull request previews it): a bold title and its facts."""
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
    summary = group_summary(group)
    details = [md_escape(summary)] if summary and summary.rstrip(".") != group_title(group).rstrip(".") else []
    for fact in group_facts(group, "", None):
        if fact.label in ("Pull request", "Commit"):
            continue
        details.append(f"{fact.label}: {md_escape(fact.text)}")
    return [f"- **{md_escape(group_title(group))}**{link}  ", "  " + "; ".join(details)]
