"""Observation trees on disk (a run folder, or the accepted baseline), written atomically.

Layout, the same for a run's `observations/` and for `snapshots/`:
    <journey>/<locale>/<viewport>/<step>.json          the Observation
    <journey>/<locale>/<viewport>/<step>.page.png      full page, personal data masked
    <journey>/<locale>/<viewport>/<step>.target.png    the target with some context around it
A file is rewritten only when its bytes change, so accepting an unchanged run touches nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .model import Observation, ObservationKey, RunInfo, Walk

RUN_FILE = "run.json"
OBSERVATIONS = "observations"
# A baseline folder holding this file takes captures of the real sites only.
REAL_ONLY_MARKER = ".real-sites-only"


class StoreError(Exception):
    """A snapshot folder or run folder that cannot be read or written as asked."""


def write_atomic(path: Path, data: bytes) -> bool:
    """Write data to path through a temporary file and a rename; False when the bytes were already there."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; these files are for git and people
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def combo_dir(root: Path, journey: str, locale: str, viewport: str) -> Path:
    return root / journey / locale / viewport


def observation_path(root: Path, key: ObservationKey) -> Path:
    journey, locale, viewport, step = key
    return combo_dir(root, journey, locale, viewport) / f"{step}.json"


def save_walk(root: Path, walk: Walk, images: dict[str, bytes]) -> None:
    """Write a walk's observations and their images (file name -> bytes) under root."""
    folder = combo_dir(root, walk.journey, walk.locale, walk.viewport)
    for name, data in images.items():
        write_atomic(folder / name, data)
    for obs in walk.observations:
        write_atomic(folder / f"{obs.step}.json", obs.canonical_json().encode())


def load_observation(path: Path) -> Observation:
    try:
        return Observation.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise StoreError(f"{path}: missing") from None
    except (ValidationError, ValueError) as exc:
        first = str(exc).splitlines()[0]
        raise StoreError(f"{path}: unreadable observation ({first})") from None


@dataclass
class Tree:
    """What a folder of observations holds, with the files it could not read."""

    root: Path
    observations: dict[ObservationKey, Observation] = field(default_factory=dict)
    broken: dict[Path, str] = field(default_factory=dict)

    def walk_of(self, journey: str, locale: str, viewport: str) -> list[Observation]:
        found = [o for k, o in self.observations.items() if k[:3] == (journey, locale, viewport)]
        return sorted(found, key=lambda o: o.index)

    def image(self, obs: Observation, which: str) -> Path | None:
        if obs.images is None:
            return None
        name = obs.images.page if which == "page" else obs.images.target
        if not name:
            return None
        return combo_dir(self.root, obs.journey, obs.locale, obs.viewport) / name


def read_tree(root: Path) -> Tree:
    tree = Tree(root)
    if not root.is_dir():
        return tree
    for path in sorted(root.glob("*/*/*/*.json")):
        try:
            obs = load_observation(path)
        except StoreError as exc:
            tree.broken[path] = str(exc)
            continue
        tree.observations[obs.key] = obs
    return tree


# --------------------------------------------------------------------------- runs


def save_run(out: Path, info: RunInfo, walks: Iterable[Walk]) -> None:
    summary = {
        "run": info.model_dump(mode="json"),
        "walks": [
            {
                "journey": w.journey,
                "site": w.site,
                "locale": w.locale,
                "viewport": w.viewport,
                "ok": w.ok,
                "steps": len(w.observations),
                "seconds": round(w.seconds, 2),
            }
            for w in walks
        ],
    }
    write_atomic(out / RUN_FILE, (json.dumps(summary, indent=2, sort_keys=True) + "\n").encode())


def read_run_info(run_dir: Path) -> RunInfo:
    path = run_dir / RUN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return RunInfo.model_validate(data["run"])
    except FileNotFoundError:
        raise StoreError(f"{path}: missing — is {run_dir} the --out folder of a check?") from None
    except (ValueError, KeyError, ValidationError) as exc:
        raise StoreError(f"{path}: unreadable run file ({str(exc).splitlines()[0]})") from None


@dataclass(frozen=True)
class Accepted:
    written: int  # files whose bytes changed
    removed: int  # stale files of the accepted walks
    walks: list[str]  # journey/locale/viewport accepted
    kept: list[str]  # journey/locale/viewport not accepted (the run failed there); baseline kept


