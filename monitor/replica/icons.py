"""Inline SVG icons and the fictional account's avatar (no network, no fonts needed)."""

from __future__ import annotations

import base64

from .markup import Builder, Node

PATHS = {
    "home": "M12 3l9 8h-3v9h-5v-6h-2v6H6v-9H3z",
    "video": "M3 6h13v12H3zM17 10l4-3v10l-4-3z",
    "shop": "M4 4h16l1 5H3zM5 10h14v10H5zm5 4v6h4v-6z",
    "group": "M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm8 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2 19c0-3 3-5 6-5s6 2 6 "
    "5zm12 0c0-2-1-3.5-2-4.5 1-.3 2.5-.5 4-.5 3 0 6 2 6 5z",
    "game": "M6 7h12a5 5 0 0 1 0 10H6A5 5 0 0 1 6 7zm1 3v2H5v2h2v2h2v-2h2v-2H9v-2zm9 1a1.5 1.5 0 1 0 0 3 "
    "1.5 1.5 0 0 0 0-3z",
    "bell": "M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0z",
    "messenger": "M12 3C7 3 3 6.7 3 11.3c0 2.5 1.2 4.7 3.2 6.2V21l3-1.7c.9.3 1.8.4 2.8.4 5 0 9-3.7 "
    "9-8.4S17 3 12 3zm1 11-2.3-2.4L6.5 14l4.7-5 2.3 2.4L17.7 9z",
    "search": "M10 3a7 7 0 1 0 4.2 12.6l5.1 5.1 1.4-1.4-5.1-5.1A7 7 0 0 0 10 3zm0 2a5 5 0 1 1 0 10 5 5 0 0 1 0-10z",
    "chevron-right": "M9 5l7 7-7 7-1.4-1.4 5.6-5.6-5.6-5.6z",
    "chevron-down": "M5 9l7 7 7-7-1.4-1.4-5.6 5.6-5.6-5.6z",
    "back": "M15 5l-7 7 7 7 1.4-1.4-5.6-5.6 5.6-5.6z",
    "gear": "M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7zM10.5 2h3l.5 2.7 2 .9 2.3-1.6 2.1 2.1-1.6 2.3.9 2 "
    "2.7.5v3l-2.7.5-.9 2 1.6 2.3-2.1 2.1-2.3-1.6-2 .9-.5 2.7h-3l-.5-2.7-2-.9-2.3 1.6-2.1-2.1 1.6-2.3-.9-2"
    "L2 13.5v-3l2.7-.5.9-2L4 5.7l2.1-2.1 2.3 1.6 2-.9z",
    "question": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-1 15h2v2h-2zm1-12a4 4 0 0 1 2 7.5c-.7.4-1 .8-1 "
    "1.5v.5h-2V14c0-1.5.8-2.3 1.8-2.9A2 2 0 1 0 10 9H8a4 4 0 0 1 4-4z",
    "moon": "M14 3a9 9 0 1 0 7 14 7 7 0 0 1-7-14z",
    "feedback": "M4 3h16v13H8l-4 4zm7 3v5h2V6zm0 6v2h2v-2z",
    "logout": "M4 3h9v2H6v14h7v2H4zm12 4 5 5-5 5-1.4-1.4 2.6-2.6H9v-2h7.2l-2.6-2.6z",
    "lock": "M7 10V7a5 5 0 0 1 10 0v3h2v11H5V10zm2 0h6V7a3 3 0 0 0-6 0z",
    "shield": "M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z",
    "share": "M18 3a3 3 0 1 1-2.8 4L9 10.3a3 3 0 0 1 0 3.4l6.2 3.3A3 3 0 1 1 15 18l-6.2-3.3a3 3 0 1 1 "
    "0-5.4L15 6a3 3 0 0 1 3-3z",
    "data": "M4 4h16v4H4zm0 6h16v4H4zm0 6h16v4H4z",
    "ads": "M3 9h3l11-5v16L6 15H3zm5 7h3l1 4H9z",
    "sparkle": "M12 2l2.2 6.8L21 11l-6.8 2.2L12 20l-2.2-6.8L3 11l6.8-2.2z",
    "doc": "M6 2h8l5 5v15H6zm2 10h8v1.5H8zm0 4h8v1.5H8z",
    "plus": "M11 4h2v7h7v2h-7v7h-2v-7H4v-2h7z",
    "heart": "M12 21l-1.4-1.3C5.4 15 2 12 2 8.3 2 5.3 4.4 3 7.4 3c1.7 0 3.4.8 4.6 2.1C13.2 3.8 14.9 3 16.6 "
    "3 19.6 3 22 5.3 22 8.3c0 3.7-3.4 6.7-8.6 11.4z",
    "compass": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm4 6-2.5 5.5L8 16l2.5-5.5z",
    "reels": "M4 4h16v16H4zm2 2v2h12V6zm4 5v6l5-3z",
    "send": "M2 21l21-9L2 3v7l15 2-15 2z",
    "menu": "M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z",
    "info": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-1 8h2v8h-2zm0-4h2v2h-2z",
    "user": "M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0 2c-5 0-9 2.5-9 6v2h18v-2c0-3.5-4-6-9-6z",
    "clock": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-1 5h2v5.6l4 2.4-1 1.7-5-3z",
    "bookmark": "M6 2h12v20l-6-4-6 4z",
    "close": "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z",
    "globe": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm6.9 9h-3a15 15 0 0 0-1.3-6 8 8 0 0 1 4.3 6zM12 4.1c.9 "
    "1.3 1.7 3.6 1.9 6.9h-3.8c.2-3.3 1-5.6 1.9-6.9zM9.4 5a15 15 0 0 0-1.3 6h-3a8 8 0 0 1 4.3-6zm-4.3 8h3a15 "
    "15 0 0 0 1.3 6 8 8 0 0 1-4.3-6zm6.9 6.9c-.9-1.3-1.7-3.6-1.9-6.9h3.8c-.2 3.3-1 5.6-1.9 6.9zm2.6-.9a15 15 "
    "0 0 0 1.3-6h3a8 8 0 0 1-4.3 6z",
}


