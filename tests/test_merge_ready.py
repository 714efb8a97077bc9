"""The editor's checklist of scripts/merge_ready.py, each check on a hand-made good and bad example.

Pure and fast: no walk, no browser, no OCR (the OCR'd words are given as boxes).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from monitor.write import appfollow

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import merge_checks as mc  # noqa: E402

PAGE = """# Facebook: object to Meta using your data for AI

## In the app

> **Reported by guides, not checked by the monitor.** The steps come from public guides.
{notice}
1. Open the Facebook app and tap the menu: the three lines ☰.
2. Tap “Settings & privacy”.
3. Tap the word “{app_word}” in the notice about AI at Meta.

## On a phone

1. Tap the menu: the three lines ☰ at the top right of the screen.

   ![Screenshot: the menu (red outline)](../images/facebook/en/mobile/menu.png)

2. Tap the link “{web_word}” under the heading “How we use your information”. It is in the sentence “You have the right to **{web_word}** to how your information is used”.

   ![Screenshot: the link “{web_word}” (red outline)](../images/facebook/en/mobile/object-link.png)

## On a computer

1. Click the button “Settings & privacy” in the menu that opens.

   ![Screenshot](../images/facebook/en/desktop/settings-and-privacy.png)

## If something goes wrong

- **No confirmation e-mail?** Look for the word “object” in your spam folder.
"""
OLD = {"Settings & privacy", "object", "How we use your information"}
NEW = {"Settings & privacy", "Oppose", "How we use your information"}


def page(app_word: str, web_word: str, notice: str = "") -> str:
    return PAGE.format(app_word=app_word, web_word=web_word, notice=notice)


# --------------------------------------------------------------------------- quotes


def test_quotes_are_read_in_every_shipped_languages_marks() -> None:
    line = 'Tap “A”, „B“, „C”, « D », «E», ‘F’ and "G"; l’app is not a quote'
    assert mc.quotes(line) == ["A", "B", "C", "D", "E", "F", "G"]


def test_sections_tell_the_app_steps_from_each_viewports() -> None:
    kinds = {s.heading: s.kind for s in mc.sections(page("object", "object"))}
    assert kinds == {
        "In the app": "app",
        "On a phone": "mobile",
        "On a computer": "desktop",
        "If something goes wrong": "other",
    }


# --------------------------------------------------------------------------- stale labels


def test_a_page_whose_steps_all_follow_the_new_word_has_no_stale_label() -> None:
    assert mc.stale_labels(page("Oppose", "Oppose"), OLD, NEW) == []


def test_an_app_step_that_still_quotes_the_old_word_is_stale_and_tells_people_to_tap_both() -> None:
    defects = mc.stale_labels(page("object", "Oppose"), OLD, NEW)
    assert [(d.kind, d.text) for d in defects] == [(mc.STALE, "object"), (mc.OLD_AND_NEW, "object")]


def test_a_web_step_that_still_quotes_the_old_word_is_stale() -> None:
    defects = mc.stale_labels(page("Oppose", "object"), OLD, NEW)
    assert {d.kind for d in defects} == {mc.STALE, mc.OLD_AND_NEW}
    assert all(d.text == "object" for d in defects)


def test_the_app_sections_notice_naming_the_new_word_excuses_its_old_word_only() -> None:
    notice = "> The website now says “Oppose”; the app probably does too, not yet seen."
    assert mc.stale_labels(page("object", "Oppose", notice), OLD, NEW) == []
    # the generic "not checked" note alone does not say the word changed
    generic = "> These steps were never checked by the monitor."
    assert [d.kind for d in mc.stale_labels(page("object", "Oppose", generic), OLD, NEW)] == [mc.STALE, mc.OLD_AND_NEW]
    # a notice excuses the app's steps, never the web's
    assert [d.kind for d in mc.stale_labels(page("Oppose", "object", notice), OLD, NEW)] == [mc.STALE, mc.OLD_AND_NEW]


def test_an_app_step_that_says_the_website_changed_there_is_not_stale_a_bare_one_is() -> None:
    """The step-removed change: “Settings & privacy” is no longer on the website's path."""
    gone, now = {"Settings & privacy", "Privacy Center"}, {"Privacy Center"}
    bare = "## In the app\n\n1. Tap “Settings & privacy”.\n2. Tap “Privacy Center”.\n"
    assert [d.text for d in mc.stale_labels(bare, gone, now)] == ["Settings & privacy"]
    marked = bare.replace("privacy”.\n", "privacy”. " + appfollow.changed_notice("en") + "\n", 1)
    assert mc.stale_labels(marked, gone, now) == []
    de = "## In der App\n\n1. Tippe auf „Einstellungen und Privatsphäre“. " + appfollow.changed_notice("de") + "\n"
    assert mc.stale_labels(de, {"Einstellungen und Privatsphäre"}, set()) == []
    web = (
        "## On a phone\n\n1. Tap “Settings & privacy”. " + appfollow.changed_notice("en") + "\n\n"
        "   ![Screenshot](../images/facebook/en/mobile/settings-and-privacy.png)\n"
    )
    assert [d.kind for d in mc.stale_labels(web, gone, now)] == [mc.STALE], "only app steps are excused"


