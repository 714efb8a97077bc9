"""Command-line values turned into checked settings: NAME=VALUE pairs, claimed output folders, the repository."""

from __future__ import annotations

import os
from pathlib import Path

from monitor import config
from monitor.console import fail
from monitor.guard import outdir


def protected(repo: Path, snapshots: Path) -> list[tuple[str, Path]]:
    """Folders an output folder must stay clear of."""
    return [("--snapshots", snapshots), ("the instructions", repo / "instructions"), (outdir.REPOSITORY, repo)]


def claim(
    folder: Path, command: str, option: str, protected: list[tuple[str, Path]], marker: str = outdir.MARKER
) -> None:
    """Take an output folder for a command, or end with the reason it may not be used."""
    try:
        outdir.claim(folder, command, option, protected, marker)
    except outdir.OutputError as exc:
        fail(str(exc), exc.code)


def repo_url_of(root: Path, option: str | None) -> str | None:
    """The web address links point to: --repo, GITHUB_REPOSITORY or git's origin (None: links left out)."""
    from monitor.publish.remote import repo_url  # the publish package loads GitHub's client: only when asked

    return repo_url(root, option, os.environ)


def repo_root(config_path: Path) -> Path:
    """The repository the journey file sits in (where login states must never be written)."""
    start = config_path.resolve().parent
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def pairs(values: list[str], option: str, cfg: config.Config) -> dict[str, str]:
    """--site / --storage-state values as {site: value}, naming the bad value and the known sites."""
    pairs: dict[str, str] = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not rest:
            raise ValueError(f"{option} {value!r}: expected NAME=VALUE")
        if name not in cfg.sites:
            raise ValueError(f"{option} {value!r}: unknown site {name!r}; known: {', '.join(sorted(cfg.sites))}")
        pairs[name] = rest
    return pairs
