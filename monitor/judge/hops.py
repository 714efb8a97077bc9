"""When an extra click reached "the same" target: only when it leads where the baseline's target led.

A page one click away often has a link with the same word ("object" to marketing e-mails, in a
Privacy Policy section). Following it would send people the wrong way, so a hop's target counts
as the step's target only when its destination is the baseline's (the same form); a name-only match
is a candidate for a human, never a new step for the instructions.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def destination(url: str) -> tuple[str, str]:
    """Host (without www.) and path: where a URL leads, scheme, query and fragment aside."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, parts.path.rstrip("/") or "/"


def same_destination(found: str | None, baseline: str | None) -> bool:
    return bool(found) and bool(baseline) and destination(found or "") == destination(baseline or "")


def same_site(url: str, origin: str) -> bool:
    """Same registrable domain (the last two labels): help.meta.com counts with any Meta site."""

    def site(u: str) -> str:
        return ".".join((urlsplit(u).hostname or "").split(".")[-2:])

    return site(url) == site(origin) or site(url) == "meta.com"
