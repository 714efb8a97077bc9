"""What followers read: catalog sentences per kind of change, in the reader's language, no machine words."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from babel.messages.pofile import read_po

from monitor.write import catalogs, feed, follower
from monitor.write.changelog import ChangelogEntry

# Words a follower must never read: the monitor's ids for journeys and steps, its verdicts, its viewports.
MACHINE_WORDS = re.compile(
    r"facebook-privacy-center|instagram-privacy-center|object-link|\bsend-step\b|\breworded\b|\bretargeted\b"
    r"|step-added|step-removed|target-gone|\bappeared\b|\bcosmetic\b|\bdesktop\b|\bmobile\b|\bviewport\b"
    r"|\(reworded\)|\.;",
    re.I,
)
SAMPLE = {
    "old": "widersprechen",
    "new": "Widerspruch einlegen",
    "label": "Widerspruch einlegen",
    "place": "KI bei Meta",
    "hop": "Mehr",
    "url": "https://www.facebook.com/help/contact/2",
    "date": "7. Dezember 2026",
    "platform": "Facebook",
    "what": "etwas",
    "language": "Deutsch",
    "sentence": "Satz.",
}
MESSAGES = [*follower.SENTENCES.values(), follower.FEED_TITLE, follower.FEED_TITLE_PLATFORM]
MESSAGES += [follower.FEED_DESCRIPTION, follower.FEED_EXPLAINED]


def entry(**changes: object) -> ChangelogEntry:
    fields: dict[str, object] = {
        "id": "de00000000000001",
        "when": "2026-12-07T12:36:19+00:00",
        "platform": "facebook",
        "locale": "de",
        "viewport": "desktop",
        "journey": "facebook-privacy-center",
        "step": "object-link",
        "verdict": "reworded",
        "summary": '"widersprechen" → "Widerspruch einlegen" (similarity 0.62, threshold 0.75)',
        "old_text": "widersprechen",
        "new_text": "Widerspruch einlegen",
        "pages": ["instructions/de/facebook.md"],
    }
    fields.update(changes)
    return ChangelogEntry.model_validate(fields)


def every_kind() -> list[ChangelogEntry]:
    """One German change of each kind a follower is told about, some seen on one device only."""
    kinds: list[dict[str, object]] = [
        {},
        {"viewport": "mobile"},
        {"verdict": "moved", "old_text": None, "new_text": None, "label": "widersprechen", "new_place": ["KI"]},
        {"verdict": "moved", "old_text": None, "new_text": None, "label": "widersprechen"},
        {"verdict": "retargeted", "old_text": None, "new_text": None, "label": "x", "new_leads_to": "https://e.x/f"},
        {"verdict": "retargeted", "old_text": None, "new_text": None, "label": "widersprechen"},
        {
            "verdict": "reworded",
            "old_text": None,
            "new_text": None,
            "label": "x",
            "old_role": "link",
            "new_role": "button",
        },
        {
            "verdict": "reworded",
            "old_text": None,
            "new_text": None,
            "label": "x",
            "old_role": "button",
            "new_role": "link",
        },
        {"verdict": "reworded", "old_text": None, "new_text": None, "label": "widersprechen"},
        {"verdict": "step-added", "old_text": None, "new_text": None, "label": "widersprechen", "hop": "Mehr"},
        {"verdict": "step-added", "old_text": None, "new_text": None, "label": "widersprechen"},
        {"verdict": "step-removed", "old_text": "Weiter", "new_text": None, "step": "send-step"},
        {"verdict": "target-gone", "old_text": None, "new_text": None, "label": "widersprechen"},
        {"verdict": "blocked", "old_text": None, "new_text": None, "label": "widersprechen"},
        {"verdict": "appeared", "old_text": None, "new_text": None, "label": "widersprechen"},
        {"verdict": "new", "old_text": None, "new_text": None, "label": "widersprechen"},
        {"verdict": "new", "old_text": None, "new_text": None},
        {"verdict": "cosmetic", "old_text": None, "new_text": None},
    ]
    return [entry(id=f"de{i:014d}", when=f"2026-12-{i + 1:02d}T10:00:00+00:00", **k) for i, k in enumerate(kinds)]


def english_words() -> set[str]:
    """The words of the English follower sentences that German never uses (so finding one means English)."""
    german = " ".join(follower.translate("de", m) for m in MESSAGES).lower()
    words = {w.lower() for m in MESSAGES for w in re.findall(r"[A-Za-z’]{3,}", re.sub(r"\{\w+\}", "", m))}
    return {w for w in words if not re.search(rf"\b{re.escape(w)}\b", german)} - {"optout", "monitor", "meta"}


# --------------------------------------------------------------------------- the catalog sentences


@pytest.mark.parametrize("locale", catalogs.catalog_locales())
def test_every_follower_sentence_renders_with_sample_values_in_every_language(locale: str) -> None:
    path = catalogs.po_path(locale)
    translated = {}
    if locale != "en":
        with path.open("rb") as fh:
            translated = {m.id: m.string for m in read_po(fh, locale=locale) if m.id}
    for message in MESSAGES:
        text = follower.translate(locale, message)
        assert text.format(**SAMPLE), message  # every placeholder known, none missing
        assert sorted(re.findall(r"\{(\w+)\}", text)) == sorted(re.findall(r"\{(\w+)\}", message)), (locale, text)
        if locale == "en":
            continue
        assert translated.get(message), f"{locale}: {message!r} is not translated"
        letters = re.sub(r"\{\w+\}|[^\w]", "", message)
        if letters:  # a sentence with words of its own, not only "{platform}: {what}"
            assert text != message, f"{locale}: {message!r} is still English"
            quote = catalogs.translations(locale).gettext("“{label}”")
            for slot in re.findall(r"“\{(\w+)\}”", message):  # the page's words, in the language's quotes
                assert quote.replace("label", slot) in text, f"{locale}: {text!r} does not quote {{{slot}}} as {quote}"


# --------------------------------------------------------------------------- the per-language feeds


def test_the_german_feed_is_german_with_no_step_id_verdict_or_device(tmp_path: Path) -> None:
    feed.build_feeds(every_kind(), tmp_path, "https://example.org/om/", None, locales=["de"])
    english = english_words()
    assert {"now", "reads", "moved", "instructions"} <= english
    for stem in ("feed-de", "facebook-de"):
        parsed = feedparser.parse((tmp_path / f"{stem}.atom").read_bytes())
        assert not parsed.bozo and parsed.feed.language == "de"
        assert parsed.feed.title.startswith("optout-monitor: Änderungen") and "Widerspruch" in parsed.feed.subtitle
        assert len(parsed.entries) == len(every_kind())
        for item in parsed.entries:
            for text in (item.title, item.summary, item.content[0].value, " ".join(t.term for t in item.tags)):
                words = {w.lower() for w in re.findall(r"[A-Za-z’]{3,}", re.sub(r"https?://\S+", "", text))}
                assert not words & english, (stem, text, words & english)
                assert not MACHINE_WORDS.search(text), (stem, text)
            for line in item.summary.splitlines():  # one short sentence a line, never joined by ";"
                assert ";" not in line and len(line) < 160, line
    summaries = [e.summary for e in feedparser.parse((tmp_path / "feed-de.atom").read_bytes()).entries]
    assert any("Diese Änderung betrifft nur Handys." in s for s in summaries)
    assert any("Diese Änderung betrifft nur Computer." in s for s in summaries)
    assert any("Gesehen am 7. Dezember 2026." in s for s in summaries), "dates the German way"
    linked = "Facebook: Widersprich der Nutzung deiner Daten für Metas KI <https://example.org/om/de/facebook.html>"
    assert any(linked in s for s in summaries), "a page linked by its title"


def test_each_kind_of_change_has_its_own_sentence() -> None:
    said = [feed.group_summary(g, "de") for g in feed.grouped(every_kind())]
    assert len(set(said)) == len(said) - 1, said  # the same rewording, seen on the phone another day
    assert "„widersprechen“ heißt jetzt „Widerspruch einlegen“." in said
    assert "„x“ ist jetzt eine Schaltfläche und kein Link mehr." in said
    assert "„x“ führt jetzt zu einer neuen Adresse: https://e.x/f" in said
    assert "Es ist ein Schritt mehr nötig: erst „Mehr“, dann „widersprechen“." in said
    assert "Der Schritt „Weiter“ ist nicht mehr nötig." in said
    assert "„widersprechen“ ist wieder auf der Seite." in said


def test_the_english_feeds_name_each_language_and_its_page(tmp_path: Path) -> None:
    en = entry(
        id="en00000000000001", locale="en", old_text="object", new_text="Oppose", pages=["instructions/en/facebook.md"]
    )
    group = feed.grouped([entry(), en])
    [story] = [feed.group_story(g, "en") for g in group]
    lines = story.text().splitlines()
    assert lines[:2] == [
        "English: “object” now reads “Oppose”.",
        "German: “widersprechen” now reads “Widerspruch einlegen”.",
    ]
    assert "Facebook: Widersprich der Nutzung deiner Daten für Metas KI (Deutsch) <de/facebook.html>" in lines
    assert "This change is on computers only." in lines


# --------------------------------------------------------------------------- CHANGELOG.md and the pull request


def test_changelog_md_has_no_step_id_verdict_or_device() -> None:
    text = feed.render_changelog(every_kind())
    assert not MACHINE_WORDS.search(text), MACHINE_WORDS.findall(text)
    assert "## 7 December 2026" in text
    assert "  - This change is on phones only." in text, "one sentence a list item"


def test_what_followers_will_read_in_a_pull_request_is_each_languages_text() -> None:
    [group] = feed.grouped([entry()])
    assert feed.follower_markdown(group, "de") == [
        "- **Facebook: „widersprechen“ heißt jetzt „Widerspruch einlegen“**",  # said once
        "  - Diese Änderung betrifft nur Computer.",
        "  - Gesehen am 7\\. Dezember 2026.",  # Markdown: never an ordered list
        "  - Die Anleitung wurde entsprechend angepasst.",
        "  - Facebook: Widersprich der Nutzung deiner Daten für Metas KI",
    ]
    assert feed.changelog_item(group, None)[0] == "- **Facebook: “widersprechen” now reads “Widerspruch einlegen”**"


def test_a_pull_requests_preview_of_several_changes_names_the_pages_once() -> None:
    """Three changes of one pull request: each says what changed; "The instructions were updated to
    match" and the page titles come once, after them (they were repeated under every change)."""
    from monitor.publish import bodies

    changes = [
        entry(),
        entry(
            id="de00000000000002",
            step="privacy-center",
            verdict="retargeted",
            old_text=None,
            new_text=None,
            label="Privacy Center",
            new_leads_to="https://accountscenter.facebook.com/",
        ),
        entry(
            id="de00000000000003",
            step="menu",
            viewport="mobile",
            old_text="a",
            new_text="b",
            label="Menü",
            verdict="reworded",
            pages=["instructions/de/facebook.md", "instructions/en/facebook.md"],
        ),
    ]
    found = feed.grouped(changes)
    lines = [line for g in found for line in bodies.follower_lines(g)] + bodies.follower_tail(found)
    text = "\n".join(lines)
    assert text.count("The instructions were updated to match") == 1, text
    assert text.count("Widersprich der Nutzung deiner Daten für Metas KI") == 1, text
    assert text.count("object to Meta using your data for AI") == 1, text
    assert "This change is on" not in text and " · phones only" in text and " · computers only" in text
    assert lines[-1].startswith("Each entry then says “The instructions were updated to match.”")


