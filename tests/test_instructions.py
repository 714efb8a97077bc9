"""The instructions people read: captured labels quoted exactly, places and links from the capture,
screenshots within budget, byte-stable rewrites, and scraped text that stays inert. No browser."""

from __future__ import annotations

import io
import random
import re
import shutil
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from PIL import Image, ImageDraw, ImageFont

from monitor import config, imaging, store
from monitor.guard import files
from monitor.guard.inert import WORD_JOINER, Md, clean
from monitor.model import (
    Box,
    Category,
    Change,
    Hop,
    Images,
    Observation,
    Report,
    RunInfo,
    Status,
    Target,
    Verdict,
)
from monitor.write import catalogs, instructions, languages
from monitor.write.instructions import Verified
from monitor.write.page import NON_USER_FORM
from monitor.write.phrases import phrases

ROOT = Path(__file__).resolve().parent.parent
JOURNEY = "facebook-privacy-center"
DAY = date(2026, 11, 26)
LEADS_TO = "https://www.facebook.com/help/contact/424242424242?entry_point=privacy_center"
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])

# What the synthetic walks "saw", per locale: deliberately not the first documented names, so a page
# quoting them proves it quotes the capture.
CAPTURED = {
    "en": {
        "consent": "Decline optional cookies",
        "account-menu": "Your profile",
        "menu": "Menu",
        "settings-and-privacy": "Settings & privacy",
        "privacy-center": "Privacy Centre",
        "object-link": "Oppose",
        "form": "Object to Your Information Being Used for AI at Meta",
        "send": "Send",
        "region": "Generative AI",
        "heading": "Improving AI at Meta",
        "sentence": "You have the right to Oppose the use of your information for these purposes.",
    },
    "fr": {
        "consent": "Refuser les cookies optionnels",
        "account-menu": "Votre profil",
        "menu": "Menu",
        "settings-and-privacy": "Paramètres et confidentialité",
        "privacy-center": "Centre de confidentialité",
        "object-link": "vous opposer",
        "form": "Vous opposer à l’utilisation de vos informations pour l’IA chez Meta",
        "send": "Envoyer",
        "region": "IA générative",
        "heading": "Améliorer l’IA chez Meta",
        "sentence": "Vous avez le droit de vous opposer à l’utilisation de vos informations à ces fins.",
    },
    "de": {
        "consent": "Optionale Cookies ablehnen",
        "account-menu": "Dein Profil",
        "menu": "Menü",
        "settings-and-privacy": "Einstellungen und Privatsphäre",
        "privacy-center": "Privacy Center",
        "object-link": "widersprechen",
        "form": "Einspruch gegen die Verwendung deiner Informationen für KI bei Meta",
        "send": "Senden",
        "region": "Generative KI",
        "heading": "KI bei Meta verbessern",
        "sentence": "Du hast das Recht, der Verwendung deiner Informationen für diese Zwecke zu widersprechen.",
    },
}


# --------------------------------------------------------------------------- a synthetic baseline


