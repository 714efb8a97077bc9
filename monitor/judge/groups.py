"""Change groups: one story per change of the site, however many locales and viewports showed it.

Meta rewording one link shows up as one changed step per locale × viewport (12 on two platforms).
A maintainer and a follower want to learn that once. A group is every step of one journey whose
change is the same up to locale and viewport: same journey, step and verdict, and, within each
locale, the same delta (the same words, the same destination, the same new place). Locales keep
their own words: "now reads “Oppose” (en), “Opposition” (fr)".

Pure functions over records: `of_changes` groups a report's changes (report.md/html, PR and issue
bodies), `of_entries` groups changelog entries (CHANGELOG.md and the feeds). Both share `_cluster`
and the wording in `story`, so every place tells the same story in the same words.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from monitor.judge import shown
from monitor.model import VERDICT_PRECEDENCE, Category, Change, ChangelogEntry, Verdict

PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram"}
_CATEGORY_RANK = {Category.HUMAN: 0, Category.UPDATE: 1, Category.NOTHING: 2}
_VERDICT_RANK = {v: i for i, v in enumerate(VERDICT_PRECEDENCE)}
_QUOTE_LIMIT = 60

M = TypeVar("M", Change, ChangelogEntry)


@dataclass(frozen=True)
class Delta:
    """What one step's change was, in one locale: the part of it that must match for steps to group."""

    old_text: str = ""
    new_text: str = ""
    old_place: tuple[str, ...] = ()
    new_place: tuple[str, ...] = ()
    old_to: str = ""
    new_to: str = ""
    extra: str = ""  # the hop's name (step added), the later step (step removed), the block reason
    label: str = ""  # what the target is called by, changed or not (the accepted words)
    label_noun: str = ""  # "link", "button"…: its role as a reader names it

    def signature(self, verdict: Verdict) -> tuple[str, ...]:
        """The fields that name this verdict's change; viewports of one locale group when these match."""
        if verdict is Verdict.REWORDED:
            return (self.old_text, self.new_text, self.extra)
        if verdict is Verdict.RETARGETED:
            return (self.old_to, self.new_to)
        if verdict is Verdict.MOVED:
            return (self.new_place[-1] if self.new_place else "",)
        if verdict in (Verdict.STEP_ADDED, Verdict.STEP_REMOVED, Verdict.BLOCKED):
            return (self.extra,)
        return ()


def delta_of_change(change: Change) -> Delta:
    ev = change.evidence
    words = ev.name or ev.text
    extra = ""
    if change.verdict is Verdict.STEP_ADDED and ev.hop is not None:
        extra = ev.hop.name
    elif change.verdict is Verdict.STEP_REMOVED:
        extra = ev.superseded_by or ""
    elif change.verdict is Verdict.BLOCKED:
        extra = ev.reason.value if ev.reason else ""
    elif change.verdict is Verdict.REWORDED and ev.role is not None:
        extra = f"{ev.role.old or ''}→{ev.role.new or ''}"
    return Delta(
        old_text=_one_line(words.old if words else None),
        new_text=_one_line(words.new if words else None),
        old_place=tuple(ev.context.old) if ev.context else (),
        new_place=tuple(ev.context.new) if ev.context else (),
        old_to=(ev.leads_to.old or "") if ev.leads_to else "",
        new_to=(ev.leads_to.new or "") if ev.leads_to else "",
        extra=extra,
        label=_one_line(ev.label),
        label_noun=shown.noun(ev.label_role),
    )


def delta_of_entry(entry: ChangelogEntry) -> Delta:
    return Delta(
        old_text=_one_line(entry.old_text),
        new_text=_one_line(entry.new_text),
        old_place=tuple(entry.old_place),
        new_place=tuple(entry.new_place),
        old_to=entry.old_leads_to or "",
        new_to=entry.new_leads_to or "",
    )


