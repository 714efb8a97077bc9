"""A locked supply chain: pinned actions and images, hashed installs, Dependabot, and what each make target needs."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from .test_ci_steps import RUNNER, runner_uid  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
CI_SCRIPTS = sorted((ROOT / "scripts" / "ci").iterdir())
LOCKS = [ROOT / "requirements" / "runtime.txt", ROOT / "requirements" / "dev.txt"]
SHA = re.compile(r"[0-9a-f]{40}")
DIGEST = re.compile(r"[^\s@]+:[^\s@]+@sha256:[0-9a-f]{64}")


def unpinned_actions(text: str) -> list[str]:
    """`uses:` lines not pinned to a full commit SHA with the version noted, and docker:// without a digest."""
    bad = []
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", line)
        if not match or match.group(1).startswith("./"):
            continue
        ref, rest = match.groups()
        if ref.startswith("docker://"):
            if not DIGEST.fullmatch(ref.removeprefix("docker://")):
                bad.append(f"{number}: {ref}: pin the image by digest")
            continue
        _, _, version = ref.partition("@")
        if not SHA.fullmatch(version) or not re.search(r"#\s*v\d+(\.\d+)*", rest):
            bad.append(f"{number}: {ref}: pin to a full commit SHA and note the version (# v4.2.2)")
    return bad


def unpinned_images(workflow: dict[str, Any]) -> list[str]:
    bad = []
    for job_id, job in workflow["jobs"].items():
        container = job.get("container")
        images = [container if isinstance(container, str) else (container or {}).get("image")]
        images += [s.get("image") for s in (job.get("services") or {}).values()]
        bad += [f"{job_id}: {image}" for image in images if image and not DIGEST.fullmatch(image)]
    return bad


def unhashed_installs(text: str) -> list[str]:
    """pip installs that resolve packages without checking hashes: allowed are `--require-hashes` from a lock
    file and `--no-deps` of the project itself."""
    bad = []
    joined = re.sub(r"\\\n\s*", " ", text)
    for number, line in enumerate(joined.splitlines(), 1):
        if line.lstrip().startswith("#") or not re.search(r"\bpip3?\b[^\n]*\binstall\b", line):
            continue
        if "pip-tools" in line and "LOCK_VENV" in line:
            continue  # make lock: pip-compile's own throwaway venv, never used to run anything
        args = line.split()
        hashed = "--require-hashes" in args and ({"-r", "--requirement"} & set(args))
        own = "--no-deps" in args and any(a in (".", "-e", '"$repo"', "$repo") for a in args)
        if not (hashed or own):
            bad.append(f"{number}: {line.strip()}")
    return bad