def page_png(width: int, height: int, title: str, target: Box | None, label: str, noise: bool = False) -> bytes:
    img = Image.new("RGB", (width, height), (240, 242, 245))
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(16)
    draw.rectangle((0, 0, width, 56), fill=(255, 255, 255))
    draw.text((16, 18), "facebook", fill=(8, 102, 255), font=font)
    draw.rectangle((24, 80, width - 24, height - 24), fill=(255, 255, 255), outline=(220, 223, 228))
    draw.text((48, 100), title, fill=(5, 5, 5), font=ImageFont.load_default(24))
    for row in range(140, min(height - 60, 900), 28):
        draw.text(
            (48, row),
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.",
            fill=(101, 103, 107),
            font=font,
        )
    if noise:  # a photo in the feed: the worst case for the size budget
        rng = random.Random(7)
        photo = Image.frombytes("RGB", (600, 400), rng.randbytes(600 * 400 * 3))
        img.paste(photo, (60, 150))
    if target is not None:
        draw.rectangle((target.x, target.y, target.x + target.width, target.y + target.height), fill=(255, 255, 255))
        draw.text((target.x + 2, target.y + 2), label, fill=(8, 102, 255), font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def observation(
    cfg: config.Config, locale: str, viewport: str, index: int, step: config.Step, root: Path, **changes: object
) -> Observation:
    said = CAPTURED[locale]
    mobile = viewport == "mobile"
    width, height = (412, 1500) if mobile else (1280, 1400)
    status = Status.SKIPPED if step.submit or step.id == "confirmation" else Status.OK
    target: Target | None = None
    if step.id == "confirmation":
        target = None
    elif step.consent is not None:
        target = Target(
            role="button",
            name=said["consent"],
            text=said["consent"],
            matched=said["consent"],
            box=Box(x=40, y=300, width=220, height=36),
            context=['dialog "Cookies"'],
        )
    elif step.target is not None:
        name = said[step.id]
        y = 1200 if (step.submit and mobile) else 420
        box = Box(x=60 if mobile else 500, y=y, width=120, height=24)
        context = ["main"]
        if step.tracked:
            context = ["main", f'region "{said["region"]}"'] if not mobile else ["main", f'h2 "{said["heading"]}"']
        target = Target(
            role=step.target.role,
            name=name,
            text=name,
            matched=step.target.names(locale)[0],
            box=box,
            context=context,
            sentence=said["sentence"] if step.tracked else "",
            leads_to=LEADS_TO if step.tracked else None,
        )
    images = None
    folder = store.combo_dir(root, JOURNEY, locale, viewport)
    if status is Status.OK or target is not None:
        png = page_png(width, height, step.id, target.box if target else None, target.name if target else "")
        (folder).mkdir(parents=True, exist_ok=True)
        (folder / f"{step.id}.page.png").write_bytes(png)
        images = Images(page=f"{step.id}.page.png", page_phash="0" * 16, page_dhash="0" * 16)
    obs = Observation(
        journey=JOURNEY,
        site="facebook",
        locale=locale,
        viewport=viewport,
        step=step.id,
        index=index,
        action=step.action,
        tracked=step.tracked,
        status=status,
        url="https://www.facebook.com/privacy/center/",
        target=target,
        images=images,
    )
    return obs.model_copy(update=changes) if changes else obs


def make_baseline(
    cfg: config.Config,
    root: Path,
    locales: Iterable[str] = ("en", "fr"),
    viewports: Iterable[str] = ("desktop", "mobile"),
) -> store.Tree:
    journey = cfg.journey(JOURNEY)
    for locale in locales:
        for viewport in viewports:
            for index, step in enumerate(journey.steps_for(viewport)):
                obs = observation(cfg, locale, viewport, index, step, root)
                files.write_atomic(store.observation_path(root, obs.key), obs.canonical_json().encode())
    return store.read_tree(root)


def replace_obs(tree: store.Tree, obs: Observation) -> store.Tree:
    files.write_atomic(store.observation_path(tree.root, obs.key), obs.canonical_json().encode())
    return store.read_tree(tree.root)


def verified_all(locales: Iterable[str] = ("en", "fr"), day: date = DAY) -> Verified:
    return Verified({("facebook", loc, vp): day for loc in locales for vp in ("desktop", "mobile")})


@pytest.fixture(scope="session")
def baseline_template(cfg: config.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("baseline") / "snapshots"
    make_baseline(cfg, root)
    return root


@pytest.fixture
def baseline(baseline_template: Path, tmp_path: Path) -> store.Tree:
    """A fresh copy per test of synthetic en + fr walks (desktop, mobile) of facebook-privacy-center."""
    shutil.copytree(baseline_template, tmp_path / "snapshots")
    return store.read_tree(tmp_path / "snapshots")


def flat(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        if token.children:
            out.extend(flat(token.children))
    return out


def section(page: str, heading: str) -> str:
    start = page.index(heading)
    rest = page[start + len(heading) :]
    nxt = re.search(r"^##+ ", rest, re.M)
    return rest[: nxt.start()] if nxt else rest


# --------------------------------------------------------------------------- unverified pages


def test_plan_pages_is_platform_by_locale_listed_or_with_a_catalog(cfg: config.Config) -> None:
    """The walked locales in the journey file's order, then the languages that only have a catalog (ro)."""
    locales = [*cfg.locales, *sorted(set(catalogs.catalog_locales()) - set(cfg.locales))]
    assert "ro" in locales and "ro" not in cfg.locales
    pages = instructions.plan_pages(cfg)
    assert [(p.site, p.locale, p.journey, p.path) for p in pages] == [
        (site, loc, f"{site}-privacy-center", f"{loc}/{site}.md")
        for site in ("facebook", "instagram")
        for loc in locales
    ]


@pytest.mark.parametrize("locale", ["en", "fr", "de"])
@pytest.mark.parametrize("site", ["facebook", "instagram"])
def test_unverified_pages_quote_documented_labels_say_so_and_have_no_images(
    cfg: config.Config, site: str, locale: str
) -> None:
    page = instructions.render_page(cfg, site, locale, None, None)
    ph = phrases(locale)
    assert ph.notice_documented.split("**")[1] in page  # "Not yet checked by the monitor."
    assert ph.state_documented.split(" (")[0] in page
    assert "![" not in page
    journey = cfg.journey(f"{site}-privacy-center")
    for step in journey.steps:
        if step.target is not None and step.looks is None:
            assert f"{ph.open_quote}{step.target.names(locale)[0]}{ph.close_quote}" in page
        elif step.looks is not None:  # an icon: what it looks like, not its accessible name
            assert clean(step.looks[locale]) in page
    assert f"]({instructions.DOCUMENTED_FORMS[site]})" in page, "the documented form is the shortcut"


def test_a_baseline_without_the_walk_gives_the_unverified_page(cfg: config.Config, baseline: store.Tree) -> None:
    assert instructions.render_page(cfg, "facebook", "de", baseline, verified_all()) == instructions.render_page(
        cfg, "facebook", "de", None, None
    )
    empty = store.read_tree(baseline.root / "nothing-here")
    assert instructions.render_page(cfg, "facebook", "en", empty, None) == instructions.render_page(
        cfg, "facebook", "en", None, None
    )


# --------------------------------------------------------------------------- verified pages


def test_pages_quote_the_captured_labels_exactly(cfg: config.Config, baseline: store.Tree) -> None:
    en = instructions.render_page(cfg, "facebook", "en", baseline, verified_all())
    assert "“Oppose”" in en and "“object”" not in en
    assert "“Settings & privacy”" in en and "“Privacy Centre”" in en
    assert "Not yet verified" not in en
    fr = instructions.render_page(cfg, "facebook", "fr", baseline, verified_all())
    assert "«\u00a0vous opposer\u00a0»" in fr
    assert "«\u00a0Paramètres et confidentialité\u00a0»" in fr


def test_the_place_is_described_from_the_captured_context(cfg: config.Config, baseline: store.Tree) -> None:
    en = instructions.render_page(cfg, "facebook", "en", baseline, verified_all())
    desktop = section(en, "## On a computer")
    mobile = section(en, "## On a phone")
    # a landmark's label ("Generative AI") is an accessible name nobody sees: the documented place instead
    assert "Click the link “Oppose” in the notice about AI at Meta at the top of the Privacy Center" in desktop
    assert "“Generative AI”" not in en
    assert "Tap the link “Oppose” under the heading “Improving AI at Meta”." in mobile
    assert (
        "It is in the sentence “You have the right to **Oppose** the use of your information for these purposes”."
        in desktop
    )
    fr = instructions.render_page(cfg, "facebook", "fr", baseline, verified_all())
    assert "Touchez le lien «\u00a0vous opposer\u00a0» sous le titre «\u00a0Améliorer l’IA chez Meta\u00a0»." in fr
    assert "IA générative" not in fr


def test_the_shortcut_follows_where_the_tracked_link_led(cfg: config.Config, baseline: store.Tree) -> None:
    en = instructions.render_page(cfg, "facebook", "en", baseline, verified_all())
    shortcut = section(en, "## Shortcut")
    assert "](https://www.facebook.com/help/contact/424242424242?entry_point=privacy_center)" in shortcut
    assert instructions.DOCUMENTED_FORMS["facebook"] not in en


def test_a_destination_off_meta_is_not_linked(cfg: config.Config, baseline: store.Tree) -> None:
    for viewport in ("desktop", "mobile"):
        key = (JOURNEY, "en", viewport, "object-link")
        obs = baseline.observations[key]  # type: ignore[index]
        assert obs.target is not None
        bad = obs.model_copy(update={"target": obs.target.model_copy(update={"leads_to": "javascript:alert(1)"})})
        baseline = replace_obs(baseline, bad)
    en = instructions.render_page(cfg, "facebook", "en", baseline, verified_all())
    assert phrases("en").shortcut_unknown in section(en, "## Shortcut")
    assert "javascript" not in en


def test_last_verified_says_when_and_where(cfg: config.Config, baseline: store.Tree) -> None:
    assert "**Status:** checked on the real site on 26 November 2026 (computer, phone)." in instructions.render_page(
        cfg, "facebook", "en", baseline, verified_all()
    )
    fr = instructions.render_page(cfg, "facebook", "fr", baseline, verified_all())
    assert "**État\u00a0:** vérifié sur le vrai site le 26 novembre 2026 (ordinateur, téléphone)." in fr
    mixed = Verified({("facebook", "en", "desktop"): DAY, ("facebook", "en", "mobile"): date(2026, 11, 20)})
    assert (
        "checked on the real site on 20 November 2026 (phone); checked on the real site on 26 November 2026 (computer)"
        in instructions.render_page(cfg, "facebook", "en", baseline, mixed)
    )
    de_day = instructions.format_date(phrases("de"), date(2026, 3, 1))
    assert de_day == "1. März 2026"
    de_tree = make_baseline(cfg, baseline.root.parent / "de", locales=["de"], viewports=["desktop"])
    de = instructions.render_page(cfg, "facebook", "de", de_tree, Verified({("facebook", "de", "desktop"): DAY}))
    assert (
        "**Stand:** auf der echten Seite geprüft am 26. November 2026 (Computer); noch nicht geprüft (Smartphone)" in de
    )


def test_a_partly_verified_page_says_which_part_is_not(cfg: config.Config, tmp_path: Path) -> None:
    tree = make_baseline(cfg, tmp_path / "s", locales=["en"], viewports=["desktop"])
    en = instructions.render_page(cfg, "facebook", "en", tree, verified_all(["en"]))
    assert "not yet checked (phone): the steps come from public guides" in en
    assert "**The phone steps are not yet checked by the monitor**" in en
    assert "“Oppose”" in section(en, "## On a computer")
    assert "“object”" in section(en, "## On a phone") and "mobile/" not in en


def test_desktop_and_mobile_differ_so_both_are_shown(cfg: config.Config, baseline: store.Tree) -> None:
    en = instructions.render_page(cfg, "facebook", "en", baseline, verified_all())
    assert "## On a computer" in en and "## On a phone" in en
    assert "“Your profile”" in section(en, "## On a computer") and "“Menu”" in section(en, "## On a phone")


SAME_ON_BOTH = """
version: 1
sites:
  facebook:
    origins: [https://www.facebook.com]
locales: {en: en-GB}
viewports:
  desktop: {width: 1280, height: 800}
  mobile: {device: Pixel 7}
journeys:
  - id: facebook-privacy-center
    site: facebook
    login: true
    privacy: {keep: [{role: main}]}
    steps:
      - id: home
        goto: https://www.facebook.com/privacy/center/
      - id: object-link
        tracked: true
        click: {role: link, name: {en: [object]}}
      - id: send
        submit: true
        click: {role: button, name: {en: [Send]}}
"""


def test_the_same_steps_on_both_still_give_one_list_per_device_phone_first(tmp_path: Path) -> None:
    cfg = config.parse(SAME_ON_BOTH)
    page = instructions.render_page(cfg, "facebook", "en", None, None)
    assert page.index("## On a phone") < page.index("## On a computer")
    assert "On some phones the button is further down" in section(page, "## On a phone")
    assert "further down" not in section(page, "## On a computer")
    assert "**Jump to:** [On a phone](#on-a-phone) · [On a computer](#on-a-computer)" in page


def test_send_is_marked_below_the_fold_on_the_phone(cfg: config.Config, baseline: store.Tree) -> None:
    en = instructions.render_page(cfg, "facebook", "en", baseline, verified_all())
    assert "Tap the button “Send” below the text box. The button is below the first screen" in section(
        en, "## On a phone"
    )
    assert "below the first screen" not in section(en, "## On a computer")
    assert instructions.fold_height(cfg, "mobile") == 839 and instructions.fold_height(cfg, "desktop") == 800


def test_after_send_says_what_to_expect(cfg: config.Config, baseline: store.Tree) -> None:
    en = instructions.render_page(cfg, "facebook", "en", baseline, verified_all())
    after = section(en, "## After you send the form")
    assert "“We'll honour your objection”" in after
    assert "never presses “Send” on the real site" in after, "the confirmation was not captured: say so"
    assert "e-mail" in after and "Accounts Center" in after and "](instagram.md)" in after


def test_an_extra_click_found_by_the_walk_becomes_a_step(cfg: config.Config, baseline: store.Tree) -> None:
    key = (JOURNEY, "en", "desktop", "object-link")
    obs = baseline.observations[key]  # type: ignore[index]
    hop = Hop(role="link", name="Generative AI", url="https://www.facebook.com/privacy/genai/")
    baseline = replace_obs(baseline, obs.model_copy(update={"found_by": "hop", "hop": hop}))
    desktop = section(instructions.render_page(cfg, "facebook", "en", baseline, verified_all()), "## On a computer")
    assert desktop.index("Click the link “Generative AI”.") < desktop.index("Click the link “Oppose”")


# --------------------------------------------------------------------------- files on disk


def write(
    cfg: config.Config,
    tree: store.Tree | None,
    out: Path,
    stale: set[instructions.ImageKey] | None = None,
    verified: Verified | None = None,
) -> list[Path]:
    return instructions.write_instructions(cfg, tree, out, verified or verified_all(), stale, DAY)


def test_every_link_and_image_resolves_and_every_image_has_alt_text(
    cfg: config.Config, baseline: store.Tree, tmp_path: Path
) -> None:
    out = tmp_path / "instructions"
    write(cfg, baseline, out)
    pages = sorted(out.rglob("*.md"))
    assert [p.relative_to(out).as_posix() for p in pages] == [
        "MAINTAINERS.md",
        "README.md",
        *(f"{loc}/{site}.md" for loc in sorted(languages.page_locales(cfg)) for site in ("facebook", "instagram")),
    ]
    seen_images = 0
    for page in pages:
        tokens = flat(MD.parse(page.read_text(encoding="utf-8")))
        assert not [t for t in tokens if t.type in ("html_block", "html_inline")], page
        for token in tokens:
            if token.type == "image":
                seen_images += 1
                src = str(token.attrs["src"])
                assert not urlsplit(src).scheme and not src.startswith("/"), src
                assert (page.parent / src).resolve().is_file(), f"{page}: {src}"
                alt = "".join(c.content for c in token.children or [])
                assert (alt.startswith("Screenshot: ") and "(red outline)" in alt) or (
                    alt.startswith("Capture d’écran") and "(cadre rouge)" in alt
                )
            if token.type == "link_open":
                href = str(token.attrs["href"])
                if urlsplit(href).scheme:
                    assert href in {
                        LEADS_TO,
                        "https://www.facebook.com/",
                        "https://www.instagram.com/",
                        *instructions.DOCUMENTED_FORMS.values(),
                        NON_USER_FORM,
                    }, href
                elif href.startswith("#"):  # a jump to a heading of this page, as GitHub anchors it
                    headings = [t for t in tokens if t.type == "inline" and t.map and t.content]
                    anchors = {instructions.heading_anchor(h.content) for h in headings}
                    assert unquote(href[1:]) in anchors, f"{page}: {href}"
                elif href.startswith("../../../../issues/new?"):  # GitHub's file view: the repository's issues
                    assert "template=step-looks-different.yml" in href, href
                else:
                    assert (page.parent / href).resolve().is_file(), f"{page}: {href}"
    # en + fr, desktop (consent, account menu, settings, privacy center, object, send) + mobile (the same with menu)
    assert seen_images == 2 * (6 + 6)
    en = (out / "en" / "facebook.md").read_text(encoding="utf-8")
    assert (
        "![Screenshot: the link “Oppose” (red outline) in the notice about AI at Meta at the top of the Privacy "
        "Center: it is the word in the sentence about your right to object](../images/facebook/en/desktop/object-link.png)"
        in en
    )
    assert "![" not in (out / "de" / "facebook.md").read_text(encoding="utf-8"), "de was not walked: no images"
    assert "![" not in (out / "en" / "instagram.md").read_text(encoding="utf-8")


def test_people_images_are_cropped_outlined_and_within_budget(
    cfg: config.Config, baseline: store.Tree, tmp_path: Path
) -> None:
    out = tmp_path / "instructions"
    write(cfg, baseline, out)
    images = sorted((out / "images").rglob("*.png"))
    assert len(images) == 24
    for path in images:
        data = path.read_bytes()
        assert len(data) <= instructions.IMAGE_BUDGET, (path, len(data))
        with Image.open(path) as img:
            assert img.width <= 900 and img.height <= 600
            assert img.mode == "P"
            colours = {c for _, c in img.convert("RGB").getcolors(1 << 16) or []}
        assert imaging.HIGHLIGHT in colours, "the outline keeps its exact colour"
    with Image.open(out / "images/facebook/en/mobile/send.png") as phone:
        assert phone.width == 412 and 500 <= phone.height <= 600, "the screen's width; cut at whole lines"


def test_a_photo_heavy_page_still_fits_the_budget(cfg: config.Config, baseline: store.Tree) -> None:
    obs = baseline.observations[(JOURNEY, "en", "desktop", "account-menu")]  # type: ignore[index]
    assert obs.target is not None and obs.target.box is not None
    path = baseline.image(obs, "page")
    assert path is not None
    path.write_bytes(page_png(1280, 1400, "feed", obs.target.box, "Your profile", noise=True))
    data = instructions.people_image(baseline, obs)
    assert data is not None and len(data) <= instructions.IMAGE_BUDGET


def test_crop_keeps_the_target_inside_and_the_page_bounds() -> None:
    crop = instructions.crop_around(Box(x=1200, y=10, width=60, height=30), 1280, 4000)
    assert crop == Box(x=380, y=0, width=900, height=600)
    crop = instructions.crop_around(Box(x=100, y=3000, width=60, height=30), 412, 3100)
    assert crop.width == 412 and crop.y + crop.height <= 3100 and crop.y <= 3000 <= crop.y + crop.height - 30


def test_rendering_twice_writes_nothing_the_second_time(
    cfg: config.Config, baseline: store.Tree, tmp_path: Path
) -> None:
    out = tmp_path / "instructions"
    first = write(cfg, baseline, out, stale=None)
    assert out / "README.md" in first and out / "verified.json" in first
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert write(cfg, baseline, out, stale=None) == []
    assert write(cfg, baseline, out, stale=set()) == []
    assert stamps == {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_only_stale_images_are_rewritten(cfg: config.Config, baseline: store.Tree, tmp_path: Path) -> None:
    out = tmp_path / "instructions"
    write(cfg, baseline, out)
    # the page looks different now (a cosmetic change) for two steps
    for step in ("object-link", "settings-and-privacy"):
        obs = baseline.observations[(JOURNEY, "en", "desktop", step)]  # type: ignore[index]
        assert obs.target is not None and obs.target.box is not None
        path = baseline.image(obs, "page")
        assert path is not None
        path.write_bytes(page_png(1280, 1400, step, obs.target.box, obs.target.name, noise=True))
    assert write(cfg, baseline, out, stale=set()) == [], "no verdict said stale: every byte stays"
    changed = write(cfg, baseline, out, stale={("facebook", "en", "desktop", "object-link")})
    assert changed == [out / "images/facebook/en/desktop/object-link.png"]


def test_a_missing_image_is_drawn_and_unreferenced_ones_are_removed(
    cfg: config.Config, baseline: store.Tree, tmp_path: Path
) -> None:
    out = tmp_path / "instructions"
    write(cfg, baseline, out)
    missing = out / "images/facebook/fr/mobile/menu.png"
    missing.unlink()
    assert write(cfg, baseline, out, stale=set()) == [missing]
    stray = out / "images/facebook/en/desktop/old-step.png"
    stray.write_bytes(b"x")
    old_page = out / "ca" / "facebook.md"  # a locale with neither a journey entry nor a catalog
    old_page.parent.mkdir()
    old_page.write_text("old")
    theirs = out / "changelog" / "notes.md"
    theirs.parent.mkdir()
    theirs.write_text("kept")
    assert write(cfg, baseline, out, stale=set()) == sorted([stray, old_page])
    assert theirs.read_text() == "kept", "folders that are not a locale belong to others"
    # no baseline at all: unverified pages, and no images left behind
    changed = write(cfg, None, out, stale=set(), verified=Verified())
    assert not (out / "images").exists()
    assert out / "en" / "facebook.md" in changed


def test_hostile_scraped_text_stays_inert(cfg: config.Config, baseline: store.Tree, tmp_path: Path) -> None:
    hostile = {
        "settings-and-privacy": "<img src=x onerror=alert(1)>",
        "privacy-center": "[click](javascript:alert(1))",
        "object-link": "![x](http://evil/x.png) @everyone #1",
        "send": "`Send` https://evil.example www.evil.example",
    }
    for viewport in ("desktop", "mobile"):
        for step, text in hostile.items():
            obs = baseline.observations[(JOURNEY, "en", viewport, step)]  # type: ignore[index]
            assert obs.target is not None
            target = obs.target.model_copy(
                update={
                    "name": text,
                    "text": text,
                    "context": ['region "<b>[x](https://evil.example)</b>"'],
                    "sentence": f"Object: {text} <script>alert(1)</script> me@evil.example",
                }
            )
            baseline = replace_obs(baseline, obs.model_copy(update={"target": target}))
    out = tmp_path / "instructions"
    write(cfg, baseline, out)
    page = (out / "en" / "facebook.md").read_text(encoding="utf-8")
    tokens = flat(MD.parse(page))
    assert not [t for t in tokens if t.type in ("html_block", "html_inline", "code_inline")]
    hrefs = {
        str(t.attrs["href"])
        for t in tokens
        if t.type == "link_open" and not re.search(r"^#|/issues/new\?", str(t.attrs["href"]))
    }
    assert hrefs == {
        *(f"../{loc}/facebook.md" for loc in languages.page_locales(cfg) if loc != "en"),
        "instagram.md",
        "../README.md",
        "https://www.facebook.com/",
        LEADS_TO,
        NON_USER_FORM,
    }
    srcs = {str(t.attrs["src"]) for t in tokens if t.type == "image"}
    assert all(s.startswith("../images/facebook/en/") for s in srcs)
    rendered = MD.render(page)
    text = re.sub(r"<[^>]+>", "", rendered)
    assert "<img src=x" not in rendered and "<script" not in rendered
    for pattern in (r"@[A-Za-z0-9]", r"#\d", r"(?i)https?:(?!\u2060)//evil", r"(?i)\bwww\.evil"):
        assert not re.search(pattern, text), pattern
    assert "“&lt;img src=x onerror=alert(1)&gt;”" in rendered, "the words themselves are still shown"
    assert "@" + WORD_JOINER + "everyone" in page


def test_templates_print_only_inert_values() -> None:
    env = instructions.environment()
    with pytest.raises(TypeError, match=r"only inert\.Md"):
        env.from_string("{{ x }}").render(x="<b>raw</b>")
    assert env.from_string("{{ x }} {{ n }}").render(x=Md.trusted("**ok**"), n=3) == "**ok** 3"


# --------------------------------------------------------------------------- verified dates


def test_verified_dates_move_only_on_change_or_after_refresh_days() -> None:
    key = ("facebook", "en", "desktop")
    other = ("facebook", "en", "mobile")
    start = Verified({key: DAY, other: DAY})
    quiet = start.after_run({key, other}, set(), DAY + timedelta(days=6))
    assert quiet == start, "an unchanged run within the week keeps every date (and byte)"
    changed = start.after_run({key, other}, {key}, DAY + timedelta(days=2))
    assert changed.get(*key) == DAY + timedelta(days=2) and changed.get(*other) == DAY
    week = start.after_run({key}, set(), DAY + timedelta(days=instructions.REFRESH_DAYS))
    assert week.get(*key) == DAY + timedelta(days=7) and week.get(*other) == DAY, "a failed walk keeps its date"
    assert Verified().after_run({key}, set(), DAY).get(*key) == DAY
    assert Verified.from_json(changed.to_json()) == changed
    assert changed.to_json() == ('{\n  "facebook/en/desktop": "2026-11-28",\n  "facebook/en/mobile": "2026-11-26"\n}\n')


def change(site: str, locale: str, viewport: str, step: str, verdict: Verdict) -> Change:
    return Change(
        journey=f"{site}-privacy-center",
        site=site,
        locale=locale,
        viewport=viewport,
        step=step,
        index=0,
        verdict=verdict,
        category=verdict.category,
        summary=verdict.value,
    )


def report(*changes: Change) -> Report:
    run = RunInfo(started="2026-11-26T00:00:00+00:00", finished="2026-11-26T00:01:00+00:00", seconds=60, config="m")
    return Report.build(run, list(changes), [])


def test_run_effects_read_a_report(cfg: config.Config) -> None:
    effects = instructions.run_effects(
        cfg,
        report(
            change("facebook", "en", "desktop", "object-link", Verdict.MOVED),
            change("facebook", "en", "desktop", "send", Verdict.UNCHANGED),
            change("facebook", "en", "mobile", "menu", Verdict.COSMETIC),
            change("facebook", "fr", "desktop", "object-link", Verdict.BLOCKED),
            change("facebook", "fr", "desktop", "send", Verdict.SKIPPED),
            Change(
                journey="facebook-genai",
                site="facebook",
                locale="de",
                viewport="desktop",
                step="object-link",
                index=0,
                verdict=Verdict.MOVED,
                category=Category.UPDATE,
                summary="x",
            ),
        ),
    )
    assert effects.walked_ok == {("facebook", "en", "desktop"), ("facebook", "en", "mobile")}
    assert effects.changed == {("facebook", "en", "desktop")}
    assert effects.stale == {("facebook", "en", "desktop", "object-link"), ("facebook", "en", "mobile", "menu")}


def test_update_after_an_unchanged_run_touches_nothing(
    cfg: config.Config, baseline: store.Tree, tmp_path: Path
) -> None:
    out = tmp_path / "instructions"
    steps = [(s.id, vp) for vp in ("desktop", "mobile") for s in cfg.journey(JOURNEY).steps_for(vp)]
    first = report(*(change("facebook", loc, vp, s, Verdict.NEW) for loc in ("en", "fr") for s, vp in steps))
    instructions.update_instructions(cfg, baseline, out, first, DAY)
    assert Verified.load(out / "verified.json") == verified_all()
    quiet = report(*(change("facebook", loc, vp, s, Verdict.UNCHANGED) for loc in ("en", "fr") for s, vp in steps))
    for later in range(1, instructions.REFRESH_DAYS):
        assert instructions.update_instructions(cfg, baseline, out, quiet, DAY + timedelta(days=later)) == []
    week = instructions.update_instructions(cfg, baseline, out, quiet, DAY + timedelta(days=instructions.REFRESH_DAYS))
    assert out / "verified.json" in week and out / "en" / "facebook.md" in week
    assert not [p for p in week if p.suffix == ".png"], "a new date redraws no picture"


def test_the_index_lists_every_page_with_its_state(cfg: config.Config, baseline: store.Tree) -> None:
    index = instructions.render_index(cfg, baseline, verified_all(), DAY)
    assert (
        "| Facebook | English | [Facebook: object to Meta using your data for AI](en/facebook.md) "
        "| 2026-11-26 (computer, phone) | checked on the real site |"
    ) in index
    assert (
        "| Instagram | Deutsch | [Instagram: Widersprich der Nutzung deiner Daten für Metas KI](de/instagram.md) "
        "| never | not yet checked: steps from public guides, no screenshots |"
    ) in index
    rendered = MD.render(index)
    assert rendered.count("<tr>") == 1 + 2 * len(languages.page_locales(cfg)) and 'href="fr/facebook.md"' in rendered
    late = instructions.render_index(cfg, baseline, verified_all(), DAY + timedelta(days=instructions.OVERDUE_DAYS + 1))
    assert "overdue" in late


# --------------------------------------------------------------------------- the repository's own pages


def test_the_repository_instructions_are_up_to_date(tmp_path: Path) -> None:
    """instructions/ is what render_repository makes of monitor.yaml and snapshots/."""
    shutil.copytree(ROOT / "instructions", tmp_path / "instructions")
    shutil.copytree(ROOT / "snapshots", tmp_path / "snapshots")
    verified = Verified.load(ROOT / "instructions" / "verified.json")
    today = max(verified.dates.values(), default=DAY)
    changed = instructions.render_repository(ROOT / "monitor.yaml", tmp_path, today)
    assert changed == [], f"instructions/ is stale; run `python -m monitor.write.instructions`: {changed}"
    for path in (ROOT / "instructions").rglob("*"):
        if path.is_file():
            assert (
                tmp_path / "instructions" / path.relative_to(ROOT / "instructions")
            ).read_bytes() == path.read_bytes()
    if not store.read_tree(ROOT / "snapshots").observations:
        assert not (ROOT / "instructions" / "images").exists(), "no real-site baseline: no screenshots"
        assert verified.dates == {}
