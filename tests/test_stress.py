"""4 concurrent `accept`s and 2 concurrent `check`s on one baseline and one run folder, 5 rounds:
every walk ends entirely old or entirely new, no temporary file is left, and every process exits
0 or with the lock message. The checks really walk the replica (one journey, locale, viewport)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from monitor import store
from monitor.cli import app
from monitor.guard import locks
from tests.conftest import Replica
from tests.runs import leftovers, synthetic_run, walk_prints

ROOT = Path(__file__).resolve().parent.parent
# Every round races 4 writers against each other (2 old, 2 new, so a mixed walk would show in any
# round) and 2 checks; 5 rounds keep `make test` short. OPTOUT_STRESS_ROUNDS=50 hunts rare interleavings.
ROUNDS = int(os.environ.get("OPTOUT_STRESS_ROUNDS", "5"))
ONE_WALK = ["--journey", "facebook-genai", "--locale", "en", "--viewport", "desktop"]
BUSY = "another optout-monitor is writing"


def test_concurrent_accepts_and_checks_never_mix_walks(tmp_path: Path, replica: Replica) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache"), locks.WAIT_ENV: "4"}
    replica.set_variant("baseline-2025")
    walked = tmp_path / "walked"
    result = CliRunner().invoke(
        app, ["check", "--out", str(walked), "--snapshots", str(tmp_path / "none"), *ONE_WALK, *replica.site_args]
    )
    assert result.exit_code == 0, result.output
    runs = {}
    for name in ("old", "new"):
        run = shutil.copytree(walked, tmp_path / name)
        synthetic_run(tmp_path / f"{name}-synthetic", name, walks=4)
        shutil.copytree(
            tmp_path / f"{name}-synthetic" / store.OBSERVATIONS, run / store.OBSERVATIONS, dirs_exist_ok=True
        )
        runs[name] = run
    states = {}
    for name, run in runs.items():
        store.accept(run, tmp_path / f"state-{name}")
        states[name] = walk_prints(tmp_path / f"state-{name}")
    assert len(states["old"]) == 5 and sum(states["old"][w] != states["new"][w] for w in states["old"]) == 4
    snaps, out = tmp_path / "snaps", tmp_path / "out"
    store.accept(runs["old"], snaps)

    codes: dict[str, int] = {}
    t0 = time.monotonic()
    for round_ in range(ROUNDS):
        procs = []
        for i in range(4):
            run = runs["new" if (round_ + i) % 2 else "old"]
            procs.append(("accept", [sys.executable, "-m", "monitor", "accept", str(run), "--snapshots", str(snaps)]))
        for _ in range(2):
            args = ["check", "--out", str(out), "--snapshots", str(snaps), *ONE_WALK, *replica.site_args]
            procs.append(("check", [sys.executable, "-m", "monitor", *args]))
        started = [
            (kind, subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
            for kind, cmd in procs
        ]
        for kind, proc in started:
            _, err = proc.communicate(timeout=300)
            busy = proc.returncode == 3 and BUSY in err and err.count("\n") == 1
            assert proc.returncode == 0 or busy, f"round {round_}: {kind} exited {proc.returncode}: {err}"
            key = f"{kind} {'busy' if busy else 'ok'}"
            codes[key] = codes.get(key, 0) + 1
        prints = walk_prints(snaps)
        assert set(prints) == set(states["old"])
        for walk, digest in prints.items():
            assert digest in (states["old"][walk], states["new"][walk]), f"round {round_}: {walk} is mixed"
        assert leftovers(snaps) == [] and not list(out.rglob("*.tmp")) and not list(out.glob(".confirm"))
    print(f"{ROUNDS} rounds in {time.monotonic() - t0:.0f}s; exits: {codes}")
    assert codes.get("accept ok", 0) >= ROUNDS and codes.get("check ok", 0) >= ROUNDS