def accept(run_dir: Path, snapshots: Path) -> Accepted:
    """Make the walks of a run the baseline. Walks that were blocked or lost their target keep theirs."""
    info = read_run_info(run_dir)
    if info.sites and (snapshots / REAL_ONLY_MARKER).exists():
        stand_ins = ", ".join(f"{k}={v}" for k, v in sorted(info.sites.items()))
        raise StoreError(
            f"{run_dir} walked stand-ins ({stand_ins}); {snapshots} holds captures of the real sites only. "
            "Accept into a scratch folder with --snapshots PATH."
        )
    source = read_tree(run_dir / OBSERVATIONS)
    if source.broken:
        first = next(iter(source.broken.values()))
        raise StoreError(f"the run is damaged, nothing accepted: {first}")
    if not source.observations:
        raise StoreError(f"{run_dir / OBSERVATIONS}: no observations to accept")
    _gate(
        [
            combo_dir(source.root, *combo) / name
            for combo, observations in _by_combo(source.observations.values())
            if all(o.reached for o in observations)
            for o in observations
            for name in _files_of(o)
        ],
        f"accepting {run_dir} into {snapshots}",
    )
    written = removed = 0
    accepted: list[str] = []
    kept: list[str] = []
    for combo, observations in _by_combo(source.observations.values()):
        label = "/".join(combo)
        if not all(o.reached for o in observations):
            kept.append(label)
            continue
        src = combo_dir(source.root, *combo)
        dst = combo_dir(snapshots, *combo)
        wanted: set[str] = set()
        for obs in observations:
            names = [f"{obs.step}.json"]
            if obs.images is not None:
                names += [n for n in (obs.images.page, obs.images.target) if n]
            for name in names:
                wanted.add(name)
                written += write_atomic(dst / name, (src / name).read_bytes())
        if dst.is_dir():
            for stale in sorted(dst.iterdir()):
                if stale.is_file() and stale.name not in wanted:
                    stale.unlink()
                    removed += 1
        accepted.append(label)
    return Accepted(written, removed, accepted, kept)


def _by_combo(observations: Iterable[Observation]) -> Iterator[tuple[tuple[str, str, str], list[Observation]]]:
    groups: dict[tuple[str, str, str], list[Observation]] = {}
    for obs in observations:
        groups.setdefault((obs.journey, obs.locale, obs.viewport), []).append(obs)
    for combo in sorted(groups):
        yield combo, sorted(groups[combo], key=lambda o: o.index)


def clear(path: Path) -> None:
    """Remove a folder the monitor owns (a run's output), refusing anything that looks like a repo."""
    if (path / ".git").exists() or (path / "monitor.yaml").exists():
        raise StoreError(f"refusing to clear {path}: it looks like a repository, not a run folder")
    shutil.rmtree(path, ignore_errors=True)


@dataclass(frozen=True)
class StepsAccepted:
    accepted: list[ObservationKey]
    dropped: list[ObservationKey]


def accept_steps(
    run_dir: Path, snapshots: Path, wanted: set[ObservationKey], dropped: set[ObservationKey]
) -> StepsAccepted:
    """Accept only the given steps of a run (what changed), and forget baseline steps the path lost.

    Unchanged steps keep their baseline bytes even when a screenshot differs by noise, so applying
    a run whose pages only carry new dates and counters writes nothing.
    """
    info = read_run_info(run_dir)
    if info.sites and (snapshots / REAL_ONLY_MARKER).exists():
        raise StoreError(f"{run_dir} walked stand-ins; {snapshots} holds captures of the real sites only")
    source = read_tree(run_dir / OBSERVATIONS)
    if source.broken:
        raise StoreError(f"the run is damaged, nothing accepted: {next(iter(source.broken.values()))}")
    missing = sorted(k.path for k in wanted if k not in source.observations)
    if missing:
        raise StoreError(f"the report names steps the run folder does not hold: {', '.join(missing[:3])}")
    _gate(
        [combo_dir(source.root, *k[:3]) / n for k in sorted(wanted) for n in _files_of(source.observations[k])],
        f"accepting steps of {run_dir} into {snapshots}",
    )
    accepted: list[ObservationKey] = []
    for key in sorted(wanted):
        obs = source.observations[key]
        src = combo_dir(source.root, *key[:3])
        dst = combo_dir(snapshots, *key[:3])
        names = [f"{obs.step}.json"]
        if obs.images is not None:
            names += [n for n in (obs.images.page, obs.images.target) if n]
        for stale in (f"{obs.step}.page.png", f"{obs.step}.target.png"):
            if stale not in names:
                (dst / stale).unlink(missing_ok=True)
        changed = [write_atomic(dst / name, (src / name).read_bytes()) for name in names]
        if any(changed):
            accepted.append(key)
    gone: list[ObservationKey] = []
    for key in sorted(dropped):
        folder = combo_dir(snapshots, *key[:3])
        files = [folder / f"{key[3]}{suffix}" for suffix in (".json", ".page.png", ".target.png")]
        if any(f.exists() for f in files):
            for f in files:
                f.unlink(missing_ok=True)
            gone.append(key)
    return StepsAccepted(accepted, gone)


def _files_of(obs: Observation) -> list[str]:
    names = [f"{obs.step}.json"]
    if obs.images is not None:
        names += [n for n in (obs.images.page, obs.images.target) if n]
    return names


def _gate(paths: list[Path], what: str) -> None:
    """The personal-data gate over the files about to be copied (gate.GateError refuses them all)."""
    from . import gate

    gate.check(gate.read_files(paths), what=what)
