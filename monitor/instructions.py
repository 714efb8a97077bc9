"""Accepted observations + templates -> the instructions people read (Markdown, per platform and language).

One page per platform × locale, `instructions/<locale>/<site>.md`, an index `instructions/README.md`,
screenshots for people under `instructions/images/<site>/<locale>/<viewport>/<step>.png` and the
dates each walk was last verified, `instructions/verified.json`.

- Labels are quoted exactly as captured (the target's accessible name, else its visible text). A
  page whose walk is not in the baseline is rendered from the labels documented in monitor.yaml,
  says so, and carries no screenshots.
- Everything the monitor read from a page passes through `inert` before it reaches a template;
  the Jinja environment refuses any value that is not `inert.Md` (see `_only_md`).
- Nothing here touches a browser or git; files are written with `store.write_atomic`, so an
  unchanged run changes no byte. Images are rewritten only when missing or stale.

See docs/decisions/0003-instructions.md.
"""

from __future__ import annotations

import argparse
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from PIL import Image, ImageDraw

from . import config as config_mod
from . import imaging, store
from .config import Config, Journey, Step
from .inert import Md, clean, md_format, md_relative, md_text, md_url, shorten
from .model import Box, Category, Change, Observation, Report, Status, Verdict

TEMPLATES = Path(__file__).parent / "templates" / "instructions"
INDEX = "README.md"
VERIFIED_FILE = "verified.json"
IMAGES = "images"

# The form each platform's tracked link opened in 2025 (docs/meta-flow.md); the shortcut of a page
# that has not been verified yet. Once verified, the shortcut is where the tracked link led.
DOCUMENTED_FORMS: dict[str, str] = {
    "facebook": "https://www.facebook.com/help/contact/712876720715583",
    "instagram": "https://help.instagram.com/contact/767264225370182",
}
# A captured destination becomes a link only on these domains (or the sites' own hosts), over https.
META_DOMAINS = ("facebook.com", "instagram.com", "meta.com")
PLATFORM_NAMES: dict[str, str] = {"facebook": "Facebook", "instagram": "Instagram"}

# The height of the first screen, in CSS pixels, for viewports given as a Playwright device (their
# sizes are not readable here without Playwright): a target below it needs scrolling on a phone.
DEVICE_FOLD: dict[str, int] = {"Pixel 7": 839, "Pixel 5": 727, "iPhone 13": 664, "iPhone 12": 664}
DEFAULT_PHONE_FOLD = 640

# Screenshots for people.
IMAGE_MAX = (900, 600)  # the largest crop, CSS pixels (= image pixels: snapshots are taken at CSS scale)
IMAGE_BUDGET = 150 * 1024  # bytes per image; met by fewer colours, then by scaling down
IMAGE_COLOURS = (128, 64, 32)
OUTLINE_WIDTH = 3
PHOTO_COLOURS = 8192  # more distinct colours than this in a crop: it holds photos

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
        Verdict.STEP_REMOVED,
        Verdict.NEW,
    }
)

SiteLocaleViewport = tuple[str, str, str]
ImageKey = tuple[str, str, str, str]  # site, locale, viewport, step


# --------------------------------------------------------------------------- phrases


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class Phrases:
    """Everything a page says in one language. Values are Markdown written by us; `{x}` slots are filled
    through `inert.md_format`, which escapes whatever it is given that is not already `Md`."""

    language: str  # the language's own name
    open_quote: str
    close_quote: str
    months: tuple[str, ...]
    date_pattern: str  # {day} {month} {year}
    title: str  # {platform}
    all_pages: str
    viewport_names: dict[str, str]
    last_verified: str  # {when}
    verified_on: str  # {date} {viewports}
    date_unknown: str
    not_verified_yet: str
    partly_verified: str  # {viewports}
    notice: str
    partly_notice: str  # {viewports}
    intro_verified: str
    why_heading: str
    why: tuple[str, ...]  # {accounts_center}
    accounts_center: str
    shortcut_heading: str
    shortcut: str  # {platform} {url}
    shortcut_unknown: str
    steps_heading: str
    steps_same: str  # heading when every viewport has the same steps
    viewport_headings: dict[str, str]  # "desktop"/"mobile" kind -> heading
    verbs: dict[str, str]  # "desktop"/"mobile" kind -> click verb
    roles: dict[str, str]  # role -> noun (object case) with a trailing space
    roles_subject: dict[str, str]  # role -> noun (subject case) for alt text
    click: str  # {verb} {what} {label} {place} {hint}
    hint: str  # {hint}
    open_site: dict[str, str]  # kind -> {site}
    consent: str  # {label}
    in_sentence: str  # {sentence}
    form: str  # {label}
    observe: str  # {what} {label}
    below_fold: str
    maybe_below_fold: str
    phone_below_fold: str  # unified list: the phone note
    places: dict[str, str]  # context kind -> {label}; "heading" for headings
    places_unlabelled: dict[str, str]
    alt: str  # {what} {place}
    alt_what: str  # {role} {label}
    after_heading: str
    after_confirmed: str  # {label}
    after_not_sent: str  # {send}
    after_email: str
    after_linked: str  # {accounts_center} {other}
    after_other: str  # {platform} {link}
    footer_verified: str
    footer_documented: str


