"""Locales and the replica's strings (strings.json: {key: {locale: text}} for every locale of LOCALES).

ro is the locale whose labels no guide documents: monitor.yaml has none, `check --learn-labels ro`
reads them off the pages (monitor/walk/learn.py). The other official EU languages (PARTIAL_LOCALES)
are served from strings-eu.json, which holds only the strings a journey step shows and a few around
them, in our own translation (not Meta's words); every other string of theirs is the English one.
That is enough for `check --learn-labels LL` to be tried on each."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

LOCALES = ("en", "fr", "de", "it", "es", "nl", "ro")  # every string translated (strings.json)
PARTIAL_LOCALES = ("bg", "cs", "da", "el", "et", "fi", "ga", "hr", "hu", "lt", "lv", "mt", "pl", "pt", "sk", "sl", "sv")
SERVED = LOCALES + PARTIAL_LOCALES
DEFAULT_LOCALE = "en"
HTML_LANG = {
    "en": "en-GB", "fr": "fr-FR", "de": "de-DE", "it": "it-IT", "es": "es-ES", "nl": "nl-NL", "ro": "ro-RO",
    "bg": "bg-BG", "cs": "cs-CZ", "da": "da-DK", "el": "el-GR", "et": "et-EE", "fi": "fi-FI", "ga": "ga-IE",
    "hr": "hr-HR", "hu": "hu-HU", "lt": "lt-LT", "lv": "lv-LV", "mt": "mt-MT", "pl": "pl-PL", "pt": "pt-PT",
    "sk": "sk-SK", "sl": "sl-SI", "sv": "sv-SE",
}  # fmt: skip


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    raw = json.loads(resources.files(__package__).joinpath("strings.json").read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("strings.json must hold an object")
    table: dict[str, dict[str, str]] = {}
    for key, per_locale in raw.items():
        if key.startswith("//"):
            continue
        if not isinstance(per_locale, dict) or set(per_locale) != set(LOCALES):
            raise ValueError(f"strings.json: {key!r} must have exactly the locales {LOCALES}")
        table[key] = {loc: str(per_locale[loc]) for loc in LOCALES}
    for key, per_locale in _load("strings-eu.json").items():
        if key not in table:
            raise ValueError(f"strings-eu.json: {key!r} is not a key of strings.json")
        if not isinstance(per_locale, dict) or not set(per_locale) <= set(PARTIAL_LOCALES):
            raise ValueError(f"strings-eu.json: {key!r} may only have the locales {PARTIAL_LOCALES}")
        table[key].update({loc: str(text) for loc, text in per_locale.items()})
    for texts in table.values():  # a partial locale says in English what strings-eu.json does not hold
        for loc in PARTIAL_LOCALES:
            texts.setdefault(loc, texts[DEFAULT_LOCALE])
    return table


def _load(name: str) -> dict[str, object]:
    raw = json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(f"{name} must hold an object")
    return {k: v for k, v in raw.items() if not k.startswith("//")}


def pick_locale(accept_language: str | None, override: str | None = None) -> str:
    """The first supported primary tag, by q-value then order; `override` (?locale=) wins."""
    if override:
        primary = override.replace("_", "-").split("-")[0].lower()
        if primary in SERVED:
            return primary
    if not accept_language:
        return DEFAULT_LOCALE
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(accept_language.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip().split("-")[0].lower()))
    for neg_quality, _, primary in sorted(ranked):
        if neg_quality < 0 and primary in SERVED:
            return primary
    return DEFAULT_LOCALE


class Texts:
    """Strings of one locale, with a variant's overrides on top."""

    def __init__(self, locale: str, overrides: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.locale = locale
        self._table = strings()
        self._over: dict[str, str] = {}
        if overrides:
            self._over.update(overrides.get("*", {}))
            self._over.update(overrides.get(locale, {}))

    def __call__(self, key: str, **values: str) -> str:
        text = self._over[key] if key in self._over else self._table[key][self.locale]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self._over or key in self._table
