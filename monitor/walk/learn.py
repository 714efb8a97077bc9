"""Learning a locale's labels without reading its words: the choice, as pure functions.

A documented locale's walk (the reference, e.g. en) finds each step's target by name and records
what does not depend on language: its role, its place on the page (landmarks and the position of
its block among its siblings, never words) and where it leads. The same journey walked in the new
locale then takes, at each step, the one element with that role at that place; when the place
holds several (two links in one paragraph: word order differs between languages, so their order
proves nothing), the one that leads where the reference's led. Two that still fit equally are a
question for a person, never a guess. The browser edge is monitor/walk/learnwalk.py; the file written
is monitor/labelset.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from monitor.labelset import Evidence, LabelSet, Learned


@dataclass(frozen=True)
class Candidate:
    """An element a person could click or read as a step's target, described without its words
    (place, landmarks, href) and with them (name, text) for the record."""

    index: int  # its position in the page's list, to act on it
    role: str
    name: str
    place: str
    landmarks: str
    href: str | None = None


@dataclass(frozen=True)
class Reference:
    """What the reference locale's walk found at one step."""

    journey: str
    step: str
    viewport: str
    locale: str
    role: str
    name: str
    place: str
    landmarks: str
    page: str
    href: str | None = None
    leads_to: str | None = None


@dataclass(frozen=True)
class Question:
    """Two (or more) elements fit a step equally: the person decides."""

    reference: Reference
    candidates: tuple[Candidate, ...]

    def describe(self) -> str:
        ref = self.reference
        lines = [
            f"{ref.journey}/{ref.viewport}, step {ref.step!r}: {len(self.candidates)} {ref.role}s fit equally well "
            f"where {ref.locale} has {ref.name!r} ({ref.place}, on {ref.page}):"
        ]
        for c in self.candidates:
            lines.append(f"  - {c.name!r} at {c.place}, leads to {c.href or 'nothing by itself (a script acts)'}")
        lines.append("  Name the right one in the journey file by hand; no label set was written.")
        return "\n".join(lines)


@dataclass(frozen=True)
class Pick:
    candidate: Candidate
    found_by: str  # place | destination


def choose(ref: Reference, candidates: list[Candidate]) -> Pick | Question | None:
    """The element of `candidates` that is the reference's target, a Question, or None (not here)."""
    same_role = [c for c in candidates if c.role == ref.role and c.name]
    here = [c for c in same_role if c.place == ref.place]
    if len(here) > 1 and ref.href:
        going = [c for c in here if same_address(c.href, ref.href)]
        here = going or here
    if len(here) == 1:
        return Pick(here[0], "place")
    if len(here) > 1:
        return Question(ref, tuple(here))
    if ref.href:  # the page's structure moved: the one element in the same landmarks that goes there
        going = [c for c in same_role if c.landmarks == ref.landmarks and same_address(c.href, ref.href)]
        if len(going) == 1:
            return Pick(going[0], "destination")
        if len(going) > 1:
            return Question(ref, tuple(going))
    return None


def same_address(a: str | None, b: str | None) -> bool:
    """Same scheme, host and path (query and fragment aside: tracking parameters vary)."""
    if not a or not b:
        return False
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.netloc, pa.path.rstrip("/")) == (pb.scheme, pb.netloc, pb.path.rstrip("/"))


@dataclass
class Finding:
    """One step learned in one viewport."""

    journey: str
    step: str
    name: str
    pick: Pick
    reference: Reference
    leads_to: str | None = None
    site: str = ""  # set for a site-level target (the consent button)


@dataclass
class Results:
    """Everything the walks of one learn run found, asked and missed."""

    findings: list[Finding] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    missed: dict[tuple[str, str], str] = field(default_factory=dict)  # (journey, step) -> why


def label_set(results: Results, locale: str, browser_locale: str, reference: str, day: str) -> LabelSet:
    """The reviewed-by-nobody label set: names per step (all viewports), evidence for each."""
    sites: dict[str, dict[str, Learned]] = {}
    journeys: dict[str, dict[str, Learned]] = {}
    for f in results.findings:
        evidence = Evidence(
            viewport=f.reference.viewport,
            page=f.reference.page,
            place=f.pick.candidate.place,
            stands_for=f"{reference}: {f.reference.name}",
            leads_to=f.leads_to,
            found_by=f.pick.found_by,
        )
        table = sites.setdefault(f.site, {}) if f.site else journeys.setdefault(f.journey, {})
        key = "consent" if f.site else f.step
        old = table.get(key)
        if old is None:
            table[key] = Learned(role=f.reference.role, names=[f.name], evidence=[evidence])
        else:
            names = old.names if f.name in old.names else [*old.names, f.name]
            table[key] = Learned(role=old.role, names=names, evidence=[*old.evidence, evidence])
    learned = {(j, s) for j, steps in journeys.items() for s in steps}
    not_learned: dict[str, dict[str, str]] = {}
    for (journey, step), why in sorted(results.missed.items()):
        if (journey, step) not in learned:
            not_learned.setdefault(journey, {})[step] = why
    return LabelSet(
        locale=locale,
        browser_locale=browser_locale,
        reference=reference,
        learned=day,
        reviewed_by=None,
        sites=sites,
        journeys=journeys,
        not_learned=not_learned,
    )
