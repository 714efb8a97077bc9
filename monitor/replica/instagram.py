"""Instagram pages: home with More/Options menus, settings, Privacy Centre, AI at Meta, policy, forms."""

from __future__ import annotations

from .common import (
    ACCOUNT_HANDLE,
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
from .icons import icon
from .markup import Kid, Node, Page

IG = "https://www.instagram.com"
SETTINGS = IG + "/accounts/edit/"
PC = "https://privacycenter.instagram.com"
PRIVACY_CENTRE = PC + "/"
ACCOUNTS_CENTRE = "https://accountscenter.instagram.com/"
GENAI = PC + "/privacy/genai/"
POLICY = PC + "/policy/"
HELP = "https://help.instagram.com/"


def privacy_centre_url(ctx: Ctx) -> str:
    return ACCOUNTS_CENTRE if ctx.variant.accounts_center_hop else PRIVACY_CENTRE


def heading(ctx: Ctx, level: int, comp: str, text: str, **attrs: str) -> Node:
    """Instagram's headings: a div/span with role=heading and aria-level."""
    return ctx.b("div", comp, split_text(ctx.b, text), role="heading", aria_level=level, **attrs)


# ---- shell ---------------------------------------------------------------------------------


def _nav_item(
    ctx: Ctx,
    name: str,
    key: str,
    url: str | None = None,
    *,
    extra: Kid = None,
    on: tuple[str, ...] | None = None,
    ref: str | None = None,
    active: bool = False,
) -> Node:
    b, t = ctx.b, ctx.t
    comp = "ig.navItem" + (" ig.navActive" if active else "")
    kids = [b("span", "ig.navIcon", icon(b, name, size=24), extra), b("span", "ig.navLabel", t(key))]
    if url:
        return role_link(ctx, comp, url, kids, label=t(key))
    return b(
        "div",
        comp,
        kids,
        role="button",
        tabindex=0,
        aria_label=t(key),
        on=on,
        ref=ref,
        aria_haspopup="menu" if on and on[0] == "pop" else None,
        aria_expanded="false" if on and on[0] == "pop" else None,
    )


def _badge(ctx: Ctx) -> Node | None:
    if not ctx.variant.noise:
        return None
    return ctx.b("span", "ig.badge", str(1 + ctx.counter % 9))


def _more_menu(ctx: Ctx) -> Node:
    b, t = ctx.b, ctx.t
    first: Kid
    if ctx.variant.menu_shortcut:
        first = anchor(
            ctx, "ig.menuItem", privacy_centre_url(ctx), icon(b, "lock", size=18), split_text(b, t("ig.privacyCentre"))
        )
    else:
        first = anchor(ctx, "ig.menuItem", SETTINGS, icon(b, "gear", size=18), split_text(b, t("settings")))
    return b(
        "div",
        "ig.moreMenu",
        first,
        role_link(
            ctx, "ig.menuItem", IG + "/your_activity/", icon(b, "clock", size=18), split_text(b, t("ig.activity"))
        ),
        role_link(
            ctx,
            "ig.menuItem",
            IG + f"/{ACCOUNT_HANDLE}/saved/",
            icon(b, "bookmark", size=18),
            split_text(b, t("fb.saved")),
        ),
        role_button(ctx, "ig.menuItem", icon(b, "moon", size=18), split_text(b, t("ig.appearance"))),
        role_button(ctx, "ig.menuItem", icon(b, "feedback", size=18), split_text(b, t("ig.report"))),
        b("div", "ig.menuSep"),
        role_button(ctx, "ig.menuItem", split_text(b, t("ig.switch"))),
        role_button(ctx, "ig.menuItem", split_text(b, t("logout"))),
    )


def _options_sheet(ctx: Ctx) -> Node:
    b, t = ctx.b, ctx.t
    first: Kid
    if ctx.variant.menu_shortcut:
        first = anchor(
            ctx, "ig.sheetItem", privacy_centre_url(ctx), icon(b, "lock", size=22), split_text(b, t("ig.privacyCentre"))
        )
    else:
        first = anchor(ctx, "ig.sheetItem", SETTINGS, icon(b, "gear", size=22), split_text(b, t("ig.settingsActivity")))
    return b(
        "div",
        "ig.sheet",
        b("div", "ig.sheetHandle", aria_hidden="true"),
        first,
        role_link(ctx, "ig.sheetItem", IG + "/archive/", icon(b, "clock", size=22), split_text(b, t("ig.archive"))),
        role_link(
            ctx, "ig.sheetItem", IG + "/your_activity/", icon(b, "data", size=22), split_text(b, t("ig.activity"))
        ),
        role_link(
            ctx,
            "ig.sheetItem",
            IG + f"/{ACCOUNT_HANDLE}/saved/",
            icon(b, "bookmark", size=22),
            split_text(b, t("fb.saved")),
        ),
        role_button(ctx, "ig.sheetItem", icon(b, "moon", size=22), split_text(b, t("ig.appearance"))),
        role_button(ctx, "ig.sheetItem", icon(b, "feedback", size=22), split_text(b, t("ig.report"))),
        role_button(ctx, "ig.sheetItem ig.sheetDanger", split_text(b, t("logout"))),
    )


def _feed_top(ctx: Ctx) -> Node:
    """The phone's bar above the feed: the wordmark, notifications and messages (no menu: on the
    mobile web, ☰ sits on the person's own profile)."""
    b, t = ctx.b, ctx.t
    return b(
        "div",
        "ig.mTop",
        anchor(ctx, "ig.wordmark ig.mLogo", IG + "/", "Instagram", label="Instagram"),
        b(
            "div",
            "ig.mTopRight",
            role_link(
                ctx, "ig.iconBtn", IG + "/notifications/", icon(b, "heart", size=24), label=t("fb.notifications")
            ),
            role_link(ctx, "ig.iconBtn", IG + "/direct/inbox/", icon(b, "send", size=24), label=t("ig.messages")),
        ),
        role="banner",
    )


def _profile_top(ctx: Ctx) -> Node:
    """The phone's bar above the person's own profile: their user name, and ☰ at the top right."""
    b, t = ctx.b, ctx.t
    return b(
        "div",
        "ig.mTop",
        b("div", "ig.mHandle", ACCOUNT_HANDLE),
        b(
            "div",
            "ig.iconBtn",
            icon(b, "menu", size=24),
            _badge(ctx),
            role="button",
            tabindex=0,
            aria_label=t("ig.options"),
            aria_haspopup="menu",
            aria_expanded="false",
            on=("pop", "igOptions"),
        ),
        role="banner",
    )


def shell(ctx: Ctx, title: str, *content: Kid, active: str = "") -> Page:
    b, t = ctx.b, ctx.t
    main = b("main", "ig.main", *content, ref="main")
    if ctx.mobile:
        top = _profile_top(ctx) if active == "profile" else _feed_top(ctx)
        tabs = b(
            "div",
            "ig.mTabs",
            [
                role_link(ctx, "ig.mTab", url, icon(b, n, size=24), label=t(k))
                for n, k, url in (
                    ("home", "fb.tab.home", IG + "/"),
                    ("compass", "ig.explore", IG + "/explore/"),
                    ("reels", "ig.reels", IG + "/reels/"),
                    ("plus", "fb.create", IG + "/create/"),
                )
            ],
            role_link(
                ctx, "ig.mTab", IG + f"/{ACCOUNT_HANDLE}/", ctx.avatar(26, "ig.tabAvatar"), label=t("ig.profile")
            ),
            role="navigation",
            aria_label=t("fb.nav"),
        )
        page = Page(title, b("div", "ig.appMobile", top, main, tabs))
        if active == "profile":
            page.popups["igOptions"] = {"node": _options_sheet(ctx), "into": "main", "mode": "replace"}
        return page
    nav = b(
        "div",
        "ig.side",
        anchor(ctx, "ig.wordmark ig.sideLogo", IG + "/", "Instagram", label="Instagram"),
        b(
            "div",
            "ig.navList",
            _nav_item(ctx, "home", "fb.tab.home", IG + "/", active=active == "home"),
            _nav_item(ctx, "search", "ig.search", on=("noop",)),
            _nav_item(ctx, "compass", "ig.explore", IG + "/explore/"),
            _nav_item(ctx, "reels", "ig.reels", IG + "/reels/"),
            _nav_item(ctx, "send", "ig.messages", IG + "/direct/inbox/"),
            _nav_item(ctx, "heart", "fb.notifications", on=("noop",), extra=_badge(ctx)),
            _nav_item(ctx, "plus", "fb.create", on=("noop",)),
            role_link(
                ctx,
                "ig.navItem",
                IG + f"/{ACCOUNT_HANDLE}/",
                b("span", "ig.navIcon", ctx.avatar(24, "ig.navAvatar")),
                b("span", "ig.navLabel", t("ig.profile")),
                label=t("ig.profile"),
            ),
        ),
        b("div", "ig.moreAnchor", _nav_item(ctx, "menu", "ig.more", on=("pop", "igMore")), ref="moreAnchor"),
        role="navigation",
        aria_label=t("fb.nav"),
    )
    page = Page(title, b("div", "ig.app", nav, main))
    page.popups["igMore"] = {"node": _more_menu(ctx), "into": "moreAnchor", "mode": "append"}
    return page


# ---- home and settings -------------------------------------------------------------------

STORIES = ("gardening.club", "city.cycling", "bakery_example", "trail.notes", "sample.studio", "demo.kitchen")


def home(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    stories = b(
        "div",
        "ig.stories",
        [
            role_link(
                ctx,
                "ig.story",
                IG + f"/stories/{s}/",
                b("span", "ig.storyRing", b("span", "ig.storyDot ig.storyDot" + str(i % 3), s[0].upper())),
                b("span", "ig.storyName", s),
            )
            for i, s in enumerate(STORIES[: 4 if ctx.mobile else 6])
        ],
        role="list",
        aria_label=t("ig.storiesLabel"),
    )
    posts = []
    for n in (1, 2):
        posts.append(
            b(
                "article",
                "ig.post",
                b(
                    "div",
                    "ig.postHead",
                    b("span", "ig.storyDot ig.storyDot" + str(n), STORIES[n - 1][0].upper()),
                    role_link(ctx, "ig.postUser", IG + f"/{STORIES[n - 1]}/", STORIES[n - 1]),
                    b("span", "ig.postMeta", t(f"ig.post{n}.meta")),
                ),
                b("div", "ig.postImage ig.postImage" + str(n), role="img", aria_label=t(f"ig.post{n}.alt")),
                b(
                    "div",
                    "ig.postActions",
                    [
                        role_button(ctx, "ig.iconBtn", icon(b, n2, size=24), label=t(k))
                        for n2, k in (("heart", "fb.like"), ("messenger", "fb.comment"), ("send", "fb.share"))
                    ],
                ),
                b("div", "ig.postLikes", t(f"ig.post{n}.likes")),
                b("div", "ig.postCaption", b("strong", "", STORIES[n - 1]), " ", t(f"ig.post{n}.caption")),
            )
        )
    feed = b("div", "ig.feed", stories, posts)
    if ctx.mobile:
        return shell(ctx, "Instagram", feed, active="home")
    side = b(
        "div",
        "ig.suggest",
        b(
            "div",
            "ig.meRow",
            ctx.avatar(44, "ig.meAvatar"),
            b("div", "", b("div", "ig.meHandle", ACCOUNT_HANDLE), b("div", "ig.meName", ACCOUNT_NAME)),
        ),
        b("div", "ig.suggestTitle", t("ig.suggested")),
        [
            b(
                "div",
                "ig.meRow",
                b("span", "ig.storyDot ig.storyDot" + str(i % 3), s[0].upper()),
                b("div", "", b("div", "ig.meHandle", s), b("div", "ig.meName", t("ig.suggestedSub"))),
            )
            for i, s in enumerate(STORIES[2:5])
        ],
        b("div", "ig.footer", t("ig.footer")),
    )
    return shell(ctx, "Instagram", b("div", "ig.homeGrid", feed, side), active="home")


def _settings_groups(ctx: Ctx) -> list[Kid]:
    b, t = ctx.b, ctx.t
    groups: list[tuple[str, list[tuple[str, str, str]]]] = [
        (
            "ig.set.how",
            [("user", "ig.set.editProfile", SETTINGS), ("bell", "fb.notifications", IG + "/accounts/notifications/")],
        ),
        (
            "ig.set.who",
            [
                ("lock", "ig.set.privacy", IG + "/accounts/privacy_setting/"),
                ("group", "ig.set.close", IG + "/accounts/close_friends/"),
                ("close", "ig.set.blocked", IG + "/accounts/blocked_accounts/"),
            ],
        ),
        ("ig.set.see", [("bell", "ig.set.muted", IG + "/accounts/muted_accounts/")]),
    ]
    out: list[Kid] = [
        role_link(
            ctx,
            "ig.acCard",
            ACCOUNTS_CENTRE,
            b("div", "ig.acTitle", b("span", "ig.metaMark", "∞ Meta"), b("span", "", t("ig.accountsCentre"))),
            b("div", "ig.acText", t("ig.set.acText")),
        )
    ]
    for key, items in groups:
        out.append(heading(ctx, 2, "ig.setGroup", t(key)))
        out += [role_link(ctx, "ig.setItem", url, icon(b, n, size=22), split_text(b, t(k))) for n, k, url in items]
    out.append(heading(ctx, 2, "ig.setGroup", t("ig.set.more")))
    out += [
        role_link(ctx, "ig.setItem", HELP, icon(b, "question", size=22), split_text(b, t("ig.set.help"))),
        role_link(
            ctx, "ig.setItem", privacy_centre_url(ctx), icon(b, "lock", size=22), split_text(b, t("ig.privacyCentre"))
        ),
        role_link(
            ctx,
            "ig.setItem",
            IG + "/accounts/account_status/",
            icon(b, "shield", size=22),
            split_text(b, t("ig.set.status")),
        ),
        role_link(
            ctx, "ig.setItem", IG + "/accounts/about/", icon(b, "info", size=22), split_text(b, t("ig.set.about"))
        ),
    ]
    return out


def settings(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    if ctx.mobile:
        head = b(
            "div",
            "ig.setTop",
            role_link(ctx, "ig.iconBtn", IG + "/", icon(b, "back", size=24), label=t("back")),
            heading(ctx, 1, "ig.setTopTitle", t("ig.settingsActivity")),
        )
        return shell(ctx, t("settings"), head, b("div", "ig.setList", _settings_groups(ctx)))
    column = b(
        "div",
        "ig.setCol",
        heading(ctx, 1, "ig.setTitle", t("settings")),
        _settings_groups(ctx),
        role="navigation",
        aria_label=t("settings"),
    )
    pane = b(
        "div",
        "ig.setPane",
        heading(ctx, 2, "ig.paneTitle", t("ig.set.editProfile")),
        b(
            "div",
            "ig.profileBox",
            ctx.avatar(56, "ig.meAvatar"),
            b("div", "", b("div", "ig.meHandle", ACCOUNT_HANDLE), b("div", "ig.meName", ACCOUNT_NAME)),
            role_button(ctx, "ig.btnBlue ig.smallBtn", t("ig.set.changePhoto")),
        ),
        b("label", "ig.fieldLabel", t("ig.set.website"), for_="ig-website"),
        b("input", "ig.input", id="ig-website", type="text", placeholder=t("ig.set.website"), disabled=True),
        b("label", "ig.fieldLabel", t("ig.set.bio"), for_="ig-bio"),
        b("textarea", "ig.input ig.bio", t("ig.set.bioText"), id="ig-bio", rows=3),
        b("div", "ig.paneNote", t("ig.set.note")),
        role_button(ctx, "ig.btnBlue ig.submit", t("ig.set.submit")),
    )
    return shell(ctx, t("settings"), b("div", "ig.setGrid", column, pane))


def profile(ctx: Ctx) -> Page:
    """The person's own profile (reached from the avatar, last in the phone's bottom bar): their
    picture, name and user name, which the journey's masks paint over in screenshots."""
    b, t = ctx.b, ctx.t
    stats = b(
        "div",
        "ig.profStats",
        [
            b("div", "ig.profStat", b("strong", "", n), " ", t(k))
            for n, k in (("0", "ig.prof.posts"), ("12", "ig.prof.followers"), ("34", "ig.prof.following"))
        ],
    )
    head = b(
        "div",
        "ig.profHead",
        ctx.avatar(86 if ctx.mobile else 150, "ig.profAvatar"),
        b(
            "div",
            "ig.profBody",
            b("div", "ig.meHandle", ACCOUNT_HANDLE) if not ctx.mobile else None,
            stats,
            b("div", "ig.meName", ACCOUNT_NAME),
        ),
    )
    actions = b(
        "div",
        "ig.profActions",
        role_link(ctx, "ig.profBtn", SETTINGS, split_text(b, t("ig.set.editProfile"))),
        role_button(ctx, "ig.profBtn", split_text(b, t("ig.prof.share"))),
    )
    empty = b("div", "ig.profEmpty", icon(b, "plus", size=40), b("div", "", t("ig.prof.empty")))
    return shell(
        ctx, f"{ACCOUNT_NAME} (@{ACCOUNT_HANDLE})", b("div", "ig.profile", head, actions, empty), active="profile"
    )


# ---- privacycenter.instagram.com -------------------------------------------------------


def _pc_shell(ctx: Ctx, title: str, *content: Kid) -> Page:
    b, t = ctx.b, ctx.t
    top = b(
        "div",
        "ig.pcTop",
        anchor(ctx, "ig.wordmark ig.pcLogo", IG + "/", "Instagram", label="Instagram"),
        role_link(ctx, "ig.pcTopLink", PRIVACY_CENTRE, t("ig.privacyCentre")),
        role="banner",
    )
    foot = b("div", "ig.pcFoot", t("ig.footer"), role="contentinfo")
    return Page(title, b("div", "ig.pcApp", top, b("main", "ig.pcMain", *content, ref="main"), foot))


def privacy_centre(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    cards = [
        ("sparkle", "ig.aiAtMeta", "ig.pc.ai.text", GENAI),
        ("doc", "policy.title", "ig.pc.policy.text", POLICY),
        ("lock", "pc.topic.security", "ig.pc.security.text", PC + "/privacy/security/"),
        ("share", "pc.topic.sharing", "ig.pc.sharing.text", PC + "/privacy/sharing/"),
        ("ads", "pc.topic.ads", "ig.pc.ads.text", PC + "/privacy/ads/"),
    ]
    return _pc_shell(
        ctx,
        t("ig.privacyCentre"),
        heading(ctx, 1, "ig.pcTitle", t("ig.privacyCentre")),
        b("p", "ig.pcTagline", t("pc.tagline")),
        ctx.noise_line(),
        heading(ctx, 2, "ig.pcH2", t("ig.pc.popular")),
        b(
            "div",
            "ig.pcCards",
            [
                role_link(
                    ctx,
                    "ig.pcCard",
                    url,
                    b("span", "ig.pcCardIcon", icon(b, n, size=26)),
                    b("span", "ig.pcCardBody", b("span", "ig.pcCardTitle", t(k)), b("span", "ig.pcCardText", t(d))),
                    label=t(k),
                )
                for n, k, d, url in cards
            ],
        ),
    )


def genai(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    form = ctx.variant.form_url("instagram")
    if ctx.variant.flow == "2024":
        return _pc_shell(
            ctx,
            t("genai24.title"),
            heading(ctx, 1, "ig.pcTitle", t("genai24.title")),
            b("p", "ig.pcTagline", t("genai24.tagline")),
            b(
                "section",
                "ig.pcSection",
                heading(ctx, 2, "ig.pcH2", t("genai24.how")),
                [b("p", "ig.text", t(f"genai24.how.{i}")) for i in range(1, 4)],
                # 2024: the Instagram page named the right but linked nothing (archived August 2024).
                b("p", "ig.text", object_sentence(ctx, "genai24.rto", form, "ig.link", place_ok=False)),
            ),
        )
    aria = t("notice.link.aria")
    role = ctx.variant.object_role
    notice_paras: list[Kid] = [b("p", "ig.text", t("notice.p1"))]
    if ctx.variant.object_place != "genai-section":
        notice_paras.append(b("p", "ig.text", object_sentence(ctx, "notice.p2", form, "ig.link", aria=aria, role=role)))
    notice = b(
        "div",
        "ig.notice",
        heading(ctx, 2, "ig.noticeTitle", t("notice.title"), id="ig-ai-notice"),
        notice_paras,
        role="region",
        aria_labelledby="ig-ai-notice",
    )
    choices: list[Kid] = [b("p", "ig.text", t("ig.genai.choices.text"))]
    if ctx.variant.object_place == "genai-section":
        choices.append(b("p", "ig.text", object_sentence(ctx, "notice.p2", form, "ig.link", aria=aria, role=role)))
    return _pc_shell(
        ctx,
        t("ig.aiAtMeta"),
        banner(ctx),
        notice,
        heading(ctx, 1, "ig.pcTitle", t("ig.aiAtMeta")),
        ctx.noise_line(),
        b(
            "section",
            "ig.pcSection",
            heading(ctx, 2, "ig.pcH2", t("ig.genai.what")),
            b("p", "ig.text", t("ig.genai.what.text")),
        ),
        b(
            "section",
            "ig.pcSection",
            heading(ctx, 2, "ig.pcH2", t("ig.genai.info")),
            b("p", "ig.text", t("ig.genai.info.text")),
        ),
        b(
            "section",
            "ig.pcSection",
            heading(ctx, 2, "ig.pcH2", t("ig.genai.choices"), id="ig-choices"),
            choices,
            role="region",
            aria_labelledby="ig-choices",
        ),
    )


def policy(ctx: Ctx) -> Page:
    b, t = ctx.b, ctx.t
    sections: list[Kid] = []
    for i in range(1, 10):
        kids: list[Kid] = [
            heading(ctx, 2, "ig.pcH2", t(f"policy.toc.{i}")),
            b("p", "ig.text", t(f"ig.policy.body.{i}")),
        ]
        if i == 6:
            kids.append(
                b("p", "ig.text", object_sentence(ctx, "policy.rights", ctx.variant.form_url("instagram"), "ig.link"))
            )
        sections.append(b("section", "ig.pcSection", kids))
    return _pc_shell(
        ctx,
        t("ig.policy.title"),
        heading(ctx, 1, "ig.pcTitle", t("ig.policy.title")),
        b("p", "ig.pcTagline", t("policy.effective")),
        sections,
    )


# ---- help.instagram.com forms ------------------------------------------------------------


def form_page(ctx: Ctx, kind: str) -> Page:
    b, t = ctx.b, ctx.t
    inner = form_2025(ctx) if kind == "2025" else form_2024(ctx)
    top = b(
        "div",
        "ig.helpTop",
        anchor(ctx, "ig.wordmark ig.pcLogo", IG + "/", "Instagram", label="Instagram"),
        b("span", "ig.helpBrand", t("ig.helpCentre")),
        role="banner",
    )
    page = Page(inner.title, b("div", "ig.helpApp", top, b("main", "ig.helpMain", inner.root, ref="main")))
    page.validate = inner.validate
    return page
