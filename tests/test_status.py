"""status.json, the badges and the embed pages: what other guides can read or embed, honest as the pages."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import jsonschema
import pytest
from markupsafe import escape
from playwright.sync_api import sync_playwright

from monitor import config
from monitor.model import Change, Report, RunInfo, Verdict
from monitor.walk.browser import LAUNCH_ARGS, find_browser
from monitor.write import catalogs, embed, languages, site
from monitor.write.phrases import phrases
from tests.test_site import make_tree

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(embed.SCHEMA.read_text(encoding="utf-8"))
BASE = "https://example.github.io/optout-monitor/"


def validate(status: dict[str, object]) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(status)


def report(path: Path, finished: str, stand_in: bool, changes: list[tuple[str, str, str, Verdict]]) -> Path:
    run = RunInfo(
        started=finished,
        finished=finished,
        seconds=1.0,
        config="monitor.yaml",
        sites={"facebook": "http://127.0.0.1:8000"} if stand_in else {},
    )
    made = [
        Change(
            journey="facebook-objection",
            site=site_,
            locale=locale,
            viewport=vp,
            step="object-link",
            index=3,
            verdict=verdict,
            category=verdict.category,
            summary="x",
        )
        for site_, locale, vp, verdict in changes
    ]
    path.write_text(Report.build(run, made, []).model_dump_json(), encoding="utf-8")
    return path


def states(out: Path) -> dict[tuple[str, str], str]:
    data = json.loads((out / "status.json").read_text(encoding="utf-8"))
    validate(data)
    return {(p["platform"], p["locale"]): p["state"] for p in data["paths"]}


def test_a_stand_in_is_never_checked_and_a_newer_real_report_says_changed_or_broken(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "repo", with_changes=False)
    instructions = root / "instructions"
    dates = json.loads((instructions / "verified.json").read_text(encoding="utf-8"))
    dates["facebook/de/desktop"] = dates["facebook/de/mobile"] = "2025-06-01"
    (instructions / "verified.json").write_text(json.dumps(dates), encoding="utf-8")
    # de was rehearsed on the replica after its last real check: a rehearsal is never "checked"
    (instructions / "rehearsals.json").write_text(json.dumps({"facebook/de/mobile": "2025-06-03"}), encoding="utf-8")
    out = tmp_path / "site"
    site.build_site(root, out, BASE)
    got = states(out)
    assert got[("facebook", "en")] == "checked"
    assert got[("facebook", "fr")] == "not-checked", "only the phone was checked: the path is not"
    assert got[("facebook", "de")] == "not-checked", "rehearsed after the check"
    assert got[("instagram", "en")] == "not-checked"
    en = next(p for p in json.loads((out / "status.json").read_text())["paths"] if p["locale"] == "en")
    assert en["checked"] == "2025-06-02" and en["url"] == BASE + "en/facebook.html"

    # a replica's report that says everything broke: ignored, it says nothing about Meta's pages
    stand_in = report(
        tmp_path / "replica.json", "2025-07-01T10:00:00Z", True, [("facebook", "en", "mobile", Verdict.TARGET_GONE)]
    )
    site.build_site(root, out, BASE, report=stand_in)
    assert states(out)[("facebook", "en")] == "checked"

    # the real sites, after the last check: a reworded step is pending, a gone target needs a person
    real = report(
        tmp_path / "real.json",
        "2025-07-01T10:00:00Z",
        False,
        [("facebook", "en", "mobile", Verdict.REWORDED), ("facebook", "fr", "mobile", Verdict.TARGET_GONE)],
    )
    site.build_site(root, out, BASE, report=real)
    got = states(out)
    assert (got[("facebook", "en")], got[("facebook", "fr")]) == ("changed", "broken")
    assert 'aria-label="Facebook objection path: changed: guide update pending"' in (
        out / "badges" / "en" / "facebook.svg"
    ).read_text(encoding="utf-8")

    # a report older than the last check is history: the check after it decides
    old = report(tmp_path / "old.json", "2025-05-01T10:00:00Z", False, [("facebook", "en", "mobile", Verdict.BLOCKED)])
    site.build_site(root, out, BASE, report=old)
    assert states(out)[("facebook", "en")] == "checked"


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once for the tests that read it."""
    out = tmp_path_factory.mktemp("repo-site") / "site"
    site.build_site(ROOT, out, BASE)
    return out


def test_the_repository_has_a_status_badge_and_embed_page_for_every_platform_and_language(repo_site: Path) -> None:
    out = repo_site
    data = json.loads((out / "status.json").read_text(encoding="utf-8"))
    validate(data)
    cfg = config.load(ROOT / "monitor.yaml")
    locales = languages.page_locales(cfg)
    assert {(p["platform"], p["locale"]) for p in data["paths"]} == {
        (platform, locale) for platform in ("facebook", "instagram") for locale in locales
    }
    for path in data["paths"]:
        assert (out / path["badge"]).is_file() and (out / path["page"]).is_file()
        page = (out / path["embed"]).read_text(encoding="utf-8")
        assert f'<html lang="{path["locale"]}">' in page and "<script" not in page
        # the box holds the snippet as text; the preview shows it
        assert f"&lt;img src=&#34;{BASE}{path['badge']}&#34;" in page
        assert f'<img src="../../{path["badge"]}"' in page, "the preview loads the site's own copy"
        other = "fr" if path["locale"] != "fr" else "de"  # the same embed page in the other languages
        assert f'hreflang="{other}" href="../{other}/{path["platform"]}.html">' in page
        assert path["form_url"].startswith("https://")
        if path["labels"] == "missing":
            assert path["state"] == "not-checked"
    assert (out / embed.SCHEMA_FILE).read_bytes() == embed.SCHEMA.read_bytes()


