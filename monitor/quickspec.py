"""monitor.yaml `quick:`: what the hourly quick look walks (monitor/quick.py), checked like the rest of the file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class Route(Protocol):
    """What the check needs of a journey (config.Journey), so that config can import this module."""

    @property
    def id(self) -> str: ...

    @property
    def tracked_step(self) -> object | None: ...

    def steps_for(self, viewport: str) -> Sequence[object]: ...


class QuickSpec(BaseModel):
    """monitor.yaml `quick:`; every key optional (defaults: the first locale and viewport listed,
    every journey that has a tracked step)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    locale: str | None = None
    viewport: str | None = None
    journeys: list[str] | None = Field(default=None, min_length=1)


def spec_problems(
    spec: QuickSpec, locales: list[str], viewports: list[str], journeys: Sequence[Route]
) -> list[tuple[tuple[str | int, ...], str]]:
    """Cross-references of `quick:` a schema cannot see: (key path, message) for each broken one."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    if spec.locale is not None and spec.locale not in locales:
        out.append((("quick", "locale"), f"unknown locale {spec.locale!r}; known: {', '.join(locales)}"))
    if spec.viewport is not None and spec.viewport not in viewports:
        out.append((("quick", "viewport"), f"unknown viewport {spec.viewport!r}; known: {', '.join(viewports)}"))
    viewport = spec.viewport or (viewports[0] if viewports else "")
    by_id = {j.id: j for j in journeys}
    seen: set[str] = set()
    for index, jid in enumerate(spec.journeys or []):
        at: tuple[str | int, ...] = ("quick", "journeys", index)
        journey = by_id.get(jid)
        if jid in seen:
            out.append((at, f"journey {jid!r} is listed twice"))
        seen.add(jid)
        if journey is None:
            out.append((at, f"unknown journey {jid!r}; known: {', '.join(by_id)}"))
        elif journey.tracked_step is None:
            out.append((at, f"journey {jid!r} has no tracked step: the quick look walks only up to it"))
        elif viewport in viewports and journey.tracked_step not in journey.steps_for(viewport):
            out.append((at, f"journey {jid!r}'s tracked step is not walked in viewport {viewport!r}"))
    return out
