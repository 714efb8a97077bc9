"""Only words a person sees (issue 22): a step quotes only text the walked page shows on screen, never
the accessible name of an icon (an aria-label, an SVG <title>); an icon is told by its shape and its
place, per language and device, and every step of every shipped language says where to look.

One real walk (Facebook, English, phone) against the replica, whose ☰ carries its name both as an
aria-label and as an SVG <title>: text in the DOM that nobody sees. The rest renders pages from
monitor.yaml and from synthetic observations, without a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor import config, runner, store
from monitor.guard.inert import clean
from monitor.judge.shown import words as captured_label
from monitor.model import Observation, Target, Walk
from monitor.write import catalogs, instructions, journeywords
from monitor.write.phrases import phrases
from tests.conftest import Replica
from tests.test_instructions import JOURNEY, make_baseline, replace_obs, section, verified_all

ROOT = Path(__file__).resolve().parent.parent
STEP_LINE = re.compile(r"^(\d+)\. (.*)$", re.M)
HEADING = re.compile(r'^h[1-6] "(.*)"$')
SHIPPED = catalogs.catalog_locales()  # English and the 23 other official EU languages


def steps_of(page: str, heading: str) -> list[str]:
    return [m.group(2) for m in STEP_LINE.finditer(section(page, heading))]


def quoted(ph_locale: str, line: str) -> list[str]:
    """The words a step line quotes, in its language's quotation marks, Markdown undone."""
    ph = phrases(ph_locale)
    pattern = re.escape(ph.open_quote) + r"(.+?)" + re.escape(ph.close_quote)
    return [re.sub(r"\\(.)", r"\1", q).replace("**", "") for q in re.findall(pattern, line)]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


# --------------------------------------------------------------------------- a real walk


