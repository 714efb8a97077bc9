"""Adding a language needs no Python: in a copy of the repository, a .po file alone makes its pages
(saying the words on screen are not yet known), a learned label set makes them quote the learned words
as learned, and a maintainer's `reviewed_by` makes them plain. The copy's own `python -m
monitor.write.instructions` renders each state, so nothing is patched in-process (monitor/write/languages.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from monitor import config, labelset
from monitor.labelset import LabelSet, Learned
from monitor.write import catalogs, instructions, labels, languages
from monitor.write.phrases import phrases

ROOT = Path(__file__).resolve().parent.parent
LOCALE = "pl"
# A few real Polish sentences; every other message is marked "(pl) " so a test can tell it is used.
POLISH = {
    "{platform}: object to Meta using your data for AI": "{platform}: sprzeciw wobec użycia Twoich danych przez AI Meta",
    "“{label}”": "„{label}”",
    phrases("en").notice_labels[labels.MISSING]: (
        "**Nie wszystkie słowa na ekranie są jeszcze znane w tym języku.** Nikt jeszcze nie zapisał, co mówią "
        "niektóre przyciski i linki Meta w tym języku, więc te kroki cytują je po angielsku: na Twoim ekranie "
        "są przetłumaczone. Szukaj słowa w tym samym miejscu."
    ),
    phrases("en").notice_labels[labels.UNREVIEWED]: (
        "**Cytowane słowa odczytano ze strony; nikt ich jeszcze nie sprawdził.** Monitor sam odczytał je ze "
        "stron Meta; nikt ich jeszcze nie potwierdził."
    ),
}
MISSING_PL = "**Nie wszystkie słowa na ekranie są jeszcze znane w tym języku.**"
UNREVIEWED_PL = "**Cytowane słowa odczytano ze strony; nikt ich jeszcze nie sprawdził.**"


def polish_catalog(path: Path) -> None:
    """messages.pot with every msgstr filled, as a translator would hand it in."""
    with catalogs.TEMPLATE.open("rb") as fh:
        template = read_po(fh)
    out = Catalog(locale=LOCALE, domain=catalogs.DOMAIN, fuzzy=False)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            string: str | tuple[str, ...] = tuple(f"(pl) {message.id[-1]}" for _ in range(out.num_plurals))
        else:
            string = POLISH.get(message.id, f"(pl) {message.id}")
        out.add(message.id, string, context=message.context, flags=message.flags - {"fuzzy"})
    path.parent.mkdir(parents=True)
    with path.open("wb") as fh:
        write_po(fh, out)


def copy_of_the_repository(tmp: Path) -> Path:
    repo = tmp / "repo"
    shutil.copytree(ROOT / "monitor", repo / "monitor", ignore=shutil.ignore_patterns("__pycache__", "replica"))
    for folder in ("instructions", "snapshots"):
        shutil.copytree(ROOT / folder, repo / folder)
    for name in ("monitor.yaml", "app-steps.yaml"):
        shutil.copy2(ROOT / name, repo / name)
    # the repository ships a Polish catalog (issue 25): this copy adds Polish from nothing
    shutil.rmtree(repo / "monitor" / "locales" / LOCALE)
    shutil.rmtree(repo / "instructions" / LOCALE)
    return repo


def render(repo: Path) -> None:
    """The copy's own renderer, the command the README gives (`python -m monitor.write.instructions`)."""
    env = {**os.environ, "PYTHONPATH": str(repo), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "monitor.write.instructions", "--config", "monitor.yaml", "--root", "."],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def learned_set(cfg: config.Config, reviewed_by: str | None, locale: str = LOCALE) -> str:
    """What `check --learn-labels pl` would write: every target and cookie button, named "PL <English>"."""
    journeys = {
        j.id: {
            s.id: Learned(role=s.target.role, names=[f"PL {s.target.names('en')[0]}"])
            for s in j.steps
            if s.target is not None
        }
        for j in cfg.journeys
    }
    sites = {
        name: {"consent": Learned(role=site.consent.role, names=[f"PL {site.consent.names('en')[0]}"])}
        for name, site in cfg.sites.items()
        if site.consent is not None
    }
    found = LabelSet(
        locale=locale,
        browser_locale=f"{locale}-{locale.upper()}",
        reference="en",
        learned="2026-11-30",
        reviewed_by=reviewed_by,
        sites=sites,
        journeys=journeys,
    )
    return labelset.dump(found)


def index_row(repo: Path) -> str:
    index = (repo / "instructions" / "README.md").read_text(encoding="utf-8")
    return next(line for line in index.splitlines() if line.startswith("| Facebook | Polski |"))


def test_a_language_is_a_po_file_then_learned_labels_then_a_review_and_no_python(tmp_path: Path) -> None:
    repo = copy_of_the_repository(tmp_path)
    cfg = config.load(repo / "monitor.yaml")
    assert LOCALE not in cfg.locales and not (repo / "labels").exists()
    page_path = repo / "instructions" / LOCALE / "facebook.md"
    en = phrases("en")
    journey = instructions.page_journey(cfg, "facebook")
    assert journey is not None and journey.tracked_step is not None
    privacy = next(s for s in journey.steps if s.id == "privacy-center")
    assert privacy.target is not None and privacy.target.names("en")[0] == "Privacy Center"

    # 1. a catalog only: the page exists, in Polish, quoting the English words and saying so
    polish_catalog(catalogs.po_path(LOCALE, repo / "monitor" / "locales"))
    render(repo)
    page = page_path.read_text(encoding="utf-8")
    assert page.startswith("# Facebook: sprzeciw wobec użycia Twoich danych przez AI Meta\n")
    assert "[Polski](../pl/facebook.md)" in (repo / "instructions" / "en" / "facebook.md").read_text(encoding="utf-8")
    assert MISSING_PL in page and UNREVIEWED_PL not in page and f"(pl) {en.notice_documented}" in page
    assert "„Privacy Center”" in page, "the English word, in Polish quotes"
    assert f"(pl) {en.state_documented.split(' (')[0]}" in page, "the status: not yet checked"
    assert "(pl) checked on the real site" not in page and "(pl) rehearsal only" not in page
    assert index_row(repo).endswith(f"| never | {en.index_states[labels.MISSING]} |")

    # 2. labels learned by a walk, nobody has reviewed them: quoted, as learned
    (repo / "labels").mkdir()
    (repo / "labels" / f"{LOCALE}.yaml").write_text(learned_set(cfg, None), encoding="utf-8")
    render(repo)
    page = page_path.read_text(encoding="utf-8")
    assert UNREVIEWED_PL in page and MISSING_PL not in page
    assert f"(pl) {en.notice_documented}" not in page, "learned words are not the guides' words"
    assert "„PL Privacy Center”" in page and "„Privacy Center”" not in page
    assert index_row(repo).endswith(f"| never | {en.index_states[labels.UNREVIEWED]} |")

    # 3. a maintainer reviewed them: the words are known; still not walked, so not checked
    (repo / "labels" / f"{LOCALE}.yaml").write_text(learned_set(cfg, "A Maintainer"), encoding="utf-8")
    reviewed = config.load(repo / "monitor.yaml")
    assert labels.label_state(reviewed, reviewed.journey(journey.id), LOCALE) == labels.VERIFIED
    render(repo)
    page = page_path.read_text(encoding="utf-8")
    assert UNREVIEWED_PL not in page and MISSING_PL not in page
    assert "„PL Privacy Center”" in page and "„PL Decline optional cookies”" in page
    assert index_row(repo).endswith(f"| never | {en.index_states['documented']} |")
    assert not [p for p in repo.rglob("*.py") if (ROOT / p.relative_to(repo)).read_bytes() != p.read_bytes()]


def test_page_locales_are_the_listed_ones_then_those_with_a_catalog_or_a_learned_set(tmp_path: Path) -> None:
    """`locales:` in its order first; a catalog "pt" is covered by a listed "pt-BR"; the rest sorted."""
    root = tmp_path / "locales"
    for code in ("pt", "ro", "fr"):
        catalogs.po_path(code, root).parent.mkdir(parents=True)
        catalogs.po_path(code, root).write_text("", encoding="utf-8")
    shutil.copy2(ROOT / "monitor.yaml", tmp_path / "monitor.yaml")
    cfg = config.load(tmp_path / "monitor.yaml")
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "sk.yaml").write_text(learned_set(cfg, None, "sk"), encoding="utf-8")
    learned = config.load(tmp_path / "monitor.yaml").model_copy(update={"locales": {"pt-BR": "pt-BR", "en": "en-GB"}})
    assert learned.label_sets == {"sk": False}
    assert languages.page_locales(learned, root) == ["pt-BR", "en", "fr", "ro", "sk"]
