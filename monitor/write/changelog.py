"""Changelog entries: one JSON file per accepted change, the source of the public feeds.

Entries live in `instructions/changelog/<date>-<id>.json`. The id is a hash of what changed
(platform, locale, viewport, step, verdict, old → new), so applying the same report twice
writes the same file and the feed's ids stay stable.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from monitor.store import write_atomic

FOLDER = Path("instructions") / "changelog"


class ChangelogEntry(BaseModel):
    """One change the monitor saw and the instructions took in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    when: str  # ISO 8601 date-time (UTC) of the run that saw it
    platform: str  # facebook | instagram
    locale: str
    viewport: str
    journey: str
    step: str
    verdict: str  # reworded, moved, retargeted, step-added, step-removed, cosmetic
    summary: str  # plain English, e.g. "object" → "Oppose" (Privacy Center notice)
    old_text: str | None = None
    new_text: str | None = None
    old_place: list[str] = Field(default_factory=list)
    new_place: list[str] = Field(default_factory=list)
    old_leads_to: str | None = None
    new_leads_to: str | None = None
    images: list[str] = Field(default_factory=list)  # repository paths of the people's screenshots
    pages: list[str] = Field(default_factory=list)  # repository paths of the instruction pages it changed
    pr_url: str | None = None
    commit: str | None = None

    @staticmethod
    def make_id(*parts: str | None) -> str:
        digest = hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()
        return digest[:16]

    def filename(self) -> str:
        return f"{self.when[:10]}-{self.id}.json"


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
