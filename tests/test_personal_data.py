"""Safe with a real account: redaction, painted screenshots, the OCR gate, Send only on loopback, login states."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import sync_playwright
from typer.testing import CliRunner

from monitor import config, imaging, runner, store
from monitor.cli import app
from monitor.guard import gate, sendguard
from monitor.guard.redact import EMAIL, FIRST, HANDLE, LAST, PHONE, Identity, LearnedDigests
from monitor.model import Observation, Status, Target
from monitor.replica import make_server
from monitor.replica.instagram import STORIES
from monitor.walk import browser
from monitor.walk.browser import BrowserError, StandIns

from .conftest import ROOT, FullRun, Replica
from .runs import INFO, synthetic_run

JANE = Identity.parse("Jane Example|jane.example")
TOKENS = ("jane", "example", "jane.example")


# --------------------------------------------------------------------------- redaction, pure


def test_each_name_token_is_redacted_on_its_own_in_any_case_and_accent() -> None:
    assert JANE.redact("What's on your mind, Jane?") == f"What's on your mind, {FIRST}?"
    assert JANE.redact("JANE EXAMPLE posted") == f"{FIRST} {LAST} posted"
    assert JANE.redact("Jäne Exämple") == f"{FIRST} {LAST}"
    assert JANE.redact("Janet and Janeway stay") == "Janet and Janeway stay"


def test_user_names_e_mail_addresses_and_phone_numbers_get_stable_placeholders() -> None:
    text = 'textbox "Email": jane.example@example.com; see instagram.com/jane.example/; +49 151 23456789'
    once = JANE.redact(text)
    assert once == f'textbox "Email": {EMAIL}; see instagram.com/{HANDLE}/; {PHONE}'
    assert JANE.redact(once) == once
    assert Identity().redact("write to someone@else.org") == f"write to {EMAIL}"


def test_dates_counters_and_ids_in_urls_are_not_phone_numbers() -> None:
    assert JANE.redact("on 2025-05-27 at 17:05, 1,024 likes") == "on 2025-05-27 at 17:05, 1,024 likes"
    form = "https://www.facebook.com/help/contact/712876720715583"
    assert JANE.redact(form) == form


def test_a_redacted_observation_keeps_the_monitors_own_names() -> None:
    obs = Observation(
        journey="facebook-privacy-center",
        site="facebook",
        locale="en",
        viewport="desktop",
        step="account-menu",
        index=2,
        action="click",
        status=Status.OK,
        title="Jane Example | Facebook",
        target=Target(role="link", name="Jane Example", text="Jane", matched="Jane", aria="- text: Jane Example"),
    )
    out = Identity.parse("Jane Example|account-menu").redact_record(obs)
    assert out.step == "account-menu" and out.target is not None and out.target.matched == "Jane"
    assert out.title == f"{FIRST} {LAST} | Facebook"
    assert out.target.aria == f"- text: {FIRST} {LAST}" and out.target.text == FIRST


def test_find_names_the_place_and_kind_never_the_token() -> None:
    hits = gate.scan_text(Path("x.md"), "line one\nHello, Jane!\n", JANE)
    assert [str(h) for h in hits] == ["x.md: name at line 2, column 8"]


# --------------------------------------------------------------------------- the gate on images


def _picture(text: str, painted: bool = False) -> bytes:
    img = Image.new("RGB", (520, 90), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype("DejaVuSans.ttf", 24)
    draw.text((16, 28), text, fill=(40, 40, 40), font=font)
    if painted:
        draw.rectangle((300, 20, 520, 70), fill="#6b6f76")
    from monitor.imaging import to_png

    return to_png(img)


def test_the_gate_reads_a_first_name_in_an_image_and_a_painted_one_passes(tmp_path: Path) -> None:
    seen = _picture("What's on your mind, Jane?")
    painted = _picture("What's on your mind, Jane?", painted=True)
    with pytest.raises(gate.GateError) as caught:
        gate.check([(tmp_path / "home.page.png", seen)], Identity.parse("Jane"))
    message = str(caught.value)
    assert "home.page.png: name at pixels x=" in message and "jane" not in message.lower()
    assert gate.check([(tmp_path / "home.page.png", painted)], Identity.parse("Jane")).hits == []


def test_the_gate_refuses_a_text_file_with_the_user_name(tmp_path: Path) -> None:
    with pytest.raises(gate.GateError, match=r"step\.json: user name at line 1"):
        gate.check([(tmp_path / "step.json", b'{"url": "https://www.instagram.com/jane.example/"}')], JANE)


def test_the_gate_finds_a_name_it_holds_only_as_a_salted_digest(tmp_path: Path) -> None:
    learned = LearnedDigests.of(JANE)  # what run.json keeps of the names a walk read off the pages
    assert len(learned.entries) == 3 and not any(t in " ".join(learned.entries) for t in TOKENS)
    with pytest.raises(gate.GateError) as caught:
        gate.check([(tmp_path / "home.page.png", _picture("What's on your mind, Jane?"))], Identity(), learned=learned)
    assert "home.page.png: name at pixels x=" in str(caught.value) and "jane" not in str(caught.value).lower()
    with pytest.raises(gate.GateError, match=r"step\.json: user name at line 1"):
        gate.check(
            [(tmp_path / "step.json", b'{"url": "https://www.instagram.com/jane.example/"}')], None, learned=learned
        )
    painted = _picture("What's on your mind, Jane?", painted=True)
    assert gate.check([(tmp_path / "home.page.png", painted)], Identity(), learned=learned).hits == []


# --------------------------------------------------------------------------- Send only on loopback


def test_a_site_that_is_not_loopback_is_refused_with_exit_2() -> None:
    result = CliRunner().invoke(
        app,
        [
            "check",
            "--out",
            "/tmp/unused-om",
            "--site",
            "facebook=https://www.facebook.com",
            "-c",
            str(ROOT / "monitor.yaml"),
        ],
    )
    assert result.exit_code == 2
    assert "www.facebook.com is not a loopback address" in result.output
    assert "--allow-remote-stand-in" in result.output


def test_loopback_names_and_addresses_pass_and_others_need_the_override(cfg: config.Config) -> None:
    assert browser.parse_site_options(["facebook=http://localhost:9"], cfg).sites
    assert browser.parse_site_options(["facebook=http://[::1]:9"], cfg).sites
    with pytest.raises(ValueError, match="not a loopback address"):
        browser.parse_site_options(["facebook=http://192.0.2.10:9"], cfg)
    assert browser.parse_site_options(["facebook=http://192.0.2.10:9"], cfg, allow_remote=True).sites


def test_send_is_decided_by_what_the_stand_in_resolves_to() -> None:
    hosts = {"www.facebook.com": "http://standin.test:8765"}
    page = "https://www.facebook.com/help/contact/"
    assert sendguard.send_refusal(page, hosts, lambda h: ["127.0.0.1", "::1"]) is None
    refused = sendguard.send_refusal(page, hosts, lambda h: ["127.0.0.1", "192.0.2.10"])
    assert refused is not None and "does not resolve to loopback" in refused
    assert sendguard.send_refusal(page, hosts, lambda h: []) is not None
    assert "not answered by a stand-in" in (sendguard.send_refusal(page, {}, lambda h: ["127.0.0.1"]) or "")


# --------------------------------------------------------------------------- login states


@pytest.mark.parametrize(
    ("value", "shape"),
    [
        ('[{"name": "c_user", "value": "SECRET-COOKIE"}]', "JSON of the wrong shape (list)"),
        ('{"name": "c_user", "value": "SECRET-COOKIE"}', "JSON of the wrong shape (dict without a cookies list)"),
        ('{"cookies": [{"value": "SECRET-COOKIE"', "neither valid JSON nor the path of a readable file"),
        ("c_user=SECRET-COOKIE; xs=SECRET-COOKIE", "neither valid JSON nor the path of a readable file"),
    ],
)
def test_a_login_state_of_the_wrong_shape_names_the_variable_and_prints_none_of_it(
    cfg: config.Config, monkeypatch: pytest.MonkeyPatch, value: str, shape: str
) -> None:
    monkeypatch.setenv("OPTOUT_FACEBOOK_STORAGE_STATE", value)
    with pytest.raises(BrowserError) as caught:
        browser.load_storage_state("facebook", cfg)
    message = str(caught.value)
    assert "$OPTOUT_FACEBOOK_STORAGE_STATE" in message and shape in message
    assert "SECRET" not in message and "c_user" not in message


def test_a_login_state_in_the_environment_is_json_or_a_path(
    cfg: config.Config, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    state = {"cookies": [{"name": "c_user", "value": "1"}], "origins": []}
    monkeypatch.setenv("OPTOUT_FACEBOOK_STORAGE_STATE", "  " + json.dumps(state))
    assert browser.load_storage_state("facebook", cfg)[0] == state
    path = tmp_path / "facebook.json"
    path.write_text(json.dumps(state))
    monkeypatch.setenv("OPTOUT_FACEBOOK_STORAGE_STATE", str(path))
    assert browser.load_storage_state("facebook", cfg) == (state, "$OPTOUT_FACEBOOK_STORAGE_STATE")


def test_check_warns_when_a_login_state_lies_inside_the_checkout(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    no_browser = tmp_path / "no-browser"
    (repo / "monitor.yaml").write_text((ROOT / "monitor.yaml").read_text() + f"browser: {no_browser}\n")
    inside = repo / "facebook.json"
    inside.write_text('{"cookies": []}')
    result = CliRunner().invoke(
        app,
        [
            "check",
            "--out",
            str(tmp_path / "run"),
            "-c",
            str(repo / "monitor.yaml"),
            "-j",
            "facebook-privacy-policy",
            "--storage-state",
            f"facebook={inside}",
        ],
    )
    assert result.exit_code == 2  # no browser: it stops before walking, after the warnings
    assert "--storage-state facebook lies inside the checkout" in " ".join(result.output.split())
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "/facebook.json" in ignored and "*.replica-state.json" in ignored


# --------------------------------------------------------------------------- walks against the replica


def _files(root: Path) -> Iterator[Path]:
    return (p for p in sorted(root.rglob("*")) if p.is_file())


def _text_hits(root: Path) -> list[str]:
    """A plain grep for the tokens in every file but the images (embedded base64 images left out)."""
    found = []
    for p in _files(root):
        if p.suffix == ".png":
            continue
        text = gate.DATA_URI.sub("", p.read_text(encoding="utf-8", errors="replace")).lower()
        found += [f"{p}: {t}" for t in TOKENS if t in text]
    return found


@pytest.fixture(scope="module")
def walks(cfg: config.Config, replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The logged-in Facebook journey (en, desktop) walked with redaction on and off; the stand-in
    named `localhost`, a host name that resolves to loopback."""
    replica.set_variant("baseline-2025")
    port = replica.url.rsplit(":", 1)[1]
    stand_ins = StandIns({"facebook": f"http://localhost:{port}", "instagram": f"http://localhost:{port}"})
    combos = runner.plan(cfg, ["facebook-privacy-center"], ["en"], ["desktop"])
    out: dict[str, Path] = {}
    for mode in ("on", "off"):
        folder = tmp_path_factory.mktemp(f"redaction-{mode}")
        runner.Check(cfg, "monitor.yaml", stand_ins, replica.states, redaction=mode == "on").check(combos, folder)
        out[mode] = folder
    yield out


