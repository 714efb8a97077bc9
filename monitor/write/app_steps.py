"""The steps in the Facebook and Instagram apps: documented facts, never checked by the monitor.

The monitor walks the websites only; it cannot drive the Android or iPhone apps. Most people object
from the apps, so the instructions still give those steps, from a data file beside the journey file
(`app-steps.yaml` next to `monitor.yaml`), each platform with its source and the date it was
documented. The pages label them "reported by guides, not checked by the monitor", always.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

FILE_NAME = "app-steps.yaml"
_SLOTS = re.compile(r"\{([^{}]*)\}")  # the {when} of a source sentence


class AppStepsError(Exception):
    """An app-steps file that cannot be used; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where the steps come from: a whole sentence per locale that says who documented them and when
    (`{when}`: the month of `documented`, as the language writes it), and a link to the facts. A whole
    sentence, not a name dropped into ours: each language builds its own grammar around it."""

    sentence: dict[str, str] = Field(min_length=1)  # locale -> "These steps come from … (as of {when})."
    documented: date  # when the guides described these steps
    link: str | None = None  # repository path of the collected facts, e.g. docs/meta-flow.md


class PlatformApp(_Strict):
    app: str  # the app's name as people know it: "Facebook"
    source: Source
    steps: list[dict[str, str]] = Field(min_length=1)  # each: locale -> one sentence of Markdown, labels quoted


class AppGuide(_Strict):
    version: int = Field(ge=1, le=1)
    platforms: dict[str, PlatformApp] = Field(min_length=1)

    def steps(self, platform: str, locale: str) -> list[str] | None:
        """The platform's steps in a locale (its primary tag, then English); None when it has none."""
        app = self.platforms.get(platform)
        if app is None:
            return None
        primary = locale.split("-")[0]
        return [step.get(locale) or step.get(primary) or step["en"] for step in app.steps]

    def problems(self, locales: list[str]) -> list[str]:
        """Steps or sources missing a locale the journey file renders, and source sentences without their
        {when}: each as 'key: problem'."""
        out: list[str] = []
        for name, app in self.platforms.items():
            for locale in locales:
                if locale not in app.source.sentence:
                    out.append(f"platforms.{name}.source.sentence: no text for locale {locale!r}")
                for index, step in enumerate(app.steps):
                    if locale not in step:
                        out.append(f"platforms.{name}.steps[{index}]: no text for locale {locale!r}")
            for locale, text in app.source.sentence.items():
                if _SLOTS.findall(text) != ["when"]:
                    out.append(f"platforms.{name}.source.sentence.{locale}: needs {{when}} once, and no other {{…}}")
        return out


def beside(config_path: Path) -> Path:
    """The app-steps file that belongs to a journey file: the same folder."""
    return config_path.parent / FILE_NAME


def parse(text: str, source: str = FILE_NAME) -> AppGuide:
    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        raise AppStepsError(f"{source}: not valid YAML ({str(exc).splitlines()[0]})") from None
    try:
        return AppGuide.model_validate(data)
    except ValidationError as exc:
        lines = [f"{source}: {'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors()]
        raise AppStepsError("\n".join(lines)) from None


def load(path: Path, locales: list[str] | None = None) -> AppGuide | None:
    """The app steps at path; None when there is no such file (the pages then have no app section)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise AppStepsError(f"{path}: cannot read it: {exc}") from None
    guide = parse(text, str(path))
    missing = guide.problems(locales or [])
    if missing:
        raise AppStepsError("\n".join(f"{path}: {m}" for m in missing))
    return guide


def load_beside(config_path: Path, locales: list[str] | None = None) -> AppGuide | None:
    return load(beside(config_path), locales)
