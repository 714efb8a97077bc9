"""publish: pull requests and issues on GitHub, idempotent and never destructive.

Every test runs against a real bare git repository as origin and the local GitHub REST emulator
(tests/github_emulator.py), which answers with GitHub's recorded response shapes and records every
request, so the exact calls can be asserted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import github3
import pytest
from markdown_it import MarkdownIt

from monitor import publish
from monitor.model import (
    BlockReason,
    Change,
    ChangeImages,
    Evidence,
    Finding,
    ListDelta,
    Report,
    RunInfo,
    TextDelta,
    Verdict,
)
from monitor.publish import git as gitops
from monitor.publish.github import Endpoint, Limits, Scrubber, connect
from monitor.write.changelog import ChangelogEntry

from .github_emulator import EXAMPLES, GitHubEmulator

assert EXAMPLES.is_dir(), f"{EXAMPLES} (recorded GitHub responses) is missing"

PLANTED = "ghp_PLANTEDsecret0123456789abcdefABCDEF"
REPO = "octo-org/optout-site"
API = f"/repos/{REPO}"
MAINTAINER = {
    "GIT_AUTHOR_NAME": "Mona Maintainer",
    "GIT_AUTHOR_EMAIL": "mona@example.org",
    "GIT_COMMITTER_NAME": "Mona Maintainer",
    "GIT_COMMITTER_EMAIL": "mona@example.org",
}
PNG = b"\x89PNG\r\n\x1a\n"


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full = {**os.environ, **MAINTAINER, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    proc = subprocess.run(["git", *args], cwd=cwd, env=full, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout.strip()


def write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def snapshot(platform: str, word: str) -> dict[str, str | bytes]:
    folder = f"snapshots/{platform}-privacy-center/en/desktop"
    obs = {"site": platform, "journey": f"{platform}-privacy-center", "step": "object-link", "text": word}
    return {
        f"{folder}/object-link.json": json.dumps(obs, indent=2) + "\n",
        f"{folder}/object-link.target.png": PNG + word.encode(),
        f"{folder}/object-link.page.png": PNG + b"page " + word.encode(),
        f"{folder}/open.json": json.dumps({"site": platform, "step": "open"}) + "\n",
        # the picture people get (update renders it): what a reviewer should judge
        f"instructions/images/{platform}/en/desktop/object-link.png": PNG + b"people " + word.encode(),
    }


def instructions(platform: str, word: str) -> str:
    return (
        f"# {platform}\n\n1. Open the Privacy Center.\n2. Click **{word}** under “Your rights”.\n3. Fill in the form.\n"
    )


def simulate_update(work: Path, platform: str, word: str) -> None:
    """What `optout-monitor update` leaves in the working tree when a platform's link was reworded."""
    for rel, data in snapshot(platform, word).items():
        write(work, rel, data)
    write(work, f"instructions/en/{platform}.md", instructions(platform, word))
    entry = ChangelogEntry(
        id=f"{platform}-{word}",
        when="2026-01-02T06:00:00+00:00",
        platform=platform,
        locale="en",
        viewport="desktop",
        journey=f"{platform}-privacy-center",
        step="object-link",
        verdict="reworded",
        summary=f"object → {word}",
        old_text="object",
        new_text=word,
    )
    write(work, f"instructions/changelog/2026-01-02-{platform}-{word}.json", entry.model_dump_json(indent=2) + "\n")
    # update moves every successful walk's date, both platforms' (instructions.Verified's format)
    write(work, "instructions/verified.json", verified("2026-01-02", "2026-01-02"))


def verified(facebook: str, instagram: str) -> str:
    dates = {"facebook/en/desktop": facebook, "instagram/en/desktop": instagram}
    return json.dumps(dates, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


RUN = RunInfo(
    started="2026-01-02T06:00:00+00:00", finished="2026-01-02T06:01:00+00:00", seconds=60, config="monitor.yaml"
)


def change(
    site: str,
    verdict: Verdict,
    *,
    step: str = "object-link",
    summary: str = "",
    evidence: Evidence | None = None,
    images: ChangeImages | None = None,
    locale: str = "en",
    viewport: str = "desktop",
) -> Change:
    return Change(
        journey=f"{site}-privacy-center",
        site=site,
        locale=locale,
        viewport=viewport,
        step=step,
        index=1 if step == "object-link" else 0,
        verdict=verdict,
        category=verdict.category,
        summary=summary or f"{verdict.value} on {site}",
        evidence=evidence or Evidence(),
        images=images or ChangeImages(),
    )


def reworded(site: str, old: str = "object", new: str = "oppose", summary: str = "") -> Change:
    return change(
        site,
        Verdict.REWORDED,
        summary=summary or f"“{old}” → “{new}” (Privacy Center notice)",
        evidence=Evidence(
            findings=[Finding(verdict=Verdict.REWORDED, detail="the link says something else")],
            name=TextDelta(old=old, new=new),
            wording=[(-1, old), (1, new)],
            context=ListDelta(old=["main", 'heading "Your rights"'], new=["main", 'heading "Your choices"']),
            leads_to=TextDelta(
                old="https://www.facebook.com/help/contact/1", new="https://www.facebook.com/help/contact/2"
            ),
        ),
    )


def report(*changes: Change) -> Report:
    return Report.build(RUN, list(changes), [])


def quiet(site: str) -> list[Change]:
    return [change(site, Verdict.UNCHANGED, step="open"), change(site, Verdict.UNCHANGED)]


def blocked(site: str, reason: BlockReason = BlockReason.LOGIN, shot: str | None = None) -> list[Change]:
    ev = Evidence(
        reason=reason,
        error="login wall: button “Log in” @everyone #12 <b>now</b>",
        url=TextDelta(old="https://www.facebook.com/privacy/center/", new="https://www.facebook.com/login/"),
    )
    return [
        change(site, Verdict.BLOCKED, step="open", evidence=ev, images=ChangeImages(after=shot)),
        change(site, Verdict.SKIPPED),
    ]


FAST = Limits(max_wait=5, server_retry_wait=0, connect_timeout=2, read_timeout=5)


@dataclass
class World:
    tmp: Path
    origin: Path
    work: Path
    gh: GitHubEmulator
    env: dict[str, str]
    logs: list[str] = field(default_factory=list)
    sleeps: Sleeps = field(default_factory=Sleeps)

    def publish(self, rep: Report, **kwargs: Any) -> publish.PublishResult:
        kwargs.setdefault("limits", Limits(max_wait=5, server_retry_wait=0, sleep=self.sleeps))
        kwargs.setdefault("dry_run", None)
        return publish.run(rep, self.work, env=self.env, log=self.logs.append, **kwargs)

    def branch(self, name: str) -> str | None:
        proc = subprocess.run(
            ["git", "--git-dir", str(self.origin), "rev-parse", "--verify", "--quiet", f"refs/heads/{name}"],
            capture_output=True,
            text=True,
            check=False,
        )
        return proc.stdout.strip() or None

    def refs(self) -> str:
        return git(self.origin, "for-each-ref", "--format=%(objectname) %(refname)")

    def blob(self, ref: str, path: str) -> bytes:
        cmd = ["git", "--git-dir", str(self.origin), "cat-file", "blob", f"{ref}:{path}"]
        return subprocess.run(cmd, capture_output=True, check=True).stdout

    def reset(self) -> None:
        git(self.work, "checkout", "--", ".")
        git(self.work, "clean", "-fdq")

    def calls(self) -> list[str]:
        return self.gh.calls()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """origin (bare, main = the baseline) and a clone of it, made once and copied per test."""
    root = tmp_path_factory.mktemp("publish-template")
    origin = root / "origin.git"
    git(root, "init", "--bare", "--quiet", "--template=", "-b", "main", str(origin))
    seed = root / "seed"
    git(root, "init", "--quiet", "--template=", "-b", "main", str(seed))
    for platform in ("facebook", "instagram"):
        for rel, data in snapshot(platform, "object").items():
            write(seed, rel, data)
        write(seed, f"instructions/en/{platform}.md", instructions(platform, "object"))
    write(seed, "instructions/README.md", "# Instructions\n")
    write(seed, "instructions/verified.json", verified("2026-01-01", "2026-01-01"))
    write(seed, "README.md", "# the site\n")
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "baseline")
    git(seed, "push", "--quiet", str(origin), "main")
    git(root, "clone", "--quiet", "--template=", str(origin), str(root / "work"))
    return root