@dataclass(frozen=True)
class Group(Generic[M]):
    """Steps of one journey that changed the same way; members ordered by locale, then viewport."""

    id: str  # stable: a hash of the members' keys (an anchor, a feed id)
    site: str
    journey: str
    step: str
    verdict: Verdict
    members: tuple[M, ...]
    deltas: tuple[tuple[str, Delta], ...]  # (locale, its delta), one per locale, locales in order

    @property
    def category(self) -> Category:
        return self.verdict.category

    @property
    def locales(self) -> list[str]:
        return [locale for locale, _ in self.deltas]

    @property
    def viewports(self) -> list[str]:
        return sorted({m.viewport for m in self.members}, key=_viewport_order)

    @property
    def platform(self) -> str:
        return platform_name(self.site)

    @property
    def headline(self) -> str:
        """Short, for a heading or a feed title: `Facebook: the object link now reads “Oppose”`."""
        return f"{self.platform}: {story(self, short=True)}"

    @property
    def sentence(self) -> str:
        """The whole story in one sentence, every locale's words and where it was seen."""
        return f"{self.platform}: {story(self)}; {seen_on(self.viewports)}."

    def only(self, locale: str) -> Group[M]:
        """This group as one language's followers see it (its members in that locale)."""
        members = tuple(m for m in self.members if m.locale == locale)
        deltas = tuple((loc, d) for loc, d in self.deltas if loc == locale)
        return Group(_group_id(members), self.site, self.journey, self.step, self.verdict, members, deltas)


def of_changes(changes: Iterable[Change], *, include_unchanged: bool = False) -> list[Group[Change]]:
    """A report's changes as groups, the most demanding first (unchanged steps left out by default)."""
    chosen = [c for c in changes if include_unchanged or c.verdict is not Verdict.UNCHANGED]
    groups = _cluster(chosen, delta_of_change, lambda c: c.verdict)
    index = {(c.journey, c.step): c.index for c in chosen}
    return sorted(
        groups,
        key=lambda g: (
            _CATEGORY_RANK[g.category],
            _VERDICT_RANK[g.verdict],
            g.site,
            g.journey,
            index.get((g.journey, g.step), 0),
            g.step,
            g.id,
        ),
    )


FIRST_WALK = Verdict.NEW.value  # a changelog entry of a first walk


def of_entries(entries: Iterable[ChangelogEntry]) -> list[Group[ChangelogEntry]]:
    """Changelog entries as groups, newest first: entries group only within one run (same `when`)."""
    by_run: dict[str, list[ChangelogEntry]] = {}
    for entry in entries:
        by_run.setdefault(entry.when, []).append(entry)
    out: list[tuple[str, Group[ChangelogEntry]]] = []
    for when, members in by_run.items():
        firsts = [m for m in members if m.verdict == FIRST_WALK]
        for group in _first_walks(firsts) + _cluster(
            [m for m in members if m.verdict != FIRST_WALK], delta_of_entry, lambda e: _verdict(e.verdict)
        ):
            out.append((when, group))
    out.sort(key=lambda wg: (wg[0], wg[1].site, wg[1].journey, wg[1].step, wg[1].id), reverse=True)
    return [g for _, g in out]


def _first_walks(members: Sequence[ChangelogEntry]) -> list[Group[ChangelogEntry]]:
    """A platform's first walk is one event for its followers, whichever journeys, locales and viewports
    it walked: one group per platform (the journey of the group is its members' first, for sorting)."""
    by_site: dict[str, list[ChangelogEntry]] = {}
    for m in members:
        by_site.setdefault(m.platform, []).append(m)
    out: list[Group[ChangelogEntry]] = []
    for site, ms in sorted(by_site.items()):
        ms.sort(key=lambda m: (_locale_order(m.locale), m.journey, _viewport_order(m.viewport), m.step))
        locales = list(dict.fromkeys(m.locale for m in ms))
        deltas = tuple((loc, delta_of_entry(next(m for m in ms if m.locale == loc))) for loc in locales)
        head = ms[0]
        out.append(Group(_group_id(ms), site, head.journey, head.step, _verdict(head.verdict), tuple(ms), deltas))
    return out


def _verdict(value: str) -> Verdict:
    try:
        return Verdict(value)
    except ValueError:
        return Verdict.COSMETIC


