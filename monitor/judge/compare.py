"""An Observation against its accepted baseline -> one Change with a verdict. Pure functions: no browser.

The verdict is the one a careful reader would give: a new date, an ad or another font is at most
`cosmetic`; the link saying something else, sitting elsewhere or leading elsewhere means the
instructions need an update; a vanished target or a page the monitor could not see needs a human.
Every finding is kept as evidence; the strongest one (model.VERDICT_PRECEDENCE) names the change.

Only the hashes stored in the observations are compared here: no image is decoded, so a step
costs well under a millisecond or two (report.write draws the pictures).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from monitor import imaging
from monitor.config import Thresholds
from monitor.judge import hops, normalize, shown, textdiff
from monitor.model import (
    VERDICT_PRECEDENCE,
    Box,
    BoxDelta,
    Change,
    Evidence,
    Finding,
    ListDelta,
    Observation,
    ObservationKey,
    Problem,
    Report,
    RunInfo,
    Status,
    Target,
    TextDelta,
    Verdict,
    Walk,
)

# The sentence around the target counts as reworded below this similarity (1 - Levenshtein distance
# of the semantic diff / length, digits masked): a new date keeps a sentence near 0.9, a rewrite falls
# well below 0.7.
SENTENCE_SIMILARITY = 0.75
# Section headings and landmark labels this similar (same structure) are the same place, lightly edited.
CONTEXT_SIMILARITY = 0.8
# Box changes up to this many CSS pixels are rendering noise, not a shift.
BOX_TOLERANCE = 4

SEARCH_NOTE = "found again by search"

_SPACES = re.compile(r"\s+")
_INNER_SPACES = re.compile(r"(?<=\S)\s+")  # not the indentation of an ARIA snapshot line
_DIGITS = re.compile(r"\d+")
_CONTEXT_ENTRY = re.compile(r'^(?P<kind>[\w-]+)(?: "(?P<label>.*)")?$', re.DOTALL)


# --------------------------------------------------------------------------- public API


class Baseline(Protocol):
    """The accepted observations as the store read them (store.Tree); judging never reads the disk itself."""

    root: Path
    broken: dict[Path, str]  # files that failed verification, with why

    def walk_of(self, journey: str, locale: str, viewport: str) -> list[Observation]: ...

    def missing_images(self, obs: Observation) -> list[tuple[str, Path]]: ...


def compare_step(baseline: Observation | None, current: Observation | None, thresholds: Thresholds) -> Change:
    """One step's verdict. baseline None: no accepted observation yet; current None: the step is gone."""
    return _compare(baseline, current, thresholds)


def compare_run(baseline: Baseline, walks: list[Walk], thresholds: Thresholds, run: RunInfo) -> Report:
    """Every step of the given walks against the baseline. Only the walks' combos are compared (a shard
    compares its own part); unreadable baseline files of those combos become problems, never a crash."""
    combos = {(w.journey, w.locale, w.viewport) for w in walks}
    problems: list[Problem] = []
    unreadable: dict[ObservationKey, str] = {}
    for path, message in sorted(baseline.broken.items()):
        key = _key_of(baseline.root, path)
        if key is not None and (key[0], key[1], key[2]) not in combos:
            continue
        problems.append(
            Problem(
                path=str(path),
                message=message.removeprefix(f"{path}: "),
                fix=_fix(baseline.root, key),
                key=key.path if key is not None else None,
            )
        )
        if key is not None:
            unreadable[key] = str(path)
    changes: list[Change] = []
    for walk in sorted(walks, key=lambda w: (w.journey, w.locale, w.viewport)):
        accepted = {o.step: o for o in baseline.walk_of(walk.journey, walk.locale, walk.viewport)}
        stop = next((o for o in walk.observations if _stops(o)), None)
        for obs in walk.observations:
            base = accepted.pop(obs.step, None)
            if base is not None:
                problems.extend(_missing_images(baseline, base))
            changes.append(_compare(base, obs, thresholds, unreadable=unreadable.get(obs.key)))
        for base in accepted.values():
            problems.extend(_missing_images(baseline, base))
            changes.append(_compare(base, None, thresholds, stopped=stop))
    return Report.build(run, changes, problems)


