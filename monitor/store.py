"""Observation trees on disk (a run folder, or the accepted baseline), written atomically.

Layout, the same for a run's `observations/` and for `snapshots/`:
    <journey>/<locale>/<viewport>/<step>.json          the Observation
    <journey>/<locale>/<viewport>/<step>.page.png      the first screen, personal data masked (may be shared)
    <journey>/<locale>/<viewport>/<step>.target.png    a viewport-sized clip around the target
A file is rewritten only when its bytes change, and a walk whose every step compares `unchanged`
keeps the baseline's bytes though its screenshots differ by a few pixels: accepting an unchanged
run touches nothing (docs/decisions/0014).

A baseline is trusted only after it is verified: each observation's schema version is one this
code knows, and each image it names exists, has the sha256 recorded at capture and decodes.
Anything else lands in Tree.broken (a `problem` in the report), never in the comparison.

Accepting writes each walk whole into a staging folder inside the baseline
(`.optout-staging-<pid>/`), verifies it, then swaps it in with one rename per walk (an atomic
exchange of the two folders on Linux), under the baseline's lock (locks.py). A writer killed at
any moment leaves every walk entirely old or entirely new; the next writer removes the dead
writer's staging folder (docs/decisions/0010-never-lose-a-file.md).
"""

from __future__ import annotations

import ctypes
import errno
import io
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, UnidentifiedImageError
from pydantic import ValidationError

from monitor import imaging
from monitor.guard import locks
from monitor.guard.files import naming, write_atomic
from monitor.guard.redact import LearnedDigests
from monitor.judge.doubt import doubts
from monitor.model import OBSERVATION_SCHEMA, Observation, ObservationKey, RunInfo, Status, Verdict, Walk

if TYPE_CHECKING:
    from monitor.config import Thresholds

RUN_FILE = "run.json"
OBSERVATIONS = "observations"
# A baseline folder holding this file takes captures of the real sites only.
REAL_ONLY_MARKER = ".real-sites-only"
STAGING_PREFIX = ".optout-staging-"


class StoreError(Exception):
    """A snapshot folder or run folder that cannot be read or written as asked; code is the exit code."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


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
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"{path}: missing") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        raw = json.loads(data)
    except ValueError as exc:
        raise StoreError(f"{path}: unreadable observation (not JSON: {str(exc)[:80]})") from None
    version = raw.get("schema_version", OBSERVATION_SCHEMA) if isinstance(raw, dict) else None
    if version != OBSERVATION_SCHEMA:
        raise StoreError(
            f"{path}: schema_version {str(version)[:20]} is not one this optout-monitor knows "
            f"({OBSERVATION_SCHEMA}); it was written by another version"
        )
    try:
        return Observation.model_validate(raw)
    except ValidationError as exc:
        first = str(exc).splitlines()[0]
        raise StoreError(f"{path}: unreadable observation ({first[:120]})") from None


def image_trouble(folder: Path, obs: Observation) -> tuple[Path, str] | None:
    """The first image of an observation that cannot be trusted (missing, changed since capture, not a
    PNG) and why; None when all are fine."""
    if obs.images is None:
        return None
    named = [
        ("page", obs.images.page, obs.images.page_sha256),
        ("target", obs.images.target, obs.images.target_sha256),
    ]
    for which, name, recorded in named:
        if not name:
            continue
        path = folder / name
        names_it = f"{obs.step}.json names it as its {which} image"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return path, f"missing; {names_it}"
        except OSError as exc:
            return path, f"cannot be read ({exc.strerror}); {names_it}"
        try:
            with Image.open(io.BytesIO(data)) as img:
                img.verify()
        except UnidentifiedImageError:
            return path, f"not an image ({len(data)} bytes); {names_it}"
        except (OSError, SyntaxError, ValueError) as exc:
            detail = str(exc)[:60] or type(exc).__name__
            return path, f"does not decode ({len(data)} bytes; {detail}); {names_it}"
        if recorded is not None and imaging.sha256(data) != recorded:
            return path, f"changed after capture: its sha256 differs from the one {obs.step}.json recorded"
    return None


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

    def missing_images(self, obs: Observation) -> list[tuple[str, Path]]:
        """The images obs names that are no longer on disk (removed after the tree was read): which, path."""
        found = ((which, self.image(obs, which)) for which in ("page", "target"))
        return [(which, path) for which, path in found if path is not None and not path.is_file()]


def read_tree(root: Path) -> Tree:
    """Every verified observation under root; the ones that fail verification go to broken."""
    tree = Tree(root)
    if not root.is_dir():
        return tree
    journeys = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))  # not staging
    for path in [path for journey in journeys for path in sorted(journey.glob("*/*/*.json"))]:
        try:
            obs = load_observation(path)
        except StoreError as exc:
            tree.broken[path] = str(exc)
            continue
        trouble = image_trouble(path.parent, obs)
        if trouble is not None:
            image, why = trouble
            tree.broken[image] = f"{image}: {why}"
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
    doubtful: list[str] = field(default_factory=list)  # "combo: why" for walks kept as doubtful (doubt.py)
    absent: list[str] = field(default_factory=list)  # "combo: step" accepted with the step's target absent


def _source(run_dir: Path, snapshots: Path) -> Tree:
    """The run's verified observations; StoreError for stand-ins into a real-sites baseline or a damaged run."""
    info = read_run_info(run_dir)
    if info.sites and (snapshots / REAL_ONLY_MARKER).exists():
        stand_ins = ", ".join(f"{k}={v}" for k, v in sorted(info.sites.items()))
        raise StoreError(
            f"{run_dir} walked stand-ins ({stand_ins}); {snapshots} holds captures of the real sites only. "
            "Accept into a scratch folder with --snapshots PATH."
        )
    source = read_tree(run_dir / OBSERVATIONS)
    if source.broken:
        raise StoreError(f"the run is damaged, nothing accepted: {next(iter(source.broken.values()))}")
    return source


