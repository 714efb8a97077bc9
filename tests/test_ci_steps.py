"""The workflows' steps (scripts/ci/), run here in the situation GitHub Actions creates for them.

- the aggregate job: git as root in a container, on a checkout owned by the runner's user (another uid);
- the step files GitHub gives: $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, an empty $HOME;
- the artifact layout download-artifact makes for `pattern: report-shard-*` (one folder per artifact);
- the login secrets as the env variables the workflow passes, and the log GitHub would show.

These need root (useradd, chown), as the CI job has: they fail, not skip, without it.
"""

from __future__ import annotations

import base64
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitor.model import Report, Verdict
from monitor.replica import storage_state

from .conftest import Replica
from .github_emulator import GitHubEmulator, WorkflowRun
from .test_publish import PLANTED, REPO, RUN, change, git, quiet, report, reworded, simulate_update, template  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / "scripts" / "ci"
RUNNER = "optout-ci-runner"  # the runner's user: owns the checkout, as uid 1001 does on GitHub's machines
SERVER = "https://github.com"
RUN_ID = "4242"


@pytest.fixture(scope="session")
def runner_uid() -> int:
    if os.geteuid() != 0:
        pytest.fail("these tests play GitHub's container jobs, which run as root: run them as root (CI does)")
    try:
        return pwd.getpwnam(RUNNER).pw_uid
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", RUNNER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(RUNNER).pw_uid


