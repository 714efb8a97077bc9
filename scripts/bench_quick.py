"""scripts/benchmark.py's cases for the hourly quick look (issue 24): its time, the setup, runner-minutes.

- quick: `check --quick` on the replica (monitor.yaml's quick: section) and on the long page alone,
  each against an accepted baseline of the unchanged replica;
- setup: scripts/ci/install.sh from nothing (empty caches) and again from the warm cache, into a
  scratch folder (never the project's .venv);
- the runner-minutes of a quick hour and of a full run, built from those parts and the full
  matrix's rows, and the time from a change to its first signal.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARDS = 4  # .github/workflows/monitor.yml: matrix.shard
QUICK_HOURS, FULL_RUNS = 20, 4  # per day at the default schedule: every hour, the full matrix every 6


@dataclass
class QuickRow:
    case: str
    walks: int  # paths walked to the tracked step (the quick locale)
    reads: int  # tracked steps read in the other locales
    steps: int
    seconds: float  # median wall
    cpu: float  # median user + sys of the process tree
    code: int
    runs: int
    load: tuple[float, float]


@dataclass
class Setup:
    cold: float
    warm: float
    cold_cpu: float
    warm_cpu: float
    load: tuple[float, float]


def quick_config(tmp: Path, journeys: list[str] | None) -> Path:
    """monitor.yaml with its quick: section narrowed to `journeys` (None: as it is)."""
    text = (ROOT / "monitor.yaml").read_text(encoding="utf-8")
    if journeys:
        text = (
            text.split("\nquick:")[0]
            + f"\nquick:\n  locale: en\n  viewport: desktop\n  journeys: [{', '.join(journeys)}]\n"
        )
    path = tmp / f"monitor-quick-{len(journeys or [])}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def measure_quick(
    name: str, cfg_path: Path, site: list[str], tmp: Path, repeat: int, timed: Callable[..., object]
) -> QuickRow:
    """A full check of the quick look's viewport in every locale, accepted; then `repeat` timed quick looks."""
    sys.path.insert(0, str(ROOT))
    from monitor import config, quick, store

    load_at_start = os.getloadavg()[0]
    cfg = config.load(cfg_path)
    look = quick.plan(cfg)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    py = [sys.executable, "-m", "monitor"]
    tag = cfg_path.stem
    snaps, first = tmp / f"{tag}-snaps", tmp / f"{tag}-first"
    combo = look.combos[0]
    full = [*py, "check", "-c", str(cfg_path), *site, "--viewport", combo.viewport, "-w", "2"]
    full += [a for c in look.combos for a in ("-j", c.journey)]
    subprocess.run([*full, "-o", str(first), "--snapshots", str(snaps)], env=env, check=False, capture_output=True)
    subprocess.run([*py, "accept", str(first), "--snapshots", str(snaps)], env=env, check=True, capture_output=True)
    runs = []
    for i in range(repeat):
        cmd = [*py, "check", "--quick", "-c", str(cfg_path), *site, "--snapshots", str(snaps)]
        runs.append(timed([*cmd, "-o", str(tmp / f"{tag}-{i}")], env))
    look = quick.plan(cfg, store.read_tree(snaps))  # with the baseline: the other locales' reads
    walked = [c for c in look.combos if c not in look.routes]
    steps = sum(len(look.config.journey(c.journey).steps_for(c.viewport)) for c in walked) + len(look.routes)
    return QuickRow(
        name,
        len(walked),
        len(look.routes),
        steps,
        statistics.median(r.seconds for r in runs),  # type: ignore[attr-defined]
        statistics.median(r.cpu for r in runs),  # type: ignore[attr-defined]
        max(r.code for r in runs),  # type: ignore[attr-defined]
        repeat,
        (load_at_start, os.getloadavg()[0]),
    )


def measure_setup(tmp: Path, timed: Callable[..., object]) -> Setup:
    """install.sh --browser with OPTOUT_CACHE in a scratch folder: once from nothing, once warm."""
    load_at_start = os.getloadavg()[0]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(OPTOUT_CACHE=str(tmp / "setup-cache"), PIP_CACHE_DIR=str(tmp / "pip-cache"), PYTHON="python3")
    install = [str(ROOT / "scripts" / "ci" / "install.sh"), "--browser"]
    cold = timed(install, env)
    warm = timed(install, env)
    return Setup(
        cold.seconds,  # type: ignore[attr-defined]
        warm.seconds,  # type: ignore[attr-defined]
        cold.cpu,  # type: ignore[attr-defined]
        warm.cpu,  # type: ignore[attr-defined]
        (load_at_start, os.getloadavg()[0]),
    )


# scripts/ci/install.sh --browser as measured for docs/decisions/0023 (cold: nothing cached; warm: the
# venv reused after its RECORD check), for a run that does not measure the setup itself (--cases without setup).
RECORDED_SETUP = Setup(cold=241.1, warm=17.3, cold_cpu=38.9, warm_cpu=4.1, load=(14.0, 13.2))


