"""A check run: every journey × locale × viewport, walked by N workers, written to a run folder."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from playwright.sync_api import BrowserContext
from playwright.sync_api import Error as PlaywrightError

from monitor import imaging, store
from monitor.config import Config
from monitor.guard.redact import MASK_ENV, Identity, LearnedDigests
from monitor.judge import compare
from monitor.model import BlockReason, Category, Change, Observation, Report, RunInfo, Status, Verdict, Walk
from monitor.walk import ahead, quickread, speak
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
        todo = Todo(combos, self.routes)
        executable: list[str] = []
        # walks of each site not finished yet: its reads wait for one that answered the consent
        walks_left = Counter(self.config.journey(c.journey).site for c in combos if c not in self.routes)

        deadline_s = self.config.timeouts.walk_ms / 1000

        def shared_by(combo: Combo) -> tuple[object, ...] | None:
            """Reads (routes) of one site and login share a context, each page told its locale (speak.py): the
            consent is answered once, and a page is made for two reads at a time, not for each locale."""
            journey = self.config.journey(combo.journey)
            return (journey.site, journey.login, combo.viewport) if combo in self.routes else None

        def context_for(session: Session, combo: Combo, kept: Kept, fuse: Fuse) -> BrowserContext:
            key = shared_by(combo)
            if key is not None and key in kept:
                return kept[key][0]
            journey = self.config.journey(combo.journey)
            state = states.get(journey.site) if journey.login else None
            if key is None:
                context = new_context(session, self.config, combo.locale, combo.viewport, state, self.stand_ins, fuse)
            else:
                context = speak.new_context(session, self.config, combo.viewport, state, self.stand_ins, fuse)
                kept[key] = (context, fuse)
                answered = walker.answers.of(journey.site)  # a read starts where a person who answered is
                if answered:
                    context.add_cookies(answered)
            return context

        def ready(combo: Combo, besides: set[tuple[object, ...] | None]) -> bool:
            """A read may be asked for ahead once its site's consent is answered, or no walk will answer it;
            not while another page of its context is loading ahead."""
            if shared_by(combo) in besides:
                return False
            site = self.config.journey(combo.journey).site
            with lock:
                return bool(walker.answers.of(site)) or walks_left[site] == 0

        def shared(session: Session, combo: Combo, kept: Kept, making: Making, fuse: Fuse) -> BrowserContext:
            """A read's context: the one kept, or the one being made ahead (waited for), or a new one."""
            key = shared_by(combo)
            if key is not None and key not in kept and key in making:
                return making[key][0].result()
            return context_for(session, combo, kept, fuse)

        def ask(session: Session, kept: Kept, asked: Asked, making: Making) -> None:
            """Ask for the pages of the next reads (up to AHEAD): they load while this thread waits."""
            while len(asked) < AHEAD:
                loading = {shared_by(c) for c in asked}  # one page of a context loads ahead at a time
                combo = todo.take_read(partial(ready, besides=loading))
                if combo is None:
                    return
                key = shared_by(combo)
                assert key is not None
                if key not in kept and key not in making:  # the context's first read makes it, once
                    fuse = Fuse()  # the watchdog of each read in it stops its stand-in's requests

                    def make(combo: Combo = combo, fuse: Fuse = fuse) -> BrowserContext:
                        return context_for(session, combo, kept, fuse)

                    making[key] = (ahead.start(session.browser, make), fuse)

                def page(combo: Combo = combo) -> WalkState | None:
                    context = shared(session, combo, kept, making, Fuse())
                    return quickread.prefetch(walker, context, self.routes[combo].seen)

                asked[combo] = ahead.start(session.browser, page)

        def one(session: Session, combo: Combo, kept: Kept, started: Started | None, making: Making) -> None:
            route = self.routes.get(combo)
            journey = self.config.journey(combo.journey)
            key = shared_by(combo)
            fuse = kept[key][1] if key in kept else making[key][1] if key in making else Fuse()
            with Watchdog(deadline_s, session.pid, fuse) as dog:
                try:
                    if route is not None:
                        loading = None
                        if started is not None:
                            with contextlib.suppress(PlaywrightError, BrowserError):
                                loading = started.result()  # failed: the read loads the page and says why
                        context = shared(session, combo, kept, making, fuse)
                        read = quickread.read_tracked(walker, context, journey, route.seen, loading)
                        walk, images = read, route.images
                    else:
                        context = context_for(session, combo, kept, fuse)
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
                if route is None:
                    walks_left[journey.site] -= 1
                if progress is not None:
                    progress(combo, walk)

        def worker() -> None:
            # Playwright's sync API belongs to the thread that started it: one browser per worker,
            # launched again when the watchdog had to stop it.
            while True:
                with launched(self.browser, self.config.browser) as session, _contexts() as kept:
                    with lock:
                        executable.append(session.executable)
                    asked: Asked = {}  # reads whose page is loading, in the order asked
                    making: Making = {}  # the read contexts being made ahead
                    while True:  # every launch walks at least one combo: no relaunch loop
                        if self.enough.is_set():
                            return
                        # walks first (each answers its site's consent for the reads); then the reads asked for
                        combo = todo.take_walk() or next(iter(asked), None) or todo.take()
                        if combo is None:
                            return
                        started = asked.pop(combo, None)
                        if self.routes:  # the next reads' pages load while this one is walked or read
                            ask(session, kept, asked, making)
                        one(session, combo, kept, started, making)
                        if not session.browser.is_connected():
                            todo.give_back(list(asked))  # not read by this browser: the next launch takes them
                            asked.clear()
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
Asked = dict[Combo, "Started"]
Started = ahead.Started["WalkState | None"]
Making = dict[tuple[object, ...], tuple["ahead.Started[BrowserContext]", Fuse]]
# The most reads whose page is asked for at once, at most one per read context: each is a page loading
# while the thread walks or reads; more would only queue in the browser (2 cores) and hold memory
AHEAD = 8


class Todo:
    """The combos no worker took yet, in plan order: walks are taken first, and a read may be taken
    out of turn to ask for its page ahead (ahead.py)."""

    def __init__(self, combos: Iterable[Combo], reads: Mapping[Combo, Route]) -> None:
        self._left = deque(combos)
        self._reads = reads
        self._lock = threading.Lock()

    def take(self) -> Combo | None:
        with self._lock:
            return self._left.popleft() if self._left else None

    def take_walk(self) -> Combo | None:
        return self._take_first(lambda c: c not in self._reads)

    def take_read(self, ready: Callable[[Combo], bool]) -> Combo | None:
        return self._take_first(lambda c: c in self._reads and ready(c))

    def _take_first(self, wanted: Callable[[Combo], bool]) -> Combo | None:
        with self._lock:
            found = next((c for c in self._left if wanted(c)), None)
            if found is not None:
                self._left.remove(found)
            return found

    def give_back(self, combos: list[Combo]) -> None:
        with self._lock:
            self._left.extendleft(reversed(combos))


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
