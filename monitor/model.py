"""Plain records that flow between the stages: what a step saw, and a run of them.

They are pydantic models so that every stage can read another stage's JSON (shards
run on other machines) and fail loudly on a field it does not know.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

# The branches the monitor owns, one per platform: it pushes to nothing else (publish/git.py).
BRANCH_PREFIX = "optout-monitor/"

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
    CONSENT = "consent"  # the cookie dialog did not close: the page behind it cannot be read


class Target(Record):
    """The element a step is about, as a reader and as the DOM see it."""

    role: str
    name: str  # accessible name
    text: str  # visible text, whitespace collapsed
    # The words a person sees on it: rendered text only (no SVG title, no visually hidden or
    # transparent text); "" for an icon that shows none, whose `name` nobody sees. None: recorded
    # before this was measured (older observations), `text` stands in.
    shown: str | None = None
    matched: str  # the configured candidate name that found it
    href: str | None = None  # absolute, when the element carries one
    leads_to: str | None = None  # where it goes: the href, or the URL that clicking it opened
    box: Box | None = None
    context: list[str] = Field(default_factory=list)  # landmarks and headings above it, outermost first
    sentence: str = ""  # the sentence around it
    aria: str = ""  # ARIA snapshot (YAML) of its region
    # Where the sentence shows on the page: the union of its words' boxes (else its block's box),
    # and one box per space-separated word of `sentence` (empty when they could not be matched).
    # Pictures are framed on them and the changed words outlined (monitor/framing.py).
    sentence_box: Box | None = None
    words: list[Box] = Field(default_factory=list)
    # Where other visible elements with the same role and name lead: a second "object" link makes
    # the target ambiguous (the walk follows the one leading where the baseline's led).
    also: list[str | None] = Field(default_factory=list)


class Images(Record):
    """Files are named relative to the observation's folder; hashes are hex strings.

    The sha256 of each file is recorded at capture, so a baseline image that changed on disk (or
    was truncated) is a problem, not a comparison (store.image_trouble)."""

    page: str
    page_phash: str
    page_dhash: str
    target: str | None = None
    target_phash: str | None = None
    target_dhash: str | None = None
    # Where the target image sits on the page (a viewport-sized clip around the target); None for
    # an older tight crop. The target's box minus this origin is the target inside the image.
    target_clip: Box | None = None
    page_sha256: str | None = None
    target_sha256: str | None = None
    # The lines of text inside target_clip, page coordinates (capped): a picture cut from it is
    # framed at whole lines, so that no word is cut at an edge (monitor/framing.py).
    lines: list[Box] = Field(default_factory=list)


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
    # What was cut to keep a step's cost bounded (a long page's images, ARIA snapshot, outline).
    capped: list[str] = Field(default_factory=list)

    @property
    def key(self) -> ObservationKey:
        return ObservationKey(self.journey, self.locale, self.viewport, self.step)

    @property
    def combo(self) -> str:
        return f"{self.journey}/{self.locale}/{self.viewport}"

    @property
    def reached(self) -> bool:
        """The walk got past this step (a removed step whose successor was on the page counts)."""
        return self.status in (Status.OK, Status.SKIPPED) or (
            self.status is Status.MISSING and self.superseded_by is not None
        )


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
        """Walked to its end: every step seen or deliberately skipped, or gone with a later step standing in."""
        return all(o.reached for o in self.observations)


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
    # Walks with a login (journey/locale/viewport), and the account-name variables that were all
    # empty when they ran: `accept` refuses such a logged-in walk (nothing knew the name to paint).
    logged_in: list[str] = Field(default_factory=list)
    unmasked: list[str] = Field(default_factory=list)
    # What the walks read of the account off the pages (profile link, menu header, pre-filled fields),
    # for the gate of accept/update/publish: salted digests, never the words (guard/redact.py LearnedDigests).
    learned: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- verdicts (compare, report)

REPORT_VERSION = 1


class Verdict(StrEnum):
    """What one step's comparison with its accepted baseline concluded."""

    UNCHANGED = "unchanged"
    COSMETIC = "cosmetic"  # looks different; the instructions are still true
    REWORDED = "reworded"  # the target says something else, changed role, or its sentence was rewritten
    MOVED = "moved"  # the target sits in another section or landmark
    RETARGETED = "retargeted"  # same words, another destination (scheme, host or path)
    STEP_ADDED = "step-added"  # an extra click is needed before the target
    APPEARED = "appeared"  # the accepted state had no target here; now there is one (where it leads says)
    STEP_REMOVED = "step-removed"  # the step is no longer needed (or no longer walked)
    TARGET_GONE = "target-gone"  # the page loaded but the target is not on it
    BLOCKED = "blocked"  # the monitor could not see (login, security check, HTTP error, timeout)
    NEW = "new"  # no baseline for this step yet
    SKIPPED = "skipped"  # not walked this time (an earlier step stopped the walk)

    @property
    def category(self) -> Category:
        return VERDICT_CATEGORY[self]


