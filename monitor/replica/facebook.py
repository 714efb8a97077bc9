"""Facebook pages: home with account menu, Privacy Center, public policy pages, forms."""

from __future__ import annotations

from .common import (
    ACCOUNT_NAME,
    Ctx,
    anchor,
    banner,
    form_2024,
    form_2025,
    object_sentence,
    role_button,
    role_link,
    split_text,
)
from .icons import fb_logo, icon
from .markup import Kid, Node, Page

FB = "https://www.facebook.com"
PRIVACY_CENTER = FB + "/privacy/center/"
ACCOUNTS_CENTER = "https://accountscenter.facebook.com/"
POLICY = FB + "/privacy/policy/"
GENAI = FB + "/privacy/genai/"
TOC_SECTIONS = 9
RIGHTS_SECTION = 6


def privacy_center_url(ctx: Ctx) -> str:
    return ACCOUNTS_CENTER if ctx.variant.accounts_center_hop else PRIVACY_CENTER


# ---- shell ---------------------------------------------------------------------------------


def _badge(ctx: Ctx) -> Node | None:
    if not ctx.variant.noise:
        return None
    return ctx.b("span", "fb.badge", str(1 + ctx.counter % 9))


def topbar(ctx: Ctx) -> Node:
    t, b = ctx.t, ctx.b
    if ctx.mobile:
        right: list[Kid] = []
        if ctx.logged_in:
            right = [
                role_button(ctx, "fb.circleBtn", icon(b, "plus"), label=t("fb.create")),
                role_button(ctx, "fb.circleBtn", icon(b, "search"), label=t("fb.search")),
                role_button(
                    ctx,
                    "fb.circleBtn",
                    icon(b, "menu", title=t("menu")),
                    _badge(ctx),
                    label=t("menu"),
                    aria_haspopup="menu",
                    aria_expanded="false",
                    on=("pop", "fbMobileMenu"),
                ),
            ]
        return b(
            "div",
            "fb.mTop",
            anchor(
                ctx,
                "fb.wordmarkLink",
                FB + "/",
                b("span", "fb.wordmark fb.wordmarkSmall", "facebook"),
                label="Facebook",
            ),
            b("div", "fb.mTopRight", right),
            role="banner",
        )
    left = b(
        "div",
        "fb.tbLeft",
        anchor(ctx, "fb.logoLink", FB + "/", fb_logo(b), label="Facebook"),
        b(
            "label",
            "fb.searchPill",
            icon(b, "search", size=16),
            b("input", "fb.searchInput", type="search", placeholder=t("fb.search"), aria_label=t("fb.search")),
        ),
    )
    if not ctx.logged_in:
        return b("div", "fb.topbar", left, role="banner")
    tabs = [
        ("home", "fb.tab.home", FB + "/"),
        ("video", "fb.tab.video", FB + "/watch/"),
        ("shop", "fb.tab.marketplace", FB + "/marketplace/"),
        ("group", "fb.tab.groups", FB + "/groups/"),
        ("game", "fb.tab.gaming", FB + "/gaming/"),
    ]
    center = b(
        "div",
        "fb.tbCenter",
        [
            role_link(
                ctx,
                "fb.tab" + (" fb.tabActive" if i == 0 and ctx.page == "fb.home" else ""),
                url,
                icon(b, name, size=26),
                label=t(key),
            )
            for i, (name, key, url) in enumerate(tabs)
        ],
        role="navigation",
        aria_label=t("fb.nav"),
    )
    right_box = b(
        "div",
        "fb.tbRight",
        role_button(ctx, "fb.circleBtn", icon(b, "messenger"), label="Messenger"),
        role_button(ctx, "fb.circleBtn", icon(b, "bell"), _badge(ctx), label=t("fb.notifications")),
        role_button(
            ctx,
            "fb.profileBtn",
            ctx.avatar(40, "fb.profileAvatar", labelled=False),
            b("span", "fb.profileChevron", icon(b, "chevron-down", size=12)),
            label=t("profile.label"),
            aria_haspopup="menu",
            aria_expanded="false",
            on=("pop", "fbAccount"),
        ),
        ref="tbRight",
    )
    return b("div", "fb.topbar", left, center, right_box, role="banner")


