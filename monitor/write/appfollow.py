"""One truth per page: an app step follows the website when the website's words change.

An app step that shows the same thing as a step of the web journey (`web_step:` in app-steps.yaml)
quotes the word the 2025 guides documented. When the accepted walk of a language shows other words
for that web step, a page would tell people to tap “object” in the app and “Oppose” in the browser.
The monitor never opens the apps, so it cannot know what they say; Meta words its apps and websites
alike, so the app step quotes the website's words instead, and a notice on the step says that the app
was not checked. `update` and the pull request list every app step that follows so.

The word an app step quotes is found by the journey file's documented names of its web step, inside
quotation marks; the website's word is what the walk shows on screen (a phone's walk first: the apps
are on phones), never an accessible name nobody sees. Pure: no disk, no browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from monitor import store
from monitor.config import Config, Journey
from monitor.guard.inert import Md, clean
from monitor.guard.inert import md_format as _t
from monitor.judge.shown import shown_label
from monitor.model import Change
from monitor.write import catalogs, journeywords, languages
from monitor.write.app_steps import AppGuide
from monitor.write.page import page_journey
from monitor.write.phrases import Phrases
from monitor.write.phrasing import quote_label
from monitor.write.steps import ViewportSteps, viewport_steps

_OPEN = '“„«‘‹"'
_CLOSE = '”“»’›"'
_APOSTROPHES = "'’ʼ‘"


@dataclass(frozen=True)
class Followed:
    """An app step that quotes the website's words instead of the guides': which step, and both words."""

    site: str
    locale: str
    number: int  # the app step, from 1
    web_step: str  # the id of the journey step it shows the same thing as
    old: str  # the word the guides documented (quoted in app-steps.yaml)
    new: str  # the word the accepted walk shows on the website ("" when the step itself changed)
    # "word": the app step quotes the website's new word; "step": the website no longer needs the step,
    # or no longer shows it where the app step says it is (the quoted place): the step keeps its words
    # and says the website changed there
    kind: str = "word"


def notice(locale: str) -> str:
    """The sentence after an app step that follows the website, in the page's language ({label}: the word)."""
    _ = catalogs.translations(locale).gettext
    # TRANSLATORS: after a step in the app whose quoted word was replaced by the website's new word {label}:
    # nobody opened the app to see it. {label} comes with your language's quotation marks.
    return _("**The website now says {label}.** The app probably does too, but it has not been checked.")


def changed_notice(locale: str) -> str:
    """The sentence after an app step whose web step the website no longer needs, or shows elsewhere."""
    _ = catalogs.translations(locale).gettext
    # TRANSLATORS: after a step in the app whose matching step on the website was removed or moved:
    # nobody opened the app to see whether it changed too.
    return _(
        "**This step is different on the website now.** The app may have changed too, but it has not been checked."
    )


def _loose(name: str) -> str:
    """A pattern for a documented name: any apostrophe for an apostrophe, any spaces for a space."""
    parts = []
    for ch in " ".join(clean(name).split()):
        if ch in _APOSTROPHES:
            parts.append(f"[{_APOSTROPHES}]")
        elif ch == " ":
            parts.append(r"\s+")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def quoted(text: str, names: Sequence[str]) -> re.Match[str] | None:
    """Where an app step quotes one of the documented names (the quotation marks included), or None."""
    for name in names:
        if not clean(name):
            continue
        pattern = rf"[{_OPEN}]\s*(?P<word>{_loose(name)})\s*[{_CLOSE}]"
        found = re.search(pattern, text, re.IGNORECASE)
        if found is not None:
            return found
    return None


def web_words(vps: Sequence[ViewportSteps]) -> dict[str, str]:
    """Per web step, the words its accepted walk shows on screen: a phone's walk first, then a computer's."""
    words: dict[str, str] = {}
    for vp in sorted(vps, key=lambda v: v.kind != "mobile"):
        if not vp.verified:
            continue
        for seen in vp.seen:
            shown = shown_label(seen.obs)
            if shown and seen.step.id not in words:
                words[seen.step.id] = shown
    return words