def test_a_label_that_is_still_shown_is_not_stale_whatever_its_case_or_quotes() -> None:
    fr = "## Dans l’application\n\n1. Touchez «\u00a0Paramètres et confidentialité\u00a0».\n"
    assert mc.stale_labels(fr, {"Paramètres et confidentialité"}, {"paramètres et  confidentialité"}) == []
    assert [d.kind for d in mc.stale_labels(fr, {"Paramètres et confidentialité"}, set())] == [mc.STALE]


SITE = """<html><head><title>x</title></head><body>
<h2 id="in-the-app">In the app</h2>
<blockquote><p>Reported by guides.</p></blockquote>
<ol>
<li>Tap “Settings &amp; privacy”.</li>
<li>Tap the word “{app_word}” in the notice.</li>
</ol>
<h2 id="on-a-phone">On a phone</h2>
<ul><li>A bullet quoting “object” is not a step.</li></ul>
<ol>
<li>
<p>Tap the link “Oppose”.</p>
<p><img src="../images/facebook/en/mobile/object-link.png" alt="Screenshot: the link “Oppose”" /></p>
</li>
</ol>
</body></html>"""


def test_the_site_page_is_read_as_the_markdown_page_is() -> None:
    kinds = [(s.kind, s.steps) for s in mc.sections(mc.site_page(SITE.format(app_word="object")))]
    assert kinds == [
        ("app", ("Tap “Settings & privacy”.", "Tap the word “object” in the notice.")),
        ("mobile", ("Tap the link “Oppose”.",)),
    ]
    assert [d.kind for d in mc.stale_labels(mc.site_page(SITE.format(app_word="object")), OLD, NEW)] == [
        mc.STALE,
        mc.OLD_AND_NEW,
    ]
    assert mc.stale_labels(mc.site_page(SITE.format(app_word="Oppose")), OLD, NEW) == []


# --------------------------------------------------------------------------- invisible labels

VISIBLE = {
    "mobile": "Menu\nHow we use your information\nYou have the right to object to how your information is used for these purposes.\nobject",
    "desktop": "Settings & privacy\nPrivacy Center",
}


def test_quoted_web_labels_that_the_walked_page_shows_pass() -> None:
    assert mc.invisible_labels(page("object", "object"), VISIBLE) == []


def test_a_quoted_accessible_name_of_an_icon_is_not_visible_text() -> None:
    bad = page("object", "object").replace("Tap the menu: the three lines ☰", "Tap “Your profile”")
    assert [(d.kind, d.text) for d in mc.invisible_labels(bad, VISIBLE)] == [(mc.INVISIBLE, "Your profile")]


