"""What the instructions say in one language: a `Phrases` record filled from that language's catalog.

The English here is the source wording (the msgids of monitor/locales/messages.pot); every other
language is a .po file beside it (monitor/write/catalogs.py), so a translator never edits Python. Values
are Markdown written by us and our translators; `{x}` slots are filled through `inert.md_format`,
which escapes whatever it is given that is not already `Md`. Wording rules: plain language, one
action per step, the words shown on screen in quotes, and no claim beyond what Meta's own
confirmation says (docs/instructions-checklist.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from monitor.write import catalogs


@dataclass(frozen=True)
class Phrases:
    """Everything a page says in one language."""

    locale: str
    language: str  # the language's own name, from CLDR
    open_quote: str
    close_quote: str
    title: str  # {platform}
    all_pages: str
    viewport_names: dict[str, str]
    # status: three states, worded for people
    status: str  # {states}
    state_checked: str  # {date} {viewports}
    state_checked_undated: str  # {viewports}
    state_rehearsal: str  # {date} {viewports}
    state_rehearsal_undated: str  # {viewports}
    state_documented: str  # {viewports}
    notice_documented: str
    notice_partly: str  # {viewports}
    notice_rehearsal: str
    notice_labels: dict[str, str]  # label state (labels.py) -> what the page says about its quoted words
    notice_review: str  # the catalog is a machine translation awaiting a native speaker (catalogs.awaiting_review)
    intro_checked: str
    index_states: dict[str, str]  # checked, rehearsal, documented, partly, missing, unreviewed -> the index's status
    jump: str  # {links}
    why_heading: str
    why: tuple[str, ...]  # {accounts_center} {form}
    accounts_center: str
    shortcut_heading: str
    shortcut: str  # {platform} {url}
    shortcut_unknown: str
    way_headings: dict[str, str]  # "app"/"mobile"/"desktop" -> heading
    app_notice: str  # {source}: app-steps.yaml's sentence of where the steps come from
    app_facts: str  # {link}
    verbs: dict[str, str]  # "desktop"/"mobile" kind -> click verb
    roles: dict[str, str]  # role -> noun (object case) with a trailing space
    roles_subject: dict[str, str]  # role -> noun (subject case) for alt text
    icon: str  # a control that shows no words, when the journey file does not say what it looks like
    click: str  # {verb} {what}{label}{place}
    open_site: dict[str, str]  # kind -> {site}
    consent: str  # {label}
    in_sentence: str  # {sentence}
    form: str  # {label}
    observe: str  # {what} {label}
    below_fold: str
    maybe_below_fold: str
    places: dict[str, str]  # "heading" -> {label}
    places_unlabelled: dict[str, str]  # landmark kind -> where, without its (unseen) accessible name
    positions: dict[str, str]  # measured from the box: top-left, top-right, top, left-column
    alt: str  # {what} {place}
    alt_what: str  # {role} {label}
    after_heading: str
    after_confirmed: str  # {label}
    after_not_sent: str  # {send}
    after_email: str
    after_linked: str  # {accounts_center} {other}
    after_other: str  # {platform} {link}
    help_heading: str
    help: tuple[str, ...]  # {send} {accounts_center}
    reason: str  # {sentence}
    reason_sentence: str
    report: str  # {url}
    report_unlinked: str  # the site's words for `report` when it was built without its repository's address
    report_title: str  # {platform} {language}
    ngettext: Callable[[str, str, int], str] = field(compare=False, repr=False)

    def overdue(self, days: int) -> str:
        """The index's status of a page no walk confirmed for more than `days` days (plural rules: CLDR)."""
        return self.ngettext(
            "overdue: not checked again for more than {days} day",
            "overdue: not checked again for more than {days} days",
            days,
        ).format(days=days)


def _spaced(text: str, before: bool = True) -> str:
    """A piece that follows other words: one space before it (after it, for a noun before a label)."""
    return " " + text if before else text + " "


