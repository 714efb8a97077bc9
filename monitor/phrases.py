"""What the instructions say, per language: en, fr, de phrase tables (one `Phrases` per language).

Values are Markdown written by us; `{x}` slots are filled through `inert.md_format`, which escapes
whatever it is given that is not already `Md`. Kept apart from the rendering so that the tables can
become translation catalogs without touching instructions.py. Wording rules: plain language, one
action per step, the words shown on screen in quotes, and no claim beyond what Meta's own
confirmation says (docs/instructions-checklist.md).
"""

from __future__ import annotations

from dataclasses import dataclass

NBSP = "\u00a0"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class Phrases:
    """Everything a page says in one language."""

    language: str  # the language's own name
    open_quote: str
    close_quote: str
    months: tuple[str, ...]
    date_pattern: str  # {day} {month} {year}
    month_pattern: str  # {month} {year}
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
    intro_checked: str
    index_states: dict[str, str]  # checked, rehearsal, documented, partly, overdue -> the index's status column
    jump: str  # {links}
    why_heading: str
    why: tuple[str, ...]  # {accounts_center}
    accounts_center: str
    shortcut_heading: str
    shortcut: str  # {platform} {url}
    shortcut_unknown: str
    way_headings: dict[str, str]  # "app"/"mobile"/"desktop" -> heading
    app_notice: str  # {source} {when}
    app_facts: str  # {link}
    verbs: dict[str, str]  # "desktop"/"mobile" kind -> click verb
    roles: dict[str, str]  # role -> noun (object case) with a trailing space
    roles_subject: dict[str, str]  # role -> noun (subject case) for alt text
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
    report_title: str  # {platform} {language}