def shell(ctx: Ctx, title: str, *content: Kid, tabs: bool = False) -> Page:
    b = ctx.b
    parts: list[Kid] = [topbar(ctx)]
    if ctx.mobile and tabs:
        parts.append(_mobile_tabs(ctx))
    parts.append(b("div", "fb.main", *content, ref="main"))
    page = Page(title, b("div", "fb.app" + (" fb.appMobile" if ctx.mobile else ""), parts))
    if ctx.logged_in:
        page.popups.update(_menus(ctx))
    return page


def _mobile_tabs(ctx: Ctx) -> Node:
    t, b = ctx.t, ctx.b
    items = [
        ("home", "fb.tab.home", FB + "/"),
        ("group", "fb.friends", FB + "/friends/"),
        ("video", "fb.tab.video", FB + "/watch/"),
        ("shop", "fb.tab.marketplace", FB + "/marketplace/"),
        ("bell", "fb.notifications", FB + "/notifications/"),
    ]
    return b(
        "div",
        "fb.mTabs",
        [
            role_link(ctx, "fb.mTab" + (" fb.mTabActive" if i == 0 else ""), url, icon(b, name, size=24), label=t(key))
            for i, (name, key, url) in enumerate(items)
        ],
        role="navigation",
        aria_label=t("fb.nav"),
    )


# ---- menus -----------------------------------------------------------------------------


def _menu_item(
    ctx: Ctx,
    name: str,
    key: str,
    url: str | None = None,
    *,
    chevron: bool = False,
    on: tuple[str, ...] | None = None,
    real_link: bool = False,
) -> Node:
    b, t = ctx.b, ctx.t
    kids: list[Kid] = [b("span", "fb.menuIcon", icon(b, name)), split_text(b, t(key), "fb.menuLabel")]
    if chevron:
        kids.append(b("span", "fb.menuChevron", icon(b, "chevron-right", size=16)))
    if real_link and url:
        return anchor(ctx, "fb.menuItem", url, kids)
    if url:
        return role_link(ctx, "fb.menuItem", url, kids)
    return role_button(ctx, "fb.menuItem", kids, on=on)


def _privacy_center_item(ctx: Ctx) -> Node:
    return _menu_item(ctx, "lock", "fb.privacyCenter", privacy_center_url(ctx), real_link=True)


def _profile_card(ctx: Ctx) -> Node:
    b, t = ctx.b, ctx.t
    return b(
        "div",
        "fb.menuCard",
        anchor(
            ctx,
            "fb.profileLink",
            FB + "/me/",
            ctx.avatar(36, "fb.menuAvatar", labelled=False),
            b("span", "fb.profileName", ACCOUNT_NAME),
            label=t("fb.seeProfile"),
        ),
        b("div", "fb.menuDivider"),
        role_link(ctx, "fb.seeAll", FB + "/profiles/", t("fb.seeAllProfiles")),
    )