@cache
def _load(locale: str) -> Phrases:
    tr = catalogs.translations(locale)
    _ = tr.gettext
    pgettext = tr.pgettext
    # TRANSLATORS: how your language quotes the words shown on screen, e.g. « {label} » or „{label}“.
    open_quote, _sep, close_quote = _("“{label}”").partition("{label}")
    roles = {
        # TRANSLATORS: the role nouns come before a quoted label: "Click the link “object”".
        "link": pgettext("role, object of a verb", "the link"),
        "button": pgettext("role, object of a verb", "the button"),
        "menuitem": pgettext("role, object of a verb", "the menu item"),
        "tab": pgettext("role, object of a verb", "the tab"),
        "option": pgettext("role, object of a verb", "the option"),
        "checkbox": pgettext("role, object of a verb", "the box"),
        "radio": pgettext("role, object of a verb", "the option"),
        "switch": pgettext("role, object of a verb", "the switch"),
        "heading": pgettext("role, object of a verb", "the heading"),
        "textbox": pgettext("role, object of a verb", "the field"),
        "combobox": pgettext("role, object of a verb", "the list"),
    }
    roles_subject = {
        # TRANSLATORS: the same nouns as the subject of a screenshot's description: "The link “object” (red outline)".
        "link": pgettext("role, subject", "the link"),
        "button": pgettext("role, subject", "the button"),
        "menuitem": pgettext("role, subject", "the menu item"),
        "tab": pgettext("role, subject", "the tab"),
        "option": pgettext("role, subject", "the option"),
        "checkbox": pgettext("role, subject", "the box"),
        "radio": pgettext("role, subject", "the option"),
        "switch": pgettext("role, subject", "the switch"),
        "heading": pgettext("role, subject", "the heading"),
        "textbox": pgettext("role, subject", "the field"),
        "combobox": pgettext("role, subject", "the list"),
    }
    return Phrases(
        locale=locale,
        language=catalogs.language_name(locale),
        open_quote=open_quote,
        close_quote=close_quote,
        title=_("{platform}: object to Meta using your data for AI"),
        all_pages=_("All instructions"),
        viewport_names={"desktop": pgettext("viewport", "computer"), "mobile": pgettext("viewport", "phone")},
        status=_("**Status:** {states}."),
        state_checked=_("checked on the real site on {date} ({viewports})"),
        state_checked_undated=_("checked on the real site, date not recorded ({viewports})"),
        state_rehearsal=_(
            "rehearsal only ({viewports}): a test run on a copy of Meta’s pages on {date}, not a check of the real site"
        ),
        state_rehearsal_undated=_(
            "rehearsal only ({viewports}): a test run on a copy of Meta’s pages, not a check of the real site"
        ),
        state_documented=_("not yet checked ({viewports}): the steps come from public guides"),
        notice_documented=_(
            "**Not yet checked by the monitor.** These steps quote the words documented in public guides in "
            "2025. The monitor has not yet walked the real site with a logged-in account, so a word may have "
            "changed since, and there are no screenshots yet."
        ),
        notice_partly=_(
            "**The {viewports} steps are not yet checked by the monitor**: they quote the words documented "
            "in public guides in 2025 and have no screenshots."
        ),
        notice_rehearsal=_(
            "**Rehearsal, not a check.** These steps and screenshots come from a test run of the monitor on a "
            "copy of Meta’s pages. They show what the instructions will look like; nobody checked them on the "
            "real Facebook or Instagram."
        ),
        notice_labels={
            "missing": _(
                "**The words on screen are not yet all known in this language.** Nobody has recorded yet what "
                "some of Meta’s buttons and links say in this language, so these steps quote them in English: "
                "on your screen they are translated. Look for the word in the same place."
            ),
            "unreviewed": _(
                "**The quoted words were learned from the page, not yet checked by a person.** The monitor "
                "read them off Meta’s pages itself; nobody has confirmed them yet."
            ),
        },
        notice_review=_(
            "**This translation awaits a native speaker’s review.** The project wrote it with machine "
            "translation; if a sentence reads wrong, please tell us (link below)."
        ),
        intro_checked=_(
            "The steps quote Meta’s pages word for word, as the monitor last saw them; the screenshots show "
            "where to click."
        ),
        index_states={
            "checked": _("checked on the real site"),
            "rehearsal": _("rehearsal only: a test run on a copy of Meta’s pages"),
            "documented": _("not yet checked: steps from public guides, no screenshots"),
            "partly": _("partly checked ({viewports}: not yet)"),
            "missing": _("not yet checked: the words on screen are not yet known in this language"),
            "unreviewed": _("words learned from the page, not yet checked by a person"),
        },
        jump=_("**Jump to:** {links}"),
        why_heading=_("Why it matters"),
        why=(
            _(
                "**Doing nothing counts as consent.** Since 27 May 2025 Meta uses the public posts, photos and "
                "comments of adults in the EU to train its AI."
            ),
            _(
                "**What an objection covers:** your public posts, photos and comments. Private messages are not part of it."
            ),
            _(
                "**It counts from when you send it.** Meta’s confirmation says that your objection will be "
                "honoured from then on; it does not promise more."
            ),
            _("**Even if you never post anything**, you can appear in other people’s photos and posts."),
            _(
                "**No account?** You can object too: Meta has a [separate form]({form}) for people without a "
                "Facebook or Instagram account whose information appears in other people’s posts."
            ),
            _(
                "**One objection is enough for linked accounts:** it covers every account linked in "
                "{accounts_center}. An account that is not linked there needs its own objection."
            ),
        ),
        accounts_center=_("Accounts Center"),
        shortcut_heading=_("Shortcut"),
        shortcut=_(
            "Logged in to {platform}? [Open the objection form directly]({url}). If the link does not open "
            "the form, follow the steps below."
        ),
        shortcut_unknown=_("The monitor could not confirm the form’s address this time: follow the steps below."),
        way_headings={"app": _("In the app"), "mobile": _("On a phone"), "desktop": _("On a computer")},
        # TRANSLATORS: {source} is a whole sentence from app-steps.yaml, in your language: where the app steps
        # come from and when. Keep it where the sentence about the source stands, followed by a space.
        app_notice=_(
            "**Reported by guides, not checked by the monitor.** The monitor only walks the websites and never "
            "opens the apps. {source} The guides describe the same steps on Android and iPhone. If a word on "
            "your screen differs, look for the closest one, or use the steps for your phone’s browser below."
        ),
        app_facts=_spaced(_("[The documented facts]({link}).")),
        verbs={"desktop": _("Click"), "mobile": _("Tap")},
        roles={k: _spaced(v, before=False) for k, v in roles.items()},
        roles_subject={k: _spaced(v, before=False) for k, v in roles_subject.items()},
        # TRANSLATORS: a button that shows a picture and no words, when nobody wrote down which picture:
        # "Tap the icon at the top right of the screen".
        icon=pgettext("a control without words", "the icon"),
        # TRANSLATORS: a step: {verb} is "Click"/"Tap", {what} a role noun ("the link "), {label} the quoted
        # words on screen, {place} where they are (" under the heading “Privacy”"), each possibly empty.
        click=_("{verb} {what}{label}{place}."),
        open_site={
            "desktop": _("Open {site} and log in."),
            "mobile": _("Open {site} in your phone’s browser and log in."),
        },
        consent=_("If a cookie dialog appears, choose {label}."),
        in_sentence=_spaced(_("It is in the sentence {sentence}")),
        form=_("The form {label} opens. Check that the e-mail address shown is yours; the text box is optional."),
        observe=_("You see {what}{label}."),
        below_fold=_spaced(_("The button is below the first screen: scroll down to find it.")),
        maybe_below_fold=_spaced(_("On some phones the button is further down: scroll down if you do not see it.")),
        places={"heading": _spaced(_("under the heading {label}"))},
        places_unlabelled={
            "dialog": _spaced(_("in the window that opens")),
            "alertdialog": _spaced(_("in the window that opens")),
            "menu": _spaced(_("in the menu that opens")),
            "banner": _spaced(_("in the bar at the top of the page")),
            "contentinfo": _spaced(_("at the bottom of the page")),
        },
        positions={
            "top-left": _spaced(_("at the top left of the screen")),
            "top-right": _spaced(_("at the top right of the screen")),
            "top": _spaced(_("at the top of the screen")),
            "left-column": _spaced(_("in the column on the left")),
        },
        alt=_("Screenshot: {what}{place}"),
        alt_what=_("{role}{label} (red outline)"),
        after_heading=_("After you send the form"),
        after_confirmed=_("The page shows {label}: Meta says your objection will be honoured from now on."),
        after_not_sent=_spaced(
            _("(The monitor never presses {send} on the real site: this wording comes from public reports.)")
        ),
        after_email=_("A confirmation e-mail follows. Keep it as proof."),
        after_linked=_(
            "The objection covers every account linked in {accounts_center}. For an account that is not "
            "linked there, object separately{other}."
        ),
        # TRANSLATORS: ends the sentence above ("…object separately{other}.") when there is another platform.
        after_other=_(": see the [instructions for {platform}]({link})"),
        help_heading=_("If something goes wrong"),
        help=(
            _(
                "**No confirmation e-mail?** Wait a few hours and look in your spam or junk folder. Your "
                "objection may still have been registered: the page that appeared after {send} is Meta’s "
                "confirmation."
            ),
            _(
                "**Asked to log in again?** This is normal when you open the form from a link in an e-mail. "
                "Log in, then open the link again."
            ),
            _(
                "**The form asks for a code?** In 2024 Meta sent a one-time code by e-mail before it accepted an "
                "objection. Look for that e-mail (spam too) and type the code in within an hour."
            ),
            _(
                "**The form or a step looks different?** Look for the closest words on your screen, or try "
                "another way in: the app, your phone’s browser or a computer. Then tell us (link below)."
            ),
            _(
                "**Accounts not linked in {accounts_center}?** One objection covers only the accounts linked "
                "there. Send a separate objection from each account that is not linked."
            ),
        ),
        reason=_("**What to write in the optional text box**, if you want to: {sentence}"),
        reason_sentence=_(
            "“I object to the use of my information, including my posts, photos and comments, for developing "
            "and improving AI at Meta.”"
        ),
        report=_(
            "**A step looks different? [Tell us]({url})**: the link opens a pre-filled report on GitHub (you "
            "need a free account). Please leave out your name, e-mail address and screenshots that show them."
        ),
        report_unlinked=_(
            "**A step looks different?** Please tell the people who publish this site. This copy was built "
            "without its project’s address, so it cannot link to the report form."
        ),
        report_title=_("{platform} ({language}): a step looks different"),
        ngettext=tr.ngettext,
    )


def phrases(locale: str) -> Phrases:
    """The phrases of a locale (its primary tag) from its catalog; English words where it has none."""
    return _load(catalogs.primary(locale))
