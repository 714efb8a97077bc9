"""Journey file limits: a value is quoted to 80 characters at most, size and nesting are capped
with a clear error, and a YAML error names the line and column where the mistake is."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor import config
from monitor.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "monitor.yaml").read_text(encoding="utf-8")


def error_of(text: str) -> str:
    with pytest.raises(config.ConfigError) as caught:
        config.parse(text, "m.yaml")
    return str(caught.value)


def test_a_huge_value_in_a_number_field_is_quoted_to_80_characters() -> None:
    huge = "9" * 100_000
    for value in (huge, f'"{huge}"', "x" * 100_000):
        message = error_of(GOOD.replace("version: 1", f"version: {value}", 1))
        assert "m.yaml, line" in message
        assert len(message) < 300 and ("9" * 81 not in message and "x" * 81 not in message), message[:400]


def test_a_huge_value_in_a_wait_is_quoted_to_80_characters() -> None:
    bad = GOOD.replace("version: 1", "version: 1\nthresholds:\n  target_hash: " + "'" + "7" * 50_000 + "'", 1)
    message = error_of(bad)
    assert "thresholds.target_hash" in message and "7" * 81 not in message and len(message) < 300


def test_a_file_over_the_size_cap_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("version: " + "1" * 5_000_000 + "\n")
    with pytest.raises(config.ConfigError, match="too large for a journey file") as caught:
        config.load(path)
    assert len(str(caught.value)) < 200


def test_deep_nesting_is_a_clear_error_not_a_recursion_error() -> None:
    assert error_of("a: " + "[" * 20_000 + "]" * 20_000 + "\n").startswith(
        "m.yaml, line 1, column 36: nested too deeply"
    )
    block = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40)) + "  " * 40 + "v: 1\n"
    message = error_of(block)
    assert "nested more than 32 levels deep" in message and "line 33" in message


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (
            'version: 1\nsites:\n  a: "unclosed\n  b: 2\nc: 3\n',
            "line 3, column 6",
            "quoted scalar opened here is never closed",
        ),
        ("version: 1\nx: 'also unclosed\n\n\ny: 1\n", "line 2, column 4", "never closed"),
        ("version: 1\nlocales: [en, fr\nsites: {}\n", "line 3, column 6", "flow sequence at line 2, column 10"),
        (  # closed by the next value's opening quote, six lines later: the parser gives up at line 10
            'version: 1\nsites:\n  fb:\n    name: "Facebook\n    hosts: [a]\n  ig:\n    name: x\n    hosts: [b]\n'
            '  x:\n    name: "y"\n',
            "line 4, column 11",
            "double quote opened here is not closed on its line",
        ),
        ("version: 1\nl: [en, 'fr, de]\nm: n\no: 'p'\n", "line 2, column 9", "single quote opened here"),
        ("version: 1\na: b: c\n", "line 2, column 5", "mapping values are not allowed here"),
        ("version: 1\nversion: 2\n", "line 2, column 1", "duplicate key"),
        ("version: 1\nsites: {a: 1\n", "line 2, column 8", "never closed"),
    ],
)
def test_every_yaml_error_names_the_right_line_and_column(text: str, where: str, words: str) -> None:
    message = error_of(text)
    assert message.startswith(f"m.yaml, {where}: not valid YAML") and words in message, message


def test_a_bad_journey_file_reaches_the_user_as_one_line_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("a: " + "[" * 20_000 + "]" * 20_000 + "\n")
    result = CliRunner().invoke(app, ["check", "--out", str(tmp_path / "o"), "-c", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output and "nested too deeply" in result.output


def test_the_limits_in_the_code_are_the_limits_in_the_readme() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"at most {config.MAX_BYTES:,} bytes" in readme
    assert f"at most {config.MAX_DEPTH} levels of nesting" in readme
    assert f"at most {config.QUOTE_CHARS} characters of a value" in readme