EN = Phrases(
    language="English",
    open_quote="“",
    close_quote="”",
    months=_words("January February March April May June July August September October November December"),
    date_pattern="{day} {month} {year}",
    title="{platform}: object to Meta using your data for AI",
    all_pages="All instructions",
    viewport_names={"desktop": "desktop", "mobile": "mobile"},
    last_verified="**Last verified:** {when}",
    verified_on="{date} ({viewports})",
    date_unknown="date not recorded",
    not_verified_yet="not yet verified by the monitor",
    partly_verified="{viewports}: not yet verified by the monitor",
    notice=(
        "**Not yet verified by the monitor.** These steps quote the labels documented in public guides "
        "in 2025. The monitor has not yet walked the real site with a logged-in account, so a label may "
        "have changed since, and there are no screenshots yet."
    ),
    partly_notice=(
        "**The {viewports} steps are not yet verified by the monitor**: they quote the labels documented "
        "in public guides in 2025 and have no screenshots."
    ),
    intro_verified=(
        "The steps quote Meta’s pages word for word, as the monitor last saw them; the screenshots show where to click."
    ),
    why_heading="Why it matters",
    why=(
        "**Doing nothing counts as consent.** Since 27 May 2025 Meta uses the public posts, photos and "
        "comments of adults in the EU to train its AI. An objection stops the future use of yours.",
        "**Even if you never post anything**, you can still appear in other people’s photos and posts.",
        "**It works from the website and from the apps**, on Facebook and Instagram alike.",
        "**One objection is enough for linked accounts:** it covers every account linked in "
        "{accounts_center}. An account that is not linked there needs its own objection.",
        "**A confirmation e-mail follows** once you have sent the form.",
    ),
    accounts_center="Accounts Center",
    shortcut_heading="Shortcut",
    shortcut=(
        "Logged in to {platform}? [Open the objection form directly]({url}). If the link does not open "
        "the form, follow the steps below."
    ),
    shortcut_unknown="The monitor could not confirm the form’s address this time: follow the steps below.",
    steps_heading="Step by step",
    steps_same="Step by step (same on phone)",
    viewport_headings={"desktop": "On a computer", "mobile": "On a phone"},
    verbs={"desktop": "Click", "mobile": "Tap"},
    roles={
        "link": "the link ",
        "button": "the button ",
        "menuitem": "the menu item ",
        "tab": "the tab ",
        "option": "the option ",
        "checkbox": "the box ",
        "radio": "the option ",
        "switch": "the switch ",
        "heading": "the heading ",
        "textbox": "the field ",
        "combobox": "the list ",
    },
    roles_subject={},
    click="{verb} {what}{label}{place}{hint}.",
    hint=" ({hint})",
    open_site={
        "desktop": "Open {site} and log in.",
        "mobile": "Open {site} in your phone’s browser and log in.",
    },
    consent="If a cookie dialog appears, choose {label}.",
    in_sentence=" It is in the sentence {sentence}",
    form=("The form {label} opens. Check that the e-mail address shown is yours; the text box is optional."),
    observe="You see {what}{label}.",
    below_fold=" The button is below the first screen: scroll down to find it.",
    maybe_below_fold=" On some phones the button is further down: scroll down if you do not see it.",
    phone_below_fold=" On a phone the button is below the first screen: scroll down to find it.",
    places={
        "region": " in the {label} section",
        "article": " in the {label} section",
        "dialog": " in the {label} window",
        "alertdialog": " in the {label} window",
        "navigation": " in the {label} menu",
        "menu": " in the {label} menu",
        "complementary": " in the {label} side panel",
        "form": " in the {label} form",
        "heading": " under the heading {label}",
    },
    places_unlabelled={
        "dialog": " in the window that opens",
        "alertdialog": " in the window that opens",
        "menu": " in the menu",
        "navigation": " in the menu",
        "banner": " at the top of the page",
        "contentinfo": " at the bottom of the page",
        "complementary": " in the side column",
    },
    alt="Screenshot: {what}{place}",
    alt_what="{role}{label} (red outline)",
    after_heading="After you send the form",
    after_confirmed=(
        "The page confirms: {label}. From then on, Meta does not use your public posts, photos and "
        "comments to train its AI."
    ),
    after_not_sent=" (The monitor never presses {send} on the real site: this wording comes from public reports.)",
    after_email="A confirmation e-mail follows. Keep it as proof.",
    after_linked=(
        "The objection covers every account linked in {accounts_center}. For an account that is not "
        "linked there, object separately{other}."
    ),
    after_other=": see the [instructions for {platform}]({link})",
    footer_verified="_Generated by optout-monitor from Meta’s pages as the monitor saw them; do not edit by hand._",
    footer_documented=(
        "_Generated by optout-monitor from the labels documented in public guides; do not edit by hand._"
    ),
)

NBSP = "\u00a0"

FR = Phrases(
    language="Français",
    open_quote="«" + NBSP,
    close_quote=NBSP + "»",
    months=_words("janvier février mars avril mai juin juillet août septembre octobre novembre décembre"),
    date_pattern="{day} {month} {year}",
    title="{platform}" + NBSP + ": vous opposer à l’utilisation de vos données pour l’IA de Meta",
    all_pages="Toutes les instructions",
    viewport_names={"desktop": "ordinateur", "mobile": "mobile"},
    last_verified="**Dernière vérification" + NBSP + ":** {when}",
    verified_on="{date} ({viewports})",
    date_unknown="date non enregistrée",
    not_verified_yet="aucune (le moniteur n’a pas encore vérifié ces étapes)",
    partly_verified="{viewports}" + NBSP + ": pas encore vérifié par le moniteur",
    notice=(
        "**Pas encore vérifié par le moniteur.** Ces étapes citent les libellés documentés par des guides "
        "publics en 2025. Le moniteur n’a pas encore parcouru le vrai site avec un compte connecté"
        + NBSP
        + ": un libellé a pu changer depuis, et il n’y a pas encore de captures d’écran."
    ),
    partly_notice=(
        "**Les étapes sur {viewports} ne sont pas encore vérifiées par le moniteur**" + NBSP + ": elles citent "
        "les libellés documentés par des guides publics en 2025 et n’ont pas de captures d’écran."
    ),
    intro_verified=(
        "Les étapes citent mot pour mot les pages de Meta, telles que le moniteur les a vues la dernière "
        "fois" + NBSP + "; les captures d’écran montrent où cliquer."
    ),
    why_heading="Pourquoi c’est important",
    why=(
        "**Ne rien faire vaut consentement.** Depuis le 27" + NBSP + "mai 2025, Meta utilise les publications, "
        "photos et commentaires publics des adultes de l’UE pour entraîner son IA. Une opposition met fin "
        "à l’utilisation future des vôtres.",
        "**Même si vous ne publiez jamais rien**, vous pouvez apparaître sur les photos et dans les "
        "publications d’autres personnes.",
        "**Cela fonctionne depuis le site web comme depuis les applications**, sur Facebook comme sur Instagram.",
        "**Une seule opposition suffit pour les comptes associés**" + NBSP + ": elle couvre tous les comptes "
        "reliés dans {accounts_center}. Un compte qui n’y est pas relié demande sa propre opposition.",
        "**Un e-mail de confirmation suit** l’envoi du formulaire.",
    ),
    accounts_center="l’Espace Comptes",
    shortcut_heading="Raccourci",
    shortcut=(
        "Vous êtes connecté à {platform}" + NBSP + "? [Ouvrez directement le formulaire d’opposition]({url}). "
        "Si le lien n’ouvre pas le formulaire, suivez les étapes ci-dessous."
    ),
    shortcut_unknown=(
        "Le moniteur n’a pas pu confirmer l’adresse du formulaire cette fois-ci"
        + NBSP
        + ": suivez les étapes ci-dessous."
    ),
    steps_heading="Étape par étape",
    steps_same="Étape par étape (identique sur téléphone)",
    viewport_headings={"desktop": "Sur ordinateur", "mobile": "Sur téléphone"},
    verbs={"desktop": "Cliquez sur", "mobile": "Appuyez sur"},
    roles={
        "link": "le lien ",
        "button": "le bouton ",
        "menuitem": "l’entrée de menu ",
        "tab": "l’onglet ",
        "option": "l’option ",
        "checkbox": "la case ",
        "radio": "l’option ",
        "switch": "l’interrupteur ",
        "heading": "le titre ",
        "textbox": "le champ ",
        "combobox": "la liste ",
    },
    roles_subject={},
    click="{verb} {what}{label}{place}{hint}.",
    hint=" ({hint})",
    open_site={
        "desktop": "Ouvrez {site} et connectez-vous.",
        "mobile": "Ouvrez {site} dans le navigateur de votre téléphone et connectez-vous.",
    },
    consent="Si une fenêtre sur les cookies s’affiche, choisissez {label}.",
    in_sentence=" Le lien se trouve dans la phrase {sentence}",
    form=(
        "Le formulaire {label} s’ouvre. Vérifiez que l’adresse e-mail affichée est bien la vôtre"
        + NBSP
        + "; la zone de texte est facultative."
    ),
    observe="Vous voyez {what}{label}.",
    below_fold=" Le bouton se trouve sous le premier écran" + NBSP + ": faites défiler la page pour le trouver.",
    maybe_below_fold=(
        " Sur certains téléphones, le bouton se trouve plus bas"
        + NBSP
        + ": faites défiler la page si vous ne le voyez pas."
    ),
    phone_below_fold=(
        " Sur téléphone, le bouton se trouve sous le premier écran" + NBSP + ": faites défiler la page pour le trouver."
    ),
    places={
        "region": " dans la section {label}",
        "article": " dans la section {label}",
        "dialog": " dans la fenêtre {label}",
        "alertdialog": " dans la fenêtre {label}",
        "navigation": " dans le menu {label}",
        "menu": " dans le menu {label}",
        "complementary": " dans le panneau {label}",
        "form": " dans le formulaire {label}",
        "heading": " sous le titre {label}",
    },
    places_unlabelled={
        "dialog": " dans la fenêtre qui s’ouvre",
        "alertdialog": " dans la fenêtre qui s’ouvre",
        "menu": " dans le menu",
        "navigation": " dans le menu",
        "banner": " en haut de la page",
        "contentinfo": " en bas de la page",
        "complementary": " dans la colonne latérale",
    },
    alt="Capture d’écran" + NBSP + ": {what}{place}",
    alt_what="{role}{label} (cadre rouge)",
    after_heading="Après l’envoi",
    after_confirmed=(
        "La page confirme" + NBSP + ": {label}. À partir de là, Meta n’utilise plus vos publications, photos "
        "et commentaires publics pour entraîner son IA."
    ),
    after_not_sent=(
        " (Le moniteur n’appuie jamais sur {send} sur le vrai site"
        + NBSP
        + ": ce libellé provient de sources publiques.)"
    ),
    after_email="Un e-mail de confirmation suit. Conservez-le comme preuve.",
    after_linked=(
        "L’opposition couvre tous les comptes reliés dans {accounts_center}. Pour un compte qui n’y est pas "
        "relié, faites une opposition à part{other}."
    ),
    after_other=NBSP + ": voir les [instructions pour {platform}]({link})",
    footer_verified=(
        "_Page générée par optout-monitor à partir des pages de Meta telles que le moniteur les a vues"
        + NBSP
        + "; ne pas modifier à la main._"
    ),
    footer_documented=(
        "_Page générée par optout-monitor à partir des libellés documentés par des guides publics"
        + NBSP
        + "; ne pas modifier à la main._"
    ),
)

