"""Facebook's printable Privacy Policy at the size of the real one.

A capture of the real page is ~350 KB of HTML, ~3,400 elements, ~600 links, ~150 images and
130,645 CSS px tall at 1280 px wide; the monitor must stay cheap on it. The filler text, the
links and the pictures are generated from a fixed seed, so every load paints the same pixels,
and the objection sentence sits deep in a section near the middle (variants move, reword or
drop it). `?scale=N` repeats the body N times (the benchmark's growth curve).
"""

from __future__ import annotations

import colorsys
import random
from functools import lru_cache

from .common import Ctx, anchor, object_sentence, role_link
from .icons import fb_logo
from .markup import Kid, Node, Page

FB = "https://www.facebook.com"
SEED = "printable-policy-2025"
SECTIONS = 30
MIDDLE = SECTIONS // 2  # the rights section
SUBSECTIONS = 5
MAX_SCALE = 16
CONTACT_SECTION = SECTIONS - 3  # where the "contact" variant moves the sentence

_SYLLABLES = [
    "ta",
    "re",
    "mi",
    "lo",
    "ven",
    "sar",
    "pel",
    "dun",
    "cas",
    "tor",
    "bri",
    "mel",
    "fan",
    "gor",
    "hil",
    "jas",
    "kem",
    "lun",
    "nor",
    "pav",
    "qui",
    "ros",
    "sel",
    "tim",
    "val",
    "wen",
    "yor",
    "zan",
    "bel",
    "cor",
    "dal",
    "fer",
    "gan",
    "hal",
    "lin",
    "mar",
    "nev",
    "pol",
    "ral",
    "sin",
    "tal",
    "ver",
]
_AVOID = ("obj", "oppos", "widersp", "einsp", "droit")  # never a word a journey looks for
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October")


def _word(rng: random.Random) -> str:
    while True:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3)))
        if not any(a in w for a in _AVOID):
            return w


def _words(rng: random.Random, n: int) -> str:
    return " ".join(_word(rng) for _ in range(n))


def _sentence(rng: random.Random) -> str:
    s = _words(rng, rng.randint(8, 18))
    return s[0].upper() + s[1:] + "."


def _date(rng: random.Random, shift: int) -> str:
    """A date in the text; the noise variant shifts every one of them (same draws, other values)."""
    day, month, year = rng.randint(1, 28), rng.randint(0, 9), rng.randint(0, 3)
    return f"{(day + 5 * shift - 1) % 28 + 1} {_MONTHS[(month + shift) % 10]} {2022 + (year + shift) % 4}"


PICTURE_HEIGHT = 500


def _hex(hue: int, saturation: float, lightness: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return f"{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


@lru_cache(maxsize=64)
def _picture(index: int) -> str:
    """A small deterministic illustration as an SVG data URI (real pages carry ~150 pictures)."""
    rng = random.Random(f"{SEED}/img/{index}")
    hue = rng.randint(0, 359)
    shapes = "".join(
        f"<rect x='{rng.randint(0, 600)}' y='{rng.randint(0, PICTURE_HEIGHT - 100)}' width='{rng.randint(40, 200)}' "
        f"height='{rng.randint(20, 90)}' rx='8' fill='%23{_hex((hue + 40 * i) % 360, 0.6, 0.55 + 0.05 * i)}'/>"
        for i in range(2)
    )
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='736' height='{PICTURE_HEIGHT}'>"
        f"<rect width='736' height='{PICTURE_HEIGHT}' fill='%23{_hex(hue, 0.4, 0.94)}'/>{shapes}</svg>"
    )
    return "data:image/svg+xml," + svg.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def _paragraph(ctx: Ctx, rng: random.Random, where: str, n_links: int, shift: int) -> Node:
    b = ctx.b
    kids: list[Kid] = []
    for i in range(rng.randint(3, 5)):
        kids.append(b("span", "", _sentence(rng) + " "))
        if i < n_links:
            words = _words(rng, rng.randint(1, 3))
            kids.append(
                anchor(ctx, f"fb.link lp.a{rng.randint(0, 40)}", f"{FB}/help/{rng.randint(10**5, 10**6)}", words)
            )
            kids.append(" ")
    if rng.random() < 0.25:
        kids.append(f"Updated {_date(rng, shift)}.")
    return b("p", f"fb.text lp.p{rng.randint(0, 60)}", kids, data_where=where)