def lock_entries(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of a pip-compile lock."""
    entries: dict[str, tuple[str, list[str]]] = {}
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    for line in text.splitlines():
        if not line or line.lstrip().startswith("#"):
            continue
        match = re.match(r"^([A-Za-z0-9._-]+)==(\S+)\s*(.*)$", line)
        assert match, f"{path.name}: not pinned with ==: {line[:80]}"
        name, version, rest = match.groups()
        entries[re.sub(r"[-_.]+", "-", name).lower()] = (version, re.findall(r"--hash=sha256:([0-9a-f]{64})", rest))
    return entries


def test_the_policy_catches_what_it_is_for() -> None:
    assert unpinned_actions("      - uses: actions/checkout@v4\n")
    assert unpinned_actions("      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n")  # no version
    assert unpinned_actions("      - uses: docker://alpine:3.20\n")
    assert not unpinned_actions("      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n")
    assert unpinned_images({"jobs": {"a": {"container": "python:3.11-bookworm"}}})
    assert unpinned_images(
        {"jobs": {"a": {"container": {"image": "python:3.11"}, "services": {"db": {"image": "postgres:16"}}}}}
    )
    for bad in (
        "python -m pip install .",
        "python -m pip install --quiet --upgrade pip",
        "pip install -r requirements/runtime.txt",
        "pip install --require-hashes requests",
        "$(BIN)/pip install -q -e '.[dev]'",
        "uv pip install \\\n  -r requirements.txt",
    ):
        assert unhashed_installs(bad), bad
    for good in (
        'python -m pip install --require-hashes --requirement "$lock"',
        '"$python" -m pip install --quiet --no-deps --no-build-isolation "$repo"',
        "$(BIN)/pip install -q --require-hashes -r $(LOCK)",
    ):
        assert not unhashed_installs(good), good


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_workflow_pins_its_actions_and_images_and_installs_with_hashes(path: Path) -> None:
    text = path.read_text()
    assert unpinned_actions(text) == []
    assert unpinned_images(YAML(typ="safe").load(text)) == []
    assert unhashed_installs(text) == []


def test_every_install_in_scripts_and_the_makefile_checks_hashes() -> None:
    for path in [*CI_SCRIPTS, ROOT / "Makefile", ROOT / "scripts" / "ensure-browser.sh"]:
        assert unhashed_installs(path.read_text()) == [], path.name
    install = (ROOT / "scripts" / "ci" / "install.sh").read_text()
    assert "--require-hashes --requirement" in install and "--no-deps --no-build-isolation" in install
    for wf in ("monitor.yml", "pages.yml"):
        assert "scripts/ci/install.sh" in (ROOT / ".github" / "workflows" / wf).read_text()


def test_the_workflows_use_the_image_dependabot_watches() -> None:
    dockerfile = (ROOT / ".github" / "ci-image" / "Dockerfile").read_text()
    [image] = re.findall(r"^FROM\s+(\S+)", dockerfile, re.MULTILINE)
    assert DIGEST.fullmatch(image)
    seen = 0
    for path in WORKFLOWS:
        for job_id, job in YAML(typ="safe").load(path.read_text())["jobs"].items():
            container = job.get("container")
            if container:
                used = container if isinstance(container, str) else container["image"]
                assert used == image, f"{path.name}: {job_id}: use {image} (the Dockerfile Dependabot bumps)"
                seen += 1
    assert seen >= 3


def test_the_locks_pin_every_dependency_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0]).lower() for r in requirements}

    runtime, dev = (lock_entries(p) for p in LOCKS)
    for lock, wanted in (
        (runtime, names(project["dependencies"])),
        (dev, names(project["dependencies"] + project["optional-dependencies"]["dev"])),
    ):
        missing = wanted - set(lock)
        assert not missing, f"not in the lock: {sorted(missing)}: run make lock"
        assert all(hashes for _, hashes in lock.values())
        assert "setuptools" in lock, "the build backend is locked too (--no-build-isolation installs use it)"
    shared = set(runtime) & set(dev)
    assert {n for n in shared if runtime[n][0] != dev[n][0]} == set(), "runtime and dev locks agree on versions"
    makefile = (ROOT / "Makefile").read_text()
    flags = re.search(r"^LOCK_FLAGS := (.*)$", makefile, re.MULTILINE)
    assert flags
    for path in LOCKS:
        header = path.read_text().split("\n\n", 1)[0]
        for flag in flags.group(1).split():
            if flag != "--quiet":
                assert flag.split("=")[0] in header, f"{path.name} was not made by make lock ({flag})"


def test_dependabot_updates_actions_pip_and_docker_weekly_in_groups() -> None:
    config = YAML(typ="safe").load((ROOT / ".github" / "dependabot.yml").read_text())
    assert config["version"] == 2
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"github-actions", "pip", "docker"}
    for ecosystem, update in updates.items():
        assert update["schedule"]["interval"] == "weekly", ecosystem
        assert update["groups"] and all(g["patterns"] == ["*"] for g in update["groups"].values()), ecosystem
    assert updates["docker"]["directory"] == "/.github/ci-image"


# --------------------------------------------------------------------------- the two commands


def make_plan(target: str) -> str:
    proc = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_make_demo_needs_no_node_and_make_test_does() -> None:
    demo = make_plan("demo")
    assert "ensure-browser.sh" in demo and "scripts/demo.py" in demo
    assert not re.search(r"\bnpm\b|\bnode\b|ensure-node", demo), demo
    test = make_plan("test")
    assert "ensure-node.sh" in test and "npm ci" in test and "pytest" in test
    for plan in (demo, test):
        assert "--require-hashes -r requirements/dev.txt" in plan and "--no-deps" in plan


def test_without_root_or_sudo_the_setup_stops_with_a_one_line_fix(tmp_path: Path, runner_uid: int) -> None:  # noqa: F811
    """ensure-node.sh (make test) and apt-install.sh (both commands) as a user who has neither node nor sudo."""
    runuser = shutil.which("runuser")
    assert runuser, "runuser (util-linux) runs the script as the unprivileged user"
    proc = subprocess.run(
        [runuser, "-u", RUNNER, "--", "/bin/bash", str(ROOT / "scripts" / "ensure-node.sh")],
        env={"PATH": "/nonexistent", "HOME": "/nonexistent"},  # no node, npm, sudo or apt-get
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "needs root or sudo (apt-get install nodejs npm)" in lines[0]
    assert "install Node 20 or later with npm (nodejs.org), then run make test again" in lines[0]