DE = Phrases(
    language="Deutsch",
    open_quote="„",
    close_quote="“",
    months=_words("Januar Februar März April Mai Juni Juli August September Oktober November Dezember"),
    date_pattern="{day}. {month} {year}",
    title="{platform}: Widersprich der Nutzung deiner Daten für Metas KI",
    all_pages="Alle Anleitungen",
    viewport_names={"desktop": "Desktop", "mobile": "Mobil"},
    last_verified="**Zuletzt geprüft:** {when}",
    verified_on="{date} ({viewports})",
    date_unknown="Datum nicht erfasst",
    not_verified_yet="noch nie (der Monitor hat diese Schritte noch nicht geprüft)",
    partly_verified="{viewports}: noch nicht vom Monitor geprüft",
    notice=(
        "**Noch nicht vom Monitor geprüft.** Diese Schritte zitieren die Bezeichnungen, die öffentliche "
        "Anleitungen 2025 dokumentiert haben. Der Monitor hat die echte Seite noch nicht mit einem "
        "angemeldeten Konto durchlaufen: Eine Bezeichnung kann sich inzwischen geändert haben, und es gibt "
        "noch keine Screenshots."
    ),
    partly_notice=(
        "**Die Schritte für {viewports} sind noch nicht vom Monitor geprüft**: Sie zitieren die Bezeichnungen "
        "aus öffentlichen Anleitungen von 2025 und haben keine Screenshots."
    ),
    intro_verified=(
        "Die Schritte zitieren Metas Seiten wörtlich, so wie der Monitor sie zuletzt gesehen hat; die "
        "Screenshots zeigen, wo du klicken musst."
    ),
    why_heading="Warum das wichtig ist",
    why=(
        "**Wer nichts tut, stimmt zu.** Seit dem 27. Mai 2025 nutzt Meta die öffentlichen Beiträge, Fotos "
        "und Kommentare von Erwachsenen in der EU, um seine KI zu trainieren. Mit einem Widerspruch "
        "verhinderst du, dass deine Inhalte künftig dafür verwendet werden.",
        "**Auch wenn du selbst nie etwas postest**, kannst du auf Fotos und in Beiträgen anderer zu sehen sein.",
        "**Es geht über die Website und über die Apps**, bei Facebook wie bei Instagram.",
        "**Ein Widerspruch reicht für verknüpfte Konten:** Er gilt für alle Konten, die in der "
        "{accounts_center} verknüpft sind. Ein Konto, das dort nicht verknüpft ist, braucht einen eigenen "
        "Widerspruch.",
        "**Du bekommst eine Bestätigung per E-Mail**, nachdem du das Formular gesendet hast.",
    ),
    accounts_center="Kontenübersicht",
    shortcut_heading="Abkürzung",
    shortcut=(
        "Bist du bei {platform} angemeldet? Dann [öffne das Widerspruchsformular direkt]({url}). Falls der "
        "Link das Formular nicht öffnet, folge den Schritten unten."
    ),
    shortcut_unknown="Der Monitor konnte die Adresse des Formulars diesmal nicht bestätigen: Folge den Schritten unten.",
    steps_heading="Schritt für Schritt",
    steps_same="Schritt für Schritt (auf dem Smartphone genauso)",
    viewport_headings={"desktop": "Am Computer", "mobile": "Auf dem Smartphone"},
    verbs={"desktop": "Klicke auf", "mobile": "Tippe auf"},
    roles={
        "link": "den Link ",
        "button": "die Schaltfläche ",
        "menuitem": "den Menüpunkt ",
        "tab": "den Tab ",
        "option": "die Option ",
        "checkbox": "das Kästchen ",
        "radio": "die Option ",
        "switch": "den Schalter ",
        "heading": "die Überschrift ",
        "textbox": "das Feld ",
        "combobox": "die Liste ",
    },
    roles_subject={
        "link": "der Link ",
        "button": "die Schaltfläche ",
        "menuitem": "der Menüpunkt ",
        "tab": "der Tab ",
        "option": "die Option ",
        "checkbox": "das Kästchen ",
        "radio": "die Option ",
        "switch": "der Schalter ",
        "heading": "die Überschrift ",
        "textbox": "das Feld ",
        "combobox": "die Liste ",
    },
    click="{verb} {what}{label}{place}{hint}.",
    hint=" ({hint})",
    open_site={
        "desktop": "Öffne {site} und melde dich an.",
        "mobile": "Öffne {site} im Browser deines Smartphones und melde dich an.",
    },
    consent="Wenn ein Cookie-Hinweis erscheint, wähle {label}.",
    in_sentence=" Der Link steht im Satz {sentence}",
    form=(
        "Das Formular {label} öffnet sich. Prüfe, ob die angezeigte E-Mail-Adresse deine ist; das Textfeld "
        "musst du nicht ausfüllen."
    ),
    observe="Du siehst {what}{label}.",
    below_fold=" Die Schaltfläche liegt unterhalb des ersten Bildschirms: Scrolle nach unten, um sie zu finden.",
    maybe_below_fold=(
        " Auf manchen Smartphones liegt die Schaltfläche weiter unten: Scrolle nach unten, wenn du sie nicht siehst."
    ),
    phone_below_fold=(
        " Auf dem Smartphone liegt sie unterhalb des ersten Bildschirms: Scrolle nach unten, um sie zu finden."
    ),
    places={
        "region": " im Abschnitt {label}",
        "article": " im Abschnitt {label}",
        "dialog": " im Fenster {label}",
        "alertdialog": " im Fenster {label}",
        "navigation": " im Menü {label}",
        "menu": " im Menü {label}",
        "complementary": " im Seitenbereich {label}",
        "form": " im Formular {label}",
        "heading": " unter der Überschrift {label}",
    },
    places_unlabelled={
        "dialog": " im Fenster, das sich öffnet",
        "alertdialog": " im Fenster, das sich öffnet",
        "menu": " im Menü",
        "navigation": " im Menü",
        "banner": " oben auf der Seite",
        "contentinfo": " unten auf der Seite",
        "complementary": " in der Seitenspalte",
    },
    alt="Screenshot: {what}{place}",
    alt_what="{role}{label} (roter Rahmen)",
    after_heading="Nach dem Absenden",
    after_confirmed=(
        "Die Seite bestätigt: {label}. Ab dann nutzt Meta deine öffentlichen Beiträge, Fotos und Kommentare "
        "nicht mehr, um seine KI zu trainieren."
    ),
    after_not_sent=(
        " (Der Monitor drückt auf der echten Seite nie auf {send}: Dieser Wortlaut stammt aus öffentlichen Berichten.)"
    ),
    after_email="Danach kommt eine Bestätigung per E-Mail. Heb sie als Nachweis auf.",
    after_linked=(
        "Der Widerspruch gilt für alle Konten, die in der {accounts_center} verknüpft sind. Für ein Konto, "
        "das dort nicht verknüpft ist, widersprichst du separat{other}."
    ),
    after_other=": siehe die [Anleitung für {platform}]({link})",
    footer_verified=(
        "_Von optout-monitor aus Metas Seiten erzeugt, so wie der Monitor sie gesehen hat; bitte nicht von "
        "Hand bearbeiten._"
    ),
    footer_documented=(
        "_Von optout-monitor aus den in öffentlichen Anleitungen dokumentierten Bezeichnungen erzeugt; bitte "
        "nicht von Hand bearbeiten._"
    ),
)