def _files(obs: Observation) -> list[str]:
    return [f"{obs.step}.json", *_pictures(obs)]


def _pictures(obs: Observation) -> list[str]:
    return [n for n in (obs.images.page, obs.images.target) if n] if obs.images is not None else []


def pictures_of(tree: Tree, obs: Observation) -> dict[str, bytes] | None:
    """The picture files an accepted observation names, read from the tree; None when one is missing."""
    folder = combo_dir(tree.root, obs.journey, obs.locale, obs.viewport)
    try:
        return {name: (folder / name).read_bytes() for name in _pictures(obs)}
    except OSError:
        return None


def _steady(baseline: Tree, observations: list[Observation], limits: Thresholds) -> bool:
    """Every step of the walk compares `unchanged` with its baseline: the baseline's bytes stay.

    Screenshots of an unchanged page are not always byte-identical (a loaded machine rasterises an
    edge of an icon differently now and then; docs/decisions/0014), and an unchanged run must not
    churn the baseline's git history with pictures nobody can tell apart."""
    from monitor.judge.compare import compare_step  # compare reads Trees from here: imported when used

    first = observations[0]
    old = baseline.walk_of(first.journey, first.locale, first.viewport)
    if [o.step for o in old] != [o.step for o in observations]:
        return False
    return all(compare_step(b, c, limits).verdict is Verdict.UNCHANGED for b, c in zip(old, observations, strict=True))


def _thresholds_of(run_dir: Path) -> Thresholds:
    """The thresholds of the journey file the run was made with (run.json names it), else the defaults."""
    from monitor.config import ConfigError, Thresholds, load

    try:
        return load(Path(read_run_info(run_dir).config)).thresholds
    except (ConfigError, StoreError, OSError):
        return Thresholds()


def accept(
    run_dir: Path, snapshots: Path, accept_doubtful: bool = False, thresholds: Thresholds | None = None
) -> Accepted:
    """Make the walks of a run the baseline, each walk whole or not at all. Walks that were blocked keep
    theirs, and so do walks with a doubtful observation (doubt.py) unless accept_doubtful. A walk whose
    target was absent is a state like any other: accepted (listed in `absent`), so that the target's
    return is `appeared`. A walk whose every step is `unchanged` against the baseline (within
    `thresholds`, by default those of the run's journey file) keeps the baseline's bytes."""
    source = _source(run_dir, snapshots)
    if not source.observations:
        raise StoreError(f"{run_dir / OBSERVATIONS}: no observations to accept")
    limits = thresholds if thresholds is not None else _thresholds_of(run_dir)
    walks = [
        (combo, observations)
        for combo, observations in _by_combo(source.observations.values())
        if all(o.reached or o.status is Status.MISSING for o in observations)
    ]

    def files_of(combos: list[tuple[tuple[str, str, str], list[Observation]]]) -> list[Path]:
        return [
            combo_dir(source.root, *combo) / name
            for combo, observations in combos
            for o in observations
            for name in _files(o)
        ]

    _refuse_unmasked(run_dir, [combo for combo, _ in walks])
    try:  # without the lock (the gate is slow): other writers may be swapping walks meanwhile
        before = read_tree(snapshots)
    except OSError:  # a folder went away while it was read: every walk goes through the gate
        before = Tree(snapshots)
    gated = {combo for combo, observations in walks if not _steady(before, observations, limits)}
    _gate(files_of([w for w in walks if w[0] in gated]), f"accepting {run_dir} into {snapshots}", run_dir)
    with locks.hold(snapshots, locks.command_line(), "baseline"), Staging(snapshots) as staging:
        baseline = read_tree(snapshots)  # again, under the lock: what the steady walks keep
        steady = {combo for combo, observations in walks if _steady(baseline, observations, limits)}
        ungated = [w for w in walks if w[0] not in steady and w[0] not in gated]
        if ungated:  # the baseline changed since the gate ran: these walks are written after all
            _gate(files_of(ungated), f"accepting {run_dir} into {snapshots}", run_dir)
        written = removed = 0
        accepted: list[str] = []
        kept: list[str] = []
        doubtful: list[str] = []
        absent: list[str] = []
        for combo, observations in _by_combo(source.observations.values()):
            label = "/".join(combo)
            if not all(o.reached or o.status is Status.MISSING for o in observations):
                kept.append(label)
                continue
            why = [d for o in observations for d in doubts(o)]
            if why and not accept_doubtful:
                kept.append(label)
                doubtful.extend(f"{label}: {d}" for d in why)
                continue
            absent.extend(f"{label}: {o.step}" for o in observations if not o.reached)
            if combo in steady:
                accepted.append(label)
                continue
            src = combo_dir(source.root, *combo)
            files = {name: (src / name).read_bytes() for obs in observations for name in _files(obs)}
            changed, stale = staging.stage(combo, files)
            written += changed
            removed += stale
            accepted.append(label)
        staging.commit()
    return Accepted(written, removed, accepted, kept, doubtful, absent)


