"""`make merge-ready`: the editor's check, measured (not a test): would a maintainer merge what the monitor writes?

Against the replica, every change variant below in every locale of monitor.yaml and both viewports
goes through `check` → `update` → `publish --dry-run` → `feed` → `site`, each from a fresh copy of one
accepted baseline workspace (a git repository, as scripts/demo.py makes it). The automatic
checklist of scripts/merge_checks.py is then applied to every page `update` changed, every pull
request body `publish` wrote and every new feed entry, and the result is written to
docs/merge-ready.md (docs/decisions/0021-merge-without-editing.md says why these checks).

Cost is bounded: the baseline is walked once, each variant only for the journeys (and locales) it
changes, and the walked runs are kept in build/merge-ready/walks/<key>/, where <key> hashes what
decides a walk's result (monitor/ without write/, publish/, templates/ and locales/, and
monitor.yaml): after a change to the writing only the cheap stages run again.

    .venv/bin/python scripts/merge_ready.py                       # every variant (cached walks re-used)
    .venv/bin/python scripts/merge_ready.py --variants reworded   # one variant
    .venv/bin/python scripts/merge_ready.py --fresh               # walk again, ignore the cache
    .venv/bin/python scripts/merge_ready.py --walk-only           # fill the cache, write nothing in docs/
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import select
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import merge_gather as gather  # noqa: E402

from monitor.replica import MASK_TEXT, VARIANTS  # noqa: E402

BUILD = ROOT / "build" / "merge-ready"
DOC = ROOT / "docs" / "merge-ready.md"
CLI = [sys.executable, "-m", "monitor"]
#: The monitor of this checkout, whatever the virtual environment's editable install points at.
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# The walks paint the replica's account name over in every screenshot (monitor.yaml masks: text_env), as
# demo.py does. The later stages run without it: with it, the personal-data gate OCRs every picture
# before writing it (minutes per hundred pictures on 2 busy cores), and the replica's account is made up.
WALK_ENV = {**ENV, "OPTOUT_MASK_TEXT": os.environ.get("OPTOUT_MASK_TEXT", MASK_TEXT)}
ENV.pop("OPTOUT_MASK_TEXT", None)
BASELINE = "baseline-2025"
#: The change variants, in the order they are walked and reported (monitor/replica/variants.py).
CHANGES = (
    "reworded",
    "de-only-reworded",
    "long-page-reworded",
    "moved-section",
    "link-to-button",
    "step-removed",
    "accounts-center-hop",
    "new-form-address",
    "long-page-moved",
)
#: The journeys a variant is walked for, of those it changes: the Privacy Center paths, and the printable
#: policy for the long-page variants (new-form-address also retargets the public journeys' links; their
#: pages are the same pages, so they are left out to bound the cost).
WALKED_JOURNEYS = ("facebook-privacy-center", "instagram-privacy-center", "facebook-privacy-policy-printable")
#: What decides a walk's result: the monitor's code but the writing stages, and the journey file.
#: (app-steps.yaml is read by `update` only, never by `check`: it does not decide a walk.)
KEY_SKIP = ("monitor/write/", "monitor/publish/", "monitor/templates/", "monitor/locales/")
KEY_FILES = ("monitor.yaml",)
#: Bumped when this script walks differently (journeys, options).
WALK_RECIPE = "1"
WALK_TIMEOUT = 2400
STAGE_TIMEOUT = 600
REPO = "optout-monitor/optout-monitor"
STAMP = ".merge-ready-stamp"
WALL = "merge-ready-seconds.txt"  # beside a cached walk: the wall time of its `check`


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def cache_key(skip: tuple[str, ...] = KEY_SKIP, extra: tuple[str, ...] = KEY_FILES) -> str:
    """A hash of every file that decides what a walk records (see KEY_SKIP, KEY_FILES)."""
    digest = hashlib.sha256(WALK_RECIPE.encode())
    files = sorted(p for p in (ROOT / "monitor").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in [*files, *(ROOT / f for f in extra)]:
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(skip):
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def workspace_key(walk_key: str) -> str:
    """What the baseline workspace is made of: the baseline walk and every file of the monitor."""
    return walk_key + cache_key(skip=(), extra=("monitor.yaml", "app-steps.yaml"))


def run(
    args: list[str],
    *,
    ok: tuple[int, ...] = (0,),
    timeout: int = STAGE_TIMEOUT,
    logfile: Path,
    env: dict[str, str] = ENV,
) -> int:
    """One optout-monitor command, output to `logfile`; its exit code (outside `ok`: stop)."""
    logfile.parent.mkdir(parents=True, exist_ok=True)
    line = "$ optout-monitor " + " ".join(shlex.quote(a) for a in args)
    with logfile.open("a") as out:
        out.write(line + "\n")
        out.flush()
        try:
            code = subprocess.run(
                [*CLI, *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
            ).returncode
        except subprocess.TimeoutExpired:
            sys.exit(f"merge-ready: `optout-monitor {args[0]}` took over {timeout} s (log: {logfile})")
    if code not in ok:
        sys.exit(f"merge-ready: `optout-monitor {args[0]}` exited {code} (log: {logfile})")
    return code


def git(work: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(work), *args], check=True, capture_output=True, text=True, timeout=120)
    return done.stdout


@dataclass
class Replica:
    """A replica server serving one variant, in its own process."""

    variant: str
    state_dir: Path

    def __enter__(self) -> list[str]:
        self.proc = subprocess.Popen(
            [*CLI, "replica", "--port", "0", "--variant", self.variant, "--state-dir", str(self.state_dir)],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 120)
        line = self.proc.stdout.readline().strip() if ready else "(nothing in 120 s)"
        if not line.startswith("--site"):
            self.proc.terminate()
            sys.exit(f"merge-ready: the replica did not start (said {line!r})")
        return shlex.split(line)

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def locales() -> list[str]:
    from monitor import config

    return list(config.load(ROOT / "monitor.yaml").locales)


def walk_scope(variant: str) -> list[str]:
    """`check` options that walk only what the variant changes: its journeys, its locales if it names them."""
    v = VARIANTS[variant]
    journeys = [j for j in v.journeys if j in WALKED_JOURNEYS]
    return [arg for journey in journeys for arg in ("--journey", journey)]


def walk(variant: str, out: Path, snapshots: Path, scope: list[str], logs: Path) -> float:
    """Walk one variant into `out` (a cache folder), against the baseline in `snapshots`."""
    started = time.perf_counter()
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="merge-ready-login-") as login, Replica(variant, Path(login)) as site_args:
        run(
            ["check", *site_args, *scope, "--out", str(tmp), "--workers", "2", "--snapshots", str(snapshots)],
            ok=(0, 1, 3),
            timeout=WALK_TIMEOUT,
            logfile=logs / f"walk-{variant}.log",
            env=WALK_ENV,
        )
    if not (tmp / "report.json").is_file():
        sys.exit(f"merge-ready: the walk of {variant} wrote no report (log: {logs / f'walk-{variant}.log'})")
    seconds = time.perf_counter() - started
    (tmp / WALL).write_text(f"{seconds:.1f}\n")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return seconds


def baseline_workspace(base_run: Path, logs: Path) -> Path:
    """The accepted baseline workspace, a git repository as demo.py makes it, from the cached baseline run."""
    ws = BUILD / "baseline-ws"
    stamp = workspace_key(base_run.parent.name)
    if (ws / STAMP).is_file() and (ws / STAMP).read_text() == stamp:
        return ws  # made from the same walk by the same code
    shutil.rmtree(ws, ignore_errors=True)
    ws.mkdir(parents=True)
    shutil.copytree(base_run, ws / "runs" / "1", symlinks=True)
    lg = logs / "baseline-ws.log"
    run(["accept", str(ws / "runs/1"), "--snapshots", str(ws / "snapshots")], logfile=lg, timeout=WALK_TIMEOUT)
    run(["update", str(ws / "runs/1/report.json"), "--root", str(ws)], logfile=lg, timeout=WALK_TIMEOUT)
    (ws / ".gitignore").write_text(f"runs/\nlogin/\npublish-preview/\n_site/\n_feeds/\n{STAMP}\n")
    git(ws, "init", "-q", "-b", "main")
    git(ws, "add", "-A")
    git(ws, "-c", "user.name=demo", "-c", "user.email=demo@example.invalid", "commit", "-q", "-m", "baseline")
    run(["feed", "--out", str(ws / "_feeds"), "--root", str(ws), "--repo", REPO], logfile=lg)
    (ws / STAMP).write_text(stamp)
    return ws


def cheap_stages(variant: str, base_ws: Path, run_dir: Path, logs: Path) -> Path:
    """update → publish --dry-run → feed → site on a fresh copy of the baseline workspace."""
    ws = BUILD / "work" / variant
    shutil.rmtree(ws, ignore_errors=True)
    ws.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(base_ws, ws, symlinks=True)
    shutil.rmtree(ws / "runs", ignore_errors=True)
    shutil.copytree(run_dir, ws / "runs" / "2", symlinks=True)
    report = str(ws / "runs/2/report.json")
    lg = logs / f"stages-{variant}.log"
    lg.unlink(missing_ok=True)
    run(["update", report, "--root", str(ws)], logfile=lg, ok=(0, 1, 3))
    run(["publish", report, "--root", str(ws), "--dry-run", str(ws / "publish-preview")], logfile=lg, ok=(0, 1, 3))
    run(["feed", "--out", str(ws / "_feeds"), "--root", str(ws), "--repo", REPO], logfile=lg)
    run(["site", str(ws / "_site"), "--root", str(ws), "--repo", REPO], logfile=lg)
    return ws


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default=",".join(CHANGES), help="comma-separated, from: " + ", ".join(CHANGES))
    parser.add_argument("--fresh", action="store_true", help="walk again, ignore the cached walks")
    parser.add_argument("--walk-only", action="store_true", help="only fill the cache of walks")
    parser.add_argument("--cached-only", action="store_true", help="walk nothing: check the variants already cached")
    parser.add_argument(
        "--recheck", action="store_true", help="only the checklist, on the workspaces the last run left (no stage runs)"
    )
    parser.add_argument("--markdown", type=Path, default=DOC, help="where to write the result (- for stdout)")
    parser.add_argument(
        "--walk-key",
        metavar="KEY",
        help="check the walks cached under KEY (walked before a later change to the walk code), walking nothing; "
        "the document names both keys",
    )
    args = parser.parse_args(argv)
    chosen = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in CHANGES]
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {', '.join(CHANGES)}")
    started = time.perf_counter()
    key = cache_key()
    if args.walk_key:
        if not (BUILD / "walks" / args.walk_key).is_dir():
            parser.error(f"--walk-key {args.walk_key}: no such cache in {(BUILD / 'walks').relative_to(ROOT)}")
        args.cached_only = True
        key, own = args.walk_key, key
    walks = BUILD / "walks" / key
    logs = BUILD / "logs"
    if args.fresh:
        shutil.rmtree(walks, ignore_errors=True)
    walks.mkdir(parents=True, exist_ok=True)
    log(f"walk cache {walks.relative_to(ROOT)} (key {key}); locales {' '.join(locales())}")
    timings: dict[str, float] = {}
    base_run = walks / BASELINE
    if not base_run.exists():
        log("walking the baseline: every journey × locale × viewport")
        scratch = BUILD / "scratch-snapshots"
        shutil.rmtree(scratch, ignore_errors=True)
        timings[BASELINE] = walk(BASELINE, base_run, scratch, [], logs)
        log(f"  baseline walked in {timings[BASELINE]:.0f} s")
    else:
        log("baseline: cached walk")
    base_ws = baseline_workspace(base_run, logs)
    log("baseline workspace accepted, rendered and committed")
    base_feed = gather.feed_entry_ids(base_ws / "_feeds")
    results: dict[str, gather.VariantResult] = {}

    def stages_and_checks(variant: str) -> None:
        """The cheap stages and the checklist of one walked variant, then the document so far."""
        ws = BUILD / "work" / variant
        if args.recheck:
            if not (ws / "_site").is_dir():
                log(f"{variant}: no complete workspace of a last run, left out (--recheck)")
                return
            log(f"{variant}: the checklist on the workspace of the last run (--recheck)")
        else:
            log(f"{variant}: update → publish --dry-run → feed → site, then the checklist")
            ws = cheap_stages(variant, base_ws, walks / variant, logs)
        results[variant] = gather.check_variant(variant, ws, base_run, walks / variant, base_feed)
        document(time.perf_counter() - started)
        log(f"{variant}: checked ({len(results)} of {len(chosen)} variants in {args.markdown})")

    commit = commit_line()
    shown_key = key if not args.walk_key else f"{key}` (re-used with --walk-key: the final code's own key is `{own}"

    def document(seconds: float) -> None:
        """docs/merge-ready.md from the variants checked so far (written after each, and at the end)."""
        done = [results[v] for v in chosen if v in results]
        write(
            args.markdown,
            gather.markdown(
                done,
                commit=commit,
                seconds=seconds,
                walked=timings,
                key=shown_key,
                walk_seconds=walk_seconds(walks, chosen),
            ),
        )

    # The cheap stages of one variant run while the next one is walked (one at a time each).
    with ThreadPoolExecutor(max_workers=1) as checker:
        pending = []
        for variant in chosen:
            out = walks / variant
            if out.exists():
                log(f"{variant}: cached walk")
            elif args.cached_only:
                log(f"{variant}: not cached, left out (--cached-only)")
                continue
            else:
                log(f"{variant}: walking {' '.join(walk_scope(variant)) or 'everything'}")
                timings[variant] = walk(variant, out, base_ws / "snapshots", walk_scope(variant), logs)
                log(f"  {variant} walked in {timings[variant]:.0f} s")
            if not args.walk_only:
                pending.append(checker.submit(stages_and_checks, variant))
        for job in pending:
            job.result()
    total = time.perf_counter() - started
    if args.walk_only:
        log(f"walks done in {total:.0f} s")
        return
    document(total)
    summary = gather.totals([results[v] for v in chosen if v in results])
    log(
        f"done in {total:.0f} s: {summary.clean_share:.0%} of changed pages and PR bodies with zero defects, "
        f"{summary.stale_pages} page(s) with a stale label, {summary.defects} defect(s); see {args.markdown}"
    )


def walk_seconds(walks: Path, chosen: list[str]) -> dict[str, float]:
    """How long each cached walk took: the wall time of its `check` (confirmations included) where this
    script measured it, else the walking time its run.json recorded."""
    found = {}
    for name in [BASELINE, *chosen]:
        if (walks / name / WALL).is_file():
            found[name] = float((walks / name / WALL).read_text())
        elif (walks / name / "run.json").is_file():
            found[name] = float(json.loads((walks / name / "run.json").read_text())["run"].get("seconds") or 0)
    return found


def write(target: Path, text: str) -> None:
    if str(target) == "-":
        print(text)
    else:
        target.write_text(text)


def commit_line() -> str:
    head = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True, text=True, timeout=60
    )
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "monitor"], capture_output=True, text=True, timeout=60
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{stamp}, commit {head.stdout.strip()}" + (
        " (monitor/ has uncommitted changes)" if dirty.stdout.strip() else ""
    )


if __name__ == "__main__":
    main()
