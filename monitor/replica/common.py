"""What both platforms share: the request context, consent dialog, login wall,
security check, error pages, the objection forms and the objection link itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .i18n import Texts
from .icons import AVATAR_COLOURS, avatar, icon
from .markup import Builder, Kid, Node, Page
from .variants import Variant

ACCOUNT_NAME = "Jane Example"
ACCOUNT_EMAIL = "jane.example@example.com"
ACCOUNT_HANDLE = "jane.example"
# What a run against the replica sets OPTOUT_MASK_TEXT to: accept refuses a logged-in walk whose
# pictures nothing painted the account's name over.
MASK_TEXT = f"{ACCOUNT_NAME}|{ACCOUNT_HANDLE}"
ACCOUNT_ID = "100000000000001"

#: Per platform: the consent cookie, the cookie domain, the session cookies.
CONSENT_COOKIE = {"facebook": "datr_consent", "instagram": "ig_consent", "meta": "meta_consent"}
COOKIE_DOMAIN = {"facebook": ".facebook.com", "instagram": ".instagram.com", "meta": ".meta.com"}
SESSION_COOKIES: dict[str, tuple[tuple[str, str], ...]] = {
    "facebook": (("c_user", ACCOUNT_ID), ("xs", "replica-session")),
    "instagram": (("sessionid", "replica-session"), ("ds_user_id", ACCOUNT_ID)),
    "meta": (),
}
SITE_NAME = {"facebook": "Facebook", "instagram": "Instagram", "meta": "Meta"}


@dataclass
class Ctx:
    """One request as the pages see it."""

    variant: Variant
    platform: str  # facebook | instagram | meta
    host: str
    path: str
    locale: str
    mobile: bool
    logged_in: bool
    consented: bool
    direct: bool
    counter: int = 0
    query: Mapping[str, str] = field(default_factory=dict)
    page: str = ""

    def __post_init__(self) -> None:
        self.b = Builder(self.variant.class_seed)
        self.t = Texts(self.locale, self.variant.labels)

    @property
    def origin(self) -> str:
        return f"https://{self.host}"

    @property
    def url(self) -> str:
        return self.origin + self.path

    @property
    def avatar_colour(self) -> str:
        if self.variant.noise:
            return AVATAR_COLOURS[self.counter % len(AVATAR_COLOURS)]
        return AVATAR_COLOURS[0]

    def avatar(self, size: int, comp: str = "avatar", labelled: bool = True) -> Node:
        return avatar(self.b, self.avatar_colour, size, comp, self.t("profile.label") if labelled else None)

    def noise_line(self) -> Node | None:
        """'Last updated <now>': differs on every request (noise variant only)."""
        if not self.variant.noise:
            return None
        now = datetime.now().strftime("%d.%m.%Y %H:%M:%S")
        return self.b("div", "noise", self.t("noise.updated", time=now), aria_live="polite")


PageFn = Callable[[Ctx], Page]


def split_text(b: Builder, text: str, comp: str = "") -> Node:
    """Visible text split over nested spans (same characters, same accessible name)."""
    head, sep, tail = text.partition(" ")
    inner: list[Kid] = [b("span", "", head)]
    if sep:
        inner.append(b("span", "", sep + tail))
    return b("span", comp, b("span", "", inner))


def role_link(ctx: Ctx, comp: str, url: str, *kids: Kid, label: str | None = None, **attrs: Any) -> Node:
    """A div role=link that navigates by script (click or Enter); no href, like Meta's."""
    return ctx.b("div", comp, *kids, role="link", tabindex=0, aria_label=label, on=("nav", url), **attrs)


def role_button(
    ctx: Ctx, comp: str, *kids: Kid, label: str | None = None, on: Sequence[str] | None = None, **attrs: Any
) -> Node:
    return ctx.b("div", comp, *kids, role="button", tabindex=0, aria_label=label, on=on, **attrs)


def anchor(ctx: Ctx, comp: str, url: str, *kids: Kid, label: str | None = None, **attrs: Any) -> Node:
    return ctx.b("a", comp, *kids, href=url, role="link", tabindex=0, aria_label=label, **attrs)


def object_sentence(
    ctx: Ctx,
    prefix: str,
    url: str,
    comp_link: str,
    *,
    aria: str | None = None,
    place_ok: bool = True,
    role: str = "link",
) -> list[Kid]:
    """`<prefix>.before` + the linked word + `<prefix>.after`, honouring the variant.

    place_ok=False renders the words as plain text (the link lives elsewhere).
    """
    t, b = ctx.t, ctx.b
    word = t(f"{prefix}.link")
    if ctx.variant.object_place == "text-only" or not place_ok:
        target: Node = b("span", "", word)
    elif role == "button":
        target = b(
            "span",
            comp_link + " asButton",
            b("span", "", word),
            role="button",
            tabindex=0,
            aria_label=aria,
            on=("nav", url),
        )
    else:
        target = b("a", comp_link, b("span", "", word), href=url, role="link", tabindex=0, aria_label=aria)
    return [t(f"{prefix}.before"), target, t(f"{prefix}.after")]


