"""Meta-branded pages: Accounts Center (both platforms) and the help.meta.com form."""

from __future__ import annotations

from .common import ACCOUNT_NAME, Ctx, form_2025, role_link, split_text
from .icons import icon, meta_logo
from .markup import Kid, Page

PRIVACY_CENTER = {
    "facebook": "https://www.facebook.com/privacy/center/",
    "instagram": "https://privacycenter.instagram.com/",
}


def _shell(ctx: Ctx, title: str, *content: Kid) -> Page:
    b = ctx.b
    top = b("div", "meta.top", b("span", "meta.brand", meta_logo(b), b("span", "", "Meta")), role="banner")
    return Page(title, b("div", "meta.app", top, b("main", "meta.main", *content, ref="main")))


def accounts_center(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    ig = ctx.platform == "instagram"
    title = t("ig.accountsCentre" if ig else "fb.accountsCenter")
    pc_key = "ig.privacyCentre" if ig else "fb.privacyCenter"
    items = [
        ("user", "ac.profiles"),
        ("group", "ac.connected"),
        ("lock", "ac.password"),
        ("doc", "ac.personal"),
        ("data", "ac.info"),
        ("ads", "ac.ads"),
    ]
    side = b(
        "div",
        "meta.side",
        b("h1", "meta.title", title),
        b("p", "meta.text", t("ac.text")),
        b(
            "div",
            "meta.list",
            [role_link(ctx, "meta.item", ctx.origin + "/", icon(b, n, size=20), split_text(b, t(k))) for n, k in items],
        ),
        b("h2", "meta.groupTitle", t("ac.moreInfo")),
        b(
            "div",
            "meta.list",
            role_link(
                ctx, "meta.item", PRIVACY_CENTER[ctx.platform], icon(b, "lock", size=20), split_text(b, t(pc_key))
            ),
            role_link(
                ctx,
                "meta.item",
                "https://www.facebook.com/help/",
                icon(b, "question", size=20),
                split_text(b, t("pc.res.help")),
            ),
        ),
        role="navigation",
        aria_label=title,
    )
    pane = b(
        "div",
        "meta.pane",
        b("h2", "meta.paneTitle", t("ac.profiles")),
        b(
            "div",
            "meta.card",
            ctx.avatar(48, "meta.avatar"),
            b("div", "", b("div", "meta.name", ACCOUNT_NAME), b("div", "meta.sub", "Facebook · Instagram")),
        ),
    )
    layout = b("div", "meta.grid" + (" meta.gridMobile" if ctx.mobile else ""), side, pane)
    return _shell(ctx, title, layout)


def form_page(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    inner = form_2025(ctx)
    page = _shell(
        ctx, inner.title, b("div", "meta.helpHead", t("meta.helpCentre")), b("div", "meta.formWrap", inner.root)
    )
    page.validate = inner.validate
    return page
