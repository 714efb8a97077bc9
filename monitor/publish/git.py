"""git for `publish`: build a platform's commit beside the working tree, fetch, and push safely.

Nothing here checks out a branch or touches the working tree or the real index: a platform's commit
is built in a temporary index (the base commit's tree with that platform's paths taken from the
working tree), so both platforms are published from one checkout, and a dry run leaves the
repository as it found it (only unreferenced objects are written).

Pushes go to `refs/heads/optout-monitor/…` only, with `--force-with-lease` naming the commit the
bot last saw there: a commit someone else pushed in between makes the push fail instead of being
overwritten. The token reaches git through GIT_CONFIG_* environment variables (an
`http.extraHeader`), never through a URL or an argument.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from monitor.model import BRANCH_PREFIX as BRANCH_PREFIX
from monitor.publish.github import GitError, Scrubber, SetupError, UnsafeError

# GitHub's own identity for commits made by a workflow: attributed to the Actions bot, not to whoever
# owns a look-alike login. A GitHub App's token brings the app's identity through OPTOUT_BOT_NAME and
# OPTOUT_BOT_EMAIL ("<slug>[bot]", "<user id>+<slug>[bot]@users.noreply.github.com").
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
BOT_NAME_ENV = "OPTOUT_BOT_NAME"
BOT_EMAIL_ENV = "OPTOUT_BOT_EMAIL"
# Branches made before the switch to github-actions[bot] carry this identity; they are still the bot's.
LEGACY_BOT_EMAIL = "optout-monitor@users.noreply.github.com"
TRAILER = "Optout-Monitor-Run"
REMOTE = "origin"


def bot_identity(env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(name, email) the bot commits as: a GitHub App's when both variables are set, else github-actions[bot]."""
    env = os.environ if env is None else env
    name, email = env.get(BOT_NAME_ENV, "").strip(), env.get(BOT_EMAIL_ENV, "").strip()
    if name and email:
        return name, email
    if name or email:
        missing = BOT_EMAIL_ENV if name else BOT_NAME_ENV
        raise SetupError(
            f"{BOT_NAME_ENV} and {BOT_EMAIL_ENV} go together (a GitHub App's identity); {missing} is unset"
        )
    return BOT_NAME, BOT_EMAIL


def bot_emails(env: Mapping[str, str] | None = None) -> frozenset[str]:
    """Every e-mail address whose commits count as the bot's: the current identity, Actions' and the legacy one."""
    return frozenset({bot_identity(env)[1], BOT_EMAIL, LEGACY_BOT_EMAIL})


def _git_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment git runs in: no repository overrides, no prompt, English messages, the bot's identity."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX"))}
    env.setdefault("GIT_ASKPASS", "true")  # no prompt for a password: an empty answer
    name, email = bot_identity(env)
    env.update(
        GIT_TERMINAL_PROMPT="0",  # never wait for a password
        LC_ALL="C",  # git's messages in English, as parsed below
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email,
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email,
    )
    if extra:
        env.update(extra)
    return env


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    author_name: str
    author_email: str
    committer_email: str
    subject: str
    run: str  # the Optout-Monitor-Run trailer, "" when absent

    @property
    def by_bot(self) -> bool:
        """Made by the monitor: its author, its committer (an amend or rebase changes that) and its trailer."""
        bots = bot_emails()
        return self.author_email in bots and self.committer_email in bots and bool(self.run)


@dataclass(frozen=True)
class PushResult:
    ok: bool
    detail: str  # git's words when refused


