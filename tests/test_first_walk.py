"""First contact, played as GitHub runs it: a fork whose snapshots/ is empty meets the site.

One shared scenario (the walks are the expensive part; every assert below reads it):

1. a fresh fork (monitor.yaml with English only, an empty snapshots/, the instructions "not yet
   checked"); the scheduled run (a check job, then aggregate → update → publish → summary, each
   step's script as the workflow runs it, against the replica and the GitHub emulator) opens one
   "First walk of … path" pull request per platform, and says "first walk", never "Nothing to do";
2. a maintainer merges Facebook's (the emulator merges in the bare origin, as GitHub does); the
   Instagram one now conflicts in the shared dates file, as it would on GitHub, and the next run
   rebuilds it on the new main; the maintainer merges it;
3. the next run walks the same path against that baseline: exit 0, nothing to publish;
4. German is added to monitor.yaml, and the Instagram login is missing: a first-walk pull request
   for Facebook's German walk only (the English baselines untouched), an issue for Instagram and
   no pull request for its walks.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from monitor.replica import storage_state

from .conftest import Replica
from .github_emulator import GitHubEmulator, MergeConflict
from .test_ci_steps import REPO, ROOT, SERVER, Job, b64, new_job
from .test_publish import PLANTED, git

JOURNEYS = ["--journey", "facebook-privacy-center", "--journey", "instagram-privacy-center", "--viewport", "desktop"]


@dataclass
class Run:
    """One scheduled run: the check job's and the aggregate job's steps, and what they left."""

    check: subprocess.CompletedProcess[str]
    steps: dict[str, subprocess.CompletedProcess[str]]
    code: str  # the aggregate step's exit-code output
    summary: str  # the aggregate job's summary, as GitHub shows it
    published: dict[str, object] | None
    workspace: Path


@dataclass
class Fork:
    tmp: Path
    origin: Path
    gh: GitHubEmulator
    runs: dict[str, Run] = field(default_factory=dict)
    merged: dict[int, str] = field(default_factory=dict)  # PR number -> main after its merge
    main_before: dict[str, str] = field(default_factory=dict)  # run name -> main when it started
    pulls_before: dict[str, int] = field(default_factory=dict)  # run name -> pull requests that existed
    pulls_after: dict[str, int] = field(default_factory=dict)  # run name -> pull requests after it
    issues_after: dict[str, int] = field(default_factory=dict)  # run name -> issues after it
    heads: dict[str, dict[str, str]] = field(default_factory=dict)  # run name -> platform -> its branch after
    conflicts: list[str] = field(default_factory=list)  # what kept the second first walk from merging

    def blob(self, ref: str, path: str) -> bytes | None:
        proc = subprocess.run(
            ["git", "--git-dir", str(self.origin), "cat-file", "blob", f"{ref}:{path}"], capture_output=True
        )
        return proc.stdout if proc.returncode == 0 else None

    def files(self, a: str, b: str) -> list[str]:
        return git(self.origin, "diff", "--name-only", f"{a}..{b}").splitlines()

    def main(self) -> str:
        return git(self.origin, "rev-parse", "refs/heads/main")


def _fork(tmp: Path) -> Path:
    """origin.git: the project as a new fork has it, its snapshots/ empty (the replica's captures may go
    there: this is a scratch copy, never the project's own real-sites-only folder)."""
    origin, seed = tmp / "origin.git", tmp / "seed"
    git(tmp, "init", "--bare", "--quiet", "--template=", "-b", "main", str(origin))
    git(tmp, "init", "--quiet", "--template=", "-b", "main", str(seed))
    text = (ROOT / "monitor.yaml").read_text(encoding="utf-8")
    locales = re.search(r"^locales:\n(?:  .*\n)+", text, re.MULTILINE)
    assert locales, "monitor.yaml has a locales: block"
    (seed / "monitor.yaml").write_text(text.replace(locales.group(0), "locales:\n  en: en-GB\n"), encoding="utf-8")
    shutil.copy(ROOT / "app-steps.yaml", seed / "app-steps.yaml")
    shutil.copytree(ROOT / "instructions", seed / "instructions")
    (seed / "snapshots").mkdir()
    (seed / "snapshots" / ".gitkeep").write_text("")
    (seed / "README.md").write_text("# a fork of optout-monitor\n")
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "fork")
    git(seed, "push", "--quiet", str(origin), "main")
    return origin


