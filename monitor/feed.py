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

from . import changelog
from .changelog import ChangelogEntry
from .inert import md_text
from .store import write_atomic

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
PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram"}
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
    return PLATFORM_NAMES.get(platform, platform.capitalize())


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


def _atom(entries: list[ChangelogEntry], name: str, title: str, base_url: str, repo_url: str | None) -> bytes:
    base = _base(base_url)
    fg = FeedGenerator()
    fg.id(FEED_ID_PREFIX + name)
    fg.title(title)
    fg.subtitle(DESCRIPTION)
    fg.author({"name": "optout-monitor"})
    fg.link(href=f"{base}changelog.html", rel="alternate", type="text/html")
    fg.link(href=f"{base}{name if name != 'all' else 'feed'}.atom", rel="self", type="application/atom+xml")
    fg.language("en")
    fg.generator("optout-monitor", uri=repo_url or None)
    fg.updated(when(entries[0]) if entries else EPOCH)
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.id(entry_uid(entry))
        fe.title(entry_title(entry))
        fe.link(href=entry_link(entry, base_url, repo_url), rel="alternate")
        fe.published(when(entry))
        fe.updated(when(entry))
        fe.summary(content_text(entry, base_url, repo_url), type="text")
        fe.content(content_html(entry, base_url, repo_url), type="html")
        for term in (entry.platform, entry.locale, entry.viewport, entry.verdict):
            fe.category(term=clean(term))
    data: bytes = fg.atom_str(pretty=True)
    return data


def _json_feed(entries: list[ChangelogEntry], name: str, title: str, base_url: str, repo_url: str | None) -> bytes:
    base = _base(base_url)
    items = []
    for entry in entries:
        item: dict[str, object] = {
            "id": entry_uid(entry),
            "url": entry_link(entry, base_url, repo_url),
            "title": entry_title(entry),
            "summary": clean(entry.summary) or entry_title(entry),
            "content_text": content_text(entry, base_url, repo_url),
            "content_html": content_html(entry, base_url, repo_url),
            "date_published": rfc3339(when(entry)),
            "date_modified": rfc3339(when(entry)),
            "tags": [clean(t) for t in (entry.platform, entry.locale, entry.viewport, entry.verdict)],
        }
        image = next((u for u in (page_url(i, base_url) for i in entry.images) if u), None)
        if image and base:
            item["image"] = image
        items.append(item)
    feed: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "description": DESCRIPTION,
        "language": "en",
        "authors": [{"name": "optout-monitor", **({"url": repo_url} if repo_url else {})}],
        "items": items,
    }
    if base:
        feed["home_page_url"] = f"{base}changelog.html"
        feed["feed_url"] = f"{base}{name if name != 'all' else 'feed'}.json"
    return (json.dumps(feed, indent=2, ensure_ascii=False) + "\n").encode()


def feed_files(platforms: Iterable[str]) -> list[tuple[str, str, str]]:
    """(file stem, feed name, title) for the overall feed and each platform's."""
    out = [("feed", "all", FEED_TITLE)]
    for platform in sorted(set(platforms)):
        out.append((platform, platform, f"{FEED_TITLE} ({platform_name(platform)})"))
    return out


def build_feeds(
    entries: Sequence[ChangelogEntry],
    out: Path,
    base_url: str = "",
    repo_url: str | None = None,
    platforms: Iterable[str] = ("facebook", "instagram"),
) -> list[Path]:
    """Write feed.atom + feed.json (everything) and <platform>.atom / <platform>.json into out.

    base_url is where `out` is served (absolute links and `self` links in the feeds; relative when
    empty); repo_url (https://github.com/OWNER/REPO) turns commit hashes into links. A platform
    without entries still gets its (empty) feeds, so a subscription never 404s.
    """
    ordered = _sorted(entries)
    written: list[Path] = []
    names = set(platforms) | {e.platform for e in ordered}
    for stem, name, title in feed_files(names):
        chosen = ordered if name == "all" else [e for e in ordered if e.platform == name]
        for suffix, render in ((".atom", _atom), (".json", _json_feed)):
            path = out / f"{stem}{suffix}"
            write_atomic(path, render(chosen, name, title, base_url, repo_url))
            written.append(path)
    return written


def write_feeds(root: Path, out: Path, base_url: str = "", repo_url: str | None = None) -> list[Path]:
    """`optout-monitor feed --out DIR`: the repository's changelog entries -> the feeds and CHANGELOG.md in out."""
    entries = changelog.read_all(root)
    written = build_feeds(entries, out, base_url, repo_url)
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
    """CHANGELOG.md: one section per day, newest first; every scraped string escaped."""
    lines = [
        "# Changelog",
        "",
        "What changed on Meta's way to the objection form, and how the instructions followed.",
        "Newest first. Generated by `optout-monitor feed` from `instructions/changelog/`; do not edit.",
        "Feeds: `feed.atom`, `feed.json`, and one per platform (`facebook.atom`, `instagram.json`, …).",
    ]
    ordered = _sorted(entries)
    if not ordered:
        lines += ["", "Nothing has changed yet."]
    day = ""
    for entry in ordered:
        today = rfc3339(when(entry))[:10]
        if today != day:
            lines += ["", f"## {today}", ""]
            day = today
        link = ""
        pr, commit = pr_link(entry), commit_link(entry, repo_url)
        if pr:
            link = f" ([pull request](<{pr}>))"
        elif commit:
            link = f" ([commit {_short_sha(entry.commit)}](<{commit}>))"
        elif entry.commit:
            link = f" (commit {_short_sha(entry.commit)})"
        lines.append(f"- **{md_escape(entry_title(entry))}**{link}  ")
        details = [md_escape(clean(entry.summary))] if clean(entry.summary) else []
        for fact in facts(entry, "", None):
            if fact.label in ("Pull request", "Commit"):
                continue
            details.append(f"{fact.label}: {md_escape(fact.text)}")
        lines.append("  " + "; ".join(details))
    return "\n".join(lines) + "\n"