@pytest.fixture
def world(tmp_path: Path, template: Path) -> Iterator[World]:
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    shutil.copytree(template / "origin.git", origin, symlinks=True)
    shutil.copytree(template / "work", work, symlinks=True)
    git(work, "remote", "set-url", "origin", str(origin))
    with GitHubEmulator(REPO, token=PLANTED, git_dir=origin) as gh:
        env = {
            "GITHUB_TOKEN": PLANTED,
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_API_URL": gh.url,
            "GITHUB_SERVER_URL": gh.server_url,
            "GITHUB_RUN_ID": "1001",
        }
        yield World(tmp_path, origin, work, gh, env)


def open_first_pr(w: World) -> publish.PublishResult:
    simulate_update(w.work, "facebook", "oppose")
    return w.publish(report(reworded("facebook"), *quiet("facebook"), *quiet("instagram")))


# --------------------------------------------------------------------------- pull requests


def test_first_run_opens_one_pull_request_with_exactly_these_calls(world: World) -> None:
    main_before = world.branch("main")
    result = open_first_pr(world)

    assert world.calls() == [
        f"GET {API}",
        f"GET {API}/pulls?direction=desc&per_page=100&sort=created&state=open",
        f"POST {API}/pulls",
        f"GET {API}/issues/1",
        f"POST {API}/issues/1/labels",
        f"GET {API}/issues?labels=optout-monitor&per_page=100&state=open",
    ]
    assert all(r.authorized and "Authorization" not in r.headers for r in world.gh.requests)
    [pr] = world.gh.pulls()
    assert result.prs_opened == [f"{world.gh.server_url}/{REPO}/pull/1"]
    assert (pr.title, pr.state, pr.labels) == (
        "Update the Facebook instructions: 1 change (reworded) seen in 1 step",
        "open",
        ["optout-monitor", "facebook"],
    )
    assert world.gh.bodies("POST", r"/pulls$")[0]["head"] == "optout-monitor/facebook"
    assert world.gh.bodies("POST", r"/pulls$")[0]["base"] == "main"

    # the branch: one bot commit on top of main, with the trailer, holding facebook's files only
    head = world.branch("optout-monitor/facebook")
    assert head and world.branch("main") == main_before
    assert git(world.origin, "rev-parse", f"{head}^") == main_before
    author = git(world.origin, "log", "-1", "--format=%an <%ae>", head)
    assert author == "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
    assert git(world.origin, "log", "-1", "--format=%cn <%ce>", head) == author
    assert "Optout-Monitor-Run: 1001" in git(world.origin, "log", "-1", "--format=%B", head)
    files = git(world.origin, "diff", "--name-only", f"{main_before}..{head}").splitlines()
    assert files == [
        "instructions/changelog/2026-01-02-facebook-oppose.json",
        "instructions/en/facebook.md",
        "instructions/images/facebook/en/desktop/object-link.png",
        "instructions/verified.json",
        "snapshots/facebook-privacy-center/en/desktop/object-link.json",
        "snapshots/facebook-privacy-center/en/desktop/object-link.page.png",
        "snapshots/facebook-privacy-center/en/desktop/object-link.target.png",
    ]
    assert world.branch("optout-monitor/instagram") is None
    # the shared verified.json carries facebook's dates only; instagram's go with instagram's own PR
    assert world.blob(head, "instructions/verified.json").decode() == verified("2026-01-02", "2026-01-01")

    # the body a reviewer decides from
    body = pr.body
    blob = f"{world.gh.server_url}/{REPO}/blob"
    people = "instructions/images/facebook/en/desktop/object-link.png"
    assert f"{blob}/{main_before}/{people}?raw=true" in body  # before, pinned to the base commit
    assert f"{blob}/{head}/{people}?raw=true" in body  # after, pinned to the pushed commit
    assert "snapshots/facebook-privacy-center/en/desktop/object-link.target.png?raw" not in body  # no bare crop
    # "on top of main" names main's commit, not the pull request's own
    assert f"on top of `main` at [`{main_before[:10]}`]({world.gh.server_url}/{REPO}/commit/{main_before})" in body
    assert "- **Facebook: the “object” link now reads “oppose”; seen on computer.**" in body
    assert "## What followers will read" in body
    rendered = MarkdownIt("commonmark").render(body)  # the changelog text, as the feeds will publish it
    assert "<blockquote>\n<ul>\n<li><strong>Facebook: “object” now reads “oppose”</strong> · computers only" in rendered
    assert "/blob/optout-monitor/" not in body and "/blob/main/" not in body
    assert "| facebook-privacy-center | en | desktop | reworded ×1, unchanged ×2 | update |" in body
    assert "```diff\n- [-object-]\n+ {+oppose+}\n```" in body
    assert 'Place: main › heading "Your rights" → main › heading "Your choices"' in body
    assert (
        "```diff\n@@ facebook @@\n- 2. Click **[-object-]** under “Your rights”.\n+ 2. Click **{+oppose+}** under “Your rights”.\n```"
        in body
    )
    assert "`instructions/en/facebook.md`" in body
    assert "- [ ] The *after* pictures show the real Facebook page" in body
    assert f"[run `1001`]({world.gh.server_url}/{REPO}/actions/runs/1001)" in body
    assert "`https://www.facebook.com/help/contact/2`" in body  # a destination is shown, never linked


