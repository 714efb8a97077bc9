"""Reports: report.json is the contract (round-trips, versioned); Markdown and HTML keep scraped text inert."""

from __future__ import annotations

import html as html_module
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from PIL import Image, ImageDraw

from monitor import imaging, store
from monitor.config import Thresholds
from monitor.judge import compare
from monitor.model import (
    BlockReason,
    Box,
    Category,
    Images,
    Observation,
    Report,
    RunInfo,
    Status,
    Target,
    Verdict,
    Walk,
)
from monitor.write import report

T = Thresholds()
RUN = RunInfo(started="2026-01-01T00:00:00+00:00", finished="2026-01-01T00:00:09+00:00", seconds=9, config="m.yaml")
EVIL = "<img src=x onerror=alert(1)>"
FORM = "https://www.facebook.com/help/contact/712876720715583"


def png(word: str, size: tuple[int, int] = (160, 60)) -> bytes:
    img = Image.new("RGB", size, "white")
    ImageDraw.Draw(img).text((10, 20), word, fill=(24, 119, 242))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def observation(step: str, index: int, name: str = "object", status: Status = Status.OK, **extra: Any) -> Observation:
    has_target = status is Status.OK
    return Observation(
        journey="fb-notice",
        site="facebook",
        locale="en",
        viewport="desktop",
        step=step,
        index=index,
        action="click",
        tracked=step == "object",
        status=status,
        url="https://www.facebook.com/privacy/center/",
        title="Privacy Center",
        target=Target(
            role="link",
            name=name,
            text=name,
            matched="object",
            href=FORM,
            leads_to=FORM,
            box=Box(x=20, y=20, width=40, height=16),
            context=["main", 'region "Privacy Center notice"'],
            sentence=f"You have the right to {name} to how we use your information.",
            aria=f'- link "{name}"',
        )
        if has_target
        else None,
        images=Images(
            page=f"{step}.page.png",
            page_phash="0" * 16,
            page_dhash="0" * 16,
            target=f"{step}.target.png" if has_target else None,
            target_phash=("0" * 16 if name == "object" else "ff" * 8) if has_target else None,
            target_dhash="0" * 16 if has_target else None,
        ),
        **extra,
    )


def save(root: Path, *observations: Observation) -> Walk:
    walk = Walk(journey="fb-notice", site="facebook", locale="en", viewport="desktop", observations=list(observations))
    images: dict[str, bytes] = {}
    for o in observations:
        assert o.images is not None
        word = o.target.name if o.target is not None else "wall"
        images[o.images.page] = png(word, (320, 200))
        if o.images.target:
            images[o.images.target] = png(word)
    store.save_walk(root, walk, images)
    return walk


def run_with(tmp: Path, name: str = "Oppose", other: Observation | None = None) -> tuple[Report, store.Tree, Path]:
    """A baseline with "object" and a run where it reads `name`; returns the report, baseline and run folder."""
    baseline = tmp / "snapshots"
    run = tmp / "run" / "observations"
    save(baseline, observation("open", 0), observation("object", 1))
    walk = save(run, observation("open", 0), other or observation("object", 1, name=name))
    tree = store.read_tree(baseline)
    return compare.compare_run(tree, [walk], T, RUN), tree, run


# --------------------------------------------------------------------------- report.json


def test_report_json_round_trips_through_load(tmp_path: Path) -> None:
    rep, tree, run = run_with(tmp_path)
    out = tmp_path / "out"
    report.write(rep, out, tree, run)
    loaded = report.load(out / "report.json")
    assert loaded.outcome is Category.UPDATE and loaded.exit_code == 1
    assert loaded.model_copy(update={"changes": rep.changes}) == rep
    assert [c.verdict for c in loaded.changes] == [Verdict.UNCHANGED, Verdict.REWORDED]
    assert loaded.changes[1].evidence.wording == [(-1, "object"), (1, "Oppose")]
    assert loaded.canonical_json() == (out / "report.json").read_text(encoding="utf-8")