PHRASES: dict[str, Phrases] = {"en": EN, "fr": FR, "de": DE}


def phrases(locale: str) -> Phrases:
    """The phrase table of a locale (its primary tag), English when there is none."""
    return PHRASES.get(locale.split("-")[0], EN)


def quote_label(ph: Phrases, label: str) -> Md:
    """A label as the locale quotes it: “x”, « x », „x“. The label itself is escaped."""
    return Md.trusted(ph.open_quote) + md_text(label) + Md.trusted(ph.close_quote)


def format_date(ph: Phrases, day: date) -> str:
    return ph.date_pattern.format(day=day.day, month=ph.months[day.month - 1], year=day.year)


def _t(pattern: str, **values: str) -> Md:
    """Our phrase with values filled in; values that are not Md are escaped."""
    return md_format(pattern, **values)


# --------------------------------------------------------------------------- what a page is made of


@dataclass(frozen=True)
class PageSpec:
    site: str
    locale: str
    journey: str
    path: str  # relative to the instructions folder: "<locale>/<site>.md"


def page_journey(config: Config, site: str) -> Journey | None:
    """The logged-in journey with a tracked step of a site, `<site>-privacy-center` first."""
    candidates = [j for j in config.journeys if j.site == site and j.login and j.tracked_step is not None]
    preferred = [j for j in candidates if j.id == f"{site}-privacy-center"]
    chosen = preferred or candidates
    return chosen[0] if chosen else None


def plan_pages(config: Config) -> list[PageSpec]:
    """One page per platform with a logged-in journey, × every locale; config order."""
    pages: list[PageSpec] = []
    for site in config.sites:
        journey = page_journey(config, site)
        if journey is None:
            continue
        for locale in config.locales:
            pages.append(PageSpec(site, locale, journey.id, f"{locale}/{site}.md"))
    return pages


def platform_name(site: str) -> str:
    return PLATFORM_NAMES.get(site, site.capitalize())


def viewport_kind(config: Config, viewport: str) -> str:
    """ "mobile" for a phone (a device viewport, or one named mobile), else "desktop"."""
    spec = config.viewports.get(viewport)
    if viewport == "mobile" or (spec is not None and spec.device is not None):
        return "mobile"
    return "desktop"


def fold_height(config: Config, viewport: str) -> int:
    """The height of the first screen, CSS pixels: the config's height, else the device's (DEVICE_FOLD)."""
    spec = config.viewports.get(viewport)
    if spec is not None and spec.height is not None:
        return spec.height
    if spec is not None and spec.device is not None:
        return DEVICE_FOLD.get(spec.device, DEFAULT_PHONE_FOLD)
    return DEFAULT_PHONE_FOLD


def site_domains(config: Config, site: str) -> list[str]:
    hosts = list(config.sites[site].hosts) if site in config.sites else []
    return [*META_DOMAINS, *hosts]


