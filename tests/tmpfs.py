"""Small real file systems for the OS-error tests: a tmpfs of a given size, or mounted read-only.

Mounting needs root (these machines run the tests as root) or passwordless sudo (GitHub's
runners); the mount is undone when the block ends."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _run(*args: str) -> None:
    command = list(args) if os.geteuid() == 0 else ["sudo", "-n", *args]
    subprocess.run(command, check=True, capture_output=True)


@contextmanager
def tmpfs(where: Path, size: str = "1m") -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=1777", "tmpfs", str(where))
    try:
        yield where
    finally:
        _run("umount", "-l", str(where))


def read_only(where: Path) -> None:
    _run("mount", "-o", "remount,ro", str(where))
