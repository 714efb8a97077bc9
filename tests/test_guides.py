"""A first walk against the guides (judge/guides.py): the four answers, and the body that puts them first."""

from __future__ import annotations

import shutil
from pathlib import Path

from markdown_it import MarkdownIt

from monitor import config
from monitor.judge.guides import compare
from monitor.model import Category, Change, Hop, Observation, Status, Target, Verdict
from monitor.publish import jobsummary

from .test_publish import (  # noqa: F401
    REPO,
    World,
    git,
    quiet,
    report,
    reworded,
    simulate_update,
    template,
    world,
    write,
)

ROOT = Path(__file__).resolve().parent.parent

JOURNEY = "facebook-privacy-center"


def walk(cfg: config.Config, locale: str = "en", **special: Observation) -> list[Observation]:
    """The journey's desktop steps as a walk that found every target by its first documented name."""
    journey = next(j for j in cfg.journeys if j.id == JOURNEY)
    out = []
    for i, step in enumerate(s for s in journey.steps if s.viewports is None or "desktop" in s.viewports):
        if step.id in special:
            out.append(special[step.id])
            continue
        target = None
        if step.target is not None:
            name = step.target.names(locale)[0]
            target = Target(role=step.target.role, name=name, text=name, matched=name)
        out.append(observation(step.id, i, step.action, locale, target))
    return out


def observation(step: str, index: int, action: str, locale: str, target: Target | None, **kw: object) -> Observation:
    return Observation.model_validate(
        {
            "journey": JOURNEY,
            "site": "facebook",
            "locale": locale,
            "viewport": "desktop",
            "step": step,
            "index": index,
            "action": action,
            "status": Status.OK,
            "target": target,
            **kw,
        }
    )


def test_a_walk_that_found_the_guides_words_agrees(cfg: config.Config) -> None:
    result = compare(cfg, walk(cfg) + walk(cfg, "de"))
    assert result.agrees and not result.differences
    row = next(r for r in result.rows if r.step == "object-link")
    assert (row.locale, row.guides, row.walk, row.verdict) == ("en", "object", "object", "same in every walk (2)")
    assert [r.step for r in result.rows][:3] == ["home", "consent", "account-menu"], "in the journey's order"


def test_different_words_an_extra_step_and_a_lost_step_are_each_named_with_both_sides(cfg: config.Config) -> None:
    reworded = observation(
        "object-link",
        5,
        "click",
        "en",
        Target(role="link", name="oppose", text="oppose", matched=""),
        found_by="search",
    )
    hop = observation(
        "privacy-center",
        4,
        "click",
        "en",
        Target(role="link", name="Privacy Center", text="Privacy Center", matched="Privacy Center"),
        found_by="hop",
        hop=Hop(role="link", name="Accounts Center", url="https://accountscenter.facebook.com/"),
    )
    gone = observation("settings-and-privacy", 3, "click", "en", None, superseded_by="privacy-center")
    result = compare(cfg, walk(cfg, **{"object-link": reworded, "privacy-center": hop, "settings-and-privacy": gone}))
    found = {(d.kind, d.step): (d.guides, d.walk, d.walks) for d in result.differences}
    assert found == {
        ("gone", "settings-and-privacy"): ("Settings & privacy", "", (("en", "desktop"),)),
        ("extra", "privacy-center"): ("", "link “Accounts Center”", (("en", "desktop"),)),
        ("different", "object-link"): ("object", "oppose", (("en", "desktop"),)),
    }
    assert [d.step for d in result.differences] == ["settings-and-privacy", "privacy-center", "object-link"]
    verdicts = {r.step: r.verdict for r in result.rows}
    assert verdicts["object-link"] == "different words in 1 of 1 walk"
    assert verdicts["privacy-center"] == "a step the guides do not have in 1 of 1 walk"
    assert verdicts["settings-and-privacy"] == "a step the site no longer has in 1 of 1 walk"
    assert verdicts["form"] == "same in the walk"


