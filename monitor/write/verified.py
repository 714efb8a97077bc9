"""When a page was last confirmed, on the real site or in a rehearsal, and the state each viewport is in.

The dates are in verified.json (the real site) and rehearsals.json (a stand-in); a report moves them.
The three states people read: checked on the real site, a rehearsal, or not yet checked (documented).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from monitor import store
from monitor.config import Config
from monitor.model import Category, Change, Report, Verdict
from monitor.write.page import ImageKey, SiteLocaleViewport, plan_pages

# "Last verified" moves when the page changed, or when the stored date is this old (and the walk
# succeeded); an unchanged run in between rewrites nothing. See Verified.after_run.
REFRESH_DAYS = 7
# The index calls a page overdue when no successful walk confirmed it for this long.
OVERDUE_DAYS = 14

# Verdicts after which a step's picture is redrawn from the new baseline.
STALE_VERDICTS = frozenset(
    {
        Verdict.COSMETIC,
        Verdict.REWORDED,
        Verdict.MOVED,
        Verdict.RETARGETED,
        Verdict.STEP_ADDED,
        Verdict.APPEARED,
        Verdict.STEP_REMOVED,
        Verdict.NEW,
    }
)


@dataclass(frozen=True)
class Verified:
    """Per (site, locale, viewport), the day a successful walk last confirmed the page (verified.json)."""

    dates: Mapping[SiteLocaleViewport, date] = field(default_factory=dict)

    def get(self, site: str, locale: str, viewport: str) -> date | None:
        return self.dates.get((site, locale, viewport))

    def after_run(
        self,
        walked_ok: Iterable[SiteLocaleViewport],
        changed: Iterable[SiteLocaleViewport],
        today: date,
        refresh_days: int = REFRESH_DAYS,
    ) -> Verified:
        """The dates after a run. A walk that reached its end moves its date to today when its page
        changed, when it had no date, or when the stored date is `refresh_days` old or older; otherwise
        the date stays (true: it was verified then, and since). A walk that failed keeps its date."""
        changed_set = set(changed)
        dates = dict(self.dates)
        for key in walked_ok:
            old = dates.get(key)
            if key in changed_set or old is None or (today - old).days >= refresh_days:
                dates[key] = today
        return Verified(dates)

    def without(self, keys: Iterable[SiteLocaleViewport]) -> Verified:
        """These dates minus the given walks (their captures were replaced by another kind of run)."""
        gone = set(keys)
        return Verified({k: v for k, v in self.dates.items() if k not in gone})

    def to_json(self) -> str:
        data = {"/".join(k): v.isoformat() for k, v in sorted(self.dates.items())}
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Verified:
        raw = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError("verified.json must hold an object of 'site/locale/viewport': 'YYYY-MM-DD'")
        dates: dict[SiteLocaleViewport, date] = {}
        for key, value in raw.items():
            parts = str(key).split("/")
            if len(parts) != 3 or not all(parts):
                raise ValueError(f"verified.json: key {key!r} is not site/locale/viewport")
            dates[(parts[0], parts[1], parts[2])] = date.fromisoformat(str(value))
        return cls(dates)

    @classmethod
    def load(cls, path: Path) -> Verified:
        try:
            return cls.from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()


@dataclass(frozen=True)
class RunEffects:
    """What a report means for the instructions: which walks succeeded, which pages changed, which images are stale."""

    walked_ok: frozenset[SiteLocaleViewport]
    changed: frozenset[SiteLocaleViewport]
    stale: frozenset[ImageKey]


def run_effects(config: Config, report: Report) -> RunEffects:
    """Read a report for the page journeys: a walk succeeded when none of its steps needs a human;
    its page changed when a step needs an update or is new; a step's picture is stale after any
    verdict in STALE_VERDICTS."""
    journeys = {p.journey for p in plan_pages(config)}
    combos: dict[SiteLocaleViewport, list[Change]] = {}
    for change in report.changes:
        if change.journey in journeys:
            combos.setdefault((change.site, change.locale, change.viewport), []).append(change)
    ok = {k for k, cs in combos.items() if not any(c.category is Category.HUMAN for c in cs)}
    changed = {k for k in ok if any(c.category is Category.UPDATE or c.verdict is Verdict.NEW for c in combos[k])}
    stale: set[ImageKey] = {(k[0], k[1], k[2], c.step) for k in ok for c in combos[k] if c.verdict in STALE_VERDICTS}
    return RunEffects(frozenset(ok), frozenset(changed), frozenset(stale))


# The three states of a viewport's steps, worded for people on the page.
CHECKED, REHEARSAL, DOCUMENTED = "checked", "rehearsal", "documented"


@dataclass(frozen=True)
class Provenance:
    """Where the captures of the baseline came from, per (site, locale, viewport): the real site
    (verified.json) or a rehearsal on a stand-in such as the replica (rehearsals.json). A walk that is
    in neither counts as checked only in a baseline folder that takes real sites only."""

    verified: Verified = field(default_factory=Verified)
    rehearsed: Verified = field(default_factory=Verified)

    def state(self, key: SiteLocaleViewport, tree: store.Tree | None) -> tuple[str, date | None]:
        real, rehearsal = self.verified.get(*key), self.rehearsed.get(*key)
        if rehearsal is not None and (real is None or rehearsal >= real):
            return REHEARSAL, rehearsal
        if real is not None:
            return CHECKED, real
        if tree is not None and (tree.root / store.REAL_ONLY_MARKER).exists():
            return CHECKED, None
        return REHEARSAL, None
