"""The repository's web address, for the links the feeds and the site write ("Tell us", the facts, commits).

From --repo, else GitHub Actions' GITHUB_REPOSITORY, else git's origin remote: so a site built on a
laptop links the same issues and files as one built by the workflow.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

_OWNER_NAME = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


class RepoError(ValueError):
    """--repo names no repository."""


def repo_from_url(url: str) -> str:
    """owner/name of a GitHub remote URL (https, ssh or scp-like), or "" for anything else."""
    m = re.search(r"(?:[:/])([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$", url)
    if m and "github" in url.lower():
        return f"{m.group(1)}/{m.group(2)}"
    return ""


def repo_url(root: Path, option: str | None, env: Mapping[str, str]) -> str | None:
    """The repository's web address, or None when nothing names one (the links are then left out)."""
    server = (env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/")
    if option:
        value = option.strip().rstrip("/")
        if value.startswith(("https://", "http://")):
            return value
        if not _OWNER_NAME.fullmatch(value):
            raise RepoError(f"--repo {option!r}: expected owner/name (e.g. octo-org/optout-monitor) or an https:// URL")
        return f"{server}/{value}"
    named = (env.get("GITHUB_REPOSITORY") or "").strip()
    if _OWNER_NAME.fullmatch(named):
        return f"{server}/{named}"
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "remote", "get-url", "origin"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = repo_from_url(proc.stdout.strip()) if proc.returncode == 0 else ""
    return f"{server}/{found}" if found else None
