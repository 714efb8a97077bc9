"""The words publish writes: pull request and issue bodies, comments, commit messages and titles.

Functions of the plan's records (plans.py) and the run's settings, rendered with the Jinja templates
in monitor/templates/. They read the local clone's objects (the pictures and changelog entries a
commit holds, the instruction lines it changes) but never call GitHub, so they can be tested on a
bare repository; in a dry run a pinned picture is copied beside the payload instead of linked.
Every scraped word reaches Markdown through monitor.guard.inert (md_text unless it is Md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import ValidationError as PydanticValidationError

from monitor import config as config_mod
from monitor.guard.inert import Md, clean, md_code, md_text, md_text_with_urls
from monitor.judge import groups
from monitor.model import Category, Change, ChangelogEntry, Verdict
from monitor.publish import appsteps, pagediff
from monitor.publish import git as gitops
from monitor.publish.context import Context
from monitor.publish.plans import Built, IssuePlan, Platform
from monitor.write import changelog, feed, follower, languages
from monitor.write.nextsteps import PROBLEM_TEXT, display_name, pr_title

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PEOPLE_IMAGES = "instructions/images"  # what `update` renders for people (instructions.IMAGES)
MAX_GROUPS = 20  # change groups shown in full in one pull request body
MAX_DIFF_LINES = 300  # changed-sentence lines listed
BODY_LIMIT = 60_000  # GitHub refuses bodies over 65 536 characters

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufeff]")


class Bodies:
    """Renders for one run: its settings and base branch give the links, markers and run references."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._env_templates = _environment()
        self._journey_file: tuple[config_mod.Config | None, str] | None = None

    def commit_message(self, plat: Platform) -> str:
        lines = [f"- {c.verdict.value}: {c.key.path}" for c in plat.updates[:50]]
        if len(plat.updates) > 50:
            lines.append(f"- … and {len(plat.updates) - 50} more")
        if self.ctx.settings.run_url:
            lines += ["", f"Run: {self.ctx.settings.run_url}"]
        n = len(plat.updates)
        subject = f"Update the {plat.display} instructions: {n} step{'s' if n != 1 else ''} changed"
        return gitops.bot_message(subject, "\n".join(lines), self.ctx.settings.run_id)

    def pr_title(self, plat: Platform) -> str:
        return pr_title(plat.name, plat.updates)

    def pr_body(self, plat: Platform, built: Built, head: str) -> str:
        server, repo = self.ctx.settings.endpoint.server_url, self.ctx.settings.repo
        found = groups.of_changes(plat.updates)
        pictures = self._pictures_changed(plat, built)
        listed = {path for _, path in pictures["files"]}
        context = {
            "kept": False,
            "marker": Md(f"<!-- optout-monitor:pr platform={plat.name} run={self.ctx.settings.run_id} -->"),
            "plat": plat,
            "stand_ins": self.stand_ins(),
            "combos": _combos(plat, self.locale_rank),
            "groups": self.groups(plat, built.base_sha, head),
            "more_groups": max(0, len(found) - MAX_GROUPS),
            "instruction_files": self._instruction_pages(built, head),
            "pictures": pictures,
            "changelog": self._changelog_preview(built, head),
            "app_steps_followed": appsteps.followed(self.ctx, plat),  # not walked: the apps are never opened
            "files": built.files,
            "other_files": sorted((f for f in built.files if f[1] not in listed), key=lambda f: _english_first(f[1])),
            "head": head,
            "base_sha": built.base_sha,
            # in a dry run neither commit is on GitHub under a name we know: no link
            "base_url": None if self.ctx.dry_run is not None else Md(f"{server}/{repo}/commit/{built.base_sha}"),
            "head_url": None if self.ctx.dry_run is not None else Md(f"{server}/{repo}/commit/{head}"),
            **self.common(),
        }
        body = self.render("pr_body.md.j2", **context)
        if len(body) > BODY_LIMIT:  # drop the pictures and wording first, then the instruction lines
            context["groups"] = []
            context["more_groups"] = len(found)
            body = self.render("pr_body.md.j2", **context)
        if len(body) > BODY_LIMIT:
            context["instruction_files"] = []
            body = self.render("pr_body.md.j2", **context)
        return body

    def stand_ins(self) -> list[str]:
        """The sites this run walked a stand-in of (`check --site`, the replica) instead of the site
        itself. Any stand-in makes the whole run a rehearsal (write/render.py), so then nothing in a
        body may say a real page was seen."""
        return [display_name(site) for site in sorted(self.ctx.report.run.sites)]

    def journey_file(self) -> tuple[config_mod.Config | None, str]:
        """The run's journey file as the clone holds it, or None and why not (read once)."""
        if self._journey_file is None:
            self._journey_file = _load_journey_file(self.ctx)
        return self._journey_file

    def locale_rank(self, locale: str) -> tuple[int, str]:
        """English first, then the journey file's locales in its order, then every other language."""
        config, _ = self.journey_file()
        order = ["en", *(languages.page_locales(config) if config is not None else [])]
        return (order.index(locale) if locale in order else len(order), locale)

    def kept_comment(
        self,
        plat: Platform,
        marker: str,
        theirs: list[gitops.CommitInfo],
        news: list[tuple[str, str]],
        since_last: bool,
    ) -> str:
        """The comment on a pull request whose branch holds a maintainer's commits: what the bot would
        have changed (news: files against its last commit there when since_last, else against the base)."""
        return self.render(
            "pr_body.md.j2",
            kept=True,
            marker=Md(marker),
            plat=plat,
            theirs=[{"sha": c.sha[:10], "author": c.author_name, "subject": c.subject} for c in theirs],
            files=news,
            since="its last commit" if since_last else None,
            groups=self.groups(plat, None, None),
            **self.common(),
        )

    def reverted_comment(self, plat: Platform) -> Md:
        """Why the bot closes its pull request: the site went back to what the base branch describes."""
        run = self.run_ref()
        return Md.trusted(
            f"The {plat.display} pages went back to what `{self.ctx.base}` describes ({run}): no step of this run "
            "differs from its accepted snapshot, so this pull request's changes are no longer needed and "
            f"optout-monitor closes it and deletes the branch `{plat.branch}`; a later change opens a new "
            f"pull request.\n\n<!-- optout-monitor:reverted run={self.ctx.settings.run_id} -->\n"
        )

    def issue_body(self, plan: IssuePlan, evidence_sha: str | None, comment: bool) -> str:
        rows = []
        for i, change in enumerate(plan.changes):
            ev = change.evidence
            shot = plan.shots.get(i)
            rows.append(
                {
                    "change": change,
                    "reason": ev.reason.value if ev.reason else "",
                    "error": md_text_with_urls(ev.error, 300, in_table=True) if ev.error else None,
                    "url": md_code(ev.url.new or ev.url.old, in_table=True)
                    if ev.url and (ev.url.new or ev.url.old)
                    else None,
                    "shot": self._pinned(evidence_sha, shot) if shot and evidence_sha else None,
                    "shot_path": shot,
                }
            )
        name = display_name(plan.platform)
        return self.render(
            "issue_body.md.j2",
            comment=comment,
            marker=Md(
                f"<!-- optout-monitor:issue platform={plan.platform} problem={plan.problem} "
                f"run={self.ctx.settings.run_id} fingerprint={plan.fingerprint} -->"
            ),
            plan=plan,
            name=name,
            problem_text=PROBLEM_TEXT[plan.problem].format(name=name),
            groups=[t for t, said in groups.told(groups.of_changes(plan.changes)) if not said],
            rows=rows,
            first_shot=next((r for r in rows if r["shot"]), None),
            report_dir_given=self.ctx.report_dir is not None,
            state_env=f"OPTOUT_{plan.platform.upper()}_STORAGE_STATE",
            **self.common(),
        )

    def healed_comment(self, plat: Platform) -> Md:
        """Why the bot closes an issue: this run walked the platform's path without the problem."""
        return Md.trusted(
            f"optout-monitor walked the {plat.display} path again in {self.run_ref()} without this "
            "problem, so it closes this issue. It opens a new one if the problem comes back.\n\n"
            f"<!-- optout-monitor:healed run={self.ctx.settings.run_id} -->\n"
        )

    def render(self, template: str, **context: Any) -> str:
        return self._env_templates.get_template(template).render(**context)

    def common(self) -> dict[str, Any]:
        return {
            "run_url": Md(self.ctx.settings.run_url) if self.ctx.settings.run_url else None,
            "run_id": self.ctx.settings.run_id,
            "base": self.ctx.base,
            "repo": self.ctx.settings.repo,
        }

    def run_ref(self) -> str:
        if self.ctx.settings.run_url:
            return f"[run {self.ctx.settings.run_id}]({self.ctx.settings.run_url})"
        return f"run {md_code(self.ctx.settings.run_id)}"

    def groups(self, plat: Platform, base_sha: str | None, head: str | None) -> list[dict[str, Any]]:
        """The platform's changes as groups (groups.py): one story each, one before/after pair per kind
        of device, and every step's own evidence, folded."""
        out = []
        shown = groups.of_changes(plat.updates)[:MAX_GROUPS]
        for group, (sentence, said) in zip(shown, groups.told(shown), strict=True):
            pairs = []
            for kind in dict.fromkeys(groups.viewport_kind(c.viewport) for c in group.members):
                change = next(c for c in group.members if groups.viewport_kind(c.viewport) == kind)
                pairs.append(
                    {
                        "kind": kind,
                        "change": change,
                        "before": self._picture(base_sha, change, "before"),
                        "after": self._picture(head, change, "after"),
                    }
                )
            out.append(
                {
                    "group": group,
                    "sentence": sentence,
                    # the same story on another journey (the Privacy Center's way and the AI page's)
                    "said": said,
                    "heading": _capital(groups.subject(group)),
                    # each picture follows its target: after a move, before and after show two places
                    "elsewhere": group.verdict in (Verdict.MOVED, Verdict.RETARGETED, Verdict.STEP_ADDED),
                    "removed": group.verdict is Verdict.STEP_REMOVED,
                    "pairs": pairs,
                    "steps": _steps(group.members),
                }
            )
        return out

    def _changelog_preview(self, built: Built, head: str) -> list[Md]:
        """What the feeds and CHANGELOG.md will say once this merges: the platform's new changelog
        entries in the commit, grouped and worded as feed.py words them."""
        entries = []
        for status, path in built.files:
            if status == "D" or not (path.startswith(f"{changelog.FOLDER.as_posix()}/") and path.endswith(".json")):
                continue
            try:
                entries.append(changelog.ChangelogEntry.model_validate_json(self.ctx.git.show(head, path) or b""))
            except PydanticValidationError:
                continue  # not an entry this version reads; the feed command names it
        found = groups.of_entries(entries)
        lines: list[Md] = []
        for group in found:
            lines += follower_lines(group)
        return lines + follower_tail(found)

    def _instruction_pages(self, built: Built, head: str) -> list[dict[str, Any]]:
        """Per changed instruction page, English first: its changed sentences, changed words marked
        (pagediff.py), picture lines left out; then a line for what did not fit."""
        pages = [
            (status, path) for status, path in built.files if path.startswith("instructions/") and path.endswith(".md")
        ]
        pages.sort(key=lambda sp: (*self.locale_rank(_page_locale(sp[1])), sp[1]))
        shown: list[dict[str, Any]] = []
        total = 0
        for status, path in pages:
            old = "" if status == "A" else _utf8(self.ctx.git.show(built.base_sha, path))
            new = "" if status == "D" else _utf8(self.ctx.git.show(head, path))
            lines = [line for hunk in pagediff.page_hunks(old, new) for line in hunk.render()]
            locale = _page_locale(path)
            page = {"path": path, "language": _language(locale) if locale else "", "fence": None, "more": 0}
            if total + len(lines) > MAX_DIFF_LINES:
                left = len(pages) - len(shown)
                return [*shown, dict(page, path="", more=left)]
            total += len(lines)
            shown.append(dict(page, fence=_fence(lines) if lines else None))
        return shown

    def _pictures_changed(self, plat: Platform, built: Built) -> dict[str, Any]:
        """The platform's instruction pictures this commit adds, redraws or removes: listed once, by
        language, beside the instruction diff (which leaves their lines out)."""
        folder = f"{PEOPLE_IMAGES}/{plat.name}/"
        files = [(status, path) for status, path in built.files if path.startswith(folder)]
        by_locale: dict[str, list[str]] = {}
        for status, path in files:
            rest = path[len(folder) :]
            locale = rest.split("/", 1)[0]
            by_locale.setdefault(locale, []).append(rest + ("" if status == "M" else f" ({_STATUS[status]})"))
        rows = [
            {"language": _language(locale), "paths": sorted(paths)}
            for locale, paths in sorted(by_locale.items(), key=lambda kv: self.locale_rank(kv[0]))
        ]
        return {"folder": folder, "files": files, "rows": rows}

    def _picture(self, sha: str | None, change: Change, when: str) -> Md | None:
        """The image the public gets (instructions/images/…: masked, the target outlined in its page),
        else the page capture, else the target crop."""
        alt = f"{when}: {change.locale}, {groups.viewport_kind(change.viewport)}"
        people = f"{PEOPLE_IMAGES}/{change.site}/{change.locale}/{change.viewport}/{change.step}.png"
        folder = f"snapshots/{change.journey}/{change.locale}/{change.viewport}/{change.step}"
        for path in (people, f"{folder}.page.png", f"{folder}.target.png"):
            image = self._image(sha, path, alt)
            if image is not None:
                return image
        return None

    def _image(self, sha: str | None, path: str, alt: str) -> Md | None:
        if sha is None or not self.ctx.git.exists_in(sha, path):
            return None
        url = self._pinned(sha, path)
        return Md(f"[![{alt}]({url})]({url})") if url else None

    def _pinned(self, sha: str, path: str) -> Md | None:
        """A file's URL pinned to a commit. In a dry run that commit is not on GitHub (and the repository
        may not be known): the file is copied beside the payload and linked relatively, so the preview
        shows it."""
        if self.ctx.dry_run is None:
            return self._blob_url(sha, path)
        data = self.ctx.git.show(sha, path)
        if data is None:
            return None
        rel = f"images/{sha[:12]}/{path}"
        target = self.ctx.dry_run / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return Md(quote(rel))

    def _blob_url(self, sha: str, path: str) -> Md:
        return Md(f"{self.ctx.settings.endpoint.server_url}/{self.ctx.settings.repo}/blob/{sha}/{quote(path)}?raw=true")


