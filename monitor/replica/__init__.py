"""A faithful local stand-in for the Facebook and Instagram paths to Meta's AI objection form.

Start one with `make_server(0)` and `serve_forever()` in a thread; point a browser at
it by routing the real URLs to it with `X-Forwarded-Host` (see server.py). Each
variant in `VARIANTS` is a named UI state with the verdict a monitor should give it.
"""

from __future__ import annotations

from .common import (
    ACCOUNT_EMAIL,
    ACCOUNT_HANDLE,
    ACCOUNT_NAME,
    CONSENT_COOKIE,
    COOKIE_DOMAIN,
    MASK_TEXT,
    SESSION_COOKIES,
)
from .server import HOSTS, ReplicaServer, make_server, storage_state
from .variants import DEFAULT_VARIANT, JOURNEYS, VARIANTS, VERDICTS, UnknownVariant, Variant, get_variant

__all__ = [
    "ACCOUNT_EMAIL",
    "ACCOUNT_HANDLE",
    "ACCOUNT_NAME",
    "CONSENT_COOKIE",
    "COOKIE_DOMAIN",
    "DEFAULT_VARIANT",
    "HOSTS",
    "JOURNEYS",
    "MASK_TEXT",
    "SESSION_COOKIES",
    "VARIANTS",
    "VERDICTS",
    "ReplicaServer",
    "UnknownVariant",
    "Variant",
    "get_variant",
    "make_server",
    "storage_state",
]
