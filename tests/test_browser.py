"""Finding a browser, reading login states and --site values: each bad input names itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor import config
from monitor.walk import browser

ROOT = Path(__file__).resolve().parent.parent


def executable(path: Path) -> str:
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def test_the_configured_browser_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = executable(tmp_path / "my-chromium")
    monkeypatch.setenv(browser.BROWSER_ENV, executable(tmp_path / "env-chromium"))
    assert browser.find_browser(mine) == mine


def test_the_environment_variable_comes_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = executable(tmp_path / "env-chromium")
    monkeypatch.setenv(browser.BROWSER_ENV, env)
    assert browser.find_browser(None) == env


def test_a_configured_path_that_is_not_a_program_is_named(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(browser.BrowserError, match=r"notes\.txt.*not an executable"):
        browser.find_browser(str(tmp_path / "notes.txt"))


def test_without_settings_the_system_chromium_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(browser.BROWSER_ENV, raising=False)
    found = browser.find_browser(None)
    assert Path(found).is_file() and "chrom" in Path(found).name


def test_login_state_from_the_environment_may_be_the_json_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = config.load(ROOT / "monitor.yaml")
    state = {"cookies": [{"name": "c_user", "value": "1", "domain": ".facebook.com", "path": "/"}], "origins": []}
    monkeypatch.setenv("OPTOUT_FACEBOOK_STORAGE_STATE", json.dumps(state))
    loaded, source = browser.load_storage_state("facebook", cfg)
    assert loaded == state and source == "$OPTOUT_FACEBOOK_STORAGE_STATE"


def test_a_login_state_that_is_not_a_storage_state_is_named(tmp_path: Path) -> None:
    cfg = config.load(ROOT / "monitor.yaml")
    bad = tmp_path / "state.json"
    bad.write_text('{"cookie": []}')
    with pytest.raises(browser.BrowserError, match="no 'cookies' list"):
        browser.load_storage_state("facebook", cfg, {"facebook": str(bad)})
    with pytest.raises(browser.BrowserError, match="cannot read login state"):
        browser.load_storage_state("facebook", cfg, {"facebook": str(tmp_path / "missing.json")})


def test_site_options_map_every_host_of_a_site() -> None:
    cfg = config.load(ROOT / "monitor.yaml")
    stand_ins = browser.parse_site_options(["instagram=http://127.0.0.1:9"], cfg)
    hosts = stand_ins.host_map(cfg)
    assert hosts["help.instagram.com"] == "http://127.0.0.1:9" and "www.facebook.com" not in hosts
    with pytest.raises(ValueError, match="not an http"):
        browser.parse_site_options(["facebook=ftp://x"], cfg)
