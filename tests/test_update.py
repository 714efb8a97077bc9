"""`update` on a git working tree: only what the site changed is rewritten, and nothing twice."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from monitor import config, runner, store, update
from monitor.judge import compare, shown
from monitor.model import ChangelogEntry, Report, RunInfo
from monitor.write import report

from .conftest import FullRun, Replica

LOGGED_IN = ["facebook-privacy-center", "instagram-privacy-center"]


def git(ws: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(ws), *args], check=True, capture_output=True, text=True).stdout


def changed_paths(ws: Path) -> set[str]:
    git(ws, "add", "-A")
    return set(git(ws, "diff", "--cached", "--name-only").split())


@pytest.fixture(scope="module")
def first_report(full_run: FullRun, cfg: config.Config, tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The full run against an empty baseline (every step new), written to a folder of its own: the
    full run is shared by the whole session (read-only)."""
    info = (
        store.read_run_info(full_run.out)
        if (full_run.out / store.RUN_FILE).exists()
        else RunInfo(
            started=datetime.now(UTC).isoformat(timespec="seconds"), finished="", seconds=0, config="monitor.yaml"
        )
    )
    result = compare.compare_run(store.Tree(full_run.out / "none"), full_run.walks, cfg.thresholds, info)
    out = tmp_path_factory.mktemp("first-report")
    report.write(result, out, store.Tree(full_run.out / "none"), full_run.out / store.OBSERVATIONS)
    return result


@pytest.fixture(scope="module")
def committed(
    tmp_path_factory: pytest.TempPathFactory,
    baseline_dir: Path,
    full_run: FullRun,
    first_report: Report,
    cfg: config.Config,
) -> Path:
    """The replica's baseline and the instructions rendered from it, all committed: built once (the
    rendering takes seconds), each test gets its own copy (`ws`)."""
    ws = tmp_path_factory.mktemp("committed") / "ws"
    shutil.copytree(baseline_dir, ws / "snapshots")
    applied = update.apply(cfg, first_report, full_run.out, ws)
    assert applied.files, "the first update renders the instructions"
    git(ws, "init", "-q", "-b", "main")
    git(ws, "add", "-A")
    git(ws, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "baseline")
    return ws


@pytest.fixture
def ws(tmp_path: Path, committed: Path) -> Path:
    """A scratch workspace of its own: a copy of `committed`, its git repository included."""
    ws = shutil.copytree(committed, tmp_path / "ws", symlinks=True)
    assert git(ws, "status", "--porcelain") == "", "the copy is the committed tree"
    return ws


def check(cfg: config.Config, replica: Replica, ws: Path, out: Path, variant: str, viewports: list[str]) -> Report:
    replica.set_variant(variant)
    try:
        baseline = store.read_tree(ws / "snapshots")
        run = runner.Check(cfg, "monitor.yaml", replica.stand_ins, replica.states, workers=2, baseline=baseline)
        return run.check(runner.plan(cfg, LOGGED_IN, ["en"], viewports), out)
    finally:
        replica.set_variant("baseline-2025")


def test_an_unchanged_run_leaves_the_tree_identical(
    cfg: config.Config, replica: Replica, ws: Path, tmp_path: Path
) -> None:
    result = check(cfg, replica, ws, tmp_path / "run", "baseline-2025", ["desktop", "mobile"])
    assert result.exit_code == 0
    applied = update.apply(cfg, result, tmp_path / "run", ws)
    assert not applied.changed_anything
    assert changed_paths(ws) == set()


def test_a_reworded_link_rewrites_only_the_affected_pages_and_images(
    cfg: config.Config, replica: Replica, ws: Path, tmp_path: Path
) -> None:
    result = check(cfg, replica, ws, tmp_path / "run", "reworded", ["desktop", "mobile"])
    assert result.exit_code == 1
    update.apply(cfg, result, tmp_path / "run", ws)
    paths = changed_paths(ws)
    allowed = re.compile(
        r"^(snapshots/(facebook|instagram)-privacy-center/en/(desktop|mobile)/object-link\.(json|page\.png|target\.png)"
        r"|instructions/en/(facebook|instagram)\.md"
        r"|instructions/images/(facebook|instagram)/en/(desktop|mobile)/object-link\.png"
        r"|instructions/changelog/[\w-]+\.json|instructions/README\.md|instructions/verified\.json)$"
    )
    assert paths and all(allowed.match(p) for p in paths), sorted(p for p in paths if not allowed.match(p))
    assert {"instructions/en/facebook.md", "instructions/en/instagram.md"} <= paths
    assert not any(p.startswith(("instructions/fr/", "instructions/de/")) for p in paths)
    page = (ws / "instructions/en/facebook.md").read_text()
    assert "“Oppose”" in page and "“object”" not in page
    entries = sorted(p for p in paths if p.startswith("instructions/changelog/"))
    assert len(entries) == 4  # 2 platforms × 2 viewports, the tracked link each time
    for path in entries:  # what a follower is told: the words on the page now, never a step id
        written = ChangelogEntry.model_validate_json((ws / path).read_bytes())
        assert written.label == "Oppose" and written.new_text == "Oppose", path
    # applying the same report again changes nothing
    git(ws, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "update")
    again = update.apply(cfg, result, tmp_path / "run", ws)
    assert not again.changed_anything and changed_paths(ws) == set()


