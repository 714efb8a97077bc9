"""What a follower reads about a change: short sentences from the catalogs, in the reader's language.

A change group (groups.py) becomes a `Story`: a title and one sentence per fact (what changed, on
which devices when only on some, when it was seen, which instructions were updated). Every sentence
is a catalog message (monitor/locales/…/messages.po) per kind of change: reworded, a link that
became a button, moved, retargeted, a step added or removed, the path broken or back, a first walk.
Nothing a follower reads names a step id, a verdict or a viewport; a device is "phones" or
"computers", a page is linked by its title. Pure: the same group and language give the same story.

The feeds, CHANGELOG.md, the site's changelog and the pull request's "What followers will read"
all render the same `Story` (as text, HTML or Markdown); scraped words are escaped in each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from babel import Locale
from markupsafe import Markup, escape

from monitor.guard.inert import Md, md_format, md_text
from monitor.judge import groups
from monitor.judge.groups import Group
from monitor.model import ChangelogEntry
from monitor.write import catalogs
from monitor.write.phrases import phrases

QUOTE_LIMIT = 80
# The kinds of change a follower is told about, by the entry's verdict.
BROKEN = ("target-gone", "blocked")


def N_(message: str) -> str:
    """Marks an English catalog sentence for extraction; translated where it is used."""
    return message


# TRANSLATORS: sentences a follower of the feeds reads about one change. “{label}”, “{old}”, “{new}”,
# “{place}” and “{hop}” are words shown on Meta's page: keep the quotes of your language around them.
SENTENCES = {
    "reworded": N_("“{old}” now reads “{new}”."),
    "sentence": N_("The sentence around “{label}” was rewritten."),
    "to-button": N_("“{label}” is now a button, no longer a link."),
    "to-link": N_("“{label}” is now a link, no longer a button."),
    "role": N_("“{label}” is now a different kind of control."),
    "moved": N_("“{label}” is now under “{place}”."),
    "moved-somewhere": N_("“{label}” moved to another place on the page."),
    "retargeted": N_("“{label}” now leads to a new address: {url}"),
    "retargeted-somewhere": N_("“{label}” now leads somewhere else."),
    "step-added": N_("One more step is needed: first “{hop}”, then “{label}”."),
    "step-added-somewhere": N_("One more step is needed before “{label}”."),
    "step-removed": N_("The step “{label}” is no longer needed."),
    "gone": N_("“{label}” is no longer on its page."),
    "blocked": N_("The monitor could not reach the page with “{label}”."),
    "broken": N_("The instructions may not work until this is fixed."),
    "back": N_("“{label}” is back on its page."),
    "works": N_("The way to the form works again."),
    "first": N_("The way to the form was checked step by step for the first time."),
    "first-named": N_("The steps up to “{label}” were checked for the first time."),
    "cosmetic": N_("The page looks a little different, but the instructions still hold."),
    "unnamed": N_("A step on the way to the form changed."),
    "phones": N_("This change is on phones only."),
    "computers": N_("This change is on computers only."),
    "seen": N_("Seen on {date}."),
    "updated": N_("The instructions were updated to match."),
    "title": N_("{platform}: {what}"),
    "in-language": N_("{language}: {sentence}"),
}
# The feeds' own names, for a feed in one language.
FEED_TITLE = N_("optout-monitor: changes on the way to object to Meta’s AI training")
FEED_TITLE_PLATFORM = N_("optout-monitor: changes on the way to object to Meta’s AI training on {platform}")
FEED_DESCRIPTION = N_(
    "Each time Meta rewords or moves a step on the way to the objection form, and how the instructions followed."
)
FEED_EXPLAINED = N_("A feed tells you in your feed reader each time these instructions change.")


def translate(locale: str, message: str) -> str:
    """One of the sentences above in a language (the English when its catalog lacks it)."""
    return catalogs.translations(locale).gettext(message)


@dataclass(frozen=True)
class Sentence:
    """A catalog sentence with its values: our words in the pattern, scraped words in `values`.
    A value named in `links` becomes a link to that address."""

    pattern: str
    values: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        def one(key: str, value: str) -> str:
            href = self.links.get(key)
            return f"{value} <{href}>" if href else value

        return self.pattern.format(**{k: one(k, v) for k, v in self.values.items()})

    def html(self) -> Markup:
        def one(key: str, value: str) -> Markup:
            href = self.links.get(key)
            return Markup('<a href="{}">{}</a>').format(href, value) if href else escape(value)

        # our pattern is text too: escaped, then filled with escaped values
        return Markup(str(escape(self.pattern))).format(**{k: one(k, v) for k, v in self.values.items()})

    def markdown(self) -> Md:
        def one(key: str, value: str) -> Md:
            href = self.links.get(key)
            return Md(f"[{md_text(value)}](<{href}>)") if href else md_text(value)

        return md_format(self.pattern, **{k: one(k, v) for k, v in self.values.items()})


@dataclass(frozen=True)
class Story:
    """A change as one language's followers read it."""

    locale: str
    title: str
    sentences: tuple[Sentence, ...]

    def text(self) -> str:
        return "\n".join(s.text() for s in self.sentences)

    def html(self) -> str:
        return str(Markup("").join(Markup("<p>{}</p>").format(s.html()) for s in self.sentences))

    def markdown(self) -> list[Md]:
        return [s.markdown() for s in self.sentences]


