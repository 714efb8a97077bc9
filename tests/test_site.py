"""The Pages site: every page in every locale, images, changelog, feeds; crawled in Chromium at 1280 and 412 px."""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, sync_playwright
from typer.testing import CliRunner

from monitor import cli
from monitor.walk.browser import LAUNCH_ARGS, find_browser
from monitor.write import changelog, site
from monitor.write.changelog import ChangelogEntry

BASE_URL = "https://example.github.io/optout-monitor/"
REPO_URL = "https://github.com/example/optout-monitor"

PAGES = {
    ("en", "facebook"): ("How to object on Facebook", "Privacy Center", "object", "Send"),
    ("fr", "facebook"): ("Comment vous opposer sur Facebook", "Centre de confidentialité", "opposer", "Envoyer"),
    ("de", "facebook"): ("So widersprechen Sie auf Facebook", "Datenschutzcenter", "widersprechen", "Senden"),
    ("en", "instagram"): ("How to object on Instagram", "Privacy Center", "object", "Send"),
}


def screenshot(path: Path, width: int, height: int, label: str) -> None:
    """A stand-in for a masked screenshot: a page with a highlighted target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", (width, height), (240, 242, 245))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, width, 56), fill=(24, 119, 242))
    for i in range(6):
        draw.rectangle((40, 100 + i * 60, width - 40, 130 + i * 60), fill=(255, 255, 255))
    draw.rectangle((40, 100 + 3 * 60 - 8, 260, 138 + 3 * 60), outline=(230, 0, 0), width=5)
    draw.text((50, 100 + 3 * 60 + 5), label, fill=(24, 119, 242))
    img.save(path)


def page_text(locale: str, platform: str) -> str:
    title, center, word, send = PAGES[(locale, platform)]
    img = f"../images/{platform}/{locale}"
    other = "fr" if locale != "fr" else "en"
    lines = [
        f"# {title}",
        "",
        f"Checked in a real browser. Words quoted as Meta shows them: **“{word}”**.",
        "",
        "## Steps",
        "",
        f"1. Open the {center}: <https://www.facebook.com/privacy/center/>",
        f"2. Tap the blue word **{word}** in the notice.",
        "",
        f"   ![The “{word}” link on a computer]({img}/desktop/step-1.png)",
        "",
        f"   ![The “{word}” link on a phone]({img}/mobile/step-1.png)",
        "",
        f"3. Fill in the form and press **{send}**.",
        "",
        "| Step | What you see |",
        "|---|---|",
        f"| 1 | {center} |",
        f"| 2 | {word} |",
        "",
        "## If it looks different",
        "",
        "Scraped text stays text: <script>alert('x')</script> <img src=x onerror=alert(1)>",
        "",
        f"See [the same page in another language](../{other}/{platform}.md#steps), "
        f"[all instructions](../README.md) and [how this is checked](../../docs/forking.md).",
        "",
        "A very long address: https://www.facebook.com/help/contact/712876720715583?locale2=fr_FR&ref=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ]
    return "\n".join(lines) + "\n"


def make_tree(root: Path, with_changes: bool = True) -> Path:
    instructions = root / "instructions"
    for locale, platform in PAGES:
        page = instructions / locale / f"{platform}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(page_text(locale, platform), encoding="utf-8")
        word = PAGES[(locale, platform)][2]
        screenshot(instructions / "images" / platform / locale / "desktop" / "step-1.png", 1280, 800, word)
        screenshot(instructions / "images" / platform / locale / "mobile" / "step-1.png", 412, 915, word)
    # fr and de exist only for facebook here, so the "other language" link of instagram/en points to fr/facebook
    (instructions / "en" / "instagram.md").write_text(
        page_text("en", "instagram").replace("../fr/instagram.md#steps", "../fr/facebook.md#steps"), encoding="utf-8"
    )
    (instructions / "README.md").write_text(
        "# Object to Meta using your posts for AI training\n\n"
        "| | English | Français | Deutsch |\n|---|---|---|---|\n"
        "| Facebook | [en](en/facebook.md) | [fr](fr/facebook.md) | [de](de/facebook.md) |\n"
        "| Instagram | [en](en/instagram.md) | | |\n",
        encoding="utf-8",
    )
    (instructions / "verified.json").write_text(
        json.dumps(
            {
                "facebook/en/desktop": "2025-06-02",
                "facebook/en/mobile": "2025-06-02",
                "facebook/fr/mobile": "2025-06-01",
            }
        ),
        encoding="utf-8",
    )
    if with_changes:
        for entry in entries():
            changelog.write(root, entry)
    return root


def entries() -> list[ChangelogEntry]:
    return [
        ChangelogEntry(
            id="3f2a9c0d1b7e4a55",
            when="2025-06-01T06:17:00Z",
            platform="facebook",
            locale="fr",
            viewport="mobile",
            journey="facebook-privacy-center",
            step="object-link",
            verdict="reworded",
            summary="The link that opens the form now reads “vous opposer”",
            old_text="opposer",
            new_text="vous opposer",
            old_place=["Centre de confidentialité", "IA chez Meta"],
            new_place=["Centre de confidentialité", "IA chez Meta"],
            images=["instructions/images/facebook/fr/mobile/step-1.png"],
            pages=["instructions/fr/facebook.md"],
            pr_url="https://github.com/example/optout-monitor/pull/12",
        ),
        ChangelogEntry(
            id="9be1d2c3a4f50617",
            when="2025-06-02T12:00:00+00:00",
            platform="instagram",
            locale="en",
            viewport="desktop",
            journey="instagram-privacy-center",
            step="object-link",
            verdict="moved",
            summary="<b>Moved</b> & renamed: <script>alert(1)</script>",
            old_text="object",
            new_text="object",
            old_place=["Privacy Center", "AI at Meta"],
            new_place=["Privacy Center", "Your information", "AI at Meta"],
            pages=["instructions/en/instagram.md"],
            commit="0123456789abcdef0123456789abcdef01234567",
        ),
        ChangelogEntry(
            id="77aa00bb11cc22dd",
            when="2025-05-28T09:30:00",
            platform="facebook",
            locale="de",
            viewport="desktop",
            journey="facebook-privacy-center",
            step="send",
            verdict="step-added",
            summary="A confirmation step appeared before the form",
            new_text="Weiter",
            old_leads_to="https://www.facebook.com/help/contact/1",
            new_leads_to="https://www.facebook.com/help/contact/2",
        ),
    ]


# --------------------------------------------------------------------------- building


@pytest.fixture(autouse=True)
def _no_actions_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (site.SITE_URL_ENV, "GITHUB_SERVER_URL", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = make_tree(tmp_path / "repo")
    out = tmp_path / "site"
    site.build_site(root, out, BASE_URL, REPO_URL)
    return out


def test_every_page_in_every_locale_becomes_html_with_its_images(built: Path) -> None:
    for locale, platform in PAGES:
        html = (built / locale / f"{platform}.html").read_text()
        assert f'<html lang="{locale}">' in html
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert f"<title>{PAGES[(locale, platform)][0]} · " in html
        for viewport in ("desktop", "mobile"):
            image = f"images/{platform}/{locale}/{viewport}/step-1.png"
            assert f'src="../{image}"' in html
            assert (built / image).read_bytes() == (built.parent / "repo" / "instructions" / image).read_bytes()
        assert 'href="../index.html"' in html
        assert not re.findall(r'href="(?!https://)[^"]*\.md[#"]', html), "no link to a Markdown file is left"
        # the platform's feed, announced in the page's own language ("Changements sur Facebook (Atom)")
        title = site.gettext_for(locale)("{name} changes (Atom)").format(name=platform.capitalize())
        assert f'rel="alternate" type="application/atom+xml" title="{title}"' in html
    fr = (built / "fr" / "facebook.html").read_text()
    assert 'href="../en/facebook.html#steps"' in fr, "links between pages point at the HTML, anchors kept"
    assert '<h2 id="steps">Steps</h2>' in fr
    assert f'href="{REPO_URL}/blob/HEAD/docs/forking.md"' in fr, "a link out of instructions/ goes to the repository"
    assert 'class="languages"' not in fr, "an instructions page has its own language links: not repeated"
    assert (built / "index.html").exists() and (built / "changelog.html").exists() and (built / "style.css").exists()
    assert not (built / "README.html").exists(), "instructions/README.md is the front page"


def test_scraped_text_and_raw_html_stay_text(built: Path) -> None:
    for path in built.rglob("*.html"):
        html = path.read_text()
        # the root's language picker (sitelangs.py) is the site's one script, inline and ours
        assert html.count("<script") == (1 if path == built / "index.html" else 0), path
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
        assert "<script src" not in html and not any("alert" in code for code in scripts), path
        assert "onerror=" not in html.replace("onerror=alert(1)&gt;", ""), path
    fr = (built / "fr" / "facebook.html").read_text()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in fr or "&lt;script&gt;alert('x')&lt;/script&gt;" in fr
    log = (built / "changelog.html").read_text()
    assert "<b>Moved</b>" not in log and "alert(1)" not in log, "the entry's machine summary is not shown"


def test_nothing_is_loaded_from_elsewhere(built: Path) -> None:
    for path in built.rglob("*.html"):
        html = path.read_text()
        for tag in re.findall(r"<(?:link|img|script|iframe|source)\b[^>]*>", html):
            for url in re.findall(r'(?:src|href)="([^"]*)"', tag):
                assert not urlsplit(url).scheme and not url.startswith("//"), f"{path.name}: {tag}"
        assert "<style" not in html and "@import" not in (built / "style.css").read_text()


def test_badges_say_when_each_page_was_last_verified(built: Path, tmp_path: Path) -> None:
    index = (built / "index.html").read_text()
    assert index.count('<li class="badge ok">') == 3, "facebook/en twice and facebook/fr/mobile"
    assert 'computer: checked on the real site <time datetime="2025-06-02">2025-06-02</time>' in index
    assert "not yet checked" in index
    assert "ordinateur" not in index and "Smartphone" not in index, "the front page speaks one language"
    for locale in ("de", "fr"):  # an instructions page states its status itself: no second set of badges
        assert 'class="badges"' not in (built / locale / "facebook.html").read_text()
    # an empty verified.json (a fresh fork) says so everywhere
    root = tmp_path / "repo"
    (root / "instructions" / "verified.json").write_text("{}")
    site.build_site(root, built)
    assert '<li class="badge ok">' not in (built / "index.html").read_text()
    (root / "instructions" / "verified.json").write_text("[1, 2]")
    with pytest.raises(site.SiteError, match=r"verified\.json"):
        site.build_site(root, built)


def test_changelog_page_and_feeds(built: Path) -> None:
    log = (built / "changelog.html").read_text()
    ids = [e.id for e in sorted(entries(), key=lambda e: e.when, reverse=True)]
    assert [log.index(f'id="change-{i}"') for i in ids] == sorted(log.index(f'id="change-{i}"') for i in ids)
    assert "Facebook: “opposer” now reads “vous opposer”" in log
    assert 'href="https://github.com/example/optout-monitor/pull/12"' in log
    assert f'href="{REPO_URL}/commit/0123456789abcdef0123456789abcdef01234567"' in log
    assert 'href="fr/facebook.html"' in log, "entries link the instruction pages they changed"
    assert 'src="images/facebook/fr/mobile/step-1.png"' in log
    for name in ("feed", "facebook", "instagram"):
        parsed = feedparser.parse((built / f"{name}.atom").read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.feed.id == f"urn:optout-monitor:feed:{'all' if name == 'feed' else name}"
        data = json.loads((built / f"{name}.json").read_text())
        assert data["feed_url"] == f"{BASE_URL}{name}.json"
    assert len(feedparser.parse((built / "facebook.atom").read_bytes()).entries) == 2


def test_a_missing_image_or_page_fails_the_build_naming_the_page(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "repo", with_changes=False)
    (root / "instructions" / "images" / "facebook" / "de" / "mobile" / "step-1.png").unlink()
    with pytest.raises(site.SiteError, match=r"de/facebook\.md: shows image '../images/facebook/de/mobile/step-1.png'"):
        site.build_site(root, tmp_path / "a")
    root = make_tree(tmp_path / "repo2", with_changes=False)
    page = root / "instructions" / "en" / "facebook.md"
    page.write_text(page.read_text() + "\n[gone](../es/facebook.md)\n")
    with pytest.raises(site.SiteError, match=r"en/facebook\.md: links to '../es/facebook.md'"):
        site.build_site(root, tmp_path / "b")
    page.write_text(page.read_text().replace("[gone](../es/facebook.md)", "![x](https://cdn.example/x.png)"))
    with pytest.raises(site.SiteError, match="loads nothing from elsewhere"):
        site.build_site(root, tmp_path / "c")


def test_a_link_out_of_the_instructions_without_a_repository_keeps_its_words(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "repo", with_changes=False)
    out = tmp_path / "site"
    site.build_site(root, out)
    en = (out / "en" / "facebook.html").read_text()
    assert "<span>how this is checked</span>" in en and "docs/forking" not in en
    assert json.loads((out / "feed.json").read_text())["items"] == [], "no entries: empty feeds, still there"


def test_rebuild_rewrites_nothing_unchanged_and_prunes_what_is_gone(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    stamps = {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()}
    site.build_site(root, built, BASE_URL, REPO_URL)
    assert stamps == {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()}, "byte-stable output"
    (root / "instructions" / "de" / "facebook.md").unlink()
    readme = root / "instructions" / "README.md"
    readme.write_text(readme.read_text().replace("[de](de/facebook.md)", ""))
    site.build_site(root, built, BASE_URL, REPO_URL)
    assert not (built / "de").exists() and not (built / "images" / "facebook" / "de").exists()
    assert "de/facebook.html" not in (built / "index.html").read_text()


def test_refuses_to_build_over_something_else(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "repo", with_changes=False)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(site.SiteError, match="not empty and was not built"):
        site.build_site(root, other)
    with pytest.raises(site.SiteError, match="holds the repository"):
        site.build_site(root, root)
    with pytest.raises(site.SiteError, match="no instructions folder"):
        site.build_site(tmp_path / "nowhere", tmp_path / "x")
    assert (other / "notes.txt").read_text() == "mine"


def test_actions_environment_gives_the_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(site.SITE_URL_ENV, "https://o.github.io/r/")
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "o/r")
    root = make_tree(tmp_path / "repo")
    out = tmp_path / "site"
    result = CliRunner().invoke(cli.app, ["site", str(out), "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "feed.json").read_text())["feed_url"] == "https://o.github.io/r/feed.json"
    assert 'href="https://github.com/o/r"' in (out / "index.html").read_text()


# --------------------------------------------------------------------------- in a browser


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("served")
    root = make_tree(tmp / "repo")
    out = tmp / "site"
    site.build_site(root, out, BASE_URL, REPO_URL)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


PAGE_FACTS = """() => ({
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  resources: [...document.querySelectorAll('link[href]')].map(l => l.href),
  images: [...document.images].map(i => ({src: i.currentSrc || i.src, width: i.naturalWidth,
                                          alt: (i.getAttribute('alt') || '').trim()})),
  ids: [...document.querySelectorAll('[id]')].map(e => e.id),
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
})"""


def crawl(page: Page, start: str) -> tuple[list[str], list[str]]:
    """Visit every internal page from start; return (pages visited, problems)."""
    origin = urlsplit(start).netloc
    queue, seen, problems = [start], {start}, []
    status: dict[str, int] = {}
    anchors: list[tuple[str, str, str]] = []
    ids: dict[str, set[str]] = {}
    while queue:
        url = queue.pop(0)
        response = page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            problems.append(f"{url}: HTTP {response.status if response else 'no response'}")
            continue
        facts = page.evaluate(PAGE_FACTS)
        ids[url] = set(facts["ids"])
        for href in facts["links"] + facts["resources"]:
            target, fragment = urldefrag(urljoin(url, href))
            if urlsplit(target).netloc != origin:
                continue
            if target not in status:
                status[target] = page.request.get(target).status
            if status[target] != 200:
                problems.append(f"{url}: link to {target} answers {status[target]}")
                continue
            if fragment:
                anchors.append((url, target, fragment))
            if target.endswith(".html") and target not in seen:
                seen.add(target)
                queue.append(target)
        for img in facts["images"]:
            if img["width"] <= 0:
                problems.append(f"{url}: image {img['src']} did not load")
            if not img["alt"]:
                problems.append(f"{url}: image {img['src']} has no alt text")
        if facts["scrollWidth"] > facts["innerWidth"]:
            problems.append(f"{url}: {facts['scrollWidth']} px wide in a {facts['innerWidth']} px window")
    for url, target, fragment in anchors:
        if target in ids and fragment not in ids[target]:
            problems.append(f"{url}: link to {target}#{fragment}, which has no such id")
    return sorted(seen), problems


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("desktop", {"viewport": {"width": 1280, "height": 800}}),
        ("phone", {"viewport": {"width": 412, "height": 915}, "is_mobile": True, "has_touch": True}),
    ],
)
def test_site_in_chromium_has_no_broken_link_or_image_and_fits_a_phone(
    served: str, chromium: Browser, name: str, options: dict[str, object], tmp_path: Path
) -> None:
    context = chromium.new_context(java_script_enabled=False, device_scale_factor=1, **options)  # type: ignore[arg-type]
    elsewhere: list[str] = []
    context.on("request", lambda r: None if r.url.startswith(served) else elsewhere.append(r.url))
    page = context.new_page()
    try:
        visited, problems = crawl(page, served + "index.html")
        assert problems == []
        expected = {"index.html", "changelog.html"} | {f"{loc}/{pf}.html" for loc, pf in PAGES}
        assert expected <= {v.removeprefix(served) for v in visited}
        assert elsewhere == [], "the site loads nothing from other hosts"
        for path in ("index.html", "fr/facebook.html"):
            page.goto(served + path)
            shot = tmp_path / f"{name}-{path.replace('/', '-')}.png"
            page.screenshot(path=str(shot), full_page=True)
            with Image.open(shot) as img:
                assert img.width == options["viewport"]["width"]  # type: ignore[index]
    finally:
        context.close()


def test_the_repository_instructions_build(tmp_path: Path) -> None:
    """The real instructions/ (generated by `update`) make a site with no broken page or image link."""
    root = Path(__file__).resolve().parent.parent
    written = site.build_site(root, tmp_path / "site")
    assert (tmp_path / "site" / "index.html") in written
    for locale, platform in PAGES:
        if (root / "instructions" / locale / f"{platform}.md").exists():
            assert (tmp_path / "site" / locale / f"{platform}.html").exists()


def test_an_installed_package_has_the_site_templates() -> None:
    """pip install . (the workflows) must ship monitor/templates/site/*: package-data has to name them."""
    import fnmatch
    import tomllib

    def covered(rel: str, pattern: str) -> bool:
        if "**" in pattern:  # setuptools globs recursively only with **
            return fnmatch.fnmatch(rel, pattern.replace("**/", "*").replace("**", "*"))
        return rel.count("/") == pattern.count("/") and fnmatch.fnmatch(rel, pattern)

    root = Path(__file__).resolve().parent.parent
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["monitor"]
    for path in sorted((root / "monitor" / "templates" / "site").iterdir()):
        rel = path.relative_to(root / "monitor").as_posix()
        assert any(covered(rel, p) for p in patterns), (
            f"{rel} is not shipped: add 'templates/site/*' to [tool.setuptools.package-data] monitor = {patterns}"
        )


