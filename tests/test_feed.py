"""Changelog entries -> Atom, JSON Feed 1.1 and CHANGELOG.md: stable ids, real dates, links, escaped text."""

from __future__ import annotations

import calendar
import json
import random
import re
from pathlib import Path

import feedparser
import pytest
from markdown_it import MarkdownIt

from monitor.write import catalogs, changelog, feed
from monitor.write.changelog import ChangelogEntry

BASE = "https://example.github.io/optout-monitor/"
REPO = "https://github.com/example/optout-monitor"
HOSTILE = "vous <script>alert(1)</script> opposer & <b>co</b>"


def entry(**changes: object) -> ChangelogEntry:
    fields: dict[str, object] = {
        "id": "3f2a9c0d1b7e4a55",
        "when": "2025-06-01T06:17:00Z",
        "platform": "facebook",
        "locale": "fr",
        "viewport": "mobile",
        "journey": "facebook-privacy-center",
        "step": "object-link",
        "verdict": "reworded",
        "summary": "The link that opens the form now reads “vous opposer”",
        "old_text": "opposer",
        "new_text": "vous opposer",
        "old_place": ["Centre de confidentialité", "IA chez Meta"],
        "new_place": ["Centre de confidentialité", "IA chez Meta"],
        "pages": ["instructions/fr/facebook.md"],
        "pr_url": "https://github.com/example/optout-monitor/pull/12",
    }
    fields.update(changes)
    return ChangelogEntry.model_validate(fields)


ENTRIES = [
    entry(),
    entry(
        id="9be1d2c3a4f50617",
        when="2025-06-02T12:00:00+00:00",
        platform="instagram",
        locale="en",
        viewport="desktop",
        journey="instagram-privacy-center",
        verdict="moved",
        summary=f"Moved: {HOSTILE}",
        old_text="object",
        new_text="object",
        new_place=["Privacy Center", "Your information", "AI at Meta"],
        old_place=["Privacy Center", "AI at Meta"],
        pr_url=None,
        commit="0123456789abcdef0123456789abcdef01234567",
        pages=["instructions/en/instagram.md"],
    ),
    entry(
        id="77aa00bb11cc22dd",
        when="2025-05-28T09:30:00",  # naive: read as UTC
        locale="de",
        viewport="desktop",
        step="send",
        verdict="step-added",
        summary="A confirmation step appeared",
        old_text=None,
        new_text="Weiter",
        old_leads_to="https://www.facebook.com/help/contact/1",
        new_leads_to="https://www.facebook.com/help/contact/2",
        pr_url=None,
        pages=[],
    ),
    entry(id="hostile00000000a", when="2025-06-03T00:00:00Z", new_text=HOSTILE, summary=HOSTILE, pr_url=None),
]


@pytest.fixture
def feeds(tmp_path: Path) -> Path:
    out = tmp_path / "feeds"
    written = feed.build_feeds(ENTRIES, out, BASE, REPO)
    stems = ["feed", "facebook", "instagram"]
    for locale in ("de", "en", "fr"):  # the languages the entries are in
        stems += [f"feed-{locale}", f"facebook-{locale}", f"instagram-{locale}"]
    assert sorted(p.name for p in written) == sorted(f"{stem}.{kind}" for stem in stems for kind in ("atom", "json"))
    return out


def parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_atom_parses_with_stable_ids_dates_and_links(feeds: Path) -> None:
    parsed = parse(feeds / "feed.atom")
    assert parsed.feed.id == "urn:optout-monitor:feed:all"
    assert [e.id for e in parsed.entries] == [
        "urn:optout-monitor:change:hostile00000000a",
        "urn:optout-monitor:change:9be1d2c3a4f50617",
        "urn:optout-monitor:change:3f2a9c0d1b7e4a55",
        "urn:optout-monitor:change:77aa00bb11cc22dd",
    ], "newest first, ids from entry.id"
    by_id = {e.id.rsplit(":", 1)[1]: e for e in parsed.entries}
    for source in ENTRIES:
        got = by_id[source.id]
        expected = feed.when(source)
        assert calendar.timegm(got.published_parsed) == int(expected.timestamp())
        assert calendar.timegm(got.updated_parsed) == int(expected.timestamp())
    assert calendar.timegm(parsed.feed.updated_parsed) == int(feed.when(ENTRIES[3]).timestamp()), "newest entry's date"
    assert by_id["3f2a9c0d1b7e4a55"].link == "https://github.com/example/optout-monitor/pull/12"
    assert by_id["9be1d2c3a4f50617"].link == f"{REPO}/commit/0123456789abcdef0123456789abcdef01234567"
    assert by_id["77aa00bb11cc22dd"].link == f"{BASE}changelog.html#change-77aa00bb11cc22dd"
    assert {link.rel: link.href for link in parsed.feed.links} == {
        "alternate": f"{BASE}changelog.html",
        "self": f"{BASE}feed.atom",
    }
    assert [t.term for t in by_id["3f2a9c0d1b7e4a55"].tags] == ["facebook", "fr"], "no verdict, no device"


