"""Output folders a command may write (and clear): ones it created itself, or empty ones.

A command that writes a folder (`check --out`, `site`, `feed --out`, `aggregate --out`,
`publish --dry-run DIR`) claims it first. Claiming refuses, before any work is done:
- a folder that overlaps the baseline (--snapshots), the instructions or the repository itself
  (the same folder, one inside the other, or one holding the repository);
- a non-empty folder without a marker file, which optout-monitor writes into every folder it
  creates or claims empty: a folder of someone's documents is never cleared;
- a folder that cannot be written (the marker is the writability probe).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

MARKER = ".optout-monitor-output"
# Markers that earlier versions (or `site`, which prunes what it did not build) leave.
KNOWN_MARKERS = (MARKER, ".optout-monitor-site")
REPOSITORY = "the repository"  # the protected folder an output may sit in, but not be or hold


class OutputError(Exception):
    """An output folder that must not or cannot be written; code is the exit code (2 usage, 3 OS)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def _overlaps(a: Path, b: Path) -> bool:
    return a == b or a in b.parents or b in a.parents


def refuse_overlaps(out: Path, option: str, protected: Iterable[tuple[str, Path]]) -> None:
    """OutputError when out is, holds or sits in a protected folder (the repository: is or holds)."""
    where = out.resolve()
    for label, folder in sorted(protected, key=lambda p: p[0] != REPOSITORY):
        other = folder.resolve()
        clash = (where == other or where in other.parents) if label == REPOSITORY else _overlaps(where, other)
        if clash:
            raise OutputError(f"{option} {out}: overlaps {label} ({folder}); give a folder of its own, e.g. runs/1")


def owned(folder: Path) -> bool:
    return any((folder / m).is_file() for m in KNOWN_MARKERS)


def claim(
    out: Path,
    command: str,
    option: str,
    protected: Iterable[tuple[str, Path]] = (),
    marker: str = MARKER,
) -> None:
    """Make out a folder this command may write: refused (exit 2) or unwritable (exit 3) otherwise."""
    refuse_overlaps(out, option, protected)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{option} {out}: is a file, not a folder")
    if out.is_dir():
        try:
            entries = [p.name for p in out.iterdir()]
        except OSError as exc:
            raise OutputError(f"{option} {out}: cannot list it: {exc.strerror}", 3) from None
        if entries and not owned(out):
            shown = ", ".join(sorted(entries)[:3]) + (", …" if len(entries) > 3 else "")
            raise OutputError(
                f"{option} {out}: not empty ({shown}) and not made by optout-monitor; "
                "give a new or empty folder (nothing was changed)"
            )
    try:
        out.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        (out / marker).write_text(f"Made by `optout-monitor {command}` on {stamp}; it may clear this folder.\n")
    except OSError as exc:
        raise OutputError(f"{option} {out}: cannot write there: {describe_os_error(exc)}", 3) from None


def clear(out: Path) -> None:
    """Empty a claimed folder, keeping its marker."""
    if not owned(out):
        raise OutputError(f"refusing to clear {out}: optout-monitor did not make it")
    for entry in out.iterdir():
        if entry.name in KNOWN_MARKERS:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def describe_os_error(exc: OSError) -> str:
    """The cause of an OSError in a few words, without the Python around it."""
    return exc.strerror or (os.strerror(exc.errno) if exc.errno else type(exc).__name__)