# ---- consent ---------------------------------------------------------------------------


def consent_dialog(ctx: Ctx) -> Node:
    t, b = ctx.t, ctx.b
    site = SITE_NAME[ctx.platform]
    p = "fb" if ctx.platform != "instagram" else "ig"
    decline = role_button(
        ctx, f"{p}.btnGrey consent.btn", split_text(b, t("consent.decline")), on=("consent", "decline")
    )
    accept = role_button(ctx, f"{p}.btnBlue consent.btn", split_text(b, t("consent.accept")), on=("consent", "accept"))
    if ctx.variant.consent_style == "sheet":
        return b(
            "div",
            "consent.sheet",
            b(
                "div",
                "consent.sheetInner",
                b("h2", "consent.title", t("consent.title", site=site), id="consent-title"),
                b("p", "consent.text", t("consent.short", site=site)),
                b("div", "consent.buttons", decline, accept),
            ),
            role="dialog",
            aria_modal="false",
            aria_labelledby="consent-title",
            ref="consent",
        )
    return b(
        "div",
        "consent.backdrop",
        b(
            "div",
            "consent.box",
            b("h2", "consent.title", t("consent.title", site=site), id="consent-title"),
            b(
                "div",
                "consent.body",
                b("p", "consent.text", t("consent.p1", site=site)),
                b("p", "consent.text", t("consent.p2")),
                b("h3", "consent.sub", t("consent.h.others")),
                b("p", "consent.text", t("consent.p3", site=site)),
                b("h3", "consent.sub", t("consent.h.choices")),
                b("p", "consent.text", t("consent.p4")),
            ),
            b("div", "consent.buttons", decline, accept),
            role="dialog",
            aria_modal="true",
            aria_labelledby="consent-title",
        ),
        ref="consent",
    )


# ---- login wall, security check, errors --------------------------------------------------


def login_wall(ctx: Ctx) -> Page:
    t, b = ctx.t, ctx.b
    if ctx.platform == "instagram":
        card = b(
            "div",
            "ig.loginCard",
            b("div", "ig.wordmark ig.loginLogo", "Instagram", aria_hidden="true"),
            b("h1", "ig.loginTitle", t("ig.login.title")),
            b(
                "input",
                "ig.input",
                type="text",
                aria_label=t("ig.login.user"),
                placeholder=t("ig.login.user"),
                autocomplete="username",
            ),
            b(
                "input",
                "ig.input",
                type="password",
                aria_label=t("login.password"),
                placeholder=t("login.password"),
                autocomplete="current-password",
            ),
            role_button(ctx, "ig.btnBlue ig.loginBtn", split_text(b, t("login.button")), on=("login",)),
            b("div", "ig.loginOr", t("login.or")),
            role_link(ctx, "ig.smallLink", "https://www.instagram.com/accounts/password/reset/", t("ig.login.forgot")),
            b(
                "div",
                "ig.loginSignup",
                t("ig.login.noaccount"),
                " ",
                role_link(
                    ctx, "ig.strongLink", "https://www.instagram.com/accounts/emailsignup/", t("ig.login.signup")
                ),
            ),
        )
        return Page(t("ig.login.title"), b("div", "ig.loginPage", b("main", "ig.loginMain", card)))
    card = b(
        "div",
        "fb.loginCard",
        b("h1", "fb.loginTitle", t("fb.login.title")),
        b("p", "fb.loginSub", t("login.must")),
        b(
            "input",
            "fb.input",
            type="text",
            aria_label=t("fb.login.user"),
            placeholder=t("fb.login.user"),
            autocomplete="username",
        ),
        b(
            "input",
            "fb.input",
            type="password",
            aria_label=t("login.password"),
            placeholder=t("login.password"),
            autocomplete="current-password",
        ),
        role_button(ctx, "fb.btnBlue fb.loginBtn", split_text(b, t("login.button")), on=("login",)),
        role_link(ctx, "fb.smallLink", "https://www.facebook.com/recover/initiate/", t("fb.login.forgot")),
        b("div", "fb.loginSep"),
        role_link(ctx, "fb.btnGreen", "https://www.facebook.com/r.php", t("fb.login.create")),
    )
    root = b(
        "div",
        "fb.loginPage",
        b("div", "fb.loginBrand", b("div", "fb.wordmark", "facebook", aria_hidden="true")),
        b("main", "fb.loginMain", card),
    )
    return Page(t("fb.login.title"), root)


