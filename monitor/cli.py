"""The commands; nothing else lives here."""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from monitor import __version__, cliargs, config, console, quick, store
from monitor.console import EXIT_HUMAN, EXIT_OK, EXIT_UPDATE, EXIT_USAGE, err, fail, out
from monitor.guard import files, locks, outdir
from monitor.guard.gate import GateError
from monitor.runner import Check, parse_shard, plan
from monitor.walk.browser import BrowserError, load_storage_state, parse_site_options, state_files


class _Commands(TyperGroup):
    """Every command: an OS error (read-only folder, full disk, permissions) or a busy lock ends in one
    line naming the path and the cause, exit 3; any other failure too, with its traceback only under --debug."""

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click Context
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.exceptions.TyperException):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            fail(console.one_line(exc), EXIT_HUMAN)


app = typer.Typer(
    cls=_Commands,
    help="Keeps instructions for objecting to Meta's AI training correct while Meta changes its pages.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
ConfigOpt = Annotated[Path, typer.Option("--config", "-c", metavar="FILE", help="The journey file.")]
RepoOpt = Annotated[
    str | None,
    typer.Option("--repo", metavar="OWNER/NAME", help="For links; default: GITHUB_REPOSITORY, then git's origin."),
]
SnapshotsOpt = Annotated[Path, typer.Option("--snapshots", metavar="DIR", help="The accepted baseline folder.")]


def load_config(path: Path) -> config.Config:
    try:
        return config.load(path)
    except config.ConfigError as exc:
        fail(str(exc))


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the Python traceback of an unexpected failure.")] = False,
) -> None:
    if version:
        print(__version__)
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        print(ctx.get_help())
        raise typer.Exit(EXIT_USAGE)


