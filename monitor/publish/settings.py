"""Where publish publishes: the repository, the token and the run, read from the environment as GitHub Actions sets it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from monitor.model import Report
from monitor.publish.github import AuthError, Endpoint, SetupError
from monitor.publish.remote import repo_from_url

UNKNOWN_REPO = "OWNER/REPOSITORY"  # a dry run without GITHUB_REPOSITORY: never written into a link

_RUN_ID = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Settings:
    """Publishing settings from the environment (as GitHub Actions sets it)."""

    token: str | None
    repo: str  # owner/name
    endpoint: Endpoint
    run_id: str
    run_url: str | None

    @property
    def owner(self) -> str:
        return self.repo.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.repo.split("/", 1)[1]

    @classmethod
    def from_env(cls, env: Mapping[str, str], report: Report, origin_url: str | None, dry_run: bool) -> Settings:
        token = (env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or "").strip() or None
        if token is None and not dry_run:
            raise AuthError(
                "GITHUB_TOKEN is missing or expired: neither GITHUB_TOKEN nor GH_TOKEN is set. In a workflow add "
                "`env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` to the publish step; locally export a token "
                "that may push and open pull requests and issues (or use --dry-run to preview)."
            )
        endpoint = Endpoint.from_env(env.get("GITHUB_API_URL"), env.get("GITHUB_SERVER_URL"))
        repo = (env.get("GITHUB_REPOSITORY") or "").strip() or repo_from_url(origin_url or "")
        if not repo:
            if not dry_run:
                raise SetupError(
                    "GITHUB_REPOSITORY is not set and origin's URL does not name a GitHub repository; "
                    "set GITHUB_REPOSITORY=owner/name"
                )
            repo = UNKNOWN_REPO
        if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
            raise SetupError(f"GITHUB_REPOSITORY is {repo!r}; it must be owner/name, e.g. octo-org/optout-monitor")
        run_id = (env.get("GITHUB_RUN_ID") or "").strip()
        run_url = None
        if run_id and repo != UNKNOWN_REPO:
            run_url = f"{endpoint.server_url}/{repo}/actions/runs/{quote(run_id)}"
            attempt = (env.get("GITHUB_RUN_ATTEMPT") or "").strip()
            if attempt.isdigit() and int(attempt) > 1:
                run_url += f"/attempts/{attempt}"
        else:
            run_id = "local-" + report.run.started
        return cls(token, repo, endpoint, _RUN_ID.sub("-", run_id).strip("-") or "local", run_url)
