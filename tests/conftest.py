"""Shared fixtures: the replica on a free port, its login states, one full check of everything."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from monitor import config, runner, store
from monitor.model import Walk
from monitor.replica import make_server, storage_state
from monitor.replica.proxy import MutationProxy
from monitor.walk.browser import StandIns

from . import once
from .grouping import pytest_collection_modifyitems  # noqa: F401  (a hook: see tests/grouping.py)

ROOT = Path(__file__).resolve().parent.parent
# The replica's account, painted over like a real test account's name (monitor.yaml: text_env).
os.environ["OPTOUT_MASK_TEXT"] = "Jane Example|jane.example"


@dataclass
class Replica:
    server: object
    url: str
    states: dict[str, str]

    @property
    def stand_ins(self) -> StandIns:
        return StandIns({"facebook": self.url, "instagram": self.url})

    @property
    def site_args(self) -> list[str]:
        args: list[str] = []
        for site in ("facebook", "instagram"):
            args += ["--site", f"{site}={self.url}", "--storage-state", f"{site}={self.states[site]}"]
        return args

    def set_variant(self, name: str) -> None:
        self.server.variant = name  # type: ignore[attr-defined]


def serving(server: MutationProxy) -> Iterator[MutationProxy]:
    """A fixture's body: the proxy serves on its own thread until the fixture ends."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def cfg() -> config.Config:
    return config.load(ROOT / "monitor.yaml")


@pytest.fixture(scope="session")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    server = make_server(0, "baseline-2025")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    folder = tmp_path_factory.mktemp("login")
    states = {}
    for site in ("facebook", "instagram"):
        path = folder / f"{site}.json"
        path.write_text(json.dumps(storage_state(site)))
        states[site] = str(path)
    try:
        yield Replica(server, f"http://127.0.0.1:{server.server_port}", states)
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class FullRun:
    out: Path
    walks: list[Walk]

    def walk(self, journey: str, locale: str, viewport: str) -> Walk:
        return next(w for w in self.walks if (w.journey, w.locale, w.viewport) == (journey, locale, viewport))


# The suite's full matrix walks these locales, named here rather than "every locale in monitor.yaml":
# each added language would otherwise add 12 walks (and their OCR) to every test session.
FULL_MATRIX_LOCALES = ("en", "fr", "de")
WALKS = TypeAdapter(list[Walk])


@pytest.fixture(scope="session")
def full_run(cfg: config.Config, replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> FullRun:
    """Every journey × viewport of monitor.yaml in FULL_MATRIX_LOCALES, walked once per pytest run
    (once in all, under xdist too: tests/once.py) against baseline-2025. Read-only for tests."""

    def walk_all(folder: Path) -> None:
        replica.set_variant("baseline-2025")
        check = runner.Check(cfg, "monitor.yaml", replica.stand_ins, replica.states, workers=2)
        walks = check.run(runner.plan(cfg, locales=FULL_MATRIX_LOCALES), folder / "out")
        (folder / "walks.json").write_bytes(WALKS.dump_json(walks))

    folder = once.built(tmp_path_factory, "full-run", walk_all)
    return FullRun(folder / "out", WALKS.validate_json((folder / "walks.json").read_bytes()))


@pytest.fixture(scope="session")
def baseline_dir(full_run: FullRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unchanged replica's full run, accepted into a scratch baseline (read-only for tests); the
    OCR gate reads its images once per pytest run."""

    def accept(snaps: Path) -> None:
        store.accept(full_run.out, snaps)

    return once.built(tmp_path_factory, "baseline", accept)


@pytest.fixture(scope="session")
def baseline(baseline_dir: Path) -> store.Tree:
    return store.read_tree(baseline_dir)
