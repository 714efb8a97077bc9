"""monitor.yaml -> typed records. A bad file fails with the key path, what was expected, and the line."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from monitor import include, labelset
from monitor.guard.privacy import Privacy
from monitor.quickspec import QuickSpec, spec_problems

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
# Limits of a journey file: a real one is ~11 kB and 9 levels deep; an error quotes 80 characters of a value.
MAX_BYTES = 1_000_000
MAX_DEPTH = 32
QUOTE_CHARS = 80
ACTIONS = ("goto", "click", "fill", "wait", "consent", "observe")


class ConfigError(Exception):
    """A journey file that cannot be used; the message names the file, line and key path."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetSpec(Strict):
    """An element named the way a person sees it: a role and accessible-name candidates per locale."""

    role: Literal[
        "link",
        "button",
        "heading",
        "menuitem",
        "tab",
        "textbox",
        "checkbox",
        "img",
        "dialog",
        "region",
        "option",
        "combobox",
    ]
    name: dict[str, list[str]] = Field(min_length=1)
    # How a candidate matches the accessible name (case, whitespace and invisible characters aside):
    # whole: the name is the candidate; prefix: the name starts with it ("right to object" matches
    # Meta's "right to object to"); words: it appears as whole words anywhere in the name. The
    # observation records which candidate matched and how ("right to object (prefix)").
    match: Literal["whole", "prefix", "words"] = "whole"

    @field_validator("name")
    @classmethod
    def _names_not_empty(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for locale, names in value.items():
            if not names:
                raise ValueError(f"locale {locale!r} lists no names; give at least one")
            for n in names:
                if not n.strip():
                    raise ValueError(f"locale {locale!r} has an empty name")
        return value

    def names(self, locale: str) -> list[str]:
        return self.name.get(locale) or self.name.get("en") or next(iter(self.name.values()))


class FillSpec(Strict):
    target: TargetSpec
    value: str


class WaitSpec(Strict):
    ms: int = Field(default=0, ge=0, le=60_000)
    target: TargetSpec | None = None


class Step(Strict):
    """One hop of a journey; exactly one action key."""

    id: str = Field(pattern=ID_PATTERN)
    goto: str | None = None
    click: TargetSpec | None = None
    fill: FillSpec | None = None
    wait: WaitSpec | None = None
    consent: dict[str, Any] | None = None
    observe: TargetSpec | None = None
    tracked: bool = False
    submit: bool = False  # pressing it sends a form: only ever done on a stand-in origin
    viewports: list[str] | None = None
    # Where a person finds it, per locale, when the walk captured no place (a screen position only for a
    # bar that stays on screen); other languages: the catalog's translation of the English (journeywords.py).
    hint: dict[str, str] | None = None
    # What a control without visible words looks like ("your profile picture"), said instead of its
    # accessible name, which nobody sees; in any language, it marks the target as an icon in all.
    looks: dict[str, str] | None = None

    @model_validator(mode="after")
    def _one_action(self) -> Step:
        given = [a for a in ACTIONS if getattr(self, a) is not None]
        if len(given) != 1:
            raise ValueError(
                f"step {self.id!r} needs exactly one action of {', '.join(ACTIONS)}; got {', '.join(given) or 'none'}"
            )
        if self.goto is not None:
            _check_url(self.goto)
        if self.tracked and self.target is None:
            raise ValueError(f"step {self.id!r} is tracked but has no target (use click or observe)")
        if self.submit and self.click is None:
            raise ValueError(f"step {self.id!r} has submit: true but is not a click")
        return self

    @property
    def action(self) -> str:
        return next(a for a in ACTIONS if getattr(self, a) is not None)

    @property
    def target(self) -> TargetSpec | None:
        if self.click is not None:
            return self.click
        if self.observe is not None:
            return self.observe
        if self.fill is not None:
            return self.fill.target
        if self.wait is not None:
            return self.wait.target
        return None


class Journey(Strict):
    id: str = Field(pattern=ID_PATTERN)
    site: str
    login: bool = False
    # Logged-in pages show people: what their screenshots paint over and keep (monitor/guard/privacy.py).
    privacy: Privacy | None = None
    steps: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_steps(self) -> Journey:
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(f"journey {self.id!r} has two steps with id {step.id!r}")
            seen.add(step.id)
        return self

    def steps_for(self, viewport: str) -> list[Step]:
        return [s for s in self.steps if s.viewports is None or viewport in s.viewports]

    @property
    def tracked_step(self) -> Step | None:
        return next((s for s in self.steps if s.tracked), None)


class Login(Strict):
    storage_state_env: str | None = None
    storage_state_file: str | None = None
    wall: TargetSpec | None = None
    # The element whose text is the account's name (the account menu's profile link): read by the
    # walk so that the name is redacted even when $OPTOUT_MASK_TEXT misses it.
    profile: TargetSpec | None = None


class Site(Strict):
    origins: list[str] = Field(min_length=1)
    login: Login = Login()
    consent: TargetSpec | None = None
    security_check: list[TargetSpec] = Field(default_factory=list)

    @field_validator("origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            parts = _check_url(origin)
            if parts.path not in ("", "/") or parts.query:
                raise ValueError(f"origin {origin!r} must be scheme://host only, without a path")
        return [o.rstrip("/") for o in value]

    @property
    def hosts(self) -> list[str]:
        return [urlsplit(o).netloc for o in self.origins]


class Viewport(Strict):
    width: int | None = Field(default=None, ge=200, le=4000)
    height: int | None = Field(default=None, ge=200, le=4000)
    device: str | None = None
    scale: float | None = Field(default=None, gt=0, le=4)

    @model_validator(mode="after")
    def _size_or_device(self) -> Viewport:
        if self.device is None and (self.width is None or self.height is None):
            raise ValueError("a viewport needs width and height, or a Playwright device name")
        return self


class Mask(Strict):
    """Personal data painted over in every screenshot: by CSS selector, by role and name, or by text.

    `text_env` names an environment variable holding `|`-separated strings (the test account's name
    and user name), so that no name is ever written into the repository.
    """

    css: str | None = None
    role: str | None = None
    name: dict[str, list[str]] | None = None
    text_env: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Mask:
        if sum(x is not None for x in (self.css, self.role, self.text_env)) != 1:
            raise ValueError("a mask needs exactly one of css, role (with name) or text_env")
        if self.role is not None and not self.name:
            raise ValueError("a role mask needs name candidates per locale")
        return self

    def texts(self) -> list[str]:
        raw = os.environ.get(self.text_env, "") if self.text_env else ""
        return [t.strip() for t in raw.split("|") if len(t.strip()) >= 3]


class Timeouts(Strict):
    """Every browser call is bounded by one of these; `walk_ms` is the watchdog's hard deadline for a
    whole walk (enforced from outside the page: the browser is killed, the walk is `blocked`)."""

    navigation_ms: int = Field(default=15_000, ge=500, le=120_000)  # a page load, a click that navigates
    target_ms: int = Field(default=5_000, ge=100, le=60_000)  # waiting for a target to render; any other call
    screenshot_ms: int = Field(default=60_000, ge=1_000, le=300_000)  # a full-page screenshot of a long page
    walk_ms: int = Field(default=600_000, ge=10_000, le=3_600_000)  # one journey in one locale and viewport


class Thresholds(Strict):
    """When a difference counts; defaults chosen on the replica's noise variants."""

    target_hash: int = Field(default=6, ge=0, le=64)  # phash bits on the target crop before it is "cosmetic"
    page_hash: int = Field(default=10, ge=0, le=64)  # phash bits on the first screen
    similarity: float = Field(default=0.6, ge=0, le=1)  # text similarity to accept a found-again target
    confirm: int = Field(default=1, ge=0, le=5)  # fresh page loads that must show a change again
    ignore: list[str] = Field(default_factory=list)  # css selectors hidden before screenshots (dates, ads)


class Config(Strict):
    version: Literal[1]
    sites: dict[str, Site] = Field(min_length=1)
    locales: dict[str, str] = Field(min_length=1)
    viewports: dict[str, Viewport] = Field(min_length=1)
    masks: list[Mask] = Field(default_factory=list)
    journeys: list[Journey] = Field(min_length=1)
    timeouts: Timeouts = Timeouts()
    thresholds: Thresholds = Thresholds()
    quick: QuickSpec = QuickSpec()  # the hourly quick look (monitor/quick.py)
    browser: str | None = None  # path to a Chromium executable
    # Learned label sets beside the file (labels/<locale>.yaml), by locale (monitor/labelset.py)
    _label_sets: dict[str, labelset.LabelSet] = PrivateAttr(default_factory=dict)

    @property
    def label_sets(self) -> dict[str, bool]:
        """locale -> whether its learned set was reviewed."""
        return {loc: s.reviewed for loc, s in self._label_sets.items()}

    @property
    def learned(self) -> dict[str, labelset.LabelSet]:
        return dict(self._label_sets)

    def journey(self, journey_id: str) -> Journey:
        for j in self.journeys:
            if j.id == journey_id:
                return j
        raise KeyError(journey_id)

    def site_of_host(self, host: str) -> str | None:
        for name, site in self.sites.items():
            if host in site.hosts:
                return name
        return None


def locale_code_ok(code: str) -> bool:
    return re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", code) is not None


def problems(config: Config) -> list[tuple[tuple[str | int, ...], str]]:
    """Cross-references a schema cannot see: (key path, message) for each broken one."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    for code in config.locales:
        if not locale_code_ok(code):
            out.append((("locales", code), f"locale code {code!r} should look like 'en' or 'pt-BR'"))
    seen: set[str] = set()
    for j_index, j in enumerate(config.journeys):
        here: tuple[str | int, ...] = ("journeys", j_index)
        if j.id in seen:
            out.append(((*here, "id"), f"two journeys have the id {j.id!r}"))
        seen.add(j.id)
        if j.site not in config.sites:
            known = ", ".join(sorted(config.sites))
            out.append(((*here, "site"), f"unknown site {j.site!r}; known sites: {known}"))
        if j.login and (j.privacy is None or not j.privacy.keep):
            out.append(
                (
                    (*here, "privacy"),
                    "a logged-in journey must declare privacy: hide (feed, posts, avatars…) and keep "
                    "(the menus and pages of the path)",
                )
            )
        for s_index, step in enumerate(j.steps):
            at = (*here, "steps", s_index)
            for vp in step.viewports or []:
                if vp not in config.viewports:
                    known = ", ".join(sorted(config.viewports))
                    out.append(((*at, "viewports"), f"unknown viewport {vp!r}; known: {known}"))
            target = step.target
            if target is not None:
                missing = [loc for loc in config.locales if loc not in target.name]
                if missing:
                    unreviewed = [loc for loc in missing if config.label_sets.get(loc) is False]
                    why = (
                        f" (labels/{unreviewed[0]}.yaml is learned but not reviewed: set reviewed_by)"
                        if unreviewed
                        else ""
                    )
                    out.append(((*at, step.action), f"no names for locale(s) {', '.join(missing)}{why}"))
    out += spec_problems(config.quick, list(config.locales), list(config.viewports), config.journeys)
    return out


def _check_url(url: str) -> Any:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an absolute http(s) URL")
    return parts


# --------------------------------------------------------------------------- loading


def load(path: str | Path) -> Config:
    """Read and validate a journey file; raise ConfigError naming the line and key path."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ConfigError(f"{p}: {size:,} bytes is too large for a journey file (at most {MAX_BYTES:,})")
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such journey file (give one with --config)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read it: {clip(str(exc))}") from None
    return parse(text, str(p), p.parent / labelset.LABELS_DIR)


def parse(text: str, source: str = "monitor.yaml", labels: Path | None = None) -> Config:
    """`labels`: the folder of learned label sets merged in when reviewed (monitor/labelset.py)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ConfigError(f"{source}: too large for a journey file (at most {MAX_BYTES:,} bytes)")
    deep_at = _flow_too_deep(text)
    if deep_at is not None:
        line, column = deep_at
        raise ConfigError(
            f"{source}, line {line}, column {column}: nested too deeply (a journey file has at most {MAX_DEPTH} levels)"
        )
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        raise ConfigError(_unclosed_quote(text, exc, source) or _yaml_error(exc, source)) from None
    except RecursionError:
        raise ConfigError(f"{source}: nested too deeply (a journey file has at most {MAX_DEPTH} levels)") from None
    except ValueError as exc:  # an integer of thousands of digits: Python refuses to convert it
        digits = re.search(r"\d{4000,}", text)
        where = f"{source}, line {text.count(chr(10), 0, digits.start()) + 1}" if digits else source
        raise ConfigError(f"{where}: not valid YAML: {clip(str(exc).split(';')[0])}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping at the top (version, sites, journeys, …)")
    deep = _too_deep(data)
    if deep is not None:
        deep_line = _line_of(deep, data)
        where = f"{source}, line {deep_line}" if deep_line else source
        raise ConfigError(f"{where}: {clip(_key_path(deep, data))}: nested more than {MAX_DEPTH} levels deep")
    if "include" in data:
        try:
            data = include.expand(_plain(data), Path(source), _read_included)
        except include.IncludeError as exc:
            raise ConfigError(str(exc)) from None
        source = f"{source} (with its includes)"
    try:
        sets = labelset.read_dir(labels) if labels is not None else {}
    except labelset.LabelSetError as exc:
        raise ConfigError(str(exc)) from None
    if sets:
        data = labelset.apply(data, sets)
    try:
        config = Config.model_validate(_plain(data))
    except ValidationError as exc:
        found = [
            (tuple(p for p in e["loc"] if not _is_union_tag(p)), _message(e)) for e in exc.errors(include_url=False)
        ]
        raise ConfigError(_describe(found, data, source)) from None
    config._label_sets = dict(sets)
    broken = problems(config)
    if broken:
        raise ConfigError(_describe(broken, data, source))
    return config


def _unclosed_quote(text: str, exc: MarkedYAMLError, source: str) -> str:
    """A quote left open runs on (quoted values may span lines) to the next quote of its kind, and the
    parser complains lines later: the mistake is at the first quoted value spanning lines before that."""
    at = exc.problem_mark
    with contextlib.suppress(MarkedYAMLError):
        for token in YAML(typ="rt").scan(text) if at is not None else ():
            start, end = token.start_mark, token.end_mark
            if start.line >= at.line:
                break
            if getattr(token, "style", None) in ('"', "'") and end.line > start.line:
                return (
                    f"{source}, line {start.line + 1}, column {start.column + 1}: not valid YAML: the "
                    f"{'double' if token.style == chr(34) else 'single'} quote opened here is not closed on its line "
                    f"(the value runs on to line {end.line + 1}, where the parser gave up: {clip(exc.problem or '')})"
                )
    return ""


def _yaml_error(exc: MarkedYAMLError, source: str) -> str:
    """The line and column where the mistake is: for something never closed (a quote, a bracket),
    where it was opened, since the parser only notices at the end of the file."""
    problem, context = clip(exc.problem or "syntax error"), exc.context
    at, opened = exc.problem_mark, exc.context_mark
    unclosed = "end of stream" in problem or "<stream end>" in problem
    if unclosed and opened is not None and context:
        thing = context.removeprefix("while scanning ").removeprefix("while parsing ")
        return (
            f"{source}, line {opened.line + 1}, column {opened.column + 1}: not valid YAML: "
            f"{thing} opened here is never closed ({problem})"
        )
    if at is None:
        return f"{source}: not valid YAML: {problem}"
    where = f"{source}, line {at.line + 1}, column {at.column + 1}"
    since = ""
    if context and opened is not None and (opened.line, opened.column) != (at.line, at.column):
        since = f" ({context} at line {opened.line + 1}, column {opened.column + 1})"
    return f"{where}: not valid YAML: {problem}{since}"


def _flow_too_deep(text: str) -> tuple[int, int] | None:
    """Line and column of the first [ or { nested deeper than MAX_DEPTH, before the parser (which
    takes seconds, then recurses too deep, on thousands of brackets) sees them. Quotes and comments
    are skipped; the parser stays the judge of everything else."""
    depth, line, column, quote = 0, 1, 0, ""
    previous = "\n"
    comment = False
    for char in text:
        column += 1
        if char == "\n":
            line, column, comment = line + 1, 0, False
        elif comment:
            pass
        elif quote:
            if char == quote and previous != "\\":
                quote = ""
        elif char in "'\"" and previous in " \t\n[{,:":
            quote = char
        elif char == "#" and previous in " \t\n":
            comment = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, column
        elif char in "]}":
            depth = max(0, depth - 1)
        previous = char
    return None


def _too_deep(data: Any) -> list[Any] | None:
    """The key path of the first node nested deeper than MAX_DEPTH, without recursion."""
    stack: list[tuple[Any, list[Any]]] = [(data, [])]
    while stack:
        node, loc = stack.pop()
        if len(loc) > MAX_DEPTH:
            return loc
        if isinstance(node, dict):
            stack.extend((v, [*loc, k]) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, [*loc, i]) for i, v in enumerate(node))
    return None


_LONG_QUOTED = re.compile(rf"""(['"])([^'"\n]{{{QUOTE_CHARS}}})[^'"\n]+\1""")
_LONG_WORD = re.compile(rf"(\S{{{QUOTE_CHARS}}})\S+")


def clip(message: str) -> str:
    """A message with every quoted value (and any unbroken run) cut to QUOTE_CHARS characters."""
    message = _LONG_QUOTED.sub(lambda m: f"{m[1]}{m[2]}…{m[1]}", message)
    return _LONG_WORD.sub(lambda m: f"{m[1]}…", message)


def _read_included(path: Path) -> dict[str, Any]:
    """An included journey file, held to the same limits as the main one."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise include.IncludeError(f"{path}: larger than {MAX_BYTES:,} bytes; a journey file is a few kB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise include.IncludeError(f"{path}: cannot read it: {clip(str(exc))}") from None
    spot = _flow_too_deep(text)
    if spot is not None:
        raise include.IncludeError(f"{path}, line {spot[0]}, column {spot[1]}: nested too deeply")
    try:
        data = YAML(typ="safe").load(text)
    except MarkedYAMLError as exc:
        raise include.IncludeError(_yaml_error(exc, str(path))) from None
    except RecursionError:
        raise include.IncludeError(f"{path}: nested too deeply") from None
    if not isinstance(data, dict):
        raise include.IncludeError(f"{path}: expected a mapping at the top")
    if _too_deep(data) is not None:
        raise include.IncludeError(f"{path}: nested more than {MAX_DEPTH} levels deep")
    return dict(_plain(data))


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _message(err: Any) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    got = err.get("input")
    if err["type"] in ("missing", "value_error") or isinstance(got, dict | list):
        return msg
    return f"{msg} (got {got!r})"


def _describe(found: list[tuple[tuple[Any, ...], str]], data: Any, source: str) -> str:
    lines = []
    for loc, msg in found:
        line = _line_of(list(loc), data)
        where = f"{source}, line {line}" if line else source
        lines.append(f"{where}: {clip(_key_path(list(loc), data)) or '(top)'}: {clip(msg)}")
    return "\n".join(lines)


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and part.startswith(("function-", "tagged-union"))


def _key_path(loc: list[Any], data: Any) -> str:
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            label = ""
            if isinstance(node, list) and 0 <= part < len(node) and isinstance(node[part], dict):
                ident = node[part].get("id")
                label = f"={ident}" if ident else ""
            out += f"[{part}{label}]"
        else:
            out += f".{part}" if out else str(part)
        node = _child(node, part)
    return out


def _child(node: Any, part: Any) -> Any:
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _line_of(loc: list[Any], data: Any) -> int | None:
    """The 1-based line of the deepest key in loc that exists in the file."""
    node = data
    line: int | None = None
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            pos = node.lc.key(part)
            line = pos[0] + 1
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            pos = node.lc.item(part)
            line = pos[0] + 1
        else:
            if isinstance(node, CommentedMap | CommentedSeq):
                line = (node.lc.line + 1) if line is None else line
            break
        node = node[part]
    return line
