"""Login states as opaque secrets: base64 in and out, and the values the logs must hide."""

from __future__ import annotations

import base64
import json

import pytest

from monitor.guard import loginsecret
from monitor.replica import storage_state


def test_base64_round_trips_and_is_one_opaque_line() -> None:
    text = json.dumps(storage_state("facebook"), indent=2)
    value = loginsecret.encode(text.encode())
    assert "\n" not in value and "{" not in value and "c_user" not in value
    assert loginsecret.decode(value) == text
    wrapped = base64.encodebytes(text.encode()).decode()  # GNU base64 without -w0 wraps at 76
    assert loginsecret.decode(wrapped) == text


@pytest.mark.parametrize(
    "value", ["~/.config/optout-monitor/facebook.json", "/tmp/x.json", '{"cookies": []}', "abcd", ""]
)
def test_paths_json_and_base64_of_something_else_are_not_taken_for_a_secret(value: str) -> None:
    assert loginsecret.decode(value) is None


def test_every_cookie_and_local_storage_value_is_masked_but_not_flags() -> None:
    state = {
        "cookies": [{"name": "c_user", "value": "100000000000001"}, {"name": "dpr", "value": "2"}],
        "origins": [
            {"origin": "https://www.facebook.com", "localStorage": [{"name": "t", "value": "tok%en\r\nline2"}]}
        ],
    }
    assert loginsecret.secret_values(state) == ["100000000000001", "tok%en\r\nline2"]  # longest first
    assert loginsecret.mask_commands(loginsecret.secret_values(state)) == [
        "::add-mask::100000000000001",
        "::add-mask::tok%25en",
        "::add-mask::line2",
    ]


def test_a_state_that_is_not_one_is_named_without_its_content() -> None:
    with pytest.raises(ValueError, match=r"from \$OPTOUT_X is not JSON") as bad:
        loginsecret.parse("{secret-cookie-value", "$OPTOUT_X")
    assert "secret-cookie-value" not in str(bad.value)
    with pytest.raises(ValueError, match="no 'cookies' list"):
        loginsecret.parse("[]", "$OPTOUT_X")
