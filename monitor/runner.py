"""A check run: every journey × locale × viewport, walked by N workers, written to a run folder."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import BrowserContext
from playwright.sync_api import Error as PlaywrightError

from monitor import imaging, store
from monitor.config import Config
from monitor.guard.redact import MASK_ENV, Identity, LearnedDigests
from monitor.judge import compare
from monitor.model import BlockReason, Category, Change, Observation, Report, RunInfo, Status, Verdict, Walk
from monitor.walk import quickread
from monitor.walk.browser import BrowserError, Session, StandIns, launched, load_storage_state, new_context
from monitor.walk.journey import Walker
from monitor.walk.pagereads import WalkState
from monitor.walk.watchdog import Fuse, Watchdog
from monitor.write import report


@dataclass(frozen=True, order=True)
class Combo:
    journey: str
    locale: str
    viewport: str

    def __str__(self) -> str:
        return f"{self.journey}/{self.locale}/{self.viewport}"


def plan(
    config: Config,
    journeys: Iterable[str] = (),
    locales: Iterable[str] = (),
    viewports: Iterable[str] = (),
    shard: tuple[int, int] = (1, 1),
) -> list[Combo]:
    """The combinations to walk, in a stable order; a shard takes every N-th of them."""
    wanted_j, wanted_l, wanted_v = set(journeys), set(locales), set(viewports)
    for kind, wanted, known in (
        ("journey", wanted_j, {j.id for j in config.journeys}),
        ("locale", wanted_l, set(config.locales)),
        ("viewport", wanted_v, set(config.viewports)),
    ):
        unknown = wanted - known
        if unknown:
            raise ValueError(f"unknown {kind} {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    combos = [
        Combo(j.id, loc, vp)
        for j in config.journeys
        if not wanted_j or j.id in wanted_j
        for loc in config.locales
        if not wanted_l or loc in wanted_l
        for vp in config.viewports
        if not wanted_v or vp in wanted_v
    ]
    index, count = shard
    return [c for i, c in enumerate(combos) if i % count == index - 1]


def parse_shard(value: str) -> tuple[int, int]:
    try:
        index_s, count_s = value.split("/")
        index, count = int(index_s), int(count_s)
    except ValueError:
        raise ValueError(f"--shard {value!r}: expected I/N, e.g. 1/4") from None
    if not 1 <= index <= count:
        raise ValueError(f"--shard {value!r}: I must be between 1 and N")
    return index, count


Progress = Callable[[Combo, Walk], None]


@dataclass(frozen=True)
class Route:
    """A combo read, not walked (the quick look's other locales, monitor/walk/quickread.py): straight to
    the page the baseline saw the tracked step on (`seen`), its words read; `images` are the baseline's
    pictures of it, which the observation names."""

    seen: Observation
    images: dict[str, bytes]

    def failed(self, walk: Walk) -> Walk:
        """A read the browser or the watchdog ended: blocked, as the tracked step."""
        first = walk.observations[0]
        obs = self.seen.model_copy(update={"status": Status.BLOCKED, "reason": first.reason, "error": first.error})
        return walk.model_copy(update={"observations": [obs]})


@dataclass
class Check:
    config: Config
    config_path: str
    stand_ins: StandIns = field(default_factory=StandIns)
    storage_states: dict[str, str] = field(default_factory=dict)  # site -> file, overrides the config
    workers: int = 1
    browser: str | None = None
    shard: str = "1/1"

    baseline: store.Tree | None = None  # last accepted observations: clues for finding targets again
    redaction: bool = True  # False only in tests that prove the gate catches what redaction removes
    # Set (by progress, e.g. the quick look once it knows the full run is needed): walks not yet
    # started are left out of the run; the report holds the ones walked.
    enough: threading.Event = field(default_factory=threading.Event)
    stopped: set[Combo] = field(default_factory=set, init=False)  # walks the watchdog had to end
    routes: Mapping[Combo, Route] = field(default_factory=dict)  # combos walked by a shorter way
    # False (the quick look): walks take no screenshot; each step keeps the baseline's pictures, whose
    # differences could only ever make a change `cosmetic`, which the quick look does not act on
    pictures: bool = True

    def check(self, combos: list[Combo], out: Path, progress: Progress | None = None) -> Report:
        """Walk, compare with the baseline, confirm changes on fresh page loads, write the report."""
        baseline = self.baseline if self.baseline is not None else store.Tree(out / "no-baseline")
        walks = self.run(combos, out, progress)
        info = store.read_run_info(out)
        thresholds = self.config.thresholds
        result = compare.compare_run(baseline, walks, thresholds, info)
        for _ in range(thresholds.confirm):
            doubtful = sorted(
                {
                    Combo(c.journey, c.locale, c.viewport)
                    for c in result.changes
                    if c.category is not Category.NOTHING and c.verdict is not Verdict.NEW
                }
                - self.stopped  # a walk that ran into the hard deadline would only run into it again
            )
            if not doubtful:
                break
            again = compare.compare_run(baseline, self._rewalk(doubtful, out), thresholds, info)
            result = _confirmed(result, again, {str(c) for c in doubtful})
        report.write(result, out, baseline, out / store.OBSERVATIONS, report.artifact_link(os.environ))
        return result

    def _rewalk(self, combos: list[Combo], out: Path) -> list[Walk]:
        """Walk combos again on fresh pages into a side folder; a change must be seen twice to count."""
        side = out / ".confirm"
        self.enough.clear()  # the walks to confirm are all walked, whatever stopped the first pass
        walks = self.run(combos, side, None, write_run=False)
        for combo in combos:
            src = store.combo_dir(side / store.OBSERVATIONS, combo.journey, combo.locale, combo.viewport)
            dst = store.combo_dir(out / store.OBSERVATIONS, combo.journey, combo.locale, combo.viewport)
            shutil.rmtree(dst, ignore_errors=True)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), str(dst))
        shutil.rmtree(side, ignore_errors=True)
        return walks

    def run(
        self, combos: list[Combo], out: Path, progress: Progress | None = None, write_run: bool = True
    ) -> list[Walk]:
        """Walk combos, write out/observations and out/run.json; the walks in plan order."""
        started = datetime.now(UTC)
        t0 = time.perf_counter()
        hosts = self.stand_ins.host_map(self.config) if self.stand_ins else {}
        known = self.baseline.observations if self.baseline is not None else {}
        variables = [m.text_env for m in self.config.masks if m.text_env] or [MASK_ENV]
        identity = Identity.from_env(variables=variables)
        walker = Walker(self.config, hosts, known, identity, self.redaction, pictures=self.pictures)
        states = {
            site: load_storage_state(site, self.config, self.storage_states)[0]
            for site in {self.config.journey(c.journey).site for c in combos}
        }
        results: dict[Combo, Walk] = {}
        saved: list[Future[None]] = []
        lock = threading.Lock()
        todo: queue.SimpleQueue[Combo] = queue.SimpleQueue()
        for combo in combos:
            todo.put(combo)
        executable: list[str] = []

        deadline_s = self.config.timeouts.walk_ms / 1000

        def shared_by(combo: Combo) -> tuple[object, ...] | None:
            """Reads (routes) of one site, login and locale share a context: the consent is answered once."""
            journey = self.config.journey(combo.journey)
            return (journey.site, journey.login, combo.locale, combo.viewport) if combo in self.routes else None

        def context_for(session: Session, combo: Combo, kept: Kept, fuse: Fuse) -> BrowserContext:
            key = shared_by(combo)
            if key is not None and key in kept:
                return kept[key][0]
            journey = self.config.journey(combo.journey)
            state = states.get(journey.site) if journey.login else None
            context = new_context(session, self.config, combo.locale, combo.viewport, state, self.stand_ins, fuse)
            if key is not None:
                kept[key] = (context, fuse)
                answered = walker.answers.of(journey.site)  # a read starts where a person who answered is
                if answered:
                    context.add_cookies(answered)
            return context

        def one(
            session: Session, combo: Combo, kept: Kept, ahead: dict[Combo, WalkState], upcoming: Combo | None
        ) -> None:
            route = self.routes.get(combo)
            journey = self.config.journey(combo.journey)
            key = shared_by(combo)
            fuse = kept[key][1] if key is not None and key in kept else Fuse()
            with Watchdog(deadline_s, session.pid, fuse) as dog:
                try:
                    context = context_for(session, combo, kept, fuse)
                    if route is not None:
                        coming = self.routes.get(upcoming) if upcoming is not None else None
                        if upcoming is not None and coming is not None and upcoming not in ahead:
                            # the next read's page loads (and goes still) while this one is read
                            later = context_for(session, upcoming, kept, Fuse())
                            prefetched = quickread.prefetch(walker, later, coming.seen)
                            if prefetched is not None:
                                ahead[upcoming] = prefetched
                        read = quickread.read_tracked(walker, context, journey, route.seen, ahead.pop(combo, None))
                        walk, images = read, route.images
                    else:
                        try:
                            walk, images = walker.walk(context, journey, combo.locale, combo.viewport)
                        finally:
                            context.close()
                        if not self.pictures and self.baseline is not None:
                            walk, images = baseline_looks(walk, self.baseline)
                except (PlaywrightError, BrowserError, OSError) as exc:  # a browser that died loses one walk, not all
                    walk, images = _failed_walk(self.config, combo, exc), {}
            if dog.fired:  # whatever the walk saw last, it did not finish: the deadline is the finding
                walk, images = _failed_walk(self.config, combo, None, deadline_s), {}
                with lock:
                    self.stopped.add(combo)
            if route is not None and [o.step for o in walk.observations] != [route.seen.step]:
                walk = route.failed(walk)
            # hashing is done; the files are written by the writer thread while the next walk loads its page
            saved.append(writer.submit(store.save_walk, out / store.OBSERVATIONS, walk, images))
            with lock:
                results[combo] = walk
                if progress is not None:
                    progress(combo, walk)

        def worker() -> None:
            # Playwright's sync API belongs to the thread that started it: one browser per worker,
            # launched again when the watchdog had to stop it.
            pending: list[Combo] = []  # taken from todo, not walked yet
            while True:
                with launched(self.browser, self.config.browser) as session, _contexts() as kept:
                    with lock:
                        executable.append(session.executable)
                    ahead: dict[Combo, WalkState] = {}  # reads whose page was asked for already
                    while True:  # every launch walks at least one combo: no relaunch loop
                        try:
                            combo = pending.pop() if pending else todo.get_nowait()
                        except queue.Empty:
                            return
                        if self.enough.is_set():
                            return
                        if combo in self.routes:  # a read takes the next combo now, to ask for its page early
                            with contextlib.suppress(queue.Empty):
                                pending.append(todo.get_nowait())
                        one(session, combo, kept, ahead, pending[0] if pending else None)
                        if not session.browser.is_connected():
                            for combo in pending:  # not read by this browser: the next launch takes it
                                todo.put(combo)
                            pending.clear()
                            break

        out.mkdir(parents=True, exist_ok=True)
        workers = max(1, min(self.workers, len(combos) or 1))
        errors: list[BaseException] = []

        def guarded() -> None:
            try:
                worker()
            except BaseException as exc:  # e.g. no browser: reported after the threads end
                errors.append(exc)

        threads = [threading.Thread(target=guarded, name=f"walk-{i}") for i in range(workers)]
        threading.Thread(target=imaging.warm, name="warm", daemon=True).start()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="write") as writer:
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        for done in saved:  # every walk's files are on disk (atomically, guard/files.py) before run() returns
            done.result()
        if errors and len(results) < len(combos):
            raise errors[0]
        walks = [results[c] for c in combos if c in results]
        info = RunInfo(
            started=started.isoformat(timespec="seconds"),
            finished=datetime.now(UTC).isoformat(timespec="seconds"),
            seconds=round(time.perf_counter() - t0, 2),
            config=self.config_path,
            sites=dict(self.stand_ins.sites),
            browser=executable[0] if executable else "",
            workers=workers,
            shard=self.shard,
            logged_in=[str(c) for c in combos if self.config.journey(c.journey).login],
            unmasked=[] if identity else variables,
            learned=sorted(LearnedDigests.of(walker.learned.identity(Identity())).entries),
        )
        if write_run:
            store.save_run(out, info, walks)
        return walks


PICTURES_NOTE = "quick look: no screenshot was taken; the pictures (and the region's ARIA snapshot) are the baseline's"


def baseline_looks(walk: Walk, baseline: store.Tree) -> tuple[Walk, dict[str, bytes]]:
    """A walk that took no screenshot and no region ARIA snapshot, with each step's pictures (names,
    hashes and bytes) and its target's region snapshot from the baseline: the same compare then finds
    the looks unchanged, and the report shows the last accepted."""
    images: dict[str, bytes] = {}
    kept: list[Observation] = []
    for obs in walk.observations:
        before = baseline.observations.get(obs.key)
        found = store.pictures_of(baseline, before) if before is not None and obs.images is None else None
        if before is None or before.images is None or found is None:
            kept.append(obs)
            continue
        images.update(found)
        update: dict[str, object] = {"images": before.images, "capped": [*obs.capped, PICTURES_NOTE]}
        if obs.target is not None and before.target is not None:
            update["target"] = obs.target.model_copy(update={"aria": before.target.aria})
        kept.append(obs.model_copy(update=update))
    return walk.model_copy(update={"observations": kept}), images


Kept = dict[tuple[object, ...], tuple[BrowserContext, Fuse]]


@contextlib.contextmanager
def _contexts() -> Iterator[Kept]:
    """The contexts a worker's reads share, closed when its browser goes."""
    kept: dict[tuple[object, ...], tuple[BrowserContext, Fuse]] = {}
    try:
        yield kept
    finally:
        for context, _ in kept.values():
            with contextlib.suppress(PlaywrightError):
                context.close()