def test_each_entry_says_what_changed_in_words(feeds: Path) -> None:
    by_id = {e.id.rsplit(":", 1)[1]: e for e in parse(feeds / "feed.atom").entries}
    reworded = by_id["3f2a9c0d1b7e4a55"]
    assert reworded.title == "Facebook: “opposer” now reads “vous opposer”"
    assert reworded.summary.splitlines() == [
        "French: “opposer” now reads “vous opposer”.",
        "This change is on phones only.",
        "Seen on 1 June 2025.",
        "The instructions were updated to match.",
        f"Facebook\u00a0: vous opposer à l’utilisation de vos données pour l’IA de Meta (Français) <{BASE}fr/facebook.html>",
    ]
    assert f'<a href="{BASE}fr/facebook.html">Facebook' in reworded.content[0].value, "linked by the page's title"
    moved = by_id["9be1d2c3a4f50617"]
    assert moved.title == "Instagram: “object” is now under “AI at Meta”"
    assert "This change is on computers only." in moved.summary
    added = by_id["77aa00bb11cc22dd"]
    assert added.title == "Facebook: One more step is needed before “Weiter”"


def test_scraped_text_is_escaped_everywhere(feeds: Path) -> None:
    raw = (feeds / "feed.atom").read_text()
    assert "<script>" not in raw and "<b>co</b>" not in raw
    hostile = next(e for e in parse(feeds / "feed.atom").entries if e.id.endswith("hostile00000000a"))
    assert hostile.title == f"Facebook: “opposer” now reads “{HOSTILE}”", "text type: the words, as words"
    assert hostile.summary_detail.type == "text/plain" and HOSTILE in hostile.summary
    html = hostile.content[0].value
    assert hostile.content[0].type == "text/html"
    assert (
        "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;co&lt;/b&gt;" in html
    )
    item = next(
        i for i in json.loads((feeds / "feed.json").read_text())["items"] if i["id"].endswith("hostile00000000a")
    )
    assert HOSTILE in item["content_text"] and "<script>" not in item["content_html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; opposer &amp; &lt;b&gt;co&lt;/b&gt;" in item["content_html"]


def test_json_feed_1_1(feeds: Path) -> None:
    data = json.loads((feeds / "feed.json").read_text())
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] and data["home_page_url"] == f"{BASE}changelog.html" and data["feed_url"] == f"{BASE}feed.json"
    assert isinstance(data["authors"], list) and data["authors"][0]["name"]
    assert [i["id"] for i in data["items"]] == [e.id for e in parse(feeds / "feed.atom").entries], "same ids as Atom"
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["url"].startswith("https://")
        assert item["content_text"] and item["content_html"] and item["title"]
        for key in ("date_published", "date_modified"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item[key]), item[key]
    first = next(i for i in data["items"] if i["id"].endswith("3f2a9c0d1b7e4a55"))
    assert first["date_published"] == "2025-06-01T06:17:00Z"
    assert first["tags"] == ["facebook", "fr"]


def test_per_platform_feeds_hold_only_their_platform(feeds: Path, tmp_path: Path) -> None:
    fb = parse(feeds / "facebook.atom")
    assert fb.feed.id == "urn:optout-monitor:feed:facebook" and len(fb.entries) == 3
    assert all(e.title.startswith("Facebook") for e in fb.entries)
    ig = json.loads((feeds / "instagram.json").read_text())
    assert [i["title"][:9] for i in ig["items"]] == ["Instagram"]
    assert ig["feed_url"] == f"{BASE}instagram.json"
    # a platform without entries still has valid, empty feeds with a fixed date
    out = tmp_path / "only-fb"
    feed.build_feeds([ENTRIES[0]], out, BASE, REPO)
    empty = parse(out / "instagram.atom")
    assert empty.entries == [] and empty.feed.updated.startswith("1970-01-01")
    assert json.loads((out / "instagram.json").read_text())["items"] == []


