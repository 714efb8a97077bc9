#!/usr/bin/env python3
"""Does the hourly quick look ask for the full run exactly when it should? Every replica variant, measured.

Accepts a baseline of the unchanged replica (the quick look's viewport, every locale and journey),
then runs `optout-monitor check --quick` once per variant and prints, per variant, what the replica
expects, whether the quick look asked for the full run, its wall and CPU seconds, and the load
average. A variant whose expected verdict is unchanged or cosmetic must not ask; every other must.

    .venv/bin/python scripts/quick_variants.py [--variants a,b,...] [--workers 1]

Exit 0 when every variant got the right answer, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor import config, quick  # noqa: E402
from monitor.replica import MASK_TEXT, make_server, storage_state  # noqa: E402
from monitor.replica.variants import VARIANTS  # noqa: E402

QUIET = {"unchanged", "cosmetic"}
os.environ.setdefault("OPTOUT_MASK_TEXT", MASK_TEXT)  # accept refuses a logged-in walk without it


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", help="comma-separated variant names (default: all)")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    names = args.variants.split(",") if args.variants else list(VARIANTS)
    cfg_path = ROOT / "monitor.yaml"
    cfg = config.load(cfg_path)
    look = quick.plan(cfg)
    server = make_server(0, "baseline-2025")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    failures = 0
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        site_args: list[str] = []
        for site in ("facebook", "instagram"):
            state = tmp / f"{site}.json"
            state.write_text(json.dumps(storage_state(site)))
            site_args += ["--site", f"{site}={url}", "--storage-state", f"{site}={state}"]
        base = [sys.executable, "-m", "monitor", "--debug"]
        combo = look.combos[0]
        full = [*base, "check", "-c", str(cfg_path), *site_args, "--out", str(tmp / "full"), "--workers", "2"]
        full += ["--viewport", combo.viewport]  # every locale: the quick look reads the tracked step in each
        subprocess.run(full, check=False, capture_output=True)
        subprocess.run([*base, "accept", str(tmp / "full"), "--snapshots", str(tmp / "snaps")], check=True)
        print("| variant | expected | full run asked | right | wall s | CPU s | load (1 min) |")
        print("|---|---|---|---|---:|---:|---:|")
        for name in names:
            server.variant = name  # type: ignore[attr-defined]
            out = tmp / f"quick-{name}"
            cmd = [*base, "check", "--quick", "-c", str(cfg_path), *site_args, "--out", str(out)]
            cmd += ["--snapshots", str(tmp / "snaps"), "--workers", str(args.workers)]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, check=False, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            expected = VARIANTS[name].expected.split(":")[0]
            asked = proc.returncode == 1
            right = proc.returncode in (0, 1) and asked == (expected not in QUIET)
            failures += not right
            load = os.getloadavg()[0]
            print(
                f"| {name} | {expected} | {asked} (exit {proc.returncode}) | {'yes' if right else 'NO'} "
                f"| {wall:.1f} | {cpu:.1f} | {load:.2f} |",
                flush=True,
            )
            if proc.returncode not in (0, 1):
                print(proc.stderr[-2000:], file=sys.stderr)
    server.shutdown()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
