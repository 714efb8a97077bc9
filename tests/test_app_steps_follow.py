"""Issue #22, one truth per page: when the website's words change, the app steps that show the same thing
follow them, with a notice that the app was not checked; `update` and the pull request list them. Pure
records (synthetic accepted walks, a dry-run publish on a bare repository); no browser."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from monitor import config, store
from monitor.guard import files
from monitor.model import Status, Verdict
from monitor.write import app_steps, appfollow, instructions, journeywords
from monitor.write.phrases import phrases
from monitor.write.steps import Seen, ViewportSteps
from tests.test_instructions import JOURNEY, make_baseline, replace_obs, section, verified_all
from tests.test_instructions import change as instruction_change
from tests.test_publish import World, reworded, simulate_update, template, world  # noqa: F401 (fixtures)
from tests.test_publish import change as publish_change
from tests.test_publish import report as publish_report

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["en", "fr", "de"]
STEP_LINE = re.compile(r"^(\d+)\. (.*)$", re.M)
# What the page says after an app step that follows the website, as a reader reads it.
NOTICE = {
    "en": "**The website now says {w}.** The app probably does too, but it has not been checked.",
    "fr": "**Le site indique désormais {w}.** L’application aussi, probablement, mais cela n’a pas été vérifié.",
    "de": "**Auf der Website steht jetzt {w}.** In der App wahrscheinlich auch, aber das wurde nicht geprüft.",
}
# The tracked link's word per locale: what the 2025 guides documented, what the reworded walk shows.
OLD = {"en": "object", "fr": "opposer", "de": "widersprechen"}
NEW = {"en": "Oppose", "fr": "vous opposer", "de": "Widerspruch einlegen"}


@pytest.fixture
def apps(cfg: config.Config) -> app_steps.AppGuide:
    guide = app_steps.load(ROOT / app_steps.FILE_NAME, LOCALES)
    assert guide is not None
    return guide


@pytest.fixture(scope="session")
def reworded_template(cfg: config.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Accepted walks of en, fr and de (computer, phone) after Meta reworded the link in all three; every
    other word as the guides documented it. Built once, copied per test."""
    root = tmp_path_factory.mktemp("reworded") / "snapshots"
    tree = make_baseline(cfg, root, locales=LOCALES)
    for (_journey, locale, _viewport, step), obs in tree.observations.items():  # type: ignore[misc]
        words = NEW[locale] if step == "object-link" else "Privacy Center" if step == "privacy-center" else None
        if obs.target is None or words is None or (step == "privacy-center" and locale != "en"):
            continue
        sentence = obs.target.sentence.replace(obs.target.name, words)
        target = obs.target.model_copy(update={"name": words, "text": words, "sentence": sentence})
        changed = obs.model_copy(update={"target": target})
        files.write_atomic(store.observation_path(root, changed.key), changed.canonical_json().encode())
    return root


@pytest.fixture
def reworded_tree(reworded_template: Path, tmp_path: Path) -> store.Tree:
    shutil.copytree(reworded_template, tmp_path / "snapshots")
    return store.read_tree(tmp_path / "snapshots")


def en_shows(tree: store.Tree, step: str, name: str, text: str | None = None) -> store.Tree:
    """The en walks (computer, phone) show other words at a step: `name`, on screen `text` (else the name)."""
    for viewport in ("desktop", "mobile"):
        obs = tree.observations[(JOURNEY, "en", viewport, step)]  # type: ignore[index]
        assert obs.target is not None
        target = obs.target.model_copy(update={"name": name, "text": name if text is None else text})
        tree = replace_obs(tree, obs.model_copy(update={"target": target}))
    return tree


def app_lines(page: str, locale: str) -> list[str]:
    return [m.group(2) for m in STEP_LINE.finditer(section(page, f"## {phrases(locale).way_headings['app']}"))]


def quoted(locale: str, word: str) -> str:
    ph = phrases(locale)
    return f"{ph.open_quote}{word}{ph.close_quote}"


