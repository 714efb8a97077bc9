"""The house holds its shape: no import cycle, pure stages stay pure, no room too big, the map is current."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import gen_architecture as arch  # noqa: E402

FOUND = arch.modules()
MONITOR = {name: mod for name, mod in FOUND.items() if mod.group != arch.STAND_IN}
PURE = ("judge", "write")
# What touches the outside, and the only places allowed to import it.
OUTSIDE_HOMES = {
    "playwright": {"walk", "runner"},  # runner only catches a dead browser's error, to lose one walk and not all
    "github3": {"publish"},
    "requests": {"publish"},
    "subprocess": {"publish"},
    "socket": {"guard", "walk"},
    "http": {"walk"},
    "filelock": {"guard", "watch"},
    "schedule": {"watch"},
    "pytesseract": {"guard"},
}
# In the pure stages: nothing that reaches a process, the network, the clock of another or the disk
# (but reading a template or a catalog); files go out through monitor.guard.files.
IMPURE_MODULES = {"os", "shutil", "tempfile", "signal", "threading", "ctypes", "urllib.request"}
WRITING_CALLS = {"write_text", "write_bytes", "unlink", "rmdir", "mkdir", "rename", "touch", "chmod", "rmtree"}


def test_no_module_imports_itself_back_through_others() -> None:
    assert arch.cycles(FOUND) == []


def test_the_stages_and_top_modules_form_layers_without_a_cycle() -> None:
    layers = arch.layers(arch.groups(FOUND))
    assert layers and "guard" in layers[0]


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path) -> None:
    a = arch.Module("monitor.a", tmp_path / "a.py", 1, "", imports={"monitor.b"})
    b = arch.Module("monitor.b", tmp_path / "b.py", 1, "", imports={"monitor.a"})
    assert arch.cycles({"monitor.a": a, "monitor.b": b}) == [["monitor.a", "monitor.b"]]
    with pytest.raises(ValueError, match=r"a -> b -> a|b -> a -> b"):
        arch.layers({"a": {"b"}, "b": {"a"}})


def test_guard_depends_on_no_other_stage() -> None:
    leaks = {n: sorted(FOUND[o].group for o in m.imports) for n, m in MONITOR.items() if m.group == "guard"}
    assert {n: [g for g in gs if g != "guard"] for n, gs in leaks.items()} == {n: [] for n in leaks}


@pytest.mark.parametrize("stage", [*PURE, "walk"])
def test_a_stage_never_reaches_forward_into_publishing_or_the_commands(stage: str) -> None:
    forward = {"publish", "runner", "cycle", "cli", "console", "update", "aggregate", "watch"}
    if stage in PURE:
        forward.add("walk")
    bad = sorted(
        f"{n} imports {o}"
        for n, m in MONITOR.items()
        if m.group == stage
        for o in m.imports
        if FOUND[o].group in forward
    )
    assert bad == []


def test_the_outside_world_is_imported_only_at_its_edges() -> None:
    bad = sorted(
        f"{n} imports {lib}"
        for n, m in MONITOR.items()
        for lib in m.outside
        if lib in OUTSIDE_HOMES and m.group not in OUTSIDE_HOMES[lib]
    )
    assert bad == []


@pytest.mark.parametrize("stage", PURE)
def test_judging_and_writing_touch_no_process_network_or_disk(stage: str) -> None:
    bad: list[str] = []
    for name, mod in MONITOR.items():
        if mod.group != stage:
            continue
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.Import):
                bad += [f"{name} imports {a.name}" for a in node.names if _impure(a.name)]
            elif isinstance(node, ast.ImportFrom) and node.module and _impure(node.module):
                bad.append(f"{name} imports from {node.module}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in WRITING_CALLS:
                    bad.append(f"{name}:{node.lineno} calls .{node.func.attr}() (write through monitor.guard.files)")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                bad.append(f"{name}:{node.lineno} calls open()")
    assert bad == []


def _impure(module: str) -> bool:
    return module in IMPURE_MODULES or module.split(".")[0] in OUTSIDE_HOMES


def test_the_purity_check_would_see_a_write(tmp_path: Path) -> None:
    tree = ast.parse("from pathlib import Path\nPath('x').write_text('y')\nimport subprocess\n")
    calls = [n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    assert "write_text" in calls and any(
        _impure(a.name) for n in tree.body if isinstance(n, ast.Import) for a in n.names
    )


def test_no_module_over_600_lines_and_no_class_over_300() -> None:
    long_modules = sorted(f"{m.path.relative_to(ROOT)}: {m.lines}" for m in MONITOR.values() if m.lines > 600)
    long_classes = sorted(
        f"{m.path.relative_to(ROOT)}:{c.name}: {c.end_lineno - c.lineno + 1}"
        for m in MONITOR.values()
        for c in ast.walk(m.tree)
        if isinstance(c, ast.ClassDef) and c.end_lineno is not None and c.end_lineno - c.lineno + 1 > 300
    )
    assert (long_modules, long_classes) == ([], [])


def test_every_package_and_module_says_what_it_is_for() -> None:
    assert sorted(n for n, m in MONITOR.items() if not m.doc and not n.endswith("__main__")) == []


def test_the_architecture_map_is_generated_and_current() -> None:
    assert (ROOT / "docs/architecture.md").read_text(encoding="utf-8") == arch.render() + "\n", (
        "docs/architecture.md is stale: run `.venv/bin/python scripts/gen_architecture.py`"
    )
