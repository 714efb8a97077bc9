"""`make demo`: the main job end to end against the replica, in a scratch workspace.

Starts the replica, walks every journey × locale × viewport, accepts the run as the baseline of
a scratch workspace (never the repository's snapshots/), then says where to look.

The walks cover en, fr and de (DEMO_LOCALES); `make demo DEMO_ARGS=--all-locales` walks every
locale of monitor.yaml (it, es and nl too: twice the walks, twice the time).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "workspace"
# The replica's account name, painted over in every screenshot (monitor.yaml masks: text_env).
os.environ.setdefault("OPTOUT_MASK_TEXT", "Jane Example|jane.example")
CLI = [sys.executable, "-m", "monitor"]
DEMO_LOCALES = ("en", "fr", "de")
# The replica's login states live outside the checkout, as a real login must (check warns otherwise).
LOGIN = Path(tempfile.gettempdir()) / f"optout-monitor-demo-login-{os.getuid()}"


def say(text: str) -> None:
    print(f"\n\033[1m== {text}\033[0m" if sys.stdout.isatty() else f"\n== {text}", flush=True)


def run(args: list[str], ok: tuple[int, ...] = (0,)) -> int:
    print("$ optout-monitor " + " ".join(shlex.quote(a) for a in args), flush=True)
    code = subprocess.call([*CLI, *args], cwd=ROOT)
    if code not in ok:
        sys.exit(f"demo: `optout-monitor {args[0]}` exited {code}")
    return code


def start_replica(variant: str) -> tuple[subprocess.Popen[str], list[str]]:
    proc = subprocess.Popen(
        [*CLI, "replica", "--port", "0", "--variant", variant, "--state-dir", str(LOGIN)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("--site"):
        proc.terminate()
        sys.exit(f"demo: the replica did not start (said {line!r})")
    return proc, shlex.split(line)


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(WORK), *args], check=True, capture_output=True, text=True).stdout


def main() -> None:
    started = time.perf_counter()
    every = "--all-locales" in sys.argv[1:]
    only = [] if every else [arg for loc in DEMO_LOCALES for arg in ("--locale", loc)]
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir()
    say("1. Start the replica of Facebook's and Instagram's Privacy Center (variant baseline-2025)")
    replica, site_args = start_replica("baseline-2025")
    url = site_args[site_args.index("--site") + 1].split("=", 1)[1]
    try:
        print(" ".join(site_args))
        if every:
            say("2. Walk every journey × locale × viewport in Chromium")
        else:
            say(
                f"2. Walk every journey × {', '.join(DEMO_LOCALES)} × viewport in Chromium (--all-locales: every locale)"
            )
        run(
            [
                "check",
                *site_args,
                *only,
                "--out",
                str(WORK / "runs/1"),
                "--workers",
                "2",
                "--snapshots",
                str(WORK / "snapshots"),
            ]
        )
        say("3. Accept the run as the baseline of a scratch workspace and render the instructions from it")
        run(["accept", str(WORK / "runs/1"), "--snapshots", str(WORK / "snapshots")])
        run(["update", str(WORK / "runs/1/report.json"), "--root", str(WORK)], ok=(0,))
        # the scratch repository holds what the real one would: never runs, login states or previews
        (WORK / ".gitignore").write_text("runs/\npublish-preview/\n")
        git("init", "-q", "-b", "main")
        git("add", "-A")
        git("-c", "user.name=demo", "-c", "user.email=demo@example.invalid", "commit", "-q", "-m", "baseline")
        say("4. Meta rewords the link: switch the replica to variant 'reworded' and check again")
        urllib.request.urlopen(urllib.request.Request(f"{url}/__replica/variant?name=reworded", method="POST"))
        code = run(
            [
                "check",
                *site_args,
                "--out",
                str(WORK / "runs/2"),
                "--workers",
                "2",
                "--snapshots",
                str(WORK / "snapshots"),
                "--journey",
                "facebook-privacy-center",
                "--journey",
                "instagram-privacy-center",
                *only,
            ],
            ok=(1,),
        )
        print(f"(exit {code}: the instructions need an update)")
        say("5. Apply the report: new baseline for the changed steps, rewritten instructions, changelog")
        run(["update", str(WORK / "runs/2/report.json"), "--root", str(WORK)])
        print(git("status", "--short"))
        say("6. What the maintainers would get: the pull request, as a dry run")
        run(
            [
                "publish",
                str(WORK / "runs/2/report.json"),
                "--root",
                str(WORK),
                "--dry-run",
                str(WORK / "publish-preview"),
            ]
        )
    finally:
        replica.terminate()
        replica.wait(timeout=10)
    shots = sorted((WORK / "snapshots").rglob("*.png"))
    say(f"Done in {time.perf_counter() - started:.0f} s. Where to look:")
    print(f"  captures (baseline):   {WORK / 'snapshots'}/  ({len(shots)} screenshots)")
    print(f"  the report of run 2:   {WORK / 'runs/2/report.html'}")
    print(f"  instructions:          {WORK / 'instructions/en/facebook.md'} (and fr/, de/, instagram)")
    print(f"  what changed in them:  git -C {WORK} diff --stat")
    print(f"  the pull request:      {WORK / 'publish-preview'}/")


if __name__ == "__main__":
    main()