def _checkout(origin: Path, where: Path) -> Path:
    """actions/checkout: a fresh clone of main, for each job."""
    where.parent.mkdir(parents=True, exist_ok=True)
    git(where.parent, "clone", "--quiet", "--template=", str(origin), str(where))
    return where


def _job(tmp: Path, workspace: Path) -> Job:
    tmp.mkdir(parents=True)
    return new_job(tmp, workspace)


def scheduled_run(fork: Fork, replica: Replica, name: str, logins: tuple[str, ...]) -> Run:
    """The workflow once: a check job (one shard) then the aggregate job, with only the given logins set."""
    fork.main_before[name] = fork.main()
    fork.pulls_before[name] = len(fork.gh.pulls())
    base = fork.tmp / name
    secrets = {f"OPTOUT_{site.upper()}_STORAGE_STATE": b64(storage_state(site)) for site in logins}
    # the check job
    shard_ws = _checkout(fork.origin, base / "check" / "workspace")
    shard = _job(base / "check" / "job", shard_ws)
    env = {"RUN_DIR": "runs/shard-1", "SHARD": "1/1", "WORKERS": "2", **secrets}
    sites = ["--site", f"facebook={replica.url}", "--site", f"instagram={replica.url}"]
    check = shard.step("check-shard.sh", *sites, *JOURNEYS, env=env)
    # the aggregate job: download-artifact puts the shard's report in reports/report-shard-1/
    ws = _checkout(fork.origin, base / "aggregate" / "workspace")
    shutil.copytree(shard_ws / "runs" / "shard-1", ws / "reports" / "report-shard-1")
    job = _job(base / "aggregate" / "job", ws)
    steps = {"aggregate": job.step("aggregate.sh")}
    code = job.outputs().get("exit-code", "")
    steps["update"] = job.step("update.sh")
    publish_env = {"GITHUB_TOKEN": PLANTED, "GITHUB_API_URL": fork.gh.url, "GITHUB_SERVER_URL": fork.gh.server_url}
    steps["publish"] = job.step("publish.sh", env=publish_env)
    steps["summary"] = job.step("summary.py", "run", env={"CODE": code, "ARTIFACT": "report"})
    published_path = ws / "run" / "published.json"
    published = json.loads(published_path.read_text()) if published_path.is_file() else None
    run = Run(check, steps, code, job.summary(), published, ws)
    fork.runs[name] = run
    fork.pulls_after[name] = len(fork.gh.pulls())
    # what a maintainer reads, kept beside the run to look at: the summary and each pull request's body
    (base / "summary.md").write_text(run.summary, encoding="utf-8")
    for pr in fork.gh.pulls():
        (base / f"pr-{pr.number}.md").write_text(f"# {pr.title}\n\n{pr.body}", encoding="utf-8")
    fork.issues_after[name] = len(fork.gh.issues())
    fork.heads[name] = {
        p: git(fork.origin, "rev-parse", f"refs/heads/optout-monitor/{p}")
        for p in ("facebook", "instagram")
        if subprocess.run(
            ["git", "--git-dir", str(fork.origin), "rev-parse", "--verify", "-q", f"refs/heads/optout-monitor/{p}"],
            capture_output=True,
        ).returncode
        == 0
    }
    return run


