"""`optout-monitor publish`: hand a report to the maintainers as pull requests and issues on GitHub.

After `update` has rewritten snapshots/ and instructions/ in the working tree, publish
- commits each platform's share of those files on `optout-monitor/<platform>` (built beside the
  working tree from the base branch, see gitops.py), pushes it with git, and opens or updates the
  one pull request of that branch; no pull request when the platform's diff is empty;
- closes, with a comment, a platform's pull request whose changes the site has reverted (this
  run's verdicts are all "nothing" and the working tree equals the base branch for its paths);
- opens one issue per platform and problem (login, security check, blocked, target gone), whose
  title is its key; comments on it when it fails again; closes it when a run walks the path again;
- with `dry_run=DIR`, writes the payloads (title, body, labels, files) to DIR and touches no remote.

It never destroys anything: a branch holding commits the bot did not make is left alone (the pull
request gets a comment saying what the bot would have changed); a refused push is retried once
after a re-fetch and rebuild; nothing is pushed to the base branch.

Errors (defined in monitor/publish/github.py, re-exported here); every message carries its fix:

    PublishError
    ├── SetupError                   missing GITHUB_TOKEN / GITHUB_REPOSITORY, no git origin, bad --base
    ├── UnsafeError                  would push to the base branch, or publish a stale checkout
    ├── GitError
    │   └── PushRejectedError        refused twice (after one re-fetch and rebuild)
    └── ApiError                     .status, .github_message
        ├── AuthError                401
        ├── ForbiddenError           403
        │   └── ActionsNotPermittedError  403: Actions may not create pull requests
        ├── NotFoundError            404
        ├── ValidationError          422
        ├── RateLimitError           403/429 rate limit, after a bounded wait
        ├── ServerError              5xx, after one retry
        └── NetworkError             connection refused, DNS, timeout
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from github3.exceptions import GitHubException
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import ValidationError as PydanticValidationError

from monitor.guard import gate
from monitor.guard.inert import Md, clean, md_code, md_text, md_text_with_urls
from monitor.guard.redact import Identity
from monitor.judge import groups
from monitor.model import Category, Change, Report, Verdict
from monitor.publish import git as gitops
from monitor.publish.github import (
    ActionsNotPermittedError,
    ApiError,
    AuthError,
    Endpoint,
    ForbiddenError,
    GitError,
    Limits,
    NetworkError,
    NotFoundError,
    PublishError,
    PushRejectedError,
    RateLimitError,
    Scrubber,
    ServerError,
    SetupError,
    UnsafeError,
    ValidationError,
    connect,
    translate,
)
from monitor.write import changelog, feed
from monitor.write.nextsteps import (
    PROBLEM_TEXT,
    PROBLEM_TITLES,
    branch_for,
    display_name,
    issue_title,
    pr_title,
    problem_of,
)

__all__ = [
    "Action",
    "ActionsNotPermittedError",
    "ApiError",
    "AuthError",
    "ForbiddenError",
    "GitError",
    "Limits",
    "NetworkError",
    "NotFoundError",
    "PublishError",
    "PublishResult",
    "PushRejectedError",
    "RateLimitError",
    "ServerError",
    "SetupError",
    "UnsafeError",
    "ValidationError",
    "run",
]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LABEL = "optout-monitor"
VERIFIED = "instructions/verified.json"
SHARED_FILES = ("instructions/README.md", VERIFIED)
EVIDENCE_BRANCH = f"{gitops.BRANCH_PREFIX}evidence"
PEOPLE_IMAGES = "instructions/images"  # what `update` renders for people (instructions.IMAGES)
MAX_GROUPS = 20  # change groups shown in full in one pull request body
MAX_DIFF_LINES = 300  # instruction lines listed
MAX_EVIDENCE = 6  # screenshots per issue
UNKNOWN_REPO = "OWNER/REPOSITORY"  # a dry run without GITHUB_REPOSITORY: never written into a link
BODY_LIMIT = 60_000  # GitHub refuses bodies over 65 536 characters

_RUN_ID = re.compile(r"[^A-Za-z0-9._-]+")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufeff]")
# Verdicts whose story is the page around the target rather than the target itself.
_WHOLE_PAGE = {Verdict.MOVED, Verdict.STEP_ADDED, Verdict.STEP_REMOVED, Verdict.TARGET_GONE, Verdict.BLOCKED}

T = TypeVar("T")


# --------------------------------------------------------------------------- results and settings


@dataclass(frozen=True)
class Action:
    """One thing publish did (or found already done) for a platform: the CLI prints these, in order."""

    platform: str
    what: str  # opened PR, updated PR, unchanged PR, closed PR, kept for a maintainer, commented, … issue
    url: str = ""
    detail: str = ""

    def line(self) -> str:
        return " ".join(p for p in (f"{self.platform}: {self.what}", self.url, self.detail and f"({self.detail})") if p)


@dataclass
class PublishResult:
    """What publish did (URLs of pull requests and issues) or, in a dry run, the files it wrote."""

    prs_opened: list[str] = field(default_factory=list)
    prs_updated: list[str] = field(default_factory=list)
    prs_unchanged: list[str] = field(default_factory=list)  # already right: nothing pushed, nothing edited
    prs_closed: list[str] = field(default_factory=list)
    issues_opened: list[str] = field(default_factory=list)
    issues_updated: list[str] = field(default_factory=list)
    issues_closed: list[str] = field(default_factory=list)
    dry_run_files: list[Path] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # bot branches left alone: someone else committed there
    branches_deleted: list[str] = field(default_factory=list)  # bot branches whose changes the site reverted
    notes: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # per platform, in the order they happened

    @property
    def changed_anything(self) -> bool:
        return any(
            (
                self.prs_opened,
                self.prs_updated,
                self.prs_closed,
                self.issues_opened,
                self.issues_updated,
                self.issues_closed,
                self.branches_deleted,
            )
        )


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
        repo = (env.get("GITHUB_REPOSITORY") or "").strip() or _repo_from_url(origin_url or "")
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


def _repo_from_url(url: str) -> str:
    m = re.search(r"(?:[:/])([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$", url)
    if m and ("github" in url.lower()):
        return f"{m.group(1)}/{m.group(2)}"
    return ""


# --------------------------------------------------------------------------- entry point


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
    """Publish a report's changes (pull requests) and problems (issues); see the module docstring.

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
    except (GitHubException, requests.RequestException) as exc:  # slipped through _api: never with the token
        raise ApiError(scrub(f"publishing failed unexpectedly: {type(exc).__name__}: {exc}")) from None


