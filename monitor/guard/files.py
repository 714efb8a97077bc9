"""Every file the monitor writes goes through here: a temporary file, fsync, then one rename.

A reader (git, a person, the next run) sees the old bytes or the new ones, never half a file, and
a file whose bytes did not change is not touched, so an unchanged run leaves no trace
(docs/decisions/0010-never-lose-a-file.md)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def naming(path: Path) -> Iterator[None]:
    """An OSError without a file name (a full disk while writing) gets this path, for the one-line error."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def write_atomic(path: Path, data: bytes) -> bool:
    """Write data to path through a temporary file and a rename; False when the bytes were already there."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    with naming(path):
        return _write_atomic(path, data)


def _write_atomic(path: Path, data: bytes) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; these files are for git and people
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def remove(path: Path) -> bool:
    """Remove a file the monitor wrote and no longer needs; False when it was already gone."""
    with naming(path):
        try:
            path.unlink()
        except FileNotFoundError:
            return False
    return True


def remove_empty_folders(root: Path, *, and_root: bool = False) -> None:
    """Folders under root left empty by remove(), deepest first; root itself stays unless `and_root`
    (a folder the caller owns whole, such as instructions/images) and it is empty too."""
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if and_root and root.is_dir() and not any(root.iterdir()):
        root.rmdir()
