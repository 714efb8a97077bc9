"""Benchmark (not a test): the whole `optout-monitor check` beside a bare Playwright script.

The monitor is timed as a user runs it: a subprocess `check` against an accepted baseline
(walk, compare, confirmation, report). The bare script, also a subprocess, does the same
navigations and clicks and the same number of screenshots (the first screen per page state,
a viewport-sized clip around each target) with no masking, description, hashing or files.
Cases: (a) the replica's full matrix, (b) the long printable policy, and the long page at
1x, 4x and 16x its height. Writes docs/performance.md. Run with `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor import config, runner, store  # noqa: E402
from monitor.judge import compare  # noqa: E402
from monitor.model import Walk  # noqa: E402
from monitor.replica import MASK_TEXT, make_server, storage_state  # noqa: E402
from monitor.walk import browser, locate  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import bench_quick  # noqa: E402
import bench_stages  # noqa: E402

LONG = "facebook-privacy-policy-printable"
SHORT = "facebook-privacy-policy"
CASES = ("short", "long", "full", "heights", "quick", "setup")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
os.environ.setdefault("OPTOUT_MASK_TEXT", MASK_TEXT)  # accept refuses a logged-in walk without it


# --------------------------------------------------------------------------- measuring a process tree


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants (read from /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(Path(f"/proc/{entry}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, ValueError):
            continue
    keep = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in keep and pid not in keep:
                keep.add(pid)
                grew = True
    return sum(rss.get(p, 0) for p in keep)


@dataclass
class Timed:
    seconds: float  # wall
    peak_rss: int
    code: int
    cpu: float = 0.0  # user + sys of the whole process tree (Python, Playwright's driver, Chromium)


def timed(cmd: list[str], env: dict[str, str] | None = None) -> Timed:
    """Wall time, CPU time and peak RSS of a command and everything it starts.

    The CPU time comes from wait4(): the kernel adds to a process's figures those of every
    descendant it waited for, so it holds Chromium's renderers too. Under load the wall time
    grows with the machine's other work; the CPU time is the cost that does not."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1, 3):
        raise SystemExit(f"{' '.join(cmd[:4])}… exited {proc.returncode}: {err[-800:]}")
    return Timed(seconds, peak, proc.returncode, usage.ru_utime + usage.ru_stime)


def median_of(runs: list[Timed]) -> Timed:
    """The median wall time, CPU time and peak RSS of repeated runs (each taken on its own)."""
    return Timed(
        statistics.median(r.seconds for r in runs),
        int(statistics.median(r.peak_rss for r in runs)),
        max(r.code for r in runs),
        statistics.median(r.cpu for r in runs),
    )


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- the bare script


def bare(cfg_path: str, url: str, combos: list[str], workers: int) -> None:
    """Same navigations, clicks and number of screenshots with plain Playwright calls."""
    from playwright.sync_api import sync_playwright

    cfg = config.load(Path(cfg_path))
    stand_ins = browser.StandIns({"facebook": url, "instagram": url})
    hosts = stand_ins.host_map(cfg)
    todo = [runner.Combo(*c.split("/")) for c in combos]
    lock = threading.Lock()

    def work() -> None:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=browser.find_browser(None, p), args=browser.LAUNCH_ARGS)
            while True:
                with lock:
                    if not todo:
                        break
                    combo = todo.pop(0)
                journey = cfg.journey(combo.journey)
                options = browser.context_options(cfg, combo.locale, combo.viewport, p.devices)
                if journey.login:
                    options["storage_state"] = storage_state(journey.site)
                ctx = b.new_context(**options)
                ctx.route("**/*", browser._router(hosts))
                page = ctx.new_page()
                for step in journey.steps_for(combo.viewport):
                    if step.goto:
                        page.goto(step.goto)
                        page.screenshot()
                        continue
                    spec = step.target or cfg.sites[journey.site].consent
                    if spec is None:
                        continue
                    found = locate.wait_for(page, spec, combo.locale, 5000)
                    if found is None:
                        continue
                    if step.consent is None:
                        page.evaluate("() => window.scrollTo(0, 0)")
                        page.screenshot()  # the first screen
                    found.locator.scroll_into_view_if_needed()
                    page.screenshot()  # the viewport around the target
                    if step.click is not None or step.consent is not None:
                        before = page.url
                        found.locator.click()
                        if spec.role == "link":
                            page.wait_for_url(lambda u, before=before: u != before)
                            page.wait_for_load_state("domcontentloaded")
                ctx.close()
            b.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# --------------------------------------------------------------------------- cases