def test_same_entries_same_bytes_whatever_their_order(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    feed.build_feeds(ENTRIES, a, BASE, REPO)
    shuffled = ENTRIES[:]
    random.Random(4).shuffle(shuffled)
    feed.build_feeds(shuffled, b, BASE, REPO)
    for path in a.iterdir():
        assert path.read_bytes() == (b / path.name).read_bytes(), path.name
    before = {p.name: p.stat().st_mtime_ns for p in a.iterdir()}
    feed.build_feeds(ENTRIES, a, BASE, REPO)
    assert before == {p.name: p.stat().st_mtime_ns for p in a.iterdir()}, "unchanged feeds are not rewritten"


def test_entries_round_trip_through_the_changelog_folder(tmp_path: Path) -> None:
    for e in ENTRIES:
        changelog.write(tmp_path, e)
    out = tmp_path / "out"
    feed.build_feeds(changelog.read_all(tmp_path), out, BASE, REPO)
    direct = tmp_path / "direct"
    feed.build_feeds(ENTRIES, direct, BASE, REPO)
    assert (out / "feed.atom").read_bytes() == (direct / "feed.atom").read_bytes()


def test_text_xml_cannot_carry_is_dropped_and_bad_links_are_not_links(tmp_path: Path) -> None:
    odd = entry(
        id="odd0000000000000",
        new_text="vous\x00 opposer\x1b\n\t  maintenant",
        pr_url="javascript:alert(1)",
        commit="not a sha; rm -rf /",
    )
    feed.build_feeds([odd], tmp_path, BASE, REPO)
    got = parse(tmp_path / "feed.atom").entries[0]
    assert got.title == "Facebook: “opposer” now reads “vous opposer maintenant”"
    assert got.link == f"{BASE}changelog.html#change-odd0000000000000"
    assert 'href="javascript' not in got.content[0].value


def test_relative_links_without_a_base_url(tmp_path: Path) -> None:
    feed.build_feeds([ENTRIES[2]], tmp_path, "", None)
    got = parse(tmp_path / "feed.atom")
    assert got.entries[0].link == "changelog.html#change-77aa00bb11cc22dd"
    assert "feed_url" not in json.loads((tmp_path / "feed.json").read_text())


@pytest.mark.parametrize(
    ("changes", "title"),
    [
        (
            {"verdict": "step-removed", "old_text": "Continuer", "new_text": None},
            "The step “Continuer” is no longer needed",
        ),
        ({"verdict": "retargeted", "old_text": "opposer", "new_text": "opposer"}, "“opposer” now leads somewhere else"),
        (
            {
                "verdict": "retargeted",
                "old_text": None,
                "new_text": None,
                "label": "opposer",
                "new_leads_to": "https://x.example/f",
            },
            "“opposer” now leads to a new address: https://x.example/f",
        ),
        (
            {
                "verdict": "reworded",
                "old_text": None,
                "new_text": None,
                "label": "opposer",
                "old_role": "link",
                "new_role": "button",
            },
            "“opposer” is now a button, no longer a link",
        ),
        (
            {"verdict": "step-added", "label": "opposer", "hop": "Plus"},
            "One more step is needed: first “Plus”, then “opposer”",
        ),
        ({"verdict": "target-gone", "label": "opposer"}, "“opposer” is no longer on its page"),
        (
            {"verdict": "appeared", "old_text": None, "new_text": None, "label": "opposer"},
            "“opposer” is back on its page",
        ),
        (
            {"verdict": "cosmetic", "old_text": None, "new_text": None},
            "The page looks a little different, but the instructions still hold",
        ),
        ({"new_text": "x" * 200}, "“opposer” now reads “" + "x" * 79 + "…”"),
    ],
)
def test_titles(changes: dict[str, object], title: str) -> None:
    [group] = feed.grouped([entry(**changes)])
    assert feed.group_title(group) == f"Facebook: {title}"


def test_changelog_markdown_groups_by_day_links_and_escapes() -> None:
    text = feed.render_changelog(ENTRIES, REPO)
    assert text.startswith("# Changelog\n")
    days = re.findall(r"^## (.+)$", text, re.M)
    assert days == ["3 June 2025", "2 June 2025", "1 June 2025", "28 May 2025"]
    html = MarkdownIt("commonmark", {"html": True}).render(text)  # as GitHub would, raw HTML allowed
    assert (
        "<strong>Facebook: “opposer” now reads “vous opposer”</strong> "
        '(<a href="https://github.com/example/optout-monitor/pull/12">pull request</a>)'
    ) in html
    assert f'(<a href="{REPO}/commit/0123456789abcdef0123456789abcdef01234567">commit 0123456789ab</a>)' in html
    assert "<script>" not in html and "<b>co</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert feed.render_changelog([], REPO).endswith("Nothing has changed yet.\n")
    assert feed.render_changelog(list(reversed(ENTRIES)), REPO) == text


def test_write_feeds_reads_the_repository_and_adds_changelog_md(tmp_path: Path) -> None:
    for e in ENTRIES:
        changelog.write(tmp_path, e)
    written = feed.write_feeds(tmp_path, tmp_path / "out", BASE, REPO)
    # every language with pages (no journey file here: every catalog) gets its feeds, changes or not
    languages = set(catalogs.catalog_locales()) | {e.locale for e in ENTRIES}
    assert [p.name for p in written][-1] == "CHANGELOG.md" and len(written) == 6 + len(languages) * 6 + 1
    assert (tmp_path / "out" / "CHANGELOG.md").read_text() == feed.render_changelog(ENTRIES, REPO)
    assert parse(tmp_path / "out" / "feed-mt.atom").entries == [], "a language without changes: an empty feed"
    empty = feed.write_feeds(tmp_path / "nothing", tmp_path / "empty")
    assert (
        len(empty) == 7 + len(catalogs.catalog_locales()) * 6 and parse(tmp_path / "empty" / "feed.atom").entries == []
    )
