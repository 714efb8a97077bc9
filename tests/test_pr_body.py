"""The pull request body a maintainer reads once: each sentence once, the changed words marked,
English first, pictures named once, and no claim about the real site after a run on a stand-in.

The same world as test_publish.py (a bare origin, the GitHub emulator), with instruction pages as
`update` writes them: a step's line holds two sentences and its picture line repeats its words.
"""

from __future__ import annotations

import re
from collections import Counter

from monitor import config, publish
from monitor.model import Change, ChangeImages, Evidence, Finding, ListDelta, Report, RunInfo, TextDelta, Verdict
from monitor.publish import pagediff
from monitor.write.changelog import ChangelogEntry

from . import test_guides, test_publish
from .test_publish import PNG, RUN, World, change, git, write

template = test_publish.template  # the fixtures: a bare origin with main, a clone, the GitHub emulator
world = test_publish.world

WORDS = {"en": ("object", "Oppose"), "de": ("widersprechen", "Widerspruch einlegen")}
PAGE = {
    "en": (
        "# Object on Facebook\n\n## {device}\n\n"
        "6. {verb} the link “{word}” under the heading “How we use your information to improve AI at Meta”. "
        "It is in the sentence “You have the right to **{word}** to how your information is used for these "
        "purposes”.\n"
        "   ![Screenshot: the link “{word}” (red outline) under the heading “How we use your information to "
        "improve AI at Meta”](../images/facebook/en/{viewport}/object-link.png)\n"
    ),
    "de": (
        "# Widerspruch auf Facebook\n\n## {device}\n\n"
        "6. {verb} auf den Link „{word}“ unter der Überschrift „Wie wir deine Informationen zur Verbesserung "
        "von KI bei Meta verwenden“. Der Link steht im Satz „Du hast das Recht, der Verwendung deiner "
        "Informationen für diese Zwecke zu **{word}**“.\n"
        "   ![Screenshot: der Link „{word}“ (roter Rahmen) unter der Überschrift „Wie wir deine Informationen "
        "zur Verbesserung von KI bei Meta verwenden“](../images/facebook/de/{viewport}/object-link.png)\n"
    ),
}
DEVICES = {
    "en": [("On a phone", "Tap", "mobile"), ("On a computer", "Click", "desktop")],
    "de": [("Auf dem Smartphone", "Tippe", "mobile"), ("Am Computer", "Klicke", "desktop")],
}
MARK = re.compile(r"\[-.+?-\]|\{\+.+?\+\}")


def page(locale: str, new: bool) -> str:
    word = WORDS[locale][1 if new else 0]
    parts = []
    for i, (device, verb, viewport) in enumerate(DEVICES[locale]):
        text = PAGE[locale].format(device=device, verb=verb, word=word, viewport=viewport)
        parts.append(text if i == 0 else text.split("\n\n", 1)[1])  # the title once
    return "\n".join(parts)


def pictures(new: bool) -> dict[str, bytes]:
    return {
        f"instructions/images/facebook/{loc}/{vp}/object-link.png": PNG + (b"after" if new else b"before")
        for loc in WORDS
        for vp in ("desktop", "mobile")
    }


def seed_and_update(w: World) -> None:
    """main holds the English and German pages; the working tree holds them as `update` rewrote them."""
    for loc in WORDS:
        write(w.work, f"instructions/{loc}/facebook.md", page(loc, new=False))
    for rel, data in pictures(new=False).items():
        write(w.work, rel, data)
    git(w.work, "add", "-A")
    git(w.work, "commit", "--quiet", "-m", "English and German pages")
    git(w.work, "push", "--quiet", "origin", "main")
    for loc in WORDS:
        write(w.work, f"instructions/{loc}/facebook.md", page(loc, new=True))
    for rel, data in pictures(new=True).items():
        write(w.work, rel, data)
    for loc, (old, new) in WORDS.items():
        entry = ChangelogEntry(
            id=f"facebook-{loc}",
            when="2026-01-02T06:00:00+00:00",
            platform="facebook",
            locale=loc,
            viewport="desktop",
            journey="facebook-privacy-center",
            step="object-link",
            verdict="reworded",
            summary=f"{old} → {new}",
            old_text=old,
            new_text=new,
        )
        write(w.work, f"instructions/changelog/2026-01-02-{loc}.json", entry.model_dump_json(indent=2) + "\n")