@dataclass
class Job:
    """One job's environment as the runner makes it: step files, a fresh HOME, GitHub's variables."""

    tmp: Path
    workspace: Path
    env: dict[str, str]
    log: list[str]

    def step(self, script: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run scripts/ci/<script> as the workflow's `run:` does, from the workspace; its output joins the log."""
        proc = subprocess.run(
            [str(CI / script), *args],
            cwd=self.workspace,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        self.log.append(proc.stdout + proc.stderr)
        return proc

    def outputs(self) -> dict[str, str]:
        lines = Path(self.env["GITHUB_OUTPUT"]).read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def summary(self) -> str:
        return Path(self.env["GITHUB_STEP_SUMMARY"]).read_text()

    def shown_log(self) -> str:
        """The log as GitHub shows it: every value registered with ::add-mask:: so far becomes ***."""
        masks: list[str] = []
        shown = []
        for output in self.log:
            for line in output.splitlines():
                command = re.fullmatch(r"::add-mask::(.*)", line)
                if command:
                    value = command.group(1).replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
                    masks.append(value)
                    continue  # the runner does not print the command
                for value in sorted(masks, key=len, reverse=True):
                    line = line.replace(value, "***")
                shown.append(line)
        return "\n".join(shown)


def new_job(tmp: Path, workspace: Path) -> Job:
    home = tmp / "github-home"  # /github/home in a container job: no git config of its own
    home.mkdir()
    files = {name: tmp / name.lower() for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")}
    for path in files.values():
        path.touch()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_", "OPTOUT_"))}
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",  # python:3.11-bookworm has no /etc/gitconfig
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(ROOT),  # `optout-monitor` runs this checkout's code
        CI="true",
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(workspace),
        GITHUB_SERVER_URL=SERVER,
        GITHUB_REPOSITORY=REPO,
        GITHUB_RUN_ID=RUN_ID,
        **{name: str(path) for name, path in files.items()},
    )
    return Job(tmp, workspace, env, [])


# --------------------------------------------------------------------------- the aggregate job and git


@pytest.fixture
def owned_checkout(
    tmp_path: Path,
    template: Path,  # noqa: F811 (the fixture of test_publish.py)
    runner_uid: int,
) -> Iterator[tuple[Path, Path, GitHubEmulator]]:
    """A checkout (with a bare origin) owned by the runner's user, as actions/checkout leaves it in a container."""
    origin, work = tmp_path / "origin.git", tmp_path / "workspace"
    shutil.copytree(template / "origin.git", origin, symlinks=True)
    shutil.copytree(template / "work", work, symlinks=True)
    git(work, "remote", "set-url", "origin", str(origin))
    subprocess.run(["chown", "-R", f"{runner_uid}:{runner_uid}", str(work)], check=True)
    with GitHubEmulator(REPO, token=PLANTED, git_dir=origin) as gh:
        yield origin, work, gh


def test_the_aggregate_job_publishes_as_root_from_a_checkout_the_runner_owns(
    tmp_path: Path, owned_checkout: tuple[Path, Path, GitHubEmulator], runner_uid: int
) -> None:
    origin, work, gh = owned_checkout
    assert work.stat().st_uid == runner_uid != os.geteuid()
    simulate_update(work, "facebook", "oppose")  # what update.sh leaves in the working tree
    (work / "run").mkdir()
    (work / "run" / "report.json").write_text(
        report(reworded("facebook"), *quiet("facebook"), *quiet("instagram")).model_dump_json()
    )
    job = new_job(tmp_path, work)
    secrets = {"GITHUB_TOKEN": PLANTED, "GITHUB_API_URL": gh.url, "GITHUB_SERVER_URL": gh.server_url}

    # today's main: publish straight after checkout, and git refuses the repository
    refused = job.step("publish.sh", env=secrets)
    assert refused.returncode != 0 and "dubious ownership" in refused.stdout + refused.stderr
    assert not gh.pulls()

    trusted = job.step("trust-workspace.sh")
    assert trusted.returncode == 0, trusted.stderr
    safe = subprocess.run(
        ["git", "config", "--global", "--get-all", "safe.directory"], env=job.env, capture_output=True, text=True
    )
    assert safe.stdout.splitlines() == [str(work)], "exactly this workspace, never '*'"
    assert job.step("trust-workspace.sh").returncode == 0  # a re-run adds nothing
    again = subprocess.run(
        ["git", "config", "--global", "--get-all", "safe.directory"], env=job.env, capture_output=True, text=True
    )
    assert again.stdout.splitlines() == [str(work)]

    published = job.step("publish.sh", env=secrets)
    assert published.returncode == 0, published.stdout + published.stderr
    [pr] = gh.pulls()
    assert pr.state == "open" and pr.pull == {"head": "optout-monitor/facebook", "base": "main"}
    head = git(origin, "rev-parse", "refs/heads/optout-monitor/facebook")
    identity = git(origin, "log", "-1", "--format=%an <%ae>|%cn <%ce>", head)
    bot = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
    assert identity == f"{bot}|{bot}"
    assert PLANTED not in job.shown_log()


def test_publish_in_dry_run_needs_no_token_and_writes_the_preview(
    tmp_path: Path, owned_checkout: tuple[Path, Path, GitHubEmulator]
) -> None:
    origin, work, gh = owned_checkout
    simulate_update(work, "facebook", "oppose")
    (work / "run").mkdir()
    (work / "run" / "report.json").write_text(report(reworded("facebook"), *quiet("instagram")).model_dump_json())
    job = new_job(tmp_path, work)
    assert job.step("trust-workspace.sh").returncode == 0
    before = git(origin, "for-each-ref")
    dry = job.step("publish.sh", env={"DRY_RUN": "true"})
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert any((work / "publish-preview").rglob("*")) and git(origin, "for-each-ref") == before
    assert not gh.requests
    missing = job.step("publish.sh", env={"DRY_RUN": "false"})
    assert missing.returncode != 0 and "GITHUB_TOKEN is unset" in missing.stderr


def test_trusting_the_workspace_outside_a_job_names_what_is_missing(tmp_path: Path) -> None:
    job = new_job(tmp_path, tmp_path)
    del job.env["GITHUB_WORKSPACE"]
    proc = job.step("trust-workspace.sh")
    assert proc.returncode != 0 and "GITHUB_WORKSPACE is unset" in proc.stderr


# --------------------------------------------------------------------------- shards, secrets and the summary


def b64(state: dict[str, object]) -> str:
    return base64.b64encode(json.dumps(state).encode()).decode()


@dataclass
class ShardedRun:
    job: Job
    shards: list[subprocess.CompletedProcess[str]]
    outputs: list[dict[str, str]]
    cookies: list[str]


@pytest.fixture(scope="module")
def sharded_run(tmp_path_factory: pytest.TempPathFactory, replica: Replica) -> ShardedRun:
    """Two shard jobs, one walking a logged-in journey and one a public journey, with the logins given as
    the workflow gives them, then the aggregate job's download layout."""
    tmp = tmp_path_factory.mktemp("sharded")
    workspace = tmp / "workspace"
    workspace.mkdir()
    state = storage_state("facebook")
    cookies = [str(c["value"]) for c in state["cookies"]]
    secrets = {
        "OPTOUT_FACEBOOK_STORAGE_STATE": b64(state),
        "OPTOUT_INSTAGRAM_STORAGE_STATE": b64(storage_state("instagram")),
        "OPTOUT_MASK_TEXT": "Replica Person|replica.person",
    }
    shards, outputs = [], []
    job = new_job(tmp, workspace)
    for n in (1, 2):
        output = tmp / f"github_output_{n}"
        output.touch()
        env = {"RUN_DIR": f"runs/shard-{n}", "SHARD": f"{n}/2", "GITHUB_OUTPUT": str(output), **secrets}
        masked = job.step("mask-logins.py", env=env)
        assert masked.returncode == 0, masked.stdout + masked.stderr
        args = ["--config", str(ROOT / "monitor.yaml"), "--site", f"facebook={replica.url}"]
        args += ["--journey", "facebook-privacy-center", "--journey", "facebook-privacy-policy"]
        args += ["--locale", "en", "--viewport", "desktop"]
        shards.append(job.step("check-shard.sh", *args, env={**env, "WORKERS": "1"}))
        outputs.append(dict(line.split("=", 1) for line in output.read_text().splitlines()))
        summary = job.step("summary.py", "shard", env={**env, "CODE": outputs[-1].get("exit-code", "")})
        assert summary.returncode == 0, summary.stderr
        # upload-artifact name report-shard-N, path runs/shard-N; download-artifact with a pattern and no
        # merge-multiple puts each artifact in its own folder named after it
        # (an artifact without files is not uploaded: if-no-files-found: warn)
        if (workspace / f"runs/shard-{n}").is_dir():
            shutil.copytree(workspace / f"runs/shard-{n}", workspace / "reports" / f"report-shard-{n}")
    return ShardedRun(job, shards, outputs, cookies)


def test_a_shard_step_reports_its_exit_code_in_github_output(sharded_run: ShardedRun) -> None:
    for proc, outputs in zip(sharded_run.shards, sharded_run.outputs, strict=True):
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert outputs == {"exit-code": "0"}
    assert "[1/1] facebook-privacy-center/en/desktop ok" in sharded_run.shards[0].stdout + sharded_run.shards[0].stderr
    assert "[1/1] facebook-privacy-policy/en/desktop ok" in sharded_run.shards[1].stdout + sharded_run.shards[1].stderr


def test_the_login_given_as_a_base64_secret_walks_the_logged_in_journey(sharded_run: ShardedRun) -> None:
    shard = sharded_run.job.workspace / "runs" / "shard-1" / "report.json"
    changes = json.loads(shard.read_text())["changes"]
    assert [c["verdict"] for c in changes] and all(c["verdict"] == Verdict.NEW.value for c in changes)
    assert not any("login" in json.dumps(c.get("evidence", {})).lower() and c["verdict"] == "blocked" for c in changes)


def test_the_logs_never_show_a_cookie_value(sharded_run: ShardedRun) -> None:
    masks = re.findall(r"^::add-mask::(.*)$", "\n".join(sharded_run.job.log), re.MULTILINE)
    for cookie in sharded_run.cookies:
        assert cookie in masks, f"cookie value of length {len(cookie)} not masked"
    assert "Replica Person" in masks and "replica.person" in masks
    first_check = next(i for i, out in enumerate(sharded_run.job.log) if "facebook-privacy-center/en/desktop" in out)
    first_mask = next(i for i, out in enumerate(sharded_run.job.log) if "::add-mask::" in out)
    assert first_mask < first_check, "the masks are registered before the check step runs"
    shown = sharded_run.job.shown_log()
    for cookie in sharded_run.cookies:
        assert cookie not in shown
    assert "masked 2 value(s) of 2 cookie(s)" in shown


def test_the_aggregate_step_merges_the_downloaded_artifacts_and_the_summary_links_work(
    sharded_run: ShardedRun,
) -> None:
    job = sharded_run.job
    Path(job.env["GITHUB_OUTPUT"]).write_text("")
    proc = job.step("aggregate.sh")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert job.outputs() == {"exit-code": "0"}
    merged = json.loads((job.workspace / "run" / "report.json").read_text())
    shards = [json.loads((job.workspace / f"runs/shard-{n}/report.json").read_text()) for n in (1, 2)]
    assert len(merged["changes"]) == sum(len(s["changes"]) for s in shards) > 0
    assert {c["journey"] for c in merged["changes"]} == {"facebook-privacy-center", "facebook-privacy-policy"}
    assert job.step("summary.py", "run", env={"CODE": "0"}).returncode == 0

    summary = job.summary()
    run = f"{SERVER}/{REPO}/actions/runs/{RUN_ID}"
    assert "## Shard 1/2: exit 0" in summary and "## Shard 2/2: exit 0" in summary
    # every step is new (no baseline): a first walk, never "Nothing to do"; no publish ran, and it says so
    assert "## First walk: no baseline yet, review and merge the pull request" in summary
    assert "Nothing to do" not in summary
    assert "**First walk:** 2 walks had no baseline in `snapshots/`" in summary
    assert "- No pull request was opened for it: see the publish step's log." in summary
    targets = re.findall(r"\]\(([^)\s]+)", summary)
    assert targets and all(t.startswith(f"{SERVER}/{REPO}/") for t in targets), [
        t for t in targets if not t.startswith(SERVER)
    ]
    # a first run's report.md holds no pictures (they stay in report.html); each part names its artifact
    assert f"[the artifact report]({run}#artifacts)" in summary
    assert f"[the artifact report-shard-1]({run}#artifacts)" in summary


def test_the_aggregate_step_fails_naming_the_missing_artifacts(tmp_path: Path) -> None:
    job = new_job(tmp_path, tmp_path)
    proc = job.step("aggregate.sh")
    assert proc.returncode == 2 and "no shard report in reports/report-shard-*" in proc.stderr
    assert job.outputs() == {"exit-code": "2"}


def test_a_usage_error_fails_the_shard_but_still_reports_its_code(tmp_path: Path) -> None:
    job = new_job(tmp_path, tmp_path)
    proc = job.step("check-shard.sh", "--config", str(ROOT / "monitor.yaml"), env={"RUN_DIR": "r", "SHARD": "5/4"})
    assert proc.returncode == 2 and job.outputs() == {"exit-code": "2"}
    assert job.step("summary.py", "shard", env={"SHARD": "5/4", "CODE": "2", "RUN_DIR": "r"}).returncode == 0
    assert "## Shard 5/4: exit 2\n\nNo report was written; see the log." in job.summary()


def test_a_login_secret_stored_as_json_is_still_masked_but_warned_about(tmp_path: Path) -> None:
    job = new_job(tmp_path, tmp_path)
    state = storage_state("facebook")
    proc = job.step("mask-logins.py", env={"OPTOUT_FACEBOOK_STORAGE_STATE": json.dumps(state)})
    assert proc.returncode == 0
    assert "::warning::OPTOUT_FACEBOOK_STORAGE_STATE holds JSON" in proc.stdout
    for cookie in state["cookies"]:
        assert f"::add-mask::{cookie['value']}" in proc.stdout
    bad = job.step("mask-logins.py", env={"OPTOUT_INSTAGRAM_STORAGE_STATE": "not base64!"})
    assert bad.returncode == 1 and "::error::OPTOUT_INSTAGRAM_STORAGE_STATE is neither base64 nor JSON" in bad.stdout
    assert "not base64!" not in bad.stdout, "the message never repeats the secret"


def test_a_step_that_prints_a_login_by_mistake_shows_only_masks(tmp_path: Path) -> None:
    """What the masks are for: any later step printing the decoded state (a trace, a debug dump)."""
    job = new_job(tmp_path, tmp_path)
    state = storage_state("facebook")
    env = {"OPTOUT_FACEBOOK_STORAGE_STATE": b64(state)}
    assert job.step("mask-logins.py", env=env).returncode == 0
    leak = subprocess.run(
        [
            sys.executable,
            "-c",
            "import base64, os; print(base64.b64decode(os.environ['OPTOUT_FACEBOOK_STORAGE_STATE']).decode())",
        ],
        env={**job.env, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    job.log.append(leak.stdout)
    cookies = [str(c["value"]) for c in state["cookies"]]
    assert all(c in leak.stdout for c in cookies), "the step did print them"
    shown = job.shown_log()
    assert '"value": "***"' in shown and not any(c in shown for c in cookies)


# --------------------------------------------------------------------------- the Pages job and the last report


def fake_cli(tmp: Path) -> Path:
    """An `optout-monitor` first on PATH that records its arguments, one per line."""
    bin_dir = tmp / "fake-bin"
    bin_dir.mkdir()
    cli = bin_dir / "optout-monitor"
    cli.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp}/args"\n')
    cli.chmod(0o755)
    return bin_dir


def test_the_site_step_passes_the_downloaded_report_and_builds_without_one(tmp_path: Path) -> None:
    job = new_job(tmp_path, tmp_path)
    job.env["PATH"] = f"{fake_cli(tmp_path)}{os.pathsep}{job.env['PATH']}"
    # no monitor run yet (or its artifact expired): the site is still built, with no --report
    proc = job.step("build-site.sh", env={"REPORT_DIR": "monitor-report"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "args").read_text().splitlines() == ["site", "_site"]
    # download-artifact's layout for the aggregate job's `report` (paths run/ and publish-preview/)
    (tmp_path / "monitor-report" / "run").mkdir(parents=True)
    (tmp_path / "monitor-report" / "run" / "report.json").write_text("{}")
    proc = job.step("build-site.sh", env={"REPORT_DIR": "monitor-report"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "args").read_text().splitlines() == [
        "site",
        "_site",
        "--report",
        "monitor-report/run/report.json",
    ]
    assert "status from the last check's report: monitor-report/run/report.json" in proc.stdout


def test_the_published_status_says_a_change_seen_by_the_last_check_is_pending(tmp_path: Path) -> None:
    """build-site.sh for real on the repository, with a report of the real sites in which a step changed."""
    # the real sites, walked after any date in instructions/verified.json: one step reworded
    run = RUN.model_copy(update={"finished": "2099-01-01T06:01:00+00:00"})
    made = Report.build(
        run, [reworded("facebook"), *quiet("instagram"), change("facebook", Verdict.UNCHANGED, locale="fr")], []
    )
    folder = tmp_path / "monitor-report" / "run"
    folder.mkdir(parents=True)
    (folder / "report.json").write_text(made.model_dump_json())
    job = new_job(tmp_path, ROOT)  # the step runs in the checkout; it writes only to SITE_DIR
    env = {"REPORT_DIR": str(tmp_path / "monitor-report"), "SITE_DIR": str(tmp_path / "_site")}
    proc = job.step("build-site.sh", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    paths = json.loads((tmp_path / "_site" / "status.json").read_text())["paths"]
    state = {(p["platform"], p["locale"]): p["state"] for p in paths}
    assert state[("facebook", "en")] == "changed"
    assert state[("instagram", "en")] != "changed" and state[("facebook", "fr")] != "changed", "only what changed"
    badge = (tmp_path / "_site" / "badges" / "en" / "facebook.svg").read_text()
    assert "changed: guide update pending" in badge


def test_the_pages_job_finds_the_newest_monitor_run_that_holds_a_report(tmp_path: Path) -> None:
    with GitHubEmulator(REPO, token=PLANTED) as gh:
        job = new_job(tmp_path, tmp_path)
        secrets = {"GITHUB_TOKEN": PLANTED, "GITHUB_API_URL": gh.url, "GITHUB_REF_NAME": "main"}
        none = job.step("last-report.py", env=secrets)
        assert none.returncode == 0 and job.outputs() == {}, none.stdout + none.stderr
        assert "no completed run of monitor.yml on main holds the artifact 'report'" in none.stdout

        gh.runs += [
            WorkflowRun(11, "monitor.yml", artifacts=["report-shard-1", "report"]),  # a full check
            WorkflowRun(
                12, "monitor.yml", conclusion="failure", artifacts=["report-shard-1", "report"], expired=["report"]
            ),
            WorkflowRun(13, "monitor.yml", branch="try-this", artifacts=["report"]),
            WorkflowRun(14, "ci.yml", artifacts=["report"]),
            WorkflowRun(15, "monitor.yml", status="in_progress", conclusion=None, artifacts=["report"]),
            WorkflowRun(16, "monitor.yml", artifacts=["report-quick"]),  # a quick look
        ]
        # on push or by hand: the newest completed run on main whose report has not expired
        found = job.step("last-report.py", env=secrets)
        assert found.returncode == 0 and job.outputs() == {"run-id": "11"}, found.stdout + found.stderr
        # after a full check: that run; after a quick look: the last full check's
        gh.runs.append(WorkflowRun(17, "monitor.yml", conclusion="failure", artifacts=["report"]))
        Path(job.env["GITHUB_OUTPUT"]).write_text("")
        assert job.step("last-report.py", env={**secrets, "TRIGGER_RUN_ID": "17"}).returncode == 0
        assert job.outputs() == {"run-id": "17"}
        Path(job.env["GITHUB_OUTPUT"]).write_text("")
        assert job.step("last-report.py", env={**secrets, "TRIGGER_RUN_ID": "16"}).returncode == 0
        assert job.outputs() == {"run-id": "17"}

        # no actions: read: a warning, no report, and the site is still built
        Path(job.env["GITHUB_OUTPUT"]).write_text("")
        gh.fail_next("GET", r"/actions/workflows/monitor.yml/runs$", 403, {"message": "Resource not accessible"})
        refused = job.step("last-report.py", env=secrets)
        assert refused.returncode == 0 and job.outputs() == {}
        assert "::warning::no report of the last check" in refused.stdout and "actions: read" in refused.stdout
    assert PLANTED not in job.shown_log()