def _steps(members: Iterable[Change]) -> list[dict[str, Any]]:
    """Each step's own evidence, the viewports of a locale that saw the very same thing merged into one."""
    out: list[dict[str, Any]] = []
    for change in members:
        step = _step(change)
        same = next((s for s in out if s["key"] == step["key"]), None)
        if same is None:
            out.append(step)
        else:
            same["viewports"].append(change.viewport)
    return out


def _step(change: Change) -> dict[str, Any]:
    ev = change.evidence
    step = {
        "change": change,
        "viewports": [change.viewport],
        "wording": _wording(change),
        "sentence": _fence(pagediff.pair(clean(ev.sentence.old), clean(ev.sentence.new))) if ev.sentence else None,
        "place_old": " › ".join(ev.context.old) if ev.context else None,
        "place_new": " › ".join(ev.context.new) if ev.context else None,
        "leads_old": md_code(ev.leads_to.old) if ev.leads_to and ev.leads_to.old else None,
        "leads_new": md_code(ev.leads_to.new) if ev.leads_to and ev.leads_to.new else None,
    }
    shown = [v for k, v in step.items() if k not in ("change", "viewports")]
    step["key"] = (change.journey, change.locale, change.step, change.verdict, change.summary, *shown)
    return step


def _combos(plat: Platform, rank: Callable[[str], tuple[int, str]]) -> list[dict[str, Any]]:
    rows: dict[tuple[str, str, str], dict[Verdict, int]] = {}
    for c in plat.changes:
        counts = rows.setdefault((c.journey, c.locale, c.viewport), {})
        counts[c.verdict] = counts.get(c.verdict, 0) + 1
    out = []
    for (journey, locale, viewport), counts in sorted(rows.items(), key=lambda kv: (kv[0][0], rank(kv[0][1]), kv[0])):
        worst = max(
            (v.category for v in counts),
            key=lambda cat: (Category.NOTHING, Category.UPDATE, Category.HUMAN).index(cat),
        )
        verdicts = ", ".join(f"{v.value} ×{n}" for v, n in sorted(counts.items(), key=lambda kv: kv[0].value))
        out.append(
            {
                "journey": journey,
                "locale": locale,
                "viewport": viewport,
                "verdicts": verdicts,
                "outcome": worst.value,
            }
        )
    return out