def test_the_changelog_page_shows_one_item_per_change_however_many_screens_saw_it(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "repo")
    first = entries()[0]  # fr, mobile
    desktop = first.model_copy(update={"id": "3f2a9c0d1b7e4a56", "viewport": "desktop", "images": []})
    changelog.write(root, desktop)
    out = tmp_path / "site"
    site.build_site(root, out, BASE_URL, REPO_URL)
    log = (out / "changelog.html").read_text()
    assert log.count('<article class="change"') == len(entries()), "the two screens' entries are one item"
    assert f'id="change-{desktop.id}"' in log and f'id="change-{first.id}"' not in log
    assert "<h3>Facebook: “opposer” now reads “vous opposer”</h3>" in log
    assert "<li>French: “opposer” now reads “vous opposer”.</li>" in log
    assert "only" not in log.split('id="change-3f2a9c0d1b7e4a56"')[1].split("</article>")[0], "seen on both devices"
    [item] = [i for i in json.loads((out / "facebook.json").read_text())["items"] if "opposer" in i["title"]]
    assert item["url"] == "https://github.com/example/optout-monitor/pull/12"


FIRST_SCREEN = """() => {
  const jump = [...document.querySelectorAll('article.instructions a[href^="#"]')];
  const sections = new Set([...document.querySelectorAll('article.instructions h2[id]')].map(h => h.id));
  const form = [...document.querySelectorAll('article.instructions a[href^="https://"]')]
    .find(a => /\\/contact\\//.test(a.href));
  const box = e => e.getBoundingClientRect().bottom + window.scrollY;
  return {
    form: form ? box(form) : null,
    ways: jump.map(a => [decodeURIComponent(a.hash.slice(1)), box(a)]).filter(([id]) => sections.has(id)),
    height: document.documentElement.scrollHeight,
  };
}"""