class Category(StrEnum):
    """What a verdict asks of people; a report's outcome is the most demanding of its changes."""

    NOTHING = "nothing"  # nothing to do
    UPDATE = "update"  # the instructions need an update
    HUMAN = "human"  # a human is needed: the target is gone, or the monitor could not see

    @property
    def exit_code(self) -> int:
        return CATEGORY_EXIT_CODE[self]


# Strongest first: when several verdicts apply to one step, the first one listed wins.
VERDICT_PRECEDENCE: tuple[Verdict, ...] = (
    Verdict.BLOCKED,
    Verdict.TARGET_GONE,
    Verdict.STEP_REMOVED,
    Verdict.STEP_ADDED,
    Verdict.APPEARED,
    Verdict.RETARGETED,
    Verdict.MOVED,
    Verdict.REWORDED,
    Verdict.COSMETIC,
    Verdict.NEW,
    Verdict.SKIPPED,
    Verdict.UNCHANGED,
)

VERDICT_CATEGORY: dict[Verdict, Category] = {
    Verdict.UNCHANGED: Category.NOTHING,
    Verdict.COSMETIC: Category.NOTHING,
    Verdict.NEW: Category.NOTHING,
    Verdict.SKIPPED: Category.NOTHING,
    Verdict.REWORDED: Category.UPDATE,
    Verdict.MOVED: Category.UPDATE,
    Verdict.RETARGETED: Category.UPDATE,
    Verdict.STEP_ADDED: Category.UPDATE,
    Verdict.APPEARED: Category.UPDATE,
    Verdict.STEP_REMOVED: Category.UPDATE,
    Verdict.TARGET_GONE: Category.HUMAN,
    Verdict.BLOCKED: Category.HUMAN,
}

# 2 is reserved for usage errors (a bad option, an unreadable journey file).
CATEGORY_EXIT_CODE: dict[Category, int] = {Category.NOTHING: 0, Category.UPDATE: 1, Category.HUMAN: 3}


class TextDelta(Record):
    """A value before (the accepted baseline) and after (this run); None where a side has none."""

    old: str | None = None
    new: str | None = None


class ListDelta(Record):
    old: list[str] = Field(default_factory=list)
    new: list[str] = Field(default_factory=list)


class BoxDelta(Record):
    old: Box | None = None
    new: Box | None = None
    shift: int = 0  # the largest change of x, y, width or height, in CSS pixels


class Finding(Record):
    """One reason a verdict applies; a change keeps every finding, not only the winning one."""

    verdict: Verdict
    detail: str


class Evidence(Record):
    """Everything the comparison saw for one step. Deltas are None when that part did not change."""

    findings: list[Finding] = Field(default_factory=list)  # strongest verdict first
    # What the step's target is called by in the accepted baseline, changed or not (judge/shown.py):
    # the words the instructions quote, and its role; a PR names a change by them, never by a step's key.
    label: str | None = None
    label_role: str | None = None
    role: TextDelta | None = None
    name: TextDelta | None = None  # accessible name
    text: TextDelta | None = None  # visible text
    # diff-match-patch diff (after diff_cleanupSemantic) of the name, or of the visible text when only
    # that changed: [op, text] pairs with op -1 (removed), 0 (kept), 1 (added).
    wording: list[tuple[int, str]] = Field(default_factory=list)
    sentence: TextDelta | None = None
    sentence_similarity: float | None = None  # 1.0 = same sentence (digits, case and spacing aside)
    sentence_diff: list[tuple[int, str]] = Field(default_factory=list)
    context: ListDelta | None = None  # landmarks and headings above the target, outermost first
    leads_to: TextDelta | None = None
    box: BoxDelta | None = None
    url: TextDelta | None = None  # the page's address
    title: TextDelta | None = None  # the page's title
    page_hash: int | None = None  # phash distance of the first screens, in bits
    page_dhash: int | None = None
    target_hash: int | None = None  # phash distance of the target crops, in bits
    target_dhash: int | None = None
    aria_diff: list[str] = Field(default_factory=list)  # unified diff (difflib) of the region's ARIA snapshot
    found_by: str = "locator"
    hop: Hop | None = None
    superseded_by: str | None = None
    reason: BlockReason | None = None
    error: str | None = None
    confirmations: int = 1
    notes: list[str] = Field(default_factory=list)  # "found again by search", the hop, the baseline's state