# --------------------------------------------------------------------------- one step


class _Findings:
    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(self, verdict: Verdict, detail: str) -> None:
        self.items.append(Finding(verdict=verdict, detail=detail))

    def ordered(self) -> list[Finding]:
        rank = {v: i for i, v in enumerate(VERDICT_PRECEDENCE)}
        return sorted(self.items, key=lambda f: rank[f.verdict])  # stable: same verdict keeps its order


def _compare(
    baseline: Observation | None,
    current: Observation | None,
    thresholds: Thresholds,
    *,
    stopped: Observation | None = None,
    unreadable: str | None = None,
) -> Change:
    if baseline is None and current is None:
        raise ValueError("compare_step needs a baseline or a current observation (both are None)")
    obs = current if current is not None else baseline
    assert obs is not None
    found = _Findings()
    ev: dict[str, object] = {}
    notes: list[str] = []
    named = baseline if baseline is not None and baseline.target is not None else current
    if named is not None and named.target is not None:
        ev.update(label=shown.words(named), label_role=named.target.role)

    if current is None:
        assert baseline is not None
        if stopped is not None and stopped.index <= baseline.index:
            found.add(Verdict.SKIPPED, f"not reached: the walk stopped at step {stopped.step!r}")
        else:
            found.add(Verdict.STEP_REMOVED, "no longer in the walk: the journey has no such step now")
    else:
        ev.update(
            found_by=current.found_by,
            hop=current.hop,
            superseded_by=current.superseded_by,
            reason=current.reason,
            error=current.error,
            confirmations=current.confirmations,
        )
        usable = baseline
        still_absent = baseline is not None and _absent(baseline) and _absent(current)
        if still_absent:
            notes.append("the target is absent, as in the accepted baseline")  # the accepted state: not news
        elif baseline is not None and _absent(baseline) and current.status is Status.OK and current.target is not None:
            found.add(Verdict.APPEARED, _appeared(current.target, current.url))
            usable = None
        elif baseline is not None and baseline.status in (Status.BLOCKED, Status.MISSING):
            notes.append(f"the baseline itself is {baseline.status.value}: nothing to compare with")
            usable = None
        elif baseline is not None and _not_walked(baseline) and not _not_walked(current):
            notes.append("not walked in the baseline (an earlier step's target was absent there)")
            usable = None
        if not still_absent:
            _status(usable, current, found, notes)
        if still_absent:
            pass
        elif usable is not None and not _not_walked(current):
            _observed(usable, current, thresholds, found, ev)
        elif usable is None and not found.items and not _not_walked(current):
            if unreadable is not None:
                found.add(Verdict.NEW, f"not compared: the baseline file {unreadable} is unreadable (see problems)")
            else:
                found.add(Verdict.NEW, "no accepted baseline for this step yet")
        if current.confirmations > 1:
            notes.append(f"seen on {current.confirmations} fresh page loads")

    findings = found.ordered()
    verdict = findings[0].verdict if findings else Verdict.UNCHANGED
    evidence = Evidence.model_validate({**ev, "findings": findings, "notes": notes})
    return Change(
        journey=obs.journey,
        site=obs.site,
        locale=obs.locale,
        viewport=obs.viewport,
        step=obs.step,
        index=obs.index,
        action=obs.action,
        tracked=(current.tracked if current is not None else False) or (baseline.tracked if baseline else False),
        verdict=verdict,
        category=verdict.category,
        summary=_summary(verdict, findings, baseline, current),
        evidence=evidence,
    )


def _absent(obs: Observation) -> bool:
    """An accepted state in which the step's target was not on the page (store.accept takes it)."""
    return obs.status is Status.MISSING and obs.superseded_by is None


def _appeared(target: Target, url: str) -> str:
    where = _where(target.context)
    leads = f", leading to {_short(target.leads_to)}" if target.leads_to else ", leading nowhere yet"
    return f"{_label(target)} appeared on {_short(url)}" + (f" ({where})" if where else "") + leads


def _stops(obs: Observation) -> bool:
    """The walk could not go past this step."""
    return obs.status is Status.BLOCKED or (obs.status is Status.MISSING and obs.superseded_by is None)


