"""Walking one journey in one locale and viewport: one Observation per step.

The walk stops where a person would be stuck (a login wall, a missing link); it presses a
`submit` step only on a stand-in on this machine (monitor/guard/sendguard.py). What it stores has the
account's identity redacted (monitor/guard/redact.py) and its screenshots have the people painted over
(monitor/guard/privacy.py).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from monitor.config import Config, Journey, Step, TargetSpec
from monitor.guard import sendguard
from monitor.guard.redact import Identity
from monitor.model import BlockReason, Hop, Observation, ObservationKey, Status, Walk
from monitor.walk import copies, locate, settle, stuck
from monitor.walk.pagereads import Learned, PageReader, WalkState


@dataclass(frozen=True)
class Walker:
    """Walks journeys for one config.

    `stand_ins` maps each host answered by a stand-in to that stand-in's base URL (Send is
    pressed only where that base is on this machine); `baseline` holds last accepted
    observations, the clues for finding a target again; `identity` is the account to redact
    (with what the walks learn added); `redaction=False` stores and shows everything as the page
    had it, which only tests of the gate use.
    """

    config: Config
    stand_ins: Mapping[str, str]
    baseline: Mapping[ObservationKey, Observation] = field(default_factory=dict)
    identity: Identity = field(default_factory=Identity)
    redaction: bool = True
    learned: Learned = field(default_factory=Learned)
    pictures: bool = True  # False: the steps' words only, no screenshot (the quick look)
    answers: stuck.Answers = field(default_factory=stuck.Answers)  # for the quick look's read contexts

    def walk(
        self, context: BrowserContext, journey: Journey, locale: str, viewport: str
    ) -> tuple[Walk, dict[str, bytes]]:
        started = time.perf_counter()
        page = context.new_page()
        state = WalkState(page, viewport=viewport)
        self.watch(context, state)
        observations: list[Observation] = []
        steps = journey.steps_for(viewport)
        stop: Observation | None = None
        for index, step in enumerate(steps):
            base = dict(
                journey=journey.id,
                site=journey.site,
                locale=locale,
                viewport=viewport,
                step=step.id,
                index=index,
                action=step.action,
                tracked=step.tracked,
            )
            if stop is not None:
                observations.append(
                    Observation(**base, status=Status.SKIPPED, error=f"not walked: stopped at step {stop.step!r}")
                )
                continue
            try:
                obs = self._step(state, journey, step, locale, base, steps[index + 1 :])
            except stuck.Blocked as exc:
                obs = self._blocked(state, base, exc.reason, str(exc))
            except PlaywrightError as exc:
                obs = self._blocked(state, base, *stuck.fault(exc))
            observations.append(obs)
            self.answers.add(journey.site, state)
            lost = obs.status is Status.MISSING and obs.superseded_by is None and step.action != "observe"
            unsent = obs.status is Status.SKIPPED and step.submit
            if obs.status is Status.BLOCKED or lost or unsent:
                stop = obs
        if self.redaction:
            who = self.learned.identity(self.identity)
            observations = [who.redact_record(o) for o in observations]
        walk = Walk(
            journey=journey.id,
            site=journey.site,
            locale=locale,
            viewport=viewport,
            observations=observations,
            seconds=time.perf_counter() - started,
        )
        return walk, state.images

    # ------------------------------------------------------------------ steps

    def _step(
        self, state: WalkState, journey: Journey, step: Step, locale: str, base: dict[str, Any], later: list[Step]
    ) -> Observation:
        site = self.config.sites[journey.site]
        timeouts = self.config.timeouts
        page = state.page
        if step.goto is not None:
            response = page.goto(step.goto, wait_until="domcontentloaded", timeout=timeouts.navigation_ms)
            state.last_status = response.status if response is not None else 200
            self._settle(page)
            state.redirected = urlsplit(page.url)[1:3] != urlsplit(step.goto)[1:3]
            stuck.check_blocked(self.config, state, journey, locale)
            return self._capture(state, base, Status.OK)
        if step.consent is not None:
            consent = site.consent
            found = locate.wait_for(page, consent, locale, timeouts.target_ms) if consent else None
            if found is None:
                unanswered = locate.unanswered_consent(page, consent, locale) if consent else None
                if unanswered is not None:  # a renamed button: the dialog stays, and hides the page
                    raise stuck.Blocked(BlockReason.CONSENT, unanswered)
                return self._capture(state, base, Status.OK)
            obs = self._capture(state, base, Status.OK, found, consent)
            state.answered = stuck.answer_consent(page, found, timeouts.target_ms, timeouts.navigation_ms)
            return obs
        if step.wait is not None and step.wait.ms:
            page.wait_for_timeout(step.wait.ms)
        stuck.dismiss_and_check(self.config, state, journey, locale)
        spec = step.target
        if spec is None:
            self._settle(page)
            return self._capture(state, base, Status.OK)
        found = locate.wait_for(page, spec, locale, timeouts.target_ms)
        how: dict[str, Any] = {}
        also: list[str | None] = []
        probe_to: str | None = None
        if found is not None and step.tracked:
            wanted = self._baseline_destination(journey, spec, locale, state)
            found, also = locate.twins(page, spec, locale, found, wanted)
        if found is None:
            stuck.check_blocked(self.config, state, journey, locale)
            tried = ", ".join(repr(n) for n in spec.names(locale))
            missing = f"no {spec.role} named {tried} on {page.url}"
            ahead = next((s for s in later if s.target is not None and locate.visible(page, s.target, locale)), None)
            if ahead is not None:
                return self._capture(
                    state,
                    base,
                    Status.MISSING,
                    superseded_by=ahead.id,
                    error=f"{missing}; the next step's target ({ahead.id}) is already here: this step is gone",
                )
            clue = self.clue(spec, base, locale)
            scrolled = locate.scroll_for(page, spec, locale)  # content some pages add only when scrolled to
            hit = None if scrolled is not None else locate.search(page, clue, self.config.thresholds.similarity)
            probed = (
                None
                if scrolled is not None or hit is not None
                else copies.probe(self.config, state, journey, clue, locale)
            )
            if scrolled is not None:
                found = scrolled
            elif hit is not None:
                found, confidence = hit
                how = {"found_by": "search", "error": f"{missing}; found again by search (score {confidence})"}
            elif probed is not None:
                found, probe_to = probed
                how = {
                    "found_by": "search",
                    "error": f"{missing}; found again by search: the {found.matched!r} control that leads to the same "
                    f"place by script ({probe_to})",
                }
            else:
                hop = self._hop(state, journey, spec, locale)
                if hop is None:
                    return self._capture(state, base, Status.MISSING, error=missing)
                found, hop_record = hop
                page = state.page
                how = {
                    "found_by": "hop",
                    "hop": hop_record,
                    "error": f"{missing}; found after an extra click on {hop_record.name!r}",
                }
        if step.fill is not None:
            found.locator.fill(step.fill.value, timeout=timeouts.target_ms)
        obs = self._capture(state, base, Status.OK, found, spec, **how)
        if probe_to and obs.target is not None and not obs.target.leads_to:
            obs = obs.model_copy(update={"target": obs.target.model_copy(update={"leads_to": probe_to})})
        if also and obs.target is not None:
            obs = obs.model_copy(update={"target": obs.target.model_copy(update={"also": also})})
        if step.click is None:
            return obs
        if step.submit:  # decided at the moment of the click, on the address the page has then
            refusal = sendguard.send_refusal(page.url, self.stand_ins)
            if refusal is not None:
                return obs.model_copy(update={"status": Status.SKIPPED, "error": refusal})
        leads_to = self._click(state, found, spec, journey, locale)
        if obs.target is not None and leads_to and leads_to != obs.target.leads_to:
            obs = obs.model_copy(update={"target": obs.target.model_copy(update={"leads_to": leads_to})})
        return obs

    def _click(
        self, state: WalkState, found: locate.Found, spec: TargetSpec, journey: Journey, locale: str
    ) -> str | None:
        """Click and follow: the URL the click opened (same tab or a new one), None when it stayed."""
        page = state.page
        before = page.url
        pages_before = len(page.context.pages)
        navigated: str | None = None
        if found.frame is not None and spec.role == "link":
            navigated = locate.click_in_frame(
                page, found, self.config.timeouts.target_ms, self.config.timeouts.navigation_ms
            )
        else:
            found.locator.click(timeout=self.config.timeouts.target_ms)
        if spec.role == "link" and found.frame is None:
            try:
                page.wait_for_url(lambda u: u != before, timeout=self.config.timeouts.navigation_ms)
                page.wait_for_load_state("domcontentloaded")
                navigated = page.url
            except PlaywrightTimeout:
                navigated = None
        if len(page.context.pages) > pages_before:
            state.page = page.context.pages[-1]
            state.page.wait_for_load_state("domcontentloaded")
            navigated = state.page.url
        self._settle(state.page)
        if navigated is not None:
            stuck.check_blocked(self.config, state, journey, locale)
        return navigated

    # ------------------------------------------------------------------ observing
    @property
    def reader(self) -> PageReader:
        return PageReader(self.config, self.identity, self.redaction, self.learned, self.pictures)

    def _capture(
        self, state: WalkState, base: dict[str, Any], status: Status, *args: Any, **kwargs: Any
    ) -> Observation:
        return self.reader.capture(state, base, status, *args, **kwargs)

    def clue(self, spec: TargetSpec, base: dict[str, Any], locale: str) -> locate.Clue:
        """What the baseline says the target looked like, for finding it again when its names fail."""
        key = ObservationKey(base["journey"], base["locale"], base["viewport"], base["step"])
        names = list(spec.names(locale))
        before = self.baseline.get(key)
        if before is not None and before.target is not None:
            names += [before.target.name, before.target.text]
            regions = [c for c in before.target.context if c.startswith(("region ", "dialog ", "form ", "article "))]
            section = regions[-1].split(" ", 1)[1].strip('"') if regions else ""
            return locate.Clue(tuple(n for n in names if n), before.target.sentence, before.target.leads_to, section)
        return locate.Clue(tuple(names))

    def _hop(
        self, state: WalkState, journey: Journey, spec: TargetSpec, locale: str
    ) -> tuple[locate.Found, Hop] | None:
        """One extra click to a page that has the target (monitor/walk/copies.py), kept as a method so a
        recording walker (scripts/accuracy.py) can see the page before it."""
        wanted = self._baseline_destination(journey, spec, locale, state)
        return copies.hop(self.config, state, journey, spec, locale, wanted)

    def _baseline_destination(self, journey: Journey, spec: TargetSpec, locale: str, state: WalkState) -> str | None:
        step = next((s.id for s in journey.steps if s.target is spec), None)
        if step is None:
            return None
        for vp in (state.viewport, *self.config.viewports):
            before = self.baseline.get(ObservationKey(journey.id, locale, vp, step))
            if before is not None and before.target is not None and before.target.leads_to:
                return before.target.leads_to
        return None

    def _blocked(self, state: WalkState, base: dict[str, Any], reason: BlockReason, message: str) -> Observation:
        try:
            return self._capture(state, base, Status.BLOCKED, error=message).model_copy(update={"reason": reason})
        except PlaywrightError:
            return Observation(**base, status=Status.BLOCKED, reason=reason, error=message, url=state.page.url)

    # ------------------------------------------------------------------ the page's condition

    def watch(self, context: BrowserContext, state: WalkState, page_only: bool = False) -> None:
        """Follow the page answers (status, Retry-After) of context's pages (`page_only`: of state's page
        alone, in a context other reads share) and the requests in flight of context."""

        def on_response(response: Any) -> None:
            try:
                if response.request.is_navigation_request() and response.frame.parent_frame is None:
                    state.last_status = response.status
                    state.last_url = response.url
                    state.retry_after = response.headers.get("retry-after", "")
            except PlaywrightError:
                pass

        (state.page if page_only else context).on("response", on_response)
        settle.watch(context)

    def _settle(self, page: Page) -> None:
        settle.settle(page, self.config.timeouts.navigation_ms)
