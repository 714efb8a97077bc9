"""Plain records that flow between the stages: what a step saw, and a run of them.

They are pydantic models so that every stage can read another stage's JSON (shards
run on other machines) and fail loudly on a field it does not know.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

OBSERVATION_SCHEMA = 1


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def canonical_json(self) -> str:
        """Sorted, indented, newline-terminated: the same record always gives the same bytes."""
        data = self.model_dump(mode="json")
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Box(Record):
    """A rectangle in CSS pixels of the full page, rounded to whole pixels."""

    x: int
    y: int
    width: int
    height: int


class Status(StrEnum):
    OK = "ok"
    SKIPPED = "skipped"  # deliberately not done (e.g. Send on a real origin)
    MISSING = "missing"  # the page loaded but the step's target was not found
    BLOCKED = "blocked"  # the monitor could not see: login wall, security check, HTTP error, timeout


class BlockReason(StrEnum):
    LOGIN = "login"
    SECURITY_CHECK = "security-check"
    HTTP_ERROR = "http-error"
    TIMEOUT = "timeout"
    BROWSER = "browser"


class Target(Record):
    """The element a step is about, as a reader and as the DOM see it."""

    role: str
    name: str  # accessible name
    text: str  # visible text, whitespace collapsed
    matched: str  # the configured candidate name that found it
    href: str | None = None  # absolute, when the element carries one
    leads_to: str | None = None  # where it goes: the href, or the URL that clicking it opened
    box: Box | None = None
    context: list[str] = Field(default_factory=list)  # landmarks and headings above it, outermost first
    sentence: str = ""  # the sentence around it
    aria: str = ""  # ARIA snapshot (YAML) of its region


class Images(Record):
    """Files are named relative to the observation's folder; hashes are hex strings."""

    page: str
    page_phash: str
    page_dhash: str
    target: str | None = None
    target_phash: str | None = None
    target_dhash: str | None = None


class Hop(Record):
    """An extra click the walker made to reach a step's target: the path gained a step."""

    role: str
    name: str
    url: str  # the page the hop led to, where the target was found


class Observation(Record):
    """What one step of one journey saw in one locale and viewport."""

    schema_version: int = OBSERVATION_SCHEMA
    journey: str
    site: str
    locale: str
    viewport: str
    step: str
    index: int
    action: str
    tracked: bool = False
    status: Status
    reason: BlockReason | None = None
    error: str | None = None
    url: str = ""
    title: str = ""
    headings: list[str] = Field(default_factory=list)  # the page's outline (h1-h3)
    target: Target | None = None
    images: Images | None = None
    # How the target was found: "locator" (by its configured role and names), "search" (the
    # names failed; found by similarity on the page), "hop" (on a page reached by an extra click).
    found_by: str = "locator"
    hop: Hop | None = None
    # MISSING, but the target of this later step was already on the page: the path lost this step.
    superseded_by: str | None = None
    # How many fresh page loads showed the same change (1 = the walk itself).
    confirmations: int = 1

    @property
    def key(self) -> ObservationKey:
        return ObservationKey(self.journey, self.locale, self.viewport, self.step)

    @property
    def combo(self) -> str:
        return f"{self.journey}/{self.locale}/{self.viewport}"


class ObservationKey(tuple[str, str, str, str]):
    """(journey, locale, viewport, step): where an observation lives in a snapshot tree."""

    def __new__(cls, journey: str, locale: str, viewport: str, step: str) -> ObservationKey:
        return super().__new__(cls, (journey, locale, viewport, step))

    @property
    def path(self) -> str:
        return "/".join(self)


class Walk(Record):
    """One journey × locale × viewport, walked once: its observations in step order."""

    journey: str
    site: str
    locale: str
    viewport: str
    observations: list[Observation]
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(o.status in (Status.OK, Status.SKIPPED) for o in self.observations)


class RunInfo(Record):
    """When and how a run happened; kept out of the baseline so accepting is byte-stable."""

    started: str
    finished: str
    seconds: float
    config: str
    sites: dict[str, str] = Field(default_factory=dict)  # real site name -> stand-in URL
    browser: str = ""
    workers: int = 1
    shard: str = "1/1"


def to_plain(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    return obj