def _rights(ctx: Ctx, where: str) -> list[Kid]:
    """The real sub-sections of "Your rights", with the objection sentence where the variant puts it."""
    b, t = ctx.b, ctx.t
    out: list[Kid] = []
    for key, sid in (("access", "AccessAndRectify"), ("port", "PortYouHaveThe"), ("erase", "EraseYouHaveThe")):
        out.append(
            b(
                "section",
                "fb.printSub",
                b("h3", "fb.policyH3", t(f"printable.{key}")),
                b("p", "fb.text", t(f"printable.{key}.text")),
                id=f"privacy-policy-{sid}",
            )
        )
    if where == "rights":
        out.append(_object_sub(ctx, place_ok=True))
    elif where == "gone":
        out.append(_object_sub(ctx, place_ok=False))
    return out


def _object_sub(ctx: Ctx, place_ok: bool) -> Node:
    b, t = ctx.b, ctx.t
    sentence = object_sentence(
        ctx, "printable.object.p", ctx.variant.form_url("facebook"), "fb.link", place_ok=place_ok
    )
    return b(
        "section",
        "fb.printSub",
        b("h3", "fb.policyH3", t("printable.object")),
        b("p", "fb.text", sentence),
        id="privacy-policy-ObjectYouHaveThe",
    )


def _section(ctx: Ctx, rng: random.Random, number: int, title: str, shift: int, extra: list[Kid]) -> Node:
    b = ctx.b
    kids: list[Kid] = [b("h2", "fb.policyH2", title, id=f"section-{number}")]
    kids.append(_paragraph(ctx, rng, f"s{number}", 1, shift))
    for sub in range(SUBSECTIONS):
        inner: list[Kid] = [b("h3", "fb.policyH3", _sentence(rng)[:-1][:48])]
        for p in range(rng.randint(2, 3)):
            inner.append(_paragraph(ctx, rng, f"s{number}.{sub}.{p}", rng.randint(0, 3), shift))
        inner.append(
            b(
                "figure",
                "lp.figure",
                b(
                    "img",
                    "lp.img",
                    src=_picture((number * SUBSECTIONS + sub) % 64),
                    alt=_words(rng, 4),
                    width=736,
                    height=PICTURE_HEIGHT,
                ),
                b("figcaption", "lp.caption", _sentence(rng)),
            )
        )
        if sub == SUBSECTIONS - 1:
            inner.append(
                role_link(ctx, "fb.linkStrong lp.more", f"{FB}/help/{rng.randint(10**5, 10**6)}", _words(rng, 3))
            )
        kids.append(b("div", f"lp.sub{sub}", inner))
    kids.extend(extra)
    return b("section", f"fb.policySection lp.s{number % 12}", kids)


def printable_long(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    place = ctx.variant.printable_object
    shift = 1 if ctx.variant.printable_dates_shift else 0
    try:
        scale = max(1, min(MAX_SCALE, int(ctx.query.get("scale", "1"))))
    except ValueError:
        scale = 1
    rng = random.Random(SEED)
    titles = [_sentence(rng)[:-1][:56] for _ in range(SECTIONS)]
    sections: list[Kid] = []
    for copy in range(scale):
        rng = random.Random(f"{SEED}/{copy}")
        for i in range(1, SECTIONS + 1):
            number = copy * SECTIONS + i
            extra: list[Kid] = []
            title = titles[i - 1]
            if copy == 0 and i == MIDDLE:
                title = t("policy.toc.6")
                extra = [b("div", "fb.printRights", _rights(ctx, place))]
            if copy == 0 and i == CONTACT_SECTION and place == "contact":
                extra = [b("div", "fb.printRights", _object_sub(ctx, place_ok=True))]
            sections.append(_section(ctx, rng, number, title, shift, extra))
    toc = b(
        "nav",
        "lp.toc",
        b("h2", "fb.policyH2", t("policy.toc")),
        b(
            "ol",
            "lp.tocList",
            [
                b(
                    "li",
                    "lp.tocItem",
                    anchor(ctx, "fb.link", f"#section-{i}", titles[i - 1] if i != MIDDLE else t("policy.toc.6")),
                )
                for i in range(1, SECTIONS + 1)
            ],
        ),
        aria_label=t("policy.toc"),
    )
    effective = t("policy.effective") if not shift else _date(random.Random(SEED), shift)
    root = b(
        "div",
        "fb.printPage",
        b("div", "fb.printHead", fb_logo(b, 32), b("span", "fb.printBrand", "Meta")),
        b(
            "main",
            "fb.printMain",
            b("h1", "fb.heroTitle", t("policy.title")),
            b("p", "fb.policyMeta", effective),
            toc,
            sections,
        ),
    )
    return Page(t("policy.title"), root)


__all__ = ["printable_long"]