@pytest.fixture(scope="module")
def fork(tmp_path_factory: pytest.TempPathFactory, replica: Replica) -> Iterator[Fork]:
    tmp = tmp_path_factory.mktemp("first-contact")
    origin = _fork(tmp)
    with GitHubEmulator(REPO, token=PLANTED, git_dir=origin) as gh:
        fork = Fork(tmp, origin, gh)
        both = ("facebook", "instagram")
        scheduled_run(fork, replica, "first", both)
        fork.merged[1] = gh.merge(1)
        with pytest.raises(MergeConflict) as conflict:
            gh.merge(2)
        fork.conflicts = conflict.value.paths
        scheduled_run(fork, replica, "rebuild", both)
        fork.merged[2] = gh.merge(2)
        scheduled_run(fork, replica, "second", both)
        # a maintainer adds German to monitor.yaml; the Instagram login secret has expired (not set)
        maint = _checkout(origin, tmp / "maintainer")
        yaml = maint / "monitor.yaml"
        yaml.write_text(yaml.read_text().replace("locales:\n  en: en-GB\n", "locales:\n  en: en-GB\n  de: de-DE\n"))
        git(maint, "commit", "--quiet", "-am", "Walk German too")
        git(maint, "push", "--quiet", "origin", "main")
        scheduled_run(fork, replica, "locale", ("facebook",))
        yield fork


def ok(run: Run) -> None:
    for name, proc in {"check": run.check, **run.steps}.items():
        assert proc.returncode == 0, f"{name}: {proc.stdout}{proc.stderr}"


# --------------------------------------------------------------------------- 1. the first run


def test_the_first_run_opens_one_first_walk_pull_request_per_platform(fork: Fork) -> None:
    run = fork.runs["first"]
    ok(run)
    assert run.code == "0", "a first walk needs nothing of a human: exit 0"
    assert fork.pulls_before["first"] == 0 and fork.pulls_after["first"] == 2
    opened = sorted((p for p in fork.gh.pulls() if p.number <= 2), key=lambda p: p.number)
    assert [(p.title, p.pull and p.pull["head"], p.labels) for p in opened] == [
        ("First walk of the Facebook path", "optout-monitor/facebook", ["optout-monitor", "facebook"]),
        ("First walk of the Instagram path", "optout-monitor/instagram", ["optout-monitor", "instagram"]),
    ]
    assert fork.issues_after["first"] == 0, "nothing was blocked: no issue"
    main = fork.main_before["first"]
    for platform, other in (("facebook", "instagram"), ("instagram", "facebook")):
        head = fork.heads["first"][platform]
        assert git(fork.origin, "rev-parse", f"{head}^") == main, "one commit on top of main"
        files = fork.files(main, head)
        walk = f"snapshots/{platform}-privacy-center/en/desktop/"
        # the baseline, the page moved from "not yet checked", its pictures, the changelog entry
        assert {f"{walk}object-link.json", f"{walk}object-link.target.png", f"instructions/en/{platform}.md"} <= set(
            files
        )
        assert any(f.startswith(f"instructions/images/{platform}/en/desktop/") for f in files)
        entries = [f for f in files if f.startswith("instructions/changelog/")]
        assert len(entries) == 1 and json.loads(fork.blob(head, entries[0]) or b"")["verdict"] == "new"
        assert not any(other in f for f in files if not f.startswith("instructions/README"))
        # a replica walk is a rehearsal, carried with its own platform's dates only
        dates = json.loads(fork.blob(head, "instructions/rehearsals.json") or b"{}")
        assert list(dates) == [f"{platform}/en/desktop"]
        before = (fork.blob(main, f"instructions/en/{platform}.md") or b"").decode()
        after = (fork.blob(head, f"instructions/en/{platform}.md") or b"").decode()
        assert "**Status:** not yet checked (computer, phone)" in before
        assert "rehearsal only (computer)" in after and "rehearsal only" not in before


