"""Accuracy (not a test): optout-monitor against two comparators people use today, on the replica's variants.

For every replica variant the logged-in journeys (Facebook and Instagram Privacy Center) are walked
once by optout-monitor (`runner.Check.check`, against a baseline accepted from an unchanged run),
and the same captures are judged by:

- pixel diff: Playwright's `toHaveScreenshot` defaults on every step's full-page screenshot —
  pixelmatch's YIQ colour distance with threshold 0.2, its anti-aliasing exclusion, maxDiffPixels 0
  (one differing pixel fails) and a size change fails;
- text diff: `document.body.innerText` of every step's page; any difference is a change.

Both comparators read what the monitor's own walk saw (`<step>.page.png`, and `<step>.body.txt`
recorded right after that screenshot), so capture is identical and only the judgement differs;
where the monitor made an extra click a fixed script would not (a hop), they see the page before it.
--repeat walks the noise variants (the `noise` knob) N times, each run a case of its own.
The result is printed and written as Markdown (docs/accuracy.md unless --markdown says otherwise).

    .venv/bin/python scripts/accuracy.py                       # every variant, en desktop (de too where it matters)
    .venv/bin/python scripts/accuracy.py --variants reworded,noise --repeat 5 --viewports desktop,mobile
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shlex
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor import config, runner, store  # noqa: E402
from monitor.config import Journey, TargetSpec  # noqa: E402
from monitor.guard import privacy  # noqa: E402
from monitor.model import VERDICT_PRECEDENCE, Category, Observation, Report, Verdict  # noqa: E402
from monitor.replica import MASK_TEXT, VARIANTS, make_server, storage_state  # noqa: E402

os.environ.setdefault("OPTOUT_MASK_TEXT", MASK_TEXT)  # accept refuses a logged-in walk without it
from monitor.walk import journey, pagereads  # noqa: E402
from monitor.walk.browser import StandIns  # noqa: E402

PLATFORMS = {"facebook": "facebook-privacy-center", "instagram": "instagram-privacy-center"}
SHORT = {"facebook": "fb", "instagram": "ig"}
BASELINE = "baseline-2025"
TEXT_SUFFIX = ".body.txt"
PAGE_SUFFIX = ".page.png"
BEFORE_HOP = ".before-hop"


# --------------------------------------------------------------------------- the page text, captured with the screenshot

BODY_TEXT_JS = "() => document.body ? document.body.innerText : ''"


@dataclass(frozen=True)
class TextRecordingWalker(journey.Walker):
    """The monitor's walker, unchanged, that also keeps what a fixed-selector script would have compared.

    - After every page screenshot the monitor takes, the page's body text, read from the same page,
      saved as `<step>.body.txt` beside `<step>.page.png`.
    - Before the monitor makes an extra click to find a target again (a "hop"), the page it is on,
      captured as the monitor captures pages (same options, same masks), as `<step>.before-hop.page.png`
      and `.body.txt`: a script with fixed steps stops there, it does not hop, so that is the page its
      diff would have seen for this step.
    """

    def _capture(self, state: pagereads.WalkState, base: dict[str, Any], *args: Any, **kwargs: Any) -> Observation:
        obs = super()._capture(state, base, *args, **kwargs)
        try:
            text = str(state.page.evaluate(BODY_TEXT_JS))
        except PlaywrightError:
            return obs
        state.images[f"{base['step']}{TEXT_SUFFIX}"] = text.encode()
        return obs

    def _hop(self, state: pagereads.WalkState, route: Journey, spec: TargetSpec, locale: str) -> Any:
        step = next((s.id for s in route.steps if s.target is spec), None)
        if step is not None:
            page = state.page
            try:
                page.evaluate(pagereads.MARK_PERSONAL_JS, [pagereads.MASK_ATTR, self.reader.personal_texts])
                png = page.screenshot(
                    full_page=True,
                    animations="disabled",
                    caret="hide",
                    scale="css",
                    mask=self.reader.masks(page, locale),
                    mask_color=pagereads.MASK_COLOUR,
                    style=privacy.screenshot_css(pagereads.MASK_COLOUR),
                )
                text = str(page.evaluate(BODY_TEXT_JS))
            except PlaywrightError:
                pass
            else:
                state.images[f"{step}{BEFORE_HOP}{PAGE_SUFFIX}"] = png
                state.images[f"{step}{BEFORE_HOP}{TEXT_SUFFIX}"] = text.encode()
        return super()._hop(state, route, spec, locale)


@contextmanager
def recording_text() -> Iterator[None]:
    """runner.Check builds its Walker by name: swap in the recording one for the duration."""
    original = runner.Walker  # type: ignore[attr-defined]
    runner.Walker = TextRecordingWalker  # type: ignore[attr-defined]
    try:
        yield
    finally:
        runner.Walker = original  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- comparator A: pixel diff (pixelmatch)

THRESHOLD = 0.2  # Playwright's default for toHaveScreenshot
MAX_DELTA = 35215 * THRESHOLD * THRESHOLD  # pixelmatch: 35215 is the largest possible YIQ delta


@dataclass(frozen=True)
class Diff:
    changed: bool
    detail: str = ""  # the first step that differs, and how


def _load_rgba(path: Path) -> np.ndarray:
    with Image.open(path) as img:
        return np.asarray(img.convert("RGBA"), dtype=np.uint8)


def _yiq(img: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """pixelmatch's YIQ of an RGBA image, blended over white where it is not opaque."""
    px = img.astype(np.float64)
    alpha = px[..., 3:4] / 255.0
    rgb = 255.0 + (px[..., :3] - 255.0) * alpha
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = r * 0.29889531 + g * 0.58662247 + b * 0.11448223
    i = r * 0.59597799 - g * 0.27417610 - b * 0.32180189
    q = r * 0.21147017 - g * 0.52261711 + b * 0.31114694
    return y, i, q