def _clean(text: str | None) -> str:
    one = " ".join((text or "").split())
    return one if len(one) <= QUOTE_LIMIT else one[: QUOTE_LIMIT - 1].rstrip() + "…"


def _label(entry: ChangelogEntry) -> str:
    return _clean(entry.label or entry.new_text or entry.old_text)


def what_changed(entry: ChangelogEntry, locale: str) -> list[Sentence]:
    """The sentences that say what changed in one entry, in `locale`'s words."""

    def say(key: str, **values: str) -> Sentence:
        return Sentence(translate(locale, SENTENCES[key]), values)

    verdict, label = entry.verdict, _label(entry)
    old, new = _clean(entry.old_text), _clean(entry.new_text)
    if verdict == "new":
        return [say("first-named", label=label) if label else say("first")]
    if verdict == "cosmetic":
        return [say("cosmetic")]
    if verdict == "reworded" and old and new and old != new:
        return [say("reworded", old=old, new=new)]
    if not label:
        return [say("unnamed")]
    if verdict == "reworded":
        role = (entry.old_role or "", entry.new_role or "")
        if role[0] != role[1]:
            kind = {"button": "to-button", "link": "to-link"}.get(role[1], "role")
            return [say(kind, label=label)]
        return [say("sentence", label=label)]
    if verdict == "moved":
        place = _clean(groups.place_words(entry.new_place[-1])) if entry.new_place else ""
        return [say("moved", label=label, place=place) if place else say("moved-somewhere", label=label)]
    if verdict == "retargeted":
        url = _clean(entry.new_leads_to)
        return [say("retargeted", label=label, url=url) if url else say("retargeted-somewhere", label=label)]
    if verdict == "step-added":
        hop = _clean(entry.hop)
        return [say("step-added", label=label, hop=hop) if hop else say("step-added-somewhere", label=label)]
    if verdict == "step-removed":
        return [say("step-removed", label=label)]
    if verdict in BROKEN:
        return [say("gone" if verdict == "target-gone" else "blocked", label=label), say("broken")]
    if verdict == "appeared":
        return [say("back", label=label), say("works")]
    return [say("unnamed")]


def devices(viewports: Sequence[str], locale: str) -> list[Sentence]:
    """ "On phones only" / "on computers only" when the change was not seen on both."""
    kinds = {groups.viewport_kind(v) for v in viewports}
    if kinds == {"phone"}:
        return [Sentence(translate(locale, SENTENCES["phones"]))]
    if kinds == {"computer"}:
        return [Sentence(translate(locale, SENTENCES["computers"]))]
    return []


def page_title(page_locale: str, platform: str, reader: str) -> str:
    """An instructions page as a link names it: its title in its language, and the language's own
    name when the reader reads another ("Facebook: Widerspruch … (Deutsch)")."""
    title = phrases(page_locale).title.format(platform=groups.platform_name(platform))
    if catalogs.primary(page_locale) != catalogs.primary(reader):
        title += f" ({catalogs.language_name(page_locale)})"
    return title


def _page_locale(repo_path: str, fallback: str) -> str:
    parts = repo_path.strip("/").split("/")
    return parts[1] if len(parts) == 3 and parts[0] == "instructions" else fallback


def _language_in(locale: str, reader: str) -> str:
    """A language's name in the reader's language: "German" for English readers (CLDR)."""
    try:
        name = Locale.parse(catalogs.primary(locale)).get_display_name(catalogs.primary(reader)) or locale
    except (ValueError, LookupError):
        return locale
    return name[:1].upper() + name[1:]


def _in_language(locale: str, name: str, inner: Sentence) -> Sentence:
    """`German: “widersprechen” now reads …`: a sentence of another language's page, named."""
    pattern = translate(locale, SENTENCES["in-language"]).replace("{sentence}", inner.pattern)
    return Sentence(pattern, {"language": name, **inner.values}, inner.links)


