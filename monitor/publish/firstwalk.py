"""The words of a first-walk pull request: the baseline a fresh fork (or a new journey or locale) proposes.

A platform whose walks had no baseline gets "First walk of the Facebook path": the snapshots, the
pages moved from "not yet checked" to walked, their pictures and the changelog entry, in one commit.
Its body sets the documented path (the guides' words in the journey file) beside what the walk saw,
step by step (judge/guides.py), the differences first, the pictures folded below. A platform that
also changed where it had a baseline keeps the update's title and body, with this as a section.
The title, body and commit message are picked here; every other word is bodies.py's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from monitor import config as config_mod
from monitor.guard.inert import Md
from monitor.judge import groups
from monitor.judge.guides import OUTCOME_WORDS, Comparison, compare
from monitor.model import Change, Observation
from monitor.publish import appsteps
from monitor.publish import git as gitops
from monitor.publish.bodies import PEOPLE_IMAGES, Bodies
from monitor.publish.plans import Built, Platform
from monitor.write.nextsteps import FIRST_WALK_TITLE

MAX_PICTURE_WALKS = 12  # walks whose pictures are folded into the body; the rest are in the Files tab


class FirstWalks:
    """Title, body and commit message of a platform's pull request: the first walk's, the update's, or both."""

    def __init__(self, bodies: Bodies) -> None:
        self.bodies = bodies
        self.ctx = bodies.ctx
        self._config: config_mod.Config | None = None
        self._config_error = ""

    # ------------------------------------------------------------------ what pulls.py and branches.py call

    def title(self, plat: Platform, base_sha: str) -> str:
        if plat.updates:
            return self.bodies.pr_title(plat)
        return first_walk_title(plat, self._held(plat, base_sha))

    def body(self, plat: Platform, built: Built, head: str) -> str:
        if not plat.firsts:
            return self.bodies.pr_body(plat, built, head)
        if plat.updates:
            return self.bodies.pr_body(plat, built, head) + "\n" + self.render(plat, built, head, section=True)
        return self.render(plat, built, head, section=False)

    def commit_message(self, plat: Platform, base_sha: str) -> str:
        if plat.updates:
            return self.bodies.commit_message(plat)
        walks = _walks(plat.firsts)
        lines = [f"- {j}/{loc}/{vp}: {n} step{'s' if n != 1 else ''}" for (j, loc, vp), n in walks.items()]
        if self.ctx.settings.run_url:
            lines += ["", f"Run: {self.ctx.settings.run_url}"]
        subject = (
            f"{first_walk_title(plat, self._held(plat, base_sha))}: {len(walks)} walk{'s' if len(walks) != 1 else ''}"
        )
        return gitops.bot_message(subject, "\n".join(lines), self.ctx.settings.run_id)

    # ------------------------------------------------------------------ the body

    def render(self, plat: Platform, built: Built, head: str, section: bool) -> str:
        comparison = self.comparison(plat, head)
        walks = _walks(plat.firsts)
        pages = [
            (status, path)
            for status, path in built.files
            if path.startswith("instructions/") and path.endswith(f"/{plat.name}.md") and status != "D"
        ]
        rehearsal = bool(self.ctx.report.run.sites)
        context = {
            "section": section,
            "marker": Md(f"<!-- optout-monitor:first-walk platform={plat.name} run={self.ctx.settings.run_id} -->"),
            "plat": plat,
            "comparison": comparison,
            "outcome_words": OUTCOME_WORDS,
            "config_error": self._config_error,
            "walks": [{"journey": j, "locale": loc, "viewport": vp, "steps": n} for (j, loc, vp), n in walks.items()],
            "pages": pages,
            "day": _day(self.ctx.report.run.started),
            "rehearsal": rehearsal,
            "stand_ins": ", ".join(sorted(self.ctx.report.run.sites)),
            "changelog": self.bodies._changelog_preview(built, head),
            "app_steps_followed": [] if section else appsteps.followed(self.ctx, plat, plat.firsts),
            "pictures": self._pictures(plat, head),
            "files": built.files,
            "head": head,
            "base_sha": built.base_sha,
            "had_baseline": bool(self._held(plat, built.base_sha)),
            "title": first_walk_title(plat, self._held(plat, built.base_sha)),
            **self.bodies.common(),
        }
        return self.bodies.render("first_walk_body.md.j2", **context)

    def comparison(self, plat: Platform, head: str) -> Comparison | None:
        """The walks' observations (as the commit holds them) against the journey file; None without one."""
        cfg = self._load_config()
        if cfg is None:
            return None
        observations = []
        for change in plat.firsts:
            data = self.ctx.git.show(
                head, f"snapshots/{change.journey}/{change.locale}/{change.viewport}/{change.step}.json"
            )
            if data is None:
                continue
            try:
                observations.append(Observation.model_validate_json(data))
            except PydanticValidationError:
                continue
        return compare(cfg, observations)

    def _pictures(self, plat: Platform, head: str) -> list[dict[str, Any]]:
        """Per walk, the pictures people get (or the page capture), pinned to the commit."""
        out = []
        by_walk: dict[tuple[str, str, str], list[Change]] = {}
        for change in plat.firsts:
            by_walk.setdefault((change.journey, change.locale, change.viewport), []).append(change)
        for (journey, locale, viewport), changes in list(sorted(by_walk.items()))[:MAX_PICTURE_WALKS]:
            shots = []
            for change in sorted(changes, key=lambda c: c.index):
                alt = f"{change.step}: {locale}, {groups.viewport_kind(viewport)}"
                people = f"{PEOPLE_IMAGES}/{plat.name}/{locale}/{viewport}/{change.step}.png"
                page = f"snapshots/{journey}/{locale}/{viewport}/{change.step}.page.png"
                image = self.bodies._image(head, people, alt) or self.bodies._image(head, page, alt)
                if image is not None:
                    shots.append({"step": change.step, "image": image})
            out.append({"journey": journey, "locale": locale, "viewport": viewport, "shots": shots})
        return out

    def _held(self, plat: Platform, base_sha: str) -> set[str]:
        """The platform's journeys the base commit already holds a baseline of (then the title names what is new)."""
        mine = {p.split("/")[1] for p in plat.specific if p.startswith("snapshots/")}
        return {p.split("/")[1] for p in self.ctx.git.ls_tree(base_sha, "snapshots") if p.count("/") >= 2} & mine

    def _load_config(self) -> config_mod.Config | None:
        self._config, self._config_error = self.bodies.journey_file()
        return self._config


def first_walk_title(plat: Platform, held: set[str]) -> str:
    """`First walk of the Facebook path`; when the base branch holds some of the platform's baseline
    already (`held`: its journeys there), what is new: a journey, or locales and viewports."""
    title = FIRST_WALK_TITLE.format(name=plat.display)
    if not held:
        return title
    journeys = sorted({c.journey for c in plat.firsts} - held)
    if journeys:
        return f"{title}: {', '.join(journeys)}"
    locales = sorted({c.locale for c in plat.firsts})
    viewports = sorted({c.viewport for c in plat.firsts})
    return f"{title}: {', '.join(locales)} ({', '.join(viewports)})"


def _walks(changes: list[Change]) -> dict[tuple[str, str, str], int]:
    walks: dict[tuple[str, str, str], int] = {}
    for change in changes:
        key = (change.journey, change.locale, change.viewport)
        walks[key] = walks.get(key, 0) + 1
    return dict(sorted(walks.items()))


def _day(started: str) -> str:
    try:
        return datetime.fromisoformat(started).date().isoformat()
    except ValueError:
        return started[:10]
