"""The hourly quick look: what it walks, when it asks for the full run, and the workflow hour that plays it.

Each "hour" runs the quick job's steps (scripts/ci/quick.sh, then dispatch-full.py when the workflow's
`if:` says so) against the replica, the suite's accepted baseline and the GitHub emulator, which
checks the dispatch against .github/workflows/monitor.yml as GitHub does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from monitor import config, quick, runner, store
from monitor.model import Change, Problem, Report, Verdict, Walk
from monitor.walk import browser, locate
from monitor.walk.pagereads import PageReader

from .conftest import Replica
from .github_emulator import GitHubEmulator
from .test_ci_steps import Job, new_job
from .test_publish import PLANTED, REPO

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
FULL_CRON = "23 */6 * * *"


@dataclass
class Hour:
    job: Job
    quick: subprocess.CompletedProcess[str]
    outputs: dict[str, str]
    dispatch: subprocess.CompletedProcess[str] | None
    dispatches: list[tuple[str, str, dict[str, str]]]
    requests: list[str]


def decision_of(hour: Hour) -> dict[str, object]:
    found: dict[str, object] = json.loads((hour.job.workspace / "run-quick" / quick.DECISION_FILE).read_text())
    return found


def dispatch_condition() -> str:
    wf = YAML(typ="safe").load((WORKFLOWS / "monitor.yml").read_text())
    step = next(s for s in wf["jobs"]["quick"]["steps"] if s.get("run") == "scripts/ci/dispatch-full.py")
    return str(step["if"])


@pytest.fixture(scope="module")
def hours(tmp_path_factory: pytest.TempPathFactory, replica: Replica, baseline_dir: Path) -> dict[str, Hour]:
    """One quick hour per replica variant, each in a fresh job with the accepted baseline checked out."""
    condition = dispatch_condition()
    sent = "steps.sent.outputs.cache-hit != 'true'"  # actions/cache: not played here, see the fingerprint test
    assert condition == f"${{{{ !cancelled() && steps.quick.outputs.full-run == 'true' && {sent} }}}}"
    played: dict[str, Hour] = {}
    try:
        for variant in ("baseline-2025", "noise", "reworded", "de-only-reworded"):
            replica.set_variant(variant)
            tmp = tmp_path_factory.mktemp(f"hour-{variant}")
            workspace = tmp / "workspace"
            workspace.mkdir()
            shutil.copytree(baseline_dir, workspace / "snapshots")
            job = new_job(tmp, workspace)
            with GitHubEmulator(REPO, token=PLANTED, workflows=WORKFLOWS) as gh:
                args = ["--config", str(ROOT / "monitor.yaml"), *replica.site_args]
                proc = job.step("quick.sh", *args, env={"RUN_DIR": "run-quick"})
                outputs = job.outputs()
                dispatch = None
                if outputs.get("full-run") == "true":  # the step's `if:`, checked above
                    env = {"GITHUB_TOKEN": PLANTED, "GITHUB_API_URL": gh.url, "GITHUB_REF_NAME": "main"}
                    dispatch = job.step("dispatch-full.py", env={**env, "DRY_RUN": "false"})
                code = outputs.get("exit-code", "")
                summary = job.step("summary.py", "quick", env={"RUN_DIR": "run-quick", "CODE": code})
                assert summary.returncode == 0, summary.stderr
                played[variant] = Hour(job, proc, outputs, dispatch, list(gh.dispatches), gh.calls())
    finally:
        replica.set_variant("baseline-2025")
    return played


def test_an_unchanged_hour_starts_no_full_run(hours: dict[str, Hour]) -> None:
    hour = hours["baseline-2025"]
    assert hour.quick.returncode == 0, hour.quick.stdout + hour.quick.stderr
    assert hour.outputs == {"exit-code": "0", "full-run": "false"}
    assert hour.dispatch is None and hour.requests == [] and hour.dispatches == []
    assert "## Quick look: nothing moved, no full run needed" in hour.job.summary()
    decision = json.loads((hour.job.workspace / "run-quick" / quick.DECISION_FILE).read_text())
    assert decision == {"full_run": False, "reasons": [], "fingerprint": ""}


def test_a_noisy_hour_starts_no_full_run(hours: dict[str, Hour]) -> None:
    hour = hours["noise"]
    assert hour.outputs == {"exit-code": "0", "full-run": "false"}, hour.quick.stdout + hour.quick.stderr
    assert hour.dispatches == []


def test_an_hour_with_a_change_dispatches_the_full_run(hours: dict[str, Hour]) -> None:
    hour = hours["reworded"]
    assert hour.quick.returncode == 0, hour.quick.stdout + hour.quick.stderr
    assert hour.outputs == {"exit-code": "1", "full-run": "true", "fingerprint": decision_of(hour)["fingerprint"]}
    assert len(hour.outputs["fingerprint"]) == 16
    assert hour.dispatch is not None and hour.dispatch.returncode == 0, hour.dispatch
    assert hour.requests == [f"POST /repos/{REPO}/actions/workflows/monitor.yml/dispatches"]
    assert hour.dispatches == [("monitor.yml", "main", {"mode": "full", "dry-run": "false"})]
    decision = json.loads((hour.job.workspace / "run-quick" / quick.DECISION_FILE).read_text())
    assert decision["full_run"] is True
    assert any("/en/desktop object-link: reworded" in r for r in decision["reasons"]), decision
    assert "something moved: the full run was started" in hour.job.summary()
    walked = [w["journey"] for w in json.loads((hour.job.workspace / "run-quick" / "run.json").read_text())["walks"]]
    asking = {r.split("/")[0] for r in decision["reasons"]}
    planned = [c.journey for c in quick.plan(config.load(ROOT / "monitor.yaml")).combos]
    assert walked == planned[: len(walked)] and walked[-1] in asking and len(walked) < len(planned), (
        "the first walk that asks for the full run is the last one started (1 worker)"
    )
    assert PLANTED not in "\n".join(hour.job.log)


def test_an_hour_with_a_change_in_another_language_only_dispatches_the_full_run(hours: dict[str, Hour]) -> None:
    """de-only-reworded changes the German notice alone: the tracked step's words are read in every locale."""
    hour = hours["de-only-reworded"]
    assert hour.outputs.get("full-run") == "true", hour.quick.stdout + hour.quick.stderr
    assert hour.dispatches == [("monitor.yml", "main", {"mode": "full", "dry-run": "false"})]
    reasons = decision_of(hour)["reasons"]
    assert isinstance(reasons, list) and reasons, reasons
    assert all("/de/desktop object-link:" in r for r in reasons), reasons