def test_a_bad_report_or_journey_file_fails_the_site_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "report.json"
    bad.write_text("{}", encoding="utf-8")
    root = make_tree(tmp_path / "repo", with_changes=False)
    with pytest.raises(site.SiteError, match=re.escape(str(bad))):
        site.build_site(root, tmp_path / "out", report=bad)
    (root / "monitor.yaml").write_text("version: 1\n", encoding="utf-8")
    with pytest.raises(site.SiteError, match=re.escape(str(root / "monitor.yaml")) + r".*journeys: Field required"):
        site.build_site(root, tmp_path / "out")


# Badges as other sites show them: in Chromium at 412 px, light and dark, read back by OCR.
SAMPLE = [("en", "checked"), ("de", "not-checked"), ("fr", "broken")]


def ocr(png: Path, lang: str) -> str:
    done = subprocess.run(
        ["tesseract", str(png), "-", "-l", lang, "--psm", "6"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())


def test_badges_fit_a_412px_screen_and_read_in_light_and_dark(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "repo", with_changes=False)
    out = tmp_path / "site"
    real = report(
        tmp_path / "real.json", "2025-07-01T10:00:00Z", False, [("facebook", "fr", "mobile", Verdict.BLOCKED)]
    )
    site.build_site(root, out, BASE, report=real)
    data = {(p["locale"], p["platform"]): p for p in json.loads((out / "status.json").read_text())["paths"]}
    html = "".join(f'<p><img id="{loc}" src="badges/{loc}/facebook.svg" alt="x"></p>' for loc, _ in SAMPLE)
    (out / "badges.html").write_text(f"<!doctype html><body style='margin:16px'>{html}</body>", encoding="utf-8")
    expected = {
        "en": ("Facebook objection path", "checked 2 Jun 2025"),
        "de": ("Widerspruch bei Facebook", "noch nicht geprüft"),
        "fr": ("Opposition sur Facebook", "en panne : une personne"),
    }
    tess = {"en": "eng", "de": "deu", "fr": "fra"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(find_browser()), args=LAUNCH_ARGS)
        try:
            for scheme in ("light", "dark"):
                page = browser.new_page(
                    viewport={"width": 412, "height": 915}, color_scheme=scheme, device_scale_factor=2
                )
                page.goto((out / "badges.html").as_uri())
                for loc, state in SAMPLE:
                    assert data[(loc, "facebook")]["state"] == state
                    img = page.locator(f"#{loc}")
                    box = img.bounding_box()
                    assert box is not None and box["width"] > 100 and box["x"] + box["width"] <= 412 - 16
                    shot = tmp_path / f"{loc}-{scheme}.png"
                    img.screenshot(path=str(shot))
                    head, line = expected[loc]
                    read = ocr(shot, tess[loc])
                    assert head in read and line in read, (scheme, loc, read)
                page.close()
        finally:
            browser.close()


def test_the_status_schema_is_documented(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "status-schema.md").read_text(encoding="utf-8")
    for field in [*SCHEMA["$defs"]["path"]["properties"], *SCHEMA["$defs"]["viewport"]["properties"]]:
        assert f"`{field}`" in doc, field
    assert shutil.which("tesseract")


def test_every_language_has_its_feeds_and_a_landing_page_in_its_own_words(repo_site: Path) -> None:
    locales = languages.page_locales(config.load(ROOT / "monitor.yaml"))
    assert len(locales) == 24
    for locale in locales:
        for name in (f"feed-{locale}", f"facebook-{locale}", f"instagram-{locale}"):
            parsed = feedparser.parse((repo_site / f"{name}.atom").read_bytes())
            assert not parsed.bozo and parsed.feed.get("language") == locale, name
        landing = (repo_site / locale / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{locale}">' in landing and "<script" not in landing
        assert f"<h1>{escape(phrases(locale).all_pages)}</h1>" in landing
        for other in [o for o in locales if o != locale]:  # every other language, in its own name
            assert (
                f'hreflang="{other}" href="../{other}/index.html">{escape(catalogs.language_name(other))}</a>'
                in landing
            )


PICKS = [
    ("pl-PL", "pl/index.html"),
    ("el", "el/index.html"),
    ("ja-JP,pt-PT", "pt/index.html"),
    ("en-GB,fr", "index.html"),
    ("ja-JP", "index.html"),
]


def test_the_root_opens_the_readers_language_and_offers_all_without_script(repo_site: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(repo_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_port}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(find_browser()), args=LAUNCH_ARGS)
            try:
                for accept, landing in PICKS:
                    context = browser.new_context(locale=accept.split(",")[0])
                    page = context.new_page()
                    page.add_init_script(
                        f"Object.defineProperty(navigator, 'languages', {{get: () => {accept.split(',')!r}}})"
                    )
                    page.goto(root + "index.html")
                    page.wait_for_url(root + landing)
                    if landing != "index.html":  # back to the root from the site itself: no second redirect
                        page.get_by_role("link", name=phrases(landing[:2]).all_pages).first.click()
                        page.wait_for_load_state()
                        assert page.url == root + "index.html", accept
                    context.close()
                context = browser.new_context(java_script_enabled=False, locale="pl-PL")
                page = context.new_page()
                page.goto(root + "index.html")
                assert page.url == root + "index.html"
                page.get_by_role("link", name="Polski", exact=True).first.click()
                assert page.url == root + "pl/index.html"
                context.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass
