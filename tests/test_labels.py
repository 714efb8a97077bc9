"""A language whose on-screen words are not known renders honestly: the page says so (labels.py)."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from monitor import config
from monitor.guard.inert import Md
from monitor.write import instructions, labels
from monitor.write.phrases import phrases

SMALL = Path(__file__).parent / "data" / "journey-it-es-nl.yaml"


def raw() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(SMALL.read_text(encoding="utf-8"))
    return data


def without(data: dict[str, Any], locale: str, step: str | None = None, consent: bool = False) -> config.Config:
    """The small journey file minus one locale's names on one step (or on the cookie dialog). The
    journey file's own check refuses that today, so the model is built directly."""
    data = copy.deepcopy(data)
    if consent:
        del data["sites"]["facebook"]["consent"]["name"][locale]
    for s in data["journeys"][0]["steps"]:
        if s["id"] == step:
            del s["click"]["name"][locale]
    return config.Config.model_validate(data)


def test_a_locale_named_on_every_step_is_verified() -> None:
    cfg = config.load(SMALL)
    journey = cfg.journey("facebook-privacy-center")
    assert [labels.label_state(cfg, journey, loc) for loc in ("en", "it", "es", "nl")] == ["verified"] * 4


@pytest.mark.parametrize(("step", "consent"), [("send", False), ("object-link", False), (None, True)])
def test_one_unnamed_target_or_cookie_button_makes_the_labels_missing(step: str | None, consent: bool) -> None:
    cfg = without(raw(), "nl", step, consent)
    journey = cfg.journey("facebook-privacy-center")
    assert labels.label_state(cfg, journey, "nl") == "missing"
    assert labels.label_state(cfg, journey, "it") == "verified", "only the locale that lacks them"
    assert labels.label_state(cfg, journey, "ro") == "missing", "a locale the file never names"


def test_a_page_without_its_words_says_so_and_quotes_the_english_ones_as_english() -> None:
    cfg = without(raw(), "nl", "send")
    page = instructions.render_page(cfg, "facebook", "nl", None, None)
    ph = phrases("nl")
    notice = ph.notice_labels["missing"]
    assert f"> {notice}\n" in page
    assert "Nog niet door een mens" not in page
    assert "De woorden op het scherm zijn in deze taal nog niet allemaal bekend." in page
    assert "‘Send’" in page and "‘Verzenden’" not in page, "the English word, said to be English"
    assert page.index(notice) < page.index(ph.notice_documented), "first thing after the status"
    index = instructions.render_index(cfg, None, instructions.Verified(), date(2026, 11, 30))
    nl_row = next(line for line in index.splitlines() if "(nl/facebook.md)" in line)
    assert nl_row.endswith("| not yet checked: the words on screen are not yet known in this language |")
    it_row = next(line for line in index.splitlines() if "(it/facebook.md)" in line)
    assert it_row.endswith("| not yet checked: steps from public guides, no screenshots |")
    verified = instructions.render_page(cfg, "facebook", "it", None, None)
    assert not [text for text in phrases("it").notice_labels.values() if text in verified]


@pytest.mark.parametrize("locale", ["en", "fr", "de", "it", "es", "nl"])
def test_each_label_state_has_its_words_in_every_language(locale: str) -> None:
    ph = phrases(locale)
    assert instructions.labels_notice(ph, labels.VERIFIED) is None
    missing = instructions.labels_notice(ph, labels.MISSING)
    learned = instructions.labels_notice(ph, labels.UNREVIEWED)
    assert isinstance(missing, Md) and isinstance(learned, Md) and missing != learned
    assert missing.startswith("**") and learned.startswith("**")
    assert set(ph.index_states) >= {labels.MISSING, labels.UNREVIEWED}
    if locale == "en":
        assert "learned from the page, not yet checked by a person" in learned
