"""Translation catalogs: complete and safe in every shipped language, current with the code, CLDR for
dates, plurals and language names; it/es/nl pages speak their language (no browser: pure rendering)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from monitor import config
from monitor.guard.inert import clean
from monitor.write import app_steps, catalogs, instructions, languages, site
from monitor.write.page import NON_USER_FORM
from monitor.write.phrases import phrases

ROOT = Path(__file__).resolve().parent.parent
SMALL = Path(__file__).parent / "data" / "journey-it-es-nl.yaml"
# the 23 official EU languages besides English (issue 25)
SHIPPED = [
    "bg",
    "cs",
    "da",
    "de",
    "el",
    "es",
    "et",
    "fi",
    "fr",
    "ga",
    "hr",
    "hu",
    "it",
    "lt",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "sk",
    "sl",
    "sv",
]


@pytest.fixture(scope="module")
def small() -> config.Config:
    return config.load(SMALL)


def test_the_shipped_languages_are_the_catalogs_found() -> None:
    assert catalogs.catalog_locales() == ["en", *SHIPPED]


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_shipped_catalog_is_complete_unfuzzy_and_keeps_the_placeholders(locale: str) -> None:
    assert [str(p) for p in catalogs.problems(locale)] == []


def test_messages_pot_holds_every_string_the_code_and_templates_use() -> None:
    """A new _() without `make translations` fails here, before a translator could miss it."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh, "babel.cfg")
    used = {
        (context, message if isinstance(message, str) else message[0])
        for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, comment_tags=("TRANSLATORS:",)
        )
    }
    with catalogs.TEMPLATE.open("rb") as fh:
        pot = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(fh) if m.id}
    assert used - pot == set(), "run `make translations`: messages.pot misses these"
    assert pot - used == set(), "run `make translations`: messages.pot holds strings nothing uses"


def _edit(po: Path, edits: dict[str, str | None], fuzzy: str | None = None) -> dict[str, int]:
    """Rewrite some messages of a .po (None: delete it); return each edited msgid's line in the new file."""
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="it")
    for msgid, text in edits.items():
        if text is None:
            catalog.delete(msgid)
        else:
            catalog[msgid].string = text
    if fuzzy is not None:
        catalog[fuzzy].flags.add("fuzzy")
    with po.open("wb") as fh:
        write_po(fh, catalog, width=0)
    lines = po.read_text(encoding="utf-8").splitlines()
    return {m: i + 1 for i, line in enumerate(lines) for m in [*edits, fuzzy] if m and line == f'msgid "{m}"'}


def test_a_missing_untranslated_fuzzy_or_unplaced_string_fails_naming_locale_msgid_and_line(tmp_path: Path) -> None:
    root = tmp_path / "locales"
    shutil.copytree(catalogs.LOCALES_DIR, root)
    po = catalogs.po_path("it", root)
    dropped = "If a cookie dialog appears, choose {label}."
    lines = _edit(
        po,
        {
            dropped: "Se compare una finestra sui cookie, scegli.",  # the translator dropped {label}
            "Shortcut": "",  # untranslated
            "Why it matters": None,  # missing
        },
        fuzzy="In the app",
    )
    pot_line = 1 + catalogs.TEMPLATE.read_text(encoding="utf-8").splitlines().index('msgid "Why it matters"')
    found = {(p.msgid, p.line): p for p in catalogs.problems("it", root)}
    assert set(found) == {
        (dropped, lines[dropped]),
        ("Shortcut", lines["Shortcut"]),
        ("Why it matters", pot_line),
        ("In the app", lines["In the app"]),
    }
    text = str(found[(dropped, lines[dropped])])
    assert text.startswith(f"{po}:{lines[dropped]}: it: ") and "{label}" in text and "missing" in text
    assert "fuzzy" in str(found[("In the app", lines["In the app"])])
    assert "untranslated" in str(found[("Shortcut", lines["Shortcut"])])
    missing = str(found[("Why it matters", pot_line)])
    assert missing.startswith(f"{root / 'messages.pot'}:{pot_line}: it: ") and "make translations" in missing
    # and the command line says so, with exit 1
    assert catalogs.check(["it"], root) and catalogs.check(["fr"], root) == []


@pytest.mark.parametrize(
    "translation",
    [
        "Apri {site} <img src=https://example.org/p.png> ed effettua l’accesso.",  # HTML
        "Apri {site} ed effettua l’accesso [qui](https://example.org).",  # a link of its own
        "Apri {site} ed effettua l’accesso su https://example.org",  # a URL
        "Apri {site} ed effettua l’accesso su www.example.org",
        "Apri **{site}** ed effettua l’accesso.",  # emphasis the English does not have
        "Apri {site}\n\n# ed effettua l’accesso.",  # a new block
        "Apri {site} ed effettua l’accesso, scrivi a @someone.",  # a mention
        "Apri {sito} ed effettua l’accesso.",  # a placeholder renamed
    ],
)
def test_a_translation_can_hold_only_what_the_english_holds(translation: str, tmp_path: Path) -> None:
    source = "Open {site} and log in."
    assert catalogs.translation_problem(source, translation) is not None
    assert catalogs.translation_problem(source, "Apri {site} ed effettua l’accesso.") is None
    # the loader drops such a message: the page says the English words, never the translator's HTML
    root = tmp_path / "locales"
    shutil.copytree(catalogs.LOCALES_DIR, root)
    _edit(catalogs.po_path("it", root), {source: translation})
    words = catalogs.translations("it", root)
    assert words.gettext(source) == source
    assert words.gettext("Shortcut") == "Scorciatoia", "the rest of the catalog still speaks Italian"


def test_link_targets_must_stay_as_in_the_english() -> None:
    source = "**A step looks different? [Tell us]({url})**: …"
    assert catalogs.translation_problem(source, "**Un passaggio è diverso? [Diccelo]({url})**: …") is None
    assert catalogs.translation_problem(source, "**Un passaggio è diverso? [Diccelo](../x) {url}**: …") is not None


def test_plurals_dates_and_language_names_come_from_cldr() -> None:
    de, fr, nl = (phrases(loc) for loc in ("de", "fr", "nl"))
    assert de.overdue(1) == "überfällig: seit mehr als 1 Tag nicht erneut geprüft"
    assert de.overdue(14) == "überfällig: seit mehr als 14 Tagen nicht erneut geprüft"
    assert fr.overdue(1).endswith("1 jour") and fr.overdue(14).endswith("14 jours")
    assert nl.overdue(1).endswith("1 dag niet opnieuw gecontroleerd")
    day = date(2026, 3, 1)
    assert [catalogs.long_date(loc, day) for loc in ("en", "fr", "de", "it", "es", "nl")] == [
        "1 March 2026",
        "1 mars 2026",
        "1. März 2026",
        "1 marzo 2026",
        "1 de marzo de 2026",
        "1 maart 2026",
    ]
    assert catalogs.month_year("es", day) == "marzo de 2026"
    assert [catalogs.language_name(loc) for loc in ("it", "es", "nl", "fr", "de", "pt-BR")] == [
        "Italiano",
        "Español",
        "Nederlands",
        "Français",
        "Deutsch",
        "Português",
    ]


def test_a_new_language_is_a_po_file_and_nothing_else(tmp_path: Path) -> None:
    """Adding Catalan: copy messages.pot, translate, and the catalog is found and used."""
    root = tmp_path / "locales"
    shutil.copytree(catalogs.LOCALES_DIR, root)
    po = catalogs.po_path("ca", root)
    po.parent.mkdir(parents=True)
    with catalogs.TEMPLATE.open("rb") as fh:
        catalog = read_po(fh, locale="ca")
    catalog["Shortcut"].string = "Drecera"
    with po.open("wb") as fh:
        write_po(fh, catalog)
    assert "ca" in catalogs.catalog_locales(root)
    assert catalogs.translations("ca", root).gettext("Shortcut") == "Drecera"
    assert catalogs.translations("ca", root).gettext("Why it matters") == "Why it matters", "untranslated: English"
    assert any(p.locale == "ca" for p in catalogs.check(["ca"], root)), "an unfinished catalog does not ship"


QUOTES = {"it": ("«", "»"), "es": ("«", "»"), "nl": ("‘", "’")}
WORDS = {"it": ("opporti", "Invia"), "es": ("oponerte", "Enviar"), "nl": ("bezwaar maken", "Verzenden")}