def _confirmed(first: Report, again: Report, rewalked: set[str]) -> Report:
    """The re-walk's view of the re-walked combos, with a count of loads that agreed with the first.

    A change that the fresh load does not show again was a half-rendered page or noise: the
    re-walk (whose observations replaced the first's on disk) is what the report keeps.
    """
    before = {c.key: c for c in first.changes}
    changes: list[Change] = [c for c in first.changes if c.combo not in rewalked]
    for change in again.changes:
        if change.combo not in rewalked:
            continue
        old = before.get(change.key)
        if old is not None and old.verdict is change.verdict and change.category is not Category.NOTHING:
            seen = old.evidence.confirmations + 1
            change = change.model_copy(update={"evidence": change.evidence.model_copy(update={"confirmations": seen})})
        elif old is not None and old.category is not Category.NOTHING:
            note = f"first load said {old.verdict.value}; a fresh load did not confirm it"
            notes = [*change.evidence.notes, note]
            change = change.model_copy(update={"evidence": change.evidence.model_copy(update={"notes": notes})})
        changes.append(change)
    return Report.build(first.run, changes, first.problems)


def _failed_walk(config: Config, combo: Combo, exc: Exception | None, deadline_s: float = 0) -> Walk:
    """A walk that produced nothing to compare: the browser failed (exc), or the watchdog stopped it."""
    journey = config.journey(combo.journey)
    steps = journey.steps_for(combo.viewport)
    if exc is None:
        reason = BlockReason.TIMEOUT
        message = (
            f"the walk did not finish within its hard deadline of {deadline_s:.0f} s (timeouts.walk_ms); "
            "the watchdog stopped the browser, and the walk is not repeated to confirm it"
        )
    else:
        reason = BlockReason.BROWSER
        message = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    obs = [
        Observation(
            journey=journey.id,
            site=journey.site,
            locale=combo.locale,
            viewport=combo.viewport,
            step=s.id,
            index=i,
            action=s.action,
            tracked=s.tracked,
            status=Status.BLOCKED if i == 0 else Status.SKIPPED,
            reason=reason if i == 0 else None,
            error=message if i == 0 else "not walked: the browser failed",
        )
        for i, s in enumerate(steps)
    ]
    return Walk(journey=journey.id, site=journey.site, locale=combo.locale, viewport=combo.viewport, observations=obs)
