"""Label sets learned from a walk: `labels/<locale>.yaml` beside the journey file.

`check --learn-labels LOCALE` writes one with `reviewed_by: null`; a maintainer checks each label
against its evidence, sets `reviewed_by`, and merges the pull request. From then on the journey
file uses it: loading a journey file merges every REVIEWED set of its `labels/` folder into the
steps that have no names for that locale (names written in the journey file win). A set nobody
reviewed is never walked with; it only tells `labels.label_state` that the locale is
"unreviewed". docs/decisions/0016-labels-learned-from-a-walk.md says why.

Scraped text stays text: labels are read back with a safe loader and validated as strings, and
written by the safe dumper, which quotes whatever YAML could read as something else.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

LABELS_DIR = "labels"
MAX_BYTES = 200_000  # a learned set is a few kB

HEADER = """\
# Labels for locale {locale!r}, learned by `optout-monitor check --learn-labels {locale}` on {learned}.
# Nobody has checked them yet. To accept them: compare each label with its evidence (where it was
# found, what it stands in for, where it leads), fix or delete what is wrong, set `reviewed_by` to
# your name, add `{locale}: {browser_locale}` to `locales:` in the journey file, and merge the PR.
# Walks use a label set only once `reviewed_by` is set; names written in the journey file win.
"""


class LabelSetError(Exception):
    """A label set that cannot be used; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Strict):
    """Why a label is believed: found without reading any words, by place, role and destination."""

    viewport: str
    page: str  # the address the element was on
    place: str  # where on the page: landmarks and block positions, no words
    stands_for: str  # the reference locale's label of the same step, e.g. "en: Settings & privacy"
    leads_to: str | None = None  # where clicking it went (None: it opened something in place)
    found_by: str = "place"  # place | destination


class Learned(_Strict):
    role: str
    names: list[str] = Field(min_length=1)
    evidence: list[Evidence] = Field(default_factory=list)


class LabelSet(_Strict):
    locale: str
    browser_locale: str
    reference: str  # the documented locale walked first
    learned: str  # ISO date
    reviewed_by: str | None = None
    sites: dict[str, dict[str, Learned]] = Field(default_factory=dict)  # site -> {"consent": …}
    journeys: dict[str, dict[str, Learned]] = Field(default_factory=dict)  # journey -> step -> …
    not_learned: dict[str, dict[str, str]] = Field(default_factory=dict)  # journey -> step -> why

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewed_by and self.reviewed_by.strip())


def path_for(config_path: Path, locale: str) -> Path:
    return config_path.parent / LABELS_DIR / f"{locale}.yaml"


def dump(label_set: LabelSet) -> str:
    """The file's text: a header saying how to accept it, then plain YAML (safe dumper: only text)."""
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    buffer = io.StringIO()
    yaml.dump(_quoted(label_set.model_dump(mode="json")), buffer)
    head = HEADER.format(locale=label_set.locale, learned=label_set.learned, browser_locale=label_set.browser_locale)
    return head + buffer.getvalue()


def _quoted(node: Any) -> Any:
    """Every text value double-quoted: read back as text by any YAML reader, whatever it says
    ("yes", "null", "- a", "<img …>", "**bold**"); keys are ours and stay plain."""
    if isinstance(node, dict):
        return {k: _quoted(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_quoted(v) for v in node]
    if isinstance(node, str):
        return DoubleQuotedScalarString(node)
    return node


def parse(text: str, source: str) -> LabelSet:
    try:
        data = YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        raise LabelSetError(f"{source}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise LabelSetError(f"{source}: expected a mapping (locale, reviewed_by, journeys, …)")
    try:
        return LabelSet.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise LabelSetError(f"{source}: {where}: {first['msg']}") from None


def read(path: Path) -> LabelSet:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise LabelSetError(f"{path}: larger than {MAX_BYTES:,} bytes; a label set is a few kB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelSetError(f"{path}: cannot read it: {exc}") from None
    label_set = parse(text, str(path))
    if label_set.locale != path.stem:
        raise LabelSetError(f"{path}: locale: {label_set.locale!r} does not match the file name ({path.stem}.yaml)")
    return label_set


def read_dir(folder: Path) -> dict[str, LabelSet]:
    """Every label set of a journey file's labels/ folder, by locale (none when there is no folder)."""
    if not folder.is_dir():
        return {}
    return {p.stem: read(p) for p in sorted(folder.glob("*.yaml"))}


def apply(data: dict[str, Any], sets: dict[str, LabelSet]) -> dict[str, Any]:
    """The journey file's plain data with the reviewed sets' names added where a locale has none."""
    for label_set in sets.values():
        if not label_set.reviewed:
            continue
        loc = label_set.locale
        for site_id, found in label_set.sites.items():
            site = (data.get("sites") or {}).get(site_id)
            if isinstance(site, dict) and "consent" in found and isinstance(site.get("consent"), dict):
                _add(site["consent"], loc, found["consent"])
        for journey in data.get("journeys") or []:
            steps = label_set.journeys.get(journey.get("id", "")) if isinstance(journey, dict) else None
            if not steps:
                continue
            for step in journey.get("steps") or []:
                learned = steps.get(step.get("id", "")) if isinstance(step, dict) else None
                target = _target(step) if learned is not None else None
                if target is not None and learned is not None:
                    _add(target, loc, learned)
    return data


def _target(step: dict[str, Any]) -> dict[str, Any] | None:
    """The step's target mapping itself (names are added in place)."""
    for action in ("click", "observe"):
        value = step.get(action)
        if isinstance(value, dict):
            return value
    for action in ("fill", "wait"):
        inner = step.get(action)
        if isinstance(inner, dict) and isinstance(inner.get("target"), dict):
            found: dict[str, Any] = inner["target"]
            return found
    return None


def _add(target: dict[str, Any], locale: str, learned: Learned) -> None:
    names = target.get("name")
    if isinstance(names, dict) and locale not in names and target.get("role") == learned.role:
        names[locale] = list(learned.names)
