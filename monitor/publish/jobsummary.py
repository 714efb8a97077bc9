"""The job summary of a monitor run, as GitHub shows it on the run's page.

A summary is rendered on github.com, far from the files of the run: a relative link in it goes
nowhere. Pictures and other files of a report live in the run's artifact, which GitHub offers only
as a whole, so every relative link becomes an absolute link to the run's artifacts
(`$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID#artifacts`), titled with the
file's path inside the artifact. Stdlib only: the summary step runs even when installing failed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# A Markdown link or image whose target is a relative path (no scheme, no leading / or #).
_RELATIVE = re.compile(r"(!?\[[^\]\n]*\])\((?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^)\s\"]+)\)")

HEADLINES = {
    "0": "Nothing to do: every walk reached its end",
    "1": "The instructions needed an update: see the pull request",
    "3": "A human is needed: see the issue",
}


def run_url(env: Mapping[str, str]) -> str:
    """This run's page on GitHub, from the variables every job has; ValueError naming a missing one."""
    missing = [k for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID") if not env.get(k)]
    if missing:
        raise ValueError(f"{', '.join(missing)} unset: the job summary needs them for its links")
    return f"{env['GITHUB_SERVER_URL'].rstrip('/')}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"


def absolute_links(markdown: str, url: str, artifact: str) -> str:
    """Every relative link or image of markdown, as a link to the run's artifacts titled with its path."""

    def link(match: re.Match[str]) -> str:
        text, path = match.group(1).removeprefix("!"), match.group(2)
        return f'{text}({url}#artifacts "{path} in the artifact {artifact}")'

    return _RELATIVE.sub(link, markdown)


def shard_summary(shard: str, code: str, report_md: str | None, url: str, artifact: str) -> str:
    head = f"## Shard {shard}: exit {code or 'none'}\n\n"
    if report_md is None:
        return head + "No report was written; see the log.\n"
    return head + absolute_links(report_md, url, artifact).rstrip("\n") + "\n" + _full_report(url, artifact)


def quick_summary(code: str, report_md: str | None, url: str, artifact: str) -> str:
    """The hourly quick look: whether it started the full run, then its report."""
    said = {"0": "nothing moved, no full run needed", "1": "something moved: the full run was started"}
    head = (
        f"## Quick look: {said.get(code, f'did not finish (exit {code or chr(0x2013)}); the full run was started')}\n\n"
    )
    if report_md is None:
        return head + "No report was written; see the log.\n"
    return head + absolute_links(report_md, url, artifact).rstrip("\n") + "\n" + _full_report(url, artifact)


def _full_report(url: str, artifact: str) -> str:
    """Where the whole report is: the summary holds report.md only, the pictures are in the artifact."""
    return f"\nThe whole report (report.html and its pictures) is in [the artifact {artifact}]({url}#artifacts).\n"


PUBLISHED = "published.json"  # beside report.json: what publish opened (cli.py writes it; the summary reads it)
FIRST_WALK_HEADLINE = "First walk: no baseline yet, review and merge the pull request"


def first_walks(report: Mapping[str, Any]) -> list[str]:
    """The walks (`journey/locale/viewport`) of a report.json that had no baseline and reached their end."""
    listed = report.get("changes")
    changes = [c for c in listed if isinstance(c, dict)] if isinstance(listed, list) else []
    human = {_combo(c) for c in changes if c.get("category") == "human"}
    return sorted({_combo(c) for c in changes if c.get("verdict") == "new" and _combo(c) not in human})


def _combo(change: Mapping[str, Any]) -> str:
    return f"{change.get('journey')}/{change.get('locale')}/{change.get('viewport')}"


def first_walk_section(walks: list[str], published: list[str] | None, dry_run: bool, url: str, artifact: str) -> str:
    """Where a first walk went: its pull requests (or, in a dry run, the payloads that say what they would
    hold), or that none was opened. Never "Nothing to do": a run that walked without a baseline says so."""
    if not walks:
        return ""
    lines = [
        f"**First walk:** {len(walks)} walk{'s' if len(walks) != 1 else ''} had no baseline in `snapshots/`. "
        "Merging the first-walk pull request makes this walk the baseline and the pages checked; until then "
        "nothing is called checked.",
        "",
    ]
    if published and dry_run:
        lines += [
            f"- Would open: `{Path(p).name}` ({Path(p).parent.name}/ in [the artifact {artifact}]({url}#artifacts))"
            for p in published
        ]
    elif published:
        lines += [f"- Review and merge: {p}" for p in published]
    else:
        lines.append("- No pull request was opened for it: see the publish step's log.")
    return "\n".join(lines) + "\n\n"


def run_summary(
    code: str,
    report_md: str | None,
    url: str,
    artifact: str,
    dry_run: bool,
    walks: list[str] | None = None,
    published: list[str] | None = None,
) -> str:
    """The merged run's summary; `walks` without a baseline (first_walks) and the first-walk pull requests
    publish opened (`published`, from run/published.json) turn "Nothing to do" into "First walk"."""
    headline = HEADLINES.get(code, f"The run did not finish (exit {code or chr(0x2013)})")
    if walks and code == "0":
        headline = FIRST_WALK_HEADLINE
    head = f"## {headline}\n\n" + first_walk_section(walks or [], published, dry_run, url, artifact)
    if dry_run and code in HEADLINES:
        head += (
            f"Dry run: nothing was opened; what would have been is in [the artifact {artifact}]({url}#artifacts) "
            "(publish-preview/).\n\n"
        )
    if report_md is None:
        return head + "No merged report was written; see the log.\n"
    return head + absolute_links(report_md, url, artifact).rstrip("\n") + "\n" + _full_report(url, artifact)
