"""The named UI states of the replica and the verdict a monitor should give each.

A variant is the 2025 baseline plus data: which labels are reworded, where the
objection link sits and what it is, where it points, which extra hop or step
exists, which pages answer slowly or with an error, and how the pages look.
Pages read these knobs; nothing else in the replica knows variant names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

VERDICTS = frozenset(
    {
        "unchanged",
        "cosmetic",
        "reworded",
        "moved",
        "retargeted",
        "step-added",
        "step-removed",
        "target-gone",
        "blocked",
    }
)

#: The journeys of monitor.yaml, in file order.
JOURNEYS = (
    "facebook-privacy-center",
    "instagram-privacy-center",
    "facebook-privacy-policy",
    "facebook-privacy-policy-printable",
    "facebook-genai",
    "instagram-privacy-policy",
)
LOGGED_IN_JOURNEYS = JOURNEYS[:2]
PUBLIC_JOURNEYS = JOURNEYS[2:]

#: Page ids, used by the per-page knobs (status, delays).
PAGES = frozenset(
    {
        "fb.home",
        "fb.privacy-center",
        "fb.genai",
        "fb.policy",
        "fb.printable",
        "fb.form",
        "fb.form-2024",
        "fb.accounts-center",
        "ig.home",
        "ig.settings",
        "ig.profile",
        "ig.privacy-center",
        "ig.genai",
        "ig.policy",
        "ig.form",
        "ig.form-2024",
        "ig.accounts-center",
        "meta.form",
    }
)

#: Where the objection forms live.
FORM_2025 = {
    "facebook": "https://www.facebook.com/help/contact/712876720715583",
    "instagram": "https://help.instagram.com/contact/767264225370182",
}
FORM_2024 = {
    "facebook": "https://www.facebook.com/help/contact/6359191084165019",
    "instagram": "https://help.instagram.com/contact/233964459562201",
}
FORM_META = "https://help.meta.com/support/privacy/"

OBJECT_PLACES = frozenset({"notice", "genai-section", "text-only"})
OBJECT_ROLES = frozenset({"link", "button"})
CONSENT_STYLES = frozenset({"modal", "sheet"})
PRINTABLE_OBJECT_PLACES = frozenset({"rights", "contact", "gone"})
PRINTABLE = "facebook-privacy-policy-printable"


class UnknownVariant(KeyError):
    """A variant name the registry does not hold; the message lists the valid ones."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.message = f"unknown replica variant {name!r}; valid variants: {', '.join(VARIANTS)}"
        super().__init__(self.message)  # args[0] is the message too

    def __str__(self) -> str:  # KeyError would show repr(args[0])
        return self.message