@app.command()
def check(
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="DIR", help="Folder for this run (observations, run.json); required unless learning."
        ),
    ] = None,
    site: Annotated[
        list[str],
        typer.Option(
            "--site", metavar="NAME=URL", help="NAME=URL: answer a real site's hosts from a stand-in (the replica)."
        ),
    ] = [],  # noqa: B006 - typer reads the default
    storage_state: Annotated[
        list[str],
        typer.Option(
            "--storage-state", metavar="NAME=FILE", help="NAME=FILE: login state for a site, overrides monitor.yaml."
        ),
    ] = [],  # noqa: B006
    journey: Annotated[
        list[str], typer.Option("--journey", "-j", metavar="ID", help="Walk only this journey (repeatable).")
    ] = [],  # noqa: B006
    locale: Annotated[
        list[str], typer.Option("--locale", "-l", metavar="CODE", help="Walk only this locale (repeatable).")
    ] = [],  # noqa: B006
    viewport: Annotated[
        list[str], typer.Option("--viewport", metavar="NAME", help="Walk only this viewport (repeatable).")
    ] = [],  # noqa: B006
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=16, metavar="N", help="Walks at once.")] = 1,
    shard: Annotated[
        str, typer.Option("--shard", metavar="I/N", help="I/N: walk every N-th combination, from the I-th.")
    ] = "1/1",
    browser: Annotated[
        str | None, typer.Option("--browser", metavar="PATH", help="Chromium executable to launch.")
    ] = None,
    allow_remote: Annotated[
        bool,
        typer.Option(
            "--allow-remote-stand-in",
            help="Accept a --site URL that is not on this machine; Send is never pressed there.",
        ),
    ] = False,
    learn_labels: Annotated[
        str | None,
        typer.Option(
            "--learn-labels",
            metavar="LOCALE",
            help="Instead: walk in LOCALE, find each target by place, role and destination (not words), and write "
            "labels/LOCALE.yaml beside the journey file for a maintainer to review.",
        ),
    ] = None,
    quick_look: Annotated[
        bool,
        typer.Option(
            "--quick",
            help="Walk only monitor.yaml's quick look (each journey up to its tracked step in one locale and "
            "viewport, then that step read in every other locale the baseline holds) and exit 1 when the full "
            "matrix is needed (anything but unchanged or cosmetic), else 0.",
        ),
    ] = False,
    config_path: ConfigOpt = Path("monitor.yaml"),
    snapshots: SnapshotsOpt = Path("snapshots"),
) -> None:
    """Walk every journey × locale × viewport and record what each step saw."""
    cfg = load_config(config_path)
    picked = [o for o, v in (("--journey", journey), ("--locale", locale), ("--viewport", viewport)) if v]
    picked += ["--shard"] * (shard != "1/1") + ["--learn-labels"] * (learn_labels is not None)
    if quick_look and picked:
        fail(f"--quick walks what monitor.yaml's quick: names; drop {', '.join(picked)}")
    look = quick.plan(cfg) if quick_look else None
    if learn_labels is not None:
        _learn(cfg, config_path, learn_labels, site, storage_state, journey, viewport, browser, allow_remote)
    if out_dir is None:
        fail("missing option --out DIR (the folder for this run)")
    try:
        stand_ins = parse_site_options(site, cfg, allow_remote)
        states = cliargs.pairs(storage_state, "--storage-state", cfg)
        combos = look.combos if look else plan(cfg, journey, locale, viewport, parse_shard(shard))
    except ValueError as exc:
        fail(str(exc))
    if not combos:
        fail(f"shard {shard} has nothing to walk")
    try:  # every argument is checked before anything is touched: a missing state file clears no run
        for name in sorted({cfg.journey(c.journey).site for c in combos if cfg.journey(c.journey).login}):
            load_storage_state(name, cfg, states)
    except BrowserError as exc:
        fail(str(exc))
    cliargs.claim(out_dir, "check", "--out", cliargs.protected(cliargs.repo_root(config_path), snapshots))
    unset = sorted({m.text_env for m in cfg.masks if m.text_env and not m.texts()})
    if unset and any(cfg.journey(c.journey).login for c in combos):
        err.print(f"warning: ${', $'.join(unset)} is not set: the account's name may show in screenshots")
    checkout = cliargs.repo_root(config_path)
    for named, path in state_files(cfg, states):
        where = path.resolve()
        if where == checkout or checkout in where.parents:
            err.print(
                f"warning: the login state named by {named} lies inside the checkout ({checkout}), where it "
                "could be committed; move it outside, e.g. to ~/.config/optout-monitor/"
            )
    # The baseline's lock for the whole run: an accept must not swap walks this check compares with.
    with (
        locks.hold(out_dir, locks.command_line(), "run folder"),
        locks.hold(snapshots, locks.command_line(), "baseline"),
    ):
        outdir.clear(out_dir)
        store.recover(snapshots)  # what a killed accept left, if anything
        baseline = store.read_tree(snapshots)
        if look is not None:  # other locales go straight to the page the baseline saw the tracked step on
            look = quick.plan(cfg, baseline)
            combos = look.combos
        walked = look.config if look else cfg
        seen = quick.baseline_view(baseline, look) if look else baseline
        runner = Check(walked, str(config_path), stand_ins, states, workers, browser, shard, seen)
        runner.routes = look.routes if look else {}
        runner.pictures = look is None
        progress = console.progress(len(combos))
        if look is not None:  # stop starting walks once one asks for the full run
            progress = quick.watching(progress, seen, walked.thresholds, runner.enough)
        try:
            result = runner.check(combos, out_dir, progress)
        except BrowserError as exc:
            fail(str(exc))
    console.summary(result)
    out.print(
        f"report: {out_dir / 'report.html'} (also report.md, report.json); observations in {out_dir / 'observations'}/"
    )
    if not baseline.observations and look is None:
        out.print(
            f"no baseline in {snapshots}/ yet: accept this run with `optout-monitor accept {out_dir} --snapshots {snapshots}`"
        )
    if look is not None:
        decision = quick.decide(result, quick.baseline_digest(seen))
        quick.write(decision, out_dir)
        out.print("\n".join([f"full run needed: {r}" for r in decision.reasons] or ["no full run needed"]))
        raise typer.Exit(EXIT_UPDATE if decision.full_run else EXIT_OK)
    raise typer.Exit(result.exit_code)