def _by_combo(observations: Iterable[Observation]) -> Iterator[tuple[tuple[str, str, str], list[Observation]]]:
    groups: dict[tuple[str, str, str], list[Observation]] = {}
    for obs in observations:
        groups.setdefault((obs.journey, obs.locale, obs.viewport), []).append(obs)
    for combo in sorted(groups):
        yield combo, sorted(groups[combo], key=lambda o: o.index)


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
    source = _source(run_dir, snapshots)
    missing = sorted(k.path for k in wanted if k not in source.observations)
    if missing:
        raise StoreError(f"the report names steps the run folder does not hold: {', '.join(missing[:3])}")
    _gate(
        [combo_dir(source.root, *k[:3]) / n for k in sorted(wanted) for n in _files(source.observations[k])],
        f"accepting steps of {run_dir} into {snapshots}",
        run_dir,
    )
    accepted: list[ObservationKey] = []
    gone: list[ObservationKey] = []
    combos = sorted({(k[0], k[1], k[2]) for k in wanted | dropped})
    with locks.hold(snapshots, locks.command_line(), "baseline"), Staging(snapshots) as staging:
        for combo in combos:
            dst = combo_dir(snapshots, *combo)
            files = {p.name: p.read_bytes() for p in sorted(dst.iterdir()) if p.is_file()} if dst.is_dir() else {}
            for key in sorted(k for k in dropped if k[:3] == combo):
                names = [f"{key[3]}{suffix}" for suffix in (".json", ".page.png", ".target.png")]
                if any(n in files for n in names):
                    gone.append(key)
                for name in names:
                    files.pop(name, None)
            for key in sorted(k for k in wanted if k[:3] == combo):
                obs = source.observations[key]
                src = combo_dir(source.root, *combo)
                new = {name: (src / name).read_bytes() for name in _files(obs)}
                old = {
                    n: files.pop(n)
                    for n in (f"{key[3]}.json", f"{key[3]}.page.png", f"{key[3]}.target.png")
                    if n in files
                }
                if old != new:
                    accepted.append(key)
                files.update(new)
            staging.stage(combo, files)
        staging.commit()
    return StepsAccepted(accepted, gone)


def _refuse_unmasked(run_dir: Path, combos: list[tuple[str, str, str]]) -> None:
    """A logged-in walk run without the account's name set was painted and gated blind: the gate
    reads pictures for the names it is given, and it was given none. Refused, with the fix."""
    from monitor.guard.gate import GateError

    try:
        info = read_run_info(run_dir)
    except StoreError:
        return  # a run folder without run.json: its walks are named by _source's own errors
    blind = [c for c in ("/".join(combo) for combo in combos) if c in info.logged_in] if info.unmasked else []
    if blind:
        names = ", ".join(f"${v}" for v in info.unmasked)
        raise GateError(
            f"refused accepting {run_dir}: {len(blind)} logged-in walk(s) ({blind[0]}"
            f"{', …' if len(blind) > 1 else ''}) ran with {names} unset, so nothing painted over or checked the "
            f"account's own name and user name in their pictures. Set {names} to the test account's "
            "'Full Name|user.name' (in GitHub Actions: the repository secret of that name, docs/forking.md), "
            "run check again, then accept."
        )