def test_the_job_summary_of_a_dry_run_first_walk_says_what_it_would_open() -> None:
    report = {
        "changes": [
            {"journey": "j", "locale": "en", "viewport": "desktop", "verdict": "new", "category": "nothing"},
            {"journey": "k", "locale": "en", "viewport": "desktop", "verdict": "new", "category": "nothing"},
            {"journey": "k", "locale": "en", "viewport": "desktop", "verdict": "blocked", "category": "human"},
        ]
    }
    walks = jobsummary.first_walks(report)
    assert walks == ["j/en/desktop"], "a blocked walk is no first walk"
    url = "https://github.com/o/r/actions/runs/1"
    text = jobsummary.run_summary("0", "# report\n", url, "report", True, walks, ["/w/publish-preview/pr-facebook.md"])
    assert text.startswith("## First walk: no baseline yet, review and merge the pull request\n")
    assert "Nothing to do" not in text
    assert f"- Would open: `pr-facebook.md` (publish-preview/ in [the artifact report]({url}#artifacts))" in text
    silent = jobsummary.run_summary("0", "# report\n", url, "report", False, walks, None)
    assert "- No pull request was opened for it: see the publish step's log." in silent
    assert jobsummary.run_summary("0", "# r\n", url, "report", False, [], None).startswith("## Nothing to do")


def test_a_first_walk_pull_request_names_the_differences_first_and_keeps_scraped_words_inert(
    world: World,  # noqa: F811 (the fixture of test_publish.py)
    cfg: config.Config,
) -> None:
    """A locale added later, whose walk found the tracked link under other words (scraped, hostile)."""
    hostile = "@everyone <b>oppose</b> [here](https://evil.example/)"
    reworded = observation(
        "object-link",
        5,
        "click",
        "fr",
        Target(role="link", name=hostile, text=hostile, matched=""),
        found_by="search",
    )
    changes = first_walk_in(world, cfg, "fr", **{"object-link": reworded})
    result = world.publish(report(*changes, *quiet("instagram")))
    [pr] = world.gh.pulls()
    assert pr.title == "First walk of the Facebook path: fr (desktop)", "the base holds the English walk already"
    assert result.first_walks == [f"{world.gh.server_url}/{REPO}/pull/1"]
    first = pr.body.split("### Step by step", 1)[0]
    assert "**The walk and the guides differ in 1 place. The pages in this pull request follow the walk" in first
    bullet = next(line for line in first.splitlines() if line.startswith("- **`object-link`**"))
    assert bullet.startswith("- **`object-link`** (fr; desktop): different words. The guides say “opposer”")
    # the scraped words are shown, never a mention, markup or a link
    rendered = MarkdownIt("commonmark").render(bullet)
    assert "<b>" not in rendered and 'href="https://evil.example/' not in rendered
    assert "@everyone" not in bullet and "everyone" in bullet
    row = next(line for line in pr.body.splitlines() if line.startswith("| `object-link`"))
    assert row.endswith("| different words in 1 of 1 walk |") and "opposer" in row


def first_walk_in(w: World, cfg: config.Config, locale: str, **special: Observation) -> list[Change]:
    """What update leaves for a locale walked for the first time: its observations in snapshots/, and
    the report's `new` changes (the clone gets the journey file the body compares with)."""
    observations = walk(cfg, locale, **special)
    shutil.copy(ROOT / "monitor.yaml", w.work / "monitor.yaml")
    for obs in observations:
        write(w.work, f"snapshots/{JOURNEY}/{locale}/desktop/{obs.step}.json", obs.model_dump_json(indent=2))
    return [
        Change(
            journey=JOURNEY,
            site="facebook",
            locale=locale,
            viewport="desktop",
            step=obs.step,
            index=obs.index,
            verdict=Verdict.NEW,
            category=Category.NOTHING,
            summary="no accepted baseline for this step yet",
        )
        for obs in observations
    ]


def test_a_platform_that_changed_and_walked_a_new_locale_gets_one_pull_request_with_both(
    world: World,  # noqa: F811 (the fixture of test_publish.py)
    cfg: config.Config,
) -> None:
    simulate_update(world.work, "facebook", "oppose")
    changes = first_walk_in(world, cfg, "nl")
    world.publish(report(reworded("facebook"), *changes, *quiet("instagram")))
    [pr] = world.gh.pulls()
    assert pr.title == "Update the Facebook instructions: 1 change (reworded) seen in 1 step", "the update leads"
    update, first = pr.body.split("\n## First walk: 1 walk without a baseline\n", 1)
    assert "## Facebook: the opt-out path changed" in update and "- [ ] The *after* pictures" in update
    assert "**The walk found the path the guides describe:**" in first
    assert "| `object-link` (facebook-privacy-center) | bezwaar maken | bezwaar maken | same in the walk |" in first
    head = world.branch("optout-monitor/facebook")
    files = git(world.origin, "diff", "--name-only", f"{world.branch('main')}..{head}").splitlines()
    assert f"snapshots/{JOURNEY}/nl/desktop/object-link.json" in files and "instructions/en/facebook.md" in files