def _learn(
    cfg: config.Config,
    config_path: Path,
    locale: str,
    site: list[str],
    storage_state: list[str],
    journeys: list[str],
    viewports: list[str],
    browser: str | None,
    allow_remote: bool,
) -> NoReturn:
    """check --learn-labels: exit 0 with the file written, 3 when a person must decide."""
    from monitor.walk.learnwalk import learn_labels

    if not config.locale_code_ok(locale):
        fail(f"--learn-labels {locale!r}: a locale code looks like 'ro' or 'pt-BR'")
    try:
        stand_ins = parse_site_options(site, cfg, allow_remote)
        states = cliargs.pairs(storage_state, "--storage-state", cfg)
        plan(cfg, journeys, (), viewports)  # names the unknown journey or viewport
        outcome = learn_labels(
            cfg, config_path, locale, stand_ins, states, journeys, viewports, browser, lambda line: out.print(line)
        )
    except ValueError as exc:
        fail(str(exc))
    except BrowserError as exc:
        fail(str(exc), EXIT_HUMAN)
    if outcome.refused:
        fail(outcome.refused, EXIT_HUMAN)
    if outcome.questions:
        for question in outcome.questions:
            print(question.describe(), file=sys.stderr)
        fail(f"{len(outcome.questions)} step(s) need a person; {outcome.path} was not written", EXIT_HUMAN)
    learned = outcome.written
    count = sum(len(steps) for steps in learned.journeys.values()) if learned else 0
    missed = sum(len(steps) for steps in learned.not_learned.values()) if learned else 0
    out.print(
        f"wrote {outcome.path}: {count} step label(s) learned, {missed} not (see not_learned:), reviewed by nobody"
    )
    out.print(f"review it, set reviewed_by, add `{locale}:` to locales: in {config_path}, and merge it in a PR")
    raise typer.Exit(EXIT_OK)


@app.command()
def accept(
    run_dir: Annotated[Path, typer.Argument(metavar="RUN_DIR", help="The --out folder of a check.")],
    snapshots: SnapshotsOpt = Path("snapshots"),
    accept_doubtful: Annotated[
        bool,
        typer.Option(
            "--accept-doubtful",
            help="Also accept walks whose target has no role or name, or was found only by a low-scoring search.",
        ),
    ] = False,
) -> None:
    """Make a run the accepted baseline (each walk swapped in whole; walks that failed keep their old one)."""
    if (run_dir / quick.DECISION_FILE).is_file():
        fail(f"{run_dir} is a quick look (its walks stop at the tracked step): accept a full check's run instead")
    try:
        result = store.accept(run_dir, snapshots, accept_doubtful)
    except store.StoreError as exc:
        fail(str(exc), exc.code)
    except GateError as exc:
        fail(str(exc), EXIT_HUMAN)
    out.print(
        f"accepted {len(result.walks)} walk(s) into {snapshots}/: "
        f"{result.written} file(s) written, {result.removed} stale file(s) removed"
    )
    doubtful = {d.split(": ", 1)[0] for d in result.doubtful}
    for label in result.kept:
        if label not in doubtful:
            out.print(f"  kept the old baseline of {label}: the run did not walk it to the end")
    for line in result.doubtful:
        out.print(f"  kept the old baseline of {line} (check it, then pass --accept-doubtful)")
    for line in result.absent:
        out.print(f"  accepted {line} with its target absent: its return will be reported as `appeared`")


@app.command()
def replica(
    port: Annotated[
        int, typer.Option("--port", "-p", metavar="PORT", help="Port on 127.0.0.1 (0 picks a free one).")
    ] = 8765,
    variant: Annotated[
        str, typer.Option("--variant", metavar="NAME", help="Named UI state to serve.")
    ] = "baseline-2025",
    list_variants: Annotated[
        bool, typer.Option("--list", help="List the variants and their expected verdicts.")
    ] = False,
    state_dir: Annotated[
        Path | None,
        typer.Option(
            "--state-dir", metavar="DIR", help="Where to write the replica's login states (default: a temp folder)."
        ),
    ] = None,
) -> None:
    """Serve the local stand-in for Facebook's and Instagram's objection path."""
    from monitor.replica import VARIANTS, UnknownVariant, make_server, storage_state

    if list_variants:
        width = max(len(n) for n in VARIANTS)
        for name, v in VARIANTS.items():
            print(f"{name:<{width}}  {v.expected}")
        return
    try:
        server = make_server(port, variant)
    except UnknownVariant as exc:
        fail(str(exc.args[0] if exc.args else exc))
    except OSError as exc:
        fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}")
    folder = state_dir or Path(tempfile.mkdtemp(prefix="optout-replica-"))
    folder.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{server.server_port}"
    args = [f"--site facebook={url}", f"--site instagram={url}"]
    for platform in ("facebook", "instagram"):
        path = folder / f"{platform}.replica-state.json"
        files.write_atomic(path, json.dumps(storage_state(platform), indent=2).encode())
        args.append(f"--storage-state {platform}={path}")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(" ".join(args), flush=True)
    print(f"serving variant {variant!r} on {url} (Ctrl-C stops)", file=sys.stderr, flush=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


@app.command()
def update(
    report_path: Annotated[Path, typer.Argument(metavar="REPORT", help="report.json of a check (or aggregate).")],
    root: Annotated[
        Path, typer.Option("--root", metavar="DIR", help="Tree holding snapshots/ and instructions/.")
    ] = Path("."),
    config_path: ConfigOpt = Path("monitor.yaml"),
) -> None:
    """Apply a report: accept the changed steps, re-render the affected instructions, write changelog entries."""
    from monitor.update import BrokenBaseline, UpdateError, apply
    from monitor.write import app_steps
    from monitor.write import report as report_mod

    cfg = load_config(config_path)
    try:
        apps = app_steps.load_beside(config_path, list(cfg.locales), cfg)
        loaded = report_mod.load(report_path)
        applied = apply(cfg, loaded, report_path.parent, root, apps=apps)
    except BrokenBaseline as exc:
        fail(str(exc), EXIT_HUMAN)
    except (report_mod.ReportError, UpdateError, app_steps.AppStepsError) as exc:
        fail(str(exc))
    except GateError as exc:
        fail(str(exc), EXIT_HUMAN)
    out.print(
        f"baseline: {len(applied.accepted)} step(s) accepted, {len(applied.dropped)} dropped; "
        f"instructions: {len(applied.files)} file(s) changed; changelog: {len(applied.entries)} new entr(ies)"
    )
    for path in applied.files[:12]:
        out.print(f"  {path}")
    if len(applied.files) > 12:
        out.print(f"  … and {len(applied.files) - 12} more")
    for combo in applied.held:
        out.print(f"  not applied, a human is needed: {combo}")
    for app in applied.app_steps:  # the page's app step now quotes the website's word, with a notice
        what = f"“{app.old}” → “{app.new}”" if app.kind == "word" else "the step changed there (a notice added)"
        line = f"  app step {app.number} of {app.site} ({app.locale}) follows the website: {what}"
        out.print(line + ", not walked", markup=False)  # scraped words: no console markup


@app.command()
def publish(
    report_path: Annotated[
        Path, typer.Argument(metavar="REPORT", help="report.json the tree was updated from.")
    ] = Path("run/report.json"),
    dry_run: Annotated[
        Path | None,
        typer.Option("--dry-run", metavar="DIR", help="Write the PR and issue payloads here; touch no remote."),
    ] = None,
    base: Annotated[
        str | None, typer.Option("--base", metavar="BRANCH", help="Base branch (default: the repository's).")
    ] = None,
    root: Annotated[Path, typer.Option("--root", metavar="DIR", help="The git working tree.")] = Path("."),
) -> None:
    """Commit the update on a branch per platform, open or update its pull request; open or close issues."""
    from monitor import publish as publish_mod
    from monitor.write import report as report_mod

    try:
        loaded = report_mod.load(report_path)
        if dry_run is not None:
            cliargs.claim(dry_run, "publish", "--dry-run", cliargs.protected(root, root / "snapshots"))
            with locks.hold(dry_run, locks.command_line(), "dry-run folder"):
                result = publish_mod.run(loaded, root, dry_run=dry_run, base=base, report_dir=report_path.parent)
        else:
            result = publish_mod.run(loaded, root, dry_run=dry_run, base=base, report_dir=report_path.parent)
    except report_mod.ReportError as exc:
        fail(str(exc))
    except (publish_mod.PublishError, GateError) as exc:
        fail(str(exc), EXIT_HUMAN)
    for action in result.actions:  # per platform: opened, updated, unchanged, kept, commented, closed
        out.print(action.line())
    for path in result.dry_run_files:
        out.print(f"dry run: {path}")
    try:  # for the job summary: where the first walk went
        publish_mod.record(report_path.parent, result, dry_run is not None)
    except OSError as exc:
        err.print(f"warning: {console.one_line(exc)}")
    for where in result.first_walks:
        out.print(f"first walk: review and merge {where}: merging makes it the baseline and the pages checked")
    unproposed = console.first_walk_line(loaded) and not result.first_walks
    if unproposed:
        out.print(
            "first walk: this report walked without a baseline, but no file differs from the base branch: "
            f"run `optout-monitor update {report_path}` first, then publish again"
        )
    elif not result.actions and not result.dry_run_files:
        out.print("nothing to publish")


@app.command()
def watch(
    every: Annotated[str, typer.Option("--every", metavar="DURATION", help="Time between runs: 6h, 90m, 30s.")] = "6h",
    jitter: Annotated[
        str, typer.Option("--jitter", metavar="DURATION", help="Up to this much extra, at random.")
    ] = "15m",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Publish as a dry run: payloads on disk, no remote.")
    ] = False,
    runs: Annotated[Path, typer.Option("--runs", metavar="DIR", help="Where each run's folder goes.")] = Path("runs"),
    site: Annotated[list[str], typer.Option("--site", metavar="NAME=URL", help="As for check.")] = [],  # noqa: B006
    allow_remote: Annotated[bool, typer.Option("--allow-remote-stand-in", help="As for check.")] = False,
    storage_state: Annotated[
        list[str], typer.Option("--storage-state", metavar="NAME=FILE", help="As for check.")
    ] = [],  # noqa: B006
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=16, metavar="N", help="Walks at once.")] = 1,
    root: Annotated[Path, typer.Option("--root", metavar="DIR", help="The git working tree.")] = Path("."),
    config_path: ConfigOpt = Path("monitor.yaml"),
) -> None:
    """Run check → update → publish on a schedule; one run at a time, also across processes."""
    import logging

    from monitor.cycle import Cycle
    from monitor.watch import Watcher, default_lock_path, parse_duration

    cfg = load_config(config_path)
    try:
        period, extra = parse_duration(every), parse_duration(jitter)
        stand_ins = parse_site_options(site, cfg, allow_remote)
        states = cliargs.pairs(storage_state, "--storage-state", cfg)
    except ValueError as exc:
        fail(str(exc))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    job = Cycle(config_path, root, runs, stand_ins, states, workers, dry_run)
    watcher = Watcher(period, extra, job, default_lock_path(root), logging.getLogger("optout-monitor"))
    watcher.install_signal_handlers()
    try:
        code = watcher.run()
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    raise typer.Exit(code)