def test_a_redacted_run_holds_no_identity_token_in_any_text_file(walks: dict[str, Path]) -> None:
    assert _text_hits(walks["on"]) == []
    info = store.read_run_info(walks["on"])  # what accept needs to refuse a run walked without the name
    assert info.logged_in == ["facebook-privacy-center/en/desktop"] and info.unmasked == []
    assert _text_hits(walks["off"]), "the unredacted run should show the account"
    report_md = (walks["on"] / "report.md").read_text()
    assert "facebook-privacy-center" in report_md


def test_the_gate_passes_the_redacted_run_and_refuses_the_same_run_unmasked(
    walks: dict[str, Path], tmp_path: Path
) -> None:
    snaps = tmp_path / "snapshots"
    accepted = store.accept(walks["on"], snaps)
    assert accepted.walks == ["facebook-privacy-center/en/desktop"]
    assert _text_hits(snaps) == []
    for who in (JANE, Identity.parse("Jane")):  # the first name alone is found too
        clean = gate.check_tree([snaps], who)
        assert clean.images >= 8 and clean.hits == []
        caught = gate.scan(gate.read_files(_files(walks["off"] / "observations")), who)
        images_hit = {h.path.name for h in caught.hits if h.where.startswith("pixels")}
        assert {"home.page.png", "settings-and-privacy.page.png"} <= images_hit
    result = CliRunner().invoke(app, ["accept", str(walks["off"]), "--snapshots", str(tmp_path / "unsafe")])
    assert result.exit_code == 3
    assert "refused accepting" in result.output and "jane" not in result.output.lower()
    assert not (tmp_path / "unsafe").exists()


