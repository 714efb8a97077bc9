"""Links to the repository work wherever the site is built: --repo, GITHUB_REPOSITORY, or git's origin."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from monitor.publish.remote import RepoError, repo_url


def _git_repo(path: Path, origin: str | None) -> Path:
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    if origin:
        subprocess.run(["git", "-C", str(path), "remote", "add", "origin", origin], check=True)
    return path


@pytest.mark.parametrize(
    "origin",
    [
        "git@github.com:octo-org/optout-fork.git",
        "https://github.com/octo-org/optout-fork",
        "ssh://git@github.com/octo-org/optout-fork.git",
    ],
)
def test_a_site_built_on_a_laptop_links_the_repository_of_gits_origin(tmp_path: Path, origin: str) -> None:
    root = _git_repo(tmp_path / "r", origin)
    assert repo_url(root, None, {}) == "https://github.com/octo-org/optout-fork"


def test_the_option_wins_over_the_environment_and_the_remote(tmp_path: Path) -> None:
    root = _git_repo(tmp_path / "r", "git@github.com:octo-org/optout-fork.git")
    env = {"GITHUB_REPOSITORY": "someone/else", "GITHUB_SERVER_URL": "https://ghe.example"}
    assert repo_url(root, "me/mine", env) == "https://ghe.example/me/mine"
    assert repo_url(root, None, env) == "https://ghe.example/someone/else"
    assert repo_url(root, "https://codeberg.org/me/mine/", env) == "https://codeberg.org/me/mine"


def test_no_remote_and_no_setting_leaves_the_links_out(tmp_path: Path) -> None:
    assert repo_url(_git_repo(tmp_path / "r", None), None, {}) is None
    assert repo_url(_git_repo(tmp_path / "b", str(tmp_path / "bare.git")), None, {}) is None
    assert repo_url(tmp_path / "not-a-repo", None, {}) is None


def test_a_bad_repo_option_is_named(tmp_path: Path) -> None:
    with pytest.raises(RepoError, match=r"--repo 'not a repo'.*owner/name"):
        repo_url(tmp_path, "not a repo", {})
