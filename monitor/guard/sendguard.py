"""Send only on loopback: the one rule between the monitor and a real objection being sent.

A step marked `submit: true` sends Meta's form. The monitor presses it only when the server
that would receive it is this machine: the page's host is answered by a stand-in (routing), and
that stand-in's address resolves to 127.0.0.0/8 or ::1 at the moment of the click. Any other case
(no stand-in, a stand-in on another machine, a name that resolves elsewhere, a resolver error)
is a refusal. `--site` URLs that are not loopback are refused up front, unless the person says
`--allow-remote-stand-in`; even then this check keeps Send unpressed there.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

Resolver = Callable[[str], list[str]]


def resolve(host: str) -> list[str]:
    """Every address the system resolver gives for host (empty when it cannot resolve it)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def is_loopback_host(host: str, resolver: Resolver = resolve) -> bool:
    """True when host is a loopback address, or a name every address of which is loopback."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    addresses = resolver(host)
    if not addresses:
        return False
    return all(ipaddress.ip_address(a.split("%", 1)[0]).is_loopback for a in addresses)


def send_refusal(page_url: str, stand_ins: Mapping[str, str], resolver: Resolver = resolve) -> str | None:
    """None when Send may be pressed on page_url; otherwise why not (for the observation's error).

    stand_ins maps a real host (www.facebook.com) to the stand-in base URL answering it.
    """
    parts = urlsplit(page_url)
    base = stand_ins.get(parts.netloc)
    if base is None:
        return (
            f"not pressed: {parts.netloc or page_url} is not answered by a stand-in; "
            "a submit step is only pressed on a stand-in on this machine, never on the real site"
        )
    host = urlsplit(base).hostname or ""
    if not is_loopback_host(host, resolver):
        return (
            f"not pressed: the stand-in {base} for {parts.netloc} does not resolve to loopback "
            "(127.0.0.0/8 or ::1); Send is only pressed on this machine"
        )
    return None


def check_site_url(option: str, url: str, allow_remote: bool, resolver: Resolver = resolve) -> None:
    """Raise ValueError for a --site URL that is not on this machine, unless remote stand-ins are allowed."""
    host = urlsplit(url).hostname or ""
    if allow_remote or is_loopback_host(host, resolver):
        return
    raise ValueError(
        f"--site {option!r}: {host} is not a loopback address (127.0.0.0/8, ::1, or a name resolving only to "
        "them). A stand-in elsewhere could be the real site. Pass --allow-remote-stand-in to walk it anyway; "
        "Send is never pressed there."
    )
