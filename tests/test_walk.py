"""The runner in a real Chromium against the replica: both platforms, 3 locales, 2 viewports."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from monitor import config, runner, store
from monitor.model import BlockReason, ObservationKey, Status
from monitor.walk import browser, locate, settle, stuck
from monitor.walk.journey import Walker
from monitor.walk.pagereads import MASK_COLOUR, WalkState

from .conftest import FULL_MATRIX_LOCALES, FullRun, Replica

FB_FORM = "https://www.facebook.com/help/contact/712876720715583"
IG_FORM = "https://help.instagram.com/contact/767264225370182"
OBJECT_WORD = {"en": "object", "fr": "opposer", "de": "widersprechen"}


def test_every_journey_locale_and_viewport_is_walked_to_the_end(cfg: config.Config, full_run: FullRun) -> None:
    walked = {w.locale for w in full_run.walks}
    assert walked == set(FULL_MATRIX_LOCALES) and len(full_run.walks) == len(cfg.journeys) * len(walked) * 2
    trouble = [
        f"{w.journey}/{w.locale}/{w.viewport}: {o.step} {o.status.value} {o.error}"
        for w in full_run.walks
        for o in w.observations
        if o.status is not Status.OK
    ]
    assert trouble == []


def test_the_tracked_link_is_the_word_object_in_each_language_and_leads_to_the_form(full_run: FullRun) -> None:
    for platform, form in (("facebook", FB_FORM), ("instagram", IG_FORM)):
        for locale, word in OBJECT_WORD.items():
            for viewport in ("desktop", "mobile"):
                walk = full_run.walk(f"{platform}-privacy-center", locale, viewport)
                link = next(o for o in walk.observations if o.tracked)
                assert link.target is not None
                assert link.target.role == "link"
                assert link.target.text.lower() == word
                assert link.target.leads_to == form
                assert word in link.target.sentence.lower()
                assert link.target.context, "the link's place (landmarks, headings) is recorded"
                assert link.images is not None and link.images.target is not None


def test_an_observation_records_what_a_reader_and_the_dom_see(full_run: FullRun) -> None:
    walk = full_run.walk("facebook-privacy-center", "en", "desktop")
    link = next(o for o in walk.observations if o.step == "object-link")
    assert link.url == "https://www.facebook.com/privacy/center/"
    assert link.title
    assert any("Privacy Center" in h for h in link.headings)
    assert link.target is not None and link.target.box is not None
    assert link.target.box.width > 0 and link.target.box.height > 0
    assert "link" in link.target.aria and "object" in link.target.aria
    assert re.fullmatch(r"[0-9a-f]{16}", link.images.page_phash if link.images else "")
    folder = full_run.out / store.OBSERVATIONS / "facebook-privacy-center/en/desktop"
    assert link.images is not None and link.images.target_clip is not None
    clip = link.images.target_clip
    with Image.open(folder / "object-link.target.png") as shot:
        assert shot.size == (1280, 800), "the target image is one screen around the target, not the page"
    box = link.target.box
    assert clip.x <= box.x and box.x + box.width <= clip.x + clip.width, "the target is inside its image"
    assert clip.y <= box.y and box.y + box.height <= clip.y + clip.height


def test_send_is_below_the_fold_on_a_phone_and_pressed_only_on_the_replica(
    full_run: FullRun, cfg: config.Config
) -> None:
    phone_height = 839
    for platform in ("facebook", "instagram"):
        mobile = full_run.walk(f"{platform}-privacy-center", "en", "mobile")
        send = next(o for o in mobile.observations if o.step == "send")
        assert send.target is not None and send.target.box is not None
        assert send.target.box.y > phone_height
        confirmation = next(o for o in mobile.observations if o.step == "confirmation")
        assert confirmation.status is Status.OK


def test_the_form_is_never_sent_on_a_real_origin(cfg: config.Config, replica: Replica) -> None:
    """Same pages, but the walker is told no host is a stand-in: Send is recorded, not pressed."""
    before = len(replica.server.submissions)  # type: ignore[attr-defined]
    journey = cfg.journey("facebook-privacy-center")
    state, _ = browser.load_storage_state("facebook", cfg, replica.states)
    with browser.launched() as session:
        context = browser.new_context(session, cfg, "en", "desktop", state, replica.stand_ins)
        walk, _ = Walker(cfg, {}).walk(context, journey, "en", "desktop")
        context.close()
    send = next(o for o in walk.observations if o.step == "send")
    assert send.status is Status.SKIPPED and "never on the real site" in (send.error or "")
    assert send.target is not None and send.target.name == "Send"
    assert next(o for o in walk.observations if o.step == "confirmation").status is Status.SKIPPED
    assert len(replica.server.submissions) == before  # type: ignore[attr-defined]


def _mask_share(png: Path, box: dict[str, float]) -> float:
    """Share of the box's pixels painted in the mask colour."""
    with Image.open(png) as img:
        inner = img.convert("RGB").crop(
            (int(box["x"]) + 2, int(box["y"]) + 2, int(box["x"] + box["width"]) - 2, int(box["y"] + box["height"]) - 2)
        )
    colour = tuple(int(MASK_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    counts = inner.getcolors(maxcolors=inner.width * inner.height) or []
    painted = sum(n for n, c in counts if c == colour)
    return painted / max(1, inner.width * inner.height)


def _flat_share(png: Path, box: dict[str, float]) -> float:
    """Share of the box's pixels in its most common colour: 1.0 for a box painted flat (under a dimmed
    backdrop the paint is not the mask colour itself, and no letter is left either)."""
    with Image.open(png) as img:
        inner = img.convert("RGB").crop(
            (int(box["x"]) + 2, int(box["y"]) + 2, int(box["x"] + box["width"]) - 2, int(box["y"] + box["height"]) - 2)
        )
    counts = inner.getcolors(maxcolors=inner.width * inner.height) or []
    return max((n for n, _ in counts), default=0) / max(1, inner.width * inner.height)


def test_the_prefilled_email_is_masked_in_every_screenshot(
    cfg: config.Config, replica: Replica, full_run: FullRun
) -> None:
    """Find the e-mail field on the form ourselves, then check the monitor painted it over."""
    state, _ = browser.load_storage_state("facebook", cfg, replica.states)
    seen: list[str] = []  # the pictures that show the field (the first screen or the clip around a target)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser.find_browser(None, p), args=browser.LAUNCH_ARGS)
        for viewport in ("desktop", "mobile"):
            ctx = b.new_context(**browser.context_options(cfg, "en", viewport, p.devices), storage_state=state)
            ctx.route("**/*", browser._router(replica.stand_ins.host_map(cfg)))
            page = ctx.new_page()
            page.goto(FB_FORM)
            field = page.locator('input[type="email"]')
            field.wait_for()
            assert field.input_value() == "jane.example@example.com"
            box = page.evaluate(
                "() => { const r = document.querySelector('input[type=email]').getBoundingClientRect();"
                " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }"
            )
            ctx.close()
            tree = store.read_tree(full_run.out / store.OBSERVATIONS)
            for step in ("form", "send"):
                obs = tree.observations[ObservationKey("facebook-privacy-center", "en", viewport, step)]
                shots = [(tree.image(obs, "page"), {"x": 0, "y": 0})]
                if obs.images is not None and obs.images.target_clip is not None:
                    shots.append((tree.image(obs, "target"), obs.images.target_clip.model_dump()))
                for png, origin in shots:
                    assert png is not None
                    local = {**box, "x": box["x"] - origin["x"], "y": box["y"] - origin["y"]}
                    with Image.open(png) as img:
                        inside = local["y"] >= 0 and local["y"] + local["height"] <= img.height
                    if inside:
                        seen.append(f"{viewport}/{step}")
                        assert _mask_share(png, local) > 0.98, f"e-mail legible in {png}"
        b.close()
    assert "desktop/form" in seen and len(seen) >= 3, seen


def test_the_account_name_is_masked_wherever_it_shows(cfg: config.Config, replica: Replica, full_run: FullRun) -> None:
    """Instagram's home shows the account's user name and name beside its avatar: both painted over."""
    state, _ = browser.load_storage_state("instagram", cfg, replica.states)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser.find_browser(None, p), args=browser.LAUNCH_ARGS)
        ctx = b.new_context(**browser.context_options(cfg, "en", "desktop", p.devices), storage_state=state)
        ctx.route("**/*", browser._router(replica.stand_ins.host_map(cfg)))
        page = ctx.new_page()
        page.goto("https://www.instagram.com/")
        boxes = []
        for text in ("Jane Example", "jane.example"):
            el = page.get_by_text(text, exact=True).first
            el.wait_for()
            boxes.append(
                el.evaluate(
                    "e => { const r = e.getBoundingClientRect();"
                    " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }"
                )
            )
        b.close()
    png = full_run.out / store.OBSERVATIONS / "instagram-privacy-center/en/desktop/home.page.png"
    for box in boxes:  # painted with its row (privacy.py: people), seen through the cookie dialog's backdrop
        assert _flat_share(png, box) > 0.95, f"name legible in {png} at {box}"


def test_the_profile_s_name_and_picture_are_masked_on_a_phone(
    cfg: config.Config, replica: Replica, full_run: FullRun
) -> None:
    """The phone path passes the person's own profile (its ☰ opens the menu): the user name, the name
    and the profile picture there are painted over in the screenshot of that step."""
    state, _ = browser.load_storage_state("instagram", cfg, replica.states)
    box_js = (
        "e => { const r = e.getBoundingClientRect();"
        " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser.find_browser(None, p), args=browser.LAUNCH_ARGS)
        ctx = b.new_context(**browser.context_options(cfg, "en", "mobile", p.devices), storage_state=state)
        ctx.route("**/*", browser._router(replica.stand_ins.host_map(cfg)))
        page = ctx.new_page()
        page.goto("https://www.instagram.com/jane.example/")
        page.get_by_role("button", name="Options").wait_for()
        boxes = [page.get_by_text(text, exact=True).first.evaluate(box_js) for text in ("Jane Example", "jane.example")]
        boxes.append(page.get_by_role("main").get_by_role("img", name="Your profile").evaluate(box_js))
        b.close()
    png = full_run.out / store.OBSERVATIONS / "instagram-privacy-center/en/mobile/options.page.png"
    for box in boxes:
        assert _mask_share(png, box) > 0.95, f"legible in {png} at {box}"


def test_a_missing_login_is_reported_as_blocked_not_as_a_change(
    cfg: config.Config, replica: Replica, tmp_path: Path
) -> None:
    check = runner.Check(cfg, "monitor.yaml", replica.stand_ins, {}, workers=1)
    combos = runner.plan(cfg, ["facebook-privacy-center", "facebook-genai"], ["en"], ["desktop"])
    walks = check.run(combos, tmp_path)
    private, public = walks
    first_blocked = next(o for o in private.observations if o.status is Status.BLOCKED)
    assert first_blocked.reason is BlockReason.LOGIN and "optout-monitor auth facebook" in (first_blocked.error or "")
    assert all(o.status is Status.SKIPPED for o in private.observations[first_blocked.index + 1 :])
    assert public.ok, "public pages need no login"


def test_the_consent_dialog_is_dismissed_by_declining(full_run: FullRun) -> None:
    for locale, name in (
        ("en", "Decline optional cookies"),
        ("fr", "Refuser les cookies optionnels"),
        ("de", "Optionale Cookies ablehnen"),
    ):
        walk = full_run.walk("instagram-privacy-center", locale, "mobile")
        consent = next(o for o in walk.observations if o.step == "consent")
        assert consent.target is not None and consent.target.name == name
        assert consent.target.context and consent.target.context[0].startswith("dialog")


def test_walking_an_unchanged_replica_again_gives_identical_bytes(
    cfg: config.Config, replica: Replica, full_run: FullRun, tmp_path: Path
) -> None:
    combos = runner.plan(cfg, ["facebook-privacy-center", "instagram-privacy-center"], ["de"], [])
    check = runner.Check(cfg, "monitor.yaml", replica.stand_ins, replica.states, workers=2)
    check.run(combos, tmp_path)
    compared = 0
    for combo in combos:
        again = store.combo_dir(tmp_path / store.OBSERVATIONS, combo.journey, combo.locale, combo.viewport)
        first = store.combo_dir(full_run.out / store.OBSERVATIONS, combo.journey, combo.locale, combo.viewport)
        names = sorted(p.name for p in first.iterdir())
        assert names == sorted(p.name for p in again.iterdir())
        for name in names:
            assert (first / name).read_bytes() == (again / name).read_bytes(), f"{combo}/{name} differs"
            compared += 1
    assert compared > 40


def test_screenshots_are_pngs_of_the_css_page_size(full_run: FullRun) -> None:
    png = full_run.out / store.OBSERVATIONS / "facebook-privacy-center/en/mobile/object-link.page.png"
    with Image.open(io.BytesIO(png.read_bytes())) as img:
        assert img.format == "PNG" and img.width == 412


def test_a_consent_answer_is_the_cookies_its_click_set_and_a_context_given_it_shows_no_dialog(
    cfg: config.Config, replica: Replica
) -> None:
    """The quick look's reads start where a person who answered the cookie dialog once is (stuck.Answers):
    what the click set, never a cookie that picks the language (a German read must stay German)."""
    consent = cfg.sites["facebook"].consent
    assert consent is not None
    with browser.launched() as session:
        first = browser.new_context(session, cfg, "en", "desktop", None, replica.stand_ins)
        page = first.new_page()
        page.goto("https://www.facebook.com/", wait_until="domcontentloaded")
        found = locate.wait_for(page, consent, "en", 5000)
        assert found is not None, "a fresh context is asked"
        found.locator.evaluate("b => b.addEventListener('click', () => { document.cookie = 'locale=en_GB; path=/'; })")
        answered = stuck.answer_consent(page, found, 5000, 10000)
        assert [c["name"] for c in answered] == ["datr_consent"]
        state = WalkState(page, answered=answered)
        answers = stuck.Answers()
        answers.add("facebook", state)
        assert state.answered == [] and [c["name"] for c in answers.of("facebook")] == ["datr_consent"]
        assert answers.of("instagram") == []
        second = browser.new_context(session, cfg, "de", "desktop", None, replica.stand_ins)
        second.add_cookies(answers.of("facebook"))
        other = second.new_page()
        other.goto("https://www.facebook.com/", wait_until="domcontentloaded")
        settle.settle(other, 10000)
        assert locate.find(other, consent, "de") is None and locate.unanswered_consent(other, consent, "de") is None
        assert other.evaluate("document.documentElement.lang").startswith("de")
        first.close()
        second.close()


def test_a_cookie_button_is_seen_however_its_name_is_made_and_words_alone_are_not_one() -> None:
    """locate.any_present answers a page whose words hold none of the names without the role query:
    a name made of block children, an aria-label, an open shadow root or a soft hyphen is still seen."""
    spec = config.TargetSpec(role="button", name={"en": ["Decline optional cookies"]})
    shadow = (
        "<div id=h></div><script>document.getElementById('h').attachShadow({mode: 'open'}).innerHTML ="
        " '<button>Decline optional cookies</button>'</script>"
    )
    pages = {
        "<button><div>Decline</div><div>optional cookies</div></button>": True,
        "<button aria-label='Decline optional cookies'>×</button>": True,
        "<input type=button value='Decline optional cookies'>": True,
        shadow: True,
        "<button>Decline op\u00adtional  cookies</button>": True,
        "<p>Decline optional cookies</p><button>OK</button>": False,  # the words, but no such button
        "<main><h1>Privacy Center</h1><button>Settings</button></main>": False,
    }
    with browser.launched() as session:
        page = session.browser.new_page()
        for html, present in pages.items():
            page.set_content(html)
            assert locate.any_present(page, [spec], "en") is present, html
            assert (locate.find(page, spec, "en", frames=False) is not None) is present, html
        page.close()


def test_a_page_is_taken_as_still_early_only_when_nothing_it_scheduled_can_change_it(
    cfg: config.Config, replica: Replica
) -> None:
    """settle.PENDING_JS: a second render pass a timer brings 120 ms after load is waited for; a timer
    cleared, an interval due later than the wait, or nothing at all is no reason to wait."""
    with browser.launched() as session:
        context = browser.new_context(session, cfg, "en", "desktop", None, replica.stand_ins)
        page = context.new_page()
        page.set_content("<p id=p>first pass</p>")
        # scheduled and asked in one task, so a loaded machine cannot let the timer run in between
        second_pass = "setTimeout(() => { document.getElementById('p').textContent = 'second pass'; }, 120)"
        assert page.evaluate(f"() => {{ {second_pass}; return window.__omBusy(150); }}") is True
        settle.settle(page, 5000)
        assert page.text_content("#p") == "second pass"
        assert page.evaluate("window.__omBusy(150)") is False
        assert page.evaluate("() => { setInterval(() => {}, 1000); return window.__omBusy(150); }") is False
        assert page.evaluate("() => { clearTimeout(setTimeout(() => {}, 40)); return window.__omBusy(150); }") is False
        assert page.evaluate("() => { setTimeout(() => {}, 40); return window.__omBusy(150); }") is True
        page.wait_for_timeout(60)
        assert page.evaluate("() => { requestAnimationFrame(() => {}); return window.__omBusy(150); }") is True
        assert page.evaluate("setTimeout.name") == "setTimeout"  # the page's own function, called unchanged
        context.close()
