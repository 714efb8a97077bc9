"""The browser edge of `check --learn-labels`: walk each journey in the reference locale, then in
the new one, and record each target by role, place and destination (monitor/walk/learn.py decides).

Both walks run in one Chromium, one journey and viewport after the other; Send is pressed only
where a walk would press it (a stand-in on this machine, monitor/guard/sendguard.py).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from monitor import labelset
from monitor.config import Config, Journey, Step, TargetSpec
from monitor.guard import files, sendguard
from monitor.labelset import LabelSet
from monitor.walk import learn, locate, settle
from monitor.walk.browser import StandIns, launched, load_storage_state, new_context

# Where an element is, without its words: the chain of boxes from <body> down to it (an inline
# element, like a link inside a sentence, takes its paragraph's place), each as role-or-tag[index
# among its visible non-inline siblings], and the landmark roles it sits in.
PLACE_JS = """
const LANDMARKS = {main: 'main', nav: 'navigation', aside: 'complementary', header: 'banner',
                   footer: 'contentinfo', form: 'form', dialog: 'dialog'};
const LANDMARK_ROLES = ['main', 'navigation', 'complementary', 'banner', 'contentinfo', 'form', 'region',
                        'dialog', 'alertdialog', 'menu', 'search'];
const shown = e => { const cs = getComputedStyle(e); return cs.display !== 'none' && cs.visibility !== 'hidden'; };
const boxed = e => shown(e) && getComputedStyle(e).display !== 'inline';
const roleOf = e => e.getAttribute('role') || LANDMARKS[e.tagName.toLowerCase()] || e.tagName.toLowerCase();
function placeOf(el) {
  let box = el;
  while (box.parentElement && box !== document.body && !boxed(box)) box = box.parentElement;
  const parts = [], marks = [];
  for (let a = box; a && a !== document.body; a = a.parentElement) {
    const sibs = a.parentElement ? [...a.parentElement.children].filter(boxed) : [a];
    parts.unshift(`${roleOf(a)}[${Math.max(0, sibs.indexOf(a))}]`);
  }
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    const role = roleOf(a);
    const labelled = a.hasAttribute('aria-label') || a.hasAttribute('aria-labelledby');
    if (LANDMARK_ROLES.includes(role) && (role !== 'region' || labelled)) marks.unshift(role);
  }
  return {place: parts.join(' > '), landmarks: marks.join(' > ')};
}
"""

SELECTOR = (
    'a[href], [role="link"], [role="button"], button, [role="menuitem"], [role="tab"], '
    'h1, h2, h3, h4, h5, h6, [role="heading"], input, textarea, [role="textbox"]'
)

CANDIDATES_JS = (
    "(sel) => {"
    + PLACE_JS
    + """
  const clean = s => (s || '').replace(/\\s+/g, ' ').trim();
  const implicit = e => {
    const tag = e.tagName.toLowerCase();
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'a') return 'link';
    if (tag === 'input' || tag === 'textarea') return 'textbox';
    return 'button';
  };
  const out = [];
  document.querySelectorAll(sel).forEach((el, i) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || !shown(el) || el.closest('[aria-hidden="true"]')) return;
    const labelledBy = el.getAttribute('aria-labelledby');
    const name = clean(el.getAttribute('aria-label') ||
      (labelledBy ? (document.getElementById(labelledBy) || {}).textContent : '') || el.innerText || el.textContent);
    const a = el.closest('a[href]');
    out.push({index: i, role: el.getAttribute('role') || implicit(el), name, href: a ? a.href : null,
              ...placeOf(el)});
  });
  return out;
}"""
)

PLACE_OF_JS = "(el) => {" + PLACE_JS + " return placeOf(el); }"
NTH_JS = "([sel, i, attr]) => { document.querySelectorAll(sel)[i].setAttribute(attr, ''); }"
PICKED_ATTR = "data-om-learned"
UNMARK_JS = f"() => document.querySelectorAll('[{PICKED_ATTR}]').forEach(e => e.removeAttribute('{PICKED_ATTR}'))"
ARIA_NAME = re.compile(r'^- [\w-]+ "((?:[^"\\]|\\.)*)"')


class Stop(Exception):
    """The walk cannot go on (the reason is the message)."""


@dataclass
class Walks:
    """One learn run: the config (with the new locale's browser locale), where, and what it found."""

    config: Config
    locale: str
    reference: str
    stand_ins: StandIns
    storage_states: dict[str, str] = field(default_factory=dict)
    browser: str | None = None
    results: learn.Results = field(default_factory=learn.Results)

    def run(self, journeys: list[Journey], viewports: list[str], progress: Callable[[str], None]) -> None:
        hosts = self.stand_ins.host_map(self.config) if self.stand_ins else {}
        with launched(self.browser, self.config.browser) as session:
            for journey in journeys:
                state = load_storage_state(journey.site, self.config, self.storage_states)[0] if journey.login else None
                for viewport in viewports:
                    steps = journey.steps_for(viewport)
                    refs: dict[str, learn.Reference] = {}
                    context = new_context(session, self.config, self.reference, viewport, state, self.stand_ins)
                    try:
                        self._walk(context.new_page(), journey, steps, viewport, hosts, refs, None)
                    finally:
                        context.close()
                    context = new_context(session, self.config, self.locale, viewport, state, self.stand_ins)
                    try:
                        self._walk(context.new_page(), journey, steps, viewport, hosts, refs, self.results)
                    finally:
                        context.close()
                    progress(f"{journey.id}/{viewport}: {len(refs)} target(s) walked in {self.reference}")

    def _walk(
        self,
        page: Page,
        journey: Journey,
        steps: list[Step],
        viewport: str,
        hosts: dict[str, str],
        refs: dict[str, learn.Reference],
        results: learn.Results | None,
    ) -> None:
        """The reference walk (results None) fills refs; the new locale's walk reads them."""
        timeouts = self.config.timeouts
        for index, step in enumerate(steps):
            try:
                if step.goto is not None:
                    page.goto(step.goto, wait_until="domcontentloaded", timeout=timeouts.navigation_ms)
                    settle.settle(page, timeouts.navigation_ms)
                    continue
                if step.wait is not None and step.wait.ms:
                    page.wait_for_timeout(step.wait.ms)
                spec = self.config.sites[journey.site].consent if step.consent is not None else step.target
                if spec is None:
                    continue
                if results is None:
                    self._reference_step(page, journey, step, spec, viewport, hosts, refs)
                else:
                    self._learn_step(page, journey, step, hosts, refs, results)
            except (Stop, PlaywrightTimeout, PlaywrightError) as exc:
                if results is not None:
                    results.missed[(journey.id, step.id)] = (str(exc).strip().splitlines() or ["browser error"])[0]
                    for later in steps[index + 1 :]:
                        if later.target is not None:
                            results.missed.setdefault(
                                (journey.id, later.id), f"not walked: stopped at step {step.id!r}"
                            )
                return

    def _reference_step(
        self,
        page: Page,
        journey: Journey,
        step: Step,
        spec: TargetSpec,
        viewport: str,
        hosts: dict[str, str],
        refs: dict[str, learn.Reference],
    ) -> None:
        found = locate.wait_for(page, spec, self.reference, self.config.timeouts.target_ms)
        if found is None:
            if step.consent is not None:
                return  # no cookie dialog on this page: nothing to learn, nothing to dismiss
            raise Stop(f"the {self.reference} walk found no {spec.role} named {spec.names(self.reference)}")
        where = found.locator.evaluate(PLACE_OF_JS)
        href = found.locator.evaluate("e => { const a = e.closest('a[href]'); return a ? a.href : null; }")
        page_url = page.url
        leads_to = self._act(page, found.locator, step, spec, hosts)
        refs[step.id] = learn.Reference(
            journey=journey.id,
            step=step.id,
            viewport=viewport,
            locale=self.reference,
            role=spec.role,
            name=_aria_name(found.locator) or found.matched,
            place=str(where["place"]),
            landmarks=str(where["landmarks"]),
            page=page_url,
            href=href,
            leads_to=leads_to,
        )

    def _learn_step(
        self,
        page: Page,
        journey: Journey,
        step: Step,
        hosts: dict[str, str],
        refs: dict[str, learn.Reference],
        results: learn.Results,
    ) -> None:
        ref = refs.get(step.id)
        if ref is None:
            if step.consent is None:
                raise Stop(f"the {self.reference} walk did not reach this step")
            return
        choice = self._wait_for_choice(page, ref)
        if choice is None:
            raise Stop(f"no {ref.role} where {self.reference} has {ref.name!r} ({ref.place})")
        if isinstance(choice, learn.Question):
            results.questions.append(choice)
            raise Stop("two candidates fit equally: asked, not guessed")
        page.evaluate(NTH_JS, [SELECTOR, choice.candidate.index, PICKED_ATTR])
        picked = page.locator(f"[{PICKED_ATTR}]").first
        name = _aria_name(picked) or choice.candidate.name
        page_url = page.url
        spec = TargetSpec.model_validate({"role": ref.role, "name": {self.locale: [name]}})
        refound = locate.find(page, spec, self.locale)
        same = refound is not None and bool(refound.locator.evaluate(f"e => e.hasAttribute('{PICKED_ATTR}')"))
        page.evaluate(UNMARK_JS)
        if refound is None or not same:
            raise Stop(f"the label {name!r} found at {ref.place} names another {ref.role} first on the page")
        finding = learn.Finding(
            journey=journey.id,
            step=step.id,
            name=name,
            pick=choice,
            reference=replace(ref, page=page_url),
            site=journey.site if step.consent is not None else "",
        )
        leads_to = self._act(page, refound.locator, step, spec, hosts)
        if ref.leads_to and not learn.same_address(leads_to, ref.leads_to):
            raise Stop(
                f"{name!r} led to {leads_to or 'nowhere'}, where {self.reference}'s {ref.name!r} led to {ref.leads_to}"
            )
        finding.leads_to = leads_to
        results.findings.append(finding)

    def _wait_for_choice(self, page: Page, ref: learn.Reference) -> learn.Pick | learn.Question | None:
        """choose(), retried while the page renders (bounded by timeouts.target_ms)."""
        waited, step_ms = 0, 100
        while True:
            raw = page.evaluate(CANDIDATES_JS, SELECTOR)
            candidates = [
                learn.Candidate(c["index"], c["role"], c["name"], c["place"], c["landmarks"], c["href"]) for c in raw
            ]
            choice = learn.choose(ref, candidates)
            if choice is not None or waited >= self.config.timeouts.target_ms:
                return choice
            page.wait_for_timeout(step_ms)
            waited += step_ms

    def _act(self, page: Page, locator: Locator, step: Step, spec: TargetSpec, hosts: dict[str, str]) -> str | None:
        """Do what the step does; the address a click opened (None: it stayed on the page)."""
        timeouts = self.config.timeouts
        if step.fill is not None:
            locator.fill(step.fill.value, timeout=timeouts.target_ms)
            return None
        if step.click is None and step.consent is None:
            return None
        if step.submit:
            refusal = sendguard.send_refusal(page.url, hosts)
            if refusal is not None:
                raise Stop(f"not pressed: {refusal}")
        before = page.url
        locator.click(timeout=timeouts.target_ms)
        if spec.role == "link":
            with contextlib.suppress(PlaywrightTimeout):  # a link whose script opens something in place
                page.wait_for_url(lambda u: u != before, timeout=timeouts.navigation_ms)
        settle.settle(page, timeouts.navigation_ms)
        return page.url if page.url != before else None


def _aria_name(locator: Locator) -> str:
    """The accessible name as the browser computes it (what `get_by_role(name=…)` matches)."""
    try:
        first = locator.aria_snapshot(timeout=2000).splitlines()[0]
    except (PlaywrightError, IndexError):
        return ""
    match = ARIA_NAME.match(first.strip())
    return match.group(1).replace('\\"', '"').replace("\\\\", "\\") if match else ""


@dataclass(frozen=True)
class Outcome:
    path: Path
    written: LabelSet | None
    questions: list[learn.Question]
    refused: str = ""  # why nothing was written (a reviewed file in the way, or nothing learned)


def learn_labels(
    config: Config,
    config_path: Path,
    locale: str,
    stand_ins: StandIns,
    storage_states: dict[str, str],
    journeys: list[str],
    viewports: list[str],
    browser: str | None,
    progress: Callable[[str], None],
) -> Outcome:
    """Walk, then write labels/<locale>.yaml beside the journey file, unless a person must decide
    (two candidates: nothing written at all, so that no half-learned set can be accepted by mistake)
    or a reviewed file is already there (never overwritten)."""
    path = labelset.path_for(config_path, locale)
    if path.is_file():
        try:
            existing: LabelSet | None = labelset.read(path)
        except labelset.LabelSetError:
            existing = None  # unreadable: treated as reviewed-by-somebody, never overwritten
        if existing is None or existing.reviewed:
            who = f"reviewed by {existing.reviewed_by}" if existing is not None else "not readable as a label set"
            return Outcome(
                path, None, [], f"{path} is {who}: it is never overwritten; move it away to learn the labels again"
            )
    reference = next((loc for loc in config.locales if loc != locale), "")
    if not reference:
        raise ValueError("the journey file has no other locale to learn from (locales: needs a documented one)")
    browser_locale = config.locales.get(locale, locale)
    walking = config.model_copy(update={"locales": {**config.locales, locale: browser_locale}})
    chosen = [j for j in config.journeys if not journeys or j.id in journeys]
    walks = Walks(walking, locale, reference, stand_ins, storage_states, browser)
    walks.run(chosen, viewports or list(config.viewports), progress)
    if walks.results.questions:
        return Outcome(path, None, walks.results.questions)
    if not walks.results.findings:
        first = next(iter(sorted(walks.results.missed.items())), None)
        why = f"{first[0][0]}, step {first[0][1]!r}: {first[1]}" if first else "no journey has a step with a target"
        return Outcome(path, None, [], f"nothing was learned, so {path} was not written ({why})")
    learned = learn.label_set(walks.results, locale, browser_locale, reference, today())
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write_atomic(path, labelset.dump(learned).encode("utf-8"))
    return Outcome(path, learned, [])


def today() -> str:
    return datetime.now(UTC).date().isoformat()