@pytest.mark.parametrize("locale", ["it", "es", "nl"])
def test_it_es_nl_pages_speak_their_language_and_quote_its_words(small: config.Config, locale: str) -> None:
    page = instructions.render_page(small, "facebook", locale, None, None)
    ph = phrases(locale)
    assert (ph.open_quote, ph.close_quote) == QUOTES[locale]
    for word in WORDS[locale]:
        assert f"{ph.open_quote}{word}{ph.close_quote}" in page
    english = phrases("en")
    for sentence in (english.why_heading, english.help_heading, english.verbs["desktop"] + " ", english.after_email):
        assert sentence not in page
    assert clean(ph.notice_documented).split("**")[1] in page
    assert page.startswith(f"# {ph.title.format(platform='Facebook')}\n")
    # the other languages by their own names, from the journey file's locales, the catalogs and CLDR
    others = [catalogs.language_name(loc) for loc in languages.page_locales(small) if loc != locale]
    nav = next(line for line in page.splitlines() if line.startswith(f"[{others[0]}]("))
    assert [re.sub(r"\]\(.*", "", item.strip()).lstrip("[") for item in nav.split(" · ")][:-1] == others
    assert not [text for text in ph.notice_labels.values() if text in page], "its labels are in the journey file"


def test_the_site_speaks_each_pages_language_and_names_languages_from_cldr(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for locale, title in (("en", "Object"), ("it", "Opporsi"), ("nl", "Bezwaar")):
        page = root / "instructions" / locale / "facebook.md"
        page.parent.mkdir(parents=True)
        page.write_text(f"# {title}\n\nText.\n", encoding="utf-8")
    site.build_site(root, tmp_path / "site")
    italian = (tmp_path / "site" / "it" / "facebook.html").read_text(encoding="utf-8")
    assert '<html lang="it">' in italian
    for words in ("Vai al contenuto", "Tutte le istruzioni", "Che cosa è cambiato", "Opporsi all’addestramento"):
        assert words in italian
    assert "Skip to the content" not in italian
    assert 'title="Modifiche su Facebook (Atom)"' in italian, "its feeds too"
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<span class="locale">Italiano</span>' in index and '<span class="locale">Nederlands</span>' in index
    assert "Skip to the content" in index, "the index is in English"


def test_every_page_of_a_machine_translation_says_it_awaits_review_and_its_words_are_not_yet_known() -> None:
    """The 17 catalogs issue 25 added are machine translations (catalogs.REVIEW_PENDING in their header):
    each of their pages says so, and that Meta's words are not yet known; no other page says so."""
    unreviewed = {loc for loc in catalogs.catalog_locales() if catalogs.awaiting_review(loc)}
    assert unreviewed == set(SHIPPED) - {"de", "es", "fr", "it", "nl", "ro"}
    for locale in ["en", *SHIPPED]:
        ph = phrases(locale)
        for platform in ("facebook", "instagram"):
            page = (ROOT / "instructions" / locale / f"{platform}.md").read_text(encoding="utf-8")
            assert (f"> {ph.notice_review}" in page) == (locale in unreviewed), (locale, platform)
            if locale in unreviewed:
                assert f"> {ph.notice_labels['missing']}" in page, (locale, platform)
                assert "Last-Translator: optout-monitor project (machine translation" in catalogs.po_path(
                    locale
                ).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- every sentence, rendered


def _sample(name: str) -> str:
    return f"⟨{name or 'value'}⟩"


@pytest.mark.parametrize("locale", ["en", *SHIPPED])
def test_every_catalog_sentence_renders_with_sample_values(locale: str) -> None:
    """What a reader gets: each msgid of messages.pot, as the loader gives it in this language (a refused
    translation falls back to the English), filled with a sample value per placeholder of the msgid.
    No placeholder missing or unknown, nothing left in braces, every value shown, never empty."""
    tr = catalogs.translations(locale)
    bad: list[str] = []
    for message in catalogs.read_catalog(catalogs.TEMPLATE):
        if not message.id:
            continue
        ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
        names = sorted(set(catalogs._PLACEHOLDER.findall(ids[0])) | set(catalogs._PLACEHOLDER.findall(ids[-1])))
        values = {name: _sample(name) for name in names}
        if len(ids) == 2:
            texts = [
                tr.npgettext(message.context, ids[0], ids[1], n) if message.context else tr.ngettext(ids[0], ids[1], n)
                for n in (0, 1, 2, 3, 5, 11, 21, 101)
            ]
            values = {**values, **{name: "2" for name in names if name in ("days", "count", "n")}}
        elif message.context:
            texts = [tr.pgettext(message.context, ids[0])]
        else:
            texts = [tr.gettext(ids[0])]
        for text in texts:
            try:
                rendered = text.format(**values) if names else text
            except (KeyError, IndexError, ValueError) as exc:
                bad.append(f"{ids[0][:50]!r}: {type(exc).__name__} {exc} in {text!r}")
                continue
            if "{" in rendered or "}" in rendered:
                bad.append(f"{ids[0][:50]!r}: a brace is left in {rendered!r}")
            if not rendered.strip():
                bad.append(f"{ids[0][:50]!r}: empty")
            missing = [v for v in values.values() if v not in rendered and v != "2"]
            if missing:
                bad.append(f"{ids[0][:50]!r}: {missing} not shown in {rendered!r}")
    assert bad == []


@pytest.mark.parametrize("locale", ["en", "fr", "de", "it", "es", "nl"])
def test_the_app_steps_source_is_one_whole_sentence_of_the_language(locale: str) -> None:
    """Issue 22: "Diese Schritte stammen aus: öffentliche Anleitungen … (Mai 2025)" and "the 2025 rollout
    (May 2025)": a name dropped into a sentence of another grammar. app-steps.yaml now gives the whole
    sentence per language, its {when} the month as the language writes it."""
    cfg = config.load(ROOT / "monitor.yaml")
    apps = app_steps.load(ROOT / app_steps.FILE_NAME, [locale])
    assert apps is not None
    when = catalogs.month_year(locale, date(2025, 5, 1))
    for platform in ("facebook", "instagram"):
        page = instructions.render_page(cfg, platform, locale, None, None, apps=apps)
        sentence = apps.platforms[platform].source.sentence[locale].format(when=when)
        notice = next(line for line in page.splitlines() if line.startswith("> ") and when in line)
        assert f". {sentence} " in notice, (locale, notice)
        assert sentence[0].isupper() and sentence.endswith(".")
        assert ": " + sentence[0].lower() not in notice and "rollout (" not in notice and "2025 (" not in notice
    if locale == "de":
        expected = "Diese Schritte stammen aus öffentlichen Anleitungen und Presseberichten (Stand: Mai 2025)."
        assert expected in page


def test_a_source_sentence_without_its_date_is_refused(tmp_path: Path) -> None:
    text = (ROOT / app_steps.FILE_NAME).read_text(encoding="utf-8").replace(" (Stand: {when}).", ".", 1)
    bad = tmp_path / app_steps.FILE_NAME
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(app_steps.AppStepsError, match=r"platforms\.facebook\.source\.sentence\.de: needs \{when\}"):
        app_steps.load(bad, ["en", "de"])


@pytest.mark.parametrize("locale", ["en", *SHIPPED])
def test_no_account_links_metas_form_for_people_without_one(locale: str) -> None:
    """Issue 22: "No account? … Meta has a separate form" gave no link to it. Every page links it, there."""
    ph = phrases(locale)
    bold = ph.why[4].split("**")[1]  # "No account?"
    for platform in ("facebook", "instagram"):
        page = (ROOT / "instructions" / locale / f"{platform}.md").read_text(encoding="utf-8")
        item = next(line for line in page.splitlines() if line.startswith(f"- **{bold}**"))
        assert re.search(r"\[[^\]]+\]\(" + re.escape(NON_USER_FORM) + r"\)", item), (locale, platform, item)


# Sequences a language's grammar contracts: a verb ending in a preposition before a role noun with its
# article ("Κάντε κλικ σε το κουμπί", "Clique em o botão"), or Maltese "il-" after a vowel.
UNCONTRACTED = {
    "el": re.compile(r"\bσε (το|τον|την|τα|τους|τις)\b"),
    "pt": re.compile(r"\b(em|de|a|por) (o|a|os|as)\b "),
    "it": re.compile(r"\b(su|di|a|da|in) (il|lo|la|i|gli|le)\b "),
    "es": re.compile(r"\b(a|de) el\b "),
    "fr": re.compile(r"\b(à|de) (le|les)\b "),
    "mt": re.compile(r"[aeiou] il-"),
}


@pytest.mark.parametrize("locale", ["en", *SHIPPED])
def test_a_step_reads_as_the_language_contracts_it(locale: str) -> None:
    """Issue 22: generated step sentences must read well: every verb (click, tap) with every role noun,
    as phrasing.py puts them together, keeps the contractions the language requires."""
    ph = phrases(locale)
    rule = UNCONTRACTED.get(locale)
    sentences = [
        ph.click.format(verb=verb, what=what, label=f"{ph.open_quote}Send{ph.close_quote}", place="")
        for verb in ph.verbs.values()
        for what in ph.roles.values()
    ]
    assert all(s.strip() and "  " not in s for s in sentences), sentences
    if rule is not None:
        assert [s for s in sentences if rule.search(s)] == []
