"""A login state as an Actions secret: one opaque base64 string per site, and the values logs must hide.

GitHub redacts a secret from logs by its exact string, so structured data must not be a secret: a
cookie value printed on its own is a substring of the JSON, and would be shown. The storage state
therefore travels as base64 (one opaque string), and before any step can print it, every cookie and
local-storage value in it is registered with `::add-mask::`, which redacts each on its own.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

# Shorter values ("1", "en", "dpr=2") carry no secret, and masking them would blank every such
# string in the log, making it unreadable.
MIN_MASKED = 4
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]+")


def encode(state_json: bytes) -> str:
    """The secret's value: the storage state's bytes as one line of standard base64."""
    return base64.b64encode(state_json).decode("ascii")


def decode(value: str) -> str | None:
    """The JSON text a base64 secret holds; None when value is not base64 of a JSON object (e.g. a path)."""
    text = value.strip()
    if not text or not _BASE64.fullmatch(text):
        return None
    compact = re.sub(r"\s+", "", text)
    try:
        decoded = base64.b64decode(compact, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return decoded if decoded.lstrip().startswith("{") else None


def secret_values(state: Mapping[str, Any]) -> list[str]:
    """Every cookie value and local-storage value of a storage state worth masking, longest first."""
    found: set[str] = set()
    for cookie in state.get("cookies") or []:
        if isinstance(cookie, Mapping):
            found.add(str(cookie.get("value") or ""))
    for origin in state.get("origins") or []:
        if isinstance(origin, Mapping):
            for item in origin.get("localStorage") or []:
                if isinstance(item, Mapping):
                    found.add(str(item.get("value") or ""))
    return sorted((v for v in found if len(v.strip()) >= MIN_MASKED), key=lambda v: (-len(v), v))


def mask_commands(values: Iterable[str]) -> list[str]:
    """`::add-mask::` workflow commands, one per line of each value (a mask cannot span lines)."""
    lines: list[str] = []
    for value in values:
        for part in value.splitlines():
            if len(part.strip()) >= MIN_MASKED:
                lines.append(f"::add-mask::{command_data(part)}")
    return list(dict.fromkeys(lines))


def command_data(value: str) -> str:
    """Escape a workflow command's data as the runner unescapes it (%, CR, LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def parse(text: str, source: str) -> dict[str, Any]:
    """A storage state from JSON text; ValueError naming the source (never the content) when it is not one."""
    try:
        state = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the login state from {source} is not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(state, dict) or not isinstance(state.get("cookies"), list):
        raise ValueError(f"the login state from {source} has no 'cookies' list (a Playwright storage state)")
    return state
