"""Clicks on a copy of the page: what the walk learns without moving its own page.

A target that is missing may be one extra click away (`hop`: a step was added), or may have become a
control that navigates by script (`probe`: a click shows where it leads). Each trial opens the page
again in a new tab of the same context and is closed after; nothing named like a `submit:` step, and no
form's submit button, is ever clicked.
"""

from __future__ import annotations

from functools import partial
from operator import ne

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from monitor.config import Config, Journey, TargetSpec
from monitor.judge import hops
from monitor.model import Hop
from monitor.walk import locate, settle, stuck
from monitor.walk.pagereads import WalkState

HOP_LIMIT = 8


def hop(
    config: Config, state: WalkState, journey: Journey, spec: TargetSpec, locale: str, wanted: str | None
) -> tuple[locate.Found, Hop] | None:
    """One extra click, bounded and on the same site, to a page that has the target: a step was added."""
    hints = [n for s in journey.steps if s.target is not None for n in s.target.names(locale)]
    page = state.page
    origin_url = page.url
    # the same target is the one that leads where the baseline's led (`wanted`); a name alone is only a candidate
    fallback: tuple[locate.Found, Hop, Page] | None = None
    for cand in locate.hop_candidates(page, hints, HOP_LIMIT, _submit_names(journey, locale)):
        trial = page.context.new_page()
        try:
            if cand["href"] and not cand.get("opens"):
                trial.goto(cand["href"], wait_until="domcontentloaded", timeout=config.timeouts.navigation_ms)
            else:  # a control that acts by script (opens in place, or navigates): click it on a copy
                trial.goto(origin_url, wait_until="domcontentloaded", timeout=config.timeouts.navigation_ms)
                settle.settle(trial, config.timeouts.navigation_ms)
                locate.mark(trial, cand["i"]).click(timeout=2000)
                if cand["role"] == "link" and not cand.get("opens"):
                    trial.wait_for_url(lambda u: u != origin_url, timeout=3000)
            settle.settle(trial, config.timeouts.navigation_ms)
            if not hops.same_site(trial.url, origin_url):
                raise PlaywrightError(f"{trial.url} is off the site")
            stuck.dismiss_consent(config, WalkState(trial), journey, locale)
            found = locate.wait_for(trial, spec, locale, min(1500, config.timeouts.target_ms))
        except PlaywrightError:
            found = None
        if found is not None:
            hop = Hop(role=cand["role"], name=cand["name"], url=trial.url)
            if wanted is None or hops.same_destination(locate.destination_of(found.locator), wanted):
                if fallback is not None:
                    fallback[2].close()
                page.close()
                state.page = trial
                return found, hop
            if fallback is None:
                fallback = (found, hop, trial)
                continue
        trial.close()
    if fallback is not None:  # only a name matched: walked on, and compare says target-gone
        page.close()
        state.page = fallback[2]
        return fallback[0], fallback[1]
    if state.page.url != origin_url:  # pragma: no cover - trials never navigate the walk's page
        state.page.goto(origin_url)
    return None


def probe(
    config: Config, state: WalkState, journey: Journey, clue: locate.Clue, locale: str
) -> tuple[locate.Found, str] | None:
    """A control that acts by script, named and placed like the target, found again when a click on a
    copy of the page leads where the baseline's target led (a link became a button). The copy is
    closed; the walk's page is never clicked, and nothing named like a `submit:` step is."""
    page = state.page
    for cand in locate.scripted_near_misses(page, clue, config.thresholds.similarity, _submit_names(journey, locale)):
        trial = page.context.new_page()
        try:
            trial.goto(page.url, wait_until="domcontentloaded", timeout=config.timeouts.navigation_ms)
            settle.settle(trial, config.timeouts.navigation_ms)
            stuck.dismiss_consent(config, WalkState(trial), journey, locale)
            copy = trial.evaluate(locate.CANDIDATES_JS)
            twin = next((c for c in copy if c["name"] == cand["name"] and c["role"] == cand["role"]), None)
            if twin is None:
                continue
            origin = trial.url
            pages = len(trial.context.pages)
            locate.mark(trial, twin["i"]).click(timeout=2000)
            try:
                trial.wait_for_url(partial(ne, origin), timeout=3000)
                to = trial.url
            except PlaywrightTimeout:
                opened = trial.context.pages[pages:]
                to = opened[-1].url if opened else ""
                for extra in opened:
                    extra.close()
        except PlaywrightError:
            continue
        finally:
            trial.close()
        if hops.same_destination(to, clue.leads_to):
            return locate.Found(locate.mark(page, cand["i"]), cand["name"]), to
    return None


def _submit_names(journey: Journey, locale: str) -> list[str]:
    """The names of the journey's `submit:` steps: never clicked on a copy (the real form is never sent)."""
    return [n for s in journey.steps if s.submit and s.target is not None for n in s.target.names(locale)]
