"""An SVG badge per objection path, for other guides to embed: "Facebook objection path" above its
state ("checked 3 Dec 2026", "changed: guide update pending", …), in the path's language.

Two lines rather than one long one, so that the longest language still fits a 412 px phone at a
readable 14 px. The badge paints its own background (light, or dark when the reader's system is
dark: an SVG image follows prefers-color-scheme), so it reads on any page. Widths are estimated
from the characters, not measured with a font file, so the same text gives the same bytes on
every machine; `textLength` then fits the text to that width whatever font the reader has.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from monitor.write import catalogs
from monitor.write.feed import platform_name
from monitor.write.status import BROKEN, CHANGED, CHECKED, PathStatus

FONT_SIZE = 15
ROW = 26  # px per line
PAD = 10  # px left and right of the text
MAX_WIDTH = 360  # fits a 412 px screen with the page's margins
FONT = "DejaVu Sans,Verdana,Geneva,Segoe UI,sans-serif"
# (light background, light text colour, dark background, dark text colour) per state: contrast >= 7:1
COLOURS = {
    "head": ("#2b2f36", "#ffffff", "#e6e8ec", "#15161a"),
    CHECKED: ("#0d5224", "#ffffff", "#b8ebc6", "#0b2614"),
    CHANGED: ("#6b4a00", "#ffffff", "#f5dc9c", "#2b1f00"),
    BROKEN: ("#8a1010", "#ffffff", "#ffc4c4", "#3a0606"),
    "not-checked": ("#3d4a5c", "#ffffff", "#cfd8e6", "#151b24"),
}
_NARROW = set("fijlrtI1.,:;'!|()[] ·")
_WIDE = set("mwMWÆŒ@%")


@dataclass(frozen=True)
class Badge:
    head: str  # "Facebook objection path"
    state_text: str  # "checked 3 Dec 2026"
    state: str
    alt: str  # both lines as one sentence, for screen readers and as the <img>'s alt
    width: int
    height: int
    svg: bytes


def text_width(text: str, size: int = FONT_SIZE, bold: bool = False) -> float:
    """An estimate of the text's width in px: wide enough for DejaVu Sans, the widest common font."""
    total = 0.08 if bold else 0.0
    for ch in text:
        if ch in _NARROW:
            total += 0.36
        elif ch in _WIDE or ch.isupper():
            total += 0.78
        else:
            total += 0.62
    return total * size * (1.1 if bold else 1.0)


def texts(path: PathStatus, locale: str | None = None) -> tuple[str, str]:
    """The badge's two lines in `locale` (default: the path's language)."""
    lang = locale or path.locale
    tr = catalogs.translations(lang)
    _ = tr.gettext
    head = _("{platform} objection path").format(platform=platform_name(path.platform))
    if path.state == CHECKED and path.checked is not None:
        state = _("checked {date}").format(date=catalogs.short_date(lang, path.checked))
    elif path.state == CHANGED:
        state = _("changed: guide update pending")
    elif path.state == BROKEN:
        state = _("broken: a person is looking")
    else:
        state = _("not yet checked")
    return head, state


def _line(text: str, y: int, width: int, cls: str, bold: bool) -> str:
    """One line, drawn exactly as wide as estimated (never wider than the badge) in whatever font."""
    length = min(round(text_width(text, bold=bold)), width - 2 * PAD)
    weight = "bold" if bold else "normal"
    fit = f' textLength="{length}" lengthAdjust="spacingAndGlyphs"'
    return (
        f'<text class="{cls}" x="{PAD}" y="{y}" font-family="{FONT}" font-size="{FONT_SIZE}"'
        f' font-weight="{weight}"{fit}>{escape(text)}</text>'
    )


def render(path: PathStatus, locale: str | None = None) -> Badge:
    """The badge of a path, worded in `locale` (default: the path's language)."""
    head, state_text = texts(path, locale)
    alt = f"{head}: {state_text}"
    width = min(MAX_WIDTH, round(max(text_width(head), text_width(state_text, bold=True))) + 2 * PAD)
    height = 2 * ROW
    key = path.state if path.state in COLOURS else "not-checked"
    hb, hf, dhb, dhf = COLOURS["head"]
    sb, sf, dsb, dsf = COLOURS[key]
    style = (
        f".h{{fill:{hb}}}.ht{{fill:{hf}}}.s{{fill:{sb}}}.st{{fill:{sf}}}"
        f"@media (prefers-color-scheme: dark){{.h{{fill:{dhb}}}.ht{{fill:{dhf}}}.s{{fill:{dsb}}}.st{{fill:{dsf}}}}}"
    )
    lang = escape(catalogs.primary(locale or path.locale))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' role="img" aria-label="{escape(alt)}" lang="{lang}">'
        f"<title>{escape(alt)}</title><style>{style}</style>"
        f'<clipPath id="r"><rect width="{width}" height="{height}" rx="5"/></clipPath>'
        f'<g clip-path="url(#r)"><rect class="h" width="{width}" height="{ROW}"/>'
        f'<rect class="s" y="{ROW}" width="{width}" height="{ROW}"/></g>'
        + _line(head, ROW - 8, width, "ht", False)
        + _line(state_text, 2 * ROW - 8, width, "st", True)
        + "</svg>\n"
    )
    return Badge(head, state_text, path.state, alt, width, height, svg.encode("utf-8"))
