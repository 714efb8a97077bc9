"""The state of each objection path (platform × language) as data, for `status.json` and the badges.

Other guides (newspapers, consumer groups, regulators) link to Meta's objection form and go stale
silently; this is what they can read or embed instead (docs/status-schema.md). One source of truth
with the pages: a viewport is "checked" only when the pages say so (write/verified.py's Provenance: a walk
of the real site, dated in verified.json); a rehearsal on a stand-in such as the replica is never
"checked". A `check` report of the real sites that is newer than that date can say more: a step
changed and the guide's update is pending, or the walk needs a person ("broken"). A report of a
stand-in run says nothing about Meta's pages and is ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from monitor.config import Config
from monitor.guard.inert import md_url
from monitor.model import Category, Report, Verdict
from monitor.store import Tree
from monitor.write import catalogs, labels
from monitor.write.page import DOCUMENTED_FORMS, page_journey, site_domains
from monitor.write.steps import viewport_steps
from monitor.write.verified import CHECKED as PAGE_CHECKED
from monitor.write.verified import REHEARSAL, Provenance, Verified

STATUS_VERSION = 1
CHECKED, CHANGED, BROKEN, NOT_CHECKED = "checked", "changed", "broken", "not-checked"
STATES = (CHECKED, CHANGED, BROKEN, NOT_CHECKED)
# where the quoted words and the form's address come from
FROM_REAL_SITE, FROM_REHEARSAL, FROM_GUIDES = "real-site", "rehearsal", "documented"
_SHOWN_KINDS = ("consent", "click", "submit", "form", "observe", "after")

Key = tuple[str, str, str]  # site, locale, viewport


@dataclass(frozen=True)
class Dates:
    """verified.json (walks of the real sites) and rehearsals.json (walks of a stand-in), as read."""

    checked: Mapping[Key, date] = field(default_factory=dict)
    rehearsed: Mapping[Key, date] = field(default_factory=dict)


@dataclass(frozen=True)
class Word:
    """Words a reader looks for on screen at one step."""

    step: str
    role: str
    words: str


@dataclass(frozen=True)
class ViewportStatus:
    viewport: str
    state: str
    checked: date | None  # the last walk of the real site that confirmed the steps
    rehearsed: date | None  # the last walk of a stand-in: says nothing about Meta's pages
    words_from: str  # FROM_REAL_SITE, FROM_REHEARSAL or FROM_GUIDES
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class PathStatus:
    """One platform in one language: what `status.json` says and a badge shows."""

    platform: str
    locale: str
    state: str
    checked: date | None  # every viewport confirmed on the real site on or after this day
    viewports: tuple[ViewportStatus, ...]
    labels: str | None  # the page's label state (labels.py), None without a journey file
    form_url: str | None
    form_url_from: str | None
    page: str  # relative to the site's root
    badge: str
    embed: str

    @property
    def language(self) -> str:
        return catalogs.language_name(self.locale)


def overall(states: Sequence[str]) -> str:
    """A path's state from its viewports': broken wins, then changed; checked only if all are."""
    if BROKEN in states:
        return BROKEN
    if CHANGED in states:
        return CHANGED
    if states and all(s == CHECKED for s in states):
        return CHECKED
    return NOT_CHECKED


def report_states(report: Report | None, journey: str | None = None) -> tuple[dict[Key, str], date | None]:
    """What a report of the real sites says per walk (of `journey`, the page's, when given): BROKEN (a
    step needs a person) or CHANGED (an update, or a first capture, is pending); with the day it ran.
    A stand-in's report says nothing."""
    if report is None or report.run.sites:
        return {}, None
    out: dict[Key, str] = {}
    for change in report.changes:
        if journey is not None and change.journey != journey:
            continue
        key = (change.site, change.locale, change.viewport)
        if change.category is Category.HUMAN:
            out[key] = BROKEN
        elif (change.category is Category.UPDATE or change.verdict is Verdict.NEW) and out.get(key) != BROKEN:
            out[key] = CHANGED
    try:
        day = date.fromisoformat(report.run.finished[:10])
    except ValueError:
        day = None
    return out, day


def viewport_state(
    key: Key, checked: date | None, rehearsed: date | None, reported: Mapping[Key, str], report_day: date | None
) -> str:
    """A report newer than the last check decides; else checked when the real site was the last walked."""
    pending = reported.get(key)
    if pending is not None and report_day is not None and (checked is None or checked < report_day):
        return pending
    if checked is not None and (rehearsed is None or checked > rehearsed):
        return CHECKED
    return NOT_CHECKED


def _paths(platform: str, locale: str) -> tuple[str, str, str]:
    return f"{locale}/{platform}.html", f"badges/{locale}/{platform}.svg", f"embed/{locale}/{platform}.html"


