"""Accepted observations + templates -> the instructions people read (Markdown, per platform and language).

One page per platform × locale, `instructions/<locale>/<site>.md`, an index `instructions/README.md`,
notes for maintainers `instructions/MAINTAINERS.md`, screenshots for people under
`instructions/images/<site>/<locale>/<viewport>/<step>.png`, and the dates each walk was last checked
on the real site, `instructions/verified.json` (a rehearsal on a stand-in goes to `rehearsals.json`).

- Three ways in per page: the app (documented steps from `app-steps.yaml`, always labelled as not
  checked), a phone's browser and a computer (from the walks).
- Labels are the words shown on screen as captured; an icon without words is described by what it
  looks like (`looks:` in monitor.yaml), never by an accessible name nobody sees. Every step says
  where to look: the heading above it, or its position measured on that viewport, or the journey
  file's documented context (`hint:`). A page whose walk is not in the baseline is rendered from the
  journey file, says so, and carries no screenshots.
- Each page states, per viewport, one of three states in people's words: checked on the real site
  (date), a rehearsal on a copy of Meta's pages (date), or not yet checked (documented steps).
- Everything the monitor read from a page passes through `inert` before it reaches a template;
  the Jinja environment refuses any value that is not `inert.Md` (see `_only_md`).
- Nothing here touches a browser or git; files are written with `store.write_atomic`, so an
  unchanged run changes no byte. Images are rewritten only when missing or stale.

See docs/decisions/0003-instructions.md and 0009-instructions-people-follow.md; the wording is in
the catalogs (phrases.py, monitor/locales/, docs/decisions/0015-translation-catalogs.md).
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
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from PIL import Image, ImageDraw

from . import app_steps, catalogs, imaging, labels, languages, store
from . import config as config_mod
from .app_steps import AppGuide
from .config import Config, Journey, Step
from .inert import Md, clean, md_format, md_relative, md_text, md_url, shorten
from .model import Box, Category, Change, Observation, Report, Status, Verdict
from .phrases import Phrases, phrases

TEMPLATES = Path(__file__).parent / "templates" / "instructions"
INDEX = "README.md"
VERIFIED_FILE = "verified.json"  # days the REAL sites confirmed a page; never a rehearsal's
REHEARSED_FILE = "rehearsals.json"  # days a stand-in (the replica) was walked instead: rehearsals only
MAINTAINERS = "MAINTAINERS.md"  # how the pages are made; off the public pages
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
DEVICE_WIDTH: dict[str, int] = {"Pixel 7": 412, "Pixel 5": 393, "iPhone 13": 390, "iPhone 12": 390}
DEFAULT_PHONE_WIDTH = 412
DEFAULT_DESKTOP_WIDTH = 1280
# A target whose centre is this close to the top of the page sits in the bar at the top of the screen:
# only there is "top left"/"top right" true whatever the reader has scrolled.
TOP_BAND = 72

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
        Verdict.APPEARED,
        Verdict.STEP_REMOVED,
        Verdict.NEW,
    }
)

SiteLocaleViewport = tuple[str, str, str]
ImageKey = tuple[str, str, str, str]  # site, locale, viewport, step


# --------------------------------------------------------------------------- phrases


def quote_label(ph: Phrases, label: str) -> Md:
    """A label as the locale quotes it: “x”, « x », „x“. The label itself is escaped."""
    return Md.trusted(ph.open_quote) + md_text(label) + Md.trusted(ph.close_quote)


def format_date(ph: Phrases, day: date) -> str:
    return catalogs.long_date(ph.locale, day)


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
    """One page per platform with a logged-in journey, × every page locale (languages.py: the walked
    ones in config order, then those with only a catalog or a learned label set)."""
    pages: list[PageSpec] = []
    locales = languages.page_locales(config)
    for site in config.sites:
        journey = page_journey(config, site)
        if journey is None:
            continue
        for locale in locales:
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


def viewport_width(config: Config, viewport: str) -> int:
    """The width of the screen, CSS pixels: the config's width, else the device's (DEVICE_WIDTH)."""
    spec = config.viewports.get(viewport)
    if spec is not None and spec.width is not None:
        return spec.width
    if spec is not None and spec.device is not None:
        return DEVICE_WIDTH.get(spec.device, DEFAULT_PHONE_WIDTH)
    return DEFAULT_DESKTOP_WIDTH


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

    def without(self, keys: Iterable[SiteLocaleViewport]) -> Verified:
        """These dates minus the given walks (their captures were replaced by another kind of run)."""
        gone = set(keys)
        return Verified({k: v for k, v in self.dates.items() if k not in gone})

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


def describe_place(ph: Phrases, context: Sequence[str], label: str = "") -> Md:
    """Where the target sits, in words seen on screen (" under the heading “Generative AI”"), from the
    captured context (landmarks and headings above it, outermost first): the innermost heading, else
    an unlabelled description of the innermost landmark ("in the window that opens"). A landmark's
    own label is an accessible name nobody sees ("Main navigation"), so it is never quoted."""
    entries: list[tuple[str, str]] = []
    for raw in context:
        m = _CONTEXT_ENTRY.match(clean(raw))
        if m is not None:
            entries.append((m.group("kind"), clean(m.group("label") or "")))
    same = clean(label).casefold()
    for kind, text in reversed(entries):
        if _HEADING_KIND.match(kind) and text and text.casefold() != same:
            return _t(ph.places["heading"], label=quote_label(ph, text))
    for kind, _text in reversed(entries):
        if kind in ph.places_unlabelled:
            return Md.trusted(ph.places_unlabelled[kind])
    return Md.trusted("")


def screen_position(config: Config, viewport: str, box: Box | None) -> str | None:
    """Where on the first screen a target is, measured from its box at that viewport: "top-left",
    "top-right", "top" (in the bar at the top), "left-column" (a computer's left column); None when the
    box says nothing a reader could use (anywhere else, or below the first screen)."""
    if box is None or box.width <= 0 or box.height <= 0:
        return None
    width = viewport_width(config, viewport)
    centre_x = box.x + box.width / 2
    if box.y + box.height / 2 <= TOP_BAND:
        if centre_x < width / 3:
            return "top-left"
        if centre_x > width * 2 / 3:
            return "top-right"
        return "top"
    left = box.x + box.width <= width / 4
    if viewport_kind(config, viewport) == "desktop" and left and box.y + box.height <= fold_height(config, viewport):
        return "left-column"
    return None


@dataclass(frozen=True)
class Seen:
    """One step of one viewport as the page will tell it: captured (verified) or documented."""

    step: Step
    kind: str  # goto, consent, click, submit, form, observe, after
    label: str  # the words shown on screen as captured, or the first documented name
    role: str
    obs: Observation | None  # the accepted observation, when the walk was captured
    shown: bool = True  # False: the label is an accessible name nobody sees (an icon without words)
    looks: str | None = None  # what such an icon looks like, from the journey file


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


def _documented_label(config: Config, journey: Journey, step: Step, locale: str) -> str:
    """The journey file's name in `locale`; else an unreviewed learned set's (quoted under the notice
    that says so); else the English one (labels.py says which)."""
    if step.goto is not None:
        host = urlsplit(step.goto).hostname or step.goto
        return host.removeprefix("www.")
    site = journey.site
    spec = (config.sites[site].consent if site in config.sites else None) if step.consent is not None else step.target
    if spec is None:
        return ""
    if not spec.name.get(locale):
        learned = labels.learned_name(config, journey, step, locale)
        if learned:
            return learned
    return spec.names(locale)[0]


def _documented_role(config: Config, site: str, step: Step) -> str:
    if step.consent is not None:
        consent = config.sites[site].consent if site in config.sites else None
        return consent.role if consent is not None else "button"
    return step.target.role if step.target is not None else ""


def captured_label(obs: Observation | None) -> str | None:
    """The words a person sees on the target, as captured: the accessible name when the visible text
    shows it (in the text's own casing), else the visible text when short, else the accessible name."""
    shown = shown_label(obs)
    if shown is not None:
        return shown
    if obs is None or obs.target is None:
        return None
    return clean(obs.target.name) or None


def shown_label(obs: Observation | None, longest: int = 60) -> str | None:
    """The captured words that are on screen, or None when the target shows none (an icon button)."""
    if obs is None or obs.target is None:
        return None
    name, text = clean(obs.target.name), clean(obs.target.text)
    if not text:
        return None
    if name:
        at = text.casefold().find(name.casefold())
        if at >= 0:
            return text[at : at + len(name)]
    return text if len(text) <= longest else (name or shorten(text, longest))


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
        looks = (step.looks or {}).get(locale)
        # documented icons (looks:) have names nobody sees; a captured target shows words or it does not
        shown = shown_label(obs) is not None if label else looks is None
        out.append(
            Seen(
                step=step,
                kind=kind,
                label=label or _documented_label(config, journey, step, locale),
                role=role or _documented_role(config, journey.site, step),
                obs=obs,
                shown=shown,
                looks=looks,
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
    """One way in: the app, a phone's browser or a computer; `notice` says where its steps come from."""

    kind: str  # app, mobile, desktop
    heading: Md
    anchor: Md
    steps: list[StepLine]
    notice: Md | None = None

    @property
    def loose(self) -> bool:
        return any(s.image is not None for s in self.steps)


@dataclass(frozen=True)
class PageView:
    lang: Md
    title: Md
    nav: Md
    status: Md
    labels_notice: Md | None  # the quoted words are not this language's, or not yet checked by a person
    review_notice: Md | None  # the catalog is a machine translation awaiting a native speaker (catalogs.py)
    notice: Md | None
    intro: Md | None
    jump: Md
    why_heading: Md
    why: list[Md]
    shortcut_heading: Md
    shortcut: Md
    sections: list[Section]
    after_heading: Md
    after: list[Md]
    help_heading: Md
    help: list[Md]
    report: Md


# The three states of a viewport's steps, worded for people on the page.
CHECKED, REHEARSAL, DOCUMENTED = "checked", "rehearsal", "documented"


@dataclass(frozen=True)
class Provenance:
    """Where the captures of the baseline came from, per (site, locale, viewport): the real site
    (verified.json) or a rehearsal on a stand-in such as the replica (rehearsals.json). A walk that is
    in neither counts as checked only in a baseline folder that takes real sites only."""

    verified: Verified = field(default_factory=Verified)
    rehearsed: Verified = field(default_factory=Verified)

    def state(self, key: SiteLocaleViewport, tree: store.Tree | None) -> tuple[str, date | None]:
        real, rehearsal = self.verified.get(*key), self.rehearsed.get(*key)
        if rehearsal is not None and (real is None or rehearsal >= real):
            return REHEARSAL, rehearsal
        if real is not None:
            return CHECKED, real
        if tree is not None and (tree.root / store.REAL_ONLY_MARKER).exists():
            return CHECKED, None
        return REHEARSAL, None


@dataclass
class _Viewport:
    name: str
    kind: str
    seen: list[Seen]
    verified: bool  # the walk is in the baseline: its captured words and pictures are used
    state: str = DOCUMENTED
    day: date | None = None


def _viewports(
    config: Config,
    journey: Journey,
    locale: str,
    baseline: store.Tree | None,
    provenance: Provenance | None = None,
) -> list[_Viewport]:
    out: list[_Viewport] = []
    for name in config.viewports:
        if not journey.steps_for(name):
            continue
        walk = baseline.walk_of(journey.id, locale, name) if baseline is not None else []
        usable = walk_is_usable(walk)
        seen = _seen_steps(config, journey, locale, name, walk if usable else None)
        state, day = DOCUMENTED, None
        if usable:
            state, day = (provenance or Provenance()).state((journey.site, locale, name), baseline)
        out.append(_Viewport(name, viewport_kind(config, name), seen, usable, state, day))
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


def _what_and_label(ph: Phrases, seen: Seen, subject: bool = False) -> tuple[Md, Md]:
    """How a step names its target: the role and the words shown on screen in quotes; for an icon
    without words, what it looks like (from the journey file), never its unseen accessible name."""
    if not seen.shown and seen.looks:
        return Md.trusted(""), md_text(seen.looks)
    return _role_noun(ph, seen.role, subject), quote_label(ph, seen.label)


def _alt(ph: Phrases, seen: Seen, place: Md) -> Md:
    role, label = _what_and_label(ph, seen, subject=True)
    what = _t(ph.alt_what, role=role, label=label)
    text = _t(ph.alt, what=what, place=place)
    return Md.trusted(text[:1].upper()) + Md.trusted(text[1:])


def _where(config: Config, ph: Phrases, locale: str, vp: _Viewport, seen: Seen) -> Md:
    """Where to look, in words seen on screen: the heading above the target and its position measured
    on that viewport when the walk captured them, else the journey file's documented context."""
    obs = seen.obs if vp.verified else None
    target = obs.target if obs is not None else None
    if target is not None:
        place = describe_place(ph, target.context, seen.label)
        heading = place and any(_HEADING_KIND.match(c.split(" ", 1)[0]) for c in target.context)
        position = screen_position(config, vp.name, target.box)
        if heading:
            return place
        if position is not None:
            return Md.trusted(ph.positions[position])
        documented = (seen.step.hint or {}).get(locale)
        if documented:
            return Md.trusted(" ") + md_text(documented)
        return place
    documented = (seen.step.hint or {}).get(locale)
    return Md.trusted(" ") + md_text(documented) if documented else Md.trusted("")


def _lines(
    config: Config,
    ph: Phrases,
    site: str,
    locale: str,
    vp: _Viewport,
    tree: store.Tree | None,
    image_dir_rel: str,
) -> list[StepLine]:
    """The numbered steps of one viewport."""
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
            add(_t(ph.click, verb=verb, what=hop_what, label=hop_label, place=Md("")))
        if seen.kind == "goto":
            add(_t(ph.open_site.get(vp.kind, ph.open_site["desktop"]), site=_site_link(config, site, seen.step)))
        elif seen.kind == "consent":
            add(_t(ph.consent, label=label), _image(config, ph, site, locale, vp, seen, tree, image_dir_rel, Md("")))
        elif seen.kind in ("click", "submit"):
            place = _where(config, ph, locale, vp, seen)
            what, shown = _what_and_label(ph, seen)
            text = _t(ph.click, verb=verb, what=what, label=shown, place=place)
            if seen.step.tracked and obs is not None and obs.target is not None and seen.role == "link":
                sentence = clean(obs.target.sentence)
                if sentence and sentence.casefold() != seen.label.casefold():
                    text = text + _t(ph.in_sentence, sentence=_quoted_sentence(ph, sentence, seen.label))
            if seen.kind == "submit":
                text = text + _fold_note(config, ph, vp, seen)
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


def _fold_note(config: Config, ph: Phrases, vp: _Viewport, seen: Seen) -> Md:
    below = _below_fold(config, vp.name, seen.obs if vp.verified else None)
    if below:
        return Md.trusted(ph.below_fold)
    if below is None and vp.kind == "mobile":
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


def _status_line(ph: Phrases, vps: list[_Viewport]) -> Md:
    """The page's state per viewport, in people's words: checked on the real site (date), a rehearsal on
    a copy of Meta's pages (date), or not yet checked (documented steps)."""
    groups: dict[tuple[int, str, date | None], list[str]] = {}
    order = {CHECKED: 0, REHEARSAL: 1, DOCUMENTED: 2}
    for v in vps:
        day = v.day if v.state != DOCUMENTED else None
        groups.setdefault((order[v.state], v.state, day), []).append(ph.viewport_names.get(v.name, v.name))
    parts: list[Md] = []
    for rank, state, day in sorted(groups, key=lambda k: (k[0], k[2] is None, k[2] or date.min)):
        names = ", ".join(groups[(rank, state, day)])
        when = Md.trusted(format_date(ph, day)) if day is not None else None  # ours, not scraped
        if state == CHECKED:
            part = _t(ph.state_checked, date=when, viewports=names) if when else None
            parts.append(part or _t(ph.state_checked_undated, viewports=names))
        elif state == REHEARSAL:
            part = _t(ph.state_rehearsal, date=when, viewports=names) if when else None
            parts.append(part or _t(ph.state_rehearsal_undated, viewports=names))
        else:
            parts.append(_t(ph.state_documented, viewports=names))
    return _t(ph.status, states=_join("; ", parts))


def _notice(ph: Phrases, vps: list[_Viewport]) -> Md | None:
    states = {v.state for v in vps}
    if REHEARSAL in states:
        return Md.trusted(ph.notice_rehearsal)
    if states == {DOCUMENTED}:
        return Md.trusted(ph.notice_documented)
    if DOCUMENTED in states:
        names = ", ".join(ph.viewport_names.get(v.name, v.name) for v in vps if v.state == DOCUMENTED)
        return _t(ph.notice_partly, viewports=names)
    return None


def labels_notice(ph: Phrases, state: labels.LabelState) -> Md | None:
    """What a page says when its quoted words are not known in its language, or learned by the monitor
    and not yet accepted by a maintainer (labels.py); nothing when a person checked them."""
    text = ph.notice_labels.get(state)
    return Md.trusted(text) if text else None


def _nav(config: Config, site: str, locale: str) -> Md:
    items: list[Md] = []
    for other in languages.page_locales(config):
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


def heading_anchor(text: str) -> str:
    """The anchor GitHub (and the site) give a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _section(ph: Phrases, kind: str, steps: list[StepLine], notice: Md | None = None) -> Section:
    heading = ph.way_headings[kind]
    return Section(kind, Md.trusted(heading), md_text(heading_anchor(heading)), steps, notice)


def _app_section(ph: Phrases, site: str, locale: str, apps: AppGuide | None) -> Section | None:
    """The app steps: documented facts with their source and date, never presented as checked."""
    steps = apps.steps(site, locale) if apps is not None else None
    if apps is None or not steps:
        return None
    app = apps.platforms[site]
    primary = locale.split("-")[0]
    source = app.source.name.get(locale) or app.source.name.get(primary)
    if not source:  # a language the app guide does not cover yet (languages.py): no English sentences here
        return None
    day = app.source.documented
    when = catalogs.month_year(ph.locale, day)
    notice = _t(ph.app_notice, source=source, when=when)
    if app.source.link:
        notice = notice + _t(ph.app_facts, link=md_relative(f"../../{app.source.link}"))
    lines = [StepLine(i + 1, Md.trusted(text)) for i, text in enumerate(steps)]  # our own data file's Markdown
    return _section(ph, "app", lines, notice)


# The issue form a reader fills in when a step looks different (.github/ISSUE_TEMPLATE/).
ISSUE_TEMPLATE = "step-looks-different.yml"


def report_url(ph: Phrases, site: str, locale: str) -> str:
    """A pre-filled GitHub issue, relative to a page at instructions/<locale>/<site>.md: on GitHub's file
    view four levels up is the repository itself, so a fork's pages open the fork's issues. The site
    points it at the repository it was built from."""
    title = ph.report_title.format(platform=platform_name(site), language=ph.language)
    query = urlencode({"template": ISSUE_TEMPLATE, "title": title, "labels": "step-looks-different"})
    url = f"../../../../issues/new?{query}"
    if not re.fullmatch(r"[A-Za-z0-9_./?&=%+-]+", url):  # urlencode leaves nothing Markdown would read
        raise ValueError(f"report link {url!r} needs escaping")
    return url


def _help(ph: Phrases, vps: list[_Viewport]) -> list[Md]:
    submit = next((s for v in vps for s in v.seen if s.kind == "submit"), None)
    send = quote_label(ph, submit.label) if submit is not None else Md.trusted("")
    items = [_t(item, send=send, accounts_center=Md.trusted(ph.accounts_center)) for item in ph.help]
    items.append(_t(ph.reason, sentence=Md.trusted(ph.reason_sentence)))
    return items


def page_view(
    config: Config,
    site: str,
    locale: str,
    baseline: store.Tree | None,
    verified: Verified | None,
    image_dir_rel: str = "../images",
    rehearsed: Verified | None = None,
    apps: AppGuide | None = None,
) -> PageView:
    """Everything one page says, already inert, ready for the template."""
    journey = page_journey(config, site)
    if journey is None:
        raise ValueError(f"site {site!r} has no logged-in journey with a tracked step")
    ph = phrases(locale)
    provenance = Provenance(verified or Verified(), rehearsed or Verified())
    vps = _viewports(config, journey, locale, baseline, provenance)
    words = labels.label_state(config, journey, locale)
    # learned words are not "the words documented in public guides": their own notice says where they are from
    notice = None if words == labels.UNREVIEWED else _notice(ph, vps)
    sections: list[Section] = []
    app = _app_section(ph, site, locale, apps)
    if app is not None:
        sections.append(app)
    # a phone's browser before a computer: most people read this on a phone
    for vp in sorted(vps, key=lambda v: v.kind != "mobile"):
        lines = _lines(config, ph, site, locale, vp, baseline, image_dir_rel)
        section = _section(ph, vp.kind, lines)
        if any(s.kind == vp.kind for s in sections):  # a second viewport of the same kind: name it
            heading = md_text(f"{ph.way_headings[vp.kind]} ({ph.viewport_names.get(vp.name, vp.name)})")
            section = Section(vp.kind, heading, md_text(heading_anchor(str(heading))), lines)
        sections.append(section)
    help_heading = Md.trusted(ph.help_heading)
    jumps = [Md.trusted("[") + s.heading + Md.trusted("](#") + s.anchor + Md.trusted(")") for s in sections]
    jumps.append(
        Md.trusted("[") + help_heading + Md.trusted("](#") + md_text(heading_anchor(ph.help_heading)) + Md.trusted(")")
    )
    return PageView(
        lang=md_text(locale),
        title=_t(ph.title, platform=platform_name(site)),
        nav=_nav(config, site, locale),
        status=_status_line(ph, vps),
        labels_notice=labels_notice(ph, words),
        review_notice=Md.trusted(ph.notice_review) if catalogs.awaiting_review(locale) else None,
        notice=notice,
        intro=Md.trusted(ph.intro_checked) if vps and all(v.state == CHECKED for v in vps) else None,
        jump=_t(ph.jump, links=_join(" · ", jumps)),
        why_heading=Md.trusted(ph.why_heading),
        why=[_t(item, accounts_center=Md.trusted(ph.accounts_center)) for item in ph.why],
        shortcut_heading=Md.trusted(ph.shortcut_heading),
        shortcut=_shortcut(config, ph, site, journey, vps),
        sections=sections,
        after_heading=Md.trusted(ph.after_heading),
        after=_after(config, ph, site, locale, vps),
        help_heading=help_heading,
        help=_help(ph, vps),
        report=_t(ph.report, url=Md.trusted(report_url(ph, site, locale))),
    )


def render_page(
    config: Config,
    site: str,
    locale: str,
    baseline: store.Tree | None,
    verified: Verified | None,
    image_dir_rel: str = "../images",
    rehearsed: Verified | None = None,
    apps: AppGuide | None = None,
) -> str:
    """One page's Markdown. No baseline, or none for this walk: the unverified page, from monitor.yaml's labels."""
    view = page_view(config, site, locale, baseline, verified, image_dir_rel, rehearsed, apps)
    return environment().get_template("page.md.j2").render(page=view)


@dataclass(frozen=True)
class IndexRow:
    platform: Md
    language: Md
    link: Md
    last_verified: Md
    status: Md


def _index_row(
    config: Config, spec: PageSpec, baseline: store.Tree | None, provenance: Provenance, today: date
) -> IndexRow:
    journey = config.journey(spec.journey)
    vps = _viewports(config, journey, spec.locale, baseline, provenance)
    ph = phrases("en")  # the index is in English; each page speaks its own language
    checked = [v for v in vps if v.state == CHECKED]
    groups: dict[date | None, list[str]] = {}
    for v in checked:
        groups.setdefault(v.day, []).append(ph.viewport_names.get(v.name, v.name))
    if not checked:
        last = md_text("never")
    else:
        parts = [
            md_text(day.isoformat() if day else "date not recorded")
            + Md.trusted(" (")
            + md_text(", ".join(names))
            + Md.trusted(")")
            for day, names in sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or date.min))
        ]
        last = _join("; ", parts)
    states = {v.state for v in vps}
    known = [d for d in groups if d is not None]
    if REHEARSAL in states:
        status = ph.index_states["rehearsal"]
    elif states == {DOCUMENTED} or not vps:
        status = ph.index_states["documented"]
    elif known and (today - min(known)).days > OVERDUE_DAYS:
        status = ph.overdue(OVERDUE_DAYS)
    elif DOCUMENTED in states:
        missing = ", ".join(ph.viewport_names.get(v.name, v.name) for v in vps if v.state == DOCUMENTED)
        status = ph.index_states["partly"].format(viewports=missing)
    else:
        status = ph.index_states["checked"]
    words = labels.label_state(config, journey, spec.locale)
    if words != labels.VERIFIED:
        status = ph.index_states[words]
    title = _t(phrases(spec.locale).title, platform=platform_name(spec.site))
    return IndexRow(
        platform=md_text(platform_name(spec.site)),
        language=md_text(phrases(spec.locale).language),
        link=Md.trusted("[") + title + Md.trusted("](") + md_relative(spec.path) + Md.trusted(")"),
        last_verified=last,
        status=md_text(status),
    )


def render_index(
    config: Config,
    baseline: store.Tree | None,
    verified: Verified,
    today: date,
    rehearsed: Verified | None = None,
) -> str:
    provenance = Provenance(verified, rehearsed or Verified())
    rows = [_index_row(config, spec, baseline, provenance, today) for spec in plan_pages(config)]
    return (
        environment()
        .get_template("index.md.j2")
        .render(rows=rows, overdue_days=OVERDUE_DAYS, refresh_days=REFRESH_DAYS)
    )


def render_maintainers() -> str:
    """instructions/MAINTAINERS.md: how these pages are made, kept off the public pages."""
    return environment().get_template("maintainers.md.j2").render(refresh_days=REFRESH_DAYS)


# --------------------------------------------------------------------------- writing


def write_instructions(
    config: Config,
    baseline: store.Tree | None,
    out: Path,
    verified: Verified,
    stale: set[ImageKey] | frozenset[ImageKey] | None,
    today: date,
    rehearsed: Verified | None = None,
    apps: AppGuide | None = None,
) -> list[Path]:
    """Render every page, the index, MAINTAINERS.md, verified.json (and rehearsals.json when a stand-in
    was walked) and the people images into `out` (the instructions folder). An image is (re)drawn only
    when it is missing or its key is in `stale` (None: all are); images and pages no longer referenced
    are removed. Returns the paths whose bytes changed."""
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
        text = render_page(config, spec.site, spec.locale, baseline, verified, "../" + IMAGES, rehearsed, apps)
        page_path = out / spec.path
        wanted.add(page_path)
        if store.write_atomic(page_path, text.encode("utf-8")):
            changed.append(page_path)
    files = [
        (INDEX, render_index(config, baseline, verified, today, rehearsed).encode("utf-8")),
        (MAINTAINERS, render_maintainers().encode("utf-8")),
        (VERIFIED_FILE, verified.to_json().encode("utf-8")),
    ]
    if rehearsed is not None and rehearsed.dates:
        files.append((REHEARSED_FILE, rehearsed.to_json().encode("utf-8")))
    elif (out / REHEARSED_FILE).exists():
        (out / REHEARSED_FILE).unlink()
        changed.append(out / REHEARSED_FILE)
    for name, data in files:
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
    config: Config,
    baseline: store.Tree | None,
    out: Path,
    report: Report | None,
    today: date,
    apps: AppGuide | None = None,
) -> list[Path]:
    """After `accept`: move the dates by the report (Verified.after_run), redraw the stale images and
    render everything. A report of the real sites moves verified.json; a report that walked stand-ins
    (`check --site`, the replica) is a rehearsal: it moves rehearsals.json only, and the walks it
    replaced lose their verified date, so a replica's capture never reads as checked. Without a report
    nothing is re-dated and only missing images are drawn."""
    verified = Verified.load(out / VERIFIED_FILE)
    rehearsed = Verified.load(out / REHEARSED_FILE)
    if report is None:
        return write_instructions(config, baseline, out, verified, set(), today, rehearsed, apps)
    effects = run_effects(config, report)
    # only walks that are in the baseline were walked
    present = {
        k
        for k in effects.walked_ok
        if baseline is not None and walk_is_usable(baseline.walk_of(_journey_of(config, k[0]), k[1], k[2]))
    }
    if report.run.sites:
        rehearsed = rehearsed.after_run(present, effects.changed, today)
        verified = verified.without(present)
    else:
        verified = verified.after_run(present, effects.changed, today)
        rehearsed = rehearsed.without(present)
    return write_instructions(config, baseline, out, verified, set(effects.stale), today, rehearsed, apps)


def _journey_of(config: Config, site: str) -> str:
    journey = page_journey(config, site)
    return journey.id if journey is not None else ""


def render_repository(config_path: Path, root: Path, today: date | None = None) -> list[Path]:
    """The repository's own instructions/: from root/snapshots (real sites only), instructions/verified.json
    and the app steps beside the journey file."""
    config = config_mod.load(config_path)
    apps = app_steps.load_beside(config_path, list(config.locales))
    out = root / "instructions"
    baseline = store.read_tree(root / "snapshots")
    verified = Verified.load(out / VERIFIED_FILE)
    rehearsed = Verified.load(out / REHEARSED_FILE)
    return write_instructions(config, baseline, out, verified, set(), today or date.today(), rehearsed, apps)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m monitor.instructions",
        description="Render instructions/ from monitor.yaml, app-steps.yaml beside it and the accepted snapshots/.",
    )
    parser.add_argument("--config", type=Path, default=Path("monitor.yaml"), help="the journey file")
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository (snapshots/, instructions/)")
    args = parser.parse_args(argv)
    for path in render_repository(args.config, args.root):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