# --------------------------------------------------------------------------- verified dates


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


# --------------------------------------------------------------------------- reading a walk


_CONTEXT_ENTRY = re.compile(r'^(?P<kind>[\w-]+)(?: "(?P<label>.*)")?$')
_HEADING_KIND = re.compile(r"^h[1-6]$")
_LANDMARK_PRIORITY = ("region", "article", "dialog", "alertdialog", "form", "menu", "navigation", "complementary")


def describe_place(ph: Phrases, context: Sequence[str], label: str = "") -> Md:
    """Where the target sits, as a reader would say it (" in the “Generative AI” section"), from the
    captured context (landmarks and headings above it, outermost first). The innermost labelled
    section wins, then the innermost heading, then an unlabelled landmark; "" when nothing helps."""
    entries: list[tuple[str, str]] = []
    for raw in context:
        m = _CONTEXT_ENTRY.match(clean(raw))
        if m is not None:
            entries.append((m.group("kind"), clean(m.group("label") or "")))
    same = clean(label).casefold()
    for kind, text in reversed(entries):
        if kind in _LANDMARK_PRIORITY and text and text.casefold() != same:
            return _t(ph.places[kind], label=quote_label(ph, text))
    for kind, text in reversed(entries):
        if _HEADING_KIND.match(kind) and text and text.casefold() != same:
            return _t(ph.places["heading"], label=quote_label(ph, text))
    for kind, text in reversed(entries):
        if not text and kind in ph.places_unlabelled:
            return Md.trusted(ph.places_unlabelled[kind])
    return Md.trusted("")


@dataclass(frozen=True)
class Seen:
    """One step of one viewport as the page will tell it: captured (verified) or documented."""

    step: Step
    kind: str  # goto, consent, click, submit, form, observe, after
    label: str  # exactly as captured, or the first documented name
    role: str
    obs: Observation | None  # the accepted observation, when the walk was verified


def _step_kind(journey_steps: Sequence[Step], index: int) -> str:
    step = journey_steps[index]
    before = journey_steps[:index]
    if any(s.submit for s in before):
        return "after"
    if step.goto is not None:
        return "goto"
    if step.consent is not None:
        return "consent"
    if step.submit:
        return "submit"
    if step.click is not None or step.fill is not None:
        return "click"
    if step.observe is not None and any(s.tracked for s in before):
        return "form"
    if step.observe is not None or (step.wait is not None and step.wait.target is not None):
        return "observe"
    return "skip"


def _documented_label(config: Config, site: str, step: Step, locale: str) -> str:
    if step.goto is not None:
        host = urlsplit(step.goto).hostname or step.goto
        return host.removeprefix("www.")
    if step.consent is not None:
        consent = config.sites[site].consent if site in config.sites else None
        return consent.names(locale)[0] if consent is not None else ""
    target = step.target
    return target.names(locale)[0] if target is not None else ""


def _documented_role(config: Config, site: str, step: Step) -> str:
    if step.consent is not None:
        consent = config.sites[site].consent if site in config.sites else None
        return consent.role if consent is not None else "button"
    return step.target.role if step.target is not None else ""


def captured_label(obs: Observation | None) -> str | None:
    """The label exactly as captured: the accessible name, else the visible text."""
    if obs is None or obs.target is None:
        return None
    return clean(obs.target.name) or clean(obs.target.text) or None


def walk_is_usable(observations: Sequence[Observation]) -> bool:
    return bool(observations) and all(o.status in (Status.OK, Status.SKIPPED) for o in observations)


def _seen_steps(
    config: Config, journey: Journey, locale: str, viewport: str, walk: Sequence[Observation] | None
) -> list[Seen]:
    by_step = {o.step: o for o in walk} if walk else {}
    steps = journey.steps_for(viewport)
    out: list[Seen] = []
    for index, step in enumerate(steps):
        kind = _step_kind(steps, index)
        if kind == "skip":
            continue
        obs = by_step.get(step.id)
        label = None if kind == "goto" else captured_label(obs)
        role = obs.target.role if obs is not None and obs.target is not None and obs.target.role else None
        out.append(
            Seen(
                step=step,
                kind=kind,
                label=label or _documented_label(config, journey.site, step, locale),
                role=role or _documented_role(config, journey.site, step),
                obs=obs,
            )
        )
    return out


# --------------------------------------------------------------------------- screenshots for people


def image_source(tree: store.Tree | None, obs: Observation | None) -> Path | None:
    """The page screenshot a people image is cut from, when the step has one and a target box."""
    if tree is None or obs is None or obs.target is None or obs.target.box is None:
        return None
    box = obs.target.box
    if box.width <= 0 or box.height <= 0:
        return None
    which = "target" if imaging.target_in_image(obs, "target") is not None else "page"
    path = tree.image(obs, which)
    return path if path is not None and path.is_file() else None


def crop_around(box: Box, page_width: int, page_height: int, limit: tuple[int, int] = IMAGE_MAX) -> Box:
    """At most `limit`, inside the page, the target centred across and at 40 % down."""
    width = min(limit[0], page_width)
    height = min(limit[1], page_height)
    cx = box.x + box.width / 2
    cy = box.y + box.height / 2
    left = int(min(max(0, round(cx - width / 2)), page_width - width))
    top = int(min(max(0, round(cy - height * 0.4)), page_height - height))
    return Box(x=left, y=top, width=width, height=height)


def people_image(tree: store.Tree | None, obs: Observation | None, budget: int = IMAGE_BUDGET) -> bytes | None:
    """The step's page screenshot (already masked) cropped around its target, the target outlined,
    quantised to a palette and optimised to fit `budget` bytes; None when the step has no picture."""
    source = image_source(tree, obs)
    if source is None or obs is None or obs.target is None or obs.target.box is None:
        return None
    with Image.open(source) as img:
        page = img.convert("RGB")
    which = "target" if obs.images is not None and source.name == obs.images.target else "page"
    target = imaging.target_in_image(obs, which) or obs.target.box
    crop = crop_around(target, page.width, page.height)
    shot = page.crop((crop.x, crop.y, crop.x + crop.width, crop.y + crop.height))
    inner = Box(x=target.x - crop.x, y=target.y - crop.y, width=target.width, height=target.height)
    data = b""
    scale = 1.0
    while True:
        for colours in IMAGE_COLOURS:
            data = _palette_png(shot, inner, colours, scale)
            if len(data) <= budget:
                return data
        if scale < 0.2:  # pragma: no cover - a 180×120 palette image is always far below any sane budget
            return data
        scale *= 0.8