def test_the_first_walk_body_sets_the_guides_beside_the_walk_step_by_step(fork: Fork) -> None:
    facebook = next(p for p in fork.gh.pulls() if p.title == "First walk of the Facebook path")
    body = facebook.body
    # the decision first: the walk found the guides' path
    head = body.split("### Step by step", 1)[0]
    assert "**The walk found the path the guides describe:**" in head
    assert "**Merging it is what makes the pages checked.**" in head
    assert "“a rehearsal” (this run walked a stand-in" in head
    assert "| `object-link` (facebook-privacy-center) | object | object | same in the walk |" in body
    assert "| `account-menu` (facebook-privacy-center) | Your profile | Your profile | same in the walk |" in body
    assert "| facebook-privacy-center | en | desktop |" in body
    # the pictures are folded below, pinned to the pull request's commit
    commit = fork.heads["first"]["facebook"]
    folded = body.split("<details><summary>Pictures: facebook-privacy-center, en, desktop", 1)[1]
    assert f"/blob/{commit}/instructions/images/facebook/en/desktop/object-link.png?raw=true" in folded
    assert "/blob/" not in body.split("<details>", 1)[0], "no picture above the fold"
    # one screen: the guides' table is in the first screenful of rendered text
    rendered = MarkdownIt("commonmark").enable("table").render(body)
    assert rendered.index("<table>") < rendered.index("<details>")
    # what followers will read: the changelog entry of the first walk
    followers = body.split("### What followers will read", 1)[1].split("<details>", 1)[0]
    assert followers.startswith("\n\n> - **Facebook: The steps up to “"), followers[:200]
    assert "were checked for the first time" in followers and "desktop" not in followers


def test_the_first_run_says_first_walk_and_where_the_pull_requests_are(fork: Fork) -> None:
    run = fork.runs["first"]
    assert "Nothing to do" not in run.summary
    assert run.summary.startswith("## First walk: no baseline yet, review and merge the pull request\n")
    urls = [f"{fork.gh.server_url}/{REPO}/pull/{n}" for n in (1, 2)]
    for url in urls:
        assert f"- Review and merge: {url}" in run.summary
    assert run.published is not None and run.published["first_walks"] == urls
    assert "first walk: review and merge " + urls[0] in " ".join(run.steps["publish"].stdout.split())
    assert "first walk: 2 walk(s) of facebook, instagram had no baseline" in run.check.stdout.replace("\n", " ")
    report = (run.workspace / "run" / "report.md").read_text()
    assert report.startswith("# optout-monitor: first walk, no baseline yet")
    assert "the pull request “First walk of the Facebook path” on `optout-monitor/facebook`. First walk:" in report
    assert "the pages checked.\n- Instagram: `optout-monitor publish` opens" in report, "one line per platform"
    assert "No step had a baseline to compare with: this was a first walk" in report
    assert f"{SERVER}/{REPO}/actions/runs/" in run.summary


# --------------------------------------------------------------------------- 2. merged one by one


def test_the_second_first_walk_conflicts_after_the_first_merge_and_the_next_run_rebuilds_it(fork: Fork) -> None:
    # both pull requests add their own dates to the one shared dates file: GitHub cannot merge the second
    assert fork.conflicts == ["instructions/rehearsals.json"]
    run = fork.runs["rebuild"]
    ok(run)
    url = f"{fork.gh.server_url}/{REPO}/pull/2"
    assert f"instagram: updated PR {url} (new commit, body)" in " ".join(run.steps["publish"].stdout.split())
    assert "facebook:" not in run.steps["publish"].stdout, "Facebook's merged baseline: nothing to do"
    rebuilt = fork.heads["rebuild"]["instagram"]
    assert git(fork.origin, "rev-parse", f"{rebuilt}^") == fork.merged[1], "rebuilt on the new main"
    dates = json.loads(fork.blob(rebuilt, "instructions/rehearsals.json") or b"{}")
    assert sorted(dates) == ["facebook/en/desktop", "instagram/en/desktop"]
    assert run.summary.startswith("## First walk: no baseline yet") and f"- Review and merge: {url}" in run.summary
    assert git(fork.origin, "rev-parse", f"{fork.merged[2]}^2") == rebuilt