def test_second_run_updates_the_same_pull_request(world: World) -> None:
    open_first_pr(world)
    first = world.branch("optout-monitor/facebook")
    world.reset()
    simulate_update(world.work, "facebook", "refuse")
    world.gh.requests.clear()
    world.env["GITHUB_RUN_ID"] = "1002"

    result = world.publish(report(reworded("facebook", new="refuse"), *quiet("instagram")))

    assert world.calls() == [
        f"GET {API}",
        f"GET {API}/pulls?direction=desc&per_page=100&sort=created&state=open",
        f"PATCH {API}/pulls/1",
        f"GET {API}/issues?labels=optout-monitor&per_page=100&state=open",
    ]
    [pr] = world.gh.pulls()
    assert result.prs_updated == [f"{world.gh.server_url}/{REPO}/pull/1"] and not result.prs_opened
    second = world.branch("optout-monitor/facebook")
    assert second and second != first
    assert git(world.origin, "rev-parse", f"{second}^") == world.branch("main")  # rebuilt on main, not stacked
    assert f"/blob/{second}/" in pr.body and f"/blob/{first}/" not in pr.body
    assert "+ {+refuse+}" in pr.body and "runs/1002" in pr.body

    # the same report again: nothing to push, the body is already right
    world.gh.requests.clear()
    again = world.publish(report(reworded("facebook", new="refuse"), *quiet("instagram")))
    assert world.branch("optout-monitor/facebook") == second
    assert f"PATCH {API}/pulls/1" not in world.calls()
    assert again.prs_unchanged and not again.prs_updated and len(world.gh.pulls()) == 1
    assert [a.line() for a in again.actions] == [
        f"facebook: unchanged PR {world.gh.server_url}/{REPO}/pull/1 (already up to date)"
    ]


def test_each_platform_gets_its_own_branch_and_pull_request(world: World) -> None:
    simulate_update(world.work, "facebook", "oppose")
    simulate_update(world.work, "instagram", "refuse")
    result = world.publish(report(reworded("facebook"), reworded("instagram", new="refuse")))
    assert sorted(p.title for p in world.gh.pulls()) == [
        "Update the Facebook instructions: 1 change (reworded) seen in 1 step",
        "Update the Instagram instructions: 1 change (reworded) seen in 1 step",
    ]
    assert len(result.prs_opened) == 2
    main = world.branch("main")
    for platform, other in (("facebook", "instagram"), ("instagram", "facebook")):
        head = world.branch(f"optout-monitor/{platform}")
        files = git(world.origin, "diff", "--name-only", f"{main}..{head}")
        assert f"instructions/en/{platform}.md" in files and other not in files.replace("verified.json", "")
    both = "2026-01-02"
    assert world.blob(str(world.branch("optout-monitor/instagram")), "instructions/verified.json").decode() == verified(
        "2026-01-01", both
    )


def test_an_empty_diff_opens_no_pull_request(world: World) -> None:
    before = world.refs()
    result = world.publish(report(reworded("facebook"), *quiet("instagram")))  # update wrote nothing
    assert world.calls() == [
        f"GET {API}",
        f"GET {API}/pulls?direction=desc&per_page=100&sort=created&state=open",  # one to close for instagram?
        f"GET {API}/issues?labels=optout-monitor&per_page=100&state=open",
    ]
    assert world.refs() == before and not world.gh.pulls() and not result.changed_anything
    assert any("no file differs from main; no pull request" in line for line in world.logs)


def test_a_reverted_change_closes_the_pull_request_with_a_comment(world: World) -> None:
    open_first_pr(world)
    world.reset()  # the site went back: update leaves the files as on main
    world.gh.requests.clear()
    world.env["GITHUB_RUN_ID"] = "1003"

    result = world.publish(report(*quiet("facebook"), *quiet("instagram")))

    assert world.calls() == [
        f"GET {API}",
        f"GET {API}/pulls?direction=desc&per_page=100&sort=created&state=open",
        f"POST {API}/issues/1/comments",
        f"PATCH {API}/pulls/1",
        f"GET {API}/issues?labels=optout-monitor&per_page=100&state=open",
    ]
    [pr] = world.gh.pulls()
    assert pr.state == "closed" and result.prs_closed == [f"{world.gh.server_url}/{REPO}/pull/1"]
    assert world.gh.bodies("PATCH", r"/pulls/1$") == [{"state": "closed"}]
    assert "went back" in pr.comments[0]["body"] and "runs/1003" in pr.comments[0]["body"]
    # closed unmerged and reverted: the branch goes too, and the next run finds nothing to do
    assert world.branch("optout-monitor/facebook") is None
    assert result.branches_deleted == ["optout-monitor/facebook"]
    assert [a.line() for a in result.actions] == [
        f"facebook: closed PR {world.gh.server_url}/{REPO}/pull/1 (the site went back)",
        "facebook: deleted branch optout-monitor/facebook (its changes are no longer needed)",
    ]
    world.gh.requests.clear()
    again = world.publish(report(*quiet("facebook"), *quiet("instagram")))
    assert not again.changed_anything and [p.state for p in world.gh.pulls()] == ["closed"]


def test_a_reverted_branch_someone_pushed_to_is_kept(world: World) -> None:
    open_first_pr(world)
    maint = world.tmp / "maintainer"
    git(world.tmp, "clone", "--quiet", "-b", "optout-monitor/facebook", str(world.origin), str(maint))
    (maint / "NOTE.md").write_text("a maintainer's note\n")
    git(maint, "add", "NOTE.md")
    git(maint, "-c", "user.name=Maintainer", "-c", "user.email=m@example.org", "commit", "-qm", "note")
    git(maint, "push", "--quiet", "origin", "optout-monitor/facebook")
    world.reset()
    result = world.publish(report(*quiet("facebook"), *quiet("instagram")))
    assert world.branch("optout-monitor/facebook") and not result.branches_deleted
    assert result.kept == ["optout-monitor/facebook"] and [p.state for p in world.gh.pulls()] == ["open"]