def _cluster(members: Sequence[M], delta: Callable[[M], Delta], verdict: Callable[[M], Verdict]) -> list[Group[M]]:
    """First per locale (viewports whose delta matches), then across locales (one bucket per locale)."""
    per_locale: dict[tuple[str, str, str, Verdict, str, tuple[str, ...]], list[M]] = {}
    deltas: dict[tuple[str, str, str, Verdict, str, tuple[str, ...]], Delta] = {}
    for m in members:
        v = verdict(m)
        d = delta(m)
        site = m.site if isinstance(m, Change) else m.platform
        key = (site, m.journey, m.step, v, m.locale, d.signature(v))
        per_locale.setdefault(key, []).append(m)
        deltas.setdefault(key, d)
    # across locales: the largest bucket of each locale joins the first group of its kind, and so on
    ordered = sorted(per_locale, key=lambda k: (-len(per_locale[k]), k[4], k[5]))
    groups: list[tuple[tuple[str, str, str, Verdict], list[tuple[str, Delta, list[M]]]]] = []
    for key in ordered:
        site, journey, step, v, locale, _ = key
        head = (site, journey, step, v)
        target = next(
            (parts for kind, parts in groups if kind == head and all(loc != locale for loc, _, _ in parts)),
            None,
        )
        part = (locale, deltas[key], per_locale[key])
        if target is None:
            groups.append((head, [part]))
        else:
            target.append(part)
    out: list[Group[M]] = []
    for (site, journey, step, v), parts in groups:
        parts.sort(key=lambda p: _locale_order(p[0]))
        items = tuple(m for _, _, ms in parts for m in sorted(ms, key=lambda m: _viewport_order(m.viewport)))
        out.append(Group(_group_id(items), site, journey, step, v, items, tuple((loc, d) for loc, d, _ in parts)))
    return out


def _group_id(members: Iterable[Change | ChangelogEntry]) -> str:
    keys = sorted(
        f"{m.journey}/{m.locale}/{m.viewport}/{m.step}/{m.verdict}"
        + (f"/{m.id}" if isinstance(m, ChangelogEntry) else "")
        for m in members
    )
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:12]


# --------------------------------------------------------------------------- words


def platform_name(site: str) -> str:
    return PLATFORM_NAMES.get(site, site[:1].upper() + site[1:])


def viewport_kind(viewport: str) -> str:
    """What a person calls the device: phone, tablet or computer (from the viewport's name)."""
    name = viewport.lower()
    if any(w in name for w in ("mobile", "phone", "pixel", "iphone", "galaxy")):
        return "phone"
    if any(w in name for w in ("tablet", "ipad")):
        return "tablet"
    return "computer"


def _viewport_order(viewport: str) -> tuple[int, str]:
    return ({"computer": 0, "tablet": 1, "phone": 2}[viewport_kind(viewport)], viewport)


def _locale_order(locale: str) -> tuple[int, str]:
    return (0 if locale == "en" else 1, locale)


def seen_on(viewports: Sequence[str]) -> str:
    kinds = list(dict.fromkeys(viewport_kind(v) for v in sorted(viewports, key=_viewport_order)))
    if not kinds:
        return "seen nowhere"
    if len(kinds) == 1:
        return f"seen on {kinds[0]} only" if kinds[0] != "computer" else "seen on computer"
    return "seen on " + ", ".join(kinds[:-1]) + " and " + kinds[-1]


def step_words(step: str) -> str:
    """`object-link` -> `object link`: a step's key as words."""
    return re.sub(r"[-_]+", " ", step).strip() or step


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _q(text: str) -> str:
    one = _one_line(text)
    if len(one) > _QUOTE_LIMIT:
        one = one[: _QUOTE_LIMIT - 1].rstrip() + "…"
    return f"“{one}”"


def _per_locale(group: Group[M], value: Callable[[Delta], str], short: bool) -> str:
    """`“Oppose” (en), “Opposition” (fr)`; one value when every locale says the same; short: the first."""
    pairs = [(loc, value(d)) for loc, d in group.deltas if value(d)]
    if not pairs:
        return ""
    if short or len({v for _, v in pairs}) == 1:
        return pairs[0][1] + ("" if short or len(pairs) == 1 else f" ({', '.join(loc for loc, _ in pairs)})")
    return ", ".join(f"{v} ({loc})" for loc, v in pairs)


def subject(group: Group[M], quoted: bool = True) -> str:
    """What changed, by its old words when it had some: `the “object” link`; unquoted, by the step's
    key when that names it (`the object link`), else by the words people know it by (English first):
    `the “AI at Meta” link`. A step's key in quotes is the last resort."""
    first = group.deltas[0][1] if group.deltas else Delta()
    own = _noun(group.step)
    noun = own or first.label_noun
    if first.old_text and quoted:
        return f"the {_q(first.old_text)} {noun}" if noun else _q(first.old_text)
    if own and not quoted:
        return f"the {step_words(group.step)}"
    if first.label:
        return f"the {_q(first.label)} {noun or 'step'}"
    return f"the {step_words(group.step)}" if own else f"the {_q(step_words(group.step))} step"