def _palette_png(shot: Image.Image, target: Box, colours: int, scale: float) -> bytes:
    """Quantised to colours-1 entries, plus one reserved for the outline so that it stays exact."""
    img = shot
    box = target
    if scale < 1.0:
        size = (max(1, round(shot.width * scale)), max(1, round(shot.height * scale)))
        img = shot.resize(size, Image.Resampling.LANCZOS)
        box = Box(
            x=round(target.x * scale),
            y=round(target.y * scale),
            width=max(1, round(target.width * scale)),
            height=max(1, round(target.height * scale)),
        )
    if img.getcolors(PHOTO_COLOURS) is not None:
        # a page of flat colours: maximum coverage + one k-means pass keeps the large areas (white,
        # page grey) and the small ones (a blue link) at their exact colours
        quantised = img.quantize(colors=colours - 1, method=Image.Quantize.MAXCOVERAGE, kmeans=1)
    else:
        # photos in the crop: k-means over this many colours takes seconds; the octree is instant
        quantised = img.quantize(colors=colours - 1, method=Image.Quantize.FASTOCTREE)
    palette = list(quantised.getpalette() or [])[: 3 * (colours - 1)]
    palette += [0] * (3 * (colours - 1) - len(palette))
    palette += list(imaging.HIGHLIGHT)
    quantised.putpalette(palette)
    draw = ImageDraw.Draw(quantised)
    w = OUTLINE_WIDTH
    draw.rounded_rectangle(
        (box.x - w - 2, box.y - w - 2, box.x + box.width + w + 1, box.y + box.height + w + 1),
        radius=6,
        outline=colours - 1,
        width=w,
    )
    buf = io.BytesIO()
    quantised.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


# --------------------------------------------------------------------------- rendering


def _only_md(value: Any) -> Any:
    """Jinja's finalize: a template may print Md (escaped or ours) and numbers, nothing else."""
    if isinstance(value, Md) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TypeError(
        f"instructions templates print only inert.Md values; got {type(value).__name__} {str(value)[:60]!r}. "
        "Escape scraped text with inert.md_text before it reaches a template."
    )


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # Markdown: escaping is done in Python, and enforced by _only_md
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_only_md,
    )


@dataclass(frozen=True)
class ImageRef:
    alt: Md
    src: Md


@dataclass(frozen=True)
class StepLine:
    number: int
    text: Md
    image: ImageRef | None = None

    @property
    def pad(self) -> Md:
        """The indent that continues this item of a numbered list."""
        return Md.trusted(" " * (len(str(self.number)) + 2))


@dataclass(frozen=True)
class Section:
    heading: Md | None
    steps: list[StepLine]

    @property
    def loose(self) -> bool:
        return any(s.image is not None for s in self.steps)


@dataclass(frozen=True)
class PageView:
    lang: Md
    title: Md
    nav: Md
    verified_line: Md
    notice: Md | None
    intro: Md | None
    why_heading: Md
    why: list[Md]
    shortcut_heading: Md
    shortcut: Md
    steps_heading: Md
    sections: list[Section]
    after_heading: Md
    after: list[Md]
    footer: Md