@app.command()
def aggregate(
    shards: Annotated[list[Path], typer.Argument(metavar="SHARD_DIR...", help="The --out folders of `check --shard`.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for the merged report.")],
) -> None:
    """Merge shard reports into one report, equal to an unsharded run's."""
    from monitor.aggregate import AggregateError
    from monitor.aggregate import aggregate as merge_shards

    protected = [("a shard", shard) for shard in shards]
    cliargs.claim(out_dir, "aggregate", "--out", protected)
    try:
        with locks.hold(out_dir, locks.command_line(), "report folder"):
            outdir.clear(out_dir)
            merged = merge_shards(shards, out_dir)
    except AggregateError as exc:
        fail(str(exc))
    console.summary(merged)
    out.print(f"merged {len(shards)} shard(s) into {out_dir / 'report.json'}")
    raise typer.Exit(merged.exit_code)


@app.command()
def feed(
    out_dir: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for the feeds.")] = Path("_site"),
    base_url: Annotated[str, typer.Option("--base-url", metavar="URL", help="Where the site is served.")] = "",
    root: Annotated[Path, typer.Option("--root", metavar="DIR", help="The repository.")] = Path("."),
    repo: RepoOpt = None,
) -> None:
    """Changelog entries -> Atom and JSON Feed files (overall and per platform) and CHANGELOG.md."""
    from monitor.write.feed import write_feeds

    cliargs.claim(out_dir, "feed", "--out", cliargs.protected(root, root / "snapshots"))
    try:
        with locks.hold(out_dir, locks.command_line(), "feed folder"):
            written = write_feeds(
                root, out_dir, base_url or os.environ.get("OPTOUT_SITE_URL", ""), cliargs.repo_url_of(root, repo)
            )
    except ValueError as exc:
        fail(str(exc))
    for path in written:
        out.print(f"wrote {path}")