def test_the_quick_look_walks_each_journey_to_its_tracked_step_in_one_locale_and_viewport(
    hours: dict[str, Hour], cfg: config.Config
) -> None:
    run = hours["baseline-2025"].job.workspace / "run-quick"
    walked = json.loads((run / "run.json").read_text())
    combos = [(w["journey"], w["locale"], w["viewport"]) for w in walked["walks"]]
    tracked = [j.id for j in cfg.journeys if j.tracked_step is not None]
    assert sorted(c for c in combos if c[1] == "en") == sorted((j, "en", "desktop") for j in tracked)
    # every other locale the baseline holds (the suite's: fr, de), its tracked step read, after the walks
    others = sorted(c for c in combos if c[1] != "en")
    assert others == sorted((j, loc, "desktop") for j in tracked for loc in ("fr", "de")), others
    assert [c[1] for c in combos[: len(tracked)]] == ["en"] * len(tracked), "the walked locale first"
    log = hours["baseline-2025"].quick.stdout
    order = [line.split()[1].split("/")[0] for line in log.splitlines() if line.startswith("[")]
    public = [j.id for j in cfg.journeys if not j.login]
    assert set(order[: len(public)]) == set(public), "public journeys first"
    tree = store.read_tree(run / store.OBSERVATIONS)
    for journey_id, locale, _ in combos:
        journey = cfg.journey(journey_id)
        steps = [o.step for o in tree.walk_of(journey_id, locale, "desktop")]
        assert journey.tracked_step is not None and steps[-1] == journey.tracked_step.id, steps
        assert len(steps) < len(journey.steps) or not journey.login, "logged-in journeys stop before the form"
        if locale != "en":
            assert steps == [journey.tracked_step.id], "another locale reads the tracked step alone"


def test_a_quick_run_cannot_become_the_baseline(hours: dict[str, Hour], tmp_path: Path) -> None:
    run = hours["baseline-2025"].job.workspace / "run-quick"
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "accept", str(run), "--snapshots", str(tmp_path / "snaps")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "is a quick look" in proc.stderr and not (tmp_path / "snaps").exists()


def test_quick_with_a_narrowing_option_is_a_usage_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "check", "--quick", "--locale", "fr", "--out", str(tmp_path / "o")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "drop --locale" in proc.stderr


