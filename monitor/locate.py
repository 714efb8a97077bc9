"""Finding a step's target on a page by role and accessible name, as a person would read it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

from .config import TargetSpec


def name_pattern(name: str) -> re.Pattern[str]:
    """Whole accessible name, case-insensitive, any run of whitespace (and typographic quotes) alike."""
    words = [re.escape(w).replace("’", "['’]").replace("\\'", "['’]") for w in name.split()]
    return re.compile(r"^\s*" + r"\s+".join(words) + r"\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    locator: Locator
    matched: str  # the candidate name that found it


def find(page: Page, spec: TargetSpec, locale: str) -> Found | None:
    """The first visible element with the spec's role whose name is one of the locale's candidates."""
    for name in spec.names(locale):
        loc = page.get_by_role(spec.role, name=name_pattern(name))  # type: ignore[arg-type]
        count = loc.count()
        for i in range(count):
            candidate = loc.nth(i)
            if candidate.is_visible():
                return Found(candidate, name)
    return None


def wait_for(page: Page, spec: TargetSpec, locale: str, timeout_ms: int) -> Found | None:
    """find(), retried until timeout_ms: pages render their content by script after load."""
    deadline_step = 100
    waited = 0
    while True:
        found = find(page, spec, locale)
        if found is not None or waited >= timeout_ms:
            return found
        page.wait_for_timeout(deadline_step)
        waited += deadline_step


def visible(page: Page, spec: TargetSpec | None, locale: str) -> bool:
    return spec is not None and find(page, spec, locale) is not None
