"""Writes docs/architecture.md from the code: each package's docstring, its modules, and the picture of
who uses whom, drawn from the imports, so the map cannot drift from the house (a test checks it)."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "monitor"
# The stages, in the order a run goes through them; the top-level modules sit around them.
STAGES = ("guard", "walk", "judge", "write", "publish")
# The replica is the stand-in for Meta's pages, not part of the monitor's pipeline.
STAND_IN = "replica"


@dataclass
class Module:
    name: str  # dotted, e.g. monitor.walk.journey
    path: Path
    lines: int
    doc: str
    imports: set[str] = field(default_factory=set)  # monitor modules it imports (anywhere in the file)
    outside: set[str] = field(default_factory=set)  # top-level names of everything else it imports
    tree: ast.Module = field(default_factory=lambda: ast.Module(body=[], type_ignores=[]))

    @property
    def group(self) -> str:
        """The node it belongs to in the picture: its subpackage, or itself at the top level."""
        parts = self.name.split(".")
        return parts[1] if len(parts) > 1 else "monitor"


def dotted(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Module]:
    """Every module of the package, with the monitor modules and the outside packages it imports."""
    found: dict[str, Module] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        name = dotted(path)
        found[name] = Module(name, path, len(source.splitlines()), ast.get_docstring(tree) or "", tree=tree)
    for mod in found.values():
        is_package = mod.path.name == "__init__.py"
        for node in ast.walk(mod.tree):
            for target in _targets(node, mod.name, is_package):
                if target.startswith("monitor"):
                    resolved = _resolve(target, found)
                    if resolved and resolved != mod.name:
                        mod.imports.add(resolved)
                else:
                    mod.outside.add(target.split(".")[0])
    return found


def _targets(node: ast.AST, here: str, is_package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = here.split(".")
            anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            yield f"{base}.{alias.name}"  # a submodule, or a name in base: _resolve tells


def _resolve(target: str, found: dict[str, Module]) -> str | None:
    while target and target not in found:
        target = target.rpartition(".")[0]
    return target or None


def groups(found: dict[str, Module]) -> dict[str, set[str]]:
    """Node -> the nodes it uses (package-level edges, the replica left out)."""
    edges: dict[str, set[str]] = {}
    for mod in found.values():
        if mod.group in (STAND_IN, "monitor"):
            continue
        edges.setdefault(mod.group, set())
        for other in mod.imports:
            group = found[other].group
            if group not in (mod.group, STAND_IN, "monitor"):
                edges[mod.group].add(group)
    return edges


def layers(edges: dict[str, set[str]]) -> list[list[str]]:
    """Nodes by layer: a node sits one above the highest node it uses. ValueError on a cycle."""
    level: dict[str, int] = {}

    def depth(node: str, seen: tuple[str, ...]) -> int:
        if node in seen:
            raise ValueError(" -> ".join([*seen[seen.index(node) :], node]))
        if node not in level:
            level[node] = 1 + max((depth(n, (*seen, node)) for n in edges.get(node, ())), default=-1)
        return level[node]

    for node in edges:
        depth(node, ())
    out: list[list[str]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for node, n in level.items():
        out[n].append(node)
    return [sorted(layer) for layer in out]


def cycles(found: dict[str, Module]) -> list[list[str]]:
    """Import cycles between modules (strongly connected components of more than one module; Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(found[v].imports):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(found):
        if v not in index:
            visit(v)
    return out


def _name(mod: Module) -> str:
    return mod.name


def _first(doc: str) -> str:
    return " ".join(doc.split("\n\n")[0].split())


def render() -> str:
    found = modules()
    edges = groups(found)
    stack = layers(edges)
    parts = [
        "# Architecture",
        "",
        "Generated by `scripts/gen_architecture.py` from the code (docstrings and imports); do not edit.",
        "Why it is cut this way: [decisions/0019-packages-by-pipeline-stage.md](decisions/0019-packages-by-pipeline-stage.md).",
        "",
        "A run goes **walk → judge → store → write → publish**, with **guard** at every edge. Each",
        "stage is a package; the modules that tie the stages together (the records, the journey file,",
        "the baseline, the commands) sit at the top. `judge/` and `write/` are pure functions of",
        "records: only `walk/` drives the browser, only `publish/` talks to git and GitHub, and every",
        "file goes out through `guard/files.py` (tests/test_architecture.py holds the house to this).",
        "",
        "## Who uses whom",
        "",
        "An arrow `A --> B` means A imports B. Drawn from the imports; no cycle, between modules or",
        "between these boxes.",
        "",
        "```mermaid",
        "flowchart TD",
    ]
    for node in sorted(edges):
        shape = f"{node}/" if node in STAGES else f"{node}.py"
        parts.append(f'  {node}["{shape}"]')
    for node in sorted(edges):
        parts += [f"  {node} --> {other}" for other in sorted(edges[node])]
    parts += ["```", "", "Layers (each uses only the layers below it):", ""]
    for n, layer in reversed(list(enumerate(stack))):
        names = ", ".join(f"`{x}/`" if x in STAGES else f"`{x}.py`" for x in layer)
        parts.append(f"{n}. {names}")
    parts += ["", "## The packages", ""]
    for stage in STAGES:
        package = found[f"monitor.{stage}"]
        parts += [f"### `monitor/{stage}/`", "", _first(package.doc), ""]
        parts += ["| module | lines | what it is for |", "|---|---:|---|"]
        for mod in sorted((m for m in found.values() if m.group == stage and m.path.name != "__init__.py"), key=_name):
            parts.append(f"| `{mod.path.name}` | {mod.lines} | {_first(mod.doc)} |")
        parts.append("")
    parts += ["### At the top: what ties the stages together", ""]
    parts += ["| module | lines | what it is for |", "|---|---:|---|"]
    for mod in sorted(
        (m for m in found.values() if m.name.count(".") == 1 and m.group not in (*STAGES, STAND_IN)), key=_name
    ):
        parts.append(f"| `{mod.path.name}` | {mod.lines} | {_first(mod.doc)} |")
    replica = found[f"monitor.{STAND_IN}"]
    parts += ["", f"### `monitor/{STAND_IN}/`", "", _first(replica.doc), ""]
    return "\n".join(parts)


if __name__ == "__main__":
    target = ROOT / "docs" / "architecture.md"
    target.write_text(render() + "\n", encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