def test_invisible_labels_leave_the_app_steps_alone() -> None:
    # the app is never walked: its words are not compared with a page's text
    assert mc.invisible_labels(page("Widerspruch", "object"), VISIBLE) == []


# --------------------------------------------------------------------------- machine words

IDS = {"facebook-privacy-center", "object-link", "settings-and-privacy", "home", "send", "menu"}
VERDICTS = {"unchanged", "reworded", "moved", "retargeted", "step-added", "target-gone", "update", "nothing"}


def machine(text: str, lang: str = "en") -> list[str]:
    return [d.text for d in mc.machine_words(text, lang=lang, ids=IDS, verdicts=VERDICTS)]


def test_plain_follower_text_has_no_machine_words() -> None:
    good = (
        "Facebook: the link “object” now reads “Oppose”. It moved to the Privacy Center; tap Send when the "
        "form opens, on a phone or a computer. See [the instructions](https://example.org/en/facebook.html)."
    )
    assert machine(good) == []
    assert machine("Facebook : le lien « opposer » s’affiche désormais « vous opposer » sur mobile.", "fr") == []


def test_step_ids_verdict_tags_viewport_words_and_paths_as_link_labels_are_machine_words() -> None:
    bad = (
        "facebook-privacy-center / object-link (reworded): en, desktop, mobile. "
        "The path is target-gone. See [instructions/en/facebook.md](https://example.org/x)."
    )
    found = machine(bad)
    for word in (
        "facebook-privacy-center",
        "object-link",
        "(reworded)",
        "target-gone",
        "desktop",
        "mobile",
        "instructions/en/facebook.md",
    ):
        assert any(word in f for f in found), word


def test_markdown_escapes_do_not_hide_a_verdict_tag() -> None:
    assert machine("Step: facebook-privacy-center / object-link \\(new\\)") != []
    assert "(reworded)" in machine("the link changed \\(reworded\\)")


def test_viewport_words_in_another_language_are_caught_only_as_a_list() -> None:
    assert machine("Facebook : « opposer » → « vous opposer » (fr, desktop, mobile)", "fr") != []
    assert machine("Facebook : visible sur mobile et sur ordinateur.", "fr") == []


def test_an_html_link_labelled_with_a_path_is_a_machine_word() -> None:
    assert machine('<p>See <a href="https://x.org/a">instructions/de/facebook.md</a></p>') == [
        "instructions/de/facebook.md"
    ]
    assert machine('<p>See <a href="https://x.org/a">the German instructions</a></p>') == []


# --------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Facebook: the link “object” now reads “Oppose”. The instructions have been updated for you."),
        (
            "fr",
            "Facebook : le lien « opposer » s’appelle maintenant « vous opposer ». Les instructions ont été mises à jour pour vous.",
        ),
        (
            "de",
            "Facebook: Der Link „widersprechen“ heißt jetzt „Widerspruch einlegen“. Die Anleitung ist für dich auf dem neuen Stand.",
        ),
        (
            "it",
            "Facebook: il collegamento «opporti» ora si chiama «opporti in qualsiasi momento». Le istruzioni sono state aggiornate per te.",
        ),
        (
            "es",
            "Facebook: el enlace «oponerte» ahora dice «oponerte en cualquier momento». Las instrucciones ya están actualizadas para ti.",
        ),
        (
            "nl",
            "Facebook: de link ‘bezwaar maken’ heet nu ‘bezwaar indienen’. De instructies zijn voor jou bijgewerkt met de nieuwe stap.",
        ),
    ],
)
def test_each_shipped_language_is_recognised_as_itself(lang: str, text: str) -> None:
    assert mc.wrong_language(text, lang) == []


def test_an_english_entry_in_the_german_feed_is_the_wrong_language() -> None:
    english = "Facebook: the “widersprechen” link now reads “Widerspruch einlegen”. The instructions have been updated."
    assert [d.kind for d in mc.wrong_language(english, "de")] == [mc.LANGUAGE]
    # a language without its own stopword list: English is still caught
    assert [d.kind for d in mc.wrong_language(english, "pl")] == [mc.LANGUAGE]