def test_a_platforms_first_walk_is_one_change_for_its_followers_whatever_it_walked() -> None:
    """A first walk of two journeys × two languages × two devices is one item, not two."""
    first = [
        entry(
            id=f"f{n:015d}",
            verdict="new",
            journey=journey,
            locale=loc,
            viewport=vp,
            label=label,
            old_text=None,
            new_text=None,
            pages=[f"instructions/{loc}/facebook.md"],
        )
        for n, (journey, label, loc, vp) in enumerate(
            (j, lab, loc, vp)
            for j, lab in (("facebook-privacy-center", "object"), ("facebook-privacy-policy", "right to object"))
            for loc in ("en", "de")
            for vp in ("desktop", "mobile")
        )
    ]
    other = entry(id="f999999999999999", platform="instagram", journey="instagram-privacy-center", verdict="new")
    groups_ = feed.grouped([*first, other])
    assert sorted((g.site, len(g.members)) for g in groups_) == [("facebook", 8), ("instagram", 1)]
    lines = feed.changelog_item(next(g for g in groups_ if g.site == "facebook"))
    assert lines[0].startswith("- **Facebook: The way to the form was checked step by step for the first time")
    assert not any("first time" in line for line in lines[1:]), "the title is not said again"


def test_changelog_md_links_each_page_to_its_file_in_the_repository() -> None:
    group = feed.grouped([entry()])[0]
    lines = feed.changelog_item(group, "https://github.com/octo-org/optout-fork")
    assert any(
        "](<https://github.com/octo-org/optout-fork/blob/HEAD/instructions/de/facebook.md>)" in line for line in lines
    ), lines
    assert not any("](<" in line for line in feed.changelog_item(group, None)[1:]), "no repository: titles alone"


