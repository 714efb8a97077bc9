"""What an instructions page is: one per platform × page language, with its files, platforms and screens.

Also the records its template prints (all `inert.Md`). Which steps a page tells is in steps.py, its
states (checked, rehearsal, not yet checked) in verified.py, how they are worded in phrasing.py and
wording.py, rendering and files in render.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config import Config, Journey
from monitor.guard.inert import Md
from monitor.model import Box
from monitor.write import languages

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
# The form Meta offers people without a Facebook or Instagram account (docs/meta-flow.md), linked from
# every page's "No account?".
NON_USER_FORM = "https://www.facebook.com/help/contact/510058597920541"
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

# The keys of a page's walks and of their pictures.
SiteLocaleViewport = tuple[str, str, str]
ImageKey = tuple[str, str, str, str]  # site, locale, viewport, step


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


def plan_pages_sites(config: Config) -> list[str]:
    return [s for s in config.sites if page_journey(config, s) is not None]


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


@dataclass(frozen=True)
class IndexRow:
    platform: Md
    language: Md
    link: Md
    last_verified: Md
    status: Md