def _packed(img: np.ndarray) -> np.ndarray:
    """One uint32 per pixel, for exact colour equality."""
    return img.astype(np.uint32) @ np.array([1 << 24, 1 << 16, 1 << 8, 1], dtype=np.uint32)


def _many_siblings(packed: np.ndarray, x1: int, y1: int) -> bool:
    """pixelmatch hasManySiblings: 3+ adjacent pixels (an image edge counts as one) of exactly its colour."""
    h, w = packed.shape
    x0, x2, y0, y2 = max(x1 - 1, 0), min(x1 + 1, w - 1), max(y1 - 1, 0), min(y1 + 1, h - 1)
    zeroes = 1 if x1 in (x0, x2) or y1 in (y0, y2) else 0
    centre = packed[y1, x1]
    for x in range(x0, x2 + 1):
        for y in range(y0, y2 + 1):
            if x == x1 and y == y1:
                continue
            if packed[y, x] == centre:
                zeroes += 1
            if zeroes > 2:
                return True
    return False


def _antialiased(lum: np.ndarray, packed: np.ndarray, other: np.ndarray, x1: int, y1: int) -> bool:
    """pixelmatch antialiased(): a pixel between a darker and a brighter neighbour that are flat areas in both images."""
    h, w = lum.shape
    x0, x2, y0, y2 = max(x1 - 1, 0), min(x1 + 1, w - 1), max(y1 - 1, 0), min(y1 + 1, h - 1)
    zeroes = 1 if x1 in (x0, x2) or y1 in (y0, y2) else 0
    low = high = 0.0
    low_at = high_at = (x1, y1)
    centre = lum[y1, x1]
    for x in range(x0, x2 + 1):  # pixelmatch's order: x outer, y inner
        for y in range(y0, y2 + 1):
            if x == x1 and y == y1:
                continue
            delta = centre - lum[y, x]
            if delta == 0:
                zeroes += 1
                if zeroes > 2:
                    return False
            elif delta < low:
                low, low_at = delta, (x, y)
            elif delta > high:
                high, high_at = delta, (x, y)
    if low == 0 or high == 0:
        return False
    return (_many_siblings(packed, *low_at) and _many_siblings(other, *low_at)) or (
        _many_siblings(packed, *high_at) and _many_siblings(other, *high_at)
    )