def _not_walked(obs: Observation) -> bool:
    return obs.status is Status.SKIPPED and obs.target is None and obs.images is None


def _status(baseline: Observation | None, current: Observation, found: _Findings, notes: list[str]) -> None:
    """Verdicts that follow from the current walk alone."""
    if current.status is Status.BLOCKED:
        reason = current.reason.value if current.reason is not None else "unknown"
        found.add(Verdict.BLOCKED, f"could not see the page ({reason}): {current.error or 'no detail'}")
    elif current.status is Status.MISSING:
        if current.superseded_by:
            found.add(
                Verdict.STEP_REMOVED,
                f"no longer needed: the target of step {current.superseded_by!r} was already on the page",
            )
        else:
            found.add(Verdict.TARGET_GONE, current.error or f"the target of step {current.step!r} is not on the page")
    elif _not_walked(current):
        if baseline is not None and _not_walked(baseline):
            notes.append("not walked, as in the baseline")
        else:
            found.add(Verdict.SKIPPED, current.error or "not walked this time")
    if current.found_by == "hop" and not _hop_leads_home(baseline, current):
        hop = current.hop
        via = f'{hop.role} "{hop.name}" (to {hop.url})' if hop is not None else "an extra click"
        c_to = current.target.leads_to if current.target is not None else None
        b_to = baseline.target.leads_to if baseline is not None and baseline.target is not None else None
        found.add(
            Verdict.TARGET_GONE,
            f"the target is not on the page; a candidate one extra click away, through {via}, matches "
            f"by name only: it leads to {_short(c_to)}"
            + (
                f", not where the accepted target led ({_short(b_to)})"
                if b_to
                else ", and no accepted target to confirm it"
            )
            + ". A person must check it before the instructions change",
        )
    elif current.found_by == "hop":
        hop = current.hop
        via = f'{hop.role} "{hop.name}" (to {hop.url})' if hop is not None else "an extra click"
        same = (
            baseline is not None
            and baseline.found_by == "hop"
            and baseline.hop is not None
            and hop is not None
            and (textdiff.norm(baseline.hop.name), baseline.hop.role) == (textdiff.norm(hop.name), hop.role)
        )
        if same:
            notes.append(f"reached through {via}, as in the baseline")
        else:
            found.add(Verdict.STEP_ADDED, f"an extra click is needed on {via}")
    if current.found_by == "search":
        matched = current.target.matched if current.target is not None else ""
        notes.append(
            f"{SEARCH_NOTE}: none of the configured names matched"
            + (f"; the closest element matched {matched!r}" if matched else "")
        )


def _twins(b: Target, c: Target, found: _Findings) -> None:
    """Another element with the target's name, leading elsewhere, is news even when the walk
    followed the right one: a person reading the instructions may click the other."""
    new = [to for to in c.also if to not in b.also and to != c.leads_to]
    if new:
        label = _label(c)
        others = ", ".join(f"one to {_short(to) if to else 'nowhere'}" for to in new)
        found.add(
            Verdict.RETARGETED,
            f"two elements are named like {label} now: one to {_short(c.leads_to)} "
            f"({'followed: where the accepted target led' if c.leads_to == b.leads_to else 'followed'}) and {others}; "
            "the instructions must say which one",
        )


def _hop_leads_home(baseline: Observation | None, current: Observation) -> bool:
    """A hop reached the same target only when it leads where the baseline's target led (hops.py)."""
    b_to = baseline.target.leads_to if baseline is not None and baseline.target is not None else None
    c_to = current.target.leads_to if current.target is not None else None
    return hops.same_destination(c_to, b_to)


