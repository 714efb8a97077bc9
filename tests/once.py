"""Build an expensive session fixture once per pytest run, even under pytest-xdist (`-n 2`).

Each xdist worker has its own session, so a plain session fixture (the full-matrix walk, its
OCR-gated baseline) would be built by every worker. Here the first worker to ask builds it in the
run's common temporary folder under a file lock; the others wait for it and read what it wrote.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock


def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder every worker of this run sees: the base temp itself without xdist, its
    parent (the controller's) under xdist, where each worker's base is `<root>/popen-gwN`."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder `name`, filled by build(folder) exactly once per run; every caller gets it
    complete. A build that raised leaves no `.done` mark, so the next caller builds it afresh."""
    root = shared_root(tmp_path_factory)
    folder, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder
