"""Issue #15: instructions a person follows in one go. The visible words and where to look, three ways
in (app, phone, computer), three honest states (checked, rehearsal, not yet checked), help when it goes
wrong, and a site that serves the reader's device. Pure functions over synthetic walks; no browser."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from monitor import config, runner, store
from monitor.guard import redact
from monitor.guard.inert import clean
from monitor.model import Box, RunInfo, Verdict
from monitor.write import app_steps, catalogs, instructions, journeywords, site
from monitor.write.instructions import Verified
from monitor.write.phrases import phrases
from tests.conftest import Replica
from tests.test_instructions import (
    DAY,
    JOURNEY,
    change,
    make_baseline,
    replace_obs,
    report,
    section,
    verified_all,
)

ROOT = Path(__file__).resolve().parent.parent
APPS = app_steps.load(ROOT / app_steps.FILE_NAME, ["en", "fr", "de"])
SITES = ("facebook", "instagram")
LOCALES = ("en", "fr", "de")
STEP_LINE = re.compile(r"^(\d+)\. (.*)$", re.M)


@pytest.fixture
def tree(cfg: config.Config, tmp_path: Path) -> store.Tree:
    """Synthetic en walks (computer, phone) of facebook-privacy-center, shaped like the replica's:
    icon buttons without visible words, a landmark labelled only for screen readers."""
    baseline = make_baseline(cfg, tmp_path / "snapshots", locales=["en"])
    icons = {
        ("desktop", "account-menu"): ("Your profile", store_box(1224, 8)),
        ("mobile", "menu"): ("Menu", store_box(360, 8)),
    }
    for (viewport, step), (name, box) in icons.items():
        obs = baseline.observations[(JOURNEY, "en", viewport, step)]  # type: ignore[index]
        assert obs.target is not None
        target = obs.target.model_copy(update={"name": name, "text": "", "box": box, "context": ["banner"]})
        baseline = replace_obs(baseline, obs.model_copy(update={"target": target}))
    for viewport in ("desktop", "mobile"):
        obs = baseline.observations[(JOURNEY, "en", viewport, "settings-and-privacy")]  # type: ignore[index]
        assert obs.target is not None
        target = obs.target.model_copy(update={"context": ['navigation "Main navigation"']})
        baseline = replace_obs(baseline, obs.model_copy(update={"target": target}))
    return baseline


def store_box(x: int, y: int) -> Box:
    return Box(x=x, y=y, width=40, height=40)


def steps_of(page: str, heading: str) -> list[str]:
    return [m.group(2) for m in STEP_LINE.finditer(section(page, heading))]


# --------------------------------------------------------------------------- visible words, and where


def test_an_icon_is_described_by_what_it_looks_like_never_by_its_unseen_name(
    cfg: config.Config, tree: store.Tree
) -> None:
    en = instructions.render_page(cfg, "facebook", "en", tree, verified_all(["en"]))
    assert "Tap the menu: the three lines ☰ at the top right of the screen." in steps_of(en, "## On a phone")
    assert "Click your profile picture at the top right of the screen." in steps_of(en, "## On a computer")
    assert "“Menu”" not in en and "“Your profile”" not in en


def test_a_landmark_label_only_screen_readers_hear_is_never_quoted(cfg: config.Config, tree: store.Tree) -> None:
    en = instructions.render_page(cfg, "facebook", "en", tree, verified_all(["en"]))
    assert "Main navigation" not in en
    assert "Click the button “Settings & privacy” in the menu that opens." in steps_of(en, "## On a computer")


def test_a_visible_word_is_quoted_in_the_casing_shown_on_screen(cfg: config.Config, tree: store.Tree) -> None:
    obs = tree.observations[(JOURNEY, "en", "desktop", "object-link")]  # type: ignore[index]
    assert obs.target is not None
    shown = obs.target.model_copy(update={"name": "Object", "text": "object"})
    tree = replace_obs(tree, obs.model_copy(update={"target": shown}))
    desktop = section(instructions.render_page(cfg, "facebook", "en", tree, verified_all(["en"])), "## On a computer")
    assert "the link “object”" in desktop and "“Object”" not in desktop


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("platform", SITES)
def test_every_step_of_the_committed_pages_says_where_to_look(cfg: config.Config, platform: str, locale: str) -> None:
    """Unverified pages too: from the journey file's documented context (hint:) or the icon's look (looks:)."""
    page = instructions.render_page(cfg, platform, locale, None, None, apps=APPS)
    ph = phrases(locale)
    journey = cfg.journey(f"{platform}-privacy-center")
    for heading in (ph.way_headings["mobile"], ph.way_headings["desktop"]):
        lines = steps_of(page, f"## {heading}")
        clicks = [line for line in lines if any(line.startswith(v) for v in ph.verbs.values())]
        assert clicks, heading
        for line in clicks:  # not just "Tap the link “X”.": something after the label says where
            verb = next(v for v in ph.verbs.values() if line.startswith(v))
            bare = rf"{re.escape(verb)} (?:\S+ ){{0,2}}{ph.open_quote}[^{ph.close_quote}]*{ph.close_quote}\."
            assert not re.fullmatch(bare, line), f"no place in {line!r}"
    for step in journey.steps:
        if step.click is not None:
            assert step.hint or step.looks, f"monitor.yaml: step {step.id} documents no place"


@pytest.mark.parametrize("locale", LOCALES)
def test_a_screen_position_is_written_only_when_measured(cfg: config.Config, tree: store.Tree, locale: str) -> None:
    """No box, no measured position: a page not yet checked names one only where the journey file
    documents it (`hint:` of an icon in a bar that stays on screen, e.g. Facebook's top bar)."""
    ph = phrases(locale)
    for platform in SITES:
        page = instructions.render_page(cfg, platform, locale, None, None, apps=APPS)
        for step in cfg.journey(f"{platform}-privacy-center").steps:
            documented = journeywords.hint(step, locale)
            if documented:
                page = page.replace(clean(documented), "")
        assert not [p for p in ph.positions.values() if p.strip() in page], "no box, no position"
    assert instructions.screen_position(cfg, "mobile", store_box(16, 14)) == "top-left"
    assert instructions.screen_position(cfg, "mobile", store_box(360, 8)) == "top-right"
    assert instructions.screen_position(cfg, "desktop", Box(x=12, y=339, width=250, height=51)) == ("left-column")
    assert instructions.screen_position(cfg, "mobile", Box(x=16, y=600, width=40, height=40)) is None
    assert instructions.screen_position(cfg, "desktop", Box(x=12, y=900, width=250, height=51)) is None


def test_the_committed_pages_name_nothing_nobody_sees() -> None:
    cfg = config.load(ROOT / "monitor.yaml")
    for platform in SITES:
        journey = cfg.journey(f"{platform}-privacy-center")
        for locale in LOCALES:
            ph = phrases(locale)
            page = (ROOT / "instructions" / locale / f"{platform}.md").read_text(encoding="utf-8")
            for step in journey.steps:
                if step.looks is not None and step.target is not None:
                    for name in step.target.names(locale):
                        assert f"{ph.open_quote}{name}{ph.close_quote}" not in page, (platform, locale, name)
            assert "Main navigation" not in page and "do not edit" not in page.lower()


@pytest.mark.parametrize("locale", LOCALES)
def test_instagram_phone_steps_open_the_profile_before_the_menu(cfg: config.Config, locale: str) -> None:
    """On Instagram's mobile web ☰ sits at the top right of the person's own profile, reached from the
    profile picture at the bottom right: the committed (not yet checked) pages say both, in that order,
    in the journey file's documented words."""
    page = (ROOT / "instructions" / locale / "instagram.md").read_text(encoding="utf-8")
    ph = phrases(locale)
    phone = steps_of(page, f"## {ph.way_headings['mobile']}")
    steps = {s.id: s for s in cfg.journey("instagram-privacy-center").steps_for("mobile")}
    verb = ph.verbs["mobile"]

    def documented(step: str) -> str:
        looks, hint = steps[step].looks, steps[step].hint
        assert looks is not None and hint is not None
        return clean(f"{verb} {looks[locale]} {hint[locale]}.")

    profile, menu = documented("profile"), documented("options")
    assert profile in phone and menu in phone
    assert phone.index(profile) + 1 == phone.index(menu), "the profile opens first, then its menu"
    settings = steps["settings-and-activity"].target
    assert settings is not None and settings.names(locale)[0] in phone[phone.index(menu) + 1]
    if locale == "en":
        assert phone[2:4] == [
            "Tap your profile picture at the bottom right of the screen.",
            "Tap the menu: the three lines ☰ at the top right of your profile.",
        ]
        app = steps_of(page, "## In the app")
        assert app[0] == "Open the Instagram app and tap your profile picture to open your profile."
        assert app[1] == "On your profile, tap the menu: the three lines ☰."
        assert section(page, "## On a phone").count("More info and support") == 1, "the place is said once"


@pytest.fixture(scope="module")
def instagram_phone_walk(cfg: config.Config, replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> store.Tree:
    """One real walk of the replica in Chromium: Instagram, English, the phone's viewport."""
    replica.set_variant("baseline-2025")
    out = tmp_path_factory.mktemp("instagram-phone")
    check = runner.Check(cfg, "monitor.yaml", replica.stand_ins, replica.states, workers=1)
    (walk,) = check.run(runner.plan(cfg, ["instagram-privacy-center"], ["en"], ["mobile"]), out)
    assert walk.ok, [(o.step, o.status, o.error) for o in walk.observations]
    snapshots = tmp_path_factory.mktemp("instagram-phone-snapshots")
    store.accept(out, snapshots)
    return store.read_tree(snapshots)


def test_a_walked_instagram_phone_path_opens_the_profile_then_the_menu_at_the_top_right(
    cfg: config.Config, instagram_phone_walk: store.Tree
) -> None:
    """The replica's phone layout as on the real mobile web: the feed has no ☰; the profile picture ends
    the bottom bar; the profile's ☰ is measured in the top bar's right third."""
    key = ("instagram-privacy-center", "en", "mobile")
    profile = instagram_phone_walk.observations[(*key, "profile")]  # type: ignore[index]
    menu = instagram_phone_walk.observations[(*key, "options")]  # type: ignore[index]
    assert profile.target is not None and menu.target is not None
    assert profile.index + 1 == menu.index
    # the person's own profile, its user name redacted in what the walk keeps
    assert menu.url == f"https://www.instagram.com/{redact.HANDLE}/", "the menu is on the person's own profile"
    assert instructions.screen_position(cfg, "mobile", menu.target.box) == "top-right"
    box, height = profile.target.box, 839  # Pixel 7
    assert box is not None and box.x > 412 * 2 / 3 and box.y + box.height > height - 60, "bottom right"
    page = instructions.render_page(
        cfg, "instagram", "en", instagram_phone_walk, Verified({("instagram", "en", "mobile"): DAY})
    )
    phone = steps_of(page, "## On a phone")
    assert phone[2:4] == [
        "Tap your profile picture at the bottom right of the screen.",
        "Tap the menu: the three lines ☰ at the top right of the screen.",
    ]
    assert "“Profile”" not in page and "“Options”" not in page


# --------------------------------------------------------------------------- three ways in


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("platform", SITES)
def test_app_steps_are_labelled_as_reported_by_guides_with_source_and_date(platform: str, locale: str) -> None:
    cfg = config.load(ROOT / "monitor.yaml")
    page = instructions.render_page(cfg, platform, locale, None, None, apps=APPS)
    ph = phrases(locale)
    headings = [ph.way_headings[k] for k in ("app", "mobile", "desktop")]
    assert [page.index(f"\n## {h}\n") for h in headings] == sorted(page.index(f"\n## {h}\n") for h in headings)
    app = section(page, f"## {ph.way_headings['app']}")
    assert ph.app_notice.split("**")[1] in app  # "Reported by guides, not checked by the monitor."
    assert catalogs.month_year(locale, date(2025, 5, 1)) in app  # "May 2025", "mai 2025", "mayo de 2025"
    assert "](../../docs/meta-flow.md)" in app
    assert steps_of(page, f"## {ph.way_headings['app']}") == APPS.steps(platform, locale)
    jump = next(line for line in page.splitlines() if line.startswith(ph.jump.split("{")[0]))
    assert all(f"[{h}](#{instructions.heading_anchor(h)})" in jump for h in headings)


def test_the_app_steps_file_is_checked_for_every_language(tmp_path: Path) -> None:
    text = (
        (ROOT / app_steps.FILE_NAME).read_text(encoding="utf-8").replace('        de: "Tippe auf „KI bei Meta“."\n', "")
    )
    bad = tmp_path / app_steps.FILE_NAME
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(app_steps.AppStepsError, match=r"platforms\.instagram\.steps\[4\]: no text for locale 'de'"):
        app_steps.load(bad, ["en", "fr", "de"])
    bad.write_text("version: 1\nplatforms: {facebook: {app: Facebook}}\n", encoding="utf-8")
    with pytest.raises(app_steps.AppStepsError, match=r"platforms\.facebook\.source: Field required"):
        app_steps.load(bad)
    assert app_steps.load(tmp_path / "absent.yaml") is None


# --------------------------------------------------------------------------- honest


def test_a_rehearsal_never_reads_as_checked(cfg: config.Config, tree: store.Tree, tmp_path: Path) -> None:
    out = tmp_path / "instructions"
    changes = [change("facebook", "en", vp, "object-link", Verdict.NEW) for vp in ("desktop", "mobile")]
    rehearsal = report(*changes)
    run = RunInfo.model_validate({**rehearsal.run.model_dump(), "sites": {"facebook": "http://127.0.0.1:8765"}})
    rehearsal = rehearsal.model_copy(update={"run": run})
    instructions.update_instructions(cfg, tree, out, rehearsal, DAY, APPS)
    assert (out / "verified.json").read_text() == "{}\n", "a rehearsal never enters verified.json"
    assert Verified.load(out / instructions.REHEARSED_FILE).dates == {
        ("facebook", "en", "desktop"): DAY,
        ("facebook", "en", "mobile"): DAY,
    }
    en = (out / "en" / "facebook.md").read_text(encoding="utf-8")
    assert "**Rehearsal, not a check.**" in en
    assert "rehearsal only (computer, phone): a test run on a copy of Meta’s pages on 26 November 2026" in en
    assert "checked on the real site" not in en and "verified" not in en.lower()
    index = (out / "README.md").read_text(encoding="utf-8")
    assert "| never | rehearsal only: a test run on a copy of Meta’s pages |" in index
    # the site: a rehearsal badge, never "checked on the real site"
    shutil.copy2(ROOT / "monitor.yaml", tmp_path / "monitor.yaml")  # site reads the journey file (status.json)
    built = tmp_path / "site"
    site.build_site(tmp_path, built)
    html = (built / "index.html").read_text(encoding="utf-8")
    assert "rehearsal only, not checked" in html and "checked on the real site <time" not in html
    assert "in a real browser" not in html
    # a later run of the real site: checked, and the rehearsal dates of those walks are gone
    instructions.update_instructions(cfg, tree, out, report(*changes), date(2026, 11, 28), APPS)
    assert Verified.load(out / "verified.json").get("facebook", "en", "mobile") == date(2026, 11, 28)
    assert not (out / instructions.REHEARSED_FILE).exists()
    assert "checked on the real site on 28 November 2026" in (out / "en" / "facebook.md").read_text(encoding="utf-8")


def test_a_baseline_of_unknown_origin_is_not_called_checked(cfg: config.Config, tree: store.Tree) -> None:
    en = instructions.render_page(cfg, "facebook", "en", tree, None)
    assert "checked on the real site" not in en and "rehearsal only" in en
    (tree.root / store.REAL_ONLY_MARKER).write_text("")
    assert "checked on the real site, date not recorded" in instructions.render_page(cfg, "facebook", "en", tree, None)


@pytest.mark.parametrize("locale", LOCALES)
def test_what_an_objection_does_is_said_in_the_confirmation_s_words_only(cfg: config.Config, locale: str) -> None:
    page = instructions.render_page(cfg, "facebook", locale, None, None, apps=APPS)
    ph = phrases(locale)
    after = section(page, f"## {ph.after_heading}")
    confirmation = cfg.journey("facebook-privacy-center").steps[-1].target
    assert confirmation is not None
    assert instructions.quote_label(ph, confirmation.names(locale)[0]) in after
    for overclaim in ("does not use your public posts", "n’utilise plus", "nutzt Meta deine öffentlichen"):
        assert overclaim not in page


# --------------------------------------------------------------------------- help


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("platform", SITES)
def test_every_page_has_help_a_reason_sentence_scope_and_a_prefilled_report(
    cfg: config.Config, platform: str, locale: str
) -> None:
    page = instructions.render_page(cfg, platform, locale, None, None, apps=APPS)
    ph = phrases(locale)
    help_ = section(page, f"## {ph.help_heading}")
    items = [line for line in help_.splitlines() if line.startswith("- **")]
    assert len(items) == len(ph.help) + 1
    assert clean(ph.reason_sentence) in clean(help_)
    for lead in (h.split("**")[1].replace("{accounts_center}", ph.accounts_center) for h in ph.help):
        assert lead in help_
    why = section(page, f"## {ph.why_heading}")
    assert len([line for line in why.splitlines() if line.startswith("- ")]) == len(ph.why)
    href = re.search(r"\]\((\.\./\.\./\.\./\.\./issues/new\?[^)]+)\)", help_)
    assert href is not None
    query = parse_qs(urlsplit(href.group(1)).query)
    assert query["template"] == [instructions.ISSUE_TEMPLATE]
    assert query["title"] == [
        ph.report_title.format(platform=instructions.platform_name(platform), language=ph.language)
    ]
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / instructions.ISSUE_TEMPLATE).is_file()


# --------------------------------------------------------------------------- the site


def test_the_site_serves_the_device_once_with_maintainer_notes_apart(cfg: config.Config, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "instructions", tmp_path / "instructions")
    shutil.copy2(ROOT / "monitor.yaml", tmp_path / "monitor.yaml")  # site reads the journey file (status.json)
    built = tmp_path / "site"
    site.build_site(tmp_path, built, repo_url="https://github.com/example/optout-monitor")
    page = (built / "en" / "instagram.html").read_text(encoding="utf-8")
    for anchor in ("in-the-app", "on-a-phone", "on-a-computer", "if-something-goes-wrong"):
        assert f'id="{anchor}"' in page and f'href="#{anchor}"' in page
    assert page.index('id="in-the-app"') < page.index('id="on-a-phone"') < page.index('id="on-a-computer"')
    assert page.count(">Français<") == 1, "the language links appear once"
    assert page.count("Status:") == 1 and 'class="badges"' not in page
    assert 'href="https://github.com/example/optout-monitor/issues/new?template=step-looks-different.yml&amp;' in page
    index = (built / "index.html").read_text(encoding="utf-8")
    for note in ("do not edit", "monitor/templates", "verified.json", "snapshots/"):
        assert note not in index.lower(), note
    maintainers = (built / "MAINTAINERS.html").read_text(encoding="utf-8")
    assert "verified.json" in maintainers and "MAINTAINERS.html" in index
    assert "in a real browser" not in page + index


def test_screenshots_on_the_site_are_sized_for_the_screen_they_show(
    cfg: config.Config, tree: store.Tree, tmp_path: Path
) -> None:
    out = tmp_path / "instructions"
    instructions.write_instructions(cfg, tree, out, verified_all(["en"]), None, DAY)
    shutil.copy2(ROOT / "monitor.yaml", tmp_path / "monitor.yaml")  # site reads the journey file (status.json)
    built = tmp_path / "site"
    site.build_site(tmp_path, built)
    page = (built / "en" / "facebook.html").read_text(encoding="utf-8")
    phone = re.findall(r'<img src="[^"]*/mobile/[^"]*"[^>]*>', page)
    computer = re.findall(r'<img src="[^"]*/desktop/[^"]*"[^>]*>', page)
    assert phone and all('class="shot-phone"' in img and 'width="412"' in img for img in phone)
    assert computer and all('class="shot-computer"' in img for img in computer)
    css = (built / "style.css").read_text()
    assert "img.shot-phone { max-width: min(100%, 412px); }" in css
    assert page.index('id="on-a-phone"') < page.index('id="on-a-computer"')