def test_accept_reads_pictures_for_the_names_the_walk_read_off_the_pages(
    walks: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The account's names the logged-in walk read itself (its profile link, a pre-filled e-mail)
    reach the gate of `accept` through run.json, as salted digests: a picture that shows them is
    refused whatever $OPTOUT_MASK_TEXT says, and no committed or run file holds them in clear."""
    run = tmp_path / "run"
    shutil.copytree(walks["on"], run)
    info = store.read_run_info(run)
    assert len(info.learned) >= 3  # jane, example, jane.example (and the pre-filled address)
    assert _text_hits(run) == [], "the learned names are kept as digests only"
    # the painting failed on one picture: the unpainted one, with its sha256 recorded as captured
    home = store.combo_dir(run / store.OBSERVATIONS, "facebook-privacy-center", "en", "desktop")
    unpainted = store.combo_dir(walks["off"] / store.OBSERVATIONS, "facebook-privacy-center", "en", "desktop")
    data = (unpainted / "home.page.png").read_bytes()
    (home / "home.page.png").write_bytes(data)
    for step in home.glob("*.json"):  # every step that shares the picture records its sha256
        obs = store.load_observation(step)
        if obs.images.page == "home.page.png":
            images = obs.images.model_copy(update={"page_sha256": imaging.sha256(data)})
            step.write_bytes(obs.model_copy(update={"images": images}).canonical_json().encode())
    for value in ("Pat Quimby", None):  # another name configured, or none (the walk was not blind)
        if value is None:
            monkeypatch.delenv("OPTOUT_MASK_TEXT")
        else:
            monkeypatch.setenv("OPTOUT_MASK_TEXT", value)
        snaps = tmp_path / f"snapshots-{value}"
        result = CliRunner().invoke(app, ["accept", str(run), "--snapshots", str(snaps)])
        assert result.exit_code == 3, result.output
        assert "home.page.png: name at pixels" in result.output and "jane" not in result.output.lower()
        assert not any(snaps.rglob("*.png"))


def test_send_is_pressed_on_a_host_name_that_resolves_to_loopback(walks: dict[str, Path]) -> None:
    send = store.load_observation(walks["on"] / "observations/facebook-privacy-center/en/desktop/send.json")
    confirmation = store.load_observation(
        walks["on"] / "observations/facebook-privacy-center/en/desktop/confirmation.json"
    )
    assert send.status is Status.OK and confirmation.status is Status.OK


def _own_address() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("192.0.2.254", 9))  # no packet is sent: this only picks the outgoing interface
        return str(s.getsockname()[0])


def test_a_remote_stand_in_allowed_by_the_override_never_gets_send_pressed(
    cfg: config.Config, replica: Replica, tmp_path: Path
) -> None:
    address = _own_address()
    assert not sendguard.is_loopback_host(address)
    server = make_server(0, "baseline-2025", host=address)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://{address}:{server.server_port}"
        stand_ins = browser.parse_site_options([f"facebook={url}"], cfg, allow_remote=True)
        combos = runner.plan(cfg, ["facebook-privacy-center"], ["en"], ["desktop"])
        walk = runner.Check(cfg, "monitor.yaml", stand_ins, replica.states).run(combos, tmp_path)[0]
        send = next(o for o in walk.observations if o.step == "send")
        assert send.status is Status.SKIPPED and "does not resolve to loopback" in (send.error or "")
        assert next(o for o in walk.observations if o.step == "form").status is Status.OK
        assert server.submissions == []
    finally:
        server.shutdown()
        server.server_close()


def test_the_full_matrix_and_its_accepted_baseline_hold_no_identity_token(
    full_run: FullRun, baseline_dir: Path
) -> None:
    """Every journey × locale × viewport of the hardened replica: a plain grep finds no token in any
    text file, and the baseline exists at all only because the OCR gate read every image clean
    (store.accept refuses the whole write on one hit, with the first name alone included)."""
    assert _text_hits(full_run.out) == []
    assert _text_hits(baseline_dir) == []
    images = [p for p in _files(baseline_dir) if p.suffix == ".png"]
    assert len(images) >= 100
    assert gate.scan_text(Path("probe.txt"), "Jane wrote", Identity.parse("Jane")), "the tokens are searched"


def test_accept_refuses_a_logged_in_walk_run_without_the_accounts_name_and_names_the_fix(tmp_path: Path) -> None:
    blind = INFO.model_copy(update={"logged_in": ["synthetic/l00/desktop"], "unmasked": ["OPTOUT_MASK_TEXT"]})
    run = synthetic_run(tmp_path / "run", "blind", walks=1, steps=1, info=blind)
    snaps = tmp_path / "snaps"
    result = CliRunner().invoke(app, ["accept", str(run), "--snapshots", str(snaps)])
    assert result.exit_code == 3, result.output
    assert "$OPTOUT_MASK_TEXT unset" in result.output and "run check again" in result.output
    assert not any(snaps.glob("synthetic/*/*/*.png"))
    # the same run, walked with the name set, is accepted
    named = synthetic_run(tmp_path / "named", "blind", walks=1, steps=1, info=blind.model_copy(update={"unmasked": []}))
    assert CliRunner().invoke(app, ["accept", str(named), "--snapshots", str(snaps)]).exit_code == 0


@pytest.fixture(scope="module")
def instagram_walks(
    cfg: config.Config, replica: Replica, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Path]]:
    """The logged-in Instagram journey (en, desktop), walked with the account's name set and unset."""
    replica.set_variant("baseline-2025")
    combos = runner.plan(cfg, ["instagram-privacy-center"], ["en"], ["desktop"])
    out: dict[str, Path] = {}
    saved = os.environ.get("OPTOUT_MASK_TEXT", "")
    try:
        for mode, value in (("set", saved), ("unset", "")):
            os.environ["OPTOUT_MASK_TEXT"] = value
            folder = tmp_path_factory.mktemp(f"instagram-{mode}")
            runner.Check(cfg, "monitor.yaml", replica.stand_ins, replica.states).run(combos, folder)
            out[mode] = folder
    finally:
        os.environ["OPTOUT_MASK_TEXT"] = saved
    yield out


def test_no_picture_of_a_logged_in_walk_shows_the_accounts_or_other_peoples_names(
    instagram_walks: dict[str, Path],
) -> None:
    # other people (the suggestions, stories and feed) and the account, known here only to check
    people = Identity.parse("|".join(STORIES) + "|Jane Example|jane.example")
    for mode, folder in instagram_walks.items():
        pictures = [p for p in _files(folder / "observations") if p.suffix == ".png"]
        assert len(pictures) >= 8
        scan = gate.scan(gate.read_files(pictures), people)
        assert scan.hits == [], f"OPTOUT_MASK_TEXT {mode}: {[str(h) for h in scan.hits]}"


def test_accepting_a_logged_in_walk_commits_no_picture_with_a_name_or_refuses_naming_the_fix(
    instagram_walks: dict[str, Path], tmp_path: Path
) -> None:
    people = Identity.parse("|".join(STORIES) + "|Jane Example|jane.example")
    assert store.read_run_info(instagram_walks["set"]).learned, "the walk read the account's names off the pages"
    snaps = tmp_path / "snapshots"
    assert CliRunner().invoke(app, ["accept", str(instagram_walks["set"]), "--snapshots", str(snaps)]).exit_code == 0
    pictures = [p for p in _files(snaps) if p.suffix == ".png"]
    assert len(pictures) >= 8 and gate.scan(gate.read_files(pictures), people).hits == []
    unset = tmp_path / "unset"
    result = CliRunner().invoke(app, ["accept", str(instagram_walks["unset"]), "--snapshots", str(unset)])
    assert result.exit_code == 3 and "$OPTOUT_MASK_TEXT unset" in result.output, result.output
    assert not any(unset.rglob("*.png"))


def test_the_gate_reads_small_light_grey_names_as_the_sites_show_them(tmp_path: Path) -> None:
    """A 12 px caption in light grey beside an avatar: read at its own size, Tesseract missed 11 of 12."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import gate_recall

    caption = next(s for s in gate_recall.STYLES if s.name.startswith("caption"))
    caught = 0
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser.find_browser(None, p), args=browser.LAUNCH_ARGS)
        tab = b.new_page(viewport={"width": 420, "height": 80})
        for i, name in enumerate(gate_recall.NAMES):
            tab.set_content(gate_recall.page(name, caption))
            png = tab.screenshot()
            caught += bool(gate.scan([(tmp_path / f"{i}.page.png", png)], Identity.parse(name)).hits)
        b.close()
    assert caught >= len(gate_recall.NAMES) - 2, f"{caught}/{len(gate_recall.NAMES)}"
