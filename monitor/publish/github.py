"""Talking to GitHub for `publish`: the errors of publishing, the github3.py client, retries and back-off.

Every failure of `publish` is a `PublishError` whose message says what to do about it:

    PublishError                     (anything publish could not do; str() carries the fix)
    ├── SetupError                   a missing GITHUB_TOKEN / GITHUB_REPOSITORY, no git origin, a bad --base
    ├── UnsafeError                  refused: it would push to the base branch or overwrite someone's commits
    ├── GitError                     a git command failed (the command and git's own words, token scrubbed)
    │   └── PushRejectedError        origin refused the push twice, once more after a re-fetch and rebuild
    └── ApiError                     GitHub's REST API said no (.status, .github_message)
        ├── AuthError                401: the token is missing, wrong or expired
        ├── ForbiddenError           403: the token may not do this (workflow permissions, token scopes)
        │   └── ActionsNotPermittedError  403: "GitHub Actions is not permitted to create … pull requests"
        ├── NotFoundError            404: the repository name, or a token that cannot see it
        ├── ValidationError          422: GitHub's own validation message (e.g. a PR already exists)
        ├── RateLimitError           403/429 rate limit, still limited after the bounded wait
        ├── ServerError              5xx, still failing after one retry
        └── NetworkError             the API could not be reached at all (names GITHUB_API_URL)

The client's session retries by itself: rate limits (429, or 403 with `X-RateLimit-Remaining: 0` or
`Retry-After`) are waited out as the headers say when the wait fits in `Limits.max_wait`; a 5xx is
retried once after `Limits.server_retry_wait`, except for POSTs that create something (a pull request,
an issue, a comment), which publish retries itself after checking that the first attempt did not land.

The token is never part of a message: `Scrubber` replaces it (and its base64 forms) with `***` in
every message and log line, as a last defence behind never putting it in a URL or an argument.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import github3
import requests
from github3 import exceptions as gh_exc
from github3.session import GitHubSession

DEFAULT_API_URL = "https://api.github.com"
ACTIONS_PR_MESSAGE = "GitHub Actions is not permitted to create or approve pull requests"


# --------------------------------------------------------------------------- errors


class PublishError(Exception):
    """Publishing failed; the message names what failed and how to fix it."""


class SetupError(PublishError):
    """The environment or the repository is not set up for publishing."""


class UnsafeError(PublishError):
    """Refused: the operation could destroy or bypass someone's work."""


class GitError(PublishError):
    """A git command failed."""


class PushRejectedError(GitError):
    """origin refused the push, also after a re-fetch and rebuild."""