def test_quoted_labels_do_not_decide_the_language() -> None:
    # German labels quoted in an English sentence do not make it German
    assert mc.language_scores("„Widerspruch einlegen und die Daten“")["de"] == 0.0


# --------------------------------------------------------------------------- pictures


def words(*items: tuple[str, int, int]) -> list[mc.Word]:
    return [mc.Word(text, left, top, 40, 12) for text, left, top in items]


def test_pictures_of_one_size_with_the_same_first_or_last_word_share_a_frame() -> None:
    before = words(("Privacy", 10, 5), ("object", 100, 200), ("policy", 300, 580))
    after = words(("+", 2, 1), ("Privacy", 10, 5), ("Oppose", 100, 200), ("policy", 300, 580))
    assert mc.frame_differs((900, 600), (900, 600), before, after) == []


def test_pictures_of_another_size_or_other_ends_do_not_share_a_frame() -> None:
    before = words(("Privacy", 10, 5), ("policy", 300, 580))
    after = words(("Generative", 10, 5), ("Learn", 300, 580))
    assert [d.kind for d in mc.frame_differs((900, 600), (900, 480), before, after)] == [mc.FRAME]
    assert [d.kind for d in mc.frame_differs((900, 600), (900, 600), before, after)] == [mc.FRAME]


def test_a_word_cut_by_the_pictures_edge_is_found_and_a_whole_one_is_not() -> None:
    known = ["Facebook", "Fewer Home", "Privacy Center"]
    cut = words(("acebook", 0, 10), ("Privacy", 200, 10), ("Cent", 860, 10))
    assert [(d.text, d.detail) for d in mc.cut_words(cut, 900, known)] == [
        ("acebook", "cut at the left edge"),
        ("Cent", "cut at the right edge"),
    ]
    whole = words(("Facebook", 0, 10), ("Center", 860, 10), ("Home", 400, 10))
    assert mc.cut_words(whole, 900, known) == []
    # the letters at the edge decide: "ilisons-nous" is cut even though "nous" is a word
    assert [d.text for d in mc.cut_words(words(("ilisons-nous", 1, 10)), 900, ["nous", "utilisons"])] == [
        "ilisons-nous"
    ]


# --------------------------------------------------------------------------- pull request bodies

STORY = "Facebook's objection link now reads “Oppose” instead of “object” in every locale."


def test_a_body_that_tells_its_story_once_has_no_repeated_sentence() -> None:
    body = f"## Facebook: the opt-out path changed\n\n- **{STORY}**\n\n## 1. Reworded\n\nThe pictures follow.\n"
    assert mc.repeated_sentences(body) == []


def test_a_body_that_tells_its_story_twice_repeats_a_sentence() -> None:
    body = f"## Facebook: the opt-out path changed\n\n- **{STORY}**\n\n## 1. Reworded\n\n{STORY}\n"
    assert [d.kind for d in mc.repeated_sentences(body)] == [mc.REPEATED]


def test_english_comes_first_among_the_languages_of_a_body() -> None:
    good = "`instructions/en/facebook.md`\n`instructions/de/facebook.md`\n| **reworded** (en, desktop) |"
    bad = "`instructions/de/facebook.md`\n`instructions/en/facebook.md`"
    assert mc.english_first(good) == []
    assert [d.text for d in mc.english_first(bad)] == ["de, en"]
    # each list on its own: English first in the pictures does not excuse German first in the diff
    both = f"## 1. Reworded\n\n{good}\n\n## Instruction lines changed\n\n{bad}\n"
    assert [(d.text, d.detail) for d in mc.english_first(both)] == [("de, en", "in “Instruction lines changed”")]