def from_dates(
    platform: str, locale: str, viewports: Sequence[str], dates: Dates, report: Report | None = None
) -> PathStatus:
    """A path's status from the date files alone (no journey file: no words, no form address)."""
    reported, day = report_states(report)
    vps = []
    for vp in viewports:
        key = (platform, locale, vp)
        checked, rehearsed = dates.checked.get(key), dates.rehearsed.get(key)
        state = viewport_state(key, checked, rehearsed, reported, day)
        vps.append(ViewportStatus(vp, state, checked, rehearsed, FROM_GUIDES))
    return _path(platform, locale, vps, None, None, None)


def from_config(
    config: Config,
    baseline: Tree | None,
    platform: str,
    locale: str,
    dates: Dates,
    report: Report | None = None,
) -> PathStatus:
    """A path's status as its page tells it (write/verified.py's Provenance), with the words it quotes."""
    journey = page_journey(config, platform)
    if journey is None:
        raise ValueError(f"platform {platform!r} has no logged-in journey with a tracked step")
    provenance = Provenance(Verified(dates.checked), Verified(dates.rehearsed))
    reported, day = report_states(report, journey.id)
    vps: list[ViewportStatus] = []
    form: tuple[str | None, str | None] = (None, None)
    for vp in viewport_steps(config, journey, locale, baseline, provenance):
        key = (platform, locale, vp.name)
        # the pages' state decides; "checked" also needs the day (an undated check stays not-checked)
        checked = dates.checked.get(key) if vp.state == PAGE_CHECKED else None
        rehearsed = dates.rehearsed.get(key)
        state = viewport_state(key, checked, rehearsed, reported, day)
        source = {PAGE_CHECKED: FROM_REAL_SITE, REHEARSAL: FROM_REHEARSAL}.get(vp.state)
        words = tuple(
            Word(s.step.id, s.role, s.label) for s in vp.seen if s.kind in _SHOWN_KINDS and s.shown and s.label
        )
        vps.append(ViewportStatus(vp.name, state, checked, rehearsed, source or FROM_GUIDES, words))
        tracked = journey.tracked_step
        if vp.state == PAGE_CHECKED and form[0] is None and tracked is not None:
            obs = next((s.obs for s in vp.seen if s.step.id == tracked.id and s.obs is not None), None)
            leads = obs.target.leads_to if obs is not None and obs.target is not None else None
            url = md_url(leads, site_domains(config, platform))
            form = (str(url), FROM_REAL_SITE) if url is not None else form
    if form[0] is None:
        url = md_url(DOCUMENTED_FORMS.get(platform), site_domains(config, platform))
        form = (str(url), FROM_GUIDES) if url is not None else (None, None)
    label_state = labels.label_state(config, journey, locale)
    return _path(platform, locale, vps, str(label_state), form[0], form[1])


def _path(
    platform: str,
    locale: str,
    vps: Sequence[ViewportStatus],
    label_state: str | None,
    form_url: str | None,
    form_from: str | None,
) -> PathStatus:
    state = overall([v.state for v in vps])
    days = [v.checked for v in vps]
    checked = min(d for d in days if d is not None) if days and all(d is not None for d in days) else None
    page, badge, embed = _paths(platform, locale)
    return PathStatus(
        platform, locale, state, checked, tuple(vps), label_state, form_url, form_from, page, badge, embed
    )


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_json(paths: Sequence[PathStatus], base_url: str = "", report_day: date | None = None) -> bytes:
    """status.json (docs/status-schema.md): canonical (sorted keys, two-space indent, UTF-8, newline)."""
    base = base_url.rstrip("/") + "/" if base_url else ""
    data = {
        "status_version": STATUS_VERSION,
        "site_url": base or None,
        "report": _day(report_day),
        "paths": [
            {
                "platform": p.platform,
                "locale": p.locale,
                "language": p.language,
                "state": p.state,
                "checked": _day(p.checked),
                "labels": p.labels,
                "form_url": p.form_url,
                "form_url_from": p.form_url_from,
                "page": p.page,
                "badge": p.badge,
                "embed": p.embed,
                "url": base + p.page if base else None,
                "viewports": [
                    {
                        "viewport": v.viewport,
                        "state": v.state,
                        "checked": _day(v.checked),
                        "rehearsed": _day(v.rehearsed),
                        "words_from": v.words_from,
                        "words": [{"step": w.step, "role": w.role, "words": w.words} for w in v.words],
                    }
                    for v in p.viewports
                ],
            }
            for p in sorted(paths, key=lambda p: (p.platform, p.locale))
        ],
    }
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