@dataclass
class _Viewport:
    name: str
    kind: str
    seen: list[Seen]
    verified: bool

    @property
    def sequence(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for s in self.seen:
            if s.kind == "after":
                continue
            if s.obs is not None and s.obs.hop is not None:
                out.append((f"{s.step.id}+hop", clean(s.obs.hop.name)))
            out.append((s.step.id, s.label))
        return out


def _viewports(config: Config, journey: Journey, locale: str, baseline: store.Tree | None) -> list[_Viewport]:
    out: list[_Viewport] = []
    for name in config.viewports:
        if not journey.steps_for(name):
            continue
        walk = baseline.walk_of(journey.id, locale, name) if baseline is not None else []
        usable = walk_is_usable(walk)
        seen = _seen_steps(config, journey, locale, name, walk if usable else None)
        out.append(_Viewport(name, viewport_kind(config, name), seen, usable))
    return out


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


def _alt(ph: Phrases, seen: Seen, place: Md) -> Md:
    what = _t(ph.alt_what, role=_role_noun(ph, seen.role, subject=True), label=quote_label(ph, seen.label))
    text = _t(ph.alt, what=what, place=place)
    return Md.trusted(text[:1].upper()) + Md.trusted(text[1:])


def _lines(
    config: Config,
    ph: Phrases,
    site: str,
    locale: str,
    vp: _Viewport,
    tree: store.Tree | None,
    image_dir_rel: str,
    phone: _Viewport | None = None,
) -> list[StepLine]:
    """The numbered steps of one viewport; `phone` adds the phone's scrolling note to a shared list."""
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
            add(_t(ph.click, verb=verb, what=hop_what, label=hop_label, place=Md(""), hint=Md("")))
        if seen.kind == "goto":
            add(_t(ph.open_site.get(vp.kind, ph.open_site["desktop"]), site=_site_link(config, site, seen.step)))
        elif seen.kind == "consent":
            add(_t(ph.consent, label=label), _image(config, ph, site, locale, vp, seen, tree, image_dir_rel, Md("")))
        elif seen.kind in ("click", "submit"):
            place = describe_place(ph, obs.target.context, seen.label) if obs and obs.target else Md("")
            hint_text = (seen.step.hint or {}).get(locale)
            hint = _t(ph.hint, hint=hint_text) if hint_text else Md("")
            what = _role_noun(ph, seen.role)
            text = _t(ph.click, verb=verb, what=what, label=label, place=place, hint=hint)
            if seen.step.tracked and obs is not None and obs.target is not None and seen.role == "link":
                sentence = clean(obs.target.sentence)
                if sentence and sentence.casefold() != seen.label.casefold():
                    text = text + _t(ph.in_sentence, sentence=_quoted_sentence(ph, sentence, seen.label))
            if seen.kind == "submit":
                text = text + _fold_note(config, ph, vp, seen, phone)
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


def _fold_note(config: Config, ph: Phrases, vp: _Viewport, seen: Seen, phone: _Viewport | None) -> Md:
    if phone is None:
        below = _below_fold(config, vp.name, seen.obs if vp.verified else None)
        if below:
            return Md.trusted(ph.below_fold)
        if below is None and vp.kind == "mobile":
            return Md.trusted(ph.maybe_below_fold)
        return Md.trusted("")
    # a list shared by every viewport: note the phone's scrolling, from the phone's own capture
    phone_seen = next((s for s in phone.seen if s.step.id == seen.step.id), None)
    below = _below_fold(config, phone.name, phone_seen.obs if phone.verified and phone_seen else None)
    if below:
        return Md.trusted(ph.phone_below_fold)
    if below is None:
        return Md.trusted(ph.maybe_below_fold)
    return Md.trusted("")


def image_relpath(site: str, locale: str, viewport: str, step: str) -> str:
    return f"{site}/{locale}/{viewport}/{step}.png"


def _image(
    config: Config,
    ph: Phrases,
    site: str,
    locale: str,
    vp: _Viewport,
    seen: Seen,
    tree: store.Tree | None,
    image_dir_rel: str,
    place: Md,
) -> ImageRef | None:
    if not vp.verified or image_source(tree, seen.obs) is None:
        return None
    src = md_relative(f"{image_dir_rel.rstrip('/')}/{image_relpath(site, locale, vp.name, seen.step.id)}")
    return ImageRef(_alt(ph, seen, place), src)


def _after(config: Config, ph: Phrases, site: str, locale: str, vps: list[_Viewport]) -> list[Md]:
    first = vps[0] if vps else None
    out: list[Md] = []
    if first is not None:
        after = [s for s in first.seen if s.kind == "after"]
        submit = next((s for s in first.seen if s.kind == "submit"), None)
        if after:
            confirmation = after[-1]
            line = _t(ph.after_confirmed, label=quote_label(ph, confirmation.label))
            captured = first.verified and captured_label(confirmation.obs) is not None
            if first.verified and not captured and submit is not None:
                line = line + _t(ph.after_not_sent, send=quote_label(ph, submit.label))
            out.append(line)
    out.append(Md.trusted(ph.after_email))
    others = [p for p in plan_pages_sites(config) if p != site]
    other = Md("")
    if others:
        other = _t(ph.after_other, platform=platform_name(others[0]), link=md_relative(f"{others[0]}.md"))
    out.append(_t(ph.after_linked, accounts_center=Md.trusted(ph.accounts_center), other=other))
    return out


def plan_pages_sites(config: Config) -> list[str]:
    return [s for s in config.sites if page_journey(config, s) is not None]


def _verified_line(ph: Phrases, site: str, locale: str, vps: list[_Viewport], verified: Verified | None) -> Md:
    done = [v for v in vps if v.verified]
    if not done:
        return _t(ph.last_verified, when=Md.trusted(ph.not_verified_yet))
    groups: dict[date | None, list[str]] = {}
    for v in done:
        day = verified.get(site, locale, v.name) if verified is not None else None
        groups.setdefault(day, []).append(ph.viewport_names.get(v.name, v.name))
    parts: list[Md] = []
    for day in sorted(groups, key=lambda d: (d is None, d or date.min), reverse=False):
        when = Md.trusted(format_date(ph, day) if day is not None else ph.date_unknown)  # ours, not scraped
        parts.append(_t(ph.verified_on, date=when, viewports=", ".join(groups[day])))
    missing = [ph.viewport_names.get(v.name, v.name) for v in vps if not v.verified]
    if missing:
        parts.append(_t(ph.partly_verified, viewports=", ".join(missing)))
    return _t(ph.last_verified, when=_join("; ", parts))


def _nav(config: Config, site: str, locale: str) -> Md:
    items: list[Md] = []
    for other in config.locales:
        if other != locale:
            items.append(_link(phrases(other).language, f"../{other}/{site}.md"))
    for other_site in plan_pages_sites(config):
        if other_site != site:
            items.append(_link(platform_name(other_site), f"{other_site}.md"))
    items.append(_link(phrases(locale).all_pages, f"../{INDEX}"))
    return _join(" · ", items)


def _join(separator: str, items: Sequence[Md]) -> Md:
    """Md items joined by a separator of ours (str.join would return a plain str)."""
    return Md.trusted(separator.join(items))


def _link(text: str, rel: str) -> Md:
    return Md.trusted("[") + md_text(text) + Md.trusted("](") + md_relative(rel) + Md.trusted(")")


def _shortcut(config: Config, ph: Phrases, site: str, journey: Journey, vps: list[_Viewport]) -> Md:
    tracked = journey.tracked_step
    captured = [
        s.obs
        for v in vps
        if v.verified
        for s in v.seen
        if tracked is not None and s.step.id == tracked.id and s.obs is not None
    ]
    if captured:
        leads = next((o.target.leads_to for o in captured if o.target is not None and o.target.leads_to), None)
        url = md_url(leads, site_domains(config, site))
    else:
        url = md_url(DOCUMENTED_FORMS.get(site), site_domains(config, site))
    if url is None:
        return Md.trusted(ph.shortcut_unknown)
    return _t(ph.shortcut, platform=platform_name(site), url=url)


def page_view(
    config: Config,
    site: str,
    locale: str,
    baseline: store.Tree | None,
    verified: Verified | None,
    image_dir_rel: str = "../images",
) -> PageView:
    """Everything one page says, already inert, ready for the template."""
    journey = page_journey(config, site)
    if journey is None:
        raise ValueError(f"site {site!r} has no logged-in journey with a tracked step")
    ph = phrases(locale)
    vps = _viewports(config, journey, locale, baseline)
    any_verified = any(v.verified for v in vps)
    sections: list[Section] = []
    groups: list[list[_Viewport]] = []
    for vp in vps:
        for group in groups:
            if group[0].sequence == vp.sequence:
                group.append(vp)
                break
        else:
            groups.append([vp])
    if len(groups) == 1 and vps:
        lead = vps[0]
        phone = next((v for v in vps if v.kind == "mobile" and v is not lead), None)
        sections.append(Section(None, _lines(config, ph, site, locale, lead, baseline, image_dir_rel, phone)))
        steps_heading = Md.trusted(ph.steps_same if phone is not None else ph.steps_heading)
    else:
        for group in groups:
            lead = group[0]
            heading = Md.trusted(ph.viewport_headings.get(lead.kind, lead.name))
            if len(group) > 1 or heading in [s.heading for s in sections]:
                heading = md_text(" / ".join(ph.viewport_names.get(v.name, v.name) for v in group))
            sections.append(Section(heading, _lines(config, ph, site, locale, lead, baseline, image_dir_rel)))
        steps_heading = Md.trusted(ph.steps_heading)
    unverified = [ph.viewport_names.get(v.name, v.name) for v in vps if not v.verified]
    notice: Md | None = None
    if not any_verified:
        notice = Md.trusted(ph.notice)
    elif unverified:
        notice = _t(ph.partly_notice, viewports=", ".join(unverified))
    return PageView(
        lang=md_text(locale),
        title=_t(ph.title, platform=platform_name(site)),
        nav=_nav(config, site, locale),
        verified_line=_verified_line(ph, site, locale, vps, verified),
        notice=notice,
        intro=Md.trusted(ph.intro_verified) if any_verified else None,
        why_heading=Md.trusted(ph.why_heading),
        why=[_t(item, accounts_center=Md.trusted(ph.accounts_center)) for item in ph.why],
        shortcut_heading=Md.trusted(ph.shortcut_heading),
        shortcut=_shortcut(config, ph, site, journey, vps),
        steps_heading=steps_heading,
        sections=sections,
        after_heading=Md.trusted(ph.after_heading),
        after=_after(config, ph, site, locale, vps),
        footer=Md.trusted(ph.footer_verified if any_verified else ph.footer_documented),
    )


def render_page(
    config: Config,
    site: str,
    locale: str,
    baseline: store.Tree | None,
    verified: Verified | None,
    image_dir_rel: str = "../images",
) -> str:
    """One page's Markdown. No baseline, or none for this walk: the unverified page, from monitor.yaml's labels."""
    view = page_view(config, site, locale, baseline, verified, image_dir_rel)
    return environment().get_template("page.md.j2").render(page=view)


@dataclass(frozen=True)
class IndexRow:
    platform: Md
    language: Md
    link: Md
    last_verified: Md
    status: Md


def _index_row(
    config: Config, spec: PageSpec, baseline: store.Tree | None, verified: Verified, today: date
) -> IndexRow:
    journey = config.journey(spec.journey)
    vps = _viewports(config, journey, spec.locale, baseline)
    done = [v.name for v in vps if v.verified]
    missing = [v.name for v in vps if not v.verified]
    groups: dict[date | None, list[str]] = {}
    for name in done:
        groups.setdefault(verified.get(spec.site, spec.locale, name), []).append(name)
    if not done:
        last = md_text("not yet verified")
        status = "labels from public guides, no screenshots"
    else:
        parts = [
            md_text(day.isoformat() if day else "date not recorded")
            + Md.trusted(" (")
            + md_text(", ".join(names))
            + Md.trusted(")")
            for day, names in sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or date.min))
        ]
        last = _join("; ", parts)
        known = [d for d in groups if d is not None]
        if known and (today - min(known)).days > OVERDUE_DAYS:
            status = f"overdue: not re-verified for more than {OVERDUE_DAYS} days"
        elif missing:
            status = f"partly verified ({', '.join(missing)}: not yet)"
        else:
            status = "verified"
    title = _t(phrases(spec.locale).title, platform=platform_name(spec.site))
    return IndexRow(
        platform=md_text(platform_name(spec.site)),
        language=md_text(phrases(spec.locale).language),
        link=Md.trusted("[") + title + Md.trusted("](") + md_relative(spec.path) + Md.trusted(")"),
        last_verified=last,
        status=md_text(status),
    )