def _frozen(mapping: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, eq=False)
class Variant:
    """One UI state of the real sites. Every knob defaults to the 2025 baseline."""

    name: str
    expected: str  # the verdict for the run as a whole (the most telling journey's)
    description: str
    #: Expected verdict per journey id where it is not "unchanged".
    journeys: Mapping[str, str] = field(default_factory=dict)
    #: When set, the journey verdicts apply only in these locales (others: unchanged).
    locales: tuple[str, ...] = ()

    # -- knobs ---------------------------------------------------------------------------
    flow: str = "2025"  # "2025" or "2024" (no AI notice, older forms with a code step)
    class_seed: str = ""  # seed of the generated class names; defaults to the name
    #: Text overrides: {"*" or locale: {string key: text}}.
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: CSS custom property overrides (see styles.THEME).
    theme: Mapping[str, str] = field(default_factory=dict)
    object_place: str = "notice"  # notice | genai-section | text-only (no link anywhere)
    object_role: str = "link"  # link | button (the notice's element)
    #: Where every objection link points, per platform ("facebook", "instagram").
    form_urls: Mapping[str, str] = field(default_factory=dict)
    menu_shortcut: bool = False  # Privacy Center straight in the first menu
    accounts_center_hop: bool = False  # Privacy Center link -> Accounts Center -> Privacy Center
    login_wall: bool = False  # login wall even with the session cookies
    security_check: bool = False  # interstitial instead of every logged-in page
    status: Mapping[str, int] = field(default_factory=dict)  # page id -> HTTP status
    response_delay: Mapping[str, float] = field(default_factory=dict)  # page id -> seconds
    render_delay: Mapping[str, int] = field(default_factory=dict)  # page id -> ms before render
    banner: bool = False  # a banner above the AI notice
    object_twice: bool = False  # a second link to the same form in the notice's paragraph (Facebook)
    noise: bool = False  # per-request text, counter and avatar
    consent_style: str = "modal"  # modal | sheet
    #: The long printable policy: where its objection sentence is (rights | contact | gone) and
    #: whether its dates differ from the baseline's.
    printable_object: str = "rights"
    printable_dates_shift: bool = False

    def __post_init__(self) -> None:
        if self.expected not in VERDICTS:
            raise ValueError(f"{self.name}: expected {self.expected!r} is not one of {sorted(VERDICTS)}")
        for journey, verdict in self.journeys.items():
            if journey not in JOURNEYS or verdict not in VERDICTS:
                raise ValueError(f"{self.name}: bad journey verdict {journey!r}: {verdict!r}")
        for page in (*self.status, *self.response_delay, *self.render_delay):
            if page not in PAGES:
                raise ValueError(f"{self.name}: unknown page id {page!r}; known: {sorted(PAGES)}")
        if self.flow not in ("2025", "2024"):
            raise ValueError(f"{self.name}: flow must be 2025 or 2024, not {self.flow!r}")
        if self.object_place not in OBJECT_PLACES:
            raise ValueError(f"{self.name}: object_place {self.object_place!r} not in {sorted(OBJECT_PLACES)}")
        if self.object_role not in OBJECT_ROLES:
            raise ValueError(f"{self.name}: object_role {self.object_role!r} not in {sorted(OBJECT_ROLES)}")
        if self.consent_style not in CONSENT_STYLES:
            raise ValueError(f"{self.name}: consent_style {self.consent_style!r} not in {sorted(CONSENT_STYLES)}")
        if self.printable_object not in PRINTABLE_OBJECT_PLACES:
            raise ValueError(
                f"{self.name}: printable_object {self.printable_object!r} not in {sorted(PRINTABLE_OBJECT_PLACES)}"
            )
        for name in ("journeys", "theme", "form_urls", "status", "response_delay", "render_delay"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(
            self, "labels", MappingProxyType({k: MappingProxyType(dict(v)) for k, v in self.labels.items()})
        )
        if not self.class_seed:
            object.__setattr__(self, "class_seed", self.name)

    def expected_for(self, journey: str, locale: str | None = None) -> str:
        """The verdict a monitor should give one journey (in one locale)."""
        if locale is not None and self.locales and locale not in self.locales:
            return "unchanged"
        return self.journeys.get(journey, "unchanged")

    def form_url(self, platform: str) -> str:
        if platform in self.form_urls:
            return self.form_urls[platform]
        return (FORM_2024 if self.flow == "2024" else FORM_2025)[platform]


def _each(verdict: str, journeys: tuple[str, ...] = JOURNEYS) -> dict[str, str]:
    return dict.fromkeys(journeys, verdict)


_NOTICE_REWORDED = {
    "en": {
        "notice.p2.before": "",
        "notice.p2.link": "Oppose",
        "notice.link.aria": "Oppose",
        "notice.p2.after": " the use of your information for these purposes at any time. If your objection "
        "is honoured, it will be applied going forward.",
    },
    "fr": {
        "notice.p2.before": "Vous pouvez ",
        "notice.p2.link": "vous opposer",
        "notice.link.aria": "vous opposer",
        "notice.p2.after": " à tout moment à l’utilisation de vos informations à ces fins. Si votre opposition "
        "est acceptée, elle sera appliquée à l’avenir.",
    },
    "de": {
        "notice.p2.before": "Du kannst jederzeit ",
        "notice.p2.link": "Widerspruch einlegen",
        "notice.link.aria": "Widerspruch einlegen",
        "notice.p2.after": " gegen die Verwendung deiner Informationen für diese Zwecke. Wenn deinem "
        "Widerspruch stattgegeben wird, gilt er ab diesem Zeitpunkt.",
    },
    "it": {
        "notice.p2.before": "Puoi ",
        "notice.p2.link": "opporti in qualsiasi momento",
        "notice.link.aria": "opporti in qualsiasi momento",
        "notice.p2.after": " all'uso delle tue informazioni per tali finalità. Se la tua opposizione verrà "
        "accolta, sarà applicata da ora in poi.",
    },
    "es": {
        "notice.p2.before": "Puedes ",
        "notice.p2.link": "oponerte en cualquier momento",
        "notice.link.aria": "oponerte en cualquier momento",
        "notice.p2.after": " al uso de tu información para estos fines. Si se acepta tu oposición, se aplicará "
        "a partir de ahora.",
    },
    "nl": {
        "notice.p2.before": "Je kunt op elk moment ",
        "notice.p2.link": "bezwaar indienen",
        "notice.link.aria": "bezwaar indienen",
        "notice.p2.after": " tegen het gebruik van je informatie voor deze doeleinden. Als je bezwaar wordt "
        "gehonoreerd, geldt het vanaf dat moment.",
    },
    "ro": {
        "notice.p2.before": "Puteți face oricând ",
        "notice.p2.link": "opoziție",
        "notice.link.aria": "opoziție",
        "notice.p2.after": " la utilizarea informațiilor dvs. în aceste scopuri. Dacă opoziția dvs. este admisă, "
        "se va aplica de acum înainte.",
    },
}

_ALL: list[Variant] = [
    Variant(
        name="baseline-2025",
        expected="unchanged",
        description="The 2025 path: account menu -> Settings & privacy -> Privacy Center, AI notice "
        "with the word 'object' linking the form; Instagram via Settings -> Privacy Centre -> "
        "AI at Meta. Form: e-mail pre-filled, optional text, Send, in-page confirmation.",
    ),
    Variant(
        name="flow-2024",
        expected="target-gone",
        description="The June 2024 path: no AI notice in the Privacy Center; the Privacy Policy and a "
        "'Generative AI at Meta' page carry a 'right to object' link to the older forms (country, "
        "e-mail, required 100-character explanation, then a one-time code, then 'will be reviewed').",
        journeys={
            **_each("target-gone", LOGGED_IN_JOURNEYS),
            **_each("retargeted", PUBLIC_JOURNEYS),
        },
        flow="2024",
    ),
    Variant(
        name="noise",
        expected="unchanged",
        description="Baseline plus things that differ on every request: a 'Last updated' time, a "
        "notification counter and the avatar's colour. Nothing a reader follows changes.",
        noise=True,
    ),
    Variant(
        name="restyle",
        expected="cosmetic",
        description="Same words, places and links; new colours, a serif font, square corners and new "
        "generated class names.",
        journeys=_each("cosmetic"),
        theme={
            "--font": '"DejaVu Serif", Georgia, serif',
            "--fb-blue": "#0866FF",
            "--fb-link": "#0A58CA",
            "--bg": "#E9EBEE",
            "--notice-bg": "#FFF4E5",
            "--notice-border": "#F5C26B",
            "--radius": "2px",
            "--ig-blue": "#4150F7",
            "--ig-link": "#3A1F9E",
        },
    ),
    Variant(
        name="banner-pushdown",
        expected="cosmetic",
        description="A new banner above the AI notice (Facebook Privacy Center, Instagram AI at Meta) "
        "pushes the notice and its link down; nothing else changes.",
        journeys=_each("cosmetic", LOGGED_IN_JOURNEYS),
        banner=True,
    ),
    Variant(
        name="reworded",
        expected="reworded",
        description="The notice's link text changes: 'object' -> 'Oppose', 'opposer' -> 'vous opposer', "
        "'widersprechen' -> 'Widerspruch einlegen', and likewise in it, es, nl, ro (sentence rewritten around it). Same place, same form.",
        journeys=_each("reworded", LOGGED_IN_JOURNEYS),
        labels=_NOTICE_REWORDED,
    ),
    Variant(
        name="moved-section",
        expected="moved",
        description="The notice keeps its first paragraph; the sentence with the link moves into a "
        "'Generative AI' section further down (Facebook Privacy Center) / 'Your choices' (Instagram).",
        journeys=_each("moved", LOGGED_IN_JOURNEYS),
        object_place="genai-section",
    ),
    Variant(
        name="link-to-button",
        expected="reworded",
        description="Same word in the same sentence, but the element is now role=button (no href; "
        "clicking still opens the form). Judged 'reworded': the place is the same, what changed is "
        "how the control is announced (a link became a button), which the instructions must say.",
        journeys=_each("reworded", LOGGED_IN_JOURNEYS),
        object_role="button",
    ),
    Variant(
        name="new-form-address",
        expected="retargeted",
        description="Every objection link points to https://help.meta.com/support/privacy/ (served by "
        "the replica under host help.meta.com, no login needed) instead of the platform forms.",
        journeys=_each("retargeted"),
        form_urls={"facebook": FORM_META, "instagram": FORM_META},
    ),
    Variant(
        name="accounts-center-hop",
        expected="step-added",
        description="The Privacy Center links in the menus/settings now open Accounts Center "
        "(accountscenter.facebook.com / accountscenter.instagram.com), which holds the Privacy "
        "Center link: one more click.",
        journeys=_each("step-added", LOGGED_IN_JOURNEYS),
        accounts_center_hop=True,
    ),
    Variant(
        name="step-removed",
        expected="step-removed",
        description="The first menu holds Privacy Center directly: Facebook's account menu (desktop) "
        "and full menu (mobile) without the Settings & privacy step; Instagram's More / Options menu "
        "without the Settings / Settings and activity step.",
        journeys=_each("step-removed", LOGGED_IN_JOURNEYS),
        menu_shortcut=True,
    ),
    Variant(
        name="target-removed",
        expected="target-gone",
        description="No objection link anywhere: the sentences stay, the words are plain text.",
        journeys=_each("target-gone"),
        object_place="text-only",
    ),
    Variant(
        name="login-wall",
        expected="blocked",
        description="Every logged-in page shows the login wall even with the session cookies; public "
        "pages are unaffected.",
        journeys=_each("blocked", LOGGED_IN_JOURNEYS),
        login_wall=True,
    ),
    Variant(
        name="security-check",
        expected="blocked",
        description="Every logged-in page shows a 'Security check' interstitial; public pages are unaffected.",
        journeys=_each("blocked", LOGGED_IN_JOURNEYS),
        security_check=True,
    ),
    Variant(
        name="server-error",
        expected="blocked",
        description="HTTP 500 from the Facebook Privacy Center and the Instagram Privacy Centre home.",
        journeys=_each("blocked", LOGGED_IN_JOURNEYS),
        status={"fb.privacy-center": 500, "ig.privacy-center": 500},
    ),
    Variant(
        name="slow",
        expected="unchanged",
        description="The Privacy Center pages answer after 2.5 s and render 1.2 s after load; the "
        "content is the baseline's.",
        response_delay={"fb.privacy-center": 2.5, "ig.privacy-center": 2.5, "ig.genai": 2.5},
        render_delay={"fb.privacy-center": 1200, "ig.privacy-center": 1200, "ig.genai": 1200},
    ),
    Variant(
        name="consent-moved",
        expected="cosmetic",
        description="The cookie dialog is a non-modal bottom sheet instead of a centred modal; same button "
        "names. Cosmetic, per docs/decisions/0006 (the dialog is dismissed wherever it appears).",
        journeys=_each("cosmetic"),
        consent_style="sheet",
    ),
    Variant(
        name="long-page-reworded",
        expected="reworded",
        description="The printable Privacy Policy (130,000 px tall, generated from a fixed seed): the "
        "link's words change, 'right to object' -> 'right to oppose' (fr 'droit de contestation', de "
        "'Einspruchsrecht'); same sentence, same section, same form.",
        journeys={PRINTABLE: "reworded"},
        labels={
            "en": {"printable.object.p.link": "right to oppose"},
            "fr": {"printable.object.p.link": "droit de contestation"},
            "de": {"printable.object.p.link": "Einspruchsrecht"},
            "it": {"printable.object.p.link": "diritto di contestazione"},
            "es": {"printable.object.p.link": "derecho a oponerte"},
            "nl": {"printable.object.p.link": "recht om bezwaar te maken"},
            "ro": {"printable.object.p.link": "dreptul de a vă opune"},
        },
    ),
    Variant(
        name="long-page-moved",
        expected="moved",
        description="The printable Privacy Policy: the 'Object' sub-section leaves 'Your rights' (middle "
        "of the page) for a section near the end; same words, same form.",
        journeys={PRINTABLE: "moved"},
        printable_object="contact",
    ),
    Variant(
        name="long-page-gone",
        expected="target-gone",
        description="The printable Privacy Policy: the 'right to object' sentence stays, its words are "
        "plain text (no link anywhere on the 130,000 px page).",
        journeys={PRINTABLE: "target-gone"},
        printable_object="gone",
    ),
    Variant(
        name="long-page-noise",
        expected="cosmetic",
        description="The printable Privacy Policy with every date changed and new generated class names "
        "on every page; nothing a reader follows changes, but the new dates reflow the text above the "
        "link, which lands ~45 px lower: cosmetic (nothing to do, exit 0).",
        journeys={PRINTABLE: "cosmetic"},
        class_seed="long-page-noise-2",
        printable_dates_shift=True,
    ),
    Variant(
        name="object-twice",
        expected="cosmetic",
        description="The Facebook notice's paragraph links the form twice: after the sentence with 'object' "
        "comes 'You can also send us the form directly.' A walk by names still finds 'object' in its "
        "place (cosmetic: the paragraph grew). Learning an undocumented language's labels must stop and "
        "ask here: two links in one paragraph, to one form, and word order differs between languages.",
        journeys={"facebook-privacy-center": "cosmetic"},
        object_twice=True,
    ),
    Variant(
        name="de-only-reworded",
        expected="reworded",
        description="Only German changes: 'widersprechen' -> 'Widerspruch einlegen' in the notice. "
        "en and fr are the baseline's (their verdict: unchanged).",
        journeys=_each("reworded", LOGGED_IN_JOURNEYS),
        locales=("de",),
        labels={"de": _NOTICE_REWORDED["de"]},
    ),
]

VARIANTS: dict[str, Variant] = {v.name: v for v in _ALL}
DEFAULT_VARIANT = "baseline-2025"


def get_variant(name: str) -> Variant:
    try:
        return VARIANTS[name]
    except KeyError:
        raise UnknownVariant(name) from None
