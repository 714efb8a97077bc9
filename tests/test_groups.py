"""Change groups: one change of the site is one story, whatever the locales and viewports that saw it.

Pure functions over records (no browser): the reworded variant over the whole matrix is built as the
report `check` writes for it (2 platforms × 3 locales × 2 viewports, each locale with its own words).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import feedparser
from markdown_it import MarkdownIt

from monitor.judge import groups
from monitor.model import (
    BlockReason,
    Change,
    Evidence,
    Finding,
    ListDelta,
    Report,
    RunInfo,
    TextDelta,
    Verdict,
)
from monitor.write import feed, report
from monitor.write.changelog import ChangelogEntry

RUN = RunInfo(started="2026-11-30T06:00:00+00:00", finished="2026-11-30T06:02:00+00:00", seconds=120, config="m.yaml")
WORDS = {  # locale -> (old, new) as the reworded variant says them
    "en": ("object", "Oppose"),
    "fr": ("opposer", "vous opposer"),
    "de": ("widersprechen", "Widerspruch einlegen"),
}
PLACE = {"en": "AI at Meta", "fr": "L’IA chez Meta", "de": "KI bei Meta"}


def change(site: str, locale: str, viewport: str, verdict: Verdict = Verdict.REWORDED, **kw: object) -> Change:
    old, new = WORDS[locale]
    old, new = str(kw.pop("old", old)), str(kw.pop("new", new))
    step = str(kw.pop("step", "object-link"))
    evidence = Evidence(
        findings=[Finding(verdict=verdict, detail="the link says something else")],
        name=TextDelta(old=old, new=new) if old != new else None,
        wording=[(-1, old), (1, new)] if old != new else [],
        context=kw.pop("context", None),  # type: ignore[arg-type]
        leads_to=kw.pop("leads_to", None),  # type: ignore[arg-type]
        reason=kw.pop("reason", None),  # type: ignore[arg-type]
        target_hash=17,
        page_hash=3,
    )
    return Change(
        journey=f"{site}-privacy-center",
        site=site,
        locale=locale,
        viewport=viewport,
        step=step,
        index=6 if step == "object-link" else 0,
        tracked=step == "object-link",
        verdict=verdict,
        category=verdict.category,
        summary=f"“{old}” → “{new}” (similarity 0.36, threshold 0.75 — found again by search)",
        evidence=evidence,
    )


def matrix() -> list[Change]:
    """The reworded variant over the full matrix, plus the steps that did not change."""
    out = []
    for site in ("facebook", "instagram"):
        for locale in WORDS:
            for viewport in ("desktop", "mobile"):
                out.append(change(site, locale, viewport))
                out.append(change(site, locale, viewport, Verdict.UNCHANGED, step="open", new=WORDS[locale][0]))
    return out


def test_the_reworded_variant_over_the_whole_matrix_is_one_group_per_platform() -> None:
    found = groups.of_changes(matrix())
    assert [(g.site, len(g.members)) for g in found] == [("facebook", 6), ("instagram", 6)]
    facebook = found[0]
    assert facebook.locales == ["en", "de", "fr"] and facebook.viewports == ["desktop", "mobile"]
    assert facebook.sentence == (
        "Facebook: the “object” link now reads “Oppose” (en), “Widerspruch einlegen” (de), “vous opposer” (fr); "
        "seen on computer and phone."
    )
    assert facebook.headline == "Facebook: the object link now reads “Oppose”"
    assert [(c.locale, c.viewport) for c in facebook.members] == [
        ("en", "desktop"),
        ("en", "mobile"),
        ("de", "desktop"),
        ("de", "mobile"),
        ("fr", "desktop"),
        ("fr", "mobile"),
    ]


def test_groups_do_not_depend_on_the_order_of_the_changes() -> None:
    changes = matrix()
    first = [(g.id, g.sentence) for g in groups.of_changes(changes)]
    random.Random(7).shuffle(changes)
    assert [(g.id, g.sentence) for g in groups.of_changes(changes)] == first


def test_a_viewport_that_changed_differently_is_its_own_group() -> None:
    changes = [c for c in matrix() if c.site == "facebook" and c.verdict is Verdict.REWORDED]
    changes[1] = change("facebook", "en", "mobile", new="Refuse")  # the phone says something else
    found = groups.of_changes(changes)
    assert sorted(len(g.members) for g in found) == [1, 5]
    lone = next(g for g in found if len(g.members) == 1)
    assert lone.sentence == "Facebook: the “object” link now reads “Refuse”; seen on phone only."
    big = next(g for g in found if len(g.members) == 5)
    assert big.locales == ["en", "de", "fr"] and "“Oppose” (en)" in big.sentence


def test_other_steps_verdicts_and_journeys_never_share_a_group() -> None:
    moved = change(
        "facebook",
        "en",
        "desktop",
        Verdict.MOVED,
        new="object",
        context=ListDelta(old=["main", "Your rights"], new=["main", "AI at Meta"]),
    )
    retargeted = change(
        "facebook",
        "fr",
        "desktop",
        Verdict.RETARGETED,
        new="opposer",
        leads_to=TextDelta(
            old="https://www.facebook.com/help/contact/1", new="https://www.facebook.com/help/contact/2"
        ),
    )
    blocked = change("facebook", "en", "desktop", Verdict.BLOCKED, step="open", new="object", reason=BlockReason.LOGIN)
    found = groups.of_changes([moved, retargeted, blocked, *matrix()])
    assert [g.verdict for g in found] == [
        Verdict.BLOCKED,
        Verdict.RETARGETED,
        Verdict.MOVED,
        Verdict.REWORDED,
        Verdict.REWORDED,
    ]
    sentences = [g.sentence for g in found]
    assert sentences[0] == "Facebook: the monitor could not see the “open” step (login); seen on computer."
    assert sentences[1] == (
        "Facebook: the object link now leads somewhere else: <https://www.facebook.com/help/contact/2>; seen on computer."
    )
    assert sentences[2] == "Facebook: the object link moved, now under “AI at Meta”; seen on computer."


def test_report_html_and_md_tell_one_story_per_group_with_each_step_folded() -> None:
    rep = Report.build(RUN, matrix(), [])
    page = report.html(rep)
    assert page.count('<article class="card') == 2, "one card per group, not 12"
    assert page.count('<section class="step"') == 12, "each step stays available"
    what = page.index("<h2>What changed</h2>")
    nxt = page.index("<h2>What to do next</h2>")
    evidence = page.index("<h2>Evidence</h2>")
    assert what < nxt < evidence, "top-down: what changed, what to do, then the evidence"
    assert "“Update the Facebook instructions: 1 change (reworded) seen in 6 steps”" in page
    assert "<code>optout-monitor/facebook</code>" in page
    top = page[:evidence]
    for jargon in ("bits", "phash", "similarity", "threshold", " at ("):
        assert jargon not in top, jargon
    assert re.search(r"<details><summary>Details: each step \(6\)", page)
    assert "phash" in page[page.index("<details><summary>Details") :], "the scores are kept, folded"

    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(report.markdown(rep))
    assert html.count("<h3>reworded: ") == 2 and html.count("<h4>") == 12
    assert html.index("<h2>What changed</h2>") < html.index("<h2>What to do next</h2>") < html.index("<h2>Changes</h2>")


def entries() -> list[ChangelogEntry]:
    """What `update` writes for the matrix: one entry per changed step, all from one run."""
    out = []
    for site in ("facebook", "instagram"):
        for locale, (old, new) in WORDS.items():
            for viewport in ("desktop", "mobile"):
                out.append(
                    ChangelogEntry(
                        id=ChangelogEntry.make_id(site, locale, viewport, old, new),
                        when=RUN.started,
                        platform=site,
                        locale=locale,
                        viewport=viewport,
                        journey=f"{site}-privacy-center",
                        step="object-link",
                        verdict="reworded",
                        summary=f"“{old}” → “{new}” (similarity 0.36, threshold 0.75)",
                        old_text=old,
                        new_text=new,
                        old_place=[PLACE[locale]],
                        new_place=[PLACE[locale]],
                        pages=[f"instructions/{locale}/{site}.md"],
                    )
                )
    return out


def test_feeds_hold_one_entry_per_group_per_platform_and_per_language(tmp_path: Path) -> None:
    out = tmp_path / "feeds"
    feed.build_feeds(entries(), out, "https://example.org/om/", None)

    def atom(stem: str) -> feedparser.FeedParserDict:
        parsed = feedparser.parse((out / f"{stem}.atom").read_bytes())
        assert not parsed.bozo, (stem, parsed.get("bozo_exception"))
        json_items = json.loads((out / f"{stem}.json").read_text())["items"]
        assert [i["id"] for i in json_items] == [e.id for e in parsed.entries], stem
        return parsed

    everything = atom("feed")
    assert [e.title for e in everything.entries] == [
        "Instagram: “object” now reads “Oppose”",
        "Facebook: “object” now reads “Oppose”",
    ]
    assert everything.entries[1].summary.splitlines()[:3] == [
        "English: “object” now reads “Oppose”.",
        "German: “widersprechen” now reads “Widerspruch einlegen”.",
        "French: “opposer” now reads “vous opposer”.",
    ], "one sentence per language, each language named"
    assert len(atom("facebook").entries) == 1 and len(atom("instagram").entries) == 1
    for locale in WORDS:
        for site in ("facebook", "instagram"):
            [one] = atom(f"{site}-{locale}").entries
            assert one.title.startswith(groups.platform_name(site))
            assert atom(f"{site}-{locale}").feed.language == locale
        assert len(atom(f"feed-{locale}").entries) == 2
    assert atom("facebook-de").entries[0].title == "Facebook: „widersprechen“ heißt jetzt „Widerspruch einlegen“"
    fr = atom("facebook-fr").entries[0]
    assert fr.title == "Facebook\u00a0: Le libellé «\u00a0opposer\u00a0» est désormais «\u00a0vous opposer\u00a0»"
    assert "similarity" not in fr.title and "threshold" not in fr.title and "mobile" not in fr.summary


def test_changelog_md_has_one_item_per_group_newest_first() -> None:
    older = [e.model_copy(update={"when": "2026-11-01T06:00:00+00:00", "id": e.id[:-1] + "0"}) for e in entries()[:2]]
    text = feed.render_changelog([*older, *entries()])
    items = re.findall(r"^- \*\*(.+)\*\*", text, re.M)
    assert len(items) == 3, items  # the matrix is 2 groups; the older run's two viewports are one more
    assert text.index("## 30 November 2026") < text.index("## 1 November 2026")
    assert items[-1] == "Facebook: “object” now reads “Oppose”"


def test_seen_on_says_which_devices_in_words() -> None:
    assert groups.seen_on(["desktop"]) == "seen on computer"
    assert groups.seen_on(["mobile"]) == "seen on phone only"
    assert groups.seen_on(["mobile", "desktop"]) == "seen on computer and phone"
    assert groups.seen_on(["desktop", "tablet", "Pixel 7"]) == "seen on computer, tablet and phone"


def test_report_names_the_issue_publish_will_open_when_a_human_is_needed() -> None:
    wall = change("facebook", "en", "desktop", Verdict.BLOCKED, step="open", new="object", reason=BlockReason.LOGIN)
    rep = Report.build(RUN, [wall, *matrix()], [])
    page = report.html(rep)
    nxt = page[page.index("<h2>What to do next</h2>") : page.index("<h2>Evidence</h2>")]
    assert "opens the issue “Refresh the Facebook login for optout-monitor”" in nxt
    assert "login wall" in nxt and "never applied" in nxt
    assert "“Update the Instagram instructions: 1 change (reworded) seen in 6 steps”" in nxt
    quiet = report.html(Report.build(RUN, [c for c in matrix() if c.verdict is Verdict.UNCHANGED], []))
    assert "Nothing: the instructions still match the site." in quiet and "<h2>Evidence</h2>" not in quiet


def test_a_regional_locale_gets_its_own_feeds_in_its_language(tmp_path: Path) -> None:
    pt = entries()[0].model_copy(update={"locale": "pt-BR", "id": "ptbr000000000000", "new_text": "Opor-se"})
    feed.build_feeds([pt], tmp_path, "", None)
    for stem in ("feed-pt-BR", "facebook-pt-BR"):
        parsed = feedparser.parse((tmp_path / f"{stem}.atom").read_bytes())
        assert not parsed.bozo and parsed.feed.language == "pt-BR" and len(parsed.entries) == 1, stem
        assert json.loads((tmp_path / f"{stem}.json").read_text())["language"] == "pt-BR"
    assert feedparser.parse((tmp_path / "instagram-pt-BR.atom").read_bytes()).entries == []
    assert json.loads((tmp_path / "facebook.json").read_text())["language"] == "en"


def test_two_links_sent_to_one_new_address_are_one_sentence_naming_both() -> None:
    """A maintainer would not keep two bullets that differ only in the link's name: one sentence names both."""
    to = TextDelta(old="https://www.facebook.com/help/contact/1", new="https://help.meta.com/support/privacy/")
    changes = []
    for journey, label in (("facebook-privacy-center", "object"), ("facebook-privacy-policy", "right to object")):
        for viewport in ("desktop", "mobile"):
            c = change("facebook", "en", viewport, Verdict.RETARGETED, old="object", new="object", leads_to=to)
            ev = c.evidence.model_copy(update={"label": label, "label_role": "link"})
            changes.append(c.model_copy(update={"journey": journey, "evidence": ev}))
    shown = groups.of_changes(changes)
    assert len(shown) == 2
    told = groups.told(shown)
    assert [said for _, said in told] == [False, True]
    assert told[0][0] == (
        "Facebook: the “object” link and the “right to object” link now lead somewhere else: "
        "<https://help.meta.com/support/privacy/>; seen on computer and phone."
    )
    other = changes[-1].evidence.model_copy(update={"leads_to": TextDelta(old=to.old, new="https://x.test/")})
    apart = groups.of_changes([*changes[:2], changes[2].model_copy(update={"evidence": other})])
    assert [said for _, said in groups.told(apart)] == [False, False]  # another address: two sentences