def _observed(
    baseline: Observation, current: Observation, thresholds: Thresholds, found: _Findings, ev: dict[str, object]
) -> None:
    """Verdicts that come from comparing what both walks saw."""
    # the page
    if baseline.url != current.url and baseline.url and current.url:
        ev["url"] = TextDelta(old=baseline.url, new=current.url)
        if _destination(baseline.url) != _destination(current.url):
            found.add(Verdict.COSMETIC, f"the page's address changed: {_short(baseline.url)} → {_short(current.url)}")
    if baseline.title != current.title:
        ev["title"] = TextDelta(old=baseline.title, new=current.title)
        found.add(Verdict.COSMETIC, f"the page title changed: {_q(baseline.title)} → {_q(current.title)}")
    b_img, c_img = baseline.images, current.images
    if b_img is not None and c_img is not None:
        page = imaging.hash_distance(b_img.page_phash, c_img.page_phash)
        ev["page_hash"] = page
        ev["page_dhash"] = imaging.hash_distance(b_img.page_dhash, c_img.page_dhash)
        if page is not None and page > thresholds.page_hash:
            found.add(Verdict.COSMETIC, f"the page looks different ({page} bits, threshold {thresholds.page_hash})")
        crop = imaging.hash_distance(b_img.target_phash, c_img.target_phash)
        ev["target_hash"] = crop
        ev["target_dhash"] = imaging.hash_distance(b_img.target_dhash, c_img.target_dhash)
        if crop is not None and crop > thresholds.target_hash:
            found.add(
                Verdict.COSMETIC,
                f"the target looks different ({crop} bits, threshold {thresholds.target_hash})",
            )
    # the target
    b, c = baseline.target, current.target
    if b is None and c is None:
        return
    if b is None or c is None:
        if current.status is Status.OK and baseline.status is Status.OK:
            what = "was not shown this time" if c is None else "is shown this time (the baseline had none)"
            found.add(Verdict.COSMETIC, f"the optional element {what}")
        return
    _wording(b, c, found, ev, current.tracked)
    _place(b, c, found, ev, current.action == "consent")
    _destination_of(b, c, found, ev)
    _twins(b, c, found)
    _geometry(b, c, found, ev)
    if _aria(b.aria) != _aria(c.aria):  # a new date or count, or an invisible character, is not a change
        ev["aria_diff"] = list(
            difflib.unified_diff(b.aria.splitlines(), c.aria.splitlines(), "baseline", "current", lineterm="", n=1)
        )
        found.add(Verdict.COSMETIC, "the ARIA snapshot of its region changed")


def _wording(b: Target, c: Target, found: _Findings, ev: dict[str, object], tracked: bool) -> None:
    """Names and roles always count; the sentence around the target only for the tracked link,
    whose sentence the instructions quote (a menu button's 'sentence' is whatever sits beside it)."""
    label = _q(b.name or b.text)
    if textdiff.norm(b.role) != textdiff.norm(c.role):
        ev["role"] = TextDelta(old=b.role, new=c.role)
        found.add(Verdict.REWORDED, f"{b.role or 'element'} {label} is now a {c.role or 'plain element'}")
    said: set[tuple[str, str]] = set()
    for field, old, new in (("name", b.name, c.name), ("text", b.text, c.text)):
        if old == new:
            continue
        ev[field] = TextDelta(old=old, new=new)
        what = "accessible name" if field == "name" else "visible text"
        pair = (textdiff.norm(old).casefold(), textdiff.norm(new).casefold())
        if textdiff.norm(old) == textdiff.norm(new) or pair in said:
            pass  # spacing or typographic quotes only, or already said of the name
        elif textdiff.norm(old).casefold() == textdiff.norm(new).casefold():
            found.add(Verdict.COSMETIC, f"{what} changed case only: {_q(old)} → {_q(new)}")
        elif textdiff.numbers_only(old, new):
            found.add(Verdict.COSMETIC, f"{what} changed a number only (a counter or date): {_q(old)} → {_q(new)}")
        else:
            found.add(Verdict.REWORDED, f"{_q(old)} → {_q(new)} ({_where(b.context)})")
        said.add(pair)
        if "wording" not in ev:
            ev["wording"] = textdiff.word_diff(old, new)
    if b.sentence != c.sentence:
        ev["sentence"] = TextDelta(old=b.sentence, new=c.sentence)
        ev["sentence_diff"] = textdiff.word_diff(b.sentence, c.sentence)
        old_n, new_n = textdiff.norm(b.sentence).casefold(), textdiff.norm(c.sentence).casefold()
        similarity = textdiff.similarity(_DIGITS.sub("0", old_n), _DIGITS.sub("0", new_n))
        ev["sentence_similarity"] = round(similarity, 3)
        if textdiff.norm(b.sentence) == textdiff.norm(c.sentence):
            pass  # invisible characters, spacing or Unicode form only: kept as evidence, not a change
        elif old_n == new_n:
            found.add(Verdict.COSMETIC, f"the sentence around {label} changed case only")
        elif similarity < SENTENCE_SIMILARITY and tracked:
            found.add(
                Verdict.REWORDED,
                f"the sentence around {label} was rewritten (similarity {similarity:.2f}, "
                f"threshold {SENTENCE_SIMILARITY})",
            )
        else:
            found.add(Verdict.COSMETIC, f"the sentence around {label} was lightly edited (similarity {similarity:.2f})")