class ChangeImages(Record):
    """Pictures of a change, relative to the report folder; written by report.write."""

    before: str | None = None
    after: str | None = None
    diff: str | None = None
    notes: list[str] = Field(default_factory=list)  # why a picture is missing
    # Where before and after were cut, page coordinates (one box when they share a frame: the
    # target's sentence in both at whole lines, monitor/framing.py); None for whole pages.
    before_frame: Box | None = None
    after_frame: Box | None = None


class Change(Record):
    """One step of one journey × locale × viewport against its accepted baseline."""

    journey: str
    site: str
    locale: str
    viewport: str
    step: str
    index: int
    action: str = ""
    tracked: bool = False
    verdict: Verdict
    category: Category
    summary: str
    evidence: Evidence = Field(default_factory=Evidence)
    images: ChangeImages = Field(default_factory=ChangeImages)

    @property
    def key(self) -> ObservationKey:
        return ObservationKey(self.journey, self.locale, self.viewport, self.step)

    @property
    def combo(self) -> str:
        return f"{self.journey}/{self.locale}/{self.viewport}"


class Problem(Record):
    """A baseline file that could not be used: named, with how to repair it."""

    path: str
    message: str
    fix: str
    key: str | None = None  # journey/locale/viewport/step it belongs to, when known


class Report(Record):
    """One run's changes and the baseline problems met on the way; the contract between check, update, publish."""

    report_version: int = REPORT_VERSION
    run: RunInfo
    changes: list[Change] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    counts: dict[Verdict, int] = Field(default_factory=dict)  # every verdict, zeros included
    outcome: Category = Category.NOTHING
    exit_code: int = 0

    @classmethod
    def build(cls, run: RunInfo, changes: list[Change], problems: list[Problem]) -> Report:
        """A report whose counts, outcome and exit code follow from its changes and problems."""
        ordered = sorted(changes, key=lambda c: (c.journey, c.locale, c.viewport, c.index, c.step))
        counts = {v: 0 for v in Verdict}
        for change in ordered:
            counts[change.verdict] += 1
        outcome = Category.NOTHING
        if problems or any(c.category is Category.HUMAN for c in ordered):
            outcome = Category.HUMAN
        elif any(c.category is Category.UPDATE for c in ordered):
            outcome = Category.UPDATE
        return cls(
            run=run, changes=ordered, problems=problems, counts=counts, outcome=outcome, exit_code=outcome.exit_code
        )


class ChangelogEntry(BaseModel):
    """One change the monitor saw and the instructions took in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    when: str  # ISO 8601 date-time (UTC) of the run that saw it
    platform: str  # facebook | instagram
    locale: str
    viewport: str
    journey: str
    step: str
    verdict: str  # reworded, moved, retargeted, step-added, step-removed, cosmetic
    summary: str  # plain English, e.g. "object" → "Oppose" (Privacy Center notice)
    old_text: str | None = None
    new_text: str | None = None
    old_place: list[str] = Field(default_factory=list)
    new_place: list[str] = Field(default_factory=list)
    old_leads_to: str | None = None
    new_leads_to: str | None = None
    images: list[str] = Field(default_factory=list)  # repository paths of the people's screenshots
    pages: list[str] = Field(default_factory=list)  # repository paths of the instruction pages it changed
    pr_url: str | None = None
    commit: str | None = None
    # what a follower is told (monitor/write/follower.py): the target's words on the page now (else
    # before), the extra step's words (step added), the target's role before and after (a link that
    # became a button); absent in entries written before these existed
    label: str | None = None
    hop: str | None = None
    old_role: str | None = None
    new_role: str | None = None

    @staticmethod
    def make_id(*parts: str | None) -> str:
        digest = hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()
        return digest[:16]

    def filename(self) -> str:
        return f"{self.when[:10]}-{self.id}.json"