def pixel_diff(before: Path, after: Path) -> str | None:
    """None when toHaveScreenshot's defaults would pass; otherwise why it fails."""
    a, b = _load_rgba(before), _load_rgba(after)
    if a.shape != b.shape:
        return f"size {a.shape[1]}×{a.shape[0]} -> {b.shape[1]}×{b.shape[0]}"
    if np.array_equal(a, b):
        return None
    ya, ia, qa = _yiq(a)
    yb, ib, qb = _yiq(b)
    delta = 0.5053 * (ya - yb) ** 2 + 0.299 * (ia - ib) ** 2 + 0.1957 * (qa - qb) ** 2
    over = np.argwhere(delta > MAX_DELTA)  # row-major, pixelmatch's scan order
    if not len(over):
        return None
    pa, pb = _packed(a), _packed(b)
    for y, x in over:
        xi, yi = int(x), int(y)
        if _antialiased(ya, pa, pb, xi, yi) or _antialiased(yb, pb, pa, xi, yi):
            continue  # pixelmatch (includeAA: false) does not count anti-aliasing
        return f"{len(over)} pixels over the YIQ threshold, first non-anti-aliased at ({xi}, {yi})"
    return None


# --------------------------------------------------------------------------- the two naive comparators over a walk


def _step_order(before: Path, after: Path) -> list[str]:
    order: dict[str, int] = {}
    for folder in (before, after):
        for path in folder.glob("*.json") if folder.is_dir() else ():
            obs = store.load_observation(path)
            order.setdefault(obs.step, obs.index)
    return sorted(order, key=lambda s: (order[s], s))


def _capture(folder: Path, step: str, suffix: str) -> Path | None:
    """A step's capture: the page before an extra click where the monitor made one, else the monitor's own."""
    for path in (folder / f"{step}{BEFORE_HOP}{suffix}", folder / f"{step}{suffix}"):
        if path.is_file():
            return path
    return None


def _walk_diff(before: Path, after: Path, suffix: str, differ: Callable[[Path, Path], str | None]) -> Diff:
    """Step by step, baseline vs variant; the first difference decides. A capture on one side only is one."""
    for step in _step_order(before, after):
        old, new = _capture(before, step, suffix), _capture(after, step, suffix)
        if old is not None and new is not None:
            why = differ(old, new)
            if why:
                return Diff(True, f"{step}{' (before the extra click)' if BEFORE_HOP in new.name else ''}: {why}")
        elif old is not None or new is not None:
            return Diff(True, f"{step}: captured {'only in the baseline' if old is not None else 'only in this run'}")
    return Diff(False)


def text_diff(before: Path, after: Path) -> str | None:
    """None when the texts are equal; otherwise the first changed lines."""
    a, b = before.read_text(), after.read_text()
    if a == b:
        return None
    lines = [
        line.strip()
        for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---")) and line[1:].strip()
    ]
    return "; ".join(f"`{line[:70]}`" for line in lines[:2]) or "whitespace only"


def compare_pixels(before: Path, after: Path) -> Diff:
    """Every step's full-page screenshot against the baseline's, with toHaveScreenshot's defaults."""
    return _walk_diff(before, after, PAGE_SUFFIX, pixel_diff)


def compare_text(before: Path, after: Path) -> Diff:
    """Every step's body innerText against the baseline's; any difference is a change."""
    return _walk_diff(before, after, TEXT_SUFFIX, text_diff)


# --------------------------------------------------------------------------- cases and scoring


