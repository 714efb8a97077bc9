"""A publish run from start to end: read the settings, connect, plan, then hand each part its share.

The order is the stage's: settings (settings.py) → the base branch and origin's branches
(branches.Refs) → the plan (plans.py) → either the dry run's payloads (dryrun.py) or, per platform,
its branch (branches.py) and pull request (pulls.py), then the issues (issues.py). Every part gets
the run's Context and the collaborators it calls, nothing more.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import requests
from github3.exceptions import GitHubException

from monitor.guard.files import write_atomic
from monitor.guard.redact import Identity
from monitor.model import Report
from monitor.publish import git as gitops
from monitor.publish.api import Api
from monitor.publish.bodies import Bodies
from monitor.publish.branches import Branches, Refs
from monitor.publish.context import Context, PublishResult
from monitor.publish.dryrun import DryRun
from monitor.publish.github import (
    ApiError,
    Limits,
    NotFoundError,
    PublishError,
    Scrubber,
    SetupError,
    UnsafeError,
    connect,
)
from monitor.publish.issues import Issues
from monitor.publish.jobsummary import PUBLISHED
from monitor.publish.plans import Planner
from monitor.publish.pulls import Pulls
from monitor.publish.settings import Settings


def record(folder: Path, result: PublishResult, dry_run: bool) -> Path:
    """published.json beside the report (jobsummary.PUBLISHED): what publish opened, the first walks'
    pull requests (or a dry run's payloads) first, for the job summary that runs after it."""
    data = {"dry_run": dry_run, "first_walks": result.first_walks, "actions": [a.line() for a in result.actions]}
    path = folder / PUBLISHED
    write_atomic(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return path


def run(
    report: Report,
    repo_root: Path,
    *,
    dry_run: Path | None,
    env: Mapping[str, str] = os.environ,
    base: str | None = None,
    log: Callable[[str], Any] = print,
    report_dir: Path | None = None,
    limits: Limits | None = None,
) -> PublishResult:
    """Publish a report's changes (pull requests) and problems (issues); see the package docstring.

    report_dir: the report's folder, whose images/ hold the screenshots of failing steps (issues
    show them when given). limits: waits and retries for GitHub (defaults suit a workflow).
    """
    scrub = Scrubber([env.get("GITHUB_TOKEN"), env.get("GH_TOKEN")], Identity.from_env(env).redact)

    def say(message: str) -> None:
        log(scrub(message))

    try:
        publisher = _Publisher(report, repo_root, dry_run, env, base, say, report_dir, limits or Limits(), scrub)
        return publisher.run()
    except PublishError as exc:
        exc.args = (scrub(str(exc)),)
        raise
    except (GitHubException, requests.RequestException) as exc:  # slipped through Api.call: never with the token
        raise ApiError(scrub(f"publishing failed unexpectedly: {type(exc).__name__}: {exc}")) from None


class _Publisher:
    def __init__(
        self,
        report: Report,
        root: Path,
        dry_run: Path | None,
        env: Mapping[str, str],
        base: str | None,
        log: Callable[[str], None],
        report_dir: Path | None,
        limits: Limits,
        scrub: Scrubber,
    ) -> None:
        self.report = report
        self.root = root
        self.dry_run = dry_run
        self.env = env
        self.base_arg = base
        self.log = log
        self.report_dir = report_dir
        self.limits = limits
        self.scrub = scrub
        self.result = PublishResult()
        self.git = gitops.Git(root, scrub)

    def run(self) -> PublishResult:
        self.git.check_repository()
        sites = sorted({c.site for c in self.report.changes})
        if not sites:
            self.log("publish: the report has no changes; nothing to publish")
            return self.result
        origin = self.git.remote_url() if self.dry_run is None else self._origin_or_none()
        settings = Settings.from_env(self.env, self.report, origin, self.dry_run is not None)
        self.git.token = settings.token
        self.scrub.add(settings.token)
        api = Api(settings, self.limits, self.log, self.result)
        if self.dry_run is None:
            assert settings.token is not None
            gh = connect(settings.endpoint, settings.token, self.limits, self.log)
            api.repo = api.call("reading the repository", gh.repository, settings.owner, settings.name)
            if api.repo is None:
                raise NotFoundError(f"GitHub has no repository {settings.repo!r}; check GITHUB_REPOSITORY", 404)
            base = self.base_arg or str(api.repo.default_branch)
        else:
            base = self.base_arg or self.git.remote_default_branch() or self.git.current_branch() or "main"
        if base.startswith(gitops.BRANCH_PREFIX):
            raise UnsafeError(f"--base {base!r} is one of the monitor's own branches; give the branch PRs merge into")
        ctx = Context(
            report=self.report,
            root=self.root,
            dry_run=self.dry_run,
            env=self.env,
            report_dir=self.report_dir,
            log=self.log,
            scrub=self.scrub,
            git=self.git,
            settings=settings,
            base=base,
            result=self.result,
        )
        refs = Refs(ctx)
        refs.load()
        base_sha = refs.base_sha()

        planner = Planner(ctx)
        platforms = [planner.platform(p, base_sha) for p in sites]
        issue_plans = planner.issues(platforms)
        bodies = Bodies(ctx)
        pulls = Pulls(ctx, api, bodies)
        branches = Branches(ctx, refs, api, bodies, pulls)
        issues = Issues(ctx, refs, api, bodies)
        if self.dry_run is not None:
            DryRun(ctx, branches, bodies, issues).write(self.dry_run, platforms, issue_plans, base_sha)
            return self.result
        for plat in platforms:
            if not plat.publishable:
                branches.close_if_reverted(plat)
                continue
            pushed = branches.push(plat)
            if pushed is not None:
                pulls.open_or_update(plat, *pushed)
                if plat.firsts:
                    self.result.first_walks.append(self.result.actions[-1].url)
        issues.publish(platforms, issue_plans)
        return self.result

    def _origin_or_none(self) -> str | None:
        try:
            return self.git.remote_url()
        except SetupError:
            return None
