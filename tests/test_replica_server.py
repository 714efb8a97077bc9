"""The replica over plain HTTP (no browser): dispatch, login wall, locales, variants, forms.

Pages are JSON trees rendered by script in the browser; these tests read the tree
from the page and compute role + accessible name the simple way, which is enough
to check that every target of monitor.yaml is offered as written there.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from monitor.replica import (
    ACCOUNT_EMAIL,
    ACCOUNT_HANDLE,
    VARIANTS,
    VERDICTS,
    ReplicaServer,
    UnknownVariant,
    make_server,
    storage_state,
)
from monitor.replica.i18n import HTML_LANG, LOCALES, strings

ROOT = Path(__file__).resolve().parents[1]
FB = "www.facebook.com"
IG = "www.instagram.com"
IG_PC = "privacycenter.instagram.com"
IG_HELP = "help.instagram.com"
FB_FORM = "/help/contact/712876720715583"
IG_FORM = "/contact/767264225370182"
MOBILE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
ACCEPT = {"en": "en-GB,en;q=0.9", "fr": "fr-FR,fr;q=0.9", "de": "de-DE,de;q=0.9"}


def cookie_header(platform: str, consent: bool = True) -> str:
    jar = [f"{c['name']}={c['value']}" for c in storage_state(platform)["cookies"]]
    if consent:
        jar.append("datr_consent=1" if platform == "facebook" else "ig_consent=1")
    return "; ".join(jar)


FB_COOKIE = cookie_header("facebook")
IG_COOKIE = cookie_header("instagram")


@dataclass
class Reply:
    status: int
    headers: Message
    text: str

    @property
    def payload(self) -> dict[str, Any]:
        match = re.search(r'<script type="application/json" data-replica-payload="1">(.*?)</script>', self.text, re.S)
        assert match, "no payload in page"
        data: dict[str, Any] = json.loads(match.group(1))
        return data

    def json(self) -> Any:
        return json.loads(self.text)


@pytest.fixture(scope="module")
def running() -> Iterator[ReplicaServer]:
    srv = make_server(0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


@pytest.fixture
def server(running: ReplicaServer) -> ReplicaServer:
    """The module's server, back at the baseline with no submissions."""
    running.variant = "baseline-2025"
    running.clear_submissions()
    return running