def test_on_a_412px_phone_the_form_link_and_every_way_in_are_on_the_first_screen(
    chromium: Browser, tmp_path: Path
) -> None:
    """Issue 22: a hurried reader on a phone sees the direct form link and the choice of way in (app,
    phone, computer: links to their sections) without scrolling, on every page of the repository."""
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "site"
    site.build_site(root, out, BASE_URL, REPO_URL)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = chromium.new_context(
        viewport={"width": 412, "height": 915}, is_mobile=True, has_touch=True, java_script_enabled=False
    )
    page = context.new_page()
    late: list[str] = []
    try:
        pages = sorted(p.relative_to(root / "instructions") for p in (root / "instructions").glob("*/*.md"))
        assert len(pages) >= 48, "every language × platform"
        for rel in pages:
            page.goto(f"http://127.0.0.1:{server.server_port}/{rel.with_suffix('.html').as_posix()}")
            facts = page.evaluate(FIRST_SCREEN)
            ways = dict(facts["ways"])  # the ways in, then "if something goes wrong"
            assert facts["form"] is not None, f"{rel}: no direct form link"
            assert len(ways) >= 3, f"{rel}: a phone, a computer and the help at least: {ways}"
            if rel.parts[0] == "en":
                assert list(ways)[:3] == ["in-the-app", "on-a-phone", "on-a-computer"], (rel, ways)
            for what, bottom in [("the form link", facts["form"]), *ways.items()]:
                if bottom > 915:
                    late.append(f"{rel}: {what} ends at {bottom:.0f} px, below the first screen")
        assert late == []
        page.goto(f"http://127.0.0.1:{server.server_port}/de/facebook.html")
        page.screenshot(path=str(tmp_path / "de-facebook-412.png"))
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_a_site_without_a_repository_never_promises_a_report_link(tmp_path: Path) -> None:
    """Issue 22: built where no repository is known (no --repo, GITHUB_REPOSITORY or origin), the "Tell us"
    link has nowhere to point; the page then says so instead of "the link opens a pre-filled report"."""
    from markupsafe import escape

    from monitor.guard.inert import clean
    from monitor.write.phrases import phrases

    root = Path(__file__).resolve().parent.parent
    linked, unlinked = tmp_path / "linked", tmp_path / "unlinked"
    site.build_site(root, linked, BASE_URL, REPO_URL)
    site.build_site(root, unlinked)
    pages = sorted(p.relative_to(root / "instructions") for p in (root / "instructions").glob("*/*.md"))
    assert len(pages) >= 48
    for rel in pages:
        ph = phrases(rel.parts[0])
        promise = str(escape(clean(ph.report.split("**")[2])))  # ": the link opens a pre-filled report …"
        honest = str(escape(clean(ph.report_unlinked.split("**")[2])))
        with_repo = (linked / rel.with_suffix(".html")).read_text(encoding="utf-8")
        without = (unlinked / rel.with_suffix(".html")).read_text(encoding="utf-8")
        assert promise in with_repo and f'href="{REPO_URL}/issues/new?' in with_repo, rel
        assert promise not in without and "/issues/new" not in without, rel
        assert honest in without and honest not in with_repo, rel