EN = Phrases(
    language="English",
    open_quote="“",
    close_quote="”",
    months=_words("January February March April May June July August September October November December"),
    date_pattern="{day} {month} {year}",
    month_pattern="{month} {year}",
    title="{platform}: object to Meta using your data for AI",
    all_pages="All instructions",
    viewport_names={"desktop": "computer", "mobile": "phone"},
    status="**Status:** {states}.",
    state_checked="checked on the real site on {date} ({viewports})",
    state_checked_undated="checked on the real site, date not recorded ({viewports})",
    state_rehearsal="rehearsal only ({viewports}): a test run on a copy of Meta’s pages on {date}, not a check of the real site",
    state_rehearsal_undated="rehearsal only ({viewports}): a test run on a copy of Meta’s pages, not a check of the real site",
    state_documented="not yet checked ({viewports}): the steps come from public guides",
    notice_documented=(
        "**Not yet checked by the monitor.** These steps quote the words documented in public guides in "
        "2025. The monitor has not yet walked the real site with a logged-in account, so a word may have "
        "changed since, and there are no screenshots yet."
    ),
    notice_partly=(
        "**The {viewports} steps are not yet checked by the monitor**: they quote the words documented "
        "in public guides in 2025 and have no screenshots."
    ),
    notice_rehearsal=(
        "**Rehearsal, not a check.** These steps and screenshots come from a test run of the monitor on a "
        "copy of Meta’s pages. They show what the instructions will look like; nobody checked them on the "
        "real Facebook or Instagram."
    ),
    intro_checked=(
        "The steps quote Meta’s pages word for word, as the monitor last saw them; the screenshots show where to click."
    ),
    index_states={
        "checked": "checked on the real site",
        "rehearsal": "rehearsal only: a test run on a copy of Meta’s pages",
        "documented": "not yet checked: steps from public guides, no screenshots",
        "partly": "partly checked ({viewports}: not yet)",
        "overdue": "overdue: not checked again for more than {days} days",
    },
    jump="**Jump to:** {links}",
    why_heading="Why it matters",
    why=(
        "**Doing nothing counts as consent.** Since 27 May 2025 Meta uses the public posts, photos and "
        "comments of adults in the EU to train its AI.",
        "**What an objection covers:** your public posts, photos and comments. Private messages are not part of it.",
        "**It counts from when you send it.** Meta’s confirmation says that your objection will be honoured "
        "from then on; it does not promise more.",
        "**Even if you never post anything**, you can appear in other people’s photos and posts.",
        "**No account?** You can object too: Meta has a separate form for people without a Facebook or "
        "Instagram account whose information appears in other people’s posts.",
        "**One objection is enough for linked accounts:** it covers every account linked in "
        "{accounts_center}. An account that is not linked there needs its own objection.",
    ),
    accounts_center="Accounts Center",
    shortcut_heading="Shortcut",
    shortcut=(
        "Logged in to {platform}? [Open the objection form directly]({url}). If the link does not open "
        "the form, follow the steps below."
    ),
    shortcut_unknown="The monitor could not confirm the form’s address this time: follow the steps below.",
    way_headings={"app": "In the app", "mobile": "On a phone", "desktop": "On a computer"},
    app_notice=(
        "**Reported by guides, not checked by the monitor.** The monitor only walks the websites and never "
        "opens the apps. These steps come from {source} ({when}); the guides describe the same steps on "
        "Android and iPhone. If a word on your screen differs, look for the closest one, or use the steps "
        "for your phone’s browser below."
    ),
    app_facts=" [The documented facts]({link}).",
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
    click="{verb} {what}{label}{place}.",
    open_site={
        "desktop": "Open {site} and log in.",
        "mobile": "Open {site} in your phone’s browser and log in.",
    },
    consent="If a cookie dialog appears, choose {label}.",
    in_sentence=" It is in the sentence {sentence}",
    form="The form {label} opens. Check that the e-mail address shown is yours; the text box is optional.",
    observe="You see {what}{label}.",
    below_fold=" The button is below the first screen: scroll down to find it.",
    maybe_below_fold=" On some phones the button is further down: scroll down if you do not see it.",
    places={"heading": " under the heading {label}"},
    places_unlabelled={
        "dialog": " in the window that opens",
        "alertdialog": " in the window that opens",
        "menu": " in the menu that opens",
        "banner": " in the bar at the top of the page",
        "contentinfo": " at the bottom of the page",
    },
    positions={
        "top-left": " at the top left of the screen",
        "top-right": " at the top right of the screen",
        "top": " at the top of the screen",
        "left-column": " in the column on the left",
    },
    alt="Screenshot: {what}{place}",
    alt_what="{role}{label} (red outline)",
    after_heading="After you send the form",
    after_confirmed="The page shows {label}: Meta says your objection will be honoured from now on.",
    after_not_sent=" (The monitor never presses {send} on the real site: this wording comes from public reports.)",
    after_email="A confirmation e-mail follows. Keep it as proof.",
    after_linked=(
        "The objection covers every account linked in {accounts_center}. For an account that is not "
        "linked there, object separately{other}."
    ),
    after_other=": see the [instructions for {platform}]({link})",
    help_heading="If something goes wrong",
    help=(
        "**No confirmation e-mail?** Wait a few hours and look in your spam or junk folder. Your objection "
        "may still have been registered: the page that appeared after {send} is Meta’s confirmation.",
        "**Asked to log in again?** This is normal when you open the form from a link in an e-mail. Log in, "
        "then open the link again.",
        "**The form asks for a code?** In 2024 Meta sent a one-time code by e-mail before it accepted an "
        "objection. Look for that e-mail (spam too) and type the code in within an hour.",
        "**The form or a step looks different?** Look for the closest words on your screen, or try another "
        "way in: the app, your phone’s browser or a computer. Then tell us (link below).",
        "**Accounts not linked in {accounts_center}?** One objection covers only the accounts linked there. "
        "Send a separate objection from each account that is not linked.",
    ),
    reason="**What to write in the optional text box**, if you want to: {sentence}",
    reason_sentence=(
        "“I object to the use of my information, including my posts, photos and comments, for developing "
        "and improving AI at Meta.”"
    ),
    report=(
        "**A step looks different? [Tell us]({url})**: the link opens a pre-filled report on GitHub (you "
        "need a free account). Please leave out your name, e-mail address and screenshots that show them."
    ),
    report_title="{platform} ({language}): a step looks different",
)