def security_check(ctx: Ctx) -> Page:
    t, b = ctx.t, ctx.b
    captcha = b(
        "svg",
        "sec.captcha",
        b("rect", "", width=200, height=60, fill="#EEF0F3"),
        b("path", "", d="M10 40 C50 10, 90 55, 190 20", stroke="#9AA3AF", fill="none", stroke_width=2),
        b(
            "text",
            "",
            "x7Kp2Q",
            x=32,
            y=40,
            font_size=28,
            font_family="DejaVu Sans Mono, monospace",
            fill="#3A4350",
            transform="rotate(-4 100 30)",
        ),
        viewBox="0 0 200 60",
        width=200,
        height=60,
        aria_hidden="true",
    )
    card = b(
        "div",
        "sec.card",
        b("div", "sec.icon", icon(b, "shield", size=36)),
        b("h1", "sec.title", t("security.title")),
        b("p", "sec.text", t("security.text")),
        captcha,
        b("label", "sec.label", t("security.field"), b("input", "fb.input", type="text", name="captcha")),
        role_button(ctx, "fb.btnBlue sec.btn", t("common.continue")),
    )
    return Page(t("security.title"), b("div", "sec.page", b("main", "sec.main", card)))


def error_page(ctx: Ctx, status: int) -> Page:
    t, b = ctx.t, ctx.b
    key = "notfound" if status == 404 else "error"
    body = b(
        "div",
        "err.page",
        b(
            "main",
            "err.main",
            b("div", "err.icon", icon(b, "info", size=48)),
            b("h1", "err.title", t(f"{key}.title")),
            b("p", "err.text", t(f"{key}.text")),
            role_link(ctx, "err.link", ctx.origin + "/", t("common.home")),
        ),
    )
    return Page(t(f"{key}.title"), body, status=status)


def banner(ctx: Ctx) -> Node | None:
    if not ctx.variant.banner:
        return None
    t, b = ctx.t, ctx.b
    return b(
        "div",
        "banner",
        b("div", "banner.icon", icon(b, "info", size=22)),
        b("div", "", b("div", "banner.title", t("banner.title")), b("div", "banner.text", t("banner.text"))),
        role="status",
    )


# ---- the forms ---------------------------------------------------------------------------


def _field_error(ctx: Ctx, name: str) -> Node:
    return ctx.b("div", "form.error", role="alert", hidden=True, ref=f"err:{name}")


def form_2025(ctx: Ctx) -> Page:
    """The 2025 form: e-mail pre-filled, optional impact text, Send -> in-page confirmation."""
    t, b = ctx.t, ctx.b
    intro = [b("p", "form.p", t(f"form.intro.{i}")) for i in range(1, 8)]
    body = b(
        "div",
        "form.card",
        b("h1", "form.title", t("form.title")),
        b(
            "div",
            "form.cols",
            b("div", "form.intro", intro),
            b(
                "div",
                "form.side",
                b(
                    "div",
                    "form.fields",
                    b("label", "form.label", t("form.email"), for_="replica-email"),
                    b(
                        "input",
                        "form.input",
                        id="replica-email",
                        type="email",
                        name="email",
                        value=ACCOUNT_EMAIL,
                        autocomplete="email",
                        required=True,
                    ),
                    _field_error(ctx, "email"),
                    b("label", "form.label", t("form.impact"), for_="replica-impact"),
                    b("div", "form.hint", t("form.optional")),
                    b("textarea", "form.textarea", id="replica-impact", name="impact", rows=5),
                    _field_error(ctx, "_form"),
                ),
                b(
                    "div",
                    "form.actions",
                    role_button(ctx, f"{_btn(ctx)} form.send", split_text(b, t("form.send")), on=("submit",)),
                ),
            ),
        ),
        ref="form",
    )
    validate = {"email": {"required": True, "pattern": r"^[^@\s]+@[^@\s]+$", "message": t("form.err.email")}}
    return Page(t("form.title"), body, validate=validate)


def _btn(ctx: Ctx) -> str:
    return {"facebook": "fb.btnBlue", "instagram": "ig.btnBlue", "meta": "meta.btnBlue"}[ctx.platform]


COUNTRIES = ("at", "be", "de", "es", "fr", "ie", "it", "lu", "nl", "pl", "se")


