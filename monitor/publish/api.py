"""The repository on GitHub as publish talks to it: every call, comment and close goes through here.

A failure becomes the PublishError (github.py) that says what was being done and how to fix it; a
comment is posted once even when GitHub fails after taking it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import requests
from github3.exceptions import GitHubException

from monitor.publish.context import Action, PublishResult
from monitor.publish.github import Limits, ServerError, translate
from monitor.publish.settings import Settings

T = TypeVar("T")


class Api:
    """Calls on the repository (`repo`, github3's object; None in a dry run, which never calls)."""

    def __init__(self, settings: Settings, limits: Limits, log: Callable[[str], None], result: PublishResult) -> None:
        self.settings = settings
        self.limits = limits
        self.log = log
        self.result = result
        self.repo: Any = None

    def call(self, doing: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except (GitHubException, requests.RequestException) as exc:
            raise translate(
                exc, doing, self.settings.endpoint, self.settings.repo, self.limits, repo_read=self.repo is not None
            ) from None

    def comment(self, target: Any, body: str, doing: str) -> None:
        """Post a comment once: after a 5xx, look whether it landed before trying again."""
        try:
            self.call(doing, target.create_comment, body)
        except ServerError:
            number = getattr(target, "number", "?")
            lister = target.issue_comments if hasattr(target, "issue_comments") else target.comments
            existing = self.call(f"reading the comments of #{number}", lambda: list(lister()))
            if any((getattr(c, "body", "") or "").strip() == body.strip() for c in existing):
                self.log(f"GitHub failed while {doing}, but the comment landed; not posting it twice")
                return
            self.log(f"GitHub failed while {doing}; trying once more")
            self.call(doing, target.create_comment, body)

    def close_with_comment(
        self, platform: str, item: Any, kind: str, body: str, close: Callable[..., Any], why: str
    ) -> str:
        """Say why, then close a pull request (kind "PR") or an issue; returns its URL."""
        name = "pull request" if kind == "PR" else kind
        self.comment(item, body, f"commenting on {name} #{item.number}")
        self.call(f"closing {name} #{item.number}", close, state="closed")
        url = str(item.html_url)
        self.result.actions.append(Action(platform, f"closed {kind}", url, why))
        return url