@dataclass
class Case:
    name: str
    config: Path
    journeys: list[str]
    locales: list[str]
    viewports: list[str]


@dataclass
class Row:
    case: str
    workers: int
    steps: int
    bare: Timed
    monitor: Timed
    bytes_written: int
    baseline_bytes: int
    compare_ms: float = 0.0  # the compare stage alone, per step
    runs: int = 1  # the times above are medians of this many runs of each
    load: tuple[float, float] = (0.0, 0.0)  # the 1-minute load average when the case began and ended

    @property
    def cpu_ratio(self) -> float:
        return self.monitor.cpu / self.bare.cpu if self.bare.cpu else 0.0

    @property
    def ratio(self) -> float:
        return self.monitor.seconds / self.bare.seconds

    @property
    def ms_per_step(self) -> float:
        return 1000 * self.monitor.seconds / self.steps


def _select(case: Case) -> list[str]:
    args = []
    for j in case.journeys:
        args += ["-j", j]
    for loc in case.locales:
        args += ["-l", loc]
    for v in case.viewports:
        args += ["--viewport", v]
    return args


def measure(case: Case, url: str, states: dict[str, str], workers: int, tmp: Path, repeat: int = 1) -> Row:
    """A first check and its accept make the baseline; then `repeat` times an unchanged check and the
    bare script, taken in turn so that both see the same load; the medians. Every unchanged run is
    accepted in turn, and what that rewrote in the baseline is counted."""
    load_at_start = os.getloadavg()[0]
    cfg = config.load(case.config)
    combos = runner.plan(cfg, case.journeys, case.locales, case.viewports)
    steps = sum(len(cfg.journey(c.journey).steps_for(c.viewport)) for c in combos)
    py = sys.executable
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    site = ["--site", f"facebook={url}", "--site", f"instagram={url}"]
    for name, path in states.items():
        site += ["--storage-state", f"{name}={path}"]
    snaps = tmp / f"{case.name}-{workers}-snapshots"
    first = tmp / f"{case.name}-{workers}-first"
    base = [py, "-m", "monitor", "check", "-c", str(case.config), *site, *_select(case), "-w", str(workers)]
    timed([*base, "--snapshots", str(snaps), "-o", str(first)], env)
    accept = [py, "-m", "monitor", "accept"]
    subprocess.run([*accept, str(first), "--snapshots", str(snaps)], env=env, check=True, stdout=subprocess.DEVNULL)
    monitors: list[Timed] = []
    bares: list[Timed] = []
    baseline_bytes = 0
    out = first
    for i in range(repeat):
        out = tmp / f"{case.name}-{workers}-run{i}"
        monitors.append(timed([*base, "--snapshots", str(snaps), "-o", str(out)], env))
        before = {p: p.read_bytes() for p in snaps.rglob("*") if p.is_file()}
        subprocess.run([*accept, str(out), "--snapshots", str(snaps)], env=env, check=True, stdout=subprocess.DEVNULL)
        after = {p: p.read_bytes() for p in snaps.rglob("*") if p.is_file()}
        changed = sorted(str(p.relative_to(snaps)) for p, v in after.items() if before.get(p) != v)
        baseline_bytes = max(baseline_bytes, sum(len(after[snaps / c]) for c in changed))
        if changed:
            print(
                f"{case.name} ({workers} workers, run {i + 1}): accept of an unchanged run rewrote {changed}",
                file=sys.stderr,
            )
        bares.append(
            timed([py, __file__, "_bare", str(case.config), url, str(workers), *[str(c) for c in combos]], env)
        )
    cost = compare_cost(out, snaps, cfg)
    load = (load_at_start, os.getloadavg()[0])
    return Row(
        case.name,
        workers,
        steps,
        median_of(bares),
        median_of(monitors),
        folder_bytes(out),
        baseline_bytes,
        cost,
        repeat,
        load,
    )