class ApiError(PublishError):
    """GitHub's REST API answered with an error."""

    def __init__(self, message: str, status: int | None = None, github_message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.github_message = github_message


class AuthError(ApiError):
    """401."""


class ForbiddenError(ApiError):
    """403 that is not a rate limit."""


class ActionsNotPermittedError(ForbiddenError):
    """403: the repository does not let GitHub Actions create pull requests."""


class NotFoundError(ApiError):
    """404."""


class ValidationError(ApiError):
    """422."""


class RateLimitError(ApiError):
    """Rate limited for longer than publish may wait."""


class ServerError(ApiError):
    """5xx after a retry."""


class NetworkError(ApiError):
    """The API could not be reached."""


# --------------------------------------------------------------------------- secrets


class Scrubber:
    """Replaces secrets (and their base64 and URL-userinfo forms) with *** in any text."""

    def __init__(self, secrets: Iterable[str | None] = (), redact: Callable[[str], str] | None = None) -> None:
        self._secrets: list[str] = []
        self._redact = redact  # the account's identity out of every text that leaves (redact.py)
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < 4:
            return
        forms = {secret}
        for prefix in ("", "x-access-token:", "x-oauth-basic:", ":"):
            forms.add(base64.b64encode(f"{prefix}{secret}".encode()).decode().rstrip("="))
        for form in forms:
            if form not in self._secrets:
                self._secrets.append(form)
        self._secrets.sort(key=len, reverse=True)

    def __call__(self, text: object) -> str:
        s = str(text)
        for secret in self._secrets:
            s = s.replace(secret, "***")
        # credentials written into a URL (https://user:secret@host) never leave, whatever they are
        s = re.sub(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@", r"\1***@", s)
        return self._redact(s) if self._redact is not None else s


# --------------------------------------------------------------------------- limits and the session


@dataclass(frozen=True)
class Limits:
    """How long publish may wait for GitHub; tests pass tiny values and a fake sleep."""

    max_wait: float = 300.0  # seconds one rate-limit wait may last; longer ones fail at once
    rate_limit_retries: int = 2  # waits per request before giving up
    server_retry_wait: float = 2.0  # seconds before the one retry of a 5xx
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


def rate_limit_wait(response: requests.Response, now: float | None = None) -> float | None:
    """Seconds GitHub asks to wait when the response is a rate limit; None when it is not one."""
    status = response.status_code
    headers = response.headers
    if status not in (403, 429):
        return None
    retry_after = headers.get("Retry-After")
    remaining = headers.get("X-RateLimit-Remaining")
    text = _github_message(response).lower()
    limited = status == 429 or retry_after is not None or remaining == "0" or "rate limit" in text
    if not limited:
        return None
    if retry_after is not None:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            pass
    reset = headers.get("X-RateLimit-Reset")
    if reset is not None:
        try:
            return max(0.0, float(reset) - (time.time() if now is None else now))
        except ValueError:
            pass
    return 60.0  # GitHub's advice for a secondary rate limit without headers


_CREATES = re.compile(r"/(pulls|issues|comments)/?$")


class RetryingSession(GitHubSession):  # type: ignore[misc]
    """github3's session, plus bounded waits on rate limits and one retry of a 5xx."""

    def __init__(self, limits: Limits, log: Callable[[str], None]) -> None:
        super().__init__(default_connect_timeout=limits.connect_timeout, default_read_timeout=limits.read_timeout)
        self.limits = limits
        self.log = log

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        waits = 0
        server_retried = False
        while True:
            response: requests.Response = super().request(method, url, *args, **kwargs)
            wait = rate_limit_wait(response)
            if wait is not None:
                if waits >= self.limits.rate_limit_retries or wait > self.limits.max_wait:
                    return response
                waits += 1
                self.log(f"GitHub rate limit on {method} {_path(url)}: waiting {wait:.0f} s as its headers say")
                self.limits.sleep(wait)
                continue
            if response.status_code >= 500 and not server_retried and not _is_create(method, url):
                server_retried = True
                self.log(f"GitHub answered {response.status_code} to {method} {_path(url)}; retrying once")
                self.limits.sleep(self.limits.server_retry_wait)
                continue
            return response


def _is_create(method: str, url: str) -> bool:
    return method.upper() == "POST" and _CREATES.search(url.split("?", 1)[0]) is not None


def _path(url: str) -> str:
    return re.sub(r"^[a-z]+://[^/]+", "", url)


# --------------------------------------------------------------------------- the client


@dataclass(frozen=True)
class Endpoint:
    """Where the API and the web pages of a GitHub live."""

    api_url: str
    server_url: str
    enterprise: bool

    @classmethod
    def from_env(cls, api_url: str | None, server_url: str | None) -> Endpoint:
        api = (api_url or DEFAULT_API_URL).rstrip("/")
        if not re.match(r"^https?://[^/\s]+", api):
            raise SetupError(
                f"GITHUB_API_URL is {api!r}, not an http(s) URL; unset it for github.com or give "
                "https://HOST/api/v3 for GitHub Enterprise Server"
            )
        enterprise = api.endswith("/api/v3")
        if server_url:
            server = server_url.rstrip("/")
        elif api == DEFAULT_API_URL:
            server = "https://github.com"
        elif enterprise:
            server = api[: -len("/api/v3")]
        else:
            server = re.sub(r"^(https?://[^/]+).*$", r"\1", api)
        return cls(api, server, enterprise)


def connect(endpoint: Endpoint, token: str, limits: Limits, log: Callable[[str], None]) -> github3.GitHub:
    """A github3 client for github.com, GitHub Enterprise (`…/api/v3`) or any other API base URL."""
    session = RetryingSession(limits, log)
    if endpoint.enterprise:
        # GitHubEnterprise(url) appends /api/v3 itself
        return github3.GitHubEnterprise(endpoint.api_url[: -len("/api/v3")], token=token, session=session)
    gh = github3.GitHub(token=token, session=session)
    gh.session.base_url = endpoint.api_url
    return gh


# --------------------------------------------------------------------------- translating github3's errors


def _github_message(response: requests.Response | None) -> str:
    if response is None:
        return ""
    try:
        data = response.json()
    except ValueError:
        return response.text[:300].strip()
    if not isinstance(data, dict):
        return ""
    message = str(data.get("message") or "")
    details = []
    for err in data.get("errors") or []:
        if isinstance(err, dict):
            details.append(
                str(
                    err.get("message")
                    or f"{err.get('resource', '')} {err.get('field', '')} {err.get('code', '')}".strip()
                )
            )
        else:
            details.append(str(err))
    if details:
        message = f"{message} ({'; '.join(d for d in details if d)})"
    return message


def translate(
    exc: Exception, doing: str, endpoint: Endpoint, repo: str, limits: Limits, repo_read: bool = False
) -> PublishError:
    """A github3 or requests exception raised while `doing` something, as a PublishError with its fix.

    repo_read: the repository itself was read successfully in this run, so a 404 is not about its name."""
    if isinstance(exc, PublishError):
        return exc
    if isinstance(exc, gh_exc.ConnectionError | requests.ConnectionError | requests.Timeout):
        return NetworkError(
            f"cannot reach the GitHub API at {endpoint.api_url} while {doing}: {_reason(exc)}. "
            "Check GITHUB_API_URL (unset for github.com; https://HOST/api/v3 for GitHub Enterprise Server) "
            "and the runner's network or proxy settings, then re-run."
        )
    if isinstance(exc, gh_exc.TransportError):
        return NetworkError(f"talking to the GitHub API at {endpoint.api_url} failed while {doing}: {_reason(exc)}")
    response: requests.Response | None = getattr(exc, "response", None)
    if not isinstance(exc, gh_exc.GitHubError) or response is None:
        return ApiError(f"unexpected answer from the GitHub API at {endpoint.api_url} while {doing}: {exc}")
    status = response.status_code
    said = _github_message(response) or str(getattr(exc, "msg", "") or "")
    where = f"{response.request.method} {_path(response.url)}" if response.request is not None else doing
    wait = rate_limit_wait(response)
    if wait is not None:
        until = datetime.fromtimestamp(time.time() + wait, UTC).strftime("%H:%M:%S UTC")
        return RateLimitError(
            f"GitHub's rate limit stopped {doing} ({status} on {where}: {said}). GitHub asks to wait "
            f"{wait:.0f} s (until {until}); this run waits at most {limits.max_wait:.0f} s at a time and "
            f"{limits.rate_limit_retries} times. Re-run after {until}, or use a token with a higher limit "
            "(a GitHub App or the workflow's GITHUB_TOKEN rather than a shared personal token).",
            status,
            said,
        )
    if status == 401:
        return AuthError(
            f"GITHUB_TOKEN is missing or expired: GitHub answered 401 ({said or 'Bad credentials'}) to {where} "
            f"while {doing}. Give a valid token in GITHUB_TOKEN (in a workflow: "
            "`env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`); a personal token may have expired or been revoked.",
            status,
            said,
        )
    if status == 403:
        if ACTIONS_PR_MESSAGE.lower() in said.lower():
            return ActionsNotPermittedError(
                f"GitHub refused to open the pull request: {said}. Enable it in the repository's "
                'Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and '
                "approve pull requests\" (for an organisation, allow it in the organisation's settings first), "
                "or publish with a GitHub App or personal token instead of the workflow's GITHUB_TOKEN.",
                status,
                said,
            )
        return ForbiddenError(
            f"the token may not do this: GitHub answered 403 ({said}) to {where} while {doing}. The workflow "
            "needs `permissions: contents: write, pull-requests: write, issues: write`; a fine-grained token "
            f"needs Contents, Pull requests and Issues (read and write) on {repo}.",
            status,
            said,
        )
    if status == 404:
        path = _path(response.url).split("?", 1)[0] if response.url else ""
        github_said = _github_message(response)  # GitHub always says "Not Found" in JSON
        return NotFoundError(
            not_found_message(path, where, doing, github_said, endpoint, repo, repo_read), status, said
        )
    if status == 422:
        return ValidationError(
            f"GitHub rejected {doing}: {said or 'Validation Failed'} (422 on {where}). Fix what GitHub names "
            "above; a pull request that already exists for the branch is found and updated on the next run.",
            status,
            said,
        )
    if status >= 500:
        return ServerError(
            f"GitHub failed with {status} ({said or 'server error'}) on {where} while {doing}, also after one "
            "retry. It is GitHub's side: check https://www.githubstatus.com (or your Enterprise server) and "
            "re-run; nothing is duplicated by re-running.",
            status,
            said,
        )
    return ApiError(f"GitHub answered {status} ({said}) to {where} while {doing}", status, said)


_NUMBERED = re.compile(r"/(pulls|issues)/(\d+)(/comments|/labels)?/?$")


def not_found_message(
    path: str, where: str, doing: str, said: str, endpoint: Endpoint, repo: str, repo_read: bool
) -> str:
    """Each kind of 404 with its own cause and fix: the repository, one pull request or issue, or the API."""
    if not said:  # GitHub always says "Not Found" in JSON; a bare 404 page is some other server
        return (
            f"{endpoint.api_url} answered 404 to {where} while {doing}, and not as GitHub does (no JSON "
            f"message): GITHUB_API_URL ({endpoint.api_url}) may not be "
            "a GitHub API. Unset it for github.com, or give https://HOST/api/v3 for GitHub Enterprise Server."
        )
    head = f"GitHub answered 404 ({said}) to {where} while {doing}"
    numbered = _NUMBERED.search(path)
    if repo_read and numbered:
        kind = "pull request" if numbered.group(1) == "pulls" else "issue or pull request"
        return (
            f"{head}: {kind} #{numbered.group(2)} of {repo} was there when this run listed it and is gone now "
            "(deleted, or transferred to another repository). Re-run publish: it lists again and opens a new "
            "one if needed."
        )
    if repo_read:
        return (
            f"{head}. The repository {repo} itself was readable a moment ago, so GITHUB_REPOSITORY is right: the "
            "token may read the repository but not this (a fine-grained token needs Pull requests and Issues "
            "read and write; a GitHub App needs the same permissions), or the server lacks this endpoint."
        )
    return (
        f"{head}: either GITHUB_REPOSITORY ({repo!r}) is not owner/name of an existing repository, or the "
        "token cannot see it (a private repository needs a token with access to it: `repo` scope, or a "
        "fine-grained token that lists it)."
    )


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "connection refused"
    if "Name or service not known" in text or "NameResolution" in text or "nodename nor servname" in text:
        return "the host name does not resolve"
    if "timed out" in text.lower() or isinstance(exc, requests.Timeout):
        return "timed out"
    return text.splitlines()[0][:200] if text else type(exc).__name__
