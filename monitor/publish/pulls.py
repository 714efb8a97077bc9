"""The pull request of a platform's branch: found among the open ones, opened, or brought up to date.

One pull request per `optout-monitor/<platform>` branch, labelled `optout-monitor` and the platform;
its title and body come from bodies.py. A 5xx while opening is checked before trying again (did the
first attempt land?), and "already exists" means someone opened it meanwhile: it is updated instead.
"""

from __future__ import annotations

from typing import Any

from monitor.publish.api import Api
from monitor.publish.bodies import Bodies
from monitor.publish.context import Action, Context
from monitor.publish.firstwalk import FirstWalks
from monitor.publish.github import ServerError, ValidationError
from monitor.publish.plans import LABEL, Built, Platform


class Pulls:
    """The run's view of the open pull requests (listed once, again after a doubtful create)."""

    def __init__(self, ctx: Context, api: Api, bodies: Bodies) -> None:
        self.ctx = ctx
        self.api = api
        self.bodies = bodies
        self.words = FirstWalks(bodies)  # the first walk's title and body, or the update's
        self._open_prs: list[Any] | None = None

    def find_pr(self, branch: str) -> Any:
        label = f"{self.ctx.settings.owner}:{branch}"
        for pr in self._open_prs_list():
            head = pr.as_dict().get("head") or {}
            if head.get("label") == label or (
                head.get("ref") == branch and (head.get("repo") or {}).get("full_name") == self.ctx.settings.repo
            ):
                return pr
        return None

    def open_or_update(self, plat: Platform, built: Built, head: str, pushed: bool) -> None:
        title = self.words.title(plat, built.base_sha)
        body = self.words.body(plat, built, head)
        pr = self.find_pr(plat.branch)
        landed = False  # opened by this run, though GitHub's answer said otherwise
        if pr is None:
            doing = f"opening the pull request for {plat.branch}"
            try:
                pr = self.api.call(
                    doing, self.api.repo.create_pull, title=title, base=self.ctx.base, head=plat.branch, body=body
                )
            except ServerError:
                self._open_prs = None  # did the first attempt land after all?
                pr = self.find_pr(plat.branch)
                landed = True
                if pr is None:
                    self.ctx.log(f"{plat.name}: GitHub failed to open the pull request; trying once more")
                    pr = self.api.call(
                        doing, self.api.repo.create_pull, title=title, base=self.ctx.base, head=plat.branch, body=body
                    )
            except ValidationError as exc:
                if "already exists" not in exc.github_message:
                    raise
                self._open_prs = None
                pr = self.find_pr(plat.branch)
                if pr is None:
                    raise
            else:
                if not landed:
                    self._add_labels(pr.number, [LABEL, plat.name], [])
                    self._opened_pr(plat, pr)
                    return
        edited = pr.title != title or pr.body != body
        if edited:
            self.api.call(f"updating pull request #{pr.number}", pr.update, title=title, body=body)
        present = [str(lbl.get("name")) for lbl in pr.as_dict().get("labels") or [] if isinstance(lbl, dict)]
        labelled = self._add_labels(pr.number, [LABEL, plat.name], present)
        url = str(pr.html_url)
        if landed:
            self._opened_pr(plat, pr)
        elif pushed or edited or labelled:
            self.ctx.result.prs_updated.append(url)
            what = ", ".join(w for w, done in (("new commit", pushed), ("body", edited), ("labels", labelled)) if done)
            self.ctx.result.actions.append(Action(plat.name, "updated PR", url, what))
            self.ctx.log(f"{plat.name}: updated pull request #{pr.number} ({what}) {url}")
        else:
            self.ctx.result.prs_unchanged.append(url)
            self.ctx.result.actions.append(Action(plat.name, "unchanged PR", url, "already up to date"))
            self.ctx.log(f"{plat.name}: pull request #{pr.number} is already up to date {url}")

    def _open_prs_list(self) -> list[Any]:
        if self._open_prs is None:
            # github3 lists lazily: the requests happen while iterating, so iterate inside Api.call
            self._open_prs = self.api.call(
                "listing open pull requests", lambda: list(self.api.repo.pull_requests(state="open"))
            )
        return self._open_prs

    def _opened_pr(self, plat: Platform, pr: Any) -> None:
        self.ctx.result.prs_opened.append(str(pr.html_url))
        self.ctx.result.actions.append(
            Action(plat.name, "opened PR", str(pr.html_url), "first walk" if plat.firsts else "")
        )
        self.ctx.log(f"{plat.name}: opened pull request #{pr.number} {pr.html_url}")

    def _add_labels(self, number: int, labels: list[str], present: list[str]) -> bool:
        missing = [lbl for lbl in labels if lbl not in present]
        if not missing:
            return False
        issue = self.api.call(f"reading issue #{number}", self.api.repo.issue, number)
        self.api.call(f"labelling #{number}", issue.add_labels, *missing)
        return True