@app.command()
def site(
    out_dir: Annotated[Path, typer.Argument(metavar="OUT", help="Folder for the static site.")],
    base_url: Annotated[str, typer.Option("--base-url", metavar="URL", help="Where the site is served.")] = "",
    root: Annotated[Path, typer.Option("--root", metavar="DIR", help="The repository.")] = Path("."),
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="report.json of the last check of the real sites: lets status.json and the badges say "
            "changed or broken (a stand-in's report is ignored).",
        ),
    ] = None,
    repo: RepoOpt = None,
) -> None:
    """Build the static site for GitHub Pages: instructions, screenshots, changelog, feeds, status.json, badges."""
    from monitor.write.site import MARKER, SITE_URL_ENV, SiteError, build_site

    cliargs.claim(out_dir, "site", "OUT", cliargs.protected(root, root / "snapshots"), MARKER)
    try:
        with locks.hold(out_dir, locks.command_line(), "site folder"):
            written = build_site(
                root, out_dir, base_url or os.environ.get(SITE_URL_ENV, ""), cliargs.repo_url_of(root, repo), report
            )
    except (SiteError, ValueError) as exc:
        fail(str(exc))
    out.print(f"site: {len(written)} file(s) in {out_dir}/ — open {out_dir / 'index.html'}")


@app.command()
def auth(
    platform: Annotated[str, typer.Argument(metavar="PLATFORM", help="facebook or instagram.")],
    out_file: Annotated[
        Path,
        typer.Option("--out", "-o", metavar="FILE", help="Where to save the login state (outside the repository)."),
    ],
    config_path: ConfigOpt = Path("monitor.yaml"),
) -> None:
    """Open a visible browser to log in, then save the login state (never inside the repository)."""
    from monitor.walk.auth import AuthError, save_login

    cfg = load_config(config_path)
    if platform not in cfg.sites:
        fail(f"unknown platform {platform!r}; known: {', '.join(sorted(cfg.sites))}")
    try:
        message = save_login(platform, out_file, cliargs.repo_root(config_path), cfg)
    except (AuthError, BrowserError) as exc:
        fail(str(exc))
    print(message)


def main() -> None:
    app(prog_name="optout-monitor")
