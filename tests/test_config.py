"""monitor.yaml: the real file loads, and each kind of bad file names the key path, the problem and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import config

ROOT = Path(__file__).resolve().parent.parent
REAL = (ROOT / "monitor.yaml").read_text(encoding="utf-8")


def broken(old: str, new: str, count: int = 1) -> str:
    assert old in REAL, f"test fixture out of date: {old!r} not in monitor.yaml"
    return REAL.replace(old, new, count)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def error_of(text: str) -> str:
    with pytest.raises(config.ConfigError) as exc:
        config.parse(text, "monitor.yaml")
    return str(exc.value)


def test_the_repository_journey_file_describes_both_platforms_and_the_public_pages() -> None:
    cfg = config.load(ROOT / "monitor.yaml")
    assert set(cfg.sites) == {"facebook", "instagram"}
    assert set(cfg.locales) == {"en", "fr", "de", "it", "es", "nl"}  # ro: learned, never written here
    assert cfg.viewports["desktop"].width == 1280 and cfg.viewports["desktop"].height == 800
    assert cfg.viewports["mobile"].device == "Pixel 7"
    ids = {j.id for j in cfg.journeys}
    assert {"facebook-privacy-center", "instagram-privacy-center", "facebook-genai"} <= ids
    for j in cfg.journeys:
        assert j.tracked_step is not None, f"{j.id} tracks no target"
        for step in j.steps:
            if step.goto:
                assert step.goto.startswith("https://"), "the journey file keeps the real URLs"
    assert cfg.site_of_host("help.instagram.com") == "instagram"


def test_login_state_comes_from_outside_the_repository() -> None:
    cfg = config.parse(REAL)
    for site in cfg.sites.values():
        assert site.login.storage_state_env
        assert site.login.storage_state_file and site.login.storage_state_file.startswith("~")


def test_invalid_yaml_names_the_line() -> None:
    text = broken("version: 1\n", "version: [1\n")
    message = error_of(text)
    assert "not valid YAML" in message and "line " in message


def test_wrong_version_is_named_with_its_value() -> None:
    message = error_of(broken("version: 1\n", "version: 2\n"))
    assert "version" in message and "got 2" in message and "line 5" in message


def test_missing_section_is_named() -> None:
    start = REAL.index("viewports:\n  desktop:")
    end = REAL.index("# Personal data")
    message = error_of(REAL[:start] + REAL[end:])
    assert "viewports: Field required" in message


def test_unknown_key_names_the_full_path_and_line() -> None:
    text = broken("      - id: settings-and-privacy\n", "      - id: settings-and-privacy\n        clik: {}\n")
    message = error_of(text)
    assert "journeys[0=facebook-privacy-center].steps[4=settings-and-privacy].clik" in message
    assert "Extra inputs are not permitted" in message
    assert f"line {line_of(text, 'clik')}" in message


def test_step_with_two_actions_is_refused() -> None:
    text = broken("        consent: {}\n", "        consent: {}\n        goto: https://www.facebook.com/\n")
    message = error_of(text)
    assert "needs exactly one action" in message and "goto, consent" in message
    assert "steps[1=consent]" in message


def test_unknown_role_lists_what_is_allowed() -> None:
    text = broken("        observe:\n          role: heading", "        observe:\n          role: headline")
    message = error_of(text)
    assert "role" in message and "'headline'" in message and "'heading'" in message


def test_journey_naming_an_unknown_site_lists_the_known_ones() -> None:
    text = broken("    site: instagram\n", "    site: insta\n")
    message = error_of(text)
    assert "unknown site 'insta'" in message and "facebook, instagram" in message
    assert f"line {line_of(text, 'site: insta')}" in message


def test_step_restricted_to_an_unknown_viewport_is_refused() -> None:
    text = broken("viewports: [mobile]", "viewports: [phone]")
    message = error_of(text)
    assert "unknown viewport 'phone'" in message and "desktop, mobile" in message
    assert f"line {line_of(text, '[phone]')}" in message


def test_target_without_names_for_a_configured_locale_is_refused() -> None:
    text = broken("            de: [Dein Profil]\n", "")
    message = error_of(text)
    assert "no names for locale(s) de" in message and "steps[2=account-menu].click" in message


def test_relative_goto_url_is_refused() -> None:
    text = broken("goto: https://www.facebook.com/\n", "goto: /home\n")
    message = error_of(text)
    assert "'/home' is not an absolute http(s) URL" in message


def test_origin_with_a_path_is_refused() -> None:
    text = broken("      - https://m.facebook.com\n", "      - https://m.facebook.com/home\n")
    message = error_of(text)
    assert "sites.facebook.origins" in message and "without a path" in message


def test_duplicate_step_ids_are_refused() -> None:
    text = broken("      - id: menu\n", "      - id: account-menu\n")
    message = error_of(text)
    assert "two steps with id 'account-menu'" in message


def test_viewport_without_size_or_device_is_refused() -> None:
    text = broken("    device: Pixel 7\n", "    orientation: portrait\n")
    message = error_of(text)
    assert "viewports.mobile" in message


def test_empty_name_candidate_is_refused() -> None:
    text = broken("            en: [Menu]\n", '            en: [" "]\n')
    message = error_of(text)
    assert "empty name" in message


def test_tracked_step_without_a_target_is_refused() -> None:
    text = broken(
        "      - id: home\n        goto: https://www.facebook.com/\n",
        "      - id: home\n        tracked: true\n        goto: https://www.facebook.com/\n",
    )
    message = error_of(text)
    assert "tracked but has no target" in message


def test_missing_file_says_how_to_give_one(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError, match="no such journey file"):
        config.load(tmp_path / "nope.yaml")


def test_every_error_of_a_file_is_reported_at_once() -> None:
    text = broken("version: 1\n", "version: 3\n")
    text = text.replace("    width: 1280\n", "    width: 10\n", 1)
    message = error_of(text)
    assert "version" in message and "viewports.desktop.width" in message