def _menus(ctx: Ctx) -> dict[str, dict[str, object]]:
    b, t = ctx.b, ctx.t
    shortcut = ctx.variant.menu_shortcut
    footer = b("div", "fb.menuFooter", t("fb.footer"))
    first: list[Kid]
    if shortcut:
        first = [_menu_item(ctx, "gear", "settings", FB + "/settings/"), _privacy_center_item(ctx)]
    else:
        first = [_menu_item(ctx, "gear", "fb.settingsPrivacy", chevron=True, on=("swap", "fbSettings"))]
    account = b(
        "div",
        "fb.dropdown",
        _profile_card(ctx),
        b(
            "div",
            "fb.menuList",
            first,
            _menu_item(ctx, "question", "fb.help", chevron=True),
            _menu_item(ctx, "moon", "fb.display", chevron=True),
            _menu_item(ctx, "feedback", "fb.feedback"),
            _menu_item(ctx, "logout", "logout"),
        ),
        footer,
    )
    settings = b(
        "div",
        "fb.dropdown",
        b(
            "div",
            "fb.subHead",
            role_button(ctx, "fb.circleBtn fb.backBtn", icon(b, "back"), label=t("back"), on=("swap", "fbAccount")),
            b("h2", "fb.subTitle", t("fb.settingsPrivacy")),
        ),
        b("div", "fb.menuList", _settings_items(ctx)),
    )
    popups: dict[str, dict[str, object]] = {
        "fbAccount": {"node": account, "into": "tbRight", "mode": "append"},
        "fbSettings": {"node": settings, "into": "tbRight", "mode": "append"},
    }
    # Mobile: a full-width menu replacing the page, with an accordion for Settings & privacy.
    grid = [
        ("group", "fb.friends"),
        ("clock", "fb.memories"),
        ("bookmark", "fb.saved"),
        ("group", "fb.tab.groups"),
        ("video", "fb.tab.video"),
        ("shop", "fb.tab.marketplace"),
        ("data", "fb.feeds"),
        ("game", "fb.tab.gaming"),
    ]
    if shortcut:
        sp: list[Kid] = [_menu_item(ctx, "gear", "settings", FB + "/settings/"), _privacy_center_item(ctx)]
    else:
        sp = [
            role_button(
                ctx,
                "fb.menuItem fb.accordion",
                b("span", "fb.menuIcon", icon(b, "gear")),
                split_text(b, t("fb.settingsPrivacy"), "fb.menuLabel"),
                b("span", "fb.menuChevron", icon(b, "chevron-down", size=16)),
                aria_expanded="false",
                on=("expand", "fbSp"),
            ),
            b("div", "fb.accordionBody", _settings_items(ctx), hidden=True, ref="fbSp"),
        ]
    mobile = b(
        "div",
        "fb.mMenu",
        b("h2", "fb.mMenuTitle", t("menu")),
        b(
            "div",
            "fb.card fb.mMenuProfile",
            anchor(
                ctx,
                "fb.profileLink",
                FB + "/me/",
                ctx.avatar(40, "fb.menuAvatar", labelled=False),
                b("span", "fb.profileName", ACCOUNT_NAME),
                label=t("fb.seeProfile"),
            ),
        ),
        b(
            "div",
            "fb.mGrid",
            [
                role_link(ctx, "fb.card fb.mGridItem", FB + "/", icon(b, n, "fb.mGridIcon", 24), b("span", "", t(k)))
                for n, k in grid
            ],
        ),
        b(
            "div",
            "fb.menuList fb.mList",
            _menu_item(ctx, "question", "fb.help", chevron=True),
            sp,
            _menu_item(ctx, "moon", "fb.display", chevron=True),
            _menu_item(ctx, "logout", "logout"),
        ),
        footer,
    )
    popups["fbMobileMenu"] = {"node": mobile, "into": "main", "mode": "replace"}
    return popups


def _settings_items(ctx: Ctx) -> list[Kid]:
    return [
        _menu_item(ctx, "gear", "settings", FB + "/settings/"),
        _menu_item(ctx, "shield", "fb.privacyCheckup", FB + "/privacy/checkup/"),
        _privacy_center_item(ctx),
        _menu_item(ctx, "clock", "fb.activityLog", FB + "/me/allactivity/"),
        _menu_item(ctx, "data", "fb.feeds", FB + "/feeds/"),
        _menu_item(ctx, "globe", "fb.language", FB + "/settings/?tab=language"),
    ]


# ---- home ----------------------------------------------------------------------------------


def _post(ctx: Ctx, n: int) -> Node:
    b, t = ctx.b, ctx.t
    return b(
        "div",
        "fb.card fb.post",
        b(
            "div",
            "fb.postHead",
            b("span", "fb.pageAvatar fb.pageAvatar" + str(n), t(f"fb.post{n}.initial")),
            b(
                "div",
                "",
                role_link(ctx, "fb.postAuthor", FB + "/", t(f"fb.post{n}.author")),
                b("div", "fb.postMeta", t(f"fb.post{n}.meta")),
            ),
        ),
        b("p", "fb.postText", t(f"fb.post{n}.text")),
        b("div", "fb.postImage fb.postImage" + str(n), aria_hidden="true"),
        b(
            "div",
            "fb.postActions",
            [role_button(ctx, "fb.postAction", t(k)) for k in ("fb.like", "fb.comment", "fb.share")],
        ),
    )