def test_a_moved_link_names_the_heading_a_reader_sees_not_how_the_walk_records_it() -> None:
    moved = entry(verdict="moved", label="widersprechen", new_place=["main", 'h2 "Generative KI"'])
    [line] = [s.text() for s in follower.what_changed(moved, "de")]
    assert "Generative KI" in line and 'h2 "' not in line and "h2" not in line


def test_a_pull_requests_headline_names_the_heading_of_a_moved_link_as_a_reader_sees_it() -> None:
    """The PR's headline said 'now under “h2 "Generative AI"”'."""
    from monitor.judge import groups

    moved = entry(
        verdict="moved", old_text=None, new_text=None, label="widersprechen", new_place=["main", 'h2 "Generative KI"']
    )
    [group] = feed.grouped([moved])
    assert groups.story(group).endswith("now under “Generative KI”")
    bare = entry(verdict="moved", old_text=None, new_text=None, label="Privacy Center", new_place=["banner"])
    [group] = feed.grouped([bare])
    assert "banner" not in groups.story(group), "a landmark without a name is no words a reader sees"
    assert "banner" not in " ".join(s.text() for s in follower.what_changed(bare, "en"))


def test_a_change_in_one_other_language_is_not_said_twice_under_its_title() -> None:
    """An English reader of a German-only change: the title says it; the "German: …" line would repeat it."""
    [group] = feed.grouped([entry()])
    lines = feed.follower_markdown(group, "en", dated=False)
    assert lines[0] == "- **Facebook: “widersprechen” now reads “Widerspruch einlegen”**"
    assert not any("now reads" in line for line in lines[1:]), lines