def test_each_language_links_its_own_feed_and_says_what_a_feed_is(built: Path) -> None:
    de = (built / "de" / "facebook.html").read_text()
    assert 'href="../facebook-de.atom"' in de and 'href="../facebook-de.json"' in de
    assert 'href="../feed-de.atom">Feed</a>' in de, "the header's feed is the language's"
    assert 'type="application/atom+xml" title="Alle Änderungen (Atom)" href="../feed-de.atom"' in de
    assert "Ein Feed meldet dir jede Änderung dieser Anleitung in deinem Feed-Reader." in de
    assert 'href="../facebook.atom"' not in de and 'href="../feed.atom"' not in de, "not the English feeds"
    landing = (built / "de" / "index.html").read_text()
    assert 'href="../feed-de.atom"' in landing and "Ein Feed meldet dir" in landing
    fr = (built / "fr" / "facebook.html").read_text()
    assert 'href="../facebook-fr.atom"' in fr and "Un flux vous signale" in fr
    german = feedparser.parse((built / "feed-de.atom").read_bytes())
    assert [e.title for e in german.entries] == ["Facebook: Vor „Weiter“ ist jetzt ein Schritt mehr nötig"]


def test_the_changelog_page_has_no_step_id_verdict_or_device(built: Path) -> None:
    log = (built / "changelog.html").read_text()
    main = re.sub(r"<[^>]+>", " ", log.split('<main id="main">', 1)[1].split("</main>", 1)[0])
    for word in (
        "facebook-privacy-center",
        "object-link",
        "send",
        "reworded",
        "step-added",
        "moved",
        "desktop",
        "mobile",
    ):
        assert not re.search(rf"(?<![\w-]){word}(?![\w-])", main), word
    assert "Text:" not in main and "Step:" not in main and "Where:" not in main
    assert "This change is on phones only." in main and "“object” is now under “AI at Meta”." in main
    assert '<a href="fr/facebook.html">Facebook\u00a0: vous opposer' in log, "a page linked by its title"
    assert '<time datetime="2025-06-02">2 June 2025</time>' in log
