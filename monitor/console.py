"""What the commands print: one-line errors with their exit code, progress, the run's summary.

A terminal gets colour and a live bar; a CI log gets plain lines, one per walk, that never wrap.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import typer
from rich.console import Console
from rich.table import Table

from monitor.guard import locks, outdir
from monitor.model import Report
from monitor.runner import Combo

out = Console(highlight=False, soft_wrap=True)  # CI logs: a line and its URL stay one line
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK = 0
EXIT_UPDATE = 1
EXIT_USAGE = 2
EXIT_HUMAN = 3


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False) if err.is_terminal else print(
        f"error: {message}", file=sys.stderr
    )
    raise typer.Exit(code)


def one_line(exc: Exception) -> str:
    """An exception as the one line a user reads: the path and the cause for an OS error."""
    if isinstance(exc, OSError):
        paths = " -> ".join(str(p) for p in (exc.filename, exc.filename2) if p is not None)
        cause = outdir.describe_os_error(exc)
        return f"{paths}: {cause}" if paths else cause
    if isinstance(exc, locks.LockError):
        return str(exc)
    text = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"unexpected {type(exc).__name__}: {text} (run with --debug for the traceback)"


def progress(total: int):  # type: ignore[no-untyped-def]
    """A live bar on a terminal, one plain line per walk elsewhere (CI logs)."""
    done = [0]
    if out.is_terminal and not os.environ.get("CI"):
        from rich.progress import Progress

        bar = Progress(console=out, transient=True)
        task = bar.add_task("walking", total=total)
        bar.start()

        def tick(combo: Combo, walk) -> None:  # type: ignore[no-untyped-def]
            done[0] += 1
            bar.update(task, advance=1, description=str(combo))
            if done[0] == total:
                bar.stop()

        return tick

    def line(combo: Combo, walk) -> None:  # type: ignore[no-untyped-def]
        done[0] += 1
        state = "ok" if walk.ok else _trouble(walk)
        print(f"[{done[0]}/{total}] {combo} {state} ({walk.seconds:.1f}s)", flush=True)

    return line


def _trouble(walk) -> str:  # type: ignore[no-untyped-def]
    for obs in walk.observations:
        if obs.status.value in ("blocked", "missing"):
            return f"{obs.status.value} at {obs.step}: {obs.error}"
    return "not ok"


def summary(result: Report) -> None:
    """Verdicts per journey × locale × viewport: the first thing a person reads after a run."""
    table = Table(title=f"outcome: {result.outcome.value} (exit {result.exit_code})")
    for col in ("journey", "locale", "viewport", "verdicts"):
        table.add_column(col)
    rows: dict[tuple[str, str, str], list[str]] = {}
    for c in result.changes:
        rows.setdefault((c.journey, c.locale, c.viewport), [])
        if c.verdict.value != "unchanged":
            rows[(c.journey, c.locale, c.viewport)].append(f"{c.step}: {c.verdict.value}")
    for (journey, locale, viewport), verdicts in rows.items():
        table.add_row(journey, locale, viewport, ", ".join(verdicts) or "unchanged")
    out.print(table)
    first = first_walk_line(result)
    if first:
        out.print(first)
    for problem in result.problems:
        out.print(f"baseline problem: {problem.path}: {problem.message} — {problem.fix}")


def first_walk_line(result: Report) -> str:
    """What a run that walked without a baseline says instead of "nothing to do"; "" when it did not."""
    human = {c.combo for c in result.changes if c.category.value == "human"}
    firsts = [c for c in result.changes if c.verdict.value == "new" and c.combo not in human]
    walks = sorted({c.combo for c in firsts})
    if not walks:
        return ""
    sites = sorted({c.site for c in firsts})
    return (
        f"first walk: {len(walks)} walk(s) of {', '.join(sites)} had no baseline in snapshots/. "
        "`optout-monitor update` writes this run as the baseline and `optout-monitor publish` proposes it as a "
        'pull request per platform ("First walk of the … path"; the scheduled run does both); on your own '
        "machine `optout-monitor accept` makes it the baseline. Nothing is checked until a maintainer merges it."
    )
