"""The monitor's branches on origin: a platform's commit built and pushed, a maintainer's commits kept,
a branch the site made pointless closed and deleted.

A platform's commit is the base commit's tree with that platform's paths taken from the working
tree (git.py builds it beside the checkout); it is pushed to `optout-monitor/<platform>` with a lease
on what the bot last saw there, and retried once after a refusal. A branch holding commits the bot
did not make is never force-pushed: its pull request gets a comment saying what the bot would change.
"""

from __future__ import annotations

import json

from monitor.guard import gate
from monitor.guard.redact import Identity
from monitor.model import Category
from monitor.publish import git as gitops
from monitor.publish.api import Api
from monitor.publish.bodies import Bodies
from monitor.publish.context import Action, Context
from monitor.publish.github import PushRejectedError, SetupError
from monitor.publish.plans import DATED, Built, Platform
from monitor.publish.pulls import Pulls


class Refs:
    """origin's branches (`refs/heads/…` -> sha) as this run last read them; read again after a refused push.

    In a dry run, the clone's copy of origin (and the local base branch) stands in: nothing is fetched."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.heads: dict[str, str] = {}

    def load(self) -> None:
        if self.ctx.dry_run is not None:
            self.heads = self.ctx.git.remembered_remote()
            local = self.ctx.git.rev(f"refs/heads/{self.ctx.base}")
            if f"refs/heads/{self.ctx.base}" not in self.heads and local:
                self.heads[f"refs/heads/{self.ctx.base}"] = local
            return
        self.heads = self.ctx.git.ls_remote()
        wanted = [self.ctx.base] + [
            name.removeprefix("refs/heads/")
            for name in self.heads
            if name.startswith(f"refs/heads/{gitops.BRANCH_PREFIX}")
        ]
        self.ctx.git.fetch([b for b in wanted if f"refs/heads/{b}" in self.heads])

    def base_sha(self) -> str:
        sha = self.heads.get(f"refs/heads/{self.ctx.base}")
        if not sha:
            where = "origin" if self.ctx.dry_run is None else "this clone (nor its copy of origin)"
            raise SetupError(
                f"{where} has no branch {self.ctx.base!r} to open pull requests against; pass --base BRANCH"
            )
        return sha


class Branches:
    """Builds, pushes, keeps or deletes a platform's branch; the pull request's side is pulls.py's."""

    def __init__(self, ctx: Context, refs: Refs, api: Api, bodies: Bodies, pulls: Pulls) -> None:
        self.ctx = ctx
        self.refs = refs
        self.api = api
        self.bodies = bodies
        self.pulls = pulls

    def push(self, plat: Platform) -> tuple[Built, str, bool] | None:
        """Put the platform's commit on its branch: (what was built, the branch's head, whether it was
        pushed now), or None when there is nothing to push or the branch is someone else's now.
        Retried once after a refusal."""
        for attempt in (1, 2):
            base_sha = self.refs.base_sha()
            built = self.build(plat, base_sha)
            if built is None:
                self.ctx.log(
                    f"{plat.name}: {len(plat.updates) + len(plat.firsts)} change(s), but no file differs from {self.ctx.base}; no pull request"
                )
                return None
            remote = self.refs.heads.get(f"refs/heads/{plat.branch}")
            commits = self.ctx.git.log_range(base_sha, remote) if remote else []
            if not gitops.only_by_bot(commits):
                self._keep_maintainer_commits(plat, built, commits)
                return None
            if remote and self.ctx.git.tree_of(remote) == built.tree:
                self.ctx.log(f"{plat.name}: {plat.branch} already holds these changes ({remote[:10]})")
                return built, remote, False
            head = self.ctx.git.commit_tree(built.tree, [base_sha], self.pulls.words.commit_message(plat, base_sha))
            result = self.ctx.git.push(head, plat.branch, base=self.ctx.base, expect=remote, force=True)
            if result.ok:
                self.ctx.log(f"{plat.name}: pushed {plat.branch} ({head[:10]})")
                self.refs.heads[f"refs/heads/{plat.branch}"] = head
                return built, head, True
            if attempt == 2:
                raise PushRejectedError(
                    f"origin refused the push of {plat.branch} twice, the second time after fetching and rebuilding "
                    f"on {self.ctx.base}: {result.detail}. Someone or something keeps updating the branch (or a "
                    "branch protection rule covers it); re-run later, or delete the branch to let the monitor recreate it."
                )
            last = result.detail.splitlines()[-1] if result.detail else "rejected"
            self.ctx.log(f"{plat.name}: origin refused the push ({last}); fetching and rebuilding once")
            self.refs.load()
        return None

    def build(self, plat: Platform, base_sha: str) -> Built | None:
        """The platform's tree on top of base_sha, or None when its own paths did not change."""
        base_tree = self.ctx.git.tree_of(base_sha)
        own = self.ctx.git.tree_with(base_sha, plat.specific)
        if own == base_tree:
            return None
        whole = [p for p in plat.shared if p not in DATED]
        tree = self.ctx.git.tree_with(base_sha, plat.specific + whole)
        for dated in (p for p in plat.shared if p in DATED):
            if not self._carries_dates(plat.name, base_sha, dated):
                continue
            merged = self._dates_for(plat.name, base_sha, dated)
            if merged is not None:
                tree = self.ctx.git.tree_adding(tree, {dated: merged})
            else:  # not the format we know, or gone: take the file as update left it
                tree = self.ctx.git.tree_with(tree, [dated])
        built = Built(base_sha, tree, self.ctx.git.changed_paths(base_tree, tree))
        gate.check(
            gate.read_files(self.ctx.root / path for status, path in built.files if not status.startswith("D")),
            Identity.from_env(self.ctx.env),
            f"committing {plat.name}'s changes on {plat.branch}",
            self.ctx.learned,
        )
        return built

    def _carries_dates(self, platform: str, base_sha: str, path: str) -> bool:
        """Whether the platform's commit touches this dates file: it is on the base, or the working tree's
        copy holds dates of this platform (a rehearsal of facebook adds no rehearsals.json to instagram's)."""
        if self.ctx.git.exists_in(base_sha, path):
            return True
        try:
            work = json.loads((self.ctx.root / path).read_bytes())
        except (OSError, ValueError):
            return (self.ctx.root / path).exists()
        return not isinstance(work, dict) or any(str(k).startswith(f"{platform}/") for k in work)

    def _dates_for(self, platform: str, base_sha: str, path: str) -> bytes | None:
        """verified.json (or rehearsals.json) as on the base, with only this platform's `site/locale/viewport`
        dates taken from the working tree, so each platform's pull request carries its own dates (written
        as instructions.Verified writes it). None when either side is not such a file, or both are absent."""
        try:
            base = json.loads(self.ctx.git.show(base_sha, path) or b"{}")
            work = json.loads((self.ctx.root / path).read_bytes()) if (self.ctx.root / path).exists() else {}
        except ValueError:
            return None
        if not isinstance(base, dict) or not isinstance(work, dict):
            return None
        mine = f"{platform}/"
        merged = {k: v for k, v in base.items() if not str(k).startswith(mine)}
        merged.update({k: v for k, v in work.items() if str(k).startswith(mine)})
        return (json.dumps(merged, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")

    def _keep_maintainer_commits(self, plat: Platform, built: Built, commits: list[gitops.CommitInfo]) -> None:
        theirs = [c for c in commits if not c.by_bot]
        self.ctx.result.kept.append(plat.branch)
        self.ctx.log(
            f"{plat.name}: {plat.branch} holds {len(theirs)} commit(s) the monitor did not make; "
            "it is left as it is (never force-pushed)"
        )
        pr = self.pulls.find_pr(plat.branch)
        if pr is None:
            note = (
                f"{plat.branch} holds commits by someone else and has no open pull request; "
                "delete the branch to let the monitor use it again"
            )
            self.ctx.result.notes.append(note)
            self.ctx.result.actions.append(Action(plat.name, "kept for a maintainer", "", note))
            self.ctx.log(f"{plat.name}: {note}")
            return
        # What is new is measured against the bot's own last commit on the branch (what the maintainer
        # started from), not against the base: their review already covers what the bot pushed before.
        ours = next((c for c in commits if c.by_bot), None)
        since = self.ctx.git.tree_of(ours.sha) if ours is not None else self.ctx.git.tree_of(built.base_sha)
        news = self.ctx.git.changed_paths(since, built.tree)
        url = str(pr.html_url)
        if not news:
            self.ctx.log(f"{plat.name}: nothing new since the monitor's last commit on {plat.branch}; no comment")
            self.ctx.result.actions.append(Action(plat.name, "kept for a maintainer", url, "nothing new to say"))
            return
        marker = f"<!-- optout-monitor:kept tree={built.tree} -->"
        existing = self.api.call(f"reading the comments of #{pr.number}", lambda: list(pr.issue_comments()))
        if any(marker in (getattr(c, "body", "") or "") for c in existing):
            self.ctx.log(f"{plat.name}: already told #{pr.number} about this tree; no new comment")
            self.ctx.result.actions.append(Action(plat.name, "kept for a maintainer", url, "already told"))
            return
        body = self.bodies.kept_comment(plat, marker, theirs, news, since_last=ours is not None)
        self.api.comment(pr, body, f"commenting on pull request #{pr.number}")
        self.ctx.result.notes.append(f"{plat.branch}: kept the maintainer's commits; commented on #{pr.number}")
        self.ctx.result.actions.append(Action(plat.name, "kept for a maintainer", url, f"commented on #{pr.number}"))

    def close_if_reverted(self, plat: Platform) -> None:
        """The site went back to what the base branch describes: close the bot's pull request, delete its branch."""
        if any(c.category is not Category.NOTHING for c in plat.changes):
            return  # blocked or lost: this run cannot tell whether the site went back
        if self.build(plat, self.refs.base_sha()) is not None:
            return  # e.g. cosmetic refreshes: not the site going back
        remote = self.refs.heads.get(f"refs/heads/{plat.branch}")
        pr = self.pulls.find_pr(plat.branch)
        if pr is None and remote is None:
            return
        commits = self.ctx.git.log_range(self.refs.base_sha(), remote) if remote else []
        if not gitops.only_by_bot(commits):
            where = f"#{pr.number}" if pr is not None else plat.branch
            self.ctx.log(f"{plat.name}: the site went back, but {where} holds a maintainer's commits; left as it is")
            self.ctx.result.kept.append(plat.branch)
            self.ctx.result.actions.append(
                Action(
                    plat.name,
                    "kept for a maintainer",
                    str(pr.html_url) if pr is not None else plat.branch,
                    "the site went back; left as it is",
                )
            )
            return
        if pr is not None:
            body = self.bodies.reverted_comment(plat)
            url = self.api.close_with_comment(plat.name, pr, "PR", body, pr.update, "the site went back")
            self.ctx.result.prs_closed.append(url)
            self.ctx.log(f"{plat.name}: the site went back; closed pull request #{pr.number} {pr.html_url}")
        if remote is not None and commits:
            self._delete_branch(plat, remote)

    def _delete_branch(self, plat: Platform, expect: str) -> None:
        """Delete the bot's branch of a closed, unmerged pull request, unless someone pushed to it meanwhile."""
        pushed = self.ctx.git.delete_branch(plat.branch, base=self.ctx.base, expect=expect)
        if pushed.ok:
            self.ctx.result.branches_deleted.append(plat.branch)
            self.ctx.result.actions.append(
                Action(plat.name, "deleted branch", plat.branch, "its changes are no longer needed")
            )
            self.ctx.log(f"{plat.name}: deleted the branch {plat.branch}: its changes are no longer needed")
        else:
            self.ctx.result.kept.append(plat.branch)
            self.ctx.result.actions.append(Action(plat.name, "kept branch", plat.branch, "it moved meanwhile"))
            self.ctx.log(
                f"{plat.name}: left {plat.branch} in place: it moved while this run looked at it ({pushed.detail})"
            )