def _minutes(seconds: float) -> int:
    """GitHub bills each job in whole minutes, rounded up."""
    return max(1, math.ceil(seconds / 60))


def render(
    quick_rows: list[QuickRow], setup: Setup | None, full2_seconds: float | None, locale_factor: float
) -> list[str]:
    """The quick look's section of docs/performance.md."""
    out = [
        "## The hourly quick look (`check --quick`)",
        "",
        "Each journey up to its tracked step, in monitor.yaml's quick locale and viewport, then its tracked step",
        "read in every other locale (same viewport), 1 worker, against an accepted baseline of the unchanged",
        "replica in that viewport and every locale (docs/decisions/0023-the-hourly-quick-look.md). Goal: ≤ 20 s",
        "for monitor.yaml's quick look.",
        "",
        "| case | walks | reads | steps | runs | wall s | CPU s | exit | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {r.case} | {r.walks} | {r.reads} | {r.steps} | {r.runs} | {r.seconds:.1f} | {r.cpu:.1f} | {r.code} | "
            f"{r.load[0]:.1f} → {r.load[1]:.1f} |"
            for r in quick_rows
        ],
        "",
    ]
    recorded = setup is None
    if setup is None:
        setup = RECORDED_SETUP
    out += [
        "## Setup (scripts/ci/install.sh --browser)",
        "",
        "From nothing (empty pip cache, no venv) and from the warm cache the workflows restore with",
        "actions/cache. Chromium was already installed on this machine, so apt's part is not in these",
        f"figures. Load {setup.load[0]:.1f} → {setup.load[1]:.1f}."
        + (" Not measured in this run: the figures of docs/decisions/0023 (2026-12)." if recorded else ""),
        "",
        "| setup | wall s | CPU s |",
        "|---|---:|---:|",
        f"| cold | {setup.cold:.1f} | {setup.cold_cpu:.1f} |",
        f"| warm | {setup.warm:.1f} | {setup.warm_cpu:.1f} |",
        "",
    ]
    replica = next((r for r in quick_rows if r.case.startswith("replica")), None)
    if replica is None or full2_seconds is None:
        return out
    shard_walk = full2_seconds * locale_factor / SHARDS
    quick_job = setup.warm + replica.seconds
    full_jobs = SHARDS * _minutes(setup.warm + shard_walk)
    out += [
        "## Runner-minutes (built from the figures above)",
        "",
        f"A shard walks a quarter of monitor.yaml's matrix: the full-matrix row with 2 workers × {locale_factor:.1f}",
        f"(monitor.yaml's locales over the benchmark's) / {SHARDS} = {shard_walk:.0f} s. GitHub bills each job in",
        "whole minutes, rounded up; the container's start and the aggregate job's update and publish are not",
        "measured here (the aggregate job is counted as its warm setup: at least 1 minute).",
        "",
        "| | per run | runs a day | runner-minutes a day |",
        "|---|---:|---:|---:|",
        f"| quick hour: setup warm {setup.warm:.0f} s + quick look {replica.seconds:.0f} s | "
        f"{_minutes(quick_job)} min | {QUICK_HOURS} | {QUICK_HOURS * _minutes(quick_job)} |",
        f"| full run: {SHARDS} shards × (setup warm {setup.warm:.0f} s + walk {shard_walk:.0f} s) + aggregate | "
        f"{full_jobs + 1} min | {FULL_RUNS} | {FULL_RUNS * (full_jobs + 1)} |",
        f"| the same full run with a cold setup | {SHARDS * _minutes(setup.cold + shard_walk) + 1} min | | |",
        f"| a day at the default schedule (no change seen) | | {QUICK_HOURS + FULL_RUNS} | "
        f"**{QUICK_HOURS * _minutes(quick_job) + FULL_RUNS * (full_jobs + 1)}** |",
        "",
        "Each full run the quick look dispatches adds one full run's minutes.",
        "",
        "## Time to the first signal after a change",
        "",
        "The quick look runs at minute 23 of every hour the full run does not (GitHub may start a scheduled",
        "run late). A change in the quick look's viewport (its path in the quick locale, the tracked step in",
        "every locale) is seen by the next quick look, which dispatches the full run; the pull request or issue",
        "comes when that run ends.",
        "",
        "| | dispatch of the full run | pull request or issue |",
        "|---|---:|---:|",
        f"| worst (the change lands just after a quick look) | 60 min + {quick_job / 60:.1f} min | "
        f"+ {(setup.warm + shard_walk) / 60:.1f} min of shards + the aggregate job |",
        f"| typical (half an hour to wait) | 30 min + {quick_job / 60:.1f} min | "
        f"+ {(setup.warm + shard_walk) / 60:.1f} min of shards + the aggregate job |",
        "| a change in another viewport only, or in another locale before the tracked step only | "
        "the next full run: up to 6 h | |",
        "",
    ]
    return out