def _place(b: Target, c: Target, found: _Findings, ev: dict[str, object], consent: bool) -> None:
    """A different section is a move; the cookie dialog's button is handled wherever it appears."""
    if b.context == c.context:
        return
    ev["context"] = ListDelta(old=b.context, new=c.context)
    old = [_entry(e) for e in b.context]
    new = [_entry(e) for e in c.context]
    label = _q(c.name or c.text)
    if [k for k, _ in old] == [k for k, _ in new]:
        pairs = list(zip(old, new, strict=True))
        if all(textdiff.norm(a[1]).casefold() == textdiff.norm(z[1]).casefold() for a, z in pairs):
            found.add(Verdict.COSMETIC, f"its section names changed case or spacing only ({_where(c.context)})")
            return
        if all(
            textdiff.similarity(textdiff.norm(a[1]).casefold(), textdiff.norm(z[1]).casefold(), by_words=False)
            >= CONTEXT_SIMILARITY
            for a, z in pairs
        ):
            found.add(
                Verdict.COSMETIC,
                f"its section names were lightly edited: {_moved(b.context, c.context)}",
            )
            return
    if consent:
        found.add(Verdict.COSMETIC, f"the cookie dialog changed its place: {_moved(b.context, c.context)}")
        return
    found.add(Verdict.MOVED, f"{label} moved: {_moved(b.context, c.context)}")


def _destination_of(b: Target, c: Target, found: _Findings, ev: dict[str, object]) -> None:
    if b.leads_to == c.leads_to:
        return
    ev["leads_to"] = TextDelta(old=b.leads_to, new=c.leads_to)
    label = _q(c.name or c.text)
    if b.leads_to and c.leads_to and _destination(b.leads_to) == _destination(c.leads_to):
        found.add(Verdict.COSMETIC, f"{label} leads to the same page with another query: {_short(c.leads_to)}")
    elif c.leads_to is None:
        found.add(Verdict.RETARGETED, f"{label} no longer leads anywhere (was {_short(b.leads_to)})")
    else:
        was = _short(b.leads_to) if b.leads_to else "nowhere"
        found.add(Verdict.RETARGETED, f"{label} now leads to {_short(c.leads_to)} (was {was})")


def _geometry(b: Target, c: Target, found: _Findings, ev: dict[str, object]) -> None:
    if b.box == c.box:
        return
    shift = _shift(b.box, c.box)
    ev["box"] = BoxDelta(old=b.box, new=c.box, shift=shift)
    if shift > BOX_TOLERANCE:
        found.add(Verdict.COSMETIC, f"{_q(c.name or c.text)} shifted {shift} px on the page, same section")


# --------------------------------------------------------------------------- summary