def _wording(change: Change) -> Md | None:
    ev = change.evidence
    if ev.wording:
        old = "".join(t for op, t in ev.wording if op <= 0)
        new = "".join(t for op, t in ev.wording if op >= 0)
    else:
        delta = ev.name or ev.text
        if delta is None:
            return None
        old, new = delta.old or "", delta.new or ""
    lines = pagediff.pair(clean(old), clean(new))  # the changed words marked, long stretches cut
    if ev.role:
        lines += [f"- role: {clean(ev.role.old)}", f"+ role: {clean(ev.role.new)}"]
    return _fence(lines)


_ONLY = {frozenset({"phone"}): "phones only", frozenset({"computer"}): "computers only"}


def follower_lines(group: groups.Group[ChangelogEntry]) -> list[Md]:
    """What followers will read of one change: the feed's own words (feed.py escapes every scraped
    word itself, so its lines are Markdown already), the devices after the title; the pages the
    entries name are said once for all changes (follower_tail)."""
    head, *rest = feed.changelog_item(group, None, tail=False)
    only = _ONLY.get(frozenset(groups.viewport_kind(v) for v in group.viewports))
    return [Md(head + (f" · {only}" if only else "")), *(Md(line) for line in rest)]


def follower_tail(found: Iterable[groups.Group[ChangelogEntry]]) -> list[Md]:
    """Once for every change of a preview: what each entry ends with (the pages updated, by title)."""
    said = follower.pages_updated([m for g in found for m in g.members], "en")
    if not said:
        return []
    first, *pages = said
    titles = " · ".join(p.markdown() for p in pages)
    return [Md(""), Md(f"Each entry then says “{first.markdown()}” and links the pages: {titles}.")]


