"""`make test` runs `pytest -n 2 --dist loadgroup`: a module's shared fixture (a walk of minutes) must
be built by one worker only. Played on a stand-alone suite whose conftest is tests/grouping.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from . import grouping

MODULE = """
import os, pathlib, time, pytest

@pytest.fixture(scope="module")
def walk():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "none")
    (pathlib.Path(os.environ["BUILT"]) / f"{__name__}-{worker}").write_text("built")
    time.sleep(0.5)

@pytest.mark.parametrize("i", range(6))
def test_uses_the_walk(walk, i):
    time.sleep(0.05)

@pytest.mark.parametrize("i", range(6))
def test_without_it(i):
    time.sleep(0.05)
"""


def test_each_modules_shared_fixture_is_built_by_one_worker_under_loadgroup(tmp_path: Path) -> None:
    suite, built = tmp_path / "suite", tmp_path / "built"
    (suite / "tests").mkdir(parents=True)
    built.mkdir()
    (suite / "pytest.ini").write_text("[pytest]\n")
    (suite / "tests" / "__init__.py").write_text("")
    (suite / "tests" / "conftest.py").write_text(Path(grouping.__file__).read_text())
    for name in ("test_one", "test_two"):
        (suite / "tests" / f"{name}.py").write_text(MODULE)
    args = ["-m", "pytest", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider", "-q"]
    env = {**os.environ, "BUILT": str(built)}
    env.pop("PYTEST_XDIST_WORKER", None)
    proc = subprocess.run([sys.executable, *args], cwd=suite, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "24 passed" in proc.stdout
    builds = sorted(p.name for p in built.iterdir())
    assert [b.rsplit("-", 1)[0] for b in builds] == ["tests.test_one", "tests.test_two"], builds
    assert all(b.rsplit("-", 1)[1].startswith("gw") for b in builds), builds
