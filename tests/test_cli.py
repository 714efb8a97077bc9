"""The command line: documented, with clear errors, and the replica's contract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor import cli
from monitor.cli import app
from monitor.replica import VARIANTS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import gen_cli_docs  # noqa: E402


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), prog_name="optout-monitor")
    return result.exit_code, result.output


def test_the_command_reference_is_generated_from_help_and_current() -> None:
    assert (ROOT / "docs/cli.md").read_text(encoding="utf-8") == gen_cli_docs.render(), (
        "docs/cli.md is stale: run `.venv/bin/python scripts/gen_cli_docs.py`"
    )


def test_every_command_is_named_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in gen_cli_docs.commands() if f"optout-monitor {name}" not in readme]
    assert missing == []


def test_python_dash_m_monitor_is_the_same_program() -> None:
    out = subprocess.run([sys.executable, "-m", "monitor", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0.1.0"


def test_replica_list_prints_each_variant_with_its_expected_verdict() -> None:
    code, output = invoke("replica", "--list")
    assert code == 0
    lines = [line.split() for line in output.strip().splitlines()]
    assert {name: expected for name, expected in lines} == {n: v.expected for n, v in VARIANTS.items()}
    assert {"baseline-2025", "flow-2024"} <= {name for name, _ in lines}


def test_replica_starts_with_the_check_arguments_on_its_first_line(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "replica", "--port", "0", "--state-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().split()
        assert first[0] == "--site"
        assert first[1].startswith("facebook=http://127.0.0.1:") and first[3].startswith("instagram=http://127.0.0.1:")
        state = Path(first[first.index("--storage-state") + 1].split("=", 1)[1])
        assert state.is_file() and state.parent == tmp_path
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err


def test_an_unknown_variant_is_a_usage_error_naming_the_valid_ones() -> None:
    code, output = invoke("replica", "--variant", "nope", "--port", "0")
    assert code == 2 and "nope" in output and "baseline-2025" in output


def test_a_bad_journey_file_is_a_usage_error_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("version: 1\nsites: {}\n")
    code, output = invoke("check", "--out", str(tmp_path / "o"), "--config", str(bad))
    assert code == 2 and "line 2" in output and "sites" in output


def test_a_bad_site_option_names_the_value(tmp_path: Path) -> None:
    code, output = invoke("check", "--out", str(tmp_path / "o"), "--site", "myspace=http://x")
    assert code == 2 and "unknown site 'myspace'" in output
    code, output = invoke("check", "--out", str(tmp_path / "o"), "--site", "facebook")
    assert code == 2 and "expected NAME=URL" in output


def test_an_unknown_locale_filter_lists_the_known_ones(tmp_path: Path) -> None:
    code, output = invoke("check", "--out", str(tmp_path / "o"), "--locale", "xx")
    assert code == 2 and "unknown locale xx" in output and "de, en, es, fr, it, nl" in output


def test_check_refuses_to_clear_a_repository_given_as_out(tmp_path: Path) -> None:
    code, output = invoke("check", "--out", str(ROOT), "--journey", "facebook-genai")
    assert code == 2 and "overlaps the repository" in output
    assert (ROOT / "monitor.yaml").is_file()


def test_accepting_a_folder_that_is_not_a_run_is_a_clear_error(tmp_path: Path) -> None:
    code, output = invoke("accept", str(tmp_path), "--snapshots", str(tmp_path / "s"))
    assert code == 2 and "run.json" in output


def test_update_with_a_missing_report_names_it(tmp_path: Path) -> None:
    code, output = invoke("update", str(tmp_path / "report.json"), "--root", str(tmp_path))
    assert code == 2 and "report.json" in output and "no such file" in output


def test_publish_summary_lines_are_not_wrapped_at_80_columns_when_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # CI logs: a wrapped line splits the platform's line from its URL
    url = "https://github.com/someone/optout-monitor-fork/pull/1234"
    line = f"instagram: updated the pull request {url} (3 steps reworded, 1 moved, 2 pictures replaced)"
    cli.out.print(line)
    assert capsys.readouterr().out == line + "\n"
