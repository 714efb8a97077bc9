"""`make demo`: the main job end to end against the replica, in a scratch workspace.

Starts the replica, walks every journey × locale × viewport, accepts the run as the baseline of
a scratch workspace (never the repository's snapshots/), then says where to look.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "workspace"
CLI = [sys.executable, "-m", "monitor"]


def say(text: str) -> None:
    print(f"\n\033[1m== {text}\033[0m" if sys.stdout.isatty() else f"\n== {text}", flush=True)


def run(args: list[str], ok: tuple[int, ...] = (0,)) -> int:
    print("$ optout-monitor " + " ".join(shlex.quote(a) for a in args), flush=True)
    code = subprocess.call([*CLI, *args], cwd=ROOT)
    if code not in ok:
        sys.exit(f"demo: `optout-monitor {args[0]}` exited {code}")
    return code


def start_replica(variant: str) -> tuple[subprocess.Popen[str], list[str]]:
    proc = subprocess.Popen(
        [*CLI, "replica", "--port", "0", "--variant", variant, "--state-dir", str(WORK / "login")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("--site"):
        proc.terminate()
        sys.exit(f"demo: the replica did not start (said {line!r})")
    return proc, shlex.split(line)


def main() -> None:
    started = time.perf_counter()
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir()
    say("1. Start the replica of Facebook's and Instagram's Privacy Center (variant baseline-2025)")
    replica, site_args = start_replica("baseline-2025")
    try:
        print(" ".join(site_args))
        say("2. Walk every journey × locale × viewport in Chromium")
        run(["check", *site_args, "--out", str(WORK / "runs/1"), "--workers", "2", "--snapshots", str(WORK / "snapshots")])
        say("3. Accept the run as the baseline of the scratch workspace")
        run(["accept", str(WORK / "runs/1"), "--snapshots", str(WORK / "snapshots")])
    finally:
        replica.terminate()
        replica.wait(timeout=10)
    shots = sorted((WORK / "snapshots").rglob("*.png"))
    say(f"Done in {time.perf_counter() - started:.0f} s. Where to look:")
    print(f"  captures (baseline):  {WORK / 'snapshots'}/  ({len(shots)} screenshots)")
    print(f"  the tracked link:     {WORK / 'snapshots/facebook-privacy-center/en/desktop/object-link.target.png'}")
    print(f"  its observation:      {WORK / 'snapshots/facebook-privacy-center/en/desktop/object-link.json'}")
    print(f"  the run:              {WORK / 'runs/1/run.json'}")


if __name__ == "__main__":
    main()