@pytest.mark.parametrize("locale", LOCALES)
def test_after_a_reworded_walk_no_page_tells_people_to_tap_the_old_and_the_new_word(
    cfg: config.Config, reworded_tree: store.Tree, apps: app_steps.AppGuide, locale: str
) -> None:
    page = instructions.render_page(cfg, "facebook", locale, reworded_tree, verified_all(LOCALES), apps=apps)
    assert quoted(locale, NEW[locale]) in section(page, f"## {phrases(locale).way_headings['mobile']}")
    assert quoted(locale, OLD[locale]) not in page, "a page tells people to tap both the old and the new word"
    app = app_lines(page, locale)
    tracked = next(line for line in app if quoted(locale, NEW[locale]) in line)
    assert tracked.endswith(" " + NOTICE[locale].format(w=quoted(locale, NEW[locale]))), tracked
    # the documented sentence is kept around the word: only the quoted word changed
    documented = apps.steps("facebook", locale)[app.index(tracked)]
    assert tracked.startswith(documented.replace(quoted(locale, OLD[locale]), quoted(locale, NEW[locale])))


def test_app_steps_stay_as_documented_while_the_website_shows_their_words(
    cfg: config.Config, reworded_tree: store.Tree, apps: app_steps.AppGuide
) -> None:
    """A walk that shows the documented words changes no app step and adds no notice; a walk not in the
    baseline (it) neither."""
    tree = make_baseline(cfg, reworded_tree.root.parent / "documented", locales=["de"])
    for locale, baseline in (("de", tree), ("it", reworded_tree)):
        page = instructions.render_page(cfg, "facebook", locale, baseline, verified_all([locale]), apps=apps)
        assert app_lines(page, locale) == apps.steps("facebook", locale)


def test_a_reworded_setting_is_followed_too_and_only_in_its_language(
    cfg: config.Config, reworded_tree: store.Tree, apps: app_steps.AppGuide
) -> None:
    reworded_tree = en_shows(reworded_tree, "settings-and-privacy", "Settings")
    en = instructions.render_page(cfg, "facebook", "en", reworded_tree, verified_all(LOCALES), apps=apps)
    assert app_lines(en, "en")[1] == "Tap “Settings”. " + NOTICE["en"].format(w="“Settings”")
    assert not any("“Settings & privacy”" in line for line in app_lines(en, "en"))
    fr = instructions.render_page(cfg, "facebook", "fr", reworded_tree, verified_all(LOCALES), apps=apps)
    assert app_lines(fr, "fr")[1] == apps.steps("facebook", "fr")[1]


def test_a_scraped_word_stays_inert_in_the_app_step(
    cfg: config.Config, reworded_tree: store.Tree, apps: app_steps.AppGuide
) -> None:
    reworded_tree = en_shows(reworded_tree, "object-link", "[Oppose](https://evil.example)", "**Oppose** <b>x</b>")
    en = instructions.render_page(cfg, "facebook", "en", reworded_tree, verified_all(LOCALES), apps=apps)
    tracked = app_lines(en, "en")[3]
    assert "**Oppose** <b>" not in tracked and "\\*\\*Oppose\\*\\* \\<b\\>x\\</b\\>" in tracked


def test_the_app_steps_an_update_changed_are_those_of_the_web_steps_it_changed(
    cfg: config.Config, reworded_tree: store.Tree, apps: app_steps.AppGuide
) -> None:
    from monitor.write import appfollow

    changes = [
        instruction_change("facebook", locale, viewport, "object-link", Verdict.REWORDED)
        for locale in LOCALES
        for viewport in ("desktop", "mobile")
    ]
    found = appfollow.for_changes(cfg, reworded_tree, apps, changes)
    assert [(f.locale, f.number, f.web_step, f.old, f.new) for f in found] == [
        (locale, 4, "object-link", OLD[locale], NEW[locale]) for locale in LOCALES
    ]
    # a web step no change touched is not this update's doing, even where its words differ
    en_only = appfollow.for_changes(cfg, reworded_tree, apps, changes[:1])
    assert [(f.locale, f.number) for f in en_only] == [("en", 4)]


def test_the_pull_request_says_which_app_steps_it_changed_and_that_they_were_not_walked(
    world: World,  # noqa: F811 (the fixture of test_publish.py)
    cfg: config.Config,
) -> None:
    work = world.work
    simulate_update(work, "facebook", "Oppose")
    shutil.rmtree(work / "snapshots" / JOURNEY)
    tree = make_baseline(cfg, work / "snapshots", locales=["en"])  # en: the link says “Oppose”
    en_shows(tree, "privacy-center", "Privacy Center")  # as documented
    for name in ("monitor.yaml", app_steps.FILE_NAME):
        shutil.copy2(ROOT / name, work / name)
    out = world.tmp / "dry"
    world.publish(publish_report(reworded("facebook", new="Oppose")), dry_run=out)
    body = (out / "pr-facebook.md").read_text(encoding="utf-8")
    block = section(body, "## App steps changed without a walk")
    assert "The monitor never opens the apps." in block
    assert re.findall(r"^- .*$", block, re.M) == ["- English (`en`), Facebook app, step 4: “object” → “Oppose”"]
    assert body.index("## App steps changed without a walk") < body.index("## What followers will read")