def test_languages_that_say_the_same_are_named_together_and_the_sentence_said_once() -> None:
    """link-to-button: the menu's sentence was rewritten in six languages, its word “Menu” in three."""
    words = {"de": "Menü", "es": "Menú", "fr": "Menu", "it": "Menu", "nl": "Menu"}
    changes = [
        entry(
            id=f"{loc}00000000000009",
            locale=loc,
            step="menu",
            old_text=None,
            new_text=None,
            label=word,
            verdict="reworded",
            viewport="mobile",
            pages=[f"instructions/{loc}/facebook.md"],
        )
        for loc, word in {"en": "Menu", **words}.items()
    ]
    [group] = feed.grouped(changes)
    lines = feed.follower_markdown(group, "en", dated=False)
    text = "\n".join(lines)
    assert text.count("The sentence around “Menu” was rewritten") == 1, text
    assert "  - French, Italian, Dutch: The sentence around “Menu” was rewritten." not in lines  # the title says it
    assert "  - German: The sentence around “Menü” was rewritten." in lines


def test_each_languages_line_leaves_out_the_words_the_title_says_for_every_language() -> None:
    """accounts-center-hop: “One more step is needed:” was said in the title and again on every line."""
    changes = [
        entry(
            id=f"{loc}0000000000000a",
            locale=loc,
            step="object-link",
            verdict="step-added",
            old_text=None,
            new_text=None,
            label=word,
            hop=hop,
            pages=[f"instructions/{loc}/facebook.md"],
        )
        for loc, word, hop in (
            ("en", "object", "Privacy Center"),
            ("de", "widersprechen", "Privacy Center"),
            ("es", "oponerte", "Centro de privacidad"),
        )
    ]
    [group] = feed.grouped(changes)
    lines = feed.follower_markdown(group, "en", dated=False)
    assert lines[0] == "- **Facebook: One more step is needed: first “Privacy Center”, then “object”**"
    assert "  - German: first “Privacy Center”, then “widersprechen”." in lines, lines
    assert "  - Spanish: first “Centro de privacidad”, then “oponerte”." in lines, lines
    assert not any(line.startswith("  - English") for line in lines), "the title says English's line"
    de = feed.follower_markdown(group, "de", dated=False)
    assert sum("Ein weiterer Schritt" in line or "Schritt" in line for line in de[1:3]) <= 1, de