def _shared_frame(head: Sentence) -> str:
    """The words before the first ": " of the title's sentence when they hold no value (“One more step
    is needed: ”): every language's line of the same kind starts so, and the title says it already."""
    at = head.pattern.find(": ")
    return head.pattern[: at + 2] if at > 0 and "{" not in head.pattern[:at] else ""


def _without(frame: str, sentence: Sentence) -> Sentence:
    """A language's sentence without the frame the title says (“German: first “…”, then “…”.”)."""
    if not frame or not sentence.pattern.startswith(frame) or len(sentence.pattern) == len(frame):
        return sentence
    return Sentence(sentence.pattern[len(frame) :], sentence.values, sentence.links)


def _dated(locale: str, date: str) -> Sentence:
    """ "Seen on <date>." with one full stop where the language's date ends with one ("1. 6. 2025.")."""
    pattern = translate(locale, SENTENCES["seen"])
    if date.endswith(".") and pattern.endswith("{date}."):
        pattern = pattern[:-1]
    return Sentence(pattern, {"date": date})


def _when(entry: ChangelogEntry) -> datetime:
    value = datetime.fromisoformat(entry.when)
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def pages_updated(
    members: Sequence[ChangelogEntry], locale: str, page_href: Callable[[str], str | None] | None = None
) -> list[Sentence]:
    """ "The instructions were updated to match." and the pages, each named by its title (linked
    with page_href); nothing when the entries changed no page."""
    pages = list(dict.fromkeys((p, m.platform, m.locale) for m in members for p in m.pages))
    if not pages:
        return []
    said = [Sentence(translate(locale, SENTENCES["updated"]))]
    seen: set[str] = set()
    for page, platform, entry_locale in pages:
        if page in seen:
            continue
        seen.add(page)
        title = page_title(_page_locale(page, entry_locale), platform, locale)
        href = page_href(page) if page_href else None
        said.append(Sentence("{page}", {"page": title}, {"page": href} if href else {}))
    return said


def story(
    group: Group[ChangelogEntry],
    locale: str,
    page_href: Callable[[str], str | None] | None = None,
    dated: bool = True,
    tail: bool = True,
) -> Story:
    """The follower text of a change group in `locale`: the function every follower-facing place calls.

    A group in the reader's language alone (or saying the same in every language) says its sentences
    as they are; otherwise each language's sentence follows that language's name. page_href turns an
    instructions page's repository path into a link (None: its title without a link); dated adds
    "Seen on <date>" in the language's way of writing dates. Without tail, the device line and the
    pages updated are left out (a preview of several changes says those once, not per change).
    """

    def say(key: str, **values: str) -> Sentence:
        return Sentence(translate(locale, SENTENCES[key]), values)

    platform = groups.platform_name(group.members[0].platform)
    per_locale = [
        (loc, what_changed(next(m for m in group.members if m.locale == loc), locale)) for loc in group.locales
    ]
    if len({m.journey for m in group.members}) > 1:  # a first walk of several ways to the form: no one word
        per_locale = [(loc, [say("first")]) for loc in group.locales]
    sentences: list[Sentence] = []
    same = len(per_locale) > 1 and len({tuple(s.text() for s in said) for _, said in per_locale}) == 1
    if group.locales == [locale] or same:
        sentences += per_locale[0][1]  # the reader's language only, or every language says the same
    else:  # languages that say the same are named together: “French, Italian: …”, said once
        alike: dict[tuple[str, ...], tuple[list[str], list[Sentence]]] = {}
        for member_locale, said in per_locale:
            names, _said = alike.setdefault(tuple(x.text() for x in said), ([], said))
            names.append(_language_in(member_locale, locale))
        frame = _shared_frame(per_locale[0][1][0])
        for i, (names, said) in enumerate(alike.values()):  # the first is the title's: said as it is
            first = said[0] if i == 0 else _without(frame, said[0])
            sentences += [_in_language(locale, ", ".join(names), first), *said[1:]]
    if tail:
        sentences += devices(group.viewports, locale)
    if dated:
        day = max(_when(m) for m in group.members).date()
        sentences.append(_dated(locale, catalogs.long_date(locale, day)))
    if tail:
        sentences += pages_updated(group.members, locale, page_href)
    head = per_locale[0][1][0]
    what = head.text().rstrip(".")
    title = translate(locale, SENTENCES["title"]).format(platform=platform, what=what)
    return Story(locale, title, tuple(sentences))
