"""Shard reports -> one report folder, as if one machine had walked everything."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from monitor import store
from monitor.guard import files
from monitor.model import Report
from monitor.write import report


class AggregateError(Exception):
    """A shard folder that is missing, damaged, or overlaps another shard."""


def aggregate(shard_dirs: list[Path], out: Path) -> Report:
    """Merge each shard's report.json, observations/ and images/ into out and write the report there."""
    if not shard_dirs:
        raise AggregateError("give at least one shard folder (the --out of `check --shard I/N`)")
    reports: list[Report] = []
    seen: dict[str, Path] = {}
    for folder in shard_dirs:
        try:
            shard = report.load(folder / "report.json")
        except report.ReportError as exc:
            raise AggregateError(str(exc)) from None
        for change in shard.changes:
            other = seen.get(change.combo)
            if other is not None and other != folder:
                raise AggregateError(f"{change.combo} was walked by two shards: {other} and {folder}")
        seen.update({c.combo: folder for c in shard.changes})
        reports.append(shard)
    if out.resolve() in {d.resolve() for d in shard_dirs}:
        raise AggregateError(f"--out {out} is one of the shards; give a new folder")
    merged = report.merge(reports)
    for folder in shard_dirs:
        for sub in (store.OBSERVATIONS, "images"):
            if (folder / sub).is_dir():
                shutil.copytree(folder / sub, out / sub, dirs_exist_ok=True)
    files.write_atomic(out / "report.json", merged.canonical_json().encode("utf-8"))
    _write_run_file(shard_dirs, out, merged)
    files.write_atomic(out / "report.md", report.markdown(merged, report.artifact_link(os.environ)).encode("utf-8"))
    files.write_atomic(out / "report.html", report.html(merged, out).encode("utf-8"))
    return merged


def _write_run_file(shard_dirs: list[Path], out: Path, merged: Report) -> None:
    """run.json of the merged run (the shards' walks, the merged run's info): `update` and `accept` read
    it, so the aggregate's folder is a run folder like a check's (the workflow updates from it)."""
    walks: list[object] = []
    for folder in shard_dirs:
        try:
            listed = json.loads((folder / store.RUN_FILE).read_text(encoding="utf-8")).get("walks")
        except (OSError, ValueError, AttributeError):
            continue  # a shard without one still merges: its walks are in report.json
        walks += listed if isinstance(listed, list) else []
    data = {"run": merged.run.model_dump(mode="json"), "walks": walks}
    files.write_atomic(out / store.RUN_FILE, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8"))