class Git:
    """One repository, driven through the git command line; every message is scrubbed of the token."""

    def __init__(self, root: Path, scrub: Scrubber, token: str | None = None) -> None:
        self.root = root
        self.scrub = scrub
        self.token = token
        self._auth: dict[str, str] | None = None
        self._trees: dict[str, str] = {}  # commit -> tree (immutable, so cached)
        self._listing: dict[str, tuple[str, ...]] = {}  # commit -> every file path in it

    # ------------------------------------------------------------------ running git

    def run(
        self,
        *args: str,
        extra_env: Mapping[str, str] | None = None,
        check: bool = True,
        stdin: str | None = None,
        fix: str = "",
    ) -> subprocess.CompletedProcess[str]:
        try:
            proc = subprocess.run(
                ["git", *args],
                cwd=self.root,
                env=_git_env(extra_env),
                input=stdin,
                capture_output=True,
                text=True,
                check=False,
            )
        except FileNotFoundError:
            raise SetupError("git is not installed or not on PATH; install git (apt-get install git)") from None
        if check and proc.returncode != 0:
            said = self.scrub((proc.stderr or proc.stdout).strip()) or f"exit status {proc.returncode}"
            raise GitError(
                f"`git {self.scrub(' '.join(args))}` failed in {self.root}: {said}" + (f". {fix}" if fix else "")
            )
        return proc

    def out(self, *args: str, extra_env: Mapping[str, str] | None = None) -> str:
        return self.run(*args, extra_env=extra_env).stdout.strip()

    # ------------------------------------------------------------------ the repository

    def check_repository(self) -> None:
        proc = self.run("rev-parse", "--show-toplevel", check=False)
        if proc.returncode != 0 and "dubious ownership" in proc.stderr:
            raise SetupError(
                f"git refuses {self.root}: it is owned by uid {self.root.stat().st_uid} and this runs as uid "
                f"{os.geteuid()} (detected dubious ownership). In a workflow's container job, run "
                "scripts/ci/trust-workspace.sh first; elsewhere: git config --global --add safe.directory "
                f"{self.root.resolve()}"
            )
        if proc.returncode != 0:
            raise SetupError(f"{self.root} is not a git repository; publish runs in the monitor's checkout")

    def remote_url(self) -> str:
        proc = self.run("remote", "get-url", REMOTE, check=False)
        if proc.returncode != 0:
            raise SetupError(
                f"{self.root} has no git remote {REMOTE!r}; publish pushes the bot's branches there "
                f"(add it: git remote add {REMOTE} URL)"
            )
        return proc.stdout.strip()

    def rev(self, ref: str) -> str | None:
        proc = self.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        if proc.returncode != 0:
            return None
        return proc.stdout.strip() or None

    def tree_of(self, commit: str) -> str:
        if commit not in self._trees:
            self._trees[commit] = self.out("rev-parse", f"{commit}^{{tree}}")
        return self._trees[commit]

    def current_branch(self) -> str | None:
        proc = self.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return proc.stdout.strip() or None

    def remote_default_branch(self) -> str | None:
        """origin's default branch as this clone remembers it (no network)."""
        proc = self.run("symbolic-ref", "--quiet", "--short", f"refs/remotes/{REMOTE}/HEAD", check=False)
        name = proc.stdout.strip()
        return name.split("/", 1)[1] if "/" in name else None

    def _files(self, commit: str) -> tuple[str, ...]:
        if commit not in self._listing:
            proc = self.run("ls-tree", "-r", "--name-only", "-z", commit, check=False)
            self._listing[commit] = tuple(sorted(p for p in proc.stdout.split("\0") if p))
        return self._listing[commit]

    def exists_in(self, commit: str, path: str) -> bool:
        """Is path a file, or a folder holding files, in commit?"""
        path = path.rstrip("/")
        return any(f == path or f.startswith(path + "/") for f in self._files(commit))

    def ls_tree(self, commit: str, path: str) -> list[str]:
        """Paths of the files under path in commit."""
        prefix = path.rstrip("/") + "/"
        return [f for f in self._files(commit) if f.startswith(prefix)]

    def show(self, commit: str, path: str) -> bytes | None:
        proc = subprocess.run(
            ["git", "cat-file", "blob", f"{commit}:{path}"],
            cwd=self.root,
            env=_git_env(),
            capture_output=True,
            check=False,
        )
        return proc.stdout if proc.returncode == 0 else None

    def changed_paths(self, a: str, b: str, paths: Sequence[str] = ()) -> list[tuple[str, str]]:
        """(status letter, path) of what differs between two trees or commits."""
        args = ["diff-tree", "-r", "--name-status", "-z", "--no-renames", a, b]
        if paths:
            args += ["--", *paths]
        fields = [f for f in self.out(*args).split("\0") if f]
        return [(fields[i], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]

    def diff_unified0(self, a: str, b: str, paths: Sequence[str]) -> str:
        return self.run("diff", "--unified=0", "--no-color", "--no-ext-diff", a, b, "--", *paths).stdout

    def log_range(self, base: str, tip: str) -> list[CommitInfo]:
        """Commits reachable from tip and not from base, newest first."""
        fmt = f"%H%x1f%an%x1f%ae%x1f%ce%x1f%s%x1f%(trailers:key={TRAILER},valueonly,separator=%x2C)%x1e"
        text = self.out("log", f"--format={fmt}", f"{base}..{tip}")
        commits = []
        for record in text.split("\x1e"):
            parts = record.strip("\n").split("\x1f")
            if len(parts) == 6:
                commits.append(CommitInfo(parts[0].strip(), parts[1], parts[2], parts[3], parts[4], parts[5].strip()))
        return commits

    def is_ancestor(self, a: str, b: str) -> bool:
        return self.run("merge-base", "--is-ancestor", a, b, check=False).returncode == 0

    # ------------------------------------------------------------------ building commits

    @contextmanager
    def _index(self) -> Iterator[dict[str, str]]:
        with tempfile.TemporaryDirectory(prefix="optout-monitor-index-") as tmp:
            yield {"GIT_INDEX_FILE": str(Path(tmp) / "index")}

    def tree_with(self, base: str, paths: Sequence[str]) -> str:
        """base's tree with `paths` (files or folders) as they are in the working tree, deletions included."""
        with self._index() as env:
            self.run("read-tree", base, extra_env=env)
            wanted = [p for p in paths if (self.root / p).exists() or self.exists_in(base, p)]
            if wanted:
                self.run("add", "--all", "--", *wanted, extra_env=env)
            return self.out("write-tree", extra_env=env)

    def tree_adding(self, base: str | None, files: Mapping[str, bytes]) -> str:
        """The tree of base (a commit or a tree; None: an empty one) plus the given files (repository path -> bytes)."""
        with self._index() as env:
            if base:
                self.run("read-tree", base, extra_env=env)
            else:
                self.run("read-tree", "--empty", extra_env=env)
            for path, data in sorted(files.items()):
                blob = self._hash_object(data)
                self.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", extra_env=env)
            return self.out("write-tree", extra_env=env)

    def _hash_object(self, data: bytes) -> str:
        proc = subprocess.run(
            ["git", "hash-object", "-w", "--stdin"],
            cwd=self.root,
            env=_git_env(),
            input=data,
            capture_output=True,
            check=False,
        )
        if proc.returncode != 0:
            raise GitError(
                f"`git hash-object` failed in {self.root}: {self.scrub(proc.stderr.decode(errors='replace'))}"
            )
        return proc.stdout.decode().strip()

    def commit_tree(self, tree: str, parents: Sequence[str], message: str, when: str | None = None) -> str:
        args = ["commit-tree", tree]
        for parent in parents:
            args += ["-p", parent]
        extra = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else None
        return self.run(*args, "-F", "-", stdin=message, extra_env=extra).stdout.strip()

    # ------------------------------------------------------------------ the remote

    def _auth_env(self) -> dict[str, str]:
        """An Authorization header for https remotes, given through the environment (never argv or a URL)."""
        if self._auth is not None:
            return self._auth
        self._auth = {}
        url = self.remote_url()
        if not self.token or not url.lower().startswith("https://"):
            return self._auth
        # actions/checkout leaves its own header configured; a second one makes GitHub answer 400
        existing = self.run("config", "--get-regexp", r"^http\..*extraheader$", check=False).stdout.strip()
        if existing:
            return self._auth
        basic = base64.b64encode(f"x-access-token:{self.token}".encode()).decode()
        prefix = re.sub(r"^(https://[^/]+/).*$", r"\1", url)
        self._auth = {
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": f"http.{prefix}.extraheader",
            "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}",
        }
        return self._auth

    def ls_remote(self) -> dict[str, str]:
        """origin's branches: refs/heads/NAME -> sha."""
        text = self.run(
            "ls-remote",
            "--heads",
            REMOTE,
            extra_env=self._auth_env(),
            fix="Check that origin's URL is right and that the token (GITHUB_TOKEN) may read the repository",
        ).stdout
        refs = {}
        for line in text.splitlines():
            sha, _, name = line.partition("\t")
            if name:
                refs[name.strip()] = sha.strip()
        return refs

    def remembered_remote(self) -> dict[str, str]:
        """origin's branches as this clone last fetched them (no network): refs/heads/NAME -> sha."""
        text = self.out("for-each-ref", "--format=%(objectname) %(refname)", f"refs/remotes/{REMOTE}/")
        refs = {}
        for line in text.splitlines():
            sha, _, name = line.partition(" ")
            short = name.removeprefix(f"refs/remotes/{REMOTE}/")
            if short != "HEAD":
                refs[f"refs/heads/{short}"] = sha
        return refs

    def fetch(self, branches: Sequence[str]) -> None:
        """Fetch the named branches of origin into refs/remotes/origin/NAME."""
        if not branches:
            return
        specs = [f"+refs/heads/{b}:refs/remotes/{REMOTE}/{b}" for b in branches]
        self.run(
            "fetch",
            "--quiet",
            "--no-tags",
            REMOTE,
            *specs,
            extra_env=self._auth_env(),
            fix="Check that origin's URL is right and that the token (GITHUB_TOKEN) may read the repository",
        )

    def push(self, sha: str, branch: str, *, base: str, expect: str | None, force: bool) -> PushResult:
        """Push sha to origin's branch. force: replace it only if origin still has `expect` there
        (None: only if the branch does not exist). Never to the base branch, never outside optout-monitor/."""
        self._own_branch(branch, base)
        args = ["push", "--porcelain"]
        if force:
            args.append(f"--force-with-lease=refs/heads/{branch}:{expect or ''}")
        args += [REMOTE, f"{sha}:refs/heads/{branch}"]
        return self._push(args, branch)

    def delete_branch(self, branch: str, *, base: str, expect: str) -> PushResult:
        """Delete origin's branch only if it still points at `expect`; never the base branch or a branch not ours."""
        self._own_branch(branch, base)
        args = ["push", "--porcelain", f"--force-with-lease=refs/heads/{branch}:{expect}", REMOTE]
        return self._push([*args, f":refs/heads/{branch}"], branch)

    def _own_branch(self, branch: str, base: str) -> None:
        if not branch.startswith(BRANCH_PREFIX) or branch == base or branch.removeprefix("refs/heads/") == base:
            raise UnsafeError(
                f"refusing to push to {branch!r}: the monitor pushes only to its own {BRANCH_PREFIX}* branches, never to the base branch {base!r}"
            )

    def _push(self, args: list[str], branch: str) -> PushResult:
        proc = self.run(*args, extra_env=self._auth_env(), check=False)
        said = self.scrub("\n".join(s for s in (proc.stdout.strip(), proc.stderr.strip()) if s))
        if proc.returncode == 0:
            return PushResult(True, "")
        refused = re.search(r"^!\s", proc.stdout, re.MULTILINE) or "rejected" in said or "stale info" in said
        if refused:
            return PushResult(False, said)
        raise GitError(
            f"pushing {branch} to origin failed: {said or f'exit status {proc.returncode}'}. Check origin's URL "
            "and that the token may push (a workflow needs `permissions: contents: write`)"
        )


def bot_message(subject: str, body: str, run_id: str) -> str:
    return (
        f"{subject}\n\n{body.strip()}\n\n{TRAILER}: {run_id}\n"
        if body.strip()
        else f"{subject}\n\n{TRAILER}: {run_id}\n"
    )


def only_by_bot(commits: Sequence[CommitInfo]) -> bool:
    return all(c.by_bot for c in commits)


def describe(commits: Sequence[CommitInfo], scrub: Callable[[str], str]) -> list[str]:
    return [scrub(f"{c.sha[:10]} {c.author_name} <{c.author_email}>: {c.subject}") for c in commits]
