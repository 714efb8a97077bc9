"""Job summaries are read on github.com: every link in them must work there."""

from __future__ import annotations

import pytest

from monitor.publish import jobsummary

RUN = "https://github.com/octo/optout-monitor/actions/runs/7"
ENV = {"GITHUB_SERVER_URL": "https://github.com/", "GITHUB_REPOSITORY": "octo/optout-monitor", "GITHUB_RUN_ID": "7"}


def test_relative_links_go_to_the_runs_artifacts_and_others_stay() -> None:
    md = "[after](images/a/b.after.png) · ![diff](images/a/b.diff.png) [pr](https://github.com/o/r/pull/1) [top](#changes)"
    out = jobsummary.absolute_links(md, jobsummary.run_url(ENV), "report")
    assert out == (
        f'[after]({RUN}#artifacts "images/a/b.after.png in the artifact report") · '
        f'[diff]({RUN}#artifacts "images/a/b.diff.png in the artifact report") '
        "[pr](https://github.com/o/r/pull/1) [top](#changes)"
    )


def test_the_run_url_names_what_is_missing() -> None:
    with pytest.raises(ValueError, match="GITHUB_RUN_ID unset"):
        jobsummary.run_url({k: v for k, v in ENV.items() if k != "GITHUB_RUN_ID"})


def test_a_dry_run_says_where_the_preview_is_and_a_crash_says_so() -> None:
    dry = jobsummary.run_summary("1", "# report\n", RUN, "report", dry_run=True)
    assert dry.startswith("## The instructions needed an update") and f"[the artifact report]({RUN}#artifacts)" in dry
    assert jobsummary.run_summary("", None, RUN, "report", dry_run=False).startswith(
        "## The run did not finish (exit –)"
    )