@dataclass(frozen=True)
class Case:
    variant: str
    run: int
    platform: str
    locale: str
    viewport: str
    expected: Verdict
    monitor: Verdict
    monitor_detail: str
    pixel: Diff
    text: Diff

    @property
    def real(self) -> bool:
        return self.expected.category is not Category.NOTHING

    @property
    def label(self) -> str:
        return (
            f"{self.variant}{f' #{self.run}' if self.run else ''} {SHORT[self.platform]} {self.locale}/{self.viewport}"
        )


def strongest(report: Report, journey_id: str, locale: str, viewport: str) -> tuple[Verdict, str]:
    """The walk's verdict as in tests/test_verdicts.py: the strongest step verdict, new and skipped aside."""
    changes = [
        c
        for c in report.changes
        if (c.journey, c.locale, c.viewport) == (journey_id, locale, viewport)
        and c.verdict not in (Verdict.NEW, Verdict.SKIPPED)
    ]
    if not changes:
        return Verdict.NEW, "no step compared with a baseline"
    top = min(changes, key=lambda c: VERDICT_PRECEDENCE.index(c.verdict))
    return top.verdict, f"{top.step}: {top.summary}"


COMPARATORS = {
    "monitor": "optout-monitor",
    "pixel": "pixel diff (toHaveScreenshot defaults)",
    "text": "text diff (body innerText)",
}


@dataclass
class Score:
    caught: int = 0
    right: int = 0
    alarms: int = 0


@dataclass
class Tally:
    real: int = 0
    total: int = 0
    nothing: int = 0
    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in COMPARATORS})


def tally(cases: list[Case]) -> Tally:
    t = Tally()
    for case in cases:
        t.total += 1
        t.real += case.real
        t.nothing += not case.real
        flagged = {
            "monitor": case.monitor.category is not Category.NOTHING,
            "pixel": case.pixel.changed,
            "text": case.text.changed,
        }
        # A bare diff says only "changed" or "no change": it is right only where nothing changed at all.
        right = {
            "monitor": case.monitor is case.expected,
            "pixel": not case.pixel.changed and case.expected is Verdict.UNCHANGED,
            "text": not case.text.changed and case.expected is Verdict.UNCHANGED,
        }
        for key, score in t.scores.items():
            score.caught += case.real and flagged[key]
            score.right += right[key]
            score.alarms += (not case.real) and flagged[key]
    return t


# --------------------------------------------------------------------------- tables


def _table(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(c) for c in col) for col in zip(header, *rows, strict=True)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header), fmt.format(*("-" * w for w in widths)), *(fmt.format(*r) for r in rows)])


def per_variant_table(cases: list[Case], markdown: bool) -> str:
    header = ["variant", "walk", "expected", "monitor fb", "monitor ig", "pixel fb", "pixel ig", "text fb", "text ig"]
    groups: dict[tuple[str, int, str, str], dict[str, Case]] = {}
    for case in cases:
        groups.setdefault((case.variant, case.run, case.locale, case.viewport), {})[case.platform] = case
    rows = []
    for (variant, run, locale, viewport), by in groups.items():
        fb, ig = by.get("facebook"), by.get("instagram")
        expected = {c.expected.value for c in by.values()}
        row = [f"{variant}{f' #{run}' if run else ''}", f"{locale}/{viewport}", "/".join(sorted(expected))]
        for c in (fb, ig):
            row.append("–" if c is None else c.monitor.value + ("" if c.monitor is c.expected else " ✗"))
        for kind in ("pixel", "text"):
            for c in (fb, ig):
                row.append("–" if c is None else ("yes" if getattr(c, kind).changed else "no"))
        rows.append(row)
    return _table(header, rows, markdown)


def summary_table(t: Tally, markdown: bool) -> str:
    header = [
        "comparator",
        f"changes caught (x/{t.real})",
        f"classified right (x/{t.total})",
        f"false alarms (x/{t.nothing})",
    ]
    rows = [
        [name, f"{s.caught}/{t.real}", f"{s.right}/{t.total}", f"{s.alarms}/{t.nothing}"]
        for name, s in ((COMPARATORS[k], t.scores[k]) for k in COMPARATORS)
    ]
    return _table(header, rows, markdown)