def test_commits_made_as_a_github_app_when_its_identity_is_given(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPTOUT_BOT_NAME", "my-monitor[bot]")
    monkeypatch.setenv("OPTOUT_BOT_EMAIL", "123456+my-monitor[bot]@users.noreply.github.com")
    open_first_pr(world)
    head = world.branch("optout-monitor/facebook")
    assert head
    app = "my-monitor[bot] <123456+my-monitor[bot]@users.noreply.github.com>"
    assert git(world.origin, "log", "-1", "--format=%an <%ae>|%cn <%ce>", head) == f"{app}|{app}"
    # the app's own commits count as the bot's: a reverted change deletes its branch
    world.reset()
    assert world.publish(report(*quiet("facebook"), *quiet("instagram"))).branches_deleted == [
        "optout-monitor/facebook"
    ]


def test_a_blocked_run_does_not_close_the_pull_request(world: World) -> None:
    open_first_pr(world)
    world.reset()  # update keeps the baseline of a blocked walk
    world.env["GITHUB_RUN_ID"] = "1002"
    result = world.publish(report(*blocked("facebook"), *quiet("instagram")))
    assert [p.state for p in world.gh.pulls()] == ["open"] and not result.prs_closed
    assert [i.title for i in world.gh.issues()] == ["Refresh the Facebook login for optout-monitor"]


def test_a_report_without_changes_touches_nothing(world: World) -> None:
    result = world.publish(report())
    assert world.gh.requests == [] and not result.changed_anything


def take_over_the_branch(world: World) -> None:
    """The bot opened its pull request; a maintainer then pushed a commit of their own on its branch."""
    open_first_pr(world)
    maint = world.tmp / "maintainer"
    git(world.tmp, "clone", "--quiet", "-b", "optout-monitor/facebook", str(world.origin), str(maint))
    write(maint, "instructions/en/facebook.md", instructions("facebook", "oppose") + "4. Wait for the e-mail.\n")
    git(maint, "commit", "--quiet", "-am", "Say what happens after sending")
    git(maint, "push", "--quiet", "origin", "optout-monitor/facebook")


def test_a_maintainers_commit_on_the_branch_survives(world: World) -> None:
    take_over_the_branch(world)
    theirs = world.branch("optout-monitor/facebook")

    world.reset()
    simulate_update(world.work, "facebook", "refuse")
    world.gh.requests.clear()
    result = world.publish(report(reworded("facebook", new="refuse"), *quiet("instagram")))

    assert world.branch("optout-monitor/facebook") == theirs  # never overwritten
    assert world.calls() == [
        f"GET {API}",
        f"GET {API}/pulls?direction=desc&per_page=100&sort=created&state=open",
        f"GET {API}/issues/1/comments?per_page=100",
        f"POST {API}/issues/1/comments",
        f"GET {API}/issues?labels=optout-monitor&per_page=100&state=open",
    ]
    [pr] = world.gh.pulls()
    comment = pr.comments[0]["body"]
    assert "did not update" in comment and "Mona Maintainer" in comment and "Say what happens after sending" in comment
    assert "`snapshots/facebook-privacy-center/en/desktop/object-link.json`" in comment
    # the one way the monitor mistakes its own commits for a maintainer's is said where it shows
    assert "only when it has something new" in comment and "`OPTOUT_BOT_NAME`/`OPTOUT_BOT_EMAIL`" in comment
    assert result.kept == ["optout-monitor/facebook"] and not result.prs_updated

    # again: the same would-be change is not announced twice
    world.gh.requests.clear()
    world.publish(report(reworded("facebook", new="refuse"), *quiet("instagram")))
    assert f"POST {API}/issues/1/comments" not in world.calls()
    assert world.branch("optout-monitor/facebook") == theirs and len(pr.comments) == 1


def test_a_refused_push_is_retried_once_after_fetching_again(world: World) -> None:
    hook = world.origin / "hooks" / "pre-receive"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(
        "#!/bin/sh\n"
        'n=$(cat "$GIT_DIR/pushes" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$GIT_DIR/pushes"\n'
        'if [ "$n" = 1 ]; then echo "busy, try again" >&2; exit 1; fi\n'
    )
    hook.chmod(0o755)
    result = open_first_pr(world)
    assert (world.origin / "pushes").read_text().strip() == "2"
    assert world.branch("optout-monitor/facebook") and result.prs_opened
    assert any("refused the push" in line and "rebuilding once" in line for line in world.logs)


def test_a_push_refused_twice_fails_clearly(world: World) -> None:
    hook = world.origin / "hooks" / "pre-receive"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text("#!/bin/sh\necho 'protected branch' >&2\nexit 1\n")
    hook.chmod(0o755)
    simulate_update(world.work, "facebook", "oppose")
    with pytest.raises(publish.PushRejectedError, match="refused the push of optout-monitor/facebook twice"):
        world.publish(report(reworded("facebook")))
    assert not world.gh.pulls()


def test_nothing_is_ever_pushed_to_the_base_branch(world: World) -> None:
    simulate_update(world.work, "facebook", "oppose")
    with pytest.raises(publish.UnsafeError, match="one of the monitor's own branches"):
        world.publish(report(reworded("facebook")), base="optout-monitor/facebook")
    git_ = gitops.Git(world.work, Scrubber())
    head = git_.rev("HEAD")
    assert head
    with pytest.raises(publish.UnsafeError, match="never to the base branch"):
        git_.push(head, "main", base="main", expect=None, force=True)
    with pytest.raises(publish.UnsafeError):
        git_.push(head, "optout-monitor/main", base="optout-monitor/main", expect=None, force=True)
    assert world.branch("optout-monitor/facebook") is None


def test_a_stale_checkout_is_not_published(world: World) -> None:
    other = world.tmp / "other"
    git(world.tmp, "clone", "--quiet", str(world.origin), str(other))
    write(other, "instructions/en/facebook.md", instructions("facebook", "objection"))
    git(other, "commit", "--quiet", "-am", "hand edit")
    git(other, "push", "--quiet", "origin", "main")
    simulate_update(world.work, "facebook", "oppose")
    with pytest.raises(publish.UnsafeError, match=r"git pull --ff-only origin main"):
        world.publish(report(reworded("facebook")))
    assert world.branch("optout-monitor/facebook") is None


# --------------------------------------------------------------------------- issues


def test_a_broken_path_opens_one_issue_and_healing_closes_it(world: World) -> None:
    run_dir = world.tmp / "run"
    write(run_dir, "images/facebook-privacy-center/en/desktop/open.after.png", PNG + b"login wall")
    rep = report(
        *blocked("facebook", shot="images/facebook-privacy-center/en/desktop/open.after.png"), *quiet("instagram")
    )

    result = world.publish(rep, report_dir=run_dir)

    assert world.calls() == [
        f"GET {API}",
        f"GET {API}/pulls?direction=desc&per_page=100&sort=created&state=open",
        f"GET {API}/issues?labels=optout-monitor&per_page=100&state=open",
        f"POST {API}/issues",
    ]
    [issue] = world.gh.issues()
    assert issue.title == "Refresh the Facebook login for optout-monitor"
    assert issue.labels == ["optout-monitor", "facebook"] and result.issues_opened
    evidence = world.branch("optout-monitor/evidence")
    assert evidence and world.branch("main") and not world.branch("optout-monitor/facebook")
    [shot] = git(world.origin, "ls-tree", "-r", "--name-only", evidence).splitlines()
    assert shot.startswith("evidence/facebook/login/") and world.blob(evidence, shot) == PNG + b"login wall"
    assert f"{world.gh.server_url}/{REPO}/blob/{evidence}/{shot}?raw=true" in issue.body
    assert "| facebook-privacy-center | en | desktop | open | blocked | login |" in issue.body
    assert "`https://www.facebook.com/login/`" in issue.body
    assert (
        "### How to resume" in issue.body and "- [ ] " in issue.body and "OPTOUT_FACEBOOK_STORAGE_STATE" in issue.body
    )
    assert "@everyone" not in issue.body and "<b>" not in issue.body and "#12" not in issue.body
    assert_only_our_markup(issue.body, world.gh.server_url)

    # the same run published again changes nothing
    world.gh.requests.clear()
    world.publish(rep, report_dir=run_dir)
    assert [c for c in world.calls() if not c.startswith("GET")] == []

    # fails again in a later run: one comment, body refreshed, still one issue
    world.gh.requests.clear()
    world.env["GITHUB_RUN_ID"] = "1002"
    again = world.publish(rep, report_dir=run_dir)
    assert [c for c in world.calls() if not c.startswith("GET")] == [
        f"POST {API}/issues/1/comments",
        f"PATCH {API}/issues/1",
    ]
    assert len(world.gh.issues()) == 1 and again.issues_updated and "Failed again" in issue.comments[0]["body"]
    assert world.branch("optout-monitor/evidence") == evidence  # same screenshot: nothing new to commit

    # a run that walks the path again closes it
    world.gh.requests.clear()
    world.env["GITHUB_RUN_ID"] = "1003"
    healed = world.publish(report(*quiet("facebook"), *quiet("instagram")))
    assert [c for c in world.calls() if not c.startswith("GET")] == [
        f"POST {API}/issues/1/comments",
        f"PATCH {API}/issues/1",
    ]
    assert world.gh.bodies("PATCH", r"/issues/1$")[-1] == {"state": "closed"}
    assert (
        issue.state == "closed"
        and healed.issues_closed
        and "walked the Facebook path again" in issue.comments[-1]["body"]
    )


def test_issues_are_one_per_platform_and_problem_and_close_only_when_walked(world: World) -> None:
    gone = change("instagram", Verdict.TARGET_GONE, evidence=Evidence(error="no link named “object”"))
    world.publish(report(*blocked("facebook"), gone, change("instagram", Verdict.UNCHANGED, step="open")))
    titles = sorted(i.title for i in world.gh.issues())
    assert titles == ["A step of the Instagram opt-out path is gone", "Refresh the Facebook login for optout-monitor"]

    # facebook still blocked by something else: the login issue stays (the walk never got past the wall)
    world.env["GITHUB_RUN_ID"] = "1002"
    world.publish(report(*blocked("facebook", BlockReason.TIMEOUT), *quiet("instagram")))
    states = {i.title: i.state for i in world.gh.issues()}
    assert states == {
        "A step of the Instagram opt-out path is gone": "closed",
        "Refresh the Facebook login for optout-monitor": "open",
        "optout-monitor cannot reach the Facebook opt-out pages": "open",
    }


# --------------------------------------------------------------------------- errors


def test_401_names_the_token(world: World) -> None:
    world.env["GITHUB_TOKEN"] = "ghp_wrong_token_value_123"
    with pytest.raises(
        publish.AuthError, match=r"GITHUB_TOKEN is missing or expired: GitHub answered 401 \(Bad credentials\)"
    ):
        open_first_pr(world)
    del world.env["GITHUB_TOKEN"]
    with pytest.raises(
        publish.AuthError, match="GITHUB_TOKEN is missing or expired: neither GITHUB_TOKEN nor GH_TOKEN"
    ):
        world.publish(report(reworded("facebook")))


def test_403_from_actions_says_which_setting_to_enable(world: World) -> None:
    world.gh.fail_next(
        "POST",
        r"/pulls$",
        403,
        {"message": "GitHub Actions is not permitted to create or approve pull requests.", "documentation_url": "x"},
    )
    with pytest.raises(publish.ActionsNotPermittedError) as err:
        open_first_pr(world)
    assert (
        'Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests"'
        in str(err.value)
    )
    assert err.value.status == 403 and world.branch("optout-monitor/facebook")  # pushed; the next run opens it


def test_other_403_names_the_permissions(world: World) -> None:
    world.gh.fail_next("GET", rf"^{API}$", 403, {"message": "Resource not accessible by integration"})
    with pytest.raises(
        publish.ForbiddenError, match="permissions: contents: write, pull-requests: write, issues: write"
    ):
        open_first_pr(world)


def test_404_names_the_repository_and_token_scope(world: World) -> None:
    world.env["GITHUB_REPOSITORY"] = "octo-org/no-such-repo"
    with pytest.raises(
        publish.NotFoundError, match=r"GITHUB_REPOSITORY \('octo-org/no-such-repo'\).*token cannot see it"
    ):
        open_first_pr(world)


def test_422_shows_githubs_message(world: World) -> None:
    world.gh.fail_next(
        "POST",
        r"/pulls$",
        422,
        {
            "message": "Validation Failed",
            "errors": [
                {
                    "resource": "PullRequest",
                    "code": "custom",
                    "message": "No commits between main and optout-monitor/facebook",
                }
            ],
        },
    )
    with pytest.raises(
        publish.ValidationError, match=r"Validation Failed \(No commits between main and optout-monitor/facebook\)"
    ):
        open_first_pr(world)


def test_5xx_is_retried_once_then_fails(world: World) -> None:
    world.gh.fail_next("GET", rf"^{API}$", 502, {"message": "Server Error"})
    assert open_first_pr(world).prs_opened
    assert world.calls()[:2] == [f"GET {API}", f"GET {API}"]

    world.gh.fail_next("GET", rf"^{API}$", 503, {"message": "Service Unavailable"}, times=2)
    with pytest.raises(publish.ServerError, match=r"503 \(Service Unavailable\).*also after one retry"):
        world.publish(report(reworded("facebook")))


def test_a_5xx_on_create_never_duplicates_the_pull_request(world: World) -> None:
    world.gh.fail_next("POST", r"/pulls$", 500, {"message": "Server Error"}, apply=True)  # it landed anyway
    result = open_first_pr(world)
    assert len(world.gh.pulls()) == 1 and len(world.gh.bodies("POST", r"/pulls$")) == 1
    assert result.prs_opened and not result.prs_updated  # found: it was this run that opened it


def test_rate_limits_wait_as_the_headers_say_then_fail_clearly(world: World) -> None:
    world.gh.fail_next("GET", rf"^{API}$", 429, {"message": "API rate limit exceeded"}, {"Retry-After": "3"})
    assert open_first_pr(world).prs_opened
    assert world.sleeps == [3.0]

    world.sleeps.clear()
    reset = str(int(__import__("time").time()) + 3600)
    world.gh.fail_next(
        "GET",
        rf"^{API}$",
        403,
        {"message": "API rate limit exceeded for installation"},
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
    )
    with pytest.raises(publish.RateLimitError, match=r"GitHub asks to wait 3\d\d\d s .*this run waits at most 5 s"):
        world.publish(report(reworded("facebook")))
    assert world.sleeps == []  # too long to wait: fails at once

    world.gh.fail_next("GET", rf"^{API}$", 429, {"message": "secondary rate limit"}, {"Retry-After": "1"}, times=5)
    with pytest.raises(publish.RateLimitError, match="Re-run after"):
        world.publish(report(reworded("facebook")))
    assert world.sleeps == [1.0, 1.0]  # bounded


def test_network_errors_name_the_api_url(world: World) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    world.env["GITHUB_API_URL"] = f"http://127.0.0.1:{port}"
    with pytest.raises(
        publish.NetworkError, match=f"cannot reach the GitHub API at http://127.0.0.1:{port} .*connection refused"
    ):
        open_first_pr(world)


# --------------------------------------------------------------------------- the token


def test_the_token_never_appears_in_output(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    world.env["GH_TOKEN"] = PLANTED
    open_first_pr(world)
    world.publish(report(*blocked("facebook"), *quiet("instagram")), dry_run=world.tmp / "dry")
    world.gh.fail_next("GET", rf"^{API}$", 500, {"message": f"echo {PLANTED}"}, times=2)
    with pytest.raises(publish.ServerError) as err:
        world.publish(report(reworded("facebook")))
    # git errors: a remote whose URL carries the token, over https (auth goes in an env header)
    git(
        world.work,
        "remote",
        "set-url",
        "origin",
        f"https://x-access-token:{PLANTED}@127.0.0.1:{_closed_port()}/o/r.git",
    )
    with pytest.raises(publish.GitError) as git_err:
        world.publish(report(reworded("facebook")))
    out = capsys.readouterr()
    seen = "\n".join([out.out, out.err, *world.logs, str(err.value), str(git_err.value)])
    seen += "".join(p.read_text() for p in (world.tmp / "dry").iterdir())
    seen += "".join(json.dumps(r.__dict__, default=str) for r in world.gh.requests)
    assert PLANTED not in seen and "ghp_PLANTED" not in seen
    assert "(echo ***)" in str(err.value) and "ls-remote" in str(git_err.value)


def test_https_remotes_get_the_token_through_the_environment_only(world: World) -> None:
    git(world.work, "remote", "set-url", "origin", "https://github.example/octo-org/optout-site.git")
    g = gitops.Git(world.work, Scrubber([PLANTED]), PLANTED)
    auth = g._auth_env()
    assert auth["GIT_CONFIG_KEY_0"] == "http.https://github.example/.extraheader"
    assert auth["GIT_CONFIG_VALUE_0"].startswith("AUTHORIZATION: basic ") and PLANTED not in auth["GIT_CONFIG_VALUE_0"]
    # actions/checkout's own header wins (two Authorization headers make GitHub answer 400)
    git(world.work, "config", "http.https://github.example/.extraheader", "AUTHORIZATION: basic abc")
    assert gitops.Git(world.work, Scrubber(), PLANTED)._auth_env() == {}


def assert_only_our_markup(body: str, server_url: str) -> None:
    """Rendered as CommonMark with tables: the only links, images and HTML are the ones publish made."""
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    inline = [c for t in tokens for c in (t.children or [])]
    targets = [str(c.attrGet("href") or c.attrGet("src")) for c in inline if c.type in ("link_open", "image")]
    assert all(t.startswith(server_url + "/") for t in targets), targets
    ours = (
        r"<!-- optout-monitor:[^<>]* -->|</details>|<details><summary>(\d+ files? in this commit"
        r"|Each step of this change \(\d+: [a-z, -]+ × [a-z, -]+\)|Verdicts by journey, locale and viewport"
        r"|Each failing step \(\d+\))</summary>"
    )
    html = [t.content.strip() for t in tokens if t.type == "html_block"]
    assert all(re.fullmatch(ours, h) for h in html), html
    assert not [c.content for c in inline if c.type == "html_inline"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# --------------------------------------------------------------------------- dry run, Enterprise, inert text


def test_dry_run_writes_the_payloads_and_touches_no_remote(world: World) -> None:
    simulate_update(world.work, "facebook", "oppose")
    status_before = git(world.work, "status", "--porcelain")
    refs_before = world.refs()
    run_dir = world.tmp / "run"
    write(run_dir, "images/instagram-privacy-center/en/desktop/open.after.png", PNG)
    out = world.tmp / "dry"
    rep = report(
        reworded("facebook"),
        *blocked("instagram", BlockReason.SECURITY_CHECK, "images/instagram-privacy-center/en/desktop/open.after.png"),
    )

    result = world.publish(rep, dry_run=out, report_dir=run_dir)

    assert world.gh.requests == [] and world.refs() == refs_before
    assert git(world.work, "status", "--porcelain") == status_before
    names = sorted(p.name for p in result.dry_run_files)
    assert names == [
        "issue-instagram-security-check.json",
        "issue-instagram-security-check.md",
        "pr-facebook.json",
        "pr-facebook.md",
    ]
    pr = json.loads((out / "pr-facebook.json").read_text())
    assert pr["title"] == "Update the Facebook instructions: 1 change (reworded) seen in 1 step"
    assert (
        pr["labels"] == ["optout-monitor", "facebook"]
        and pr["head"] == "optout-monitor/facebook"
        and pr["base"] == "main"
    )
    assert {"status": "M", "path": "instructions/en/facebook.md"} in pr["files"]
    assert (out / "pr-facebook.md").read_text() == pr["body"]
    issue = json.loads((out / "issue-instagram-security-check.json").read_text())
    assert issue["title"] == "Pass the Instagram security check for optout-monitor"
    assert issue["files"] and issue["files"][0].startswith("evidence/instagram/security-check/")
    assert all(PLANTED not in p.read_text() for p in result.dry_run_files)


def test_dry_run_needs_no_token(world: World) -> None:
    simulate_update(world.work, "facebook", "oppose")
    env = {"GITHUB_REPOSITORY": REPO}
    result = publish.run(
        report(reworded("facebook")), world.work, dry_run=world.tmp / "dry", env=env, log=world.logs.append
    )
    assert [p.name for p in result.dry_run_files] == ["pr-facebook.json", "pr-facebook.md"]
    assert world.gh.requests == []


def test_github_enterprise_base_url(world: World, tmp_path: Path) -> None:
    world.gh.stop()
    with GitHubEmulator(REPO, token=PLANTED, git_dir=world.origin, prefix="/api/v3") as ghe:
        world.gh = ghe
        world.env["GITHUB_API_URL"] = ghe.url  # http://127.0.0.1:PORT/api/v3, as Actions sets it on GHES
        world.env["GITHUB_SERVER_URL"] = ghe.server_url
        client = connect(Endpoint.from_env(ghe.url, None), PLANTED, FAST, print)
        assert isinstance(client, github3.GitHubEnterprise)
        result = open_first_pr(world)
        assert result.prs_opened == [f"{ghe.server_url}/{REPO}/pull/1"]
        assert world.calls()[0] == f"GET {API}"  # served under /api/v3
        assert f"{ghe.server_url}/{REPO}/blob/" in ghe.pulls()[0].body
    endpoint = Endpoint.from_env("https://ghe.example.com/api/v3", None)
    assert (endpoint.enterprise, endpoint.server_url) == (True, "https://ghe.example.com")
    dotcom = Endpoint.from_env(None, None)
    assert (dotcom.api_url, dotcom.server_url, dotcom.enterprise) == (
        "https://api.github.com",
        "https://github.com",
        False,
    )
    client = connect(dotcom, PLANTED, FAST, print)
    assert not isinstance(client, github3.GitHubEnterprise) and client.session.base_url == "https://api.github.com"
    with pytest.raises(publish.SetupError, match=r"GITHUB_API_URL is 'api\.github\.com', not an http"):
        Endpoint.from_env("api.github.com", None)


def test_page_text_is_inert_in_bodies(world: World) -> None:
    hostile = (
        "@octocat see #12 <img src=x onerror=alert(1)> [click](https://evil.example) **now** https://evil.example/x"
    )
    simulate_update(world.work, "facebook", "oppose")
    rep = report(reworded("facebook", new="oppose ```\n@mona", summary=hostile))
    world.publish(rep)
    body = world.gh.pulls()[0].body
    for bad in ("@octocat", "#12", "](https://evil", "**now**", "https://evil.example/x", "\n@mona"):
        assert bad not in body, bad
    assert not re.search(r"(?<!\\)<img", body)
    assert "\\<img src=x onerror=alert\\(1\\)\\>" in body
    assert_only_our_markup(body, world.gh.server_url)
    assert "````diff\n- [-object-]\n+ {+oppose ``` @mona+}\n````" in body  # a fence the text cannot close


def test_the_scrubber_catches_the_token_in_its_usual_disguises() -> None:
    import base64

    scrub = Scrubber([PLANTED])
    basic = base64.b64encode(f"x-access-token:{PLANTED}".encode()).decode()
    text = f"token {PLANTED}; Authorization: basic {basic}; https://user:{PLANTED}@host/x https://a:b@h/y"
    cleaned = scrub(text)
    assert PLANTED not in cleaned and basic.rstrip("=") not in cleaned
    assert cleaned.count("***") >= 4 and "https://***@h/y" in cleaned


# --------------------------------------------------------------------------- what publish says, and its failures


def test_a_comment_that_landed_before_a_500_is_not_posted_twice(world: World) -> None:
    rep = report(*blocked("facebook"), *quiet("instagram"))
    world.publish(rep)
    [issue] = world.gh.issues()
    world.env["GITHUB_RUN_ID"] = "1002"
    world.gh.requests.clear()
    world.gh.fail_next("POST", r"/issues/1/comments$", 500, {"message": "Server Error"}, apply=True)

    result = world.publish(rep)

    assert len(issue.comments) == 1 and "Failed again" in issue.comments[0]["body"]
    assert len(world.gh.bodies("POST", r"/issues/1/comments$")) == 1, "looked before retrying; did not retry"
    assert f"GET {API}/issues/1/comments?per_page=100" in world.calls()
    assert result.issues_updated and any("the comment landed" in line for line in world.logs)


def test_a_comment_that_did_not_land_is_retried_once(world: World) -> None:
    rep = report(*blocked("facebook"), *quiet("instagram"))
    world.publish(rep)
    [issue] = world.gh.issues()
    world.env["GITHUB_RUN_ID"] = "1002"
    world.gh.fail_next("POST", r"/issues/1/comments$", 502, {"message": "Bad Gateway"})
    world.publish(rep)
    assert len(issue.comments) == 1 and len(world.gh.bodies("POST", r"/issues/1/comments$")) == 2


@pytest.mark.parametrize(
    ("status", "body", "headers", "times", "error", "fix"),
    [
        (429, {"message": "secondary rate limit"}, {"Retry-After": "1"}, 5, publish.RateLimitError, "Re-run after"),
        (
            403,
            {"message": "Resource not accessible by integration"},
            {},
            1,
            publish.ForbiddenError,
            "pull-requests: write",
        ),
        (500, {"message": "Server Error"}, {}, 2, publish.ServerError, "githubstatus.com"),
    ],
)
def test_a_failure_while_listing_pull_requests_names_its_fix(
    world: World, status: int, body: dict[str, str], headers: dict[str, str], times: int, error: type, fix: str
) -> None:
    simulate_update(world.work, "facebook", "oppose")
    world.gh.fail_next("GET", rf"^{API}/pulls$", status, body, headers, times=times)
    with pytest.raises(error, match="listing open pull requests") as err:
        world.publish(report(reworded("facebook"), *quiet("instagram")))
    assert fix in str(err.value) and "ClientError" not in str(err.value) and "ServerError:" not in str(err.value)


def test_each_kind_of_404_has_its_own_message(world: World) -> None:
    open_first_pr(world)
    world.reset()
    simulate_update(world.work, "facebook", "refuse")
    world.env["GITHUB_RUN_ID"] = "1002"
    # the pull request vanished between listing and updating it
    world.gh.fail_next("PATCH", r"/pulls/1$", 404, {"message": "Not Found"})
    with pytest.raises(publish.NotFoundError) as gone:
        world.publish(report(reworded("facebook", new="refuse"), *quiet("instagram")))
    assert "pull request #1 of octo-org/optout-site was there when this run listed it" in str(gone.value)
    assert "GITHUB_REPOSITORY (" not in str(gone.value)
    # the repository was readable, a listing is not: not the repository's name
    world.gh.fail_next("GET", rf"^{API}/pulls$", 404, {"message": "Not Found"})
    with pytest.raises(publish.NotFoundError) as listing:
        world.publish(report(reworded("facebook", new="refuse"), *quiet("instagram")))
    assert "itself was readable a moment ago, so GITHUB_REPOSITORY is right" in str(listing.value)
    # a 404 that is not GitHub's (no JSON message): the API URL
    world.gh.fail_next("GET", rf"^{API}$", 404, "")
    with pytest.raises(publish.NotFoundError, match=r"GITHUB_API_URL \(http://127\.0\.0\.1:\d+\) may not be"):
        world.publish(report(reworded("facebook", new="refuse"), *quiet("instagram")))


def test_the_summary_says_what_happened_per_platform(world: World) -> None:
    first = open_first_pr(world)
    url = f"{world.gh.server_url}/{REPO}/pull/1"
    assert [a.line() for a in first.actions] == [f"facebook: opened PR {url}"]
    world.env["GITHUB_RUN_ID"] = "1002"
    world.reset()
    simulate_update(world.work, "facebook", "refuse")
    second = world.publish(report(reworded("facebook", new="refuse"), *quiet("instagram")))
    assert [a.line() for a in second.actions] == [f"facebook: updated PR {url} (new commit, body)"]
    issue = world.publish(report(*blocked("instagram"), *quiet("facebook")))
    assert [a.line() for a in issue.actions] == [
        f"instagram: opened issue {world.gh.server_url}/{REPO}/issues/2 (Refresh the Instagram login for optout-monitor)"
    ]


def test_the_cli_prints_the_summary_not_updated_on_a_no_op(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from monitor.cli import app

    simulate_update(world.work, "facebook", "oppose")
    path = world.tmp / "run" / "report.json"
    write(path.parent, "report.json", report(reworded("facebook"), *quiet("instagram")).canonical_json())
    for key, value in world.env.items():
        monkeypatch.setenv(key, value)
    runner = CliRunner()
    first = runner.invoke(app, ["publish", str(path), "--root", str(world.work)])
    assert first.exit_code == 0, first.output
    assert f"facebook: opened PR {world.gh.server_url}/{REPO}/pull/1" in first.output
    again = runner.invoke(app, ["publish", str(path), "--root", str(world.work)])
    assert "facebook: unchanged PR" in again.output and "updated PR" not in again.output


def test_a_kept_branch_gets_no_comment_when_the_bot_has_nothing_new(world: World) -> None:
    take_over_the_branch(world)
    world.env["GITHUB_RUN_ID"] = "1002"
    world.gh.requests.clear()

    # the same change as the bot's own commit under the maintainer's: nothing new to tell
    result = world.publish(report(reworded("facebook"), *quiet("instagram")))

    [pr] = world.gh.pulls()
    assert pr.comments == [] and f"POST {API}/issues/1/comments" not in world.calls()
    assert [a.line() for a in result.actions] == [
        f"facebook: kept for a maintainer {world.gh.server_url}/{REPO}/pull/1 (nothing new to say)"
    ]

    # something new: the comment lists what changed since the bot's last commit, not every file against main
    world.reset()
    simulate_update(world.work, "facebook", "refuse")
    world.env["GITHUB_RUN_ID"] = "1003"
    world.publish(report(reworded("facebook", new="refuse"), *quiet("instagram")))
    [comment] = pr.comments
    assert "`snapshots/facebook-privacy-center/en/desktop/object-link.json`" in comment["body"]
    assert "instructions/verified.json" not in comment["body"], "unchanged since the bot's commit"
    assert "since the monitor's last commit on this branch" in comment["body"]


def test_urls_in_error_text_stay_copyable_in_issue_bodies(world: World) -> None:
    ev = Evidence(
        reason=BlockReason.HTTP_ERROR, error="HTTP 502 at https://www.facebook.com/privacy/center/?x=1 (twice)"
    )
    world.publish(report(change("facebook", Verdict.BLOCKED, step="open", evidence=ev), *quiet("instagram")))
    [issue] = world.gh.issues()
    assert "`https://www.facebook.com/privacy/center/?x=1`" in issue.body
    assert "\u2060" not in issue.body.split("https://www.facebook.com/privacy/center/?x=1")[0][-5:]
    rendered = MarkdownIt("commonmark").enable("table").render(issue.body)
    assert "<code>https://www.facebook.com/privacy/center/?x=1</code>" in rendered


def test_the_dry_run_links_pictures_beside_the_payload_never_owner_repository(world: World) -> None:
    simulate_update(world.work, "facebook", "oppose")
    out = world.tmp / "dry"
    env = {k: v for k, v in world.env.items() if k not in ("GITHUB_REPOSITORY", "GITHUB_TOKEN")}
    publish.run(report(reworded("facebook")), world.work, dry_run=out, env=env, log=world.logs.append)
    body = (out / "pr-facebook.md").read_text()
    assert "OWNER/REPOSITORY" not in body
    links = re.findall(r"\]\((images/[^)]+)\)", body)
    assert links and all((out / link).is_file() for link in links)
    main = world.branch("main")
    assert f"images/{str(main)[:12]}/instructions/images/facebook/en/desktop/object-link.png" in links
    assert (out / links[0]).read_bytes().startswith(PNG)
