"""Nodes, generated class names and the HTML shell.

Pages are trees of JSON nodes ({t, c, a, k, x, r}) that static/render.js turns
into DOM after load. Class names are meaningless and derived from (seed,
component) with a hash, so they are stable for one variant and differ between
variants, like Meta's atomic CSS between releases.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from importlib import resources
from typing import Any, TypeAlias

from .styles import NARROW, RULES, THEME

Node: TypeAlias = dict[str, Any]
Kid: TypeAlias = "Node | str | Sequence[Kid] | None"
AttrValue: TypeAlias = str | int | bool | None

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.-]+)\}")


def _base36(value: int) -> str:
    out = ""
    while True:
        value, digit = divmod(value, 36)
        out = _ALPHABET[digit] + out
        if not value:
            return out


@lru_cache(maxsize=8192)
def component_classes(seed: str, component: str) -> tuple[str, ...]:
    """2-4 atomic-looking class names ("x1n2onr6") for one component under one seed."""
    digest = hashlib.sha256(f"{seed}\x00{component}".encode()).digest()
    count = 2 + digest[0] % 3
    return tuple("x" + _base36(int.from_bytes(digest[1 + 4 * i : 5 + 4 * i], "big")) for i in range(count))


def _flatten(kids: Sequence[Kid], out: list[Node | str]) -> list[Node | str]:
    for kid in kids:
        if kid is None or kid == "":
            continue
        if isinstance(kid, str | dict):
            out.append(kid)
        else:
            _flatten(kid, out)
    return out


class Builder:
    """Makes nodes whose class names come from the variant's seed."""

    def __init__(self, seed: str) -> None:
        self.seed = seed

    def classes(self, components: str) -> str:
        return " ".join(c for comp in components.split() for c in component_classes(self.seed, comp))

    def __call__(
        self,
        tag: str,
        comp: str = "",
        *kids: Kid,
        on: Sequence[str] | None = None,
        ref: str | None = None,
        **attrs: AttrValue,
    ) -> Node:
        node: Node = {"t": tag}
        if comp:
            node["c"] = self.classes(comp)
        clean: dict[str, str | int | bool] = {}
        for key, value in attrs.items():
            if value is None or value is False:
                continue
            clean[key.rstrip("_").replace("_", "-")] = value
        if clean:
            node["a"] = clean
        children = _flatten(kids, [])
        if children:
            node["k"] = children
        if on:
            node["x"] = list(on)
        if ref:
            node["r"] = ref
        return node


def stylesheet(seed: str, theme_overrides: Mapping[str, str]) -> str:
    def selector(template: str) -> str:
        return _PLACEHOLDER.sub(lambda m: "." + component_classes(seed, m.group(1))[0], template)

    theme = {**THEME, **theme_overrides}
    parts = [":root{" + "".join(f"{k}:{v};" for k, v in theme.items()) + "}"]
    parts += [f"{selector(sel)}{{{decl}}}" for sel, decl in RULES]
    parts.append("@media (max-width: 700px){")
    parts += [f"{selector(sel)}{{{decl}}}" for sel, decl in NARROW]
    parts.append("}")
    return "\n".join(parts)


@lru_cache(maxsize=1)
def renderer_js() -> str:
    return resources.files(__package__).joinpath("static/render.js").read_text(encoding="utf-8")


@dataclass
class Page:
    """What a page function returns: the tree, its popups and form rules."""

    title: str
    root: Node
    popups: dict[str, dict[str, Any]] = field(default_factory=dict)
    validate: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: int = 200


def json_for_script(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def html_document(
    *,
    lang: str,
    title: str,
    seed: str,
    theme: Mapping[str, str],
    html_id: str,
    body_class: str,
    payload: Mapping[str, Any],
    mount: str,
) -> bytes:
    doc = (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}" id="{html_id}" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="origin-when-crossorigin">\n'
        f"<title>{escape(title)}</title>\n<style>\n{stylesheet(seed, theme)}\n</style>\n</head>\n"
        f'<body class="{body_class}">\n<div id="{mount}"></div>\n'
        "<noscript>You need to enable JavaScript to run this app.</noscript>\n"
        f'<script type="application/json" data-replica-payload="1">{json_for_script(payload)}</script>\n'
        f"<script>\n{renderer_js()}</script>\n</body>\n</html>\n"
    )
    return doc.encode("utf-8")
