"""How a step is phrased: one numbered line per step, the words on screen quoted, where to look, its picture.

In the page's language (phrases.py). Scraped text is escaped here (`inert`), so only `Md` reaches a
template.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from urllib.parse import urlsplit

from monitor import store
from monitor.config import Config, Step
from monitor.guard.inert import Md, clean, md_relative, md_text, md_url, shorten
from monitor.guard.inert import md_format as _t  # our phrase with values filled in; non-Md values escaped
from monitor.model import Observation
from monitor.write import catalogs, journeywords
from monitor.write.page import ImageRef, StepLine, fold_height, screen_position, site_domains
from monitor.write.phrases import Phrases
from monitor.write.pictures import image_relpath, image_source
from monitor.write.steps import Seen, ViewportSteps


def quote_label(ph: Phrases, label: str) -> Md:
    """A label as the locale quotes it: “x”, « x », „x“. The label itself is escaped."""
    return Md.trusted(ph.open_quote) + md_text(label) + Md.trusted(ph.close_quote)


def format_date(ph: Phrases, day: date) -> str:
    return catalogs.long_date(ph.locale, day)


_CONTEXT_ENTRY = re.compile(r'^(?P<kind>[\w-]+)(?: "(?P<label>.*)")?$')
_HEADING_KIND = re.compile(r"^h[1-6]$")


def describe_place(ph: Phrases, context: Sequence[str], label: str = "") -> Md:
    """Where the target sits, in words seen on screen (" under the heading “Generative AI”"), from the
    captured context (landmarks and headings above it, outermost first): the innermost heading, else
    an unlabelled description of the innermost landmark ("in the window that opens"). A landmark's
    own label is an accessible name nobody sees ("Main navigation"), so it is never quoted."""
    entries: list[tuple[str, str]] = []
    for raw in context:
        m = _CONTEXT_ENTRY.match(clean(raw))
        if m is not None:
            entries.append((m.group("kind"), clean(m.group("label") or "")))
    same = clean(label).casefold()
    for kind, text in reversed(entries):
        if _HEADING_KIND.match(kind) and text and text.casefold() != same:
            return _t(ph.places["heading"], label=quote_label(ph, text))
    for kind, _text in reversed(entries):
        if kind in ph.places_unlabelled:
            return Md.trusted(ph.places_unlabelled[kind])
    return Md.trusted("")


def _role_noun(ph: Phrases, role: str, subject: bool = False) -> Md:
    table = ph.roles_subject if subject and ph.roles_subject else ph.roles
    return Md.trusted(table.get(role, ""))


def _below_fold(config: Config, viewport: str, obs: Observation | None) -> bool | None:
    """True/False when the captured target sits below/above the first screen; None when unknown."""
    if obs is None or obs.target is None or obs.target.box is None:
        return None
    return obs.target.box.y > fold_height(config, viewport)


def _site_link(config: Config, site: str, step: Step) -> Md:
    assert step.goto is not None
    host = (urlsplit(step.goto).hostname or "").removeprefix("www.")
    url = md_url(step.goto, site_domains(config, site))
    if url is None:
        return md_text(host)
    return Md.trusted("[") + md_text(host) + Md.trusted("](") + url + Md.trusted(")")


def _what_and_label(ph: Phrases, seen: Seen, subject: bool = False) -> tuple[Md, Md]:
    """How a step names its target: the role and the words shown on screen in quotes; for an icon
    without words, what it looks like (from the journey file), never its unseen accessible name."""
    if not seen.shown:
        return Md.trusted(""), md_text(seen.looks) if seen.looks else Md.trusted(ph.icon)
    return _role_noun(ph, seen.role, subject), quote_label(ph, seen.label)


def _alt(ph: Phrases, seen: Seen, place: Md) -> Md:
    role, label = _what_and_label(ph, seen, subject=True)
    what = _t(ph.alt_what, role=role, label=label)
    text = _t(ph.alt, what=what, place=place)
    return Md.trusted(text[:1].upper()) + Md.trusted(text[1:])


def _where(config: Config, ph: Phrases, locale: str, vp: ViewportSteps, seen: Seen) -> Md:
    """Where to look, in words seen on screen: the heading above the target and its position measured
    on that viewport when the walk captured them, else the journey file's documented context."""
    obs = seen.obs if vp.verified else None
    target = obs.target if obs is not None else None
    if target is not None:
        place = describe_place(ph, target.context, seen.label)
        heading = place and any(_HEADING_KIND.match(c.split(" ", 1)[0]) for c in target.context)
        position = screen_position(config, vp.name, target.box)
        if heading:
            return place
        if position is not None:
            return Md.trusted(ph.positions[position])
        documented = journeywords.hint(seen.step, locale)
        if documented and journeywords.hint_holds(documented, obs):  # a place the walk no longer shows: not said
            return Md.trusted(" ") + md_text(documented)
        return place
    documented = journeywords.hint(seen.step, locale)
    return Md.trusted(" ") + md_text(documented) if documented else Md.trusted("")


def step_lines(
    config: Config,
    ph: Phrases,
    site: str,
    locale: str,
    vp: ViewportSteps,
    tree: store.Tree | None,
    image_dir_rel: str,
) -> list[StepLine]:
    """The numbered steps of one viewport."""
    lines: list[StepLine] = []
    verb = Md.trusted(ph.verbs.get(vp.kind, ph.verbs["desktop"]))

    def add(text: Md, image: ImageRef | None = None) -> None:
        lines.append(StepLine(len(lines) + 1, text, image))

    for seen in vp.seen:
        label = quote_label(ph, seen.label)
        obs = seen.obs if vp.verified else None
        if obs is not None and obs.hop is not None:
            hop_what = _role_noun(ph, obs.hop.role)
            hop_label = quote_label(ph, obs.hop.name)
            add(_t(ph.click, verb=verb, what=hop_what, label=hop_label, place=Md("")))
        if seen.kind == "goto":
            add(_t(ph.open_site.get(vp.kind, ph.open_site["desktop"]), site=_site_link(config, site, seen.step)))
        elif seen.kind == "consent":
            add(_t(ph.consent, label=label), _image(config, ph, site, locale, vp, seen, tree, image_dir_rel, Md("")))
        elif seen.kind in ("click", "submit"):
            place = _where(config, ph, locale, vp, seen)
            what, shown = _what_and_label(ph, seen)
            text = _t(ph.click, verb=verb, what=what, label=shown, place=place)
            if seen.step.tracked and obs is not None and obs.target is not None and seen.role == "link":
                sentence = clean(obs.target.sentence)
                if sentence and sentence.casefold() != seen.label.casefold():
                    text = text + _t(ph.in_sentence, sentence=_quoted_sentence(ph, sentence, seen.label))
            if seen.kind == "submit":
                text = text + _fold_note(config, ph, vp, seen)
            add(text, _image(config, ph, site, locale, vp, seen, tree, image_dir_rel, place))
        elif seen.kind == "form":
            add(_t(ph.form, label=label))
        elif seen.kind == "observe":
            add(_t(ph.observe, what=_role_noun(ph, seen.role), label=label))
    return lines


def _quoted_sentence(ph: Phrases, sentence: str, label: str, limit: int = 240) -> Md:
    """The sentence around the link, quoted, the link's words in bold; our full stop goes after the quote."""
    text = shorten(sentence, limit).rstrip(". ")
    at = text.find(label)
    if label and at >= 0 and label[0].isalnum() and label[-1].isalnum():
        body = (
            _piece(text[:at]) + Md.trusted("**") + md_text(label) + Md.trusted("**") + _piece(text[at + len(label) :])
        )
    else:
        body = md_text(text)
    return Md.trusted(ph.open_quote) + body + Md.trusted(ph.close_quote + ".")


def _piece(text: str) -> Md:
    """Part of a sentence, escaped, keeping the single spaces at its ends."""
    lead = " " if text.startswith(" ") else ""
    trail = " " if text.endswith(" ") and text.strip() else ""
    return Md.trusted(lead) + md_text(text) + Md.trusted(trail)


def _fold_note(config: Config, ph: Phrases, vp: ViewportSteps, seen: Seen) -> Md:
    below = _below_fold(config, vp.name, seen.obs if vp.verified else None)
    if below:
        return Md.trusted(ph.below_fold)
    if below is None and vp.kind == "mobile":
        return Md.trusted(ph.maybe_below_fold)
    return Md.trusted("")


def _image(
    config: Config,
    ph: Phrases,
    site: str,
    locale: str,
    vp: ViewportSteps,
    seen: Seen,
    tree: store.Tree | None,
    image_dir_rel: str,
    place: Md,
) -> ImageRef | None:
    if not vp.verified or image_source(tree, seen.obs) is None:
        return None
    src = md_relative(f"{image_dir_rel.rstrip('/')}/{image_relpath(site, locale, vp.name, seen.step.id)}")
    return ImageRef(_alt(ph, seen, place), src)
