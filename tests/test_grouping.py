"""`make test` runs `pytest -n 2 --dist loadgroup`: a module's shared fixture (a walk of minutes) must
be built by one worker only. Played on a stand-alone suite whose conftest is tests/grouping.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from . import grouping

RAN = """
import os, pathlib, time, pytest

def ran(kind):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "none")
    with open(pathlib.Path(os.environ["BUILT"]).parent / f"order-{worker}", "a") as log:
        log.write(kind + "\\n")
"""

MODULE = (
    RAN
    + """

@pytest.fixture(scope="module")
def walk():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "none")
    (pathlib.Path(os.environ["BUILT"]) / f"{__name__}-{worker}").write_text("built")
    time.sleep(0.5)

@pytest.mark.parametrize("i", range(6))
def test_uses_the_walk(walk, i):
    ran("group")
    time.sleep(0.05)

@pytest.mark.parametrize("i", range(6))
def test_without_it(i):
    ran("quick")
    time.sleep(0.05)
"""
)

# the single tests that walk (they use the replica), collected after quick ones of other modules
WALKS = (
    RAN
    + """

@pytest.fixture
def replica():
    return "a replica"

def test_quick_in_the_same_module():
    ran("quick")

@pytest.mark.parametrize("i", range(4))
def test_walks(replica, i):
    ran("walk")
"""
)


def test_each_modules_shared_fixture_is_built_by_one_worker_and_walks_go_before_quick_tests(tmp_path: Path) -> None:
    suite, built = tmp_path / "suite", tmp_path / "built"
    (suite / "tests").mkdir(parents=True)
    built.mkdir()
    (suite / "pytest.ini").write_text("[pytest]\n")
    (suite / "tests" / "__init__.py").write_text("")
    (suite / "tests" / "conftest.py").write_text(Path(grouping.__file__).read_text())
    for name in ("test_one", "test_two"):
        (suite / "tests" / f"{name}.py").write_text(MODULE)
    (suite / "tests" / "test_three.py").write_text(WALKS)
    args = ["-m", "pytest", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider", "-q"]
    args += ["--basetemp", str(tmp_path / "basetemp")]  # not a numbered folder beside other sessions'
    env = {**os.environ, "BUILT": str(built)}
    for name in ("PYTEST_XDIST_WORKER", "PYTHONPATH"):  # a suite of its own, in a session of its own
        env.pop(name, None)
    proc = subprocess.run([sys.executable, *args], cwd=suite, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "29 passed" in proc.stdout
    builds = sorted(p.name for p in built.iterdir())
    assert [b.rsplit("-", 1)[0] for b in builds] == ["tests.test_one", "tests.test_two"], builds
    assert all(b.rsplit("-", 1)[1].startswith("gw") for b in builds), builds
    for log in tmp_path.glob("order-*"):  # each worker: its group(s), then the walks, then the quick ones
        kinds = log.read_text().split()
        assert kinds == sorted(kinds, key=["group", "walk", "quick"].index), (log.name, kinds)