def notable(cases: list[Case]) -> list[str]:
    """What each comparator got wrong, one line per case and comparator."""
    out = []
    for c in cases:
        if c.monitor is not c.expected:
            out.append(
                f"optout-monitor on {c.label}: said {c.monitor.value}, expected {c.expected.value} ({c.monitor_detail})"
            )
    for kind, name in (("pixel", "pixel diff"), ("text", "text diff")):
        for c in cases:
            diff: Diff = getattr(c, kind)
            if diff.changed and not c.real:
                out.append(f"{name} false alarm on {c.label} ({c.expected.value}): {diff.detail}")
            elif c.real and not diff.changed:
                out.append(f"{name} missed {c.label} ({c.expected.value})")
    return out


NOTES = """\
How to read this:

- A case is one variant × platform (× locale × viewport × repeat) walk. Ground truth is the variant's
  expected verdict for that journey and locale (`Variant.expected_for`; for `de-only-reworded` the en walks
  are expected `unchanged`). A case is a real change when that verdict's category is update or human
  (reworded, moved, retargeted, step-added, step-removed, target-gone, blocked); unchanged and cosmetic
  cases are not.
- optout-monitor's verdict for a walk is its strongest step verdict (new and skipped aside), as in
  tests/test_verdicts.py, from a normal `check` (with its confirmation re-walk). It flags a change when that
  verdict's category is not "nothing"; it is classified right when the verdict equals the expected one.
- The pixel and text diffs only say "changed" or "no change". They are counted right only on `unchanged`
  cases where they say no change; on a real change they are never counted right, because they cannot tell
  which kind of change it is (calling every "changed" a rewording, say, would be dishonest scoring). On a
  cosmetic case, "no change" is not a false alarm but not right either (the expected verdict is cosmetic).
- Both diffs judge the captures of the monitor's own walk: its `<step>.page.png` (personal data masked, as
  the monitor masks it) and the body innerText read from the same page right after that screenshot. So
  capture is identical and only the judgement differs. One exception keeps them honest: where the monitor
  had to make an extra click to find a target again (a "hop", as in `accounts-center-hop`), a script with
  fixed steps would not have, so for that step the diffs see the page the walk was on before the extra
  click (captured the same way). Without that, both would inherit the monitor's recovery and see
  identical pages. A target found again by search is on the same page, so nothing special is needed there.
  A step captured on one side only (e.g. a walk that stopped early) counts as a difference.
- Pixel diff = Playwright `toHaveScreenshot` defaults: pixelmatch YIQ distance, threshold 0.2
  (delta > 35215 × 0.2²), anti-aliased pixels not counted (pixelmatch's test), maxDiffPixels 0, and a change
  of size fails.
"""


def markdown(cases: list[Case], t: Tally, command: str, started: datetime, seconds: float, browser: str) -> str:
    wrong = notable(cases)
    return "\n".join(
        [
            "<!-- Generated by scripts/accuracy.py; do not edit by hand: run the command below again. -->",
            "",
            "# Accuracy: optout-monitor against a pixel diff and a text diff",
            "",
            "_This page is generated by `scripts/accuracy.py`._",
            "",
            f"- Date: {started.isoformat(timespec='seconds')} ({seconds:.0f} s)",
            f"- Command: `{command}`",
            f"- Browser: `{browser}`",
            "- Against: the replica (`monitor/replica`), the logged-in journeys facebook-privacy-center and "
            "instagram-privacy-center, baseline accepted from one walk of `baseline-2025`.",
            "",
            "## Summary",
            "",
            summary_table(t, markdown=True),
            "",
            "## Per variant",
            "",
            "✗ marks a monitor verdict that differs from the expected one; pixel/text: did that diff flag a change.",
            "",
            per_variant_table(cases, markdown=True),
            "",
            "## What each got wrong",
            "",
            *([f"- {line}" for line in wrong] or ["- nothing"]),
            "",
            "## Method",
            "",
            NOTES,
        ]
    )