def _gate(paths: list[Path], what: str, run_dir: Path) -> None:
    """The personal-data gate over the files about to be copied (gate.GateError refuses them all),
    looking for the account's names from the environment and those the run's walks read off the pages."""
    from monitor.guard import gate

    gate.check(gate.read_files(paths), what=what, learned=learned_names(run_dir))


def learned_names(run_dir: Path | None) -> LearnedDigests:
    """What the walks of a run read of the account off the pages (run.json `learned`, as digests);
    nothing for a folder without run.json."""
    if run_dir is None:
        return LearnedDigests()
    try:
        return LearnedDigests(frozenset(read_run_info(run_dir).learned))
    except StoreError:
        return LearnedDigests()


# --------------------------------------------------------------------------- whole-walk swaps


class Staging:
    """New walks written beside the baseline, verified, then swapped in one rename per walk.

    Layout: <snapshots>/.optout-staging-<pid>/{new,old}/<journey>/<locale>/<viewport>/ and a READY
    file once every walk is staged and verified. Leaving the block removes the staging folder;
    a kill leaves it for `recover`, which rolls a half-done swap forward (READY) or back.
    """

    def __init__(self, snapshots: Path) -> None:
        self.snapshots = snapshots
        self.root = snapshots / f"{STAGING_PREFIX}{os.getpid()}"
        self.walks: list[tuple[str, str, str]] = []

    def __enter__(self) -> Staging:
        recover(self.snapshots)
        self.root.mkdir(parents=True)
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def stage(self, combo: tuple[str, str, str], files: dict[str, bytes]) -> tuple[int, int]:
        """Stage a walk's files; (files whose bytes differ from the baseline, baseline files dropped).
        A walk identical to its baseline is not staged: accepting it touches nothing."""
        dst = combo_dir(self.snapshots, *combo)
        old = {p.name: p for p in dst.iterdir() if p.is_file()} if dst.is_dir() else {}
        changed = sum(1 for name, data in files.items() if name not in old or old[name].read_bytes() != data)
        stale = sum(1 for name in old if name not in files)
        if changed == 0 and stale == 0:
            return 0, 0
        folder = combo_dir(self.root / "new", *combo)
        folder.mkdir(parents=True)
        for name, data in files.items():
            with naming(folder / name), open(folder / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(folder / name, 0o644)
        self.walks.append(combo)
        return changed, stale

    def commit(self) -> None:
        """Verify every staged walk, then swap each into the baseline."""
        staged = read_tree(self.root / "new")
        if staged.broken:
            first = next(iter(staged.broken.values()))
            raise StoreError(f"nothing accepted: a staged file did not verify: {first}", 3)
        (self.root / "READY").touch()
        for combo in self.walks:
            new = combo_dir(self.root / "new", *combo)
            dst = combo_dir(self.snapshots, *combo)
            if not any(new.iterdir()):
                if dst.exists():  # every step dropped: the walk leaves the baseline whole
                    aside = combo_dir(self.root / "old", *combo)
                    aside.parent.mkdir(parents=True, exist_ok=True)
                    os.rename(dst, aside)
                continue
            swap(new, dst, combo_dir(self.root / "old", *combo))


def swap(new: Path, dst: Path, aside: Path) -> None:
    """Put folder new at dst in one step; dst's old contents end up at new (exchange) or at aside."""
    if not dst.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.rename(new, dst)
        return
    if _exchange(new, dst):
        return
    aside.parent.mkdir(parents=True, exist_ok=True)  # no atomic exchange here: two renames, see recover()
    os.rename(dst, aside)
    try:
        os.rename(new, dst)
    except OSError:
        os.rename(aside, dst)  # put the old walk back before the staging folder is removed
        raise


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two folders atomically; False where it is not available."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def recover(snapshots: Path) -> list[Path]:
    """Finish or undo what a dead writer left (its staging folders), and remove them; call under the lock.

    Only folders named .optout-staging-<pid> of another process are touched. A walk that a
    two-rename swap left missing is put back: the new one if the writer had verified everything
    (READY), else the old one.
    """
    removed: list[Path] = []
    if not snapshots.is_dir():
        return removed
    for leftover in sorted(snapshots.glob(f"{STAGING_PREFIX}*")):
        if not leftover.is_dir() or leftover.name == f"{STAGING_PREFIX}{os.getpid()}":
            continue
        ready = (leftover / "READY").exists()
        for old in sorted((leftover / "old").glob("*/*/*")):
            dst = snapshots / old.relative_to(leftover / "old")
            new = leftover / "new" / old.relative_to(leftover / "old")
            if not dst.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.rename(new if ready and new.is_dir() else old, dst)
        shutil.rmtree(leftover)
        removed.append(leftover)
    return removed