def rewordings(old_en: str = "object") -> list[Change]:
    out = []
    for loc, (old, new) in WORDS.items():
        old = old_en if loc == "en" else old
        for vp in ("desktop", "mobile"):
            out.append(
                change(
                    "facebook",
                    Verdict.REWORDED,
                    locale=loc,
                    viewport=vp,
                    summary=f"“{old}” → “{new}”",
                    evidence=Evidence(
                        findings=[Finding(verdict=Verdict.REWORDED, detail="the link says something else")],
                        name=TextDelta(old=old, new=new),
                        wording=[(-1, old), (1, new)],
                        context=ListDelta(old=["main"], new=["main"]),
                    ),
                    images=ChangeImages(),
                )
            )
    return out


def body_of(w: World, run: RunInfo = RUN, old_en: str = "object") -> str:
    seed_and_update(w)
    out = w.tmp / "dry"
    publish.run(
        Report.build(run, rewordings(old_en), []),
        w.work,
        dry_run=out,
        env={"GITHUB_REPOSITORY": "octo-org/optout-site"},
        log=w.logs.append,
    )
    return (out / "pr-facebook.md").read_text()


def instruction_fences(body: str) -> list[list[str]]:
    """The diff blocks of the instruction section, as lines."""
    section = body.split("## The instructions", 1)[-1].split("\n## ", 1)[0] if "## The instructions" in body else ""
    section = section or body.split("## Instruction lines changed", 1)[1].split("\n## ", 1)[0]
    return [block.splitlines() for block in re.findall(r"```diff\n(.*?)\n```", section, re.S)]