# --------------------------------------------------------------------------- running


@dataclass
class Bench:
    """The replica, its login states, the accepted baseline, and a folder for the runs."""

    cfg: config.Config
    stand_ins: StandIns
    states: dict[str, str]
    viewports: list[str]
    workers: int
    work: Path
    server: Any
    base_run: Path = Path()
    baseline: store.Tree | None = None
    browser: str = ""

    def combos(self, locales: list[str]) -> list[runner.Combo]:
        return runner.plan(self.cfg, list(PLATFORMS.values()), locales, self.viewports)

    def accept_baseline(self, locales: list[str]) -> list[str]:
        """Walk baseline-2025 once and accept it; the walks that did not reach their end (none, normally)."""
        self.server.variant = BASELINE
        self.base_run = self.work / "baseline-run"
        _fresh(self.base_run)
        walks = runner.Check(self.cfg, "monitor.yaml", self.stand_ins, self.states, workers=self.workers).run(
            self.combos(locales), self.base_run
        )
        broken = [f"{w.journey}/{w.locale}/{w.viewport}" for w in walks if not w.ok]
        if not broken:
            snapshots = self.work / "baseline"
            _fresh(snapshots)
            store.accept(self.base_run, snapshots)
            self.baseline = store.read_tree(snapshots)
            self.browser = store.read_run_info(self.base_run).browser
        return broken

    def run(self, variant: str, tag: int) -> list[Case]:
        """One `check` of a variant, and the three comparators' view of each of its walks."""
        out = self.work / (f"{variant}-{tag}" if tag else variant)
        _fresh(out)
        combos = self.combos(locales_of(variant))
        self.server.variant = variant
        try:
            check = runner.Check(
                self.cfg, "monitor.yaml", self.stand_ins, self.states, workers=self.workers, baseline=self.baseline
            )
            report = check.check(combos, out)
        finally:
            self.server.variant = BASELINE
        cases = []
        for combo in combos:
            where = (combo.journey, combo.locale, combo.viewport)
            verdict, detail = strongest(report, *where)
            before = store.combo_dir(self.base_run / store.OBSERVATIONS, *where)
            after = store.combo_dir(out / store.OBSERVATIONS, *where)
            cases.append(
                Case(
                    variant=variant,
                    run=tag,
                    platform=self.cfg.journey(combo.journey).site,
                    locale=combo.locale,
                    viewport=combo.viewport,
                    expected=Verdict(VARIANTS[variant].expected_for(combo.journey, combo.locale)),
                    monitor=verdict,
                    monitor_detail=detail,
                    pixel=compare_pixels(before, after),
                    text=compare_text(before, after),
                )
            )
        return cases


def locales_of(variant: str) -> list[str]:
    """en always; the variant's own locales too when its change is limited to some (de-only-reworded: de)."""
    return ["en", *(loc for loc in VARIANTS[variant].locales if loc != "en")]


def _progress(cases: list[Case], seconds: float) -> str:
    said = ", ".join(
        f"{SHORT[c.platform]} {c.locale}/{c.viewport}: {c.monitor.value}"
        f" pixel={'y' if c.pixel.changed else 'n'} text={'y' if c.text.changed else 'n'}"
        for c in cases
    )
    first = cases[0]
    return f"{first.variant}{f' #{first.run}' if first.run else ''} ({seconds:.0f} s): {said}"


MUTATIONS_BEGIN = "<!-- MUTATIONS:BEGIN"
MUTATIONS_END = "<!-- MUTATIONS:END -->"


def _fresh(folder: Path) -> None:
    """A run or baseline folder starts empty (store.clear went to outdir.clear, which only empties folders it claimed)."""
    shutil.rmtree(folder, ignore_errors=True)


