"""scripts/benchmark.py's table of where the monitor's time goes, by stage, in milliseconds per step.

For a case whose ratio goal is not met, the same check runs once more in this process (1 worker)
with a timer around each stage of the walk and of the run; each stage's time is its own (a stage
called inside another is taken out of the outer one). What bare does too (loading pages, clicking,
taking screenshots) is in the stages as well: the table says which part is the monitor's own.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# (stage, module, attribute, also in bare): the functions timed, by the name the table gives them.
STAGES: list[tuple[str, str, str, bool]] = [
    ("browser context (new, routed to the replica)", "monitor.runner", "new_context", True),
    ("page loads (goto)", "playwright.sync_api", "Page.goto", True),
    ("clicks", "playwright.sync_api", "Locator.click", True),
    ("load and settle: waiting until the page is still", "monitor.walk.settle", "settle", False),
    ("finding the target by role and name", "monitor.walk.locate", "wait_for", True),
    ("other elements named like a tracked target (twins)", "monitor.walk.locate", "twins", False),
    ("blocked-page checks (wall, security check, error)", "monitor.walk.stuck", "check_blocked", False),
    ("cookie dialog", "monitor.walk.stuck", "dismiss_consent", True),
    ("reading the target (description, sentence, section)", "monitor.walk.pagereads", "PageReader.describe", False),
    ("screenshots, masking, hashing (capture.take)", "monitor.walk.capture", "take", True),
    ("the rest of a step's capture (outline, identity, marks)", "monitor.walk.pagereads", "PageReader.capture", False),
    ("writing files (a writer thread, beside the next walk)", "monitor.store", "save_walk", False),
    ("compare with the baseline", "monitor.judge.compare", "compare_run", False),
    ("report (HTML, Markdown, JSON)", "monitor.write.report", "write", False),
]

# Why each of the monitor's own stages stays (issue 24: "what is left and why it cannot go"); the
# decisions say what each was cut to and what cutting more would lose.
WHY = {
    "load and settle: waiting until the page is still": "pages render again after load (the replica ~100 ms"
    " after; Meta's hydrate): read before that, a step reads half a page and reports a change nobody made."
    " It ends 50 ms after the last change when nothing the page scheduled is due (decision 0014)",
    "reading the target (description, sentence, section)": "the words, sentence, section and its ARIA"
    " snapshot are what compare judges; one script plus Playwright's own ARIA snapshot of the section",
    "the rest of a step's capture (outline, identity, marks)": "the headings place a moved link; the"
    " account's name is read off the page so every committed picture masks it",
    "blocked-page checks (wall, security check, error)": "a cookie dialog, security check or login wall must"
    " be told from a missing link; one words-first script, the role query only when a name is on the page",
    "other elements named like a tracked target (twins)": "a second link with the tracked name that leads"
    " elsewhere is one people would follow",
    "writing files (a writer thread, beside the next walk)": "atomic writes, so a failed run never loses"
    " a file; on its own thread beside the next walk",
    "compare with the baseline": "the verdicts themselves",
    "report (HTML, Markdown, JSON)": "what a maintainer reads",
}


@dataclass
class Stages:
    case: str
    steps: int
    ms: dict[str, float] = field(default_factory=dict)  # stage -> own ms per step
    walk_ms: float = 0.0  # the check in this process, per step
    start_ms: float = 0.0  # the process's own start (imports, `--help`), per step


def _timer(totals: dict[str, float], stack: list[float], stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        thread = threading.current_thread()
        if thread.name.startswith("write"):  # its own clock: it runs beside the walk
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[stage] = totals.get(stage, 0.0) + time.perf_counter() - t0
        if thread.name != "walk-0" and thread is not threading.main_thread():
            return fn(*args, **kwargs)
        stack.append(0.0)
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent = time.perf_counter() - t0
            inner = stack.pop()
            totals[stage] = totals.get(stage, 0.0) + spent - inner
            if stack:
                stack[-1] += spent

    return timed


def measure(
    case: str, cfg_path: Path, combos_args: dict[str, list[str]], site: dict[str, str], states: dict[str, str]
) -> Stages:
    """One unchanged check of the case in this process (a first check accepted as its baseline), timed by stage."""
    import importlib

    from monitor import config, runner, store
    from monitor.walk.browser import StandIns

    cfg = config.load(cfg_path)
    combos = runner.plan(
        cfg, combos_args.get("journeys", []), combos_args.get("locales", []), combos_args.get("viewports", [])
    )
    steps = sum(len(cfg.journey(c.journey).steps_for(c.viewport)) for c in combos)
    totals: dict[str, float] = {}
    stack: list[float] = []
    undo: list[tuple[Any, str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        stand_ins = StandIns(site)
        runner.Check(cfg, str(cfg_path), stand_ins, states).check(combos, tmp / "first")
        store.accept(tmp / "first", tmp / "snaps")
        baseline = store.read_tree(tmp / "snaps")
        for stage, module, attr, _ in STAGES:
            owner: Any = importlib.import_module(module)
            name = attr
            if "." in attr:
                cls, name = attr.split(".")
                owner = getattr(owner, cls)
            original = getattr(owner, name)
            undo.append((owner, name, original))
            setattr(owner, name, _timer(totals, stack, stage, original))
        try:
            t0 = time.perf_counter()
            runner.Check(cfg, str(cfg_path), stand_ins, states, baseline=baseline).check(combos, tmp / "run")
            walk_s = time.perf_counter() - t0
        finally:
            for owner, name, original in reversed(undo):
                setattr(owner, name, original)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "monitor", "--help"], cwd=ROOT, capture_output=True, check=False)
    start_s = time.perf_counter() - t0
    per = 1000 / max(1, steps)
    return Stages(case, steps, {k: v * per for k, v in totals.items()}, walk_s * per, start_s * per)


def render(found: list[Stages], bare_ms: dict[str, float]) -> list[str]:
    """The section: per case, each stage's milliseconds per step, what bare does too marked."""
    if not found:
        return []
    out = [
        "## Where the time goes, per step (cases whose ratio goal is not met)",
        "",
        "The same unchanged check once more, in the benchmark's own process (1 worker), with a timer around",
        'each stage; a stage\'s time is its own (a stage inside another is taken out of it). "In bare": bare',
        "does that work too (its share is in bare's time); the other stages are the monitor's own. The rest",
        "is what no timer covers (launching Chromium, other Playwright calls, Python between them). The writer thread's",
        "time runs beside the walk's and is not in the rest.",
        "",
    ]
    in_bare = {stage: b for stage, _, _, b in STAGES}
    for s in found:
        bare = bare_ms.get(s.case)
        timed = sum(ms for stage, ms in s.ms.items() if not stage.startswith("writing"))
        out += [
            f"### {s.case}: {s.steps} steps, {s.walk_ms:.0f} ms per step in this process"
            + (f"; bare {bare:.0f} ms per step, {s.walk_ms - bare:.0f} ms per step to find" if bare else ""),
            "",
            "| stage | ms per step | in bare | why the monitor's own part stays |",
            "|---|---:|---|---|",
            *[
                f"| {stage} | {ms:.0f} | {'yes' if in_bare.get(stage) else 'no'} |"
                f" {'' if in_bare.get(stage) else WHY.get(stage, '')} |"
                for stage, ms in sorted(s.ms.items(), key=lambda kv: -kv[1])
            ],
            f"| the rest (launching Chromium, other Playwright calls, Python between them) | {s.walk_ms - timed:.0f}"
            " | in part | the browser calls of the stages above that no timer covers |",
            f"| the process's start (`optout-monitor --help`: imports) | {s.start_ms:.0f} | a smaller one |"
            " Playwright, pydantic and the report's templates |",
            "",
        ]
    return out