def test_a_first_walk_that_shows_other_words_than_the_guides_lists_the_app_steps_that_follow(
    world: World,  # noqa: F811 (the fixture of test_publish.py)
    cfg: config.Config,
) -> None:
    work = world.work
    shutil.rmtree(work / "snapshots" / JOURNEY)
    make_baseline(cfg, work / "snapshots", locales=["en"])  # the first walk: the link says “Oppose”, “Privacy Centre”
    for name in ("monitor.yaml", app_steps.FILE_NAME):
        shutil.copy2(ROOT / name, work / name)
    firsts = [
        publish_change("facebook", Verdict.NEW, step=step, viewport=viewport)
        for step in ("privacy-center", "object-link")
        for viewport in ("desktop", "mobile")
    ]
    out = world.tmp / "dry"
    world.publish(publish_report(*firsts), dry_run=out)
    body = (out / "pr-facebook.md").read_text(encoding="utf-8")
    assert body.startswith("<!-- optout-monitor:first-walk")
    assert re.findall(r"^- .*app, step.*$", body, re.M) == [
        "- English (`en`), Facebook app, step 3: “Privacy Center” → “Privacy Centre”",
        "- English (`en`), Facebook app, step 4: “object” → “Oppose”",
    ]


def test_no_app_step_section_when_no_app_step_changed(world: World) -> None:  # noqa: F811 (test_publish.py's)
    simulate_update(world.work, "facebook", "oppose")
    out = world.tmp / "dry"
    world.publish(publish_report(reworded("facebook")), dry_run=out)  # no journey file, no walk of the pages
    assert "App steps" not in (out / "pr-facebook.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the data: which web step


def test_a_bad_web_step_names_the_file_the_platform_the_step_and_the_id(cfg: config.Config, tmp_path: Path) -> None:
    text = (ROOT / app_steps.FILE_NAME).read_text(encoding="utf-8")
    bad = tmp_path / app_steps.FILE_NAME
    bad.write_text(text.replace("web_step: object-link", "web_step: objekt-link", 1), encoding="utf-8")
    with pytest.raises(app_steps.AppStepsError) as raised:
        app_steps.load(bad, LOCALES, cfg)
    message = str(raised.value)
    assert message.startswith(f"{bad}: platforms.facebook.steps[3] (app step 4): web_step 'objekt-link' is not a step")
    assert "journey 'facebook-privacy-center'" in message and "object-link" in message
    assert app_steps.load(bad, LOCALES) is not None, "without the journey file only the shape is checked"
    bad.write_text(text.replace("web_step: send", "web_step: Send Button", 1), encoding="utf-8")
    with pytest.raises(app_steps.AppStepsError, match=r"app-steps\.yaml: platforms\.facebook\.steps\.5\.web_step: "):
        app_steps.load(bad, LOCALES, cfg)


@pytest.mark.parametrize("site", ["facebook", "instagram"])
def test_every_app_step_quoting_a_word_of_the_website_names_its_web_step(
    cfg: config.Config, apps: app_steps.AppGuide, site: str
) -> None:
    """The shipped app-steps.yaml: a step that quotes a documented web label says which web step it is,
    and quotes that step's documented name in every language (else it could never follow)."""
    from monitor.write import appfollow

    journey = instructions.page_journey(cfg, site)
    assert journey is not None
    worded = [s for s in journey.steps if s.target is not None and not s.looks and s.consent is None]
    for number, step in enumerate(apps.platforms[site].steps, start=1):
        for locale in cfg.locales:
            text = step.text[locale]
            quotes = [s.id for s in worded if appfollow.quoted(text, s.target.name.get(locale, [])) is not None]  # type: ignore[union-attr]
            if step.web_step is None:
                assert not quotes, f"{site} app step {number} ({locale}) quotes {quotes} but names no web_step"
                continue
            web = next(s for s in journey.steps if s.id == step.web_step)
            if not web.looks:
                assert step.web_step in quotes, f"{site} app step {number} ({locale}) quotes no name of {web.id}"


def test_the_notice_reads_in_every_language_with_the_word_in_its_quotes() -> None:
    from markdown_it import MarkdownIt

    from monitor.write import appfollow, catalogs
    from monitor.write.phrasing import quote_label

    md = MarkdownIt("commonmark")
    english = appfollow.notice("en")
    for locale in catalogs.catalog_locales():
        text = appfollow.notice(locale)
        assert locale == "en" or text != english, f"{locale}: the notice is not translated"
        html = md.renderInline(text.format(label=quote_label(phrases(locale), "Oppose")))
        assert html.count("<strong>") == 1 and "Oppose" in html.split("</strong>")[0], f"{locale}: {html}"


CHANGED = "**This step is different on the website now.** The app may have changed too, but it has not been checked."


def test_a_step_the_website_no_longer_needs_leaves_the_web_steps_and_marks_its_app_step(
    cfg: config.Config, reworded_tree: store.Tree, apps: app_steps.AppGuide
) -> None:
    """The step-removed change: the website goes from the menu straight to the Privacy Center. The page
    stays a walked one (it fell back to the guides' words), no web step names “Settings & privacy”,
    and the app step that does says the website changed there (it was a stale label)."""
    tree = reworded_tree
    for viewport in ("desktop", "mobile"):
        obs = tree.observations[(JOURNEY, "en", viewport, "settings-and-privacy")]  # type: ignore[index]
        gone = obs.model_copy(update={"status": Status.MISSING, "superseded_by": "privacy-center", "target": None})
        tree = replace_obs(tree, gone)
    page = instructions.render_page(cfg, "facebook", "en", tree, verified_all(LOCALES), apps=apps)
    assert "not yet checked" not in page.split("##", 2)[1].lower()
    for way in ("mobile", "desktop"):
        web = section(page, f"## {phrases('en').way_headings[way]}")
        assert "“Settings & privacy”" not in web, web
        assert "“Privacy Center”" in web
    app = app_lines(page, "en")
    assert app[1] == "Tap “Settings & privacy”. " + CHANGED
    assert not any(CHANGED in line for i, line in enumerate(app) if i != 1), app


def test_an_app_step_whose_quoted_place_the_website_no_longer_shows_is_marked_and_the_place_not_said(
    cfg: config.Config, reworded_tree: store.Tree
) -> None:
    """Instagram's Privacy Centre link moved out of “More info and support”: the app step quoting that
    heading is marked, and the web step no longer falls back to the documented “under …” (both were
    stale labels); while the walk shows the heading, neither."""
    journey = cfg.journey("instagram-privacy-center")
    step = next(s for s in journey.steps if s.id == "privacy-centre")
    hint = journeywords.hint(step, "en")
    assert hint == "under “More info and support”"
    app_text = "Tap “Privacy Centre”, under “More info and support” (scroll down to reach it)."
    walked = reworded_tree.observations[(JOURNEY, "en", "mobile", "privacy-center")]  # type: ignore[index]
    assert walked.target is not None

    def seen_with(context: list[str], headings: list[str]) -> list[ViewportSteps]:
        target = walked.target.model_copy(update={"context": context})  # type: ignore[union-attr]
        obs = walked.model_copy(update={"target": target, "headings": headings, "step": "privacy-centre"})
        seen = Seen(step=step, kind="click", label="Privacy Centre", role="link", obs=obs)
        return [ViewportSteps("mobile", "mobile", [seen], verified=True)]

    before = seen_with(
        ["main", 'h1 "Settings and activity"', 'h2 "More info and support"'], ["h2 More info and support"]
    )
    after = seen_with(["main"], [])
    assert not appfollow.step_changed(journey, before, "privacy-centre", "en", app_text)
    assert appfollow.step_changed(journey, after, "privacy-centre", "en", app_text)
    assert not appfollow.step_changed(journey, after, "privacy-centre", "en", "Tap “Privacy Centre”.")
    assert journeywords.hint_holds(hint, before[0].seen[0].obs)
    assert not journeywords.hint_holds(hint, after[0].seen[0].obs)
    assert journeywords.hint_holds("in the menu that opens", after[0].seen[0].obs), "a place quoting no name holds"
    fr = "sous « Plus d’infos et assistance »"  # the apostrophe inside a word is no quotation mark
    assert journeywords.quotations(fr) == {"plus d'infos et assistance"}