GATE_BEGIN = "<!-- GATE:BEGIN"
GATE_END = "<!-- GATE:END -->"


def _mutation_block(path: Path) -> str:
    """The parts of the page other scripts write: the mutation corpus (scripts/mutation_accuracy.py)
    and the gate's recall (scripts/gate_recall.py)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    parts = []
    for begin, end in ((MUTATIONS_BEGIN, MUTATIONS_END), (GATE_BEGIN, GATE_END)):
        start, stop = old.find(begin), old.find(end)
        if 0 <= start < stop:
            parts.append(old[start : stop + len(end)])
    return "\n\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", default="", help="comma-separated variant names (default: all)")
    parser.add_argument(
        "--viewports", default="desktop", help="comma-separated, e.g. desktop,mobile (default: desktop)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each noise variant, each a case (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="browsers walking at once (default 2)")
    parser.add_argument(
        "--markdown",
        default="docs/accuracy.md",
        help="where to write the Markdown; '-' for nowhere (default docs/accuracy.md)",
    )
    parser.add_argument("--keep", default="", help="keep the run folders here instead of a temporary folder")
    args = parser.parse_args()

    variants = [v for v in args.variants.split(",") if v] or list(VARIANTS)
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(VARIANTS)}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    cfg = config.load(ROOT / "monitor.yaml")
    viewports = [v for v in args.viewports.split(",") if v]
    try:
        runner.plan(cfg, viewports=viewports)
    except ValueError as exc:
        parser.error(str(exc))

    started = datetime.now(UTC)
    t0 = time.perf_counter()
    server = make_server(0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    cases: list[Case] = []
    browser = ""
    try:
        with tempfile.TemporaryDirectory(prefix="accuracy-") as tmp, recording_text():
            states = {}
            for site in PLATFORMS:
                path = Path(tmp) / f"{site}.state.json"
                path.write_text(json.dumps(storage_state(site)))
                states[site] = str(path)
            work = Path(args.keep).resolve() if args.keep else Path(tmp)
            work.mkdir(parents=True, exist_ok=True)
            bench = Bench(
                cfg, StandIns({"facebook": url, "instagram": url}), states, viewports, args.workers, work, server
            )
            locales = sorted({loc for v in variants for loc in locales_of(v)})
            print(f"replica at {url}; walking {BASELINE} for the baseline ({', '.join(locales)})", file=sys.stderr)
            broken = bench.accept_baseline(locales)
            browser = bench.browser
            if broken:
                print(f"the baseline walk did not reach its end: {', '.join(broken)}", file=sys.stderr)
                return 2
            for variant in variants:
                runs = args.repeat if VARIANTS[variant].noise else 1
                for run in range(1, runs + 1):
                    w0 = time.perf_counter()
                    done = bench.run(variant, run if runs > 1 else 0)
                    cases += done
                    print(_progress(done, time.perf_counter() - w0), file=sys.stderr)
    finally:
        server.shutdown()
        server.server_close()

    seconds = time.perf_counter() - t0
    t = tally(cases)
    print()
    print(per_variant_table(cases, markdown=False))
    print()
    print(summary_table(t, markdown=False))
    print()
    print("The pixel and text diffs only say changed / no change: they are 'classified right' only on unchanged")
    print("cases where they saw no change, never on a real change (mapping 'changed' to one kind would be dishonest).")
    wrong = notable(cases)
    if wrong:
        print()
        print("\n".join(wrong))
    if args.markdown != "-":
        command = shlex.join([".venv/bin/python", "scripts/accuracy.py", *sys.argv[1:]])
        target = Path(args.markdown)
        target = target if target.is_absolute() else ROOT / target
        target.parent.mkdir(parents=True, exist_ok=True)
        text = markdown(cases, t, command, started, seconds, browser)
        kept = _mutation_block(target)  # scripts/mutation_accuracy.py's table stays beside the variants
        target.write_text(text + ("\n" + kept + "\n" if kept else ""))
        print(f"\nwritten: {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