def _summary(
    verdict: Verdict, findings: list[Finding], baseline: Observation | None, current: Observation | None
) -> str:
    target = _target(current) or _target(baseline)
    step = current.step if current is not None else baseline.step if baseline is not None else "?"
    label = _label(target) if target is not None else f"step {step!r}"
    details = [f.detail for f in findings if f.verdict is verdict]
    if verdict is Verdict.UNCHANGED:
        text = f"{label}: no change"
    elif verdict is Verdict.NEW:
        where = f" ({_where(target.context)})" if target is not None else ""
        text = f"{label}{where}: {details[0]}"
    elif verdict is Verdict.COSMETIC:
        text = f"{label} looks different; same words, place and destination: " + "; ".join(details[:3])
    elif verdict is Verdict.BLOCKED:
        text = f"{details[0]} — not a UI change"
    elif verdict is Verdict.TARGET_GONE:
        where = current.url if current is not None and current.url else "the page"
        text = f"{label} is gone from {where}"
    elif verdict is Verdict.STEP_ADDED:
        text = f"{details[0]}, before {label}"
    elif verdict is Verdict.APPEARED:
        text = details[0]
    elif verdict is Verdict.STEP_REMOVED:
        text = f"step {step!r} ({label}) is {details[0]}" if target is not None else f"{label} is {details[0]}"
    elif verdict is Verdict.SKIPPED:
        text = f"step {step!r} ({label}): {details[0]}" if target is not None else f"{label}: {details[0]}"
    else:
        text = "; ".join(details)
    if current is not None and current.found_by == "search":
        text += f" — {SEARCH_NOTE}"
    return text


def _target(obs: Observation | None) -> Target | None:
    return obs.target if obs is not None else None


def _label(target: Target) -> str:
    return f"{target.role or 'element'} {_q(target.name or target.text)}"


def _where(context: list[str]) -> str:
    """The innermost labelled section: what a reader would call the place."""
    for entry in reversed(context):
        _kind, label = _entry(entry)
        if label:
            return label
    return context[-1] if context else "top of the page"


def _path(context: list[str], labelled_only: bool = False) -> str:
    entries = [_entry(e) for e in context]
    labels = [label for _, label in entries if label] if labelled_only else [label or kind for kind, label in entries]
    return " › ".join(labels) if labels else "(top of the page)"


def _moved(old: list[str], new: list[str]) -> str:
    """Old → new place, by the section names a reader sees; landmark roles only when the names agree."""
    before, after = _path(old, labelled_only=True), _path(new, labelled_only=True)
    if before == after:
        before, after = _path(old), _path(new)
    return f"{before} → {after}"


# --------------------------------------------------------------------------- helpers


def _entry(entry: str) -> tuple[str, str]:
    match = _CONTEXT_ENTRY.match(entry.strip())
    if match is None:
        return entry, ""
    return match.group("kind"), match.group("label") or ""


def _aria(snapshot: str) -> str:
    lines = normalize.visible(snapshot).splitlines()
    return _DIGITS.sub("0", "\n".join(_INNER_SPACES.sub(" ", line).rstrip() for line in lines))


def _q(text: str | None) -> str:
    return f'"{text}"' if text is not None else "nothing"


def _destination(url: str) -> tuple[str, str, str]:
    """Where a URL goes, for a reader: scheme, host (without www.) and path; query and fragment aside."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port is not None and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    return parts.scheme.lower(), host, parts.path.rstrip("/") or "/"


def _short(url: str | None) -> str:
    if not url:
        return "nowhere"
    _scheme, host, path = _destination(url)
    query = urlsplit(url).query
    return f"{host}{path}" + (f"?{query}" if query else "")


def _shift(old: Box | None, new: Box | None) -> int:
    if old is None or new is None:
        return 0
    return max(abs(old.x - new.x), abs(old.y - new.y), abs(old.width - new.width), abs(old.height - new.height))


def _key_of(root: Path, path: Path) -> ObservationKey | None:
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    suffix = next((s for s in (".json", ".page.png", ".target.png") if len(parts) == 4 and parts[3].endswith(s)), None)
    if suffix is None:
        return None
    return ObservationKey(parts[0], parts[1], parts[2], parts[3].removesuffix(suffix))


def _fix(root: Path, key: ObservationKey | None) -> str:
    walk = f" (RUN: the --out folder of a check that walked {'/'.join(key[:3])})" if key is not None else ""
    return f"re-accept with `optout-monitor accept RUN --snapshots {root}`{walk}"


def _missing_images(tree: Baseline, obs: Observation) -> Iterable[Problem]:
    for which, path in tree.missing_images(obs):
        yield Problem(
            path=str(path),
            message=f"missing; {obs.step}.json names it as its {which} image",
            fix=_fix(tree.root, obs.key),
            key=obs.key.path,
        )