def test_rendered_pages_parse_and_every_image_and_link_resolves(
    cfg: config.Config, replica: Replica, ws: Path, tmp_path: Path
) -> None:
    result = check(cfg, replica, ws, tmp_path / "run", "moved-section", ["desktop"])
    update.apply(cfg, result, tmp_path / "run", ws)
    moved = next(c for c in result.changes if c.tracked and c.journey == "facebook-privacy-center")
    assert moved.evidence.context is not None
    new_section = next(e for e in moved.evidence.context.new if e.startswith("region"))
    page = (ws / "instructions/en/facebook.md").read_text()
    assert new_section.split(" ", 1)[1].strip('"') in page, "the page describes the new place"
    md = MarkdownIt("commonmark")
    for path in (ws / "instructions").rglob("*.md"):
        tokens = md.parse(path.read_text())
        for token in tokens:
            for child in token.children or []:
                if child.type == "image":
                    assert child.content.strip(), f"{path}: image without alt text"
                    assert (path.parent / str(child.attrs["src"])).is_file(), f"{path}: {child.attrs['src']}"
                if child.type == "link_open":
                    href = str(child.attrs["href"])
                    if href.startswith("../../../../issues/new?"):  # the repository's issues on GitHub
                        continue
                    if not href.startswith("https://"):
                        assert (path.parent / href.split("#")[0]).exists(), f"{path}: broken link {href}"
            assert token.type != "html_block", f"{path}: raw HTML"


def test_a_blocked_run_never_rewrites_instructions(
    cfg: config.Config, replica: Replica, ws: Path, tmp_path: Path
) -> None:
    result = check(cfg, replica, ws, tmp_path / "run", "login-wall", ["desktop"])
    assert result.exit_code == 3
    applied = update.apply(cfg, result, tmp_path / "run", ws)
    assert applied.held and not applied.accepted and not applied.entries
    assert changed_paths(ws) == set()


def test_a_stand_in_report_is_refused_by_the_real_sites_baseline(
    cfg: config.Config, first_report: Report, full_run: FullRun, tmp_path: Path
) -> None:
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / store.REAL_ONLY_MARKER).write_text("real only\n")
    stand_in = first_report.model_copy(
        update={"run": first_report.run.model_copy(update={"sites": {"facebook": "http://x"}})}
    )
    with pytest.raises(update.UpdateError, match="real sites only"):
        update.apply(cfg, stand_in, full_run.out, tmp_path)
    assert sorted(p.name for p in (tmp_path / "snapshots").iterdir()) == [store.REAL_ONLY_MARKER]


def test_a_card_links_changelog_label_is_its_name_not_the_whole_card_text() -> None:
    # the accounts-center-hop variant's German feed said „dann „KI bei Meta Wie wir Informationen … M…“"
    from monitor.model import Box, Observation, Status, Target

    card = Target(
        role="link",
        name="KI bei Meta",
        text="KI bei Meta Wie wir Informationen zur Entwicklung und Verbesserung von KI bei Meta verwenden",
        matched="KI bei Meta",
        box=Box(x=0, y=0, width=300, height=80),
    )
    seen = Observation(
        journey="instagram-privacy-center",
        site="instagram",
        locale="de",
        viewport="mobile",
        step="ai-at-meta",
        index=4,
        action="click",
        status=Status.OK,
        url="https://privacycenter.instagram.com/",
        target=card,
    )
    assert shown.words(seen) == "KI bei Meta"
    icon = card.model_copy(update={"name": "Menü", "text": "", "shown": ""})
    assert shown.words(seen.model_copy(update={"target": icon})) == "Menü"  # no words on screen: its name
