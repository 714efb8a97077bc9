"""`include:` in a journey file: a fork adds a page without copying the whole monitor.yaml.

    # my-monitor.yaml
    include: [monitor.yaml]          # paths relative to this file; several are merged in order
    journeys:
      - id: facebook-terms           # added (a journey with an included id replaces that journey)
        site: facebook
        ...

Merging: mappings merge key by key (a fork can change one timeout or add one site); `journeys`
merge by id, `masks` are appended; any other value (a scalar, any other list) replaces the
included one. An include cycle, or an included file that is missing or not a mapping, is an error
that names the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

Reader = Callable[[Path], dict[str, Any]]  # a file -> its plain mapping (raises on a broken file)

BY_ID = ("journeys",)
APPENDED = ("masks",)


class IncludeError(ValueError):
    pass


def expand(data: dict[str, Any], source: Path, read: Reader, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """data with its `include:` files merged underneath it (recursively), without the include key."""
    here = source.resolve()
    if here in seen:
        chain = " -> ".join(str(p) for p in (*seen, here))
        raise IncludeError(f"{source}: include cycle: {chain}")
    raw = data.get("include")
    if raw is None:
        return data
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise IncludeError(f"{source}: include: expected a file name or a list of file names")
    merged: dict[str, Any] = {}
    for name in names:
        path = (source.parent / name).expanduser()
        if not path.is_file():
            raise IncludeError(f"{source}: include: {name!r}: no such file ({path})")
        included = expand(read(path), path, read, (*seen, here))
        merged = merge(merged, included)
    own = {k: v for k, v in data.items() if k != "include"}
    return merge(merged, own)


def merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        old = out.get(key)
        if key in BY_ID and isinstance(old, list) and isinstance(value, list):
            out[key] = _by_id(old, value)
        elif key in APPENDED and isinstance(old, list) and isinstance(value, list):
            out[key] = [*old, *value]
        elif isinstance(old, dict) and isinstance(value, dict):
            out[key] = _deep(old, value)
        else:
            out[key] = value
    return out


def _deep(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        old = out.get(key)
        out[key] = _deep(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return out


def _by_id(base: list[Any], top: list[Any]) -> list[Any]:
    out = list(base)
    index = {item.get("id"): i for i, item in enumerate(out) if isinstance(item, dict)}
    for item in top:
        ident = item.get("id") if isinstance(item, dict) else None
        if ident is not None and ident in index:
            out[index[ident]] = item
        else:
            out.append(item)
    return out