FR = Phrases(
    language="Français",
    open_quote="«" + NBSP,
    close_quote=NBSP + "»",
    months=_words("janvier février mars avril mai juin juillet août septembre octobre novembre décembre"),
    date_pattern="{day} {month} {year}",
    month_pattern="{month} {year}",
    title="{platform}" + NBSP + ": vous opposer à l’utilisation de vos données pour l’IA de Meta",
    all_pages="Toutes les instructions",
    viewport_names={"desktop": "ordinateur", "mobile": "téléphone"},
    status="**État" + NBSP + ":** {states}.",
    state_checked="vérifié sur le vrai site le {date} ({viewports})",
    state_checked_undated="vérifié sur le vrai site, date non enregistrée ({viewports})",
    state_rehearsal=(
        "répétition seulement ({viewports})" + NBSP + ": un essai sur une copie des pages de Meta le {date}, "
        "pas une vérification du vrai site"
    ),
    state_rehearsal_undated=(
        "répétition seulement ({viewports})" + NBSP + ": un essai sur une copie des pages de Meta, "
        "pas une vérification du vrai site"
    ),
    state_documented="pas encore vérifié ({viewports})" + NBSP + ": les étapes viennent de guides publics",
    notice_documented=(
        "**Pas encore vérifié par le moniteur.** Ces étapes citent les mots documentés par des guides "
        "publics en 2025. Le moniteur n’a pas encore parcouru le vrai site avec un compte connecté" + NBSP + ": "
        "un mot a pu changer depuis, et il n’y a pas encore de captures d’écran."
    ),
    notice_partly=(
        "**Les étapes sur {viewports} ne sont pas encore vérifiées par le moniteur**" + NBSP + ": elles citent "
        "les mots documentés par des guides publics en 2025 et n’ont pas de captures d’écran."
    ),
    notice_rehearsal=(
        "**Répétition, pas une vérification.** Ces étapes et ces captures viennent d’un essai du moniteur sur "
        "une copie des pages de Meta. Elles montrent à quoi ressembleront les instructions" + NBSP + "; personne "
        "ne les a vérifiées sur le vrai Facebook ou le vrai Instagram."
    ),
    intro_checked=(
        "Les étapes citent mot pour mot les pages de Meta, telles que le moniteur les a vues la dernière "
        "fois" + NBSP + "; les captures d’écran montrent où cliquer."
    ),
    index_states={
        "checked": "vérifié sur le vrai site",
        "rehearsal": "répétition seulement" + NBSP + ": un essai sur une copie des pages de Meta",
        "documented": "pas encore vérifié" + NBSP + ": étapes de guides publics, sans captures",
        "partly": "vérifié en partie ({viewports}" + NBSP + ": pas encore)",
        "overdue": "en retard" + NBSP + ": pas revérifié depuis plus de {days} jours",
    },
    jump="**Aller à" + NBSP + ":** {links}",
    why_heading="Pourquoi c’est important",
    why=(
        "**Ne rien faire vaut consentement.** Depuis le 27" + NBSP + "mai 2025, Meta utilise les publications, "
        "photos et commentaires publics des adultes de l’UE pour entraîner son IA.",
        "**Ce que couvre l’opposition" + NBSP + ":** vos publications, photos et commentaires publics. Les "
        "messages privés n’en font pas partie.",
        "**Elle compte à partir de son envoi.** La confirmation de Meta dit que votre opposition sera "
        "respectée à partir de ce moment" + NBSP + "; elle ne promet rien de plus.",
        "**Même si vous ne publiez jamais rien**, vous pouvez apparaître sur les photos et dans les "
        "publications d’autres personnes.",
        "**Pas de compte" + NBSP + "?** Vous pouvez aussi vous opposer" + NBSP + ": Meta a un formulaire à part pour "
        "les personnes sans compte Facebook ou Instagram dont les informations apparaissent dans les "
        "publications d’autres personnes.",
        "**Une seule opposition suffit pour les comptes associés**" + NBSP + ": elle couvre tous les comptes "
        "reliés dans {accounts_center}. Un compte qui n’y est pas relié demande sa propre opposition.",
    ),
    accounts_center="l’Espace comptes",
    shortcut_heading="Raccourci",
    shortcut=(
        "Connecté à {platform}" + NBSP + "? [Ouvrez directement le formulaire d’opposition]({url}). Si le lien "
        "n’ouvre pas le formulaire, suivez les étapes ci-dessous."
    ),
    shortcut_unknown=(
        "Le moniteur n’a pas pu confirmer l’adresse du formulaire cette fois-ci"
        + NBSP
        + ": suivez les étapes ci-dessous."
    ),
    way_headings={"app": "Dans l’application", "mobile": "Sur un téléphone", "desktop": "Sur un ordinateur"},
    app_notice=(
        "**Rapporté par des guides, non vérifié par le moniteur.** Le moniteur ne parcourt que les sites web "
        "et n’ouvre jamais les applications. Ces étapes viennent {source} ({when})" + NBSP + "; les guides "
        "décrivent les mêmes étapes sur Android et sur iPhone. Si un mot diffère sur votre écran, cherchez "
        "le plus proche, ou suivez les étapes pour le navigateur du téléphone ci-dessous."
    ),
    app_facts=" [Les faits documentés]({link}).",
    verbs={"desktop": "Cliquez sur", "mobile": "Touchez"},
    roles={
        "link": "le lien ",
        "button": "le bouton ",
        "menuitem": "l’élément de menu ",
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
    click="{verb} {what}{label}{place}.",
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
    places={"heading": " sous le titre {label}"},
    places_unlabelled={
        "dialog": " dans la fenêtre qui s’ouvre",
        "alertdialog": " dans la fenêtre qui s’ouvre",
        "menu": " dans le menu qui s’ouvre",
        "banner": " dans la barre en haut de la page",
        "contentinfo": " en bas de la page",
    },
    positions={
        "top-left": " en haut à gauche de l’écran",
        "top-right": " en haut à droite de l’écran",
        "top": " en haut de l’écran",
        "left-column": " dans la colonne de gauche",
    },
    alt="Capture d’écran" + NBSP + ": {what}{place}",
    alt_what="{role}{label} (cadre rouge)",
    after_heading="Après l’envoi",
    after_confirmed=(
        "La page affiche {label}" + NBSP + ": Meta indique que votre opposition sera respectée à partir de maintenant."
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
    help_heading="En cas de problème",
    help=(
        "**Pas d’e-mail de confirmation" + NBSP + "?** Attendez quelques heures et regardez dans vos courriers "
        "indésirables. Votre opposition a peut-être quand même été enregistrée" + NBSP + ": la page affichée "
        "après {send} est la confirmation de Meta.",
        "**On vous demande de vous reconnecter" + NBSP + "?** C’est normal quand vous ouvrez le formulaire "
        "depuis un lien reçu par e-mail. Connectez-vous, puis rouvrez le lien.",
        "**Le formulaire demande un code" + NBSP + "?** En 2024, Meta envoyait un code à usage unique par "
        "e-mail avant d’accepter une opposition. Cherchez cet e-mail (indésirables compris) et saisissez le "
        "code dans l’heure.",
        "**Le formulaire ou une étape est différent" + NBSP + "?** Cherchez les mots les plus proches sur votre "
        "écran, ou essayez un autre chemin" + NBSP + ": l’application, le navigateur du téléphone ou un "
        "ordinateur. Puis signalez-le-nous (lien ci-dessous).",
        "**Des comptes non reliés dans {accounts_center}" + NBSP + "?** Une opposition ne couvre que les comptes "
        "reliés. Envoyez une opposition à part depuis chaque compte non relié.",
    ),
    reason="**Ce que vous pouvez écrire dans la zone de texte facultative**" + NBSP + ": {sentence}",
    reason_sentence=(
        "«" + NBSP + "Je m’oppose à l’utilisation de mes informations, y compris mes publications, photos et "
        "commentaires, pour développer et améliorer l’IA chez Meta." + NBSP + "»"
    ),
    report=(
        "**Une étape est différente" + NBSP + "? [Signalez-le-nous]({url})**" + NBSP + ": le lien ouvre un "
        "signalement prérempli sur GitHub (un compte gratuit est nécessaire). N’y mettez ni votre nom, ni "
        "votre adresse e-mail, ni de capture qui les montre."
    ),
    report_title="{platform} ({language})" + NBSP + ": une étape est différente",
)

_DE_ROLES = {
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
}

DE = Phrases(
    language="Deutsch",
    open_quote="„",
    close_quote="“",
    months=_words("Januar Februar März April Mai Juni Juli August September Oktober November Dezember"),
    date_pattern="{day}. {month} {year}",
    month_pattern="{month} {year}",
    title="{platform}: Widersprich der Nutzung deiner Daten für Metas KI",
    all_pages="Alle Anleitungen",
    viewport_names={"desktop": "Computer", "mobile": "Smartphone"},
    status="**Stand:** {states}.",
    state_checked="auf der echten Seite geprüft am {date} ({viewports})",
    state_checked_undated="auf der echten Seite geprüft, Datum nicht erfasst ({viewports})",
    state_rehearsal=(
        "nur eine Probe ({viewports}): ein Testlauf auf einer Kopie von Metas Seiten am {date}, keine Prüfung "
        "der echten Seite"
    ),
    state_rehearsal_undated=(
        "nur eine Probe ({viewports}): ein Testlauf auf einer Kopie von Metas Seiten, keine Prüfung der echten Seite"
    ),
    state_documented="noch nicht geprüft ({viewports}): Die Schritte stammen aus öffentlichen Anleitungen",
    notice_documented=(
        "**Noch nicht vom Monitor geprüft.** Diese Schritte zitieren die Wörter, die öffentliche Anleitungen "
        "2025 dokumentiert haben. Der Monitor hat die echte Seite noch nicht mit einem angemeldeten Konto "
        "durchlaufen: Ein Wort kann sich inzwischen geändert haben, und es gibt noch keine Screenshots."
    ),
    notice_partly=(
        "**Die Schritte für {viewports} sind noch nicht vom Monitor geprüft**: Sie zitieren die Wörter "
        "aus öffentlichen Anleitungen von 2025 und haben keine Screenshots."
    ),
    notice_rehearsal=(
        "**Eine Probe, keine Prüfung.** Diese Schritte und Screenshots stammen aus einem Testlauf des Monitors "
        "auf einer Kopie von Metas Seiten. Sie zeigen, wie die Anleitung aussehen wird; niemand hat sie auf "
        "dem echten Facebook oder Instagram geprüft."
    ),
    intro_checked=(
        "Die Schritte zitieren Metas Seiten wörtlich, so wie der Monitor sie zuletzt gesehen hat; die "
        "Screenshots zeigen, wo du klicken musst."
    ),
    index_states={
        "checked": "auf der echten Seite geprüft",
        "rehearsal": "nur eine Probe: ein Testlauf auf einer Kopie von Metas Seiten",
        "documented": "noch nicht geprüft: Schritte aus öffentlichen Anleitungen, keine Screenshots",
        "partly": "teilweise geprüft ({viewports}: noch nicht)",
        "overdue": "überfällig: seit mehr als {days} Tagen nicht erneut geprüft",
    },
    jump="**Springe zu:** {links}",
    why_heading="Warum das wichtig ist",
    why=(
        "**Wer nichts tut, stimmt zu.** Seit dem 27. Mai 2025 nutzt Meta die öffentlichen Beiträge, Fotos "
        "und Kommentare von Erwachsenen in der EU, um seine KI zu trainieren.",
        "**Was der Widerspruch abdeckt:** deine öffentlichen Beiträge, Fotos und Kommentare. Private "
        "Nachrichten gehören nicht dazu.",
        "**Er gilt ab dem Absenden.** Metas Bestätigung sagt, dass dein Widerspruch ab dann berücksichtigt "
        "wird; mehr verspricht sie nicht.",
        "**Auch wenn du selbst nie etwas postest**, kannst du auf Fotos und in Beiträgen anderer zu sehen sein.",
        "**Kein Konto?** Du kannst trotzdem widersprechen: Meta hat ein eigenes Formular für Menschen ohne "
        "Facebook- oder Instagram-Konto, deren Informationen in Beiträgen anderer vorkommen.",
        "**Ein Widerspruch reicht für verknüpfte Konten:** Er gilt für alle Konten, die in der "
        "{accounts_center} verknüpft sind. Ein Konto, das dort nicht verknüpft ist, braucht einen eigenen "
        "Widerspruch.",
    ),
    accounts_center="Kontenübersicht",
    shortcut_heading="Abkürzung",
    shortcut=(
        "Bist du bei {platform} angemeldet? Dann [öffne das Widerspruchsformular direkt]({url}). Falls der "
        "Link das Formular nicht öffnet, folge den Schritten unten."
    ),
    shortcut_unknown="Der Monitor konnte die Adresse des Formulars diesmal nicht bestätigen: Folge den Schritten unten.",
    way_headings={"app": "In der App", "mobile": "Auf dem Smartphone", "desktop": "Am Computer"},
    app_notice=(
        "**Von Anleitungen berichtet, nicht vom Monitor geprüft.** Der Monitor durchläuft nur die Websites und "
        "öffnet nie die Apps. Diese Schritte stammen aus: {source} ({when}); die Anleitungen beschreiben "
        "dieselben Schritte für Android und iPhone. Wenn ein Wort auf deinem Bildschirm anders lautet, suche "
        "das ähnlichste, oder nimm die Schritte für den Browser deines Smartphones weiter unten."
    ),
    app_facts=" [Die dokumentierten Fakten]({link}).",
    verbs={"desktop": "Klicke auf", "mobile": "Tippe auf"},
    roles=_DE_ROLES,
    roles_subject={
        **_DE_ROLES,
        "link": "der Link ",
        "menuitem": "der Menüpunkt ",
        "tab": "der Tab ",
        "switch": "der Schalter ",
    },
    click="{verb} {what}{label}{place}.",
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
    places={"heading": " unter der Überschrift {label}"},
    places_unlabelled={
        "dialog": " im Fenster, das sich öffnet",
        "alertdialog": " im Fenster, das sich öffnet",
        "menu": " im Menü, das sich öffnet",
        "banner": " in der Leiste oben auf der Seite",
        "contentinfo": " unten auf der Seite",
    },
    positions={
        "top-left": " oben links auf dem Bildschirm",
        "top-right": " oben rechts auf dem Bildschirm",
        "top": " oben auf dem Bildschirm",
        "left-column": " in der linken Spalte",
    },
    alt="Screenshot: {what}{place}",
    alt_what="{role}{label} (roter Rahmen)",
    after_heading="Nach dem Absenden",
    after_confirmed="Die Seite zeigt {label}: Meta sagt, dass dein Widerspruch ab jetzt berücksichtigt wird.",
    after_not_sent=(
        " (Der Monitor drückt auf der echten Seite nie auf {send}: Dieser Wortlaut stammt aus öffentlichen Berichten.)"
    ),
    after_email="Danach kommt eine Bestätigung per E-Mail. Heb sie als Nachweis auf.",
    after_linked=(
        "Der Widerspruch gilt für alle Konten, die in der {accounts_center} verknüpft sind. Für ein Konto, "
        "das dort nicht verknüpft ist, widersprichst du separat{other}."
    ),
    after_other=": siehe die [Anleitung für {platform}]({link})",
    help_heading="Wenn etwas nicht klappt",
    help=(
        "**Keine Bestätigung per E-Mail?** Warte ein paar Stunden und sieh im Spam-Ordner nach. Dein "
        "Widerspruch ist vielleicht trotzdem eingegangen: Die Seite, die nach {send} erschien, ist Metas Bestätigung.",
        "**Du sollst dich erneut anmelden?** Das ist normal, wenn du das Formular über einen Link aus einer "
        "E-Mail öffnest. Melde dich an und öffne den Link dann noch einmal.",
        "**Das Formular verlangt einen Code?** 2024 schickte Meta einen Einmalcode per E-Mail, bevor es einen "
        "Widerspruch annahm. Suche diese E-Mail (auch im Spam) und gib den Code innerhalb einer Stunde ein.",
        "**Das Formular oder ein Schritt sieht anders aus?** Suche die ähnlichsten Wörter auf deinem "
        "Bildschirm oder nimm einen anderen Weg: die App, den Browser des Smartphones oder einen Computer. "
        "Sag uns dann Bescheid (Link unten).",
        "**Konten, die nicht in der {accounts_center} verknüpft sind?** Ein Widerspruch gilt nur für die dort "
        "verknüpften Konten. Widersprich von jedem nicht verknüpften Konto aus separat.",
    ),
    reason="**Was du in das freiwillige Textfeld schreiben kannst**, wenn du möchtest: {sentence}",
    reason_sentence=(
        "„Ich widerspreche der Verwendung meiner Informationen, einschließlich meiner Beiträge, Fotos und "
        "Kommentare, für die Entwicklung und Verbesserung von KI bei Meta.“"
    ),
    report=(
        "**Ein Schritt sieht anders aus? [Sag uns Bescheid]({url})**: Der Link öffnet eine vorausgefüllte "
        "Meldung auf GitHub (du brauchst ein kostenloses Konto). Lass bitte deinen Namen, deine E-Mail-Adresse "
        "und Screenshots weg, die sie zeigen."
    ),
    report_title="{platform} ({language}): Ein Schritt sieht anders aus",
)

PHRASES: dict[str, Phrases] = {"en": EN, "fr": FR, "de": DE}


def phrases(locale: str) -> Phrases:
    """The phrase table of a locale (its primary tag), English when there is none."""
    return PHRASES.get(locale.split("-")[0], EN)