def render_index(config: Config, baseline: store.Tree | None, verified: Verified, today: date) -> str:
    rows = [_index_row(config, spec, baseline, verified, today) for spec in plan_pages(config)]
    return (
        environment()
        .get_template("index.md.j2")
        .render(rows=rows, overdue_days=OVERDUE_DAYS, refresh_days=REFRESH_DAYS)
    )


# --------------------------------------------------------------------------- writing


def write_instructions(
    config: Config,
    baseline: store.Tree | None,
    out: Path,
    verified: Verified,
    stale: set[ImageKey] | frozenset[ImageKey] | None,
    today: date,
) -> list[Path]:
    """Render every page, the index, verified.json and the people images into `out` (the instructions
    folder). An image is (re)drawn only when it is missing or its key is in `stale` (None: all are);
    images and pages no longer referenced are removed. Returns the paths whose bytes changed."""
    changed: list[Path] = []
    wanted: set[Path] = set()
    for spec in plan_pages(config):
        journey = config.journey(spec.journey)
        for vp in _viewports(config, journey, spec.locale, baseline):
            if not vp.verified:
                continue
            for seen in vp.seen:
                if seen.kind not in ("consent", "click", "submit") or image_source(baseline, seen.obs) is None:
                    continue
                key: ImageKey = (spec.site, spec.locale, vp.name, seen.step.id)
                path = out / IMAGES / image_relpath(*key)
                wanted.add(path)
                if path.is_file() and stale is not None and key not in stale:
                    continue
                data = people_image(baseline, seen.obs)
                if data is not None and store.write_atomic(path, data):
                    changed.append(path)
        text = render_page(config, spec.site, spec.locale, baseline, verified, "../" + IMAGES)
        page_path = out / spec.path
        wanted.add(page_path)
        if store.write_atomic(page_path, text.encode("utf-8")):
            changed.append(page_path)
    for name, data in (
        (INDEX, render_index(config, baseline, verified, today).encode("utf-8")),
        (VERIFIED_FILE, verified.to_json().encode("utf-8")),
    ):
        if store.write_atomic(out / name, data):
            changed.append(out / name)
    changed += _remove_unwanted(out, wanted)
    return sorted(changed)


_LOCALE_DIR = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


def _remove_unwanted(out: Path, wanted: set[Path]) -> list[Path]:
    removed: list[Path] = []
    # pages: only <locale>/<site>.md (other folders, such as changelog/, belong to others)
    pages = sorted(p for p in out.glob("*/*.md") if _LOCALE_DIR.match(p.parent.name))
    candidates = [*sorted((out / IMAGES).rglob("*.png")), *pages]
    for path in candidates:
        if path.is_file() and path not in wanted:
            path.unlink()
            removed.append(path)
    images = out / IMAGES
    if images.is_dir():
        for folder in sorted((p for p in images.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
        if not any(images.iterdir()):
            images.rmdir()
    return removed


def update_instructions(
    config: Config, baseline: store.Tree | None, out: Path, report: Report | None, today: date
) -> list[Path]:
    """After `accept`: move the verified dates by the report (Verified.after_run), redraw the stale images
    and render everything. Without a report nothing is re-dated and only missing images are drawn."""
    verified = Verified.load(out / VERIFIED_FILE)
    if report is None:
        return write_instructions(config, baseline, out, verified, set(), today)
    effects = run_effects(config, report)
    # only walks that are in the baseline were verified
    present = {
        k
        for k in effects.walked_ok
        if baseline is not None and walk_is_usable(baseline.walk_of(_journey_of(config, k[0]), k[1], k[2]))
    }
    verified = verified.after_run(present, effects.changed, today)
    return write_instructions(config, baseline, out, verified, set(effects.stale), today)


def _journey_of(config: Config, site: str) -> str:
    journey = page_journey(config, site)
    return journey.id if journey is not None else ""


def render_repository(config_path: Path, root: Path, today: date | None = None) -> list[Path]:
    """The repository's own instructions/: from root/snapshots (real sites only) and instructions/verified.json."""
    config = config_mod.load(config_path)
    out = root / "instructions"
    baseline = store.read_tree(root / "snapshots")
    verified = Verified.load(out / VERIFIED_FILE)
    return write_instructions(config, baseline, out, verified, set(), today or date.today())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m monitor.instructions",
        description="Render instructions/ from monitor.yaml and the accepted snapshots/.",
    )
    parser.add_argument("--config", type=Path, default=Path("monitor.yaml"), help="the journey file")
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository (snapshots/, instructions/)")
    args = parser.parse_args(argv)
    for path in render_repository(args.config, args.root):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