def icon(b: Builder, name: str, comp: str = "ico", size: int = 20, title: str | None = None) -> Node:
    """An SVG icon, hidden from screen readers; `title` names it in an SVG <title>, text in the DOM
    that nobody sees on screen (as many real icons carry)."""
    return b(
        "svg",
        comp,
        b("title", "", title) if title else None,
        b("path", "", d=PATHS[name], fill="currentColor", fill_rule="evenodd"),
        viewBox="0 0 24 24",
        width=size,
        height=size,
        aria_hidden="true",
        focusable="false",
    )


AVATAR_COLOURS = ("#8A9BB0", "#B08A9B", "#9BB08A", "#B0A08A", "#8AB0AE", "#A08AB0")


def avatar_data_uri(colour: str) -> str:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40">'
        f'<rect width="40" height="40" fill="{colour}"/>'
        '<circle cx="20" cy="15" r="7.5" fill="#F5F6F7"/>'
        '<path d="M5 40c1.5-9 8-13 15-13s13.5 4 15 13z" fill="#F5F6F7"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def avatar(b: Builder, colour: str, size: int, comp: str = "avatar", label: str | None = None) -> Node:
    """A round avatar: an SVG <image>; with `label`, wrapped in role=img aria-label (masked)."""
    svg = b(
        "svg",
        "avatarSvg",
        b(
            "image",
            "",
            href=avatar_data_uri(colour),
            x=0,
            y=0,
            width=40,
            height=40,
            preserveAspectRatio="xMidYMid slice",
        ),
        viewBox="0 0 40 40",
        width=size,
        height=size,
        aria_hidden="true",
    )
    comps = "avatar" if comp == "avatar" else f"avatar {comp}"
    if label is None:
        return b("span", comps, svg, style=f"width:{size}px;height:{size}px")
    return b("span", comps, svg, role="img", aria_label=label, style=f"width:{size}px;height:{size}px")


def fb_logo(b: Builder, size: int = 40) -> Node:
    return b(
        "svg",
        "fbLogo",
        b("circle", "", cx=20, cy=20, r=20, fill="var(--fb-blue)"),
        b(
            "path",
            "",
            d="M22.5 36V24h4l.6-4.7h-4.6v-3c0-1.4.4-2.3 2.3-2.3H27.4V9.8c-.4-.1-1.9-.2-3.6-.2-3.6 0-6 2.2-6 "
            "6.2v3.5h-4V24h4v12z",
            fill="#FFFFFF",
        ),
        viewBox="0 0 40 40",
        width=size,
        height=size,
        aria_hidden="true",
    )


def meta_logo(b: Builder, size: int = 28) -> Node:
    return b(
        "svg",
        "metaLogo",
        b(
            "path",
            "",
            d="M6 26c-2.5 0-4-2.4-4-6.2C2 13.7 5.1 8 9 8c2.4 0 4.3 1.8 7 6.2C18.7 9.8 20.6 8 23 8c3.9 0 7 5.7 "
            "7 11.8 0 3.8-1.5 6.2-4 6.2-2.6 0-4.4-2.3-7-7.6l-3-5.6-3 5.6C10.4 23.7 8.6 26 6 26z",
            fill="none",
            stroke="var(--meta-blue)",
            stroke_width="2.6",
        ),
        viewBox="0 0 32 34",
        width=size,
        height=size,
        aria_hidden="true",
    )
