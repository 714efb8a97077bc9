"""Walking one journey in one locale and viewport: one Observation per step.

The walk stops where a person would be stuck (a login wall, a missing link); it presses a
`submit` step only on a stand-in on this machine (monitor/sendguard.py). What it stores has the
account's identity redacted (monitor/redact.py) and its screenshots have the people painted over
(monitor/privacy.py).
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Locator, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from . import capture, hops, imaging, locate, privacy, sendguard, settle
from .browser import refused
from .config import Config, Journey, Step, TargetSpec
from .model import BlockReason, Box, Hop, Images, Observation, ObservationKey, Status, Target, Walk
from .redact import Identity

MASK_ATTR = "data-om-mask"
TARGET_PAD = 48
MASK_COLOUR = "#6b6f76"

# Marks every element that shows an e-mail address or one of the identity tokens (folded:
# lower case, accents off; monitor/redact.py), in a field or in text, as a word of its own
# anywhere in it, and every badge that is only a small number.
MARK_PERSONAL_JS = """([attr, tokens]) => {
  const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}/;
  const fold = s => (s || '').normalize('NFKD').replace(/\\p{M}/gu, '').toLowerCase();
  const wordChar = /[\\p{L}\\p{N}]/u;
  const hasToken = s => {
    const f = fold(s);
    return tokens.some(t => {
      for (let i = f.indexOf(t); i >= 0; i = f.indexOf(t, i + 1)) {
        const before = i > 0 ? f[i - 1] : ' ', after = f[i + t.length] || ' ';
        if (!wordChar.test(before) && !wordChar.test(after)) return true;
      }
      return false;
    });
  };
  const personal = s => email.test(s) || hasToken(s);
  // a region already painted whole (privacy.py) needs no box of its own on top of it
  const mark = el => { if (!el.closest('[data-om-private]')) el.setAttribute(attr, ''); };
  for (const el of document.querySelectorAll('input, textarea')) {
    if (personal(el.value || '') || el.type === 'email' || el.type === 'tel') mark(el);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el) continue;
    // personal data; and counters (a badge that is only a small number changes on every load)
    if (personal(node.nodeValue || '') || /^\\s*\\d{1,3}\\+?\\s*$/.test(el.textContent || '')) mark(el);
  }
}"""

# The account's own e-mail address, as pre-filled in the page's fields: learnt by the walk.
FIELD_EMAILS_JS = """() => [...document.querySelectorAll('input, textarea')].map(e => e.value || '')
  .filter(v => /^[^\\s@]+@[^\\s@]+\\.[A-Za-z]{2,}$/.test(v.trim()))"""

# What a reader sees around the element: its text, box on the page, landmarks and headings
# above it, its sentence (its section's ARIA snapshot is capture.section_aria's).
DESCRIBE_JS = locate.composed("""el => {
  const clean = s => (s || '').replace(/\\s+/g, ' ').trim();
  const r = el.getBoundingClientRect();
  const box = {x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY),
               width: Math.round(r.width), height: Math.round(r.height)};
  const landmarkRoles = {main: 'main', nav: 'navigation', aside: 'complementary', header: 'banner',
                         footer: 'contentinfo', form: 'form', section: 'region', article: 'article',
                         dialog: 'dialog'};
  const context = [];
  for (let a = up(el); a && a !== document.body; a = up(a)) {
    const role = a.getAttribute('role') || landmarkRoles[a.tagName.toLowerCase()];
    const label = a.getAttribute('aria-label') ||
      (a.getAttribute('aria-labelledby') ? clean((byId(a, a.getAttribute('aria-labelledby')) || {}).textContent) : '');
    const landmark = ['main','navigation','complementary','banner','contentinfo','form','region','article',
                      'dialog','menu','search','alertdialog'].includes(role);
    if (landmark && (role !== 'region' || label)) {
      context.unshift(label ? `${role} "${label}"` : role);
    }
  }
  const headings = [];
  const order = deepAll('*');  // document order, the contents of open shadow roots in their host's place
  const at = order.indexOf(el);
  const inside = h => { for (let a = up(el); a; a = up(a)) if (a === h) return true; return false; };
  const all = deepAll('h1,h2,h3,h4,h5,h6,[role="heading"]');
  for (const h of all) {
    if (h === el || inside(h)) continue;
    if (order.indexOf(h) > at) break;
    const cs = getComputedStyle(h);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    const level = parseInt(h.getAttribute('aria-level') || (h.tagName.match(/^H(\\d)$/) || [0, 2])[1], 10);
    while (headings.length && headings[headings.length - 1].level >= level) headings.pop();
    headings.push({level, text: clean(h.textContent)});
  }
  for (const h of headings) context.push(`h${h.level} "${h.text}"`);
  const text = clean(el.innerText || el.textContent);
  let block = up(el);
  while (block && block !== document.body && getComputedStyle(block).display.startsWith('inline')) block = up(block);
  const blockText = clean(block ? block.innerText || block.textContent : text);
  const sentences = blockText.split(/(?<=[.!?…])\\s+/);
  const sentence = sentences.find(s => text && s.includes(text)) || blockText.slice(0, 300);
  const a = closestUp(el, 'a[href]');
  const href = a ? a.href : (el.getAttribute('href') ? new URL(el.getAttribute('href'), location.href).href : null);
  return {box, context, text, sentence: sentence.slice(0, 500), href};
}""")

OUTLINE_JS = locate.composed("""() => {
  const out = [];
  for (const h of deepAll('h1,h2,h3,[role="heading"]')) {
    const level = parseInt(h.getAttribute('aria-level') || (h.tagName.match(/^H(\\d)$/) || [0, 2])[1], 10);
    const cs = getComputedStyle(h);
    if (level > 3 || cs.display === 'none' || cs.visibility === 'hidden' || !h.getClientRects().length) continue;
    out.push(`h${level} ` + (h.textContent || '').replace(/\\s+/g, ' ').trim());
  }
  return out;
}""")

STAMP_JS = "() => window.__omChanged || 0"
ARIA_LINE = re.compile(r'^- (?P<role>[\w-]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?')


class Blocked(Exception):
    def __init__(self, reason: BlockReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class WalkState:
    """What one walk carries from step to step."""

    page: Page
    last_status: int = 200
    last_url: str = ""
    retry_after: str = ""  # the last page answer's Retry-After (a 429 or 503 says when to come back)
    images: dict[str, bytes] = field(default_factory=dict)
    shared: capture.Shared = field(default_factory=capture.Shared)
    redirected: bool = False  # the last goto ended on another host or path than it asked for
    viewport: str = ""


HOP_LIMIT = 8


class Learned:
    """What walks read of the account's identity (profile name, pre-filled e-mail), shared by the
    walks of a run so that each later walk redacts and paints it from its first page on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: set[str] = set()

    def add(self, entries: list[str]) -> None:
        with self._lock:
            self._entries.update(" ".join(e.split()) for e in entries if e.strip())

    def identity(self, base: Identity) -> Identity:
        with self._lock:
            return base.add(sorted(self._entries))


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

    def walk(
        self, context: BrowserContext, journey: Journey, locale: str, viewport: str
    ) -> tuple[Walk, dict[str, bytes]]:
        started = time.perf_counter()
        page = context.new_page()
        state = WalkState(page, viewport=viewport)
        self._watch(context, state)
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
            except Blocked as exc:
                obs = self._blocked(state, base, exc.reason, str(exc))
            except PlaywrightTimeout as exc:
                obs = self._blocked(state, base, BlockReason.TIMEOUT, _first_line(exc))
            except PlaywrightError as exc:
                obs = self._blocked(state, base, _fault(exc), _first_line(exc))
            observations.append(obs)
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
            self._check_blocked(state, journey, locale)
            return self._capture(state, base, Status.OK)
        if step.consent is not None:
            consent = site.consent
            found = locate.wait_for(page, consent, locale, timeouts.target_ms) if consent else None
            if found is None:
                unanswered = locate.unanswered_consent(page, consent, locale) if consent else None
                if unanswered is not None:  # a renamed button: the dialog stays, and hides the page
                    raise Blocked(BlockReason.CONSENT, unanswered)
                return self._capture(state, base, Status.OK)
            obs = self._capture(state, base, Status.OK, found, consent)
            found.locator.click(timeout=timeouts.target_ms)
            self._settle(page)
            self._verify_consent(page, found, timeouts.target_ms)
            return obs
        if step.wait is not None and step.wait.ms:
            page.wait_for_timeout(step.wait.ms)
        self._dismiss_consent(state, journey, locale)
        self._check_blocked(state, journey, locale)
        spec = step.target
        if spec is None:
            self._settle(page)
            return self._capture(state, base, Status.OK)
        found = locate.wait_for(page, spec, locale, timeouts.target_ms)
        how: dict[str, Any] = {}
        also: list[str | None] = []
        if found is not None and step.tracked:
            wanted = self._baseline_destination(journey, spec, locale, state)
            found, also = locate.twins(page, spec, locale, found, wanted)
        if found is None:
            self._check_blocked(state, journey, locale)
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
            clue = self._clue(spec, base, locale)
            scrolled = locate.scroll_for(page, spec, locale)  # content some pages add only when scrolled to
            hit = None if scrolled is not None else locate.search(page, clue, self.config.thresholds.similarity)
            if scrolled is not None:
                found = scrolled
            elif hit is not None:
                found, confidence = hit
                how = {"found_by": "search", "error": f"{missing}; found again by search (score {confidence})"}
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
        if also and obs.target is not None:
            obs = obs.model_copy(update={"target": obs.target.model_copy(update={"also": also})})
        if step.click is None:
            return obs
        if step.submit:  # decided at the moment of the click, on the address the page has then
            refusal = sendguard.send_refusal(page.url, self.stand_ins)
            if refusal is not None:
                return obs.model_copy(update={"status": Status.SKIPPED, "error": refusal})
        leads_to = self._click(state, found.locator, spec, journey, locale)
        if obs.target is not None and leads_to and leads_to != obs.target.leads_to:
            obs = obs.model_copy(update={"target": obs.target.model_copy(update={"leads_to": leads_to})})
        return obs

    def _click(self, state: WalkState, locator: Locator, spec: TargetSpec, journey: Journey, locale: str) -> str | None:
        """Click and follow: the URL the click opened (same tab or a new one), None when it stayed."""
        page = state.page
        before = page.url
        pages_before = len(page.context.pages)
        locator.click(timeout=self.config.timeouts.target_ms)
        navigated: str | None = None
        if spec.role == "link":
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
            self._check_blocked(state, journey, locale)
        return navigated

    # ------------------------------------------------------------------ observing

    def _capture(
        self,
        state: WalkState,
        base: dict[str, Any],
        status: Status,
        found: locate.Found | None = None,
        spec: TargetSpec | None = None,
        error: str | None = None,
        **extra: Any,
    ) -> Observation:
        page = state.page
        target: Target | None = None
        box: Box | None = None
        capped: list[str | None] = []
        if found is not None and spec is not None:
            target, aria_note = self._describe(page, found)
            box = target.box
            capped.append(aria_note)
        outline, headings_note = capture.cap_lines(
            [str(h) for h in page.evaluate(OUTLINE_JS)], capture.HEADINGS_CAP, "headings"
        )
        journey = self.config.journey(base["journey"])
        if self.redaction:
            self._learn(page, journey, base["locale"])
            if journey.privacy is not None:
                page.evaluate(privacy.MARK_PRIVATE_JS, [privacy.ATTR, *journey.privacy.as_js(base["locale"])])
            page.evaluate(MARK_PERSONAL_JS, [MASK_ATTR, self.personal_texts])
        masks = self._masks(page, base["locale"])
        shot = dict(
            full_page=False, animations="disabled", caret="hide", scale="css", mask=masks, mask_color=MASK_COLOUR
        )
        if self.redaction:
            shot["style"] = privacy.screenshot_css(MASK_COLOUR)
        step = base["step"]
        took = capture.take(
            page,
            step,
            state.shared,
            box,
            lambda clip: self._stable_screenshot(page, {**shot, "clip": clip}),
            TARGET_PAD,
            found.locator if found is not None else None,
        )
        images = Images(
            page=took.page_name,
            page_phash=took.page_hashes.phash,
            page_dhash=took.page_hashes.dhash,
            page_sha256=took.page_sha256,
        )
        if took.page_png is not None:
            state.images[took.page_name] = took.page_png
        if took.target_png is not None and took.target_hashes is not None:
            images = images.model_copy(
                update={
                    "target": f"{step}.target.png",
                    "target_phash": took.target_hashes.phash,
                    "target_dhash": took.target_hashes.dhash,
                    "target_clip": took.target_clip,
                    "target_sha256": imaging.sha256(took.target_png),
                }
            )
            state.images[f"{step}.target.png"] = took.target_png
        notes = [n for n in (*capped, headings_note, *took.notes) if n]
        return Observation(
            **base,
            status=status,
            error=error,
            url=page.url,
            title=page.title(),
            headings=outline,
            target=target,
            images=images,
            capped=notes,
            **extra,
        )

    @property
    def personal_texts(self) -> list[str]:
        """The identity tokens painted over wherever they show (folded, see redact.fold)."""
        return self.learned.identity(self.identity).tokens if self.redaction else []

    def _learn(self, page: Page, journey: Journey, locale: str) -> None:
        """Read the account's identity off the page: pre-filled e-mail fields, the profile link's text."""
        found: list[str] = [str(v) for v in page.evaluate(FIELD_EMAILS_JS)]
        profile = self.config.sites[journey.site].login.profile if journey.login else None
        hit = locate.find(page, profile, locale) if profile is not None else None
        if hit is not None:
            with contextlib.suppress(PlaywrightError):  # the menu closed meanwhile
                found.append(hit.locator.inner_text(timeout=1000))
        self.learned.add(found)

    def _stable_screenshot(self, page: Page, shot: dict[str, Any]) -> bytes:
        """A screenshot of a page that did not change while it was taken (checked by the change stamp
        every page carries); a page still rendering is settled and taken again, at most three times."""
        png = b""
        for _ in range(3):
            before = float(page.evaluate(STAMP_JS))
            png = page.screenshot(**shot, timeout=self.config.timeouts.screenshot_ms)
            if float(page.evaluate(STAMP_JS)) == before:
                return png
            self._settle(page)
        return png

    def _describe(self, page: Page, found: locate.Found) -> tuple[Target, str | None]:
        info = found.locator.evaluate(DESCRIBE_JS)
        own = found.locator.aria_snapshot()
        match = ARIA_LINE.match(own.strip())
        role = match.group("role") if match else ""
        name = (match.group("name") or "") if match else ""
        aria, aria_note = capture.section_aria(page, found.locator)
        href = info.get("href")
        target = Target(
            role=role,
            name=name.replace('\\"', '"'),
            text=info["text"],
            matched=found.matched,
            href=href,
            leads_to=href,
            box=Box(**info["box"]),
            context=list(info["context"]),
            sentence=info["sentence"],
            aria=aria,
        )
        return target, aria_note

    def _clue(self, spec: TargetSpec, base: dict[str, Any], locale: str) -> locate.Clue:
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
        """One extra click, bounded and on the same site, to a page that has the target: a step was added."""
        hints = [n for s in journey.steps if s.target is not None for n in s.target.names(locale)]
        page = state.page
        origin_url = page.url
        # the same target is the one that leads where the baseline's led; a name alone is only a candidate
        wanted = self._baseline_destination(journey, spec, locale, state)
        fallback: tuple[locate.Found, Hop, Page] | None = None
        never = [n for s in journey.steps if s.submit and s.target is not None for n in s.target.names(locale)]
        for cand in locate.hop_candidates(page, hints, HOP_LIMIT, never):
            trial = page.context.new_page()
            try:
                if cand["href"] and not cand.get("opens"):
                    trial.goto(cand["href"], wait_until="domcontentloaded", timeout=self.config.timeouts.navigation_ms)
                else:  # a control that acts by script (opens in place, or navigates): click it on a copy
                    trial.goto(origin_url, wait_until="domcontentloaded", timeout=self.config.timeouts.navigation_ms)
                    self._settle(trial)
                    trial.evaluate(locate.MARK_JS, [cand["i"], locate.FOUND_ATTR])
                    trial.locator(f"[{locate.FOUND_ATTR}]").first.click(timeout=2000)
                    if cand["role"] == "link" and not cand.get("opens"):
                        trial.wait_for_url(lambda u: u != origin_url, timeout=3000)
                self._settle(trial)
                if not hops.same_site(trial.url, origin_url):
                    raise PlaywrightError(f"{trial.url} is off the site")
                self._dismiss_consent(WalkState(trial), journey, locale)
                found = locate.wait_for(trial, spec, locale, min(1500, self.config.timeouts.target_ms))
            except PlaywrightError:
                found = None
            if found is not None:
                hop = Hop(role=cand["role"], name=cand["name"], url=trial.url)
                if wanted is None or hops.same_destination(hops.destination_of(found.locator), wanted):
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

    def _baseline_destination(self, journey: Journey, spec: TargetSpec, locale: str, state: WalkState) -> str | None:
        step = next((s.id for s in journey.steps if s.target is spec), None)
        if step is None:
            return None
        for vp in (state.viewport, *self.config.viewports):
            before = self.baseline.get(ObservationKey(journey.id, locale, vp, step))
            if before is not None and before.target is not None and before.target.leads_to:
                return before.target.leads_to
        return None

    def _masks(self, page: Page, locale: str) -> list[Locator]:
        # personal data (masks) and regions that change on every load (thresholds.ignore: dates,
        # counters, ads) are painted over alike, so neither reaches a screenshot or its hash
        personal = self.config.masks if self.redaction else []
        css = ", ".join([f"[{MASK_ATTR}]", *(m.css for m in personal if m.css), *self.config.thresholds.ignore])
        masks = [page.locator(css)]
        for mask in personal:
            if mask.role and mask.name:
                names = mask.name.get(locale, [])
                masks.append(page.get_by_role(mask.role, name=locate.any_pattern(names)))  # type: ignore[arg-type]
        return masks

    def _blocked(self, state: WalkState, base: dict[str, Any], reason: BlockReason, message: str) -> Observation:
        try:
            return self._capture(state, base, Status.BLOCKED, error=message).model_copy(update={"reason": reason})
        except PlaywrightError:
            return Observation(**base, status=Status.BLOCKED, reason=reason, error=message, url=state.page.url)

    # ------------------------------------------------------------------ the page's condition

    def _watch(self, context: BrowserContext, state: WalkState) -> None:
        def on_response(response: Any) -> None:
            try:
                if response.request.is_navigation_request() and response.frame.parent_frame is None:
                    state.last_status = response.status
                    state.last_url = response.url
                    state.retry_after = response.headers.get("retry-after", "")
            except PlaywrightError:
                pass

        context.on("response", on_response)
        settle.watch(context)

    def _settle(self, page: Page) -> None:
        settle.settle(page, self.config.timeouts.navigation_ms)

    def _dismiss_consent(self, state: WalkState, journey: Journey, locale: str) -> None:
        consent = self.config.sites[journey.site].consent
        if consent is None:
            return
        found = locate.find(state.page, consent, locale)
        unanswered = locate.unanswered_consent(state.page, consent, locale) if found is None else None
        if unanswered is not None:
            raise Blocked(BlockReason.CONSENT, unanswered)
        if found is not None:
            found.locator.click(timeout=self.config.timeouts.target_ms)
            self._settle(state.page)
            self._verify_consent(state.page, found, self.config.timeouts.target_ms)

    def _verify_consent(self, page: Page, found: locate.Found, timeout_ms: int) -> None:
        """The click must have closed the dialog and given the page back to readers: a page left
        aria-hidden behind a dialog that stayed is unreadable, and anything found on it is garbage."""
        if settle.consent_closed(page, found.locator, timeout_ms):
            return
        raise Blocked(
            BlockReason.CONSENT,
            f"the cookie dialog did not close after clicking {found.matched!r} on {page.url} "
            "(the dialog is still shown, or the page behind it stays aria-hidden)",
        )

    def _check_blocked(self, state: WalkState, journey: Journey, locale: str) -> None:
        page = state.page
        if page.url.startswith("chrome-error://"):
            where = state.last_url or "the page"
            raise Blocked(BlockReason.HTTP_ERROR, f"the browser could not load {where} (network error)")
        if state.last_status >= 400:
            raise Blocked(
                BlockReason.HTTP_ERROR, refused(state.last_status, state.last_url or page.url, state.retry_after)
            )
        site = self.config.sites[journey.site]
        for check in site.security_check:
            if locate.visible(page, check, locale):
                raise Blocked(BlockReason.SECURITY_CHECK, f"security check shown on {page.url}")
        # a public page shows "Log in" in its header; only a redirect makes it a wall there
        if (journey.login or state.redirected) and locate.visible(page, site.login.wall, locale):
            raise Blocked(
                BlockReason.LOGIN,
                f"login wall on {page.url}: the {journey.site} session is missing or expired "
                f"(refresh it with `optout-monitor auth {journey.site} --out FILE`)",
            )


def _fault(exc: PlaywrightError) -> BlockReason:
    """A network or protocol failure (net::ERR_…) is the page's server, not the browser."""
    return BlockReason.HTTP_ERROR if "net::ERR_" in str(exc) else BlockReason.BROWSER


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