def place_words(place: str) -> str:
    """`h2 "Generative AI"` (how a walk records a heading or landmark) -> `Generative AI`: the words a
    reader sees, never the tag; a landmark without a name (`banner`, `main`) shows none: ""."""
    m = re.fullmatch(r'[\w-]+ "(.*)"', place.strip())
    if m is None and re.fullmatch(r"[a-z]+", place.strip()):
        return ""
    return m.group(1).replace('\\"', '"') if m else place


def told(groups: Sequence[Group[M]]) -> list[tuple[str, bool]]:
    """Each group's sentence as a list of changes tells it, and whether an earlier one told it already:
    groups that changed the same way on other steps (two journeys' links sent to one new address) are
    one sentence naming them all, "the “object” link and the “right to object” link now lead …"."""
    told_as = {g.id: (subject(g), story(g)) for g in groups}
    same: dict[tuple[object, ...], list[Group[M]]] = {}
    for g in groups:
        what, said = told_as[g.id]
        same.setdefault((g.site, g.verdict, said.replace(what, "\0", 1), tuple(g.viewports)), []).append(g)
    out: dict[str, tuple[str, bool]] = {}
    for kind in same.values():
        names = list(dict.fromkeys(told_as[m.id][0] for m in kind))
        what, said = told_as[kind[0].id]
        joined = _plural(said.replace(what, ", ".join(names[:-1]) + " and " + names[-1], 1))
        for m in kind:
            sentence = m.sentence if len(names) == 1 else f"{m.platform}: {joined}; {seen_on(m.viewports)}."
            out[m.id] = (sentence, m is not kind[0])
    return [out[g.id] for g in groups]


_PLURAL = (
    (" now reads ", " now read "),
    (" now leads ", " now lead "),
    (" is no longer needed", " are no longer needed"),
    (" is gone from its page", " are gone from their pages"),
    (" looks different", " look different"),
    (" was seen ", " were seen "),
    (" was not reached", " were not reached"),
    (" is unchanged", " are unchanged"),
    ("the sentence around ", "the sentences around "),
    (" was rewritten", " were rewritten"),
)


def _plural(text: str) -> str:
    for one, many in _PLURAL:
        text = text.replace(one, many)
    return text


def story(group: Group[M], short: bool = False) -> str:
    """What happened, in words a follower understands (without the platform and the devices)."""
    what = subject(group, quoted=not short)
    v = group.verdict
    if v is Verdict.REWORDED:
        said = _per_locale(group, lambda d: _q(d.new_text) if d.new_text and d.new_text != d.old_text else "", short)
        if said:
            return f"{what} now reads {said}"
        return f"the sentence around {what} was rewritten"
    if v is Verdict.RETARGETED:
        to = _per_locale(group, lambda d: f"<{d.new_to}>" if d.new_to else "", short)
        return f"{what} now leads somewhere else" + (f": {to}" if to and not short else "")
    if v is Verdict.MOVED:
        where = _per_locale(
            group, lambda d: _q(w) if d.new_place and (w := place_words(d.new_place[-1])) else "", short
        )
        return f"{what} moved" + (f", now under {where}" if where else "")
    if v is Verdict.STEP_ADDED:
        hop = _per_locale(group, lambda d: _q(d.extra) if d.extra else "", short)
        return f"an extra click is needed before {what}" + (f": {hop}" if hop else "")
    if v is Verdict.STEP_REMOVED:
        return f"{what} is no longer needed"
    if v is Verdict.TARGET_GONE:
        return f"{what} is gone from its page"
    if v is Verdict.BLOCKED:
        reason = _per_locale(group, lambda d: d.extra.replace("-", " "), True)
        return f"the monitor could not see {what}" + (f" ({reason})" if reason else "")
    if v is Verdict.COSMETIC:
        return f"{what} looks different; the instructions still hold"
    if v is Verdict.NEW:
        return f"{what} was seen for the first time"
    if v is Verdict.SKIPPED:
        return f"{what} was not reached (an earlier step stopped the walk)"
    return f"{what} is unchanged"


def _noun(step: str) -> str:
    words = step_words(step).split()
    return words[-1] if words and words[-1] in ("link", "button", "tab", "menu", "field", "option") else ""