def test_a_dispatch_of_an_undeclared_input_is_refused_with_githubs_message(tmp_path: Path) -> None:
    """The emulator holds the dispatch to the workflow file, as GitHub does: without the `mode` input, 422."""
    workflows = tmp_path / "workflows"
    workflows.mkdir()
    text = (WORKFLOWS / "monitor.yml").read_text()
    start = text.index("      mode:\n")
    end = text.index("      dry-run:\n")
    (workflows / "monitor.yml").write_text(text[:start] + text[end:])
    job = new_job(tmp_path, tmp_path)
    with GitHubEmulator(REPO, token=PLANTED, workflows=workflows) as gh:
        env = {"GITHUB_TOKEN": PLANTED, "GITHUB_API_URL": gh.url, "GITHUB_REF_NAME": "main"}
        proc = job.step("dispatch-full.py", env=env)
        assert gh.dispatches == []
    assert proc.returncode == 1 and "HTTP 422 Unexpected inputs provided: ['mode']" in proc.stderr
    assert PLANTED not in proc.stdout + proc.stderr


BAD_QUICK = [
    ("quick:\n  locale: xx\n", "quick.locale: unknown locale 'xx'; known: en"),
    ("quick:\n  viewport: tv\n", "quick.viewport: unknown viewport 'tv'; known: desktop, mobile"),
    ("quick:\n  journeys: [nope]\n", "quick.journeys[0]: unknown journey 'nope'"),
    (
        "quick:\n  journeys: [facebook-genai, facebook-genai]\n",
        "quick.journeys[1]: journey 'facebook-genai' is listed twice",
    ),
    ("quick:\n  speed: 3\n", "quick.speed: Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("block", "message"), BAD_QUICK)
def test_a_bad_quick_section_names_its_key(block: str, message: str) -> None:
    text = (ROOT / "monitor.yaml").read_text().split("\nquick:")[0] + "\n" + block
    with pytest.raises(config.ConfigError) as caught:
        config.parse(text)
    assert message in str(caught.value)
    assert "monitor.yaml, line " in str(caught.value)


def test_a_quick_journey_without_a_tracked_step_is_refused() -> None:
    text = (ROOT / "monitor.yaml").read_text().split("\nquick:")[0]
    text = text.replace(
        "      - id: object-link\n        tracked: true\n        observe:", "      - id: object-link\n        observe:"
    )
    text += "\nquick:\n  journeys: [facebook-genai]\n"
    with pytest.raises(config.ConfigError) as caught:
        config.parse(text)
    assert "journey 'facebook-genai' has no tracked step" in str(caught.value)


def test_the_schedules_run_the_quick_look_in_every_hour_the_full_run_does_not() -> None:
    wf = YAML(typ="safe").load((WORKFLOWS / "monitor.yml").read_text())
    crons = [s["cron"] for s in wf["on"]["schedule"]]
    assert crons[0] == FULL_CRON

    def hours_of(cron: str) -> set[int]:
        field = cron.split()[1]
        out: set[int] = set()
        for part in field.split(","):
            if part.startswith("*/"):
                out |= set(range(0, 24, int(part[2:])))
            elif "-" in part:
                lo, hi = part.split("-")
                out |= set(range(int(lo), int(hi) + 1))
            else:
                out.add(int(part))
        return out

    full, quick_hours = hours_of(crons[0]), hours_of(crons[1])
    assert full == {0, 6, 12, 18} and not full & quick_hours and full | quick_hours == set(range(24))
    jobs = wf["jobs"]
    assert f"github.event.schedule != '{FULL_CRON}'" in jobs["quick"]["if"]
    assert f"github.event.schedule == '{FULL_CRON}'" in jobs["check"]["if"]
    assert jobs["quick"]["permissions"] == {"contents": "read", "actions": "write"}
    assert wf["on"]["workflow_dispatch"]["inputs"]["mode"]["options"] == ["full", "quick"]
    assert wf["concurrency"]["cancel-in-progress"] is False, "the dispatched full run waits, never overlaps"


def _report(*verdicts: Verdict, problem: bool = False) -> Report:
    changes = [
        Change(
            journey="facebook-genai",
            site="facebook",
            locale="en",
            viewport="desktop",
            step=f"s{i}",
            index=i,
            verdict=v,
            category=v.category,
            summary=v.value,
        )
        for i, v in enumerate(verdicts)
    ]
    problems = [Problem(path="snapshots/x.json", message="unreadable", fix="accept again")] if problem else []
    return Report.build(quick.NO_RUN, changes, problems)


@pytest.mark.parametrize(
    ("verdicts", "problem", "full"),
    [
        ((Verdict.UNCHANGED, Verdict.COSMETIC), False, False),
        ((Verdict.UNCHANGED, Verdict.COSMETIC), True, True),  # a broken baseline: the full run says what
        ((Verdict.NEW,), False, True),  # nothing accepted to compare with: only the full run can tell
        ((Verdict.BLOCKED, Verdict.SKIPPED), False, True),
        ((Verdict.UNCHANGED, Verdict.MOVED), False, True),
    ],
)
def test_only_unchanged_and_cosmetic_steps_spare_the_full_run(
    verdicts: tuple[Verdict, ...], problem: bool, full: bool
) -> None:
    decision = quick.decide(_report(*verdicts, problem=problem))
    assert decision.full_run is full
    assert all("unchanged" not in r and "cosmetic" not in r for r in decision.reasons)


def test_the_same_change_against_the_same_baseline_has_one_fingerprint() -> None:
    """What lets the workflow start one full run per change instead of one an hour until it is merged."""
    seen = _report(Verdict.UNCHANGED, Verdict.REWORDED)
    first, again = quick.decide(seen, "base-1"), quick.decide(_report(Verdict.UNCHANGED, Verdict.REWORDED), "base-1")
    assert first.fingerprint == again.fingerprint and len(first.fingerprint) == 16
    assert quick.decide(seen, "base-2").fingerprint != first.fingerprint, "a merged update is a new baseline"
    assert quick.decide(_report(Verdict.UNCHANGED, Verdict.MOVED), "base-1").fingerprint != first.fingerprint
    assert quick.decide(_report(Verdict.UNCHANGED), "base-1").fingerprint == ""


def test_the_workflow_remembers_a_sent_change_under_its_fingerprint() -> None:
    wf = YAML(typ="safe").load((WORKFLOWS / "monitor.yml").read_text())
    steps = {s.get("id") or s.get("name"): s for s in wf["jobs"]["quick"]["steps"]}
    restore, save = steps["sent"], steps["Remember that this change was sent"]
    key = "quick-sent-${{ steps.quick.outputs.fingerprint }}"
    assert restore["uses"].startswith("actions/cache/restore@") and restore["with"]["key"] == key
    assert restore["with"]["lookup-only"] is True
    assert save["uses"].startswith("actions/cache/save@") and save["with"]["key"] == key
    assert "steps.dispatch.outcome == 'success'" in save["if"]
    assert steps["dispatch"]["run"] == "scripts/ci/dispatch-full.py"


def test_a_read_the_browser_lost_asks_for_the_full_run_and_is_never_skipped(baseline: store.Tree) -> None:
    """A read (another locale, monitor/walk/quickread.py) ended by a dead browser or the watchdog becomes its
    tracked step, blocked: a skipped step would not ask, and the change behind it would wait 6 hours."""
    from monitor.model import BlockReason, Observation, Status, Walk

    seen = next(o for k, o in baseline.observations.items() if o.tracked and k[1] == "de" and k[2] == "desktop")
    lost = [
        Observation(**{**base, "step": step, "index": i, "action": "goto"}, status=status, reason=reason, error="gone")
        for i, (step, status, reason) in enumerate(
            [("home", Status.BLOCKED, BlockReason.BROWSER), (seen.step, Status.SKIPPED, None)]
        )
        for base in [{"journey": seen.journey, "site": seen.site, "locale": "de", "viewport": "desktop"}]
    ]
    walk = Walk(journey=seen.journey, site=seen.site, locale="de", viewport="desktop", observations=lost)
    kept = runner.Route(seen, {}).failed(walk)
    assert [(o.step, o.status, o.reason) for o in kept.observations] == [
        (seen.step, Status.BLOCKED, BlockReason.BROWSER)
    ]
    view = store.Tree(baseline.root, {k: o for k, o in baseline.observations.items() if o is seen}, {})
    decision = quick.decide(quick.compare.compare_run(view, [kept], config.Thresholds(), quick.NO_RUN))
    assert decision.full_run and decision.reasons == [f"{seen.journey}/de/desktop {seen.step}: blocked"], decision


def test_the_quick_looks_walks_take_no_screenshot_and_keep_the_baselines_pictures(
    hours: dict[str, Hour], baseline_dir: Path
) -> None:
    run = hours["baseline-2025"].job.workspace / "run-quick"
    tree = store.read_tree(run / store.OBSERVATIONS)
    accepted = store.read_tree(baseline_dir)
    walked = [o for o in tree.observations.values() if o.locale == "en" and o.images is not None]
    assert walked, "the walked locale's steps name pictures"
    for obs in walked:
        assert runner.PICTURES_NOTE in obs.capped, obs.key.path
        before = accepted.observations[obs.key]
        assert obs.images == before.images  # names and hashes: the same compare finds the looks unchanged
        name = obs.images.page
        assert name is not None
        here = store.combo_dir(run / store.OBSERVATIONS, obs.journey, obs.locale, obs.viewport) / name
        there = store.combo_dir(baseline_dir, obs.journey, obs.locale, obs.viewport) / name
        assert here.read_bytes() == there.read_bytes()  # the report shows the last accepted picture


def test_the_quick_looks_walks_read_no_region_aria_snapshot_and_keep_the_baselines(
    cfg: config.Config, baseline: store.Tree
) -> None:
    """A region's ARIA snapshot can only ever make a change cosmetic, which the quick look does not act
    on: its reader takes none (one browser call fewer per step), and the walk keeps the baseline's."""
    html = "<main><section><h2>Generative AI</h2><p>You can <a href='/form'>object</a> to it.</p></section></main>"
    spec = config.TargetSpec(role="link", name={"en": ["object"]})
    with browser.launched() as session:
        page = session.browser.new_page()
        page.set_content(html)
        found = locate.find(page, spec, "en")
        assert found is not None
        full, _ = PageReader(cfg).describe(page, found)
        quick_, _ = PageReader(cfg, pictures=False).describe(page, found)
        page.close()
    assert "Generative AI" in full.aria and quick_.aria == ""
    assert (quick_.name, quick_.sentence, quick_.context) == (full.name, full.sentence, full.context)
    seen = next(o for o in baseline.observations.values() if o.tracked and o.target is not None)
    walked = seen.model_copy(update={"images": None, "target": seen.target.model_copy(update={"aria": ""})})
    walk = Walk(journey=seen.journey, site=seen.site, locale=seen.locale, viewport=seen.viewport, observations=[walked])
    kept, _ = runner.baseline_looks(walk, baseline)
    assert kept.observations[0].target is not None and kept.observations[0].target.aria == seen.target.aria
    view = store.Tree(baseline.root, {seen.key: seen}, {})
    [change] = quick.compare.compare_run(view, [kept], config.Thresholds(), quick.NO_RUN).changes
    assert change.verdict is Verdict.UNCHANGED and not change.evidence.aria_diff


def test_the_quick_looks_reads_share_a_context_per_site_and_login_and_load_ahead(
    cfg: config.Config, replica: Replica, baseline: store.Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every other locale's read of a site and login is one context's page told its locale (speak.py),
    not a context per locale; each read's page was asked for ahead (ahead.py), while the thread walked or
    read; and the unchanged replica reads unchanged in every locale."""
    from monitor.walk import quickread, speak

    made: list[tuple[str, bool]] = []
    new_context = speak.new_context

    def counted(session: object, config_: config.Config, viewport: str, state: object, *rest: object) -> object:
        made.append(("login" if state is not None else "public", viewport))  # type: ignore[arg-type]
        return new_context(session, config_, viewport, state, *rest)  # type: ignore[arg-type]

    given: list[bool] = []
    read_tracked = quickread.read_tracked

    def reading(walker: object, context: object, journey: object, seen: object, ahead: object = None) -> Walk:
        given.append(ahead is not None)
        return read_tracked(walker, context, journey, seen, ahead)  # type: ignore[arg-type]

    monkeypatch.setattr(speak, "new_context", counted)
    monkeypatch.setattr(quickread, "read_tracked", reading)
    look = quick.plan(cfg, baseline)
    check = runner.Check(look.config, "monitor.yaml", replica.stand_ins, replica.states)
    check.baseline, check.routes, check.pictures = quick.baseline_view(baseline, look), look.routes, False
    report = check.check(look.combos, tmp_path / "out")
    journeys = [cfg.journey(j) for j in sorted({c.journey for c in look.routes})]
    assert len(look.routes) == 2 * len(journeys) and {c.locale for c in look.routes} == {"fr", "de"}
    contexts = {(j.site, j.login) for j in journeys}
    assert len(made) == len(contexts) < len(look.routes) / 2, made  # not one per locale
    assert sorted(made) == sorted(("login" if login else "public", "desktop") for _, login in contexts)
    assert given == [True] * len(look.routes), "a read whose page was not loading ahead"
    reads = [c for c in report.changes if runner.Combo(c.journey, c.locale, c.viewport) in look.routes]
    assert len(reads) == len(look.routes) and {c.verdict for c in report.changes} == {Verdict.UNCHANGED}