def fetch(
    srv: ReplicaServer,
    path: str,
    host: str | None = None,
    *,
    cookie: str = "",
    lang: str = "en",
    ua: str = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36",
    method: str = "GET",
    data: dict[str, str] | None = None,
) -> Reply:
    headers = {"Accept-Language": ACCEPT.get(lang, lang), "User-Agent": ua}
    if host:
        headers["X-Forwarded-Host"] = host
    if cookie:
        headers["Cookie"] = cookie
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(
        f"http://127.0.0.1:{srv.server_port}{path}", data=body, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return Reply(resp.status, resp.headers, resp.read().decode("utf-8"))
    except urllib.error.HTTPError as err:
        with err:
            return Reply(err.code, err.headers, err.read().decode("utf-8"))


# ---- a tiny accessible-name reader over the payload tree ---------------------------------

IMPLICIT = {"a": "link", "h1": "heading", "h2": "heading", "h3": "heading", "button": "button"}


def _text(node: Any) -> str:
    if isinstance(node, str):
        return node
    if node.get("t") == "svg" or node.get("a", {}).get("aria-hidden") == "true":
        return ""
    label = node.get("a", {}).get("aria-label")
    if label and node.get("a", {}).get("role") == "img":
        return ""
    return "".join(_text(k) for k in node.get("k", []))


def targets(node: Any, out: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(role, accessible name) of every element with a role, visible or behind a click."""
    if isinstance(node, str):
        return out
    attrs = node.get("a", {})
    role = attrs.get("role") or IMPLICIT.get(node["t"])
    if role:
        name = attrs.get("aria-label") or _text(node)
        out.append((role, " ".join(name.split())))
    for kid in node.get("k", []):
        targets(kid, out)
    return out


def nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every element of a payload tree, in document order."""
    if isinstance(node, dict):
        yield node
        for kid in node.get("k", []):
            yield from nodes(kid)


def page_targets(reply: Reply) -> list[tuple[str, str]]:
    payload = reply.payload
    found = targets(payload["root"], [])
    for popup in payload["popups"].values():
        targets(popup["node"], found)
    return found


def offers(found: list[tuple[str, str]], role: str, names: list[str]) -> bool:
    wanted = {" ".join(n.split()).casefold() for n in names}
    return any(r == role and n.casefold() in wanted for r, n in found)


# ---- dispatch, login wall, locale ----------------------------------------------------------


def test_index_page_without_forwarded_host(server: ReplicaServer) -> None:
    reply = fetch(server, "/")
    assert reply.status == 200
    for name in VARIANTS:
        assert name in reply.text
    assert "/__host/www.facebook.com/privacy/center/" in reply.text


def test_dispatch_by_forwarded_host(server: ReplicaServer) -> None:
    facebook = fetch(server, "/", FB, cookie=FB_COOKIE)
    instagram = fetch(server, "/", IG, cookie=IG_COOKIE)
    assert facebook.status == instagram.status == 200
    assert facebook.headers["X-Replica-Page"] == "fb.home"
    assert instagram.headers["X-Replica-Page"] == "ig.home"
    assert offers(page_targets(facebook), "button", ["Your profile"])
    assert offers(page_targets(instagram), "button", ["More"])
    for host in ("facebook.com", "m.facebook.com"):
        assert fetch(server, "/", host, cookie=FB_COOKIE).headers["X-Replica-Page"] == "fb.home"
    assert fetch(server, "/", "example.org").status == 404


def test_direct_browsing_through_host_prefix(server: ReplicaServer) -> None:
    reply = fetch(server, "/__host/www.facebook.com/privacy/policy/")
    assert reply.status == 200
    assert reply.payload["state"]["direct"] is True
    assert offers(page_targets(reply), "link", ["object"])


@pytest.mark.parametrize(
    ("host", "path", "heading"),
    [
        (FB, "/", "Log in to Facebook"),
        (FB, "/privacy/center/", "Log in to Facebook"),
        (FB, FB_FORM, "Log in to Facebook"),
        (IG, "/accounts/edit/", "Log into Instagram"),
        (IG_PC, "/", "Log into Instagram"),
        (IG_HELP, IG_FORM, "Log into Instagram"),
    ],
)
def test_login_wall_without_session_cookie(server: ReplicaServer, host: str, path: str, heading: str) -> None:
    reply = fetch(server, path, host)
    assert reply.status == 200
    found = page_targets(reply)
    assert ("heading", heading) in found
    assert offers(found, "button", ["Log in"])
    assert offers(found, "button", ["Decline optional cookies"])  # no consent cookie either


def test_logged_in_pages_answer_200(server: ReplicaServer) -> None:
    reply = fetch(server, "/privacy/center/", FB, cookie=FB_COOKIE)
    assert reply.status == 200
    found = page_targets(reply)
    assert ("heading", "Privacy Center") in found
    assert not offers(found, "button", ["Log in"])
    assert not offers(found, "button", ["Decline optional cookies"])  # consent cookie sent
    assert '"href":"https://www.facebook.com/help/contact/712876720715583"' in reply.text


@pytest.mark.parametrize(
    ("host", "path"),
    [
        (FB, "/privacy/policy/"),
        (FB, "/privacy/policy/printable/"),
        (FB, "/privacy/genai/"),
        (IG_PC, "/policy/"),
        (IG_PC, "/privacy/genai/"),
    ],
)
def test_public_pages_need_no_login(server: ReplicaServer, host: str, path: str) -> None:
    found = page_targets(fetch(server, path, host))
    assert not offers(found, "button", ["Log in"])
    assert offers(found, "link", ["object", "right to object"])


@pytest.mark.parametrize(
    ("accept", "expected", "link"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr-FR", "opposer"),
        ("de-DE", "de-DE", "widersprechen"),
        ("ja-JP,de;q=0.5,fr;q=0.4", "de-DE", "widersprechen"),
        ("pt-PT,de;q=0.5", "pt-PT", "opor"),  # a partial language (strings-eu.json): the step's words are its own
        ("pl-PL", "pl-PL", "wnieść sprzeciw"),
        ("it-IT,it;q=0.9", "it-IT", "opporti"),
        ("es-ES", "es-ES", "oponerte"),
        ("nl-NL,nl;q=0.9,en;q=0.8", "nl-NL", "bezwaar maken"),
        ("ro-RO,ro;q=0.9", "ro-RO", "vă opuneți"),
        ("en;q=0.2,fr;q=0.9", "fr-FR", "opposer"),
        ("ja-JP", "en-GB", "object"),
        ("", "en-GB", "object"),
    ],
)
def test_locale_from_accept_language(server: ReplicaServer, accept: str, expected: str, link: str) -> None:
    reply = fetch(server, "/privacy/center/", FB, cookie=FB_COOKIE, lang=accept)
    assert f'<html lang="{expected}"' in reply.text
    assert reply.headers["Content-Language"] == expected
    assert offers(page_targets(reply), "link", [link])


def test_mobile_layout_from_user_agent(server: ReplicaServer) -> None:
    found = page_targets(fetch(server, "/", FB, cookie=FB_COOKIE, ua=MOBILE_UA))
    assert offers(found, "button", ["Menu"])
    assert not offers(found, "button", ["Your profile"])
    feed = page_targets(fetch(server, "/", IG, cookie=IG_COOKIE, ua=MOBILE_UA))
    assert offers(feed, "link", ["Profile"]) and not offers(feed, "button", ["Options"])
    profile = page_targets(fetch(server, f"/{ACCOUNT_HANDLE}/", IG, cookie=IG_COOKIE, ua=MOBILE_UA))
    assert offers(profile, "button", ["Options"])
    assert offers(profile, "link", ["Settings and activity"])


def test_the_instagram_phone_feed_ends_its_bottom_bar_with_the_profile(server: ReplicaServer) -> None:
    """As on Instagram's mobile web: the profile picture is the bar's last item, and it leads to the
    person's own profile, whose ☰ opens the menu (the desktop layout keeps its side menu)."""
    root = fetch(server, "/", IG, cookie=IG_COOKIE, ua=MOBILE_UA).payload["root"]
    bar = next(n for n in nodes(root) if n.get("a", {}).get("role") == "navigation")
    last = [n for n in nodes(bar) if n.get("a", {}).get("role") == "link"][-1]
    assert last["a"]["aria-label"] == "Profile"
    assert last["x"] == ["nav", f"https://www.instagram.com/{ACCOUNT_HANDLE}/"]
    page = fetch(server, f"/{ACCOUNT_HANDLE}/", IG, cookie=IG_COOKIE, ua=MOBILE_UA)
    assert page.status == 200 and page.headers["X-Replica-Page"] == "ig.profile"
    desktop = page_targets(fetch(server, "/", IG, cookie=IG_COOKIE))
    assert offers(desktop, "button", ["More"]) and not offers(desktop, "button", ["Options"])


# ---- monitor.yaml's names -----------------------------------------------------------------

SITE_PAGES = {
    "facebook": [
        (FB, p)
        for p in ("/", "/privacy/center/", "/privacy/policy/", "/privacy/policy/printable/", "/privacy/genai/", FB_FORM)
    ],
    "instagram": [
        (IG, "/"),
        (IG, "/accounts/edit/"),
        (IG, f"/{ACCOUNT_HANDLE}/"),
        (IG_PC, "/"),
        (IG_PC, "/privacy/genai/"),
        (IG_PC, "/policy/"),
        (IG_HELP, IG_FORM),
    ],
}


def test_every_journey_target_of_monitor_yaml_is_offered(server: ReplicaServer) -> None:
    config = YAML(typ="safe").load((ROOT / "monitor.yaml").read_text(encoding="utf-8"))
    platform_cookie = {"facebook": FB_COOKIE, "instagram": IG_COOKIE}
    missing = []
    for locale in config["locales"]:
        for viewport, ua in (("desktop", "Desktop"), ("mobile", MOBILE_UA)):
            found: dict[str, list[tuple[str, str]]] = {}
            for site, pages in SITE_PAGES.items():
                found[site] = []
                for host, path in pages:
                    found[site] += page_targets(
                        fetch(server, path, host, cookie=platform_cookie[site], lang=locale, ua=ua)
                    )
                # the consent dialog and the login wall
                found[site] += page_targets(fetch(server, "/", pages[0][0], lang=locale, ua=ua))
                site_cfg = config["sites"][site]
                for key in ("consent",):
                    if not offers(found[site], site_cfg[key]["role"], site_cfg[key]["name"][locale]):
                        missing.append((site, locale, viewport, key))
                wall = site_cfg["login"]["wall"]
                if not offers(found[site], wall["role"], wall["name"][locale]):
                    missing.append((site, locale, viewport, "login wall"))
            for journey in config["journeys"]:
                for step in journey["steps"]:
                    spec = step.get("click") or step.get("observe")
                    if not spec or viewport not in step.get("viewports", [viewport]):
                        continue
                    if spec["role"] == "heading" and step["id"] == "confirmation":
                        continue  # appears after Send; see test_form_post_is_recorded
                    if not offers(found[journey["site"]], spec["role"], spec["name"][locale]):
                        missing.append((journey["id"], locale, viewport, step["id"]))
    assert missing == []


# ---- variants -------------------------------------------------------------------------


def test_variant_registry_is_well_formed() -> None:
    assert VARIANTS["baseline-2025"].expected == "unchanged"
    assert VARIANTS["flow-2024"].expected == "target-gone"
    for variant in VARIANTS.values():
        assert variant.expected in VERDICTS
        assert variant.description
        assert set(variant.journeys.values()) <= VERDICTS


def test_a_variant_that_rewords_does_so_in_every_language_it_is_not_limited_to() -> None:
    for variant in VARIANTS.values():
        if variant.labels and "*" not in variant.labels:
            wanted = set(variant.locales or LOCALES)
            assert set(variant.labels) == wanted, variant.name


@pytest.mark.parametrize("variant", ["reworded", "long-page-reworded"])
def test_reworded_pages_show_new_words_in_every_language(server: ReplicaServer, variant: str) -> None:
    server.variant = variant
    path = "/privacy/center/" if variant == "reworded" else "/privacy/policy/printable/"
    key = "notice.p2.link" if variant == "reworded" else "printable.object.p.link"
    try:
        for locale in LOCALES:
            reply = fetch(server, path, FB, cookie=FB_COOKIE, lang=locale)
            new, old = VARIANTS[variant].labels[locale][key], strings()[key][locale]
            found = page_targets(reply)
            assert new != old and offers(found, "link", [new]) and not offers(found, "link", [old]), locale
            assert f'<html lang="{HTML_LANG[locale]}"' in reply.text
    finally:
        server.variant = "baseline-2025"


def test_unknown_variant_is_a_key_error_listing_valid_names() -> None:
    with pytest.raises(UnknownVariant) as caught:
        make_server(0, "no-such-variant")
    assert isinstance(caught.value, KeyError)
    assert "no-such-variant" in str(caught.value)
    assert "baseline-2025" in str(caught.value)
    assert "flow-2024" in str(caught.value)


def test_variant_switching(server: ReplicaServer) -> None:
    assert fetch(server, "/__replica/variant").text == "baseline-2025"
    before = fetch(server, "/privacy/center/", FB, cookie=FB_COOKIE)
    assert offers(page_targets(before), "link", ["object"])

    reply = fetch(server, "/__replica/variant?name=flow-2024", method="POST")
    assert reply.status == 200
    assert server.variant == "flow-2024"
    assert fetch(server, "/__replica/variant").text == "flow-2024"
    after = fetch(server, "/privacy/center/", FB, cookie=FB_COOKIE)
    assert not offers(page_targets(after), "link", ["object"])
    assert after.headers["X-Replica-Variant"] == "flow-2024"

    bad = fetch(server, "/__replica/variant?name=nope", method="POST")
    assert bad.status == 400
    assert "nope" in bad.text and "baseline-2025" in bad.text
    assert server.variant == "flow-2024"
    with pytest.raises(UnknownVariant):
        server.variant = "nope"
    server.variant = "baseline-2025"
    assert fetch(server, "/__replica/variant").text == "baseline-2025"


def test_class_names_are_stable_per_variant_and_change_between_variants(server: ReplicaServer) -> None:
    first = fetch(server, "/privacy/center/", FB, cookie=FB_COOKIE).text
    second = fetch(server, "/privacy/center/", FB, cookie=FB_COOKIE).text
    assert first == second
    server.variant = "restyle"
    third = fetch(server, "/privacy/center/", FB, cookie=FB_COOKIE).text
    classes = set(re.findall(r'"c":"([^"]+)"', first))
    assert classes and classes.isdisjoint(set(re.findall(r'"c":"([^"]+)"', third)))
    assert all(re.fullmatch(r"x[0-9a-z]+", c) for cs in classes for c in cs.split())


@pytest.mark.parametrize(
    ("variant", "check"),
    [
        ("login-wall", lambda f: offers(f, "button", ["Log in"])),
        ("security-check", lambda f: offers(f, "heading", ["Security check"])),
        ("target-removed", lambda f: not offers(f, "link", ["object"])),
        ("link-to-button", lambda f: offers(f, "button", ["object"]) and not offers(f, "link", ["object"])),
        ("reworded", lambda f: offers(f, "link", ["Oppose"])),
    ],
)
def test_variants_change_the_privacy_center(server: ReplicaServer, variant: str, check: Any) -> None:
    server.variant = variant
    assert check(page_targets(fetch(server, "/privacy/center/", FB, cookie=FB_COOKIE)))


def test_server_error_variant_answers_500(server: ReplicaServer) -> None:
    server.variant = "server-error"
    assert fetch(server, "/privacy/center/", FB, cookie=FB_COOKIE).status == 500
    assert fetch(server, "/", IG_PC, cookie=IG_COOKIE).status == 500
    assert fetch(server, "/privacy/policy/", FB).status == 200


def test_new_form_address_points_to_help_meta_com(server: ReplicaServer) -> None:
    server.variant = "new-form-address"
    page = fetch(server, "/privacy/center/", FB, cookie=FB_COOKIE)
    assert '"href":"https://help.meta.com/support/privacy/"' in page.text
    form = fetch(server, "/support/privacy/", "help.meta.com")
    assert offers(page_targets(form), "button", ["Send"])


# ---- forms ----------------------------------------------------------------------------


def test_form_is_prefilled_and_post_is_recorded(server: ReplicaServer) -> None:
    page = fetch(server, FB_FORM, FB, cookie=FB_COOKIE, lang="de")
    assert f'"value":"{ACCOUNT_EMAIL}"' in page.text
    assert offers(page_targets(page), "button", ["Senden"])
    reply = fetch(
        server,
        FB_FORM,
        FB,
        cookie=FB_COOKIE,
        lang="de",
        method="POST",
        data={"email": ACCOUNT_EMAIL, "impact": "Bitte nicht."},
    )
    assert reply.status == 200
    assert ("heading", "Wir werden deinem Widerspruch nachkommen") in targets(reply.json()["node"], [])
    instagram = fetch(server, IG_FORM, IG_HELP, cookie=IG_COOKIE, method="POST", data={"email": ACCOUNT_EMAIL})
    assert ("heading", "We'll honour your objection") in targets(instagram.json()["node"], [])

    recorded = fetch(server, "/__replica/submissions").json()
    assert recorded == server.submissions
    assert [(s["platform"], s["locale"], s["accepted"]) for s in recorded] == [
        ("facebook", "de", True),
        ("instagram", "en", True),
    ]
    assert recorded[0]["fields"] == {"email": ACCOUNT_EMAIL, "impact": "Bitte nicht."}


def test_form_post_without_session_is_refused(server: ReplicaServer) -> None:
    reply = fetch(server, FB_FORM, FB, method="POST", data={"email": ACCOUNT_EMAIL})
    assert reply.status == 403
    assert server.submissions == []


def test_form_2024_needs_explanation_then_code(server: ReplicaServer) -> None:
    path = "/help/contact/6359191084165019"
    short = fetch(
        server,
        path,
        FB,
        cookie=FB_COOKIE,
        method="POST",
        data={"country": "FR", "email": ACCOUNT_EMAIL, "explanation": "too short"},
    )
    assert short.status == 400
    long_text = "I do not want my public posts and photos used to train AI models. " * 2
    step = fetch(
        server,
        path,
        FB,
        cookie=FB_COOKIE,
        method="POST",
        data={"country": "FR", "email": ACCOUNT_EMAIL, "explanation": long_text},
    )
    assert ("heading", "Enter the code we sent to your e-mail") in targets(step.json()["node"], [])
    done = fetch(server, path, FB, cookie=FB_COOKIE, method="POST", data={"step": "code", "code": "123456"})
    assert ("heading", "Your request will be reviewed") in targets(done.json()["node"], [])
    assert [s["step"] for s in server.submissions] == ["send", "send", "code"]
    assert [s["accepted"] for s in server.submissions] == [False, True, True]


def test_storage_state_shape() -> None:
    state = storage_state("facebook")
    assert state["origins"] == []
    assert {(c["name"], c["value"], c["domain"]) for c in state["cookies"]} == {
        ("c_user", "100000000000001", ".facebook.com"),
        ("xs", "replica-session", ".facebook.com"),
    }
    assert all(
        c["path"] == "/" and c["secure"] and c["httpOnly"] and c["sameSite"] == "None" and c["expires"] == -1
        for c in state["cookies"]
    )
    assert {c["name"] for c in storage_state("instagram")["cookies"]} == {"sessionid", "ds_user_id"}
    with pytest.raises(ValueError, match="platform"):
        storage_state("myspace")


def test_noise_differs_per_request_and_consent_sheet_keeps_names(server: ReplicaServer) -> None:
    server.variant = "noise"
    first = fetch(server, "/", FB, cookie=FB_COOKIE).text
    second = fetch(server, "/", FB, cookie=FB_COOKIE).text
    assert first != second
    server.variant = "consent-moved"
    found = page_targets(fetch(server, "/", FB, cookie=cookie_header("facebook", consent=False), lang="fr"))
    assert any(role == "dialog" for role, _ in found)
    assert offers(found, "button", ["Refuser les cookies optionnels"])
    assert offers(found, "button", ["Autoriser tous les cookies"])