# --------------------------------------------------------------------------- plans


@dataclass
class _Platform:
    name: str
    changes: list[Change]
    specific: list[str]  # paths that belong to this platform alone
    shared: list[str]  # shared files, published with the platform when it has changes of its own

    @property
    def branch(self) -> str:
        return branch_for(self.name)

    @property
    def updates(self) -> list[Change]:
        return [c for c in self.changes if c.category is Category.UPDATE]

    @property
    def display(self) -> str:
        return display_name(self.name)


@dataclass
class _Built:
    base_sha: str
    tree: str  # None-free: only built when the platform's own paths changed
    files: list[tuple[str, str]]  # (status, path) against the base


@dataclass
class _IssuePlan:
    platform: str
    problem: str
    changes: list[Change]
    evidence: dict[str, bytes] = field(default_factory=dict)  # repository path -> PNG
    shots: dict[int, str] = field(default_factory=dict)  # index in changes -> evidence path

    @property
    def title(self) -> str:
        return issue_title(self.platform, self.problem)

    @property
    def labels(self) -> list[str]:
        return [LABEL, self.platform]

    @property
    def fingerprint(self) -> str:
        keys = sorted(f"{c.key.path}:{c.verdict.value}:{c.evidence.reason or ''}" for c in self.changes)
        return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:12]


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
        self.settings: Settings
        self.base = ""
        self.refs: dict[str, str] = {}
        self._repo: Any = None
        self._open_prs: list[Any] | None = None
        self._open_issues: dict[str, Any] | None = None
        self._env_templates = _environment()

    # ------------------------------------------------------------------ the run

    def run(self) -> PublishResult:
        self.git.check_repository()
        sites = sorted({c.site for c in self.report.changes})
        if not sites:
            self.log("publish: the report has no changes; nothing to publish")
            return self.result
        origin = self.git.remote_url() if self.dry_run is None else self._origin_or_none()
        self.settings = Settings.from_env(self.env, self.report, origin, self.dry_run is not None)
        self.git.token = self.settings.token
        self.scrub.add(self.settings.token)
        if self.dry_run is None:
            assert self.settings.token is not None
            gh = connect(self.settings.endpoint, self.settings.token, self.limits, self.log)
            self._repo = self._api("reading the repository", gh.repository, self.settings.owner, self.settings.name)
            if self._repo is None:
                raise NotFoundError(f"GitHub has no repository {self.settings.repo!r}; check GITHUB_REPOSITORY", 404)
            self.base = self.base_arg or str(self._repo.default_branch)
        else:
            self.base = self.base_arg or self.git.remote_default_branch() or self.git.current_branch() or "main"
        if self.base.startswith(gitops.BRANCH_PREFIX):
            raise UnsafeError(
                f"--base {self.base!r} is one of the monitor's own branches; give the branch PRs merge into"
            )
        self._load_refs()
        base_sha = self._base_sha()

        platforms = [self._platform(p, base_sha) for p in sites]
        issues = self._plan_issues(platforms)
        if self.dry_run is not None:
            self._dry_run(self.dry_run, platforms, issues, base_sha)
            return self.result
        for plat in platforms:
            self._publish_platform(plat)
        self._publish_issues(platforms, issues)
        return self.result

    def _origin_or_none(self) -> str | None:
        try:
            return self.git.remote_url()
        except SetupError:
            return None

    def _api(self, doing: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except (GitHubException, requests.RequestException) as exc:
            raise translate(
                exc, doing, self.settings.endpoint, self.settings.repo, self.limits, repo_read=self._repo is not None
            ) from None

    # ------------------------------------------------------------------ refs

    def _load_refs(self) -> None:
        if self.dry_run is not None:
            self.refs = self.git.remembered_remote()
            local = self.git.rev(f"refs/heads/{self.base}")
            if f"refs/heads/{self.base}" not in self.refs and local:
                self.refs[f"refs/heads/{self.base}"] = local
            return
        self.refs = self.git.ls_remote()
        wanted = [self.base] + [
            name.removeprefix("refs/heads/")
            for name in self.refs
            if name.startswith(f"refs/heads/{gitops.BRANCH_PREFIX}")
        ]
        self.git.fetch([b for b in wanted if f"refs/heads/{b}" in self.refs])

    def _base_sha(self) -> str:
        sha = self.refs.get(f"refs/heads/{self.base}")
        if not sha:
            where = "origin" if self.dry_run is None else "this clone (nor its copy of origin)"
            raise SetupError(f"{where} has no branch {self.base!r} to open pull requests against; pass --base BRANCH")
        return sha

    # ------------------------------------------------------------------ what belongs to a platform

    def _platform(self, name: str, base_sha: str) -> _Platform:
        changes = [c for c in self.report.changes if c.site == name]
        journeys = self._journeys_of(name, base_sha)
        specific = [f"snapshots/{j}" for j in sorted(journeys)]
        pages = {p.relative_to(self.root).as_posix() for p in self.root.glob(f"instructions/*/{name}.md")}
        pages |= {
            p
            for p in self.git.ls_tree(base_sha, "instructions")
            if re.fullmatch(rf"instructions/[^/]+/{re.escape(name)}\.md", p)
        }
        specific += sorted(pages)
        specific.append(f"instructions/images/{name}")
        specific += self._changelog_of(name, base_sha)
        plat = _Platform(name, changes, specific, list(SHARED_FILES))
        head = self.git.rev("HEAD")
        if head and head != base_sha:
            drift = self.git.changed_paths(head, base_sha, plat.specific + plat.shared)
            if drift:
                shown = ", ".join(p for _, p in drift[:5])
                raise UnsafeError(
                    f"this checkout (HEAD {head[:10]}) and {self.base} on origin ({base_sha[:10]}) differ in "
                    f"{display_name(name)}'s files ({shown}); publishing would undo those changes. Update the "
                    f"checkout (git pull --ff-only origin {self.base}), run `optout-monitor update` again, then publish."
                )
        return plat

    def _journeys_of(self, platform: str, base_sha: str) -> set[str]:
        known = {c.journey: c.site for c in self.report.changes}
        names = {p.name for p in (self.root / "snapshots").glob("*") if p.is_dir()}
        names |= {p.split("/")[1] for p in self.git.ls_tree(base_sha, "snapshots") if p.count("/") >= 2}
        found = set()
        for journey in names:
            site = known.get(journey) or self._site_on_disk(journey, base_sha)
            if site is None and journey.startswith(f"{platform}-"):
                site = platform
            if site == platform:
                found.add(journey)
        return found

    def _site_on_disk(self, journey: str, base_sha: str) -> str | None:
        for path in sorted((self.root / "snapshots" / journey).glob("*/*/*.json"))[:1]:
            site = _json_field(path.read_bytes(), "site")
            if site:
                return site
        for rel in self.git.ls_tree(base_sha, f"snapshots/{journey}"):
            if rel.endswith(".json"):
                return _json_field(self.git.show(base_sha, rel) or b"", "site")
        return None

    def _changelog_of(self, platform: str, base_sha: str) -> list[str]:
        folder = "instructions/changelog"
        paths = []
        on_disk = {p.relative_to(self.root).as_posix(): p for p in (self.root / folder).glob("*.json")}
        for rel, path in sorted(on_disk.items()):
            if _json_field(path.read_bytes(), "platform") == platform:
                paths.append(rel)
        for rel in self.git.ls_tree(base_sha, folder):
            if (
                rel.endswith(".json")
                and rel not in on_disk
                and _json_field(self.git.show(base_sha, rel) or b"", "platform") == platform
            ):
                paths.append(rel)  # deleted in the working tree
        return paths

    def _build(self, plat: _Platform, base_sha: str) -> _Built | None:
        """The platform's tree on top of base_sha, or None when its own paths did not change."""
        base_tree = self.git.tree_of(base_sha)
        own = self.git.tree_with(base_sha, plat.specific)
        if own == base_tree:
            return None
        whole = [p for p in plat.shared if p != VERIFIED]
        tree = self.git.tree_with(base_sha, plat.specific + whole)
        if VERIFIED in plat.shared:
            merged = self._verified_for(plat.name, base_sha)
            if merged is not None:
                tree = self.git.tree_adding(tree, {VERIFIED: merged})
            else:  # not the format we know: take the file as update left it
                tree = self.git.tree_with(base_sha, plat.specific + plat.shared)
        built = _Built(base_sha, tree, self.git.changed_paths(base_tree, tree))
        gate.check(
            gate.read_files(self.root / path for status, path in built.files if not status.startswith("D")),
            Identity.from_env(self.env),
            f"committing {plat.name}'s changes on {plat.branch}",
        )
        return built

    def _verified_for(self, platform: str, base_sha: str) -> bytes | None:
        """verified.json as on the base, with only this platform's `site/locale/viewport` dates taken from
        the working tree, so each platform's pull request carries its own dates (written as
        instructions.Verified writes it). None when either side is not such a file."""
        try:
            base = json.loads(self.git.show(base_sha, VERIFIED) or b"{}")
            work = json.loads((self.root / VERIFIED).read_bytes()) if (self.root / VERIFIED).exists() else {}
        except ValueError:
            return None
        if not isinstance(base, dict) or not isinstance(work, dict):
            return None
        mine = f"{platform}/"
        merged = {k: v for k, v in base.items() if not str(k).startswith(mine)}
        merged.update({k: v for k, v in work.items() if str(k).startswith(mine)})
        return (json.dumps(merged, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")

    # ------------------------------------------------------------------ pull requests

    def _publish_platform(self, plat: _Platform) -> None:
        if not plat.updates:
            self._close_if_reverted(plat)
            return
        pushed = self._push_platform(plat)
        if pushed is not None:
            self._open_or_update_pr(plat, *pushed)

    def _push_platform(self, plat: _Platform) -> tuple[_Built, str, bool] | None:
        """Put the platform's commit on its branch: (what was built, the branch's head, whether it was
        pushed now), or None when there is nothing to push or the branch is someone else's now.
        Retried once after a refusal."""
        for attempt in (1, 2):
            base_sha = self._base_sha()
            built = self._build(plat, base_sha)
            if built is None:
                self.log(
                    f"{plat.name}: {len(plat.updates)} change(s), but no file differs from {self.base}; no pull request"
                )
                return None
            remote = self.refs.get(f"refs/heads/{plat.branch}")
            commits = self.git.log_range(base_sha, remote) if remote else []
            if not gitops.only_by_bot(commits):
                self._keep_maintainer_commits(plat, built, commits)
                return None
            if remote and self.git.tree_of(remote) == built.tree:
                self.log(f"{plat.name}: {plat.branch} already holds these changes ({remote[:10]})")
                return built, remote, False
            head = self.git.commit_tree(built.tree, [base_sha], self._commit_message(plat))
            result = self.git.push(head, plat.branch, base=self.base, expect=remote, force=True)
            if result.ok:
                self.log(f"{plat.name}: pushed {plat.branch} ({head[:10]})")
                self.refs[f"refs/heads/{plat.branch}"] = head
                return built, head, True
            if attempt == 2:
                raise PushRejectedError(
                    f"origin refused the push of {plat.branch} twice, the second time after fetching and rebuilding "
                    f"on {self.base}: {result.detail}. Someone or something keeps updating the branch (or a "
                    "branch protection rule covers it); re-run later, or delete the branch to let the monitor recreate it."
                )
            last = result.detail.splitlines()[-1] if result.detail else "rejected"
            self.log(f"{plat.name}: origin refused the push ({last}); fetching and rebuilding once")
            self._load_refs()
        return None

    def _commit_message(self, plat: _Platform) -> str:
        lines = [f"- {c.verdict.value}: {c.key.path}" for c in plat.updates[:50]]
        if len(plat.updates) > 50:
            lines.append(f"- … and {len(plat.updates) - 50} more")
        if self.settings.run_url:
            lines += ["", f"Run: {self.settings.run_url}"]
        n = len(plat.updates)
        subject = f"Update the {plat.display} instructions: {n} step{'s' if n != 1 else ''} changed"
        return gitops.bot_message(subject, "\n".join(lines), self.settings.run_id)

    def _pr_title(self, plat: _Platform) -> str:
        return pr_title(plat.name, plat.updates)

    def _open_prs_list(self) -> list[Any]:
        if self._open_prs is None:
            # github3 lists lazily: the requests happen while iterating, so iterate inside _api
            self._open_prs = self._api(
                "listing open pull requests", lambda: list(self._repo.pull_requests(state="open"))
            )
        return self._open_prs

    def _find_pr(self, branch: str) -> Any:
        label = f"{self.settings.owner}:{branch}"
        for pr in self._open_prs_list():
            head = pr.as_dict().get("head") or {}
            if head.get("label") == label or (
                head.get("ref") == branch and (head.get("repo") or {}).get("full_name") == self.settings.repo
            ):
                return pr
        return None

    def _open_or_update_pr(self, plat: _Platform, built: _Built, head: str, pushed: bool) -> None:
        title = self._pr_title(plat)
        body = self._pr_body(plat, built, head)
        pr = self._find_pr(plat.branch)
        landed = False  # opened by this run, though GitHub's answer said otherwise
        if pr is None:
            doing = f"opening the pull request for {plat.branch}"
            try:
                pr = self._api(doing, self._repo.create_pull, title=title, base=self.base, head=plat.branch, body=body)
            except ServerError:
                self._open_prs = None  # did the first attempt land after all?
                pr = self._find_pr(plat.branch)
                landed = True
                if pr is None:
                    self.log(f"{plat.name}: GitHub failed to open the pull request; trying once more")
                    pr = self._api(
                        doing, self._repo.create_pull, title=title, base=self.base, head=plat.branch, body=body
                    )
            except ValidationError as exc:
                if "already exists" not in exc.github_message:
                    raise
                self._open_prs = None
                pr = self._find_pr(plat.branch)
                if pr is None:
                    raise
            else:
                if not landed:
                    self._add_labels(pr.number, [LABEL, plat.name], [])
                    self._opened_pr(plat, pr)
                    return
        edited = pr.title != title or pr.body != body
        if edited:
            self._api(f"updating pull request #{pr.number}", pr.update, title=title, body=body)
        present = [str(lbl.get("name")) for lbl in pr.as_dict().get("labels") or [] if isinstance(lbl, dict)]
        labelled = self._add_labels(pr.number, [LABEL, plat.name], present)
        url = str(pr.html_url)
        if landed:
            self._opened_pr(plat, pr)
        elif pushed or edited or labelled:
            self.result.prs_updated.append(url)
            what = ", ".join(w for w, done in (("new commit", pushed), ("body", edited), ("labels", labelled)) if done)
            self.result.actions.append(Action(plat.name, "updated PR", url, what))
            self.log(f"{plat.name}: updated pull request #{pr.number} ({what}) {url}")
        else:
            self.result.prs_unchanged.append(url)
            self.result.actions.append(Action(plat.name, "unchanged PR", url, "already up to date"))
            self.log(f"{plat.name}: pull request #{pr.number} is already up to date {url}")

    def _opened_pr(self, plat: _Platform, pr: Any) -> None:
        self.result.prs_opened.append(str(pr.html_url))
        self.result.actions.append(Action(plat.name, "opened PR", str(pr.html_url)))
        self.log(f"{plat.name}: opened pull request #{pr.number} {pr.html_url}")

    def _add_labels(self, number: int, labels: list[str], present: list[str]) -> bool:
        missing = [lbl for lbl in labels if lbl not in present]
        if not missing:
            return False
        issue = self._api(f"reading issue #{number}", self._repo.issue, number)
        self._api(f"labelling #{number}", issue.add_labels, *missing)
        return True

    def _comment(self, target: Any, body: str, doing: str) -> None:
        """Post a comment once: after a 5xx, look whether it landed before trying again."""
        try:
            self._api(doing, target.create_comment, body)
        except ServerError:
            number = getattr(target, "number", "?")
            lister = target.issue_comments if hasattr(target, "issue_comments") else target.comments
            existing = self._api(f"reading the comments of #{number}", lambda: list(lister()))
            if any((getattr(c, "body", "") or "").strip() == body.strip() for c in existing):
                self.log(f"GitHub failed while {doing}, but the comment landed; not posting it twice")
                return
            self.log(f"GitHub failed while {doing}; trying once more")
            self._api(doing, target.create_comment, body)

    def _keep_maintainer_commits(self, plat: _Platform, built: _Built, commits: list[gitops.CommitInfo]) -> None:
        theirs = [c for c in commits if not c.by_bot]
        self.result.kept.append(plat.branch)
        self.log(
            f"{plat.name}: {plat.branch} holds {len(theirs)} commit(s) the monitor did not make; "
            "it is left as it is (never force-pushed)"
        )
        pr = self._find_pr(plat.branch)
        if pr is None:
            note = (
                f"{plat.branch} holds commits by someone else and has no open pull request; "
                "delete the branch to let the monitor use it again"
            )
            self.result.notes.append(note)
            self.result.actions.append(Action(plat.name, "kept for a maintainer", "", note))
            self.log(f"{plat.name}: {note}")
            return
        # What is new is measured against the bot's own last commit on the branch (what the maintainer
        # started from), not against the base: their review already covers what the bot pushed before.
        ours = next((c for c in commits if c.by_bot), None)
        since = self.git.tree_of(ours.sha) if ours is not None else self.git.tree_of(built.base_sha)
        news = self.git.changed_paths(since, built.tree)
        url = str(pr.html_url)
        if not news:
            self.log(f"{plat.name}: nothing new since the monitor's last commit on {plat.branch}; no comment")
            self.result.actions.append(Action(plat.name, "kept for a maintainer", url, "nothing new to say"))
            return
        marker = f"<!-- optout-monitor:kept tree={built.tree} -->"
        existing = self._api(f"reading the comments of #{pr.number}", lambda: list(pr.issue_comments()))
        if any(marker in (getattr(c, "body", "") or "") for c in existing):
            self.log(f"{plat.name}: already told #{pr.number} about this tree; no new comment")
            self.result.actions.append(Action(plat.name, "kept for a maintainer", url, "already told"))
            return
        body = self._render(
            "pr_body.md.j2",
            kept=True,
            marker=Md(marker),
            plat=plat,
            theirs=[{"sha": c.sha[:10], "author": c.author_name, "subject": c.subject} for c in theirs],
            files=news,
            since="its last commit" if ours is not None else None,
            groups=self._groups(plat, None, None),
            **self._common(),
        )
        self._comment(pr, body, f"commenting on pull request #{pr.number}")
        self.result.notes.append(f"{plat.branch}: kept the maintainer's commits; commented on #{pr.number}")
        self.result.actions.append(Action(plat.name, "kept for a maintainer", url, f"commented on #{pr.number}"))

    def _close_if_reverted(self, plat: _Platform) -> None:
        """The site went back to what the base branch describes: close the bot's pull request, delete its branch."""
        if any(c.category is not Category.NOTHING for c in plat.changes):
            return  # blocked or lost: this run cannot tell whether the site went back
        if self._build(plat, self._base_sha()) is not None:
            return  # e.g. cosmetic refreshes: not the site going back
        remote = self.refs.get(f"refs/heads/{plat.branch}")
        pr = self._find_pr(plat.branch)
        if pr is None and remote is None:
            return
        commits = self.git.log_range(self._base_sha(), remote) if remote else []
        if not gitops.only_by_bot(commits):
            where = f"#{pr.number}" if pr is not None else plat.branch
            self.log(f"{plat.name}: the site went back, but {where} holds a maintainer's commits; left as it is")
            self.result.kept.append(plat.branch)
            self.result.actions.append(
                Action(
                    plat.name,
                    "kept for a maintainer",
                    str(pr.html_url) if pr is not None else plat.branch,
                    "the site went back; left as it is",
                )
            )
            return
        if pr is not None:
            run = self._run_ref()
            body = Md.trusted(
                f"The {plat.display} pages went back to what `{self.base}` describes ({run}): no step of this run "
                "differs from its accepted snapshot, so this pull request's changes are no longer needed and "
                f"optout-monitor closes it and deletes the branch `{plat.branch}`; a later change opens a new "
                f"pull request.\n\n<!-- optout-monitor:reverted run={self.settings.run_id} -->\n"
            )
            url = self._close_with_comment(plat.name, pr, "PR", body, pr.update, "the site went back")
            self.result.prs_closed.append(url)
            self.log(f"{plat.name}: the site went back; closed pull request #{pr.number} {pr.html_url}")
        if remote is not None and commits:
            self._delete_branch(plat, remote)

    def _delete_branch(self, plat: _Platform, expect: str) -> None:
        """Delete the bot's branch of a closed, unmerged pull request, unless someone pushed to it meanwhile."""
        pushed = self.git.delete_branch(plat.branch, base=self.base, expect=expect)
        if pushed.ok:
            self.result.branches_deleted.append(plat.branch)
            self.result.actions.append(
                Action(plat.name, "deleted branch", plat.branch, "its changes are no longer needed")
            )
            self.log(f"{plat.name}: deleted the branch {plat.branch}: its changes are no longer needed")
        else:
            self.result.kept.append(plat.branch)
            self.result.actions.append(Action(plat.name, "kept branch", plat.branch, "it moved meanwhile"))
            self.log(
                f"{plat.name}: left {plat.branch} in place: it moved while this run looked at it ({pushed.detail})"
            )

    # ------------------------------------------------------------------ the pull request body

    def _common(self) -> dict[str, Any]:
        return {
            "run_url": Md(self.settings.run_url) if self.settings.run_url else None,
            "run_id": self.settings.run_id,
            "base": self.base,
            "repo": self.settings.repo,
        }

    def _run_ref(self) -> str:
        if self.settings.run_url:
            return f"[run {self.settings.run_id}]({self.settings.run_url})"
        return f"run {md_code(self.settings.run_id)}"

    def _blob_url(self, sha: str, path: str) -> Md:
        return Md(f"{self.settings.endpoint.server_url}/{self.settings.repo}/blob/{sha}/{quote(path)}?raw=true")

    def _pinned(self, sha: str, path: str) -> Md | None:
        """A file's URL pinned to a commit. In a dry run that commit is not on GitHub (and the repository
        may not be known): the file is copied beside the payload and linked relatively, so the preview
        shows it."""
        if self.dry_run is None:
            return self._blob_url(sha, path)
        data = self.git.show(sha, path)
        if data is None:
            return None
        rel = f"images/{sha[:12]}/{path}"
        target = self.dry_run / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return Md(quote(rel))

    def _image(self, sha: str | None, path: str, alt: str) -> Md | None:
        if sha is None or not self.git.exists_in(sha, path):
            return None
        url = self._pinned(sha, path)
        return Md(f"[![{alt}]({url})]({url})") if url else None

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

    def _groups(self, plat: _Platform, base_sha: str | None, head: str | None) -> list[dict[str, Any]]:
        """The platform's changes as groups (groups.py): one story each, one before/after pair per kind
        of device, and every step's own evidence, folded."""
        out = []
        for group in groups.of_changes(plat.updates)[:MAX_GROUPS]:
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
                    "sentence": group.sentence,
                    "pairs": pairs,
                    "steps": [self._step(c) for c in group.members],
                }
            )
        return out

    def _step(self, change: Change) -> dict[str, Any]:
        ev = change.evidence
        return {
            "change": change,
            "wording": _wording(change),
            "sentence": _fence([f"- {clean(ev.sentence.old)}", f"+ {clean(ev.sentence.new)}"]) if ev.sentence else None,
            "place_old": " › ".join(ev.context.old) if ev.context else None,
            "place_new": " › ".join(ev.context.new) if ev.context else None,
            "leads_old": md_code(ev.leads_to.old) if ev.leads_to and ev.leads_to.old else None,
            "leads_new": md_code(ev.leads_to.new) if ev.leads_to and ev.leads_to.new else None,
        }

    def _changelog_preview(self, built: _Built, head: str) -> list[Md]:
        """What the feeds and CHANGELOG.md will say once this merges: the platform's new changelog
        entries in the commit, grouped and worded as feed.py words them."""
        entries = []
        for status, path in built.files:
            if status == "D" or not (path.startswith(f"{changelog.FOLDER.as_posix()}/") and path.endswith(".json")):
                continue
            try:
                entries.append(changelog.ChangelogEntry.model_validate_json(self.git.show(head, path) or b""))
            except PydanticValidationError:
                continue  # not an entry this version reads; the feed command names it
        lines: list[Md] = []
        for group in groups.of_entries(entries):
            # feed.changelog_item escapes every scraped word itself: its lines are Markdown already
            lines += [Md(line) for line in feed.changelog_item(group, None)]
        return lines

    def _combos(self, plat: _Platform) -> list[dict[str, Any]]:
        rows: dict[tuple[str, str, str], dict[Verdict, int]] = {}
        for c in plat.changes:
            counts = rows.setdefault((c.journey, c.locale, c.viewport), {})
            counts[c.verdict] = counts.get(c.verdict, 0) + 1
        out = []
        for (journey, locale, viewport), counts in sorted(rows.items()):
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

    def _instruction_lines(self, base_sha: str, head: str) -> list[dict[str, Any]]:
        """The instruction pages' lines that changed (`git diff --unified=0`), per file."""
        text = self.git.diff_unified0(base_sha, head, [":(glob)instructions/**/*.md"])
        files: list[dict[str, Any]] = []
        total = 0
        in_hunk = False
        for line in text.splitlines():
            start = re.match(r"^diff --git a/.* b/(.*)$", line)
            if start:
                files.append({"path": start.group(1), "lines": []})
                in_hunk = False
            elif line.startswith("@@"):
                in_hunk = True
            elif in_hunk and files and line[:1] in ("-", "+"):
                total += 1
                if total <= MAX_DIFF_LINES:
                    files[-1]["lines"].append(line)
        shown = [dict(f, fence=_fence(f["lines"])) for f in files if f["lines"]]
        return shown + ([{"path": "", "fence": None, "more": total - MAX_DIFF_LINES}] if total > MAX_DIFF_LINES else [])

    def _pr_body(self, plat: _Platform, built: _Built, head: str) -> str:
        server, repo = self.settings.endpoint.server_url, self.settings.repo
        found = groups.of_changes(plat.updates)
        context = {
            "kept": False,
            "marker": Md(f"<!-- optout-monitor:pr platform={plat.name} run={self.settings.run_id} -->"),
            "plat": plat,
            "combos": self._combos(plat),
            "groups": self._groups(plat, built.base_sha, head),
            "more_groups": max(0, len(found) - MAX_GROUPS),
            "instruction_files": self._instruction_lines(built.base_sha, head),
            "changelog": self._changelog_preview(built, head),
            "files": built.files,
            "head": head,
            "base_sha": built.base_sha,
            # in a dry run neither commit is on GitHub under a name we know: no link
            "base_url": None if self.dry_run is not None else Md(f"{server}/{repo}/commit/{built.base_sha}"),
            "head_url": None if self.dry_run is not None else Md(f"{server}/{repo}/commit/{head}"),
            **self._common(),
        }
        body = self._render("pr_body.md.j2", **context)
        if len(body) > BODY_LIMIT:  # drop the pictures and wording first, then the instruction lines
            context["groups"] = []
            context["more_groups"] = len(found)
            body = self._render("pr_body.md.j2", **context)
        if len(body) > BODY_LIMIT:
            context["instruction_files"] = []
            body = self._render("pr_body.md.j2", **context)
        return body

    def _render(self, template: str, **context: Any) -> str:
        return self._env_templates.get_template(template).render(**context)

    # ------------------------------------------------------------------ issues

    def _plan_issues(self, platforms: list[_Platform]) -> list[_IssuePlan]:
        plans: dict[tuple[str, str], _IssuePlan] = {}
        for plat in platforms:
            for change in plat.changes:
                problem = problem_of(change)
                if problem is not None:
                    plans.setdefault((plat.name, problem), _IssuePlan(plat.name, problem, [])).changes.append(change)
        for plan in plans.values():
            self._collect_evidence(plan)
        return [plans[k] for k in sorted(plans)]

    def _collect_evidence(self, plan: _IssuePlan) -> None:
        if self.report_dir is None:
            return
        for i, change in enumerate(plan.changes[:MAX_EVIDENCE]):
            rel = change.images.after or change.images.before
            if not rel or ".." in Path(rel).parts or Path(rel).is_absolute():
                continue
            path = self.report_dir / rel
            if not path.is_file():
                continue
            data = path.read_bytes()
            name = f"evidence/{plan.platform}/{plan.problem}/{hashlib.sha256(data).hexdigest()[:16]}.png"
            plan.evidence[name] = data
            plan.shots[i] = name

    def _push_evidence(self, plans: list[_IssuePlan]) -> str | None:
        """Commit the screenshots of failing steps on the evidence branch (appended, never forced)."""
        files = {path: data for plan in plans for path, data in plan.evidence.items()}
        if not files:
            return None
        gate.check([(Path(p), d) for p, d in files.items()], Identity.from_env(self.env), f"pushing {EVIDENCE_BRANCH}")
        for attempt in (1, 2):
            parent = self.refs.get(f"refs/heads/{EVIDENCE_BRANCH}")
            tree = self.git.tree_adding(parent, files)
            if parent and self.git.tree_of(parent) == tree:
                return parent
            message = gitops.bot_message(
                f"Screenshots of failing steps ({len(files)})", "\n".join(sorted(files)), self.settings.run_id
            )
            sha = self.git.commit_tree(tree, [parent] if parent else [], message)
            if self.dry_run is not None:
                return sha
            pushed = self.git.push(sha, EVIDENCE_BRANCH, base=self.base, expect=parent, force=False)
            if pushed.ok:
                self.refs[f"refs/heads/{EVIDENCE_BRANCH}"] = sha
                return sha
            if attempt == 2:
                raise PushRejectedError(f"origin refused the push of {EVIDENCE_BRANCH} twice: {pushed.detail}")
            self._load_refs()
        return None

    def _open_issue_map(self) -> dict[str, Any]:
        if self._open_issues is None:
            found: dict[str, Any] = {}
            issues = self._api("listing open issues", lambda: list(self._repo.issues(state="open", labels=LABEL)))
            for issue in sorted(issues, key=lambda i: int(i.number)):
                if issue.pull_request_urls:
                    continue  # a pull request
                found.setdefault(str(issue.title), issue)
            self._open_issues = found
        return self._open_issues

    def _issue_body(self, plan: _IssuePlan, evidence_sha: str | None, comment: bool) -> str:
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
        return self._render(
            "issue_body.md.j2",
            comment=comment,
            marker=Md(
                f"<!-- optout-monitor:issue platform={plan.platform} problem={plan.problem} "
                f"run={self.settings.run_id} fingerprint={plan.fingerprint} -->"
            ),
            plan=plan,
            name=name,
            problem_text=PROBLEM_TEXT[plan.problem].format(name=name),
            groups=[g.sentence for g in groups.of_changes(plan.changes)],
            rows=rows,
            first_shot=next((r for r in rows if r["shot"]), None),
            report_dir_given=self.report_dir is not None,
            state_env=f"OPTOUT_{plan.platform.upper()}_STORAGE_STATE",
            **self._common(),
        )

    def _publish_issues(self, platforms: list[_Platform], plans: list[_IssuePlan]) -> None:
        evidence = self._push_evidence(plans)
        open_issues = self._open_issue_map()
        for plan in plans:
            body = self._issue_body(plan, evidence, comment=False)
            issue = open_issues.get(plan.title)
            if issue is None:
                issue = self._create_issue(plan, body)
                open_issues[plan.title] = issue
                self.result.issues_opened.append(str(issue.html_url))
                self.result.actions.append(Action(plan.platform, "opened issue", str(issue.html_url), plan.title))
                self.log(f"{plan.platform}: opened issue #{issue.number} {issue.html_url}: {plan.title}")
                continue
            if f"run={self.settings.run_id} " in (issue.body or ""):
                self.log(f"{plan.platform}: issue #{issue.number} already reports run {self.settings.run_id}")
                self.result.actions.append(
                    Action(plan.platform, "unchanged issue", str(issue.html_url), "already reports this run")
                )
                continue
            self._comment(issue, self._issue_body(plan, evidence, comment=True), f"commenting on issue #{issue.number}")
            if issue.body != body:
                self._api(f"updating issue #{issue.number}", issue.edit, body=body)
            self.result.issues_updated.append(str(issue.html_url))
            self.result.actions.append(
                Action(plan.platform, "commented on issue", str(issue.html_url), "failed again; body refreshed")
            )
            self.log(f"{plan.platform}: issue #{issue.number} updated: it failed again")
        planned = {(p.platform, p.problem) for p in plans}
        for plat in platforms:
            for problem in PROBLEM_TITLES:
                issue = open_issues.get(issue_title(plat.name, problem))
                if issue is None or (plat.name, problem) in planned or not _healed(plat, problem):
                    continue
                body = Md.trusted(
                    f"optout-monitor walked the {plat.display} path again in {self._run_ref()} without this "
                    "problem, so it closes this issue. It opens a new one if the problem comes back.\n\n"
                    f"<!-- optout-monitor:healed run={self.settings.run_id} -->\n"
                )
                url = self._close_with_comment(plat.name, issue, "issue", body, issue.edit, "walked again")
                self.result.issues_closed.append(url)
                self.log(f"{plat.name}: closed issue #{issue.number}: {issue.title}")

    def _close_with_comment(
        self, platform: str, item: Any, kind: str, body: str, close: Callable[..., Any], why: str
    ) -> str:
        """Say why, then close a pull request (kind "PR") or an issue; returns its URL."""
        name = "pull request" if kind == "PR" else kind
        self._comment(item, body, f"commenting on {name} #{item.number}")
        self._api(f"closing {name} #{item.number}", close, state="closed")
        url = str(item.html_url)
        self.result.actions.append(Action(platform, f"closed {kind}", url, why))
        return url

    def _create_issue(self, plan: _IssuePlan, body: str) -> Any:
        doing = f"opening the issue {plan.title!r}"
        try:
            return self._api(doing, self._repo.create_issue, title=plan.title, body=body, labels=plan.labels)
        except ServerError:
            self._open_issues = None  # did the first attempt land after all?
            issue = self._open_issue_map().get(plan.title)
            if issue is not None:
                return issue
            self.log(f"{plan.platform}: GitHub failed to open the issue; trying once more")
            return self._api(doing, self._repo.create_issue, title=plan.title, body=body, labels=plan.labels)

    # ------------------------------------------------------------------ dry run

    def _dry_run(self, folder: Path, platforms: list[_Platform], issues: list[_IssuePlan], base_sha: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for plat in platforms:
            if not plat.updates:
                continue
            built = self._build(plat, base_sha)
            if built is None:
                self.log(f"{plat.name}: no file differs from {self.base}; no pull request")
                continue
            head = self.git.commit_tree(built.tree, [base_sha], self._commit_message(plat))
            payload = {
                "kind": "pull_request",
                "title": self._pr_title(plat),
                "body": self._pr_body(plat, built, head),
                "labels": [LABEL, plat.name],
                "base": self.base,
                "head": plat.branch,
                "commit": head,
                "files": [{"status": s, "path": p} for s, p in built.files],
            }
            self._write_payload(folder, f"pr-{plat.name}", payload)
        evidence = self._push_evidence(issues)
        for plan in issues:
            payload = {
                "kind": "issue",
                "title": plan.title,
                "body": self._issue_body(plan, evidence, comment=False),
                "labels": plan.labels,
                "files": sorted(plan.evidence),
            }
            self._write_payload(folder, f"issue-{plan.platform}-{plan.problem}", payload)
        self.log(f"dry run: wrote {len(self.result.dry_run_files)} file(s) to {folder}; no remote was touched")

    def _write_payload(self, folder: Path, stem: str, payload: dict[str, Any]) -> None:
        data = self.scrub(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        body = self.scrub(str(payload["body"]))
        for path, text in ((folder / f"{stem}.json", data), (folder / f"{stem}.md", body)):
            path.write_text(text, encoding="utf-8")
            self.result.dry_run_files.append(path)
        self.log(f"dry run: {payload['kind'].replace('_', ' ')} {payload['title']!r} -> {folder / stem}.json")


# --------------------------------------------------------------------------- helpers


def _healed(plat: _Platform, problem: str) -> bool:
    """Did this run walk far enough to know the problem is gone?"""
    verdicts = {c.verdict for c in plat.changes}
    if Verdict.BLOCKED in verdicts:
        return False
    if problem == "target-gone":
        return Verdict.TARGET_GONE not in verdicts and Verdict.SKIPPED not in verdicts
    return True


def _json_field(data: bytes, key: str) -> str | None:
    try:
        value = json.loads(data).get(key)
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _fence(lines: Iterable[str], lang: str = "diff") -> Md:
    """A fenced code block the text cannot close; nothing inside is a mention, a link or markup."""
    text = "\n".join(_CONTROL.sub("", line) for line in lines)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Md(f"{fence}{lang}\n{text}\n{fence}")


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
    lines = [f"- {clean(old)}", f"+ {clean(new)}"]
    if ev.role:
        lines += [f"- role: {clean(ev.role.old)}", f"+ role: {clean(ev.role.new)}"]
    return _fence(lines)


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
