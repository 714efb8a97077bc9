"""One monitoring cycle, as the daemon runs it: check → update → publish."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from monitor import config, publish, runner, store, update
from monitor.guard import locks, outdir
from monitor.model import Verdict
from monitor.walk.browser import StandIns
from monitor.write import app_steps, report

log = logging.getLogger("optout-monitor")


@dataclass(frozen=True)
class Cycle:
    """Everything a cycle needs; built once by `watch` from its options."""

    config_path: Path
    root: Path  # the git working tree: snapshots/, instructions/
    runs: Path  # where each cycle's run folder goes (a new one per cycle)
    stand_ins: StandIns = field(default_factory=StandIns)
    storage_states: dict[str, str] = field(default_factory=dict)
    workers: int = 1
    dry_run: bool = False

    def __call__(self) -> int:
        """Run once; the exit code of the check (0 nothing, 1 update, 3 human). Raises on a broken setup."""
        cfg = config.load(self.config_path)
        number = 1 + max((int(p.name) for p in self.runs.glob("[0-9]*") if p.name.isdigit()), default=0)
        out = self.runs / f"{number:05d}"
        snapshots = self.root / "snapshots"
        outdir.claim(out, "watch", "--runs", [("--snapshots", snapshots), (outdir.REPOSITORY, self.root)])
        with locks.hold(snapshots, locks.command_line(), "baseline"):
            baseline = store.read_tree(snapshots)
            check = runner.Check(
                cfg, str(self.config_path), self.stand_ins, self.storage_states, self.workers, baseline=baseline
            )
            result = check.check(runner.plan(cfg), out)
        log.info("check: %s (exit %d), report %s", result.outcome.value, result.exit_code, out / "report.html")
        firsts = {c.combo for c in result.changes if c.verdict is Verdict.NEW}
        if firsts:
            log.info(
                "check: first walk: %d walk(s) without a baseline; update writes it, publish proposes it", len(firsts)
            )
        if result.outcome.value == "update" or firsts:
            apps = app_steps.load_beside(self.config_path, list(cfg.locales), cfg)
            applied = update.apply(cfg, result, out, self.root, apps=apps)
            log.info("update: %d step(s) accepted, %d file(s) changed", len(applied.accepted), len(applied.files))
        loaded = report.load(out / "report.json")
        dry = out / "publish-preview" if self.dry_run else None
        published = publish.run(loaded, self.root, dry_run=dry, report_dir=out, log=log.info)
        if published.first_walks:
            log.info("publish: first walk: review and merge %s", ", ".join(published.first_walks))
        log.info(
            "publish: %s",
            "dry run in " + str(dry) if dry else "done" if published.changed_anything else "nothing to publish",
        )
        return result.exit_code