@pytest.fixture(scope="module")
def phone_walk(cfg: config.Config, replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> tuple[Walk, Path]:
    """facebook-privacy-center × en × mobile walked against the unchanged replica, accepted as a baseline."""
    replica.set_variant("baseline-2025")
    work = tmp_path_factory.mktemp("shown-words")
    check = runner.Check(cfg, "monitor.yaml", replica.stand_ins, replica.states)
    (walk,) = check.run(runner.plan(cfg, [JOURNEY], ["en"], ["mobile"]), work / "out")
    store.accept(work / "out", work / "snapshots")
    return walk, work / "snapshots"


def test_the_walk_records_that_an_icon_s_name_is_not_on_screen(phone_walk: tuple[Walk, Path]) -> None:
    walk, _snapshots = phone_walk
    by_step = {o.step: o for o in walk.observations}
    menu = by_step["menu"].target
    assert menu is not None and menu.name == "Menu"
    assert menu.shown == "", "☰ shows no words: its aria-label and its SVG <title> are unseen"
    link = by_step["object-link"].target
    assert link is not None and link.shown == "object"
    settings = by_step["settings-and-privacy"].target
    assert settings is not None and settings.shown == "Settings & privacy"


def test_every_quoted_label_is_visible_text_on_the_walked_page(
    cfg: config.Config, phone_walk: tuple[Walk, Path]
) -> None:
    """What the walk recorded as on screen is the measure: each step may quote what its own target shows
    (`Target.shown`), the sentence around it and the headings above it, and the words earlier steps
    showed (a place such as "in the “Settings & privacy” menu"). A step that quotes words its page does
    not show, such as an icon's accessible name, fails here."""
    walk, snapshots = phone_walk
    page = instructions.render_page(cfg, "facebook", "en", store.read_tree(snapshots), verified_all(["en"]))
    lines = steps_of(page, "## On a phone")
    steps = [o for o in walk.observations if o.step != "confirmation"]  # what happens after Send is no step
    assert [o.step for o in steps] == [s.id for s in cfg.journey(JOURNEY).steps_for("mobile")][:-1]
    assert len(lines) == len(steps) == 8
    earlier: list[str] = []
    for line, obs in zip(lines, steps, strict=True):
        own: list[str] = []
        if obs.target is not None:
            own = [obs.target.shown or "", obs.target.sentence]
            own += [m.group(1) for c in obs.target.context for m in [HEADING.match(c)] if m]
        visible = [squeezed(t) for t in [*own, *earlier] if t]
        for words in quoted("en", line):
            assert any(squeezed(words) in text for text in visible), f"{words!r} is not on screen: {line!r}"
        if obs.target is not None and obs.target.shown:
            earlier.append(obs.target.shown)
    assert lines[2] == "Tap the menu: the three lines ☰ at the top right of the screen."


# --------------------------------------------------------------------------- recorded data, no browser


def _with_target(cfg: config.Config, tmp_path: Path, viewport: str, step: str, **update: object) -> store.Tree:
    tree = make_baseline(cfg, tmp_path / "snapshots", locales=["en"])
    obs = tree.observations[(JOURNEY, "en", viewport, step)]  # type: ignore[index]
    assert obs.target is not None
    return replace_obs(tree, obs.model_copy(update={"target": obs.target.model_copy(update=update)}))


def test_text_in_the_dom_that_nobody_sees_is_never_quoted(cfg: config.Config, tmp_path: Path) -> None:
    """A visually hidden span or an SVG <title> puts the name in the DOM text; only `shown` counts."""
    tree = _with_target(cfg, tmp_path, "mobile", "menu", name="Menu", text="Menu", shown="", context=["banner"])
    phone = steps_of(instructions.render_page(cfg, "facebook", "en", tree, verified_all(["en"])), "## On a phone")
    assert phone[2].startswith("Tap the menu: the three lines ☰")
    assert "“Menu”" not in " ".join(phone)


def test_an_unknown_icon_is_the_icon_never_its_name(cfg: config.Config, tmp_path: Path) -> None:
    """A target the journey file does not know as an icon, walked and found showing no words."""
    tree = _with_target(cfg, tmp_path, "desktop", "settings-and-privacy", text="", shown="")
    desktop = steps_of(instructions.render_page(cfg, "facebook", "en", tree, verified_all(["en"])), "## On a computer")
    assert desktop[3] == "Click the icon in the menu that opens."


def test_a_label_the_visible_words_do_not_hold_is_not_quoted(cfg: config.Config, tmp_path: Path) -> None:
    """A long visible text without the accessible name in it: the page quotes (the start of) what is
    on screen, not the name."""
    shown = "Settings, privacy and everything else about your account that you may want to change one day"
    tree = _with_target(cfg, tmp_path, "desktop", "settings-and-privacy", text=shown, shown=shown)
    desktop = steps_of(instructions.render_page(cfg, "facebook", "en", tree, verified_all(["en"])), "## On a computer")
    assert desktop[3].startswith("Click the button “Settings, privacy and everything"), desktop[3]


def test_an_observation_recorded_before_shown_existed_still_loads_and_reads_its_text() -> None:
    old = {"role": "button", "name": "Send", "text": "Send", "matched": "Send"}
    target = Target.model_validate(old)
    assert target.shown is None
    obs = Observation.model_validate(
        {"journey": JOURNEY, "site": "facebook", "locale": "en", "viewport": "desktop", "step": "send", "index": 8}
        | {"action": "click", "status": "ok", "url": "https://www.facebook.com/", "target": old}
    )
    assert captured_label(obs) == "Send"


# --------------------------------------------------------------------------- icons: shape and place


ICON_LINES = {
    ("facebook", "en"): (
        ["Tap the menu: the three lines ☰ at the top right of the screen."],
        ["Click your profile picture at the top right of the screen."],
    ),
    ("instagram", "en"): (
        [
            "Tap your profile picture at the bottom right of the screen.",
            "Tap the menu: the three lines ☰ at the top right of your profile.",
        ],
        ["Click the button “More” at the end of the main menu."],
    ),
    ("facebook", "de"): (
        ["Tippe auf das Menü: die drei Striche ☰ oben rechts auf dem Bildschirm."],
        ["Klicke auf dein Profilbild oben rechts auf dem Bildschirm."],
    ),
    ("instagram", "de"): (
        [
            "Tippe auf dein Profilbild unten rechts auf dem Bildschirm.",
            "Tippe auf das Menü: die drei Striche ☰ oben rechts in deinem Profil.",
        ],
        ["Klicke auf die Schaltfläche „Mehr“ am Ende des Hauptmenüs."],
    ),
    ("facebook", "ro"): (
        ["Atinge meniul: cele trei linii ☰ în dreapta sus pe ecran."],
        ["Dă clic pe fotografia ta de profil în dreapta sus pe ecran."],
    ),
    ("instagram", "ro"): (
        [
            "Atinge fotografia ta de profil în dreapta jos pe ecran.",
            "Atinge meniul: cele trei linii ☰ în dreapta sus pe profilul tău.",
        ],
        ["Dă clic pe butonul „More” la sfârșitul meniului principal."],
    ),
}


@pytest.mark.parametrize(("platform", "locale"), sorted(ICON_LINES))
def test_an_icon_is_told_by_its_shape_and_place_on_each_device(cfg: config.Config, platform: str, locale: str) -> None:
    page = instructions.render_page(cfg, platform, locale, None, None)
    ph = phrases(locale)
    phone, computer = ICON_LINES[(platform, locale)]
    mobile_lines = steps_of(page, f"## {ph.way_headings['mobile']}")
    desktop_lines = steps_of(page, f"## {ph.way_headings['desktop']}")
    assert mobile_lines[2 : 2 + len(phone)] == phone
    assert desktop_lines[2 : 2 + len(computer)] == computer


@pytest.mark.parametrize("locale", SHIPPED)
@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_every_step_of_every_shipped_language_says_where_to_look_and_quotes_no_icon_name(
    cfg: config.Config, platform: str, locale: str
) -> None:
    """The committed (not yet checked) pages: each click names its place from the journey file's words
    or their translation in the language's catalog, and no icon's accessible name is quoted."""
    page = instructions.render_page(cfg, platform, locale, None, None)
    ph = phrases(locale)
    journey = cfg.journey(f"{platform}-privacy-center")
    for viewport, kind in (("mobile", "mobile"), ("desktop", "desktop")):
        lines = steps_of(page, f"## {ph.way_headings[kind]}")
        clicks = [s for s in journey.steps_for(viewport) if s.click is not None]
        for step in clicks:
            place = journeywords.hint(step, locale)
            assert place, f"{platform}/{locale}: step {step.id} has no place in this language"
            assert any(clean(place) in line for line in lines), (step.id, place, lines)
            if journeywords.is_icon(step):
                looks = journeywords.looks(step, locale)
                assert looks and any(
                    line.find(clean(looks)) < line.find(clean(place)) for line in lines if clean(looks) in line
                )
                assert step.target is not None
                for name in {*step.target.names(locale), *step.target.names("en")}:
                    assert f"{ph.open_quote}{name}{ph.close_quote}" not in page, (platform, locale, name)