def home(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    composer = b(
        "div",
        "fb.card fb.composer",
        ctx.avatar(40, "fb.composerAvatar"),
        role_button(ctx, "fb.composerInput", t("fb.composer")),
    )
    # a friend's post that names the account, with a phone number: a hard case for redaction
    feed = b("div", "fb.feed", composer, _post(ctx, 3), _post(ctx, 1), _post(ctx, 2), role="feed", aria_busy="false")
    if ctx.mobile:
        return shell(ctx, "Facebook", feed, tabs=True)
    left_items = [
        ("group", "fb.friends"),
        ("clock", "fb.memories"),
        ("bookmark", "fb.saved"),
        ("group", "fb.tab.groups"),
        ("video", "fb.tab.video"),
        ("shop", "fb.tab.marketplace"),
        ("data", "fb.feeds"),
    ]
    left = b(
        "div",
        "fb.leftNav",
        role_link(ctx, "fb.leftItem", FB + "/me/", ctx.avatar(28, "fb.leftAvatar"), b("span", "", ACCOUNT_NAME)),
        [
            role_link(ctx, "fb.leftItem", FB + "/", b("span", "fb.leftIcon", icon(b, n)), b("span", "", t(k)))
            for n, k in left_items
        ],
        role="navigation",
        aria_label=t("fb.shortcuts"),
    )
    contacts = b(
        "div",
        "fb.rightCol",
        b("h2", "fb.rightTitle", t("fb.contacts")),
        b(
            "div",
            "",
            [
                b(
                    "div",
                    "fb.contact",
                    b("span", "fb.contactDot fb.pageAvatar" + str(1 + i % 2), n[0]),
                    b("span", "", n),
                    role="listitem",
                )
                for i, n in enumerate(("Alex Sample", "Sam Placeholder", "Robin Test", "Kim Fictional", "Lee Demo"))
            ],
            role="list",
            aria_label=t("fb.friends"),
        ),
        role="complementary",
        aria_label=t("fb.contacts"),
    )
    return shell(ctx, "Facebook", b("div", "fb.homeGrid", left, feed, contacts))


# ---- Privacy Center --------------------------------------------------------------------


def _notice(ctx: Ctx) -> Node | None:
    if ctx.variant.flow == "2024":
        return None
    b, t = ctx.b, ctx.t
    paragraphs: list[Kid] = [b("p", "fb.noticeText", t("notice.p1"))]
    if ctx.variant.object_place != "genai-section":
        paragraphs.append(
            b(
                "p",
                "fb.noticeText",
                object_sentence(
                    ctx, "notice.p2", ctx.variant.form_url("facebook"), "fb.link", role=ctx.variant.object_role
                ),
                object_sentence(ctx, "notice.again", ctx.variant.form_url("facebook"), "fb.link")
                if ctx.variant.object_twice
                else [],
            )
        )
    return b(
        "div",
        "fb.notice",
        b("div", "fb.noticeIcon", icon(b, "sparkle", size=24)),
        b("div", "fb.noticeBody", b("h2", "fb.noticeTitle", t("notice.title"), id="ai-notice-title"), paragraphs),
        role="region",
        aria_labelledby="ai-notice-title",
    )


def _side_menu(ctx: Ctx) -> Node:
    b, t = ctx.b, ctx.t
    toc = [
        role_link(ctx, "fb.sideSub", f"{POLICY}?section_id={i}", t(f"policy.toc.{i}"))
        for i in range(1, TOC_SECTIONS + 1)
    ]
    return b(
        "div",
        "fb.side" + (" fb.sideMobile" if ctx.mobile else ""),
        b("div", "fb.sideTitle", t("fb.privacyCenter")),
        b(
            "label",
            "fb.searchPill fb.sideSearch",
            icon(b, "search", size=16),
            b("input", "fb.searchInput", type="search", placeholder=t("pc.search"), aria_label=t("pc.search")),
        ),
        role_link(
            ctx,
            "fb.sideItem fb.sideActive",
            PRIVACY_CENTER,
            b("span", "fb.menuIcon", icon(b, "home")),
            b("span", "", t("pc.home")),
            aria_current="page",
        ),
        b(
            "div",
            "fb.sideGroup",
            b("div", "fb.sideGroupTitle", b("span", "fb.menuIcon", icon(b, "doc")), b("span", "", t("policy.title"))),
            toc,
        ),
        role_link(
            ctx,
            "fb.sideItem",
            FB + "/policies/",
            b("span", "fb.menuIcon", icon(b, "data")),
            b("span", "", t("pc.otherRules")),
        ),
        role_link(
            ctx,
            "fb.sideItem",
            FB + "/settings/",
            b("span", "fb.menuIcon", icon(b, "gear")),
            b("span", "", t("settings")),
        ),
        role="navigation",
        aria_label=t("fb.privacyCenter"),
        hidden=ctx.mobile,
        ref="pcSide",
    )


def _topic_cards(ctx: Ctx) -> Node:
    b, t = ctx.b, ctx.t
    genai_key = "pc.topic.genai24" if ctx.variant.flow == "2024" else "pc.topic.genai"
    topics = [
        ("lock", "pc.topic.security", FB + "/privacy/guide/security/"),
        ("share", "pc.topic.sharing", FB + "/privacy/guide/sharing/"),
        ("data", "pc.topic.collection", FB + "/privacy/guide/collection/"),
        ("doc", "pc.topic.use", FB + "/privacy/guide/use/"),
        ("ads", "pc.topic.ads", FB + "/privacy/guide/ads/"),
        ("sparkle", genai_key, GENAI),
    ]
    return b(
        "section",
        "fb.section",
        b("h2", "fb.sectionTitle", t("pc.topics")),
        b(
            "div",
            "fb.topicGrid",
            [
                role_link(
                    ctx,
                    "fb.card fb.topic",
                    url,
                    b("span", "fb.topicIcon", icon(b, name, size=28)),
                    split_text(b, t(key), "fb.topicLabel"),
                )
                for name, key, url in topics
            ],
        ),
    )


def _genai_section(ctx: Ctx) -> Node | None:
    if ctx.variant.object_place != "genai-section" or ctx.variant.flow == "2024":
        return None
    b, t = ctx.b, ctx.t
    return b(
        "section",
        "fb.section fb.card fb.genaiSection",
        b("h2", "fb.sectionTitle", t("pc.topic.genai"), id="genai-section-title"),
        b("p", "fb.text", t("pc.genai.text")),
        b(
            "p",
            "fb.text",
            object_sentence(
                ctx, "notice.p2", ctx.variant.form_url("facebook"), "fb.link", role=ctx.variant.object_role
            ),
        ),
        role="region",
        aria_labelledby="genai-section-title",
    )


def privacy_center(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    hero = b(
        "div",
        "fb.hero",
        b("h1", "fb.heroTitle", t("fb.privacyCenter")),
        b("p", "fb.heroText", t("pc.tagline")),
        ctx.noise_line(),
    )
    learn = b(
        "section",
        "fb.section fb.card fb.learn",
        b("h2", "fb.sectionTitle", t("pc.learn")),
        b("p", "fb.text", t("pc.learn.text")),
        anchor(ctx, "fb.linkStrong", POLICY, split_text(b, t("pc.learn.link"))),
    )
    resources = b(
        "section",
        "fb.section",
        b("h2", "fb.sectionTitle", t("pc.resources")),
        b(
            "ul",
            "fb.resourceList",
            [
                b(
                    "li",
                    "fb.resourceItem",
                    role_link(
                        ctx,
                        "fb.resourceLink",
                        url,
                        b("span", "", t(k)),
                        b("span", "fb.menuChevron", icon(b, "chevron-right", size=16)),
                    ),
                )
                for k, url in (
                    ("pc.res.help", FB + "/help/"),
                    ("pc.res.cookies", FB + "/privacy/policies/cookies/"),
                    ("pc.res.terms", FB + "/legal/terms/"),
                    ("pc.res.community", "https://transparency.meta.com/policies/community-standards/"),
                )
            ],
        ),
    )
    main = b(
        "main", "fb.pcMain", banner(ctx), _notice(ctx), hero, _topic_cards(ctx), _genai_section(ctx), learn, resources
    )
    if ctx.mobile:
        toggle = role_button(
            ctx,
            "fb.pcToggle",
            icon(b, "menu"),
            b("span", "", t("fb.privacyCenter")),
            label=t("pc.menuToggle"),
            aria_expanded="false",
            on=("expand", "pcSide"),
        )
        content = b("div", "fb.pcMobile", toggle, _side_menu(ctx), main)
    else:
        content = b("div", "fb.pcGrid", _side_menu(ctx), main)
    return shell(ctx, t("fb.privacyCenter"), content)


# ---- public pages ----------------------------------------------------------------------


def _policy_sections(ctx: Ctx) -> list[Kid]:
    b, t = ctx.b, ctx.t
    out: list[Kid] = []
    for i in range(1, TOC_SECTIONS + 1):
        kids: list[Kid] = [
            b("h2", "fb.policyH2", t(f"policy.toc.{i}"), id=f"section-{i}"),
            b("p", "fb.text", t(f"policy.body.{i}")),
        ]
        if i == RIGHTS_SECTION:
            kids.append(
                b("p", "fb.text", object_sentence(ctx, "policy.rights", ctx.variant.form_url("facebook"), "fb.link"))
            )
        out.append(b("section", "fb.policySection", kids))
    return out


def _ai_box(ctx: Ctx) -> Node | None:
    if ctx.variant.flow == "2024":
        return None
    b, t = ctx.b, ctx.t
    return b(
        "div",
        "fb.notice fb.policyBox",
        b(
            "div",
            "fb.noticeBody",
            b("h2", "fb.noticeTitle", t("policy.box.title"), id="policy-ai-box"),
            b("p", "fb.noticeText", t("policy.box.p1")),
            b("p", "fb.noticeText", object_sentence(ctx, "policy.box.p2", ctx.variant.form_url("facebook"), "fb.link")),
        ),
        role="region",
        aria_labelledby="policy-ai-box",
    )


def policy(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    toc = b(
        "div",
        "fb.policyToc",
        b("div", "fb.sideGroupTitle", t("policy.title")),
        [anchor(ctx, "fb.sideSub", f"#section-{i}", t(f"policy.toc.{i}")) for i in range(1, TOC_SECTIONS + 1)],
        role="navigation",
        aria_label=t("policy.toc"),
    )
    article = b(
        "main",
        "fb.policyMain",
        b("h1", "fb.heroTitle", t("policy.title")),
        b("p", "fb.policyMeta", t("policy.effective")),
        _ai_box(ctx),
        _policy_sections(ctx),
        anchor(ctx, "fb.linkStrong", FB + "/privacy/policy/printable/", t("policy.printable")),
    )
    grid = b("div", "fb.policyGrid", None if ctx.mobile else toc, article)
    return shell(ctx, t("policy.title"), grid)


def genai(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    form = ctx.variant.form_url("facebook")
    if ctx.variant.flow == "2024":
        sections: list[Kid] = [
            b("h1", "fb.heroTitle", t("genai24.title")),
            b("p", "fb.heroText", t("genai24.tagline")),
            b(
                "section",
                "fb.card fb.genaiBlock",
                b("h2", "fb.sectionTitle", t("genai24.how")),
                [b("p", "fb.text", t(f"genai24.how.{i}")) for i in range(1, 4)],
                b("p", "fb.text", object_sentence(ctx, "genai24.rto", form, "fb.link")),
            ),
        ]
    else:
        sections = [
            b("h1", "fb.heroTitle", t("genai.title")),
            b("p", "fb.heroText", t("genai.tagline")),
            b(
                "section",
                "fb.card fb.genaiBlock",
                b("h2", "fb.sectionTitle", t("genai.what")),
                b("p", "fb.text", t("genai.what.text")),
            ),
            b(
                "section",
                "fb.card fb.genaiBlock",
                b("h2", "fb.sectionTitle", t("genai.shared")),
                [b("p", "fb.text", t(f"genai.shared.{i}")) for i in range(1, 4)],
                b("p", "fb.text", object_sentence(ctx, "genai.object", form, "fb.link")),
            ),
        ]
    return shell(
        ctx, t("genai24.title" if ctx.variant.flow == "2024" else "genai.title"), b("main", "fb.genaiMain", sections)
    )


# ---- forms & Accounts Center ------------------------------------------------------------


def form_page(ctx: Ctx, kind: str) -> Page:
    inner = form_2025(ctx) if kind == "2025" else form_2024(ctx)
    b, t = ctx.b, ctx.t
    page = shell(
        ctx,
        inner.title,
        b("div", "fb.helpHead", b("span", "fb.helpBrand", t("fb.helpCenter"))),
        b("main", "fb.formMain", inner.root),
    )
    page.validate = inner.validate
    return page


__all__ = ["form_page", "genai", "home", "policy", "privacy_center"]
