"""`pytest -n 2 --dist loadgroup` (make test): a module's tests that share one of its own fixtures
beyond one test (scope module or session, e.g. test_frames' walks) run on one worker, which builds
that fixture once; every other test goes to whichever worker is free.

pytest-xdist 3.8 carries the group to its scheduler in the node id (`<id>@<group>`) and writes it
into `item._nodeid`; pytest 9.2 keeps the id in `item._id`, so that write is lost and every group
is scattered over both workers, each building the module's fixture (pytest-xdist issue #1386).
`name_groups` also puts the name where pytest reads it, when xdist's own write did not; and
`walks_first` hands out the single tests that walk before the quick ones.
This file imports nothing of the project: tests/test_grouping.py runs it as a stand-alone conftest.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

# The fixture of the tests that walk the replica with Chromium (seconds to minutes each).
WALKER = "replica"


def _group(item: pytest.Item) -> str:
    names = {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
    return "_".join(sorted(names))


def mark_shared(items: list[pytest.Item]) -> None:
    """Mark each test that uses a non-function fixture of its own module with xdist_group(module)."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        module = item.nodeid.split("::", 1)[0]
        shared = any(
            d.scope != "function" and d.baseid.startswith(module)
            for defs in info.name2fixturedefs.values()
            for d in defs
        )
        if shared:
            item.add_marker(pytest.mark.xdist_group(module))


def name_groups(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker under --dist loadgroup: give every grouped test the `@group` suffix the
    scheduler groups by, if pytest-xdist's own hook could not (pytest ≥ 9.2 keeps ids in `_id`)."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        group = _group(item)
        if not group or item.nodeid.endswith(f"@{group}"):
            continue
        from _pytest.nodeid import NodeId  # only pytest ≥ 9.2 gets here: older ones took xdist's write

        item._id = NodeId.parse(f"{item.nodeid}@{group}")  # type: ignore[attr-defined]
        if not item.nodeid.endswith(f"@{group}"):
            raise pytest.UsageError(f"cannot name the xdist group of {item.nodeid}: see tests/grouping.py")


def walks_first(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under --dist loadgroup: the tests that walk the replica before those that do not (a stable
    sort: each group keeps its order). The scheduler hands out the groups first (most tests first),
    then single tests in this order, so the last a worker runs while the other waits are short ones,
    not a walk of minutes."""
    if getattr(config.option, "loadgroup", False):
        items.sort(key=lambda item: not _group(item) and WALKER not in getattr(item, "fixturenames", ()))


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> Generator[None]:
    """Mark before every other plugin's hook (xdist's reads the marks), name and order after."""
    mark_shared(items)
    result = yield
    name_groups(config, items)
    walks_first(config, items)
    return result