def step_changed(journey: Journey, vps: Sequence[ViewportSteps], step_id: str, locale: str, text: str) -> bool:
    """The website no longer needs the step (the first verified walk that has it, a phone's first), or
    no longer shows its target under the place the app step quotes from the journey file's `hint:`
    (e.g. under “More info and support”)."""
    step = next((s for s in journey.steps if s.id == step_id), None)
    if step is None:
        return False
    for vp in sorted(vps, key=lambda v: v.kind != "mobile"):
        if not vp.verified:
            continue
        if step_id in vp.removed:
            return True
        seen = next((x for x in vp.seen if x.step.id == step_id), None)
        if seen is None or seen.obs is None:
            continue
        hint = journeywords.hint(step, locale) or ""  # the place as the page says it, in its language
        place = journeywords.quotations(hint) & journeywords.quotations(text)  # where the app step quotes it
        return bool(place) and not place & journeywords.place_words(seen.obs)
    return False


def _names(journey: Journey, step_id: str, locale: str) -> list[str]:
    step = next((s for s in journey.steps if s.id == step_id), None)
    if step is None or step.target is None or step.looks:  # an icon: the app step quotes no word of it
        return []
    spec = step.target
    return spec.name.get(locale) or spec.name.get(catalogs.primary(locale)) or spec.names(locale)


def app_steps(
    config: Config, site: str, locale: str, apps: AppGuide, vps: Sequence[ViewportSteps]
) -> list[tuple[str, Followed | None]]:
    """The platform's app steps in a locale (our Markdown), each with what it follows of the website, if anything."""
    texts = apps.steps(site, locale) or []
    journey = page_journey(config, site)
    words = web_words(vps)
    out: list[tuple[str, Followed | None]] = []
    for number, (step, text) in enumerate(zip(apps.platforms[site].steps, texts, strict=True), start=1):
        web = step.web_step
        if journey is not None and web is not None and step_changed(journey, vps, web, locale, text):
            out.append((text, Followed(site, locale, number, web, "", "", kind="step")))
            continue
        new = words.get(web) if web is not None else None
        found = quoted(text, _names(journey, web, locale)) if journey is not None and web and new else None
        if (
            web is None
            or new is None
            or found is None
            or journeywords.normal(found.group("word")) == journeywords.normal(new)
        ):
            out.append((text, None))
            continue
        out.append((text, Followed(site, locale, number, web, clean(found.group("word")), new)))
    return out


def step_line(ph: Phrases, text: str, followed: Followed | None) -> Md:
    """An app step as the page says it: as documented, or quoting the website's word, with the notice."""
    if followed is None:
        return Md.trusted(text)  # our own data file's Markdown
    if followed.kind == "step":
        return Md.trusted(text) + Md.trusted(" ") + _t(changed_notice(ph.locale))
    found = quoted(text, [followed.old])
    assert found is not None
    before, after = Md.trusted(text[: found.start()]), Md.trusted(text[found.end() :])
    word = quote_label(ph, followed.new)
    return before + word + after + Md.trusted(" ") + _t(notice(ph.locale), label=word)


def followed(
    config: Config, baseline: store.Tree | None, apps: AppGuide | None, site: str, locales: Sequence[str]
) -> list[Followed]:
    """Every app step of a platform that follows the website in these locales, for `update` and the PR."""
    journey = page_journey(config, site)
    if apps is None or journey is None or site not in apps.platforms or baseline is None:
        return []
    names = apps.platforms[site].source.sentence
    out: list[Followed] = []
    for locale in locales:
        if not (names.get(locale) or names.get(catalogs.primary(locale))):
            continue  # no app section in this language (wording._app_section)
        vps = viewport_steps(config, journey, locale, baseline)
        out += [f for _text, f in app_steps(config, site, locale, apps, vps) if f is not None]
    return out


def for_changes(
    config: Config, baseline: store.Tree | None, apps: AppGuide | None, changes: Iterable[Change]
) -> list[Followed]:
    """The app steps that follow a web step these changes changed (on the pages' journeys): what an
    update changed in the app sections, per platform, in the pages' locale order (English first)."""
    changed: set[tuple[str, str, str]] = set()
    for change in changes:
        journey = page_journey(config, change.site)
        if journey is not None and change.journey == journey.id:
            changed.add((change.site, change.locale, change.step))
    out: list[Followed] = []
    for site in sorted({site for site, _locale, _step in changed}):
        locales = [
            loc for loc in languages.page_locales(config) if any(s == site and lo == loc for s, lo, _ in changed)
        ]
        out += [f for f in followed(config, baseline, apps, site, locales) if (site, f.locale, f.web_step) in changed]
    return out