# --------------------------------------------------------------------------- 3. merged: the next run


def test_after_the_merge_the_next_run_has_nothing_to_do(fork: Fork) -> None:
    assert sorted(fork.merged) == [1, 2] and all(p.state == "closed" and p.merged for p in fork.gh.pulls()[:2])
    merged = fork.main_before["second"]
    assert fork.blob(merged, "snapshots/facebook-privacy-center/en/desktop/object-link.json")
    assert fork.blob(merged, "snapshots/instagram-privacy-center/en/desktop/object-link.json")
    run = fork.runs["second"]
    ok(run)
    assert run.code == "0"
    assert run.summary.startswith("## Nothing to do: every walk reached its end\n")
    assert "First walk" not in run.summary
    assert "nothing to publish" in run.steps["publish"].stdout
    assert run.published == {"dry_run": False, "first_walks": [], "actions": []}
    assert fork.pulls_after["second"] == fork.pulls_before["second"] == 2
    assert fork.issues_after["second"] == 0
    status = subprocess.run(["git", "status", "--porcelain"], cwd=run.workspace, capture_output=True, text=True)
    changed = [line for line in status.stdout.splitlines() if not line[3:].startswith(("run/", "reports/"))]
    assert changed == [], "update changed nothing in the merged baseline"


# --------------------------------------------------------------------------- 4. a locale added, a login expired


def test_a_locale_added_later_gets_its_own_first_walk_pull_request(fork: Fork) -> None:
    run = fork.runs["locale"]
    ok(run)
    new = [p for p in fork.gh.pulls() if p.number > 2]
    assert [(p.title, p.state) for p in new] == [("First walk of the Facebook path: de (desktop)", "open")]
    head = git(fork.origin, "rev-parse", "refs/heads/optout-monitor/facebook")
    main = fork.main_before["locale"]
    files = fork.files(main, head)
    assert any(f.startswith("snapshots/facebook-privacy-center/de/desktop/") for f in files)
    assert "instructions/de/facebook.md" in files
    captures = [f for f in files if f.startswith(("snapshots/", "instructions/images/"))]
    assert captures and all("/de/desktop/" in f for f in captures), "the English baseline stays as merged"
    assert not [f for f in files if "instagram" in f], "Instagram's files stay as merged"
    dates = json.loads(fork.blob(head, "instructions/rehearsals.json") or b"{}")
    assert sorted(dates) == ["facebook/de/desktop", "facebook/en/desktop", "instagram/en/desktop"]
    assert (
        dates["facebook/en/desktop"]
        == json.loads(fork.blob(main, "instructions/rehearsals.json") or b"{}")["facebook/en/desktop"]
    )
    assert "(the platform's other walks keep theirs)" in new[0].body
    assert f"- Review and merge: {fork.gh.server_url}/{REPO}/pull/{new[0].number}" in run.summary


def test_a_blocked_first_walk_opens_an_issue_and_no_pull_request(fork: Fork) -> None:
    run = fork.runs["locale"]
    assert run.code == "3", "Instagram's walks are blocked by the login wall"
    [issue] = fork.gh.issues()
    assert issue.title == "Refresh the Instagram login for optout-monitor" and "instagram" in issue.labels
    assert not [p for p in fork.gh.pulls() if p.number > 2 and "Instagram" in p.title]
    branch = git(fork.origin, "rev-parse", "refs/heads/optout-monitor/instagram")
    assert git(fork.origin, "rev-parse", f"{fork.merged[2]}^2") == branch, "Instagram's branch is as merged"
    # a human is needed, and the Facebook first walk is still announced
    assert run.summary.startswith("## A human is needed: see the issue\n")
    assert "**First walk:** 1 walk had no baseline" in run.summary