def compare_cost(run_dir: Path, snapshots: Path, cfg: config.Config) -> float:
    """Milliseconds per step of the compare stage alone (no browser): a run against its baseline."""
    tree = store.read_tree(run_dir / store.OBSERVATIONS)
    walks = [
        Walk(journey=j, site=cfg.journey(j).site, locale=loc, viewport=v, observations=tree.walk_of(j, loc, v))
        for j, loc, v in sorted({k[:3] for k in tree.observations})
    ]
    baseline, info = store.read_tree(snapshots), store.read_run_info(run_dir)
    steps, rounds = len(tree.observations), 20
    t0 = time.perf_counter()
    for _ in range(rounds):
        compare.compare_run(baseline, walks, cfg.thresholds, info)
    return 1000 * (time.perf_counter() - t0) / (rounds * max(1, steps))


def ocr_cost(
    cfg: config.Config, combos: list[runner.Combo], stand_ins: browser.StandIns, states: dict[str, str]
) -> str:
    """Seconds per image of the personal-data gate's OCR (monitor/guard/gate.py), one image at a time, no cache."""
    from monitor.guard import gate
    from monitor.guard.redact import Identity

    who = Identity.parse("Jane Example|jane.example")
    with tempfile.TemporaryDirectory() as tmp:
        runner.Check(cfg, "monitor.yaml", stand_ins, states, workers=2).run(combos, Path(tmp))
        pages = sorted(Path(tmp).rglob("*.png"))
        times = []
        for path in pages:
            data = path.read_bytes()
            t0 = time.perf_counter()
            gate.scan_image(path, data, who)
            times.append(time.perf_counter() - t0)
    return (
        f"OCR gate: median {statistics.median(times):.2f} s per image, max {max(times):.2f} s "
        f"({len(times)} screenshots, one at a time, Tesseract {gate.OCR_LANGUAGES})"
    )


def scaled_config(tmp: Path, scale: int) -> Path:
    text = (ROOT / "monitor.yaml").read_text(encoding="utf-8")
    text = text.replace("/privacy/policy/printable/\n", f"/privacy/policy/printable/?scale={scale}\n")
    path = tmp / f"monitor-x{scale}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- report