def test_a_stand_in_run_never_claims_the_real_page() -> None:
    claim = "- [ ] The *after* pictures show the real Facebook page: no login wall"
    honest = "- [ ] This run was on a stand-in: the pictures are not the real Facebook page."
    assert [d.kind for d in mc.claims_real_page(claim, stand_in=True)] == [mc.REAL_CLAIM]
    assert mc.claims_real_page(honest, stand_in=True) == []
    assert mc.claims_real_page(claim, stand_in=False) == []


def test_a_long_diff_line_needs_its_change_marked() -> None:
    long = "Tap the link “Oppose” under the heading “How we use your information to improve AI at Meta”. " * 3
    bad = f"```diff\n-{long}\n+{long}\n```"
    good = f"```diff\n-{long.replace('Oppose', '[-object-]', 1)}\n+{long.replace('Oppose', '{+Oppose+}', 1)}\n```"
    short = "```diff\n-Tap “object”.\n+Tap “Oppose”.\n```"
    assert [d.kind for d in mc.long_diff_lines(bad)] == [mc.LONG_DIFF, mc.LONG_DIFF]
    assert mc.long_diff_lines(good) == []
    assert mc.long_diff_lines(short) == []


def test_section_reads_one_heading_up_to_the_next() -> None:
    body = "## A\n\none\n\n## What followers will read\n\n> two\n\n## C\n\nthree\n"
    assert mc.section(body, "What followers will read").strip() == "> two"
    folded = "## What followers will read\n\n> two\n\n<details><summary>Verdicts</summary>\n\nx / y\n</details>\n"
    assert mc.section(folded, "What followers will read").strip() == "> two"


def test_a_picture_is_held_to_one_frame_only_where_its_target_stayed_in_place(tmp_path: Path) -> None:
    """moved-section and new-form-address: each picture follows its target to its new place or page,
    so before and after cannot share a frame there; a reworded link in place can and must."""
    import subprocess

    import merge_gather as mg

    snap = tmp_path / "snapshots/facebook-privacy-center/en/mobile/object-link.json"
    snap.parent.mkdir(parents=True)
    before = {"url": "https://x.test/privacy", "target": {"context": ["main", 'h2 "How we use"'], "name": "object"}}
    snap.write_text(json.dumps(before))
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "b"]):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True)
    rel = "instructions/images/facebook/en/mobile/object-link.png"
    reworded = {**before, "target": {**before["target"], "name": "Oppose"}}
    moved = {**before, "target": {"context": ["main", 'h2 "Generative AI"'], "name": "object"}}
    elsewhere = {**before, "url": "https://help.x.test/form"}
    for after, same in ((reworded, True), (moved, False), (elsewhere, False)):
        snap.write_text(json.dumps(after))
        assert mg.same_place(tmp_path, rel) is same, after


def test_a_feed_title_quoting_a_label_cut_mid_word_is_a_defect() -> None:
    cut = (
        "Instagram: Es ist ein Schritt mehr nötig: erst „Privacy Center“, dann „KI bei Meta Wie wir Informationen … M…“"
    )
    assert [d.kind for d in mc.cut_labels(cut)] == [mc.LABEL_CUT]
    assert mc.cut_labels("Instagram: Es ist ein Schritt mehr nötig: erst „Privacy Center“, dann „KI bei Meta“") == []
    assert mc.cut_labels("Facebook: the sentence around “object” now reads “… as before”") == []


def test_a_step_key_quoted_as_if_it_were_the_links_words_is_a_defect() -> None:
    ids = ["ai-at-meta", "privacy-centre", "object"]
    bad = "**Instagram: an extra click is needed before the “ai at meta” step: “Privacy Centre” (en)**"
    assert [(d.kind, d.text) for d in mc.step_keys(bad, ids)] == [(mc.STEP_KEY, "ai at meta")]
    good = "**Instagram: an extra click is needed before the “AI at Meta” link: “Privacy Centre” (en)**"
    assert mc.step_keys(good, ids) == []
    assert mc.step_keys("the “object” link now reads “Oppose”", ids) == []  # a one-word key is a word too
