"""Changelog entries: one JSON file per accepted change, the source of the public feeds.

Entries live in `instructions/changelog/<date>-<id>.json`. The id is a hash of what changed
(platform, locale, viewport, step, verdict, old → new), so applying the same report twice
writes the same file and the feed's ids stay stable.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from monitor.guard.files import write_atomic
from monitor.model import ChangelogEntry

__all__ = ["FOLDER", "ChangelogEntry", "read_all", "write"]

FOLDER = Path("instructions") / "changelog"


def write(root: Path, entry: ChangelogEntry) -> Path:
    path = root / FOLDER / entry.filename()
    write_atomic(path, (entry.model_dump_json(indent=2) + "\n").encode())
    return path


def read_all(root: Path) -> list[ChangelogEntry]:
    """Every entry, newest first; an unreadable file raises ValueError naming it."""
    entries: list[ChangelogEntry] = []
    folder = root / FOLDER
    if not folder.is_dir():
        return entries
    for path in sorted(folder.glob("*.json")):
        try:
            entries.append(ChangelogEntry.model_validate_json(path.read_bytes()))
        except ValidationError as exc:
            raise ValueError(f"{path}: not a changelog entry ({str(exc).splitlines()[0]})") from None
    entries.sort(key=lambda e: (e.when, e.id), reverse=True)
    return entries