def render(
    rows: list[Row],
    scales: list[Row],
    short: Row | None,
    note: str,
    load: tuple[float, float],
    extra: list[str] | None = None,
) -> str:
    def line(r: Row) -> str:
        return (
            f"| {r.case} | {r.workers} | {r.steps} | {r.runs} | {r.bare.seconds:.1f} | {r.monitor.seconds:.1f} | "
            f"**{r.ratio:.2f}×** | {r.bare.cpu:.1f} | {r.monitor.cpu:.1f} | {r.cpu_ratio:.2f}× | "
            f"{r.ms_per_step:.0f} | {r.bytes_written / r.steps / 1024:.0f} KB | "
            f"{r.monitor.peak_rss / 2**20:.0f} MB / {r.bare.peak_rss / 2**20:.0f} MB | {r.baseline_bytes} | "
            f"{r.compare_ms:.2f} | {r.load[0]:.1f} → {r.load[1]:.1f} |"
        )

    by = {(r.case, r.workers): r for r in rows}
    full1 = next((r for r in rows if r.case.startswith("full matrix") and r.workers == 1), None)
    full2 = next((r for r in rows if r.case.startswith("full matrix") and r.workers == 2), None)
    long1 = by.get(("long page", 1))
    out = [
        "# Performance",
        "",
        "Generated by `make bench` (scripts/benchmark.py); do not edit by hand.",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores; load average "
        f"(1 min) {load[0]:.1f} at the start, {load[1]:.1f} at the end. {note}",
        "",
        "The monitor is the whole `optout-monitor check` a user runs (a subprocess: walk, compare with an",
        "accepted baseline, confirmation, report); bare is a Playwright script in a subprocess doing the same",
        "navigations, clicks and number of screenshots. Runs: each time is the median of that many runs of",
        "the monitor and of bare, taken in turn. CPU is user + system time of the whole process tree (Python,",
        "Playwright's driver, Chromium): the goals are on wall time, but on a loaded machine the wall time",
        "grows with other people's work and the CPU time does not. Peak RSS is of the whole process tree.",
        "Bytes per step are what the run folder holds per step. Baseline bytes are the most that `accept`",
        "of one of those unchanged runs rewrote in the baseline. Compare is the compare stage alone",
        "(no browser), in milliseconds per step. Load is the 1-minute load average when the case began",
        "and ended.",
        "",
        "| case | workers | steps | runs | bare s | monitor s | ratio | bare CPU s | monitor CPU s | CPU ratio "
        "| ms/step | bytes/step | peak RSS monitor / bare | baseline bytes | compare ms/step | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *[line(r) for r in rows],
        "",
        "## Growth with the page's height (long page, 1 worker)",
        "",
        "| height | steps | bare s | monitor s | ratio | CPU ratio | ms/step | bytes/step | peak RSS monitor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {r.case}{' (blocked: exit 3)' if r.monitor.code == 3 else ''} | {r.steps} | {r.bare.seconds:.1f} | "
            f"{r.monitor.seconds:.1f} | {r.ratio:.2f}× | {r.cpu_ratio:.2f}× | "
            f"{r.ms_per_step:.0f} | {r.bytes_written / r.steps / 1024:.0f} KB | {r.monitor.peak_rss / 2**20:.0f} MB |"
            for r in scales
        ],
        "",
        "## Goals",
        "",
    ]
    goals = []
    if full1:
        goals.append(("full matrix ≤ 1.15× bare (1 worker)", f"{full1.ratio:.2f}×", full1.ratio <= 1.15))
    if full2:
        goals.append(("full matrix ≤ 1.15× bare (2 workers)", f"{full2.ratio:.2f}×", full2.ratio <= 1.15))
    if long1:
        goals.append(("long page ≤ 1.3× bare", f"{long1.ratio:.2f}×", long1.ratio <= 1.3))
    if long1 and short:
        per = long1.ms_per_step / short.ms_per_step
        goals.append(
            (
                "a long-page step ≤ 1.5× a short-page step",
                f"{long1.ms_per_step:.0f} / {short.ms_per_step:.0f} ms = {per:.2f}×",
                per <= 1.5,
            )
        )
    if full1 and full2:
        ms, bs = full1.monitor.seconds / full2.monitor.seconds, full1.bare.seconds / full2.bare.seconds
        goals.append(("2 workers speed up ≥ bare's 2 workers", f"{ms:.2f}× vs bare {bs:.2f}×", ms >= bs))
    if rows:
        goals.append(
            (
                "an unchanged run writes 0 bytes to the baseline",
                f"{max(r.baseline_bytes for r in rows)} bytes",
                all(r.baseline_bytes == 0 for r in rows),
            )
        )
    out += ["| goal | measured | met |", "|---|---|---|"]
    out += [f"| {g} | {m} | {'yes' if ok else '**no**'} |" for g, m, ok in goals]
    if extra:
        out += ["", *extra]
    return "\n".join(out) + "\n"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_bare":
        bare(sys.argv[2], sys.argv[3], sys.argv[5:], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="only the en locale in the full matrix")
    parser.add_argument(
        "--locales",
        default="en,fr,de",
        metavar="LIST",
        help="the full matrix's locales (en,fr,de: the matrix issue 10's goals were set on; 'all': every locale "
        "of monitor.yaml, which doubles the time)",
    )
    parser.add_argument("--note", default="", help="a sentence on the machine's load, for the document")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--ocr", action="store_true", help="only the OCR gate's cost per image (en, logged in)")
    parser.add_argument(
        "--repeat", type=int, default=3, metavar="N", help="runs of the short and long page cases (medians; 3)"
    )
    parser.add_argument(
        "--repeat-full", type=int, default=1, metavar="N", help="runs of the full matrix and the heights (1)"
    )
    parser.add_argument(
        "--cases",
        default=",".join(CASES),
        metavar="LIST",
        help=f"comma-separated, from {', '.join(CASES)} (all by default); a partial run is for comparing, not for the doc",
    )
    args = parser.parse_args()
    cases = {c.strip() for c in args.cases.split(",") if c.strip()}
    if cases - set(CASES):
        parser.error(f"--cases: unknown {', '.join(sorted(cases - set(CASES)))}; known: {', '.join(CASES)}")
    started_load = os.getloadavg()[0]
    server = make_server(0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    cfg_path = ROOT / "monitor.yaml"
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        states = {}
        for site in ("facebook", "instagram"):
            path = tmp / f"{site}.json"
            path.write_text(json.dumps(storage_state(site)))
            states[site] = str(path)
        if args.ocr:
            cfg = config.load(cfg_path)
            logged_in = [j.id for j in cfg.journeys if j.login]
            print(
                ocr_cost(
                    cfg,
                    runner.plan(cfg, logged_in, ["en"]),
                    browser.StandIns({"facebook": url, "instagram": url}),
                    states,
                )
            )
            server.shutdown()
            return
        chosen = ["en"] if args.quick else [] if args.locales == "all" else args.locales.split(",")
        full = Case(f"full matrix ({', '.join(chosen) or 'all locales'})", cfg_path, [], chosen, [])
        long = Case("long page", cfg_path, [LONG], ["en"], ["desktop"])
        short = Case("short page", cfg_path, [SHORT], ["en"], ["desktop"])
        rows: list[Row] = []
        scales: list[Row] = []
        short_row: Row | None = None
        quick_rows: list[bench_quick.QuickRow] = []
        setup: bench_quick.Setup | None = None
        site_args = ["--site", f"facebook={url}", "--site", f"instagram={url}"]
        site_args += [a for name, path in states.items() for a in ("--storage-state", f"{name}={path}")]

        staged: list[bench_stages.Stages] = []

        def write() -> None:  # after every case: a run cut short still leaves its figures
            found = [*rows, short_row] if short_row else rows
            load = (started_load, os.getloadavg()[0])
            full2 = next((r for r in rows if r.case.startswith("full matrix") and r.workers == 2), None)
            factor = len(config.load(cfg_path).locales) / max(1, len(chosen) or len(config.load(cfg_path).locales))
            extra = bench_quick.render(quick_rows, setup, full2.monitor.seconds if full2 else None, factor)
            bare_ms = {r.case: 1000 * r.bare.seconds / r.steps for r in rows if r.workers == 1}
            extra += bench_stages.render(staged, bare_ms)
            args.out.write_text(render(found, scales, short_row, args.note, load, extra), encoding="utf-8")

        def stages_of_unmet() -> None:
            """The per-stage table of each 1-worker case whose ratio goal is not met."""
            goals = {long.name: 1.3, full.name: 1.15}
            for row in [r for r in rows if r.workers == 1 and r.case in goals and r.ratio > goals[r.case]]:
                case = long if row.case == long.name else full
                picked = {"journeys": case.journeys, "locales": case.locales, "viewports": case.viewports}
                staged.append(
                    bench_stages.measure(
                        row.case, case.config, picked, dict.fromkeys(("facebook", "instagram"), url), states
                    )
                )
                print(staged[-1], flush=True)
                write()

        if "setup" in cases:
            setup = bench_quick.measure_setup(tmp, timed)
            print(setup, flush=True)
        for name, journeys in (("replica, monitor.yaml's quick:", None), ("long page alone", [LONG])):
            if "quick" not in cases:
                break
            path = bench_quick.quick_config(tmp, journeys)
            quick_rows.append(bench_quick.measure_quick(name, path, site_args, tmp, args.repeat, timed))
            print(quick_rows[-1], flush=True)

        if "short" in cases:
            short_row = measure(short, url, states, 1, tmp, args.repeat)
            print(re.sub(r"\s+", " ", repr(short_row))[:400], flush=True)
        if "long" in cases:
            rows.append(measure(long, url, states, 1, tmp, args.repeat))
            print(re.sub(r"\s+", " ", repr(rows[-1]))[:400], flush=True)
        write()
        for workers in (1, 2) if "full" in cases else ():
            rows.append(measure(full, url, states, workers, tmp, args.repeat_full))
            print(re.sub(r"\s+", " ", repr(rows[-1]))[:400], flush=True)
            write()
        stages_of_unmet()
        for scale in (1, 4, 16) if "heights" in cases else ():
            case = Case(f"{scale}× ({scale * 130_268:,} px)", scaled_config(tmp, scale), [LONG], ["en"], ["desktop"])
            scales.append(measure(case, url, states, 1, tmp, args.repeat_full))
            print(f"scale {scale}: {scales[-1].ms_per_step:.0f} ms/step, exit {scales[-1].monitor.code}", flush=True)
            write()
    server.shutdown()
    print(args.out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
