"""Benchmark (not a test): a full `check` against the replica beside a bare Playwright script.

The bare script does the same navigations, clicks and screenshots (full page + target) with no
masking, no description of the target, no hashing and no files; the ratio says what the
monitor's care costs. Run with `make bench` or `.venv/bin/python scripts/benchmark.py`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor import browser, compare, config, locate, runner, store  # noqa: E402
from monitor.replica import make_server, storage_state  # noqa: E402


def bare(cfg: config.Config, combos: list[runner.Combo], stand_ins: browser.StandIns, workers: int) -> float:
    """Same walk with plain Playwright calls, split over `workers` threads."""
    todo = list(combos)
    lock = threading.Lock()
    hosts = stand_ins.host_map(cfg)

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
                        page.screenshot(full_page=True)
                        continue
                    spec = step.target or cfg.sites[journey.site].consent
                    if spec is None:
                        continue
                    found = locate.wait_for(page, spec, combo.locale, 5000)
                    if found is None:
                        continue
                    page.screenshot(full_page=True)
                    found.locator.screenshot()
                    if step.click is not None or step.consent is not None:
                        before = page.url
                        found.locator.click()
                        if spec.role == "link":
                            page.wait_for_url(lambda u, before=before: u != before)
                            page.wait_for_load_state("domcontentloaded")
                ctx.close()
            b.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def monitored(
    cfg: config.Config, combos: list[runner.Combo], stand_ins: browser.StandIns, states: dict[str, str], workers: int
) -> float:
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        runner.Check(cfg, "monitor.yaml", stand_ins, states, workers=workers).run(combos, Path(out))
        return time.perf_counter() - t0


def compare_cost(
    cfg: config.Config, combos: list[runner.Combo], stand_ins: browser.StandIns, states: dict[str, str]
) -> str:
    """Milliseconds per step of the compare stage alone (no browser): a real run against itself."""
    with tempfile.TemporaryDirectory() as tmp:
        walks = runner.Check(cfg, "monitor.yaml", stand_ins, states, workers=2).run(combos, Path(tmp) / "a")
        baseline = store.read_tree(Path(tmp) / "a" / store.OBSERVATIONS)
        info = store.read_run_info(Path(tmp) / "a")
        steps = sum(len(w.observations) for w in walks)
        rounds = 20
        t0 = time.perf_counter()
        for _ in range(rounds):
            compare.compare_run(baseline, walks, cfg.thresholds, info)
        per_step = 1000 * (time.perf_counter() - t0) / (rounds * steps)
    return f"compare stage: {per_step:.3f} ms per step ({steps} steps × {rounds} rounds, no browser)"


def ocr_cost(
    cfg: config.Config, combos: list[runner.Combo], stand_ins: browser.StandIns, states: dict[str, str]
) -> str:
    """Seconds per image of the personal-data gate's OCR (monitor/gate.py), one image at a time, no cache."""
    from monitor import gate
    from monitor.redact import Identity

    who = Identity.parse("Jane Example|jane.example")
    with tempfile.TemporaryDirectory() as tmp:
        runner.Check(cfg, "monitor.yaml", stand_ins, states, workers=2).run(combos, Path(tmp))
        pages = sorted(Path(tmp).rglob("*.page.png"))
        times = []
        for path in pages:
            data = path.read_bytes()
            t0 = time.perf_counter()
            gate.scan_image(path, data, who)
            times.append(time.perf_counter() - t0)
    return (
        f"OCR gate: median {statistics.median(times):.2f} s per page image, max {max(times):.2f} s "
        f"({len(times)} full-page screenshots, one at a time, Tesseract {gate.OCR_LANGUAGES})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, the median is shown")
    parser.add_argument("--quick", action="store_true", help="only the en locale")
    parser.add_argument("--ocr", action="store_true", help="only the OCR gate's cost per image (en, logged in)")
    args = parser.parse_args()
    cfg = config.load(ROOT / "monitor.yaml")
    server = make_server(0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    stand_ins = browser.StandIns({"facebook": url, "instagram": url})
    with tempfile.TemporaryDirectory() as tmp:
        states = {}
        for site in ("facebook", "instagram"):
            path = Path(tmp) / f"{site}.json"
            path.write_text(__import__("json").dumps(storage_state(site)))
            states[site] = str(path)
        if args.ocr:
            logged_in = [j.id for j in cfg.journeys if j.login]
            print(ocr_cost(cfg, runner.plan(cfg, logged_in, ["en"]), stand_ins, states))
            server.shutdown()
            return
        combos = runner.plan(cfg, locales=["en"] if args.quick else [])
        steps = sum(len(cfg.journey(c.journey).steps_for(c.viewport)) for c in combos)
        print(f"{len(combos)} walks, {steps} steps, replica at {url}")
        print(f"{'workers':>7}  {'bare s':>8}  {'monitor s':>9}  {'ratio':>6}  {'ms/step':>8}")
        for workers in (1, 2):
            b = statistics.median(bare(cfg, combos, stand_ins, workers) for _ in range(args.repeat))
            m = statistics.median(monitored(cfg, combos, stand_ins, states, workers) for _ in range(args.repeat))
            print(f"{workers:>7}  {b:>8.1f}  {m:>9.1f}  {m / b:>6.2f}  {1000 * m / steps:>8.0f}")
        print(compare_cost(cfg, combos, stand_ins, states))
    server.shutdown()


if __name__ == "__main__":
    main()