def sentences(text: str) -> list[str]:
    """The prose of a body as sentences, markup and diff signs aside; short labels ("Sentence around it:")
    are not sentences."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-+>]\s*|#+\s*|\d+\.\s+)*", "", line)
        line = MARK.sub(lambda m: m.group(0)[2:-2], line).replace("**", "").replace("\\", "")
        for part in re.split(r"(?<=[.!?;])\s+", line):
            words = part.strip().rstrip(".;").split()
            if len(words) >= 5 and not part.startswith("|"):
                out.append(" ".join(words))
    return out


def test_a_pull_request_body_tells_each_sentence_once(world: World) -> None:
    body = body_of(world)
    repeated = [s for s, n in Counter(sentences(body)).items() if n > 1]
    assert repeated == []
    assert "## What followers will read" in body


def test_the_section_heading_keeps_its_quotes_and_stays_inert(world: World) -> None:
    body = body_of(world, old_en="obj*ect* @octocat")
    [heading] = [line for line in body.splitlines() if line.startswith("## 1. ")]
    assert "“obj\\*ect\\* @\u2060octocat”" in heading
    prose = re.sub(r"```.*?```", "", body, flags=re.S)  # in a code block it is no mention
    assert "@octocat" not in prose


def test_changed_words_are_marked_one_sentence_per_line_and_pictures_stay_out(world: World) -> None:
    body = body_of(world)
    fences = instruction_fences(body)
    assert len(fences) == 2  # one per changed page
    for lines in fences:
        changed = [line for line in lines if line[:1] in "-+"]
        assert changed and all(MARK.search(line) for line in changed if line.startswith("+"))
        for line in changed:
            assert len(line) <= 120 or MARK.search(line), line
            assert "![" not in line and ".png" not in line, line
            assert line.count(". ") <= 1, line  # "6. Tap …": one sentence, not the step's whole line
    en = "\n".join(fences[0])
    assert "+ 6. Tap the link “{+Oppose+}” under the heading “How we use your information to improve AI at Meta”." in en
    assert "@@ On a phone, On a computer @@" in en  # the same sentence changed on both: shown once


def test_english_comes_before_german(world: World) -> None:
    body = body_of(world)
    assert body.index("instructions/en/facebook.md") < body.index("instructions/de/facebook.md")
    pictures_at = body.index("en/desktop/object-link.png`")
    assert pictures_at < body.index("de/desktop/object-link.png`")
    rows = [line for line in body.splitlines() if line.startswith("| facebook-privacy-center |")]
    assert [r.split(" | ")[1] for r in rows] == ["en", "en", "de", "de"]


def test_each_picture_is_named_once(world: World) -> None:
    body = body_of(world)
    # the words a reviewer reads: link destinations aside, but not what a code block shows
    parts = re.split(r"(```.*?```)", body, flags=re.S)
    text = "".join(p if p.startswith("```") else re.sub(r"\]\([^)]*\)", "]", p) for p in parts)
    for loc in WORDS:
        for vp in ("desktop", "mobile"):
            assert text.count(f"{loc}/{vp}/object-link.png") == 1, (loc, vp)


def test_a_run_on_a_stand_in_never_claims_the_real_page(world: World) -> None:
    run = RUN.model_copy(update={"sites": {"facebook": "http://127.0.0.1:9", "instagram": "http://127.0.0.1:9"}})
    body = body_of(world, run=run)
    assert not re.search(r"real (Facebook|Instagram)", body, re.I)
    assert "A rehearsal on a stand-in, not Facebook itself." in body
    assert "- [ ] The *after* pictures show the stand-in's page" in body
    real = body_of_real(world)
    assert "- [ ] The *after* pictures show the real Facebook page" in real and "stand-in" not in real


def body_of_real(w: World) -> str:
    out = w.tmp / "dry-real"
    publish.run(
        Report.build(RUN, rewordings(), []),
        w.work,
        dry_run=out,
        env={"GITHUB_REPOSITORY": "octo-org/optout-site"},
        log=w.logs.append,
    )
    return (out / "pr-facebook.md").read_text()


def test_a_long_sentence_keeps_its_changed_words_and_cuts_only_what_did_not_change() -> None:
    tail = " under the heading “How we use your information to improve AI at Meta and its partners in the EU”."
    old, new = f"6. Tippe auf den Link „widersprechen“{tail}", f"6. Tippe auf den Link „Widerspruch einlegen“{tail}"
    [hunk] = pagediff.page_hunks(f"## Am Computer\n\n{old}\n", f"## Am Computer\n\n{new}\n")
    assert hunk.render() == [
        "@@ Am Computer @@",
        "- 6. Tippe auf den Link „[-widersprechen-]“ under the heading “How we use your information …",
        "+ 6. Tippe auf den Link „{+Widerspruch einlegen+}“ under the heading “How we use your information …",
    ]
    assert pagediff.sentences("6. Tap “Oppose”. It is in the notice. ") == ["6. Tap “Oppose”.", "It is in the notice."]


def test_the_changed_words_are_marked_whole_never_from_inside_a_word() -> None:
    """Italian "Meta" → "generativa" share their last letter: the marks took it out of both words
    ("di Met-]a", "generativ+}a")."""
    old = "6. Tocca il link «opporti» sotto il titolo «Come usiamo le tue informazioni per l'IA di Meta»."
    new = "6. Tocca il link «opporti» sotto il titolo «IA generativa»."
    [hunk] = pagediff.page_hunks(f"## Su un telefono\n\n{old}\n", f"## Su un telefono\n\n{new}\n")
    minus, plus = hunk.render()[1:]
    assert minus.endswith("«[-Come usiamo le tue informazioni per l'IA di Meta-]».")
    assert plus.endswith("«{+IA generativa+}».")


def test_a_whole_menu_replaced_as_the_sentence_around_a_link_is_shown_by_its_start() -> None:
    """A moved link's "sentence around it" can be a whole menu's text (289 characters, unmarked)."""
    menu = "Settings ∞ Meta Accounts Centre Password, security, personal details, ad preferences How you use "
    menu += "Instagram Edit profile Notifications Who can see your content Account privacy Close Friends Blocked"
    minus, plus = pagediff.pair(menu * 2, "Privacy Centre Your activity Saved Switch appearance Log out")
    assert minus.startswith("- [-Settings ∞ Meta Accounts Centre") and minus.endswith(" characters)-]")
    assert len(minus) < 160 and f"({len(menu * 2)} characters)" in minus
    assert plus == "+ {+Privacy Centre Your activity Saved Switch appearance Log out+}"


def test_a_first_walk_on_a_stand_in_never_claims_the_real_pages(world: World, cfg: config.Config) -> None:
    changes = test_guides.first_walk_in(world, cfg, "fr")
    run = RUN.model_copy(update={"sites": {"facebook": "http://127.0.0.1:9"}})
    world.publish(Report.build(run, [*changes, *test_publish.quiet("instagram")], []))
    [pr] = world.gh.pulls()
    assert pr.title.startswith("First walk of the Facebook path")
    assert not re.search(r"real (Facebook|Instagram)", pr.body, re.I)
    assert "- [ ] The pictures show the stand-in's pages" in pr.body
    assert "- [ ] Merge to make this the baseline and the pages a rehearsal" in pr.body


def test_the_folded_file_list_puts_english_first_in_each_folder_of_languages() -> None:
    from monitor.publish.bodies import _english_first

    files = ["instructions/de/facebook.md", "instructions/en/facebook.md", "snapshots/j/de/desktop/s.json"]
    files += ["snapshots/j/en/mobile/s.json", "instructions/changelog/x.json"]
    assert sorted(files, key=_english_first) == [
        "instructions/en/facebook.md",
        "instructions/de/facebook.md",
        "instructions/changelog/x.json",
        "snapshots/j/en/mobile/s.json",
        "snapshots/j/de/desktop/s.json",
    ]
