"""What a page says around its steps, and the whole page or index row as its template gets it.

Status, notices, links to the other pages, the shortcut, what happens after, help and the app's
documented steps, already inert.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from urllib.parse import urlencode

from monitor import store
from monitor.config import Config, Journey
from monitor.guard.inert import Md, md_relative, md_text, md_url
from monitor.guard.inert import md_format as _t  # our phrase with values filled in; non-Md values escaped
from monitor.judge import shown
from monitor.write import appfollow, catalogs, labels, languages
from monitor.write.app_steps import AppGuide
from monitor.write.page import (
    DOCUMENTED_FORMS,
    INDEX,
    META_DOMAINS,
    NON_USER_FORM,
    IndexRow,
    PageSpec,
    PageView,
    Section,
    StepLine,
    page_journey,
    plan_pages_sites,
    platform_name,
    site_domains,
)
from monitor.write.phrases import Phrases, phrases
from monitor.write.phrasing import format_date, quote_label, step_lines
from monitor.write.steps import ViewportSteps, viewport_steps
from monitor.write.verified import CHECKED, DOCUMENTED, OVERDUE_DAYS, REHEARSAL, Provenance, Verified


def _after(config: Config, ph: Phrases, site: str, locale: str, vps: list[ViewportSteps]) -> list[Md]:
    first = vps[0] if vps else None
    out: list[Md] = []
    if first is not None:
        after = [s for s in first.seen if s.kind == "after"]
        submit = next((s for s in first.seen if s.kind == "submit"), None)
        if after:
            confirmation = after[-1]
            line = _t(ph.after_confirmed, label=quote_label(ph, confirmation.label))
            captured = first.verified and shown.words(confirmation.obs) is not None
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


def _status_line(ph: Phrases, vps: list[ViewportSteps]) -> Md:
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


def _notice(ph: Phrases, vps: list[ViewportSteps]) -> Md | None:
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


def _shortcut(config: Config, ph: Phrases, site: str, journey: Journey, vps: list[ViewportSteps]) -> Md:
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


def _app_section(
    config: Config, ph: Phrases, site: str, locale: str, apps: AppGuide | None, vps: list[ViewportSteps]
) -> Section | None:
    """The app steps: documented facts with their source and date, never presented as checked. A step
    whose web step now shows other words quotes the website's and says so (appfollow.py)."""
    steps = apps.steps(site, locale) if apps is not None else None
    if apps is None or not steps:
        return None
    app = apps.platforms[site]
    primary = locale.split("-")[0]
    sentence = app.source.sentence.get(locale) or app.source.sentence.get(primary)
    if not sentence:  # a language the app guide does not cover yet (languages.py): no English sentences here
        return None
    when = catalogs.month_year(ph.locale, app.source.documented)
    notice = _t(ph.app_notice, source=_t(sentence, when=when))  # our own data file's sentence, its date escaped
    if app.source.link:
        notice = notice + _t(ph.app_facts, link=md_relative(f"../../{app.source.link}"))
    lines = [
        StepLine(i + 1, appfollow.step_line(ph, text, followed))
        for i, (text, followed) in enumerate(appfollow.app_steps(config, site, locale, apps, vps))
    ]
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


def _non_user_form() -> Md:
    url = md_url(NON_USER_FORM, META_DOMAINS)
    if url is None:  # a constant of ours: only a typo gets here
        raise ValueError(f"NON_USER_FORM {NON_USER_FORM!r} is not an https address on Meta's domains")
    return url


def _help(ph: Phrases, vps: list[ViewportSteps]) -> list[Md]:
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
    vps = viewport_steps(config, journey, locale, baseline, provenance)
    words = labels.label_state(config, journey, locale)
    # learned words are not "the words documented in public guides": their own notice says where they are from
    notice = None if words == labels.UNREVIEWED else _notice(ph, vps)
    sections: list[Section] = []
    app = _app_section(config, ph, site, locale, apps, vps)
    if app is not None:
        sections.append(app)
    # a phone's browser before a computer: most people read this on a phone
    for vp in sorted(vps, key=lambda v: v.kind != "mobile"):
        lines = step_lines(config, ph, site, locale, vp, baseline, image_dir_rel)
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
        why=[_t(item, accounts_center=Md.trusted(ph.accounts_center), form=_non_user_form()) for item in ph.why],
        shortcut_heading=Md.trusted(ph.shortcut_heading),
        shortcut=_shortcut(config, ph, site, journey, vps),
        sections=sections,
        after_heading=Md.trusted(ph.after_heading),
        after=_after(config, ph, site, locale, vps),
        help_heading=help_heading,
        help=_help(ph, vps),
        report=_t(ph.report, url=Md.trusted(report_url(ph, site, locale))),
    )


def index_row(
    config: Config, spec: PageSpec, baseline: store.Tree | None, provenance: Provenance, today: date
) -> IndexRow:
    journey = config.journey(spec.journey)
    vps = viewport_steps(config, journey, spec.locale, baseline, provenance)
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