def test_report_json_is_canonical_and_rewriting_it_changes_no_byte(tmp_path: Path) -> None:
    rep, tree, run = run_with(tmp_path)
    out = tmp_path / "out"
    report.write(rep, out, tree, run)
    first = (out / "report.json").read_bytes()
    data = json.loads(first)
    assert list(data) == sorted(data)
    assert data["report_version"] == 1
    assert set(data["counts"]) == {v.value for v in Verdict}
    report.write(rep, out, tree, run)
    assert (out / "report.json").read_bytes() == first


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{ not json", "not JSON"),
        ("[1, 2]", "no report_version"),
        ('{"walks": []}', "no report_version"),
        ('{"report_version": 2}', "report_version is 2"),
        ('{"report_version": 1, "run": {}}', "not a valid report: run.started"),
    ],
)
def test_load_names_the_file_when_it_is_not_a_report_this_version_reads(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "thing.json"
    path.write_text(content)
    with pytest.raises(report.ReportError, match=re.escape(str(path))) as caught:
        report.load(path)
    assert expected in str(caught.value)


def test_load_of_a_missing_file_says_which(tmp_path: Path) -> None:
    with pytest.raises(report.ReportError, match=r"nope\.json: no such file"):
        report.load(tmp_path / "nope.json")


def test_merging_shards_recomputes_counts_and_outcome(tmp_path: Path) -> None:
    rep, _, _ = run_with(tmp_path)
    calm = Report.build(RUN.model_copy(update={"shard": "2/2"}), [], [])
    merged = report.merge([calm, rep])
    assert merged.outcome is Category.UPDATE
    assert merged.counts[Verdict.REWORDED] == 1
    assert merged.run.shard == "1/1+2/2"


# --------------------------------------------------------------------------- pictures


def test_write_draws_before_after_and_diff_only_for_steps_that_changed(tmp_path: Path) -> None:
    rep, tree, run = run_with(tmp_path)
    out = tmp_path / "out"
    report.write(rep, out, tree, run)
    folder = out / "images" / "fb-notice" / "en" / "desktop"
    assert sorted(p.name for p in folder.iterdir()) == [
        f"object.{which}{thumb}.png" for which in ("after", "before", "diff") for thumb in ("", ".thumb")
    ]
    loaded = report.load(out / "report.json")
    images = loaded.changes[1].images
    assert images.before == "images/fb-notice/en/desktop/object.before.png"
    assert (images.after, images.diff) == (
        "images/fb-notice/en/desktop/object.after.png",
        "images/fb-notice/en/desktop/object.diff.png",
    )
    assert loaded.changes[0].images.before is None
    # the diff is before | after side by side, both cut to one frame around the target, outlined on both
    with Image.open(out / images.before) as before, Image.open(out / images.after) as after:
        assert before.size == after.size
        size = before.size
    with Image.open(out / images.diff) as diff:
        assert diff.size == (2 * size[0] + imaging.GAP, size[1])
        rgb = diff.convert("RGB")
        halves = [rgb.crop((0, 0, size[0], size[1])), rgb.crop((size[0] + imaging.GAP, 0, rgb.width, size[1]))]
        assert all(imaging.HIGHLIGHT in {c for _, c in h.getcolors(1 << 16) or []} for h in halves)


def test_write_survives_a_baseline_picture_that_is_not_a_png(tmp_path: Path) -> None:
    rep, tree, run = run_with(tmp_path)
    (tree.root / "fb-notice" / "en" / "desktop" / "object.target.png").write_bytes(b"not a png")
    out = tmp_path / "out"
    report.write(rep, out, tree, run)
    change = report.load(out / "report.json").changes[1]
    assert change.images.before is not None and change.images.after is not None, "cut from the pages, still readable"
    assert change.images.diff is not None
    assert any("object.target.png is not a readable PNG" in n for n in change.images.notes)


def test_a_blocked_step_is_pictured_on_whole_pages(tmp_path: Path) -> None:
    blocked = observation("object", 1, status=Status.BLOCKED, reason=BlockReason.LOGIN, error="login wall")
    rep, tree, run = run_with(tmp_path, other=blocked)
    out = tmp_path / "out"
    report.write(rep, out, tree, run)
    change = report.load(out / "report.json").changes[1]
    assert change.verdict is Verdict.BLOCKED
    assert change.images.after is not None
    with Image.open(out / change.images.after) as after:
        assert after.size == (320, 200)


# --------------------------------------------------------------------------- HTML


def test_html_links_its_pictures_as_files_beside_it_with_thumbnails_and_no_script(tmp_path: Path) -> None:
    rep, tree, run = run_with(tmp_path)
    out = tmp_path / "out"
    report.write(rep, out, tree, run)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "data:image" not in page, "pictures are files, not inlined"
    # pictures beside the page and links within the page (from the story to its evidence)
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', page)
    files = [r for r in refs if not r.startswith("#")]
    assert files and all(r.startswith("images/") and ".." not in r for r in files), refs
    for rel in files:
        assert (out / rel).is_file(), rel
    srcs = re.findall(r'src="([^"]*)"', page)
    assert sorted(Path(s).name for s in srcs) == [
        "object.after.thumb.png",
        "object.before.thumb.png",
        "object.diff.png",
    ]
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "Content-Security-Policy" in page
    assert 'name="viewport"' in page
    assert "<del>object</del>" in page and "<ins>Oppose</ins>" in page


def test_html_escapes_a_malicious_name_and_a_mention(tmp_path: Path) -> None:
    rep, tree, run = run_with(tmp_path, name=f"{EVIL} @someone")
    out = tmp_path / "out"
    report.write(rep, out, tree, run)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert EVIL not in page
    assert "&lt;img src=x onerror=alert(1)&gt; @someone" in page
    assert "<img src=x" not in page
    assert "<script" not in page.lower()


def test_html_lists_the_problems_with_their_fix(tmp_path: Path) -> None:
    rep, tree, run = run_with(tmp_path)
    (tree.root / "fb-notice" / "en" / "desktop" / "open.json").write_text("{")
    tree = store.read_tree(tree.root)
    walk = Walk(
        journey="fb-notice",
        site="facebook",
        locale="en",
        viewport="desktop",
        observations=[observation("open", 0), observation("object", 1, name="Oppose")],
    )
    rep = compare.compare_run(tree, [walk], T, RUN)
    out = tmp_path / "out"
    report.write(rep, out, tree, run)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "open.json</code>" in page
    assert f"<code>optout-monitor accept RUN --snapshots {tree.root}</code>" in page
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"`optout-monitor accept RUN --snapshots {tree.root}`" in md


# --------------------------------------------------------------------------- Markdown


def render(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


@pytest.mark.parametrize(
    "hostile",
    [
        EVIL,
        "[click](javascript:alert(1))",
        "![x](https://evil.example/p.png)",
        "<https://evil.example>",
        "`code` and *stars* and _under_ and | pipe ~~gone~~",
        "# heading\n- item\n> quote",
        "1. first",
        "- item",
        "---",
        "+ plus",
        "&#60;script&#62; <!-- hidden -->",
        "&lt;b&gt; entity",
        "back\\slash",
    ],
)
def test_md_escape_makes_scraped_text_inert_and_keeps_it_readable(hostile: str) -> None:
    html = render(f"- {report.md_escape(hostile)}")
    assert html.startswith("<ul>\n<li>") and html.count("<li>") == 1, html
    for tag in ("<a ", "<img", "<em>", "<strong>", "<code>", "<h1>", "<blockquote>", "<ol>"):
        assert tag not in html, (tag, html)
    text = re.sub(r"<[^>]+>", "", html).strip()
    shown = html_module.unescape(text).replace("\u200b", "").replace("\u2060", "")
    assert shown == " ".join(hostile.split())


def test_md_escape_defuses_mentions_references_and_autolinks() -> None:
    escaped = report.md_escape("ask @someone about #12 at www.evil.example or https://evil.example")
    assert "@someone" not in escaped
    assert "#12" not in escaped
    assert "www.evil" not in escaped and "https://" not in escaped
    shown = html_module.unescape(render(escaped)).replace("\u200b", "").replace("\u2060", "")
    assert "ask @someone about #12 at www.evil.example or https://evil.example" in shown


def test_markdown_report_escapes_scraped_text(tmp_path: Path) -> None:
    rep, tree, run = run_with(tmp_path, name=f"{EVIL} @someone [x](javascript:alert(1))")
    out = tmp_path / "out"
    report.write(rep, out, tree, run)
    md = (out / "report.md").read_text(encoding="utf-8")
    outside_code = re.sub(r"(?ms)^(`{3,})diff$.*?^\1$", "", md)
    assert "```diff" in md, "the ARIA diff sits in a fenced block, where nothing is markup"
    assert EVIL not in outside_code and "@someone" not in outside_code
    html = render(md)
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "| reworded | the instructions need an update | 1 |" in md


def test_markdown_report_says_the_outcome_and_lists_each_change(tmp_path: Path) -> None:
    rep, _, _ = run_with(tmp_path)
    md = report.markdown(rep)
    assert md.startswith("# optout-monitor: the instructions need an update")
    html = render(md)
    assert (
        "<li><strong>reworded</strong>: Facebook: the “object” link now reads “Oppose”; seen on computer.</li>" in html
    )
    assert "<h3>reworded: Facebook: the “object” link now reads “Oppose” (tracked)</h3>" in html
    assert "<h4>fb-notice / en / desktop / object</h4>" in html, "each step stays available, folded"
    assert "&quot;object&quot; → &quot;Oppose&quot; (Privacy Center notice)" in html
    assert "<del>object</del><ins>Oppose</ins>" in md


# --------------------------------------------------------------------------- size budgets


def _many(rep: Report, n: int) -> Report:
    """n copies of the report's changed steps, each its own step of its own journey (n groups)."""
    changed = [c for c in rep.changes if c.verdict is not Verdict.UNCHANGED]
    copies = [c.model_copy(update={"journey": f"j{i}", "step": f"s{i}"}) for i in range(n) for c in changed]
    return rep.model_copy(update={"changes": copies})


def test_a_first_run_is_a_summary_not_a_card_per_new_step(tmp_path: Path) -> None:
    rep, tree, run = run_with(tmp_path)
    new = [c.model_copy(update={"verdict": Verdict.NEW, "step": f"s{i}"}) for i, c in enumerate(rep.changes * 200)]
    first = rep.model_copy(update={"changes": new})
    out = tmp_path / "out"
    report.write(first, out, tree, run)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "First walk: no baseline yet" in page and '<article class="card' not in page
    assert not (out / "images").exists(), "no pictures for steps with nothing to compare"


def test_markdown_fits_a_github_comment_and_points_to_the_whole_report(tmp_path: Path) -> None:
    rep, _, _ = run_with(tmp_path)
    actions = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_RUN_ID": "42"}
    md = report.markdown(_many(rep, 400), report.artifact_link(actions))
    assert len(md) <= report.MD_LIMIT
    assert "more change(s), in short" in md
    assert "https://github.com/o/r/actions/runs/42" in md
    small = report.markdown(rep)
    assert len(small) < report.MD_LIMIT and "in short" not in small


def test_html_shows_cards_for_the_first_changes_and_rows_for_the_rest(tmp_path: Path) -> None:
    rep, _, _ = run_with(tmp_path)
    page = report.html(_many(rep, 300), tmp_path)
    assert page.count('<article class="card') == report.HTML_CARDS
    assert f"{300 - report.HTML_CARDS} more change(s)" in page
    assert len(page.encode()) < report.HTML_LIMIT


def test_html_shows_fewer_cards_rather_than_pass_its_byte_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rep, _, _ = run_with(tmp_path)
    many = _many(rep, 60)
    full = report.html(many, tmp_path)
    monkeypatch.setattr(report, "HTML_LIMIT", len(full.encode()) // 2)
    smaller = report.html(many, tmp_path)
    assert len(smaller.encode()) <= report.HTML_LIMIT
    assert 0 < smaller.count('<article class="card') < full.count('<article class="card')
