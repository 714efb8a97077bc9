"""The steps in the Facebook and Instagram apps: documented facts, never checked by the monitor.

The monitor walks the websites only; it cannot drive the Android or iPhone apps. Most people object
from the apps, so the instructions still give those steps, from a data file beside the journey file
(`app-steps.yaml` next to `monitor.yaml`), each platform with its source and the date it was
documented. The pages label them "reported by guides, not checked by the monitor", always.

A step that quotes a word the website also shows names the journey step it shares with the website
(`web_step: object-link`, an id of the platform's journey in monitor.yaml): when an accepted walk
shows other words there, the page's app step follows the website and says so (appfollow.py).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from monitor.config import ID_PATTERN, Config
from monitor.write.page import page_journey

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


class AppStep(_Strict):
    """One step in the app: a sentence per locale and, when it quotes a word the website shows too, the
    id of that web step in the platform's journey (`web_step:`, written beside the locales in the file)."""

    text: dict[str, str] = Field(min_length=1)  # locale -> one sentence of Markdown, labels quoted
    web_step: str | None = Field(default=None, pattern=ID_PATTERN)

    @model_validator(mode="before")
    @classmethod
    def _locales_beside(cls, data: Any) -> Any:
        """In the file a step is one mapping: its locales and, beside them, `web_step`."""
        if isinstance(data, dict) and "text" not in data:
            rest = {k: v for k, v in data.items() if k != "web_step"}
            return {"text": rest, **({"web_step": data["web_step"]} if "web_step" in data else {})}
        return data


class PlatformApp(_Strict):
    app: str  # the app's name as people know it: "Facebook"
    source: Source
    steps: list[AppStep] = Field(min_length=1)


class AppGuide(_Strict):
    version: int = Field(ge=1, le=1)
    platforms: dict[str, PlatformApp] = Field(min_length=1)

    def steps(self, platform: str, locale: str) -> list[str] | None:
        """The platform's steps in a locale (its primary tag, then English); None when it has none."""
        app = self.platforms.get(platform)
        if app is None:
            return None
        primary = locale.split("-")[0]
        return [step.text.get(locale) or step.text.get(primary) or step.text["en"] for step in app.steps]

    def problems(self, locales: list[str], config: Config | None = None) -> list[str]:
        """Steps or sources missing a locale the journey file renders, a `web_step` that is not a step of the
        platform's journey in that file, and source sentences without their {when}: each as 'key: problem'."""
        out: list[str] = []
        for name, app in self.platforms.items():
            for locale in locales:
                if locale not in app.source.sentence:
                    out.append(f"platforms.{name}.source.sentence: no text for locale {locale!r}")
                for index, step in enumerate(app.steps):
                    if locale not in step.text:
                        out.append(f"platforms.{name}.steps[{index}]: no text for locale {locale!r}")
            for locale, text in app.source.sentence.items():
                if _SLOTS.findall(text) != ["when"]:
                    out.append(f"platforms.{name}.source.sentence.{locale}: needs {{when}} once, and no other {{…}}")
            if config is not None:
                out += _web_step_problems(name, app, config)
        return out


def _web_step_problems(name: str, app: PlatformApp, config: Config) -> list[str]:
    journey = page_journey(config, name)
    known = [s.id for s in journey.steps] if journey is not None else []
    out = []
    for index, step in enumerate(app.steps):
        if step.web_step is None or step.web_step in known:
            continue
        where = f"journey {journey.id!r}" if journey is not None else f"no logged-in journey of site {name!r}"
        out.append(
            f"platforms.{name}.steps[{index}] (app step {index + 1}): web_step {step.web_step!r} is not a step "
            f"of {where} in the journey file; its steps: {', '.join(known) or 'none'}"
        )
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


def load(path: Path, locales: list[str] | None = None, config: Config | None = None) -> AppGuide | None:
    """The app steps at path; None when there is no such file (the pages then have no app section).
    With the journey file's `config`, each `web_step` must be a step of the platform's journey."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise AppStepsError(f"{path}: cannot read it: {exc}") from None
    guide = parse(text, str(path))
    missing = guide.problems(locales or [], config)
    if missing:
        raise AppStepsError("\n".join(f"{path}: {m}" for m in missing))
    return guide


def load_beside(config_path: Path, locales: list[str] | None = None, config: Config | None = None) -> AppGuide | None:
    return load(beside(config_path), locales, config)