_STATUS = {"A": "new", "D": "removed", "M": "redrawn"}
_LOCALE_PART = re.compile(r"(?:^|/)([a-z]{2}(?:-[A-Z]{2})?)/")


def _english_first(path: str) -> tuple[str, int, str]:
    """A file list's order: English first within each folder of languages, then the rest by name."""
    m = _LOCALE_PART.search(path)
    if not m:
        return (path, 0, "")
    return (path[: m.start(1)], 0 if m.group(1) == "en" else 1, path[m.start(1) :])


def _page_locale(path: str) -> str:
    """`instructions/de/facebook.md` -> `de`; a page of no language (the index) -> ""."""
    parts = path.split("/")
    return parts[1] if len(parts) == 3 else ""


def _language(locale: str) -> Md:
    """A language's English name for a maintainer: `German (de)`."""
    try:
        name = Locale.parse(locale.replace("-", "_")).get_display_name("en") or locale
    except (ValueError, UnknownLocaleError):
        return md_text(locale)
    return Md(f"{md_text(name)} ({md_text(locale)})")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _utf8(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace")


def _load_journey_file(ctx: Context) -> tuple[config_mod.Config | None, str]:
    """The clone's journey file (by the run's name for it, else monitor.yaml); else the one the run
    named, from where publish runs (`make demo` publishes a scratch clone from the repository)."""
    given = Path(ctx.report.run.config)
    candidates = [ctx.root / given.name, ctx.root / "monitor.yaml"]
    candidates.insert(0 if given.is_absolute() else len(candidates), given)
    for path in candidates:
        if path.is_file():
            try:
                return config_mod.load(path), ""
            except (ValueError, OSError) as exc:
                return None, f"{path.name}: {str(exc).splitlines()[0][:200]}"
    return None, f"no journey file ({given.name}) in the clone to compare with"


def _fence(lines: Iterable[str], lang: str = "diff") -> Md:
    """A fenced code block the text cannot close; nothing inside is a mention, a link or markup."""
    text = "\n".join(_CONTROL.sub("", line) for line in lines)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Md(f"{fence}{lang}\n{text}\n{fence}")


def _finalize(value: Any) -> str:
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    return md_text(str(value))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,  # Markdown, not HTML: every value goes through md_text unless it is Md
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(code=md_code, cell=lambda s: md_code(s, in_table=True))
    env.globals.update(display_name=display_name)
    return env