def form_2024(ctx: Ctx) -> Page:
    """The 2024 form: country, e-mail, a required explanation (>= 100 characters), Send."""
    t, b = ctx.t, ctx.b
    options = [b("option", "", t("form24.country.pick"), value="")]
    options += [b("option", "", t(f"country.{c}"), value=c.upper()) for c in COUNTRIES]
    body = b(
        "div",
        "form.card",
        b("h1", "form.title", t("form.title")),
        b(
            "div",
            "form.cols",
            b("div", "form.intro", [b("p", "form.p", t(f"form24.intro.{i}")) for i in range(1, 4)]),
            b(
                "div",
                "form.side",
                b(
                    "div",
                    "form.fields",
                    b("label", "form.label", t("form24.country"), for_="replica-country"),
                    b("select", "form.input", options, id="replica-country", name="country", required=True),
                    _field_error(ctx, "country"),
                    b("label", "form.label", t("form.email"), for_="replica-email"),
                    b(
                        "input",
                        "form.input",
                        id="replica-email",
                        type="email",
                        name="email",
                        value=ACCOUNT_EMAIL,
                        autocomplete="email",
                        required=True,
                    ),
                    _field_error(ctx, "email"),
                    b("label", "form.label", t("form24.explain"), for_="replica-explain"),
                    b("div", "form.hint", t("form24.explain.hint")),
                    b("textarea", "form.textarea", id="replica-explain", name="explanation", rows=6, required=True),
                    _field_error(ctx, "explanation"),
                    _field_error(ctx, "_form"),
                ),
                b(
                    "div",
                    "form.actions",
                    role_button(ctx, f"{_btn(ctx)} form.send", split_text(b, t("form.send")), on=("submit",)),
                ),
            ),
        ),
        ref="form",
    )
    validate = {
        "country": {"required": True, "message": t("form24.err.country")},
        "email": {"required": True, "pattern": r"^[^@\s]+@[^@\s]+$", "message": t("form.err.email")},
        "explanation": {"required": True, "min": 100, "message": t("form24.err.explain")},
    }
    return Page(t("form.title"), body, validate=validate)


@dataclass
class FormResult:
    status: int
    payload: dict[str, Any]
    step: str
    accepted: bool


def form_post(ctx: Ctx, kind: str, fields: Mapping[str, str]) -> FormResult:
    """The answer to a Send/Continue: the next step's node (or an error)."""
    t, b = ctx.t, ctx.b
    email = fields.get("email", "").strip()
    if kind == "2025":
        if "@" not in email:
            return FormResult(400, {"error": t("form.err.email")}, "send", False)
        node = b(
            "div",
            "form.done",
            b("div", "form.doneIcon", icon(b, "shield", size=40)),
            b("h2", "form.doneTitle", t("form.done.title")),
            b("p", "form.p", t("form.done.text")),
            b("p", "form.p", t("form.done.email")),
        )
        return FormResult(200, {"node": node, "title": t("form.done.title")}, "send", True)
    if fields.get("step") == "code":
        code = fields.get("code", "").strip()
        if not (len(code) == 6 and code.isdigit()):
            return FormResult(400, {"error": t("form24.err.code")}, "code", False)
        node = b(
            "div",
            "form.done",
            b("div", "form.doneIcon", icon(b, "clock", size=40)),
            b("h2", "form.doneTitle", t("form24.review.title")),
            b("p", "form.p", t("form24.review.text")),
        )
        return FormResult(200, {"node": node, "title": t("form24.review.title")}, "code", True)
    explanation = fields.get("explanation", "").strip()
    if not fields.get("country") or "@" not in email or len(explanation) < 100:
        return FormResult(400, {"error": t("form24.err.explain")}, "send", False)
    node = b(
        "div",
        "form.codeStep",
        b("h2", "form.title", t("form24.code.title")),
        b("p", "form.p", t("form24.code.text", email="j•••@example.com")),
        b("input", "", type="hidden", name="step", value="code"),
        b("label", "form.label", t("form24.code.label"), for_="replica-code"),
        b(
            "input",
            "form.input form.code",
            id="replica-code",
            type="text",
            name="code",
            inputmode="numeric",
            autocomplete="one-time-code",
            maxlength=6,
        ),
        _field_error(ctx, "code"),
        _field_error(ctx, "_form"),
        b(
            "div",
            "form.actions",
            role_button(ctx, f"{_btn(ctx)} form.send", split_text(b, t("common.continue")), on=("submit",)),
        ),
    )
    validate = {"code": {"required": True, "pattern": r"^[0-9]{6}$", "message": t("form24.err.code")}}
    return FormResult(200, {"node": node, "validate": validate, "title": t("form24.code.title")}, "send", True)
