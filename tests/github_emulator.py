"""A local GitHub REST API for tests: the endpoints publish calls through github3.py, with state.

Bodies are the recorded GitHub responses in tests/data/github-api-examples/ (copied from ../shared/) (real shapes: github3.py
refuses incomplete ones), with every api.github.com URL rewritten to this server, github.com to
its `server_url`, the example repository to ours, and ids, numbers, titles, bodies, labels and
state taken from the requests. It keeps pull requests, issues (a pull request is also an issue,
as on GitHub), comments and labels; records every request (method, path, query, JSON body,
headers without Authorization); checks the token; and can be told to fail matching requests.

    with GitHubEmulator("octo-org/site", token="t", git_dir=bare) as gh:
        env = {"GITHUB_API_URL": gh.url, ...}
        gh.fail_next("POST", r"/pulls$", 403, {"message": "…"})
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# A copy of ../shared/github-api-examples (github3.py's test data, BSD-3-Clause; see its README).
EXAMPLES = Path(__file__).resolve().parent / "data" / "github-api-examples"
EXAMPLE_REPO = "octocat/Hello-World"
WHEN = "2026-01-01T00:00:00Z"


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}_example.json").read_text(encoding="utf-8"))
    return data


@dataclass
class Request:
    method: str
    path: str  # without the /api/v3 prefix
    query: dict[str, str]
    body: Any
    headers: dict[str, str]  # Authorization left out
    authorized: bool

    @property
    def line(self) -> str:
        """`METHOD /path` plus the sorted query, for exact assertions."""
        if not self.query:
            return f"{self.method} {self.path}"
        return f"{self.method} {self.path}?" + "&".join(f"{k}={v}" for k, v in sorted(self.query.items()))


@dataclass
class Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str]
    times: int
    apply: bool  # do the work first, then answer with the failure (a 5xx after the write landed)


class MergeConflict(Exception):
    """The pull request cannot be merged as it is: these files conflict with its base branch."""

    def __init__(self, number: int, paths: list[str]) -> None:
        super().__init__(f"#{number} conflicts with its base in {', '.join(paths)}")
        self.number = number
        self.paths = paths


@dataclass
class Item:
    """An issue or a pull request (then `pull` holds its branch data)."""

    number: int
    title: str
    body: str
    state: str = "open"
    labels: list[str] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    pull: dict[str, str] | None = None  # head, base
    user: str = "github-actions[bot]"
    merged: bool = False


@dataclass
class WorkflowRun:
    """A run of a workflow file, with the names of the artifacts it uploaded (and which have expired)."""

    id: int
    workflow: str  # the file name, e.g. monitor.yml
    branch: str = "main"
    status: str = "completed"
    conclusion: str | None = "success"
    artifacts: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)


class GitHubEmulator:
    def __init__(
        self,
        repo: str = "octo-org/optout-site",
        *,
        token: str | None = None,
        default_branch: str = "main",
        git_dir: Path | None = None,
        prefix: str = "",
        workflows: Path | None = None,
    ) -> None:
        self.repo = repo
        self.owner, self.name = repo.split("/")
        self.token = token
        self.default_branch = default_branch
        self.git_dir = git_dir
        self.prefix = prefix.rstrip("/")
        self.workflows = workflows  # .github/workflows: what a dispatch is checked against
        self.dispatches: list[tuple[str, str, dict[str, str]]] = []  # (workflow file, ref, inputs)
        self.requests: list[Request] = []
        self.items: dict[int, Item] = {}
        self.runs: list[WorkflowRun] = []  # oldest first; listed newest first, as GitHub does
        self._failures: list[Failure] = []
        self._next_number = 1
        self._next_comment = 1000
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> GitHubEmulator:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                emulator._serve(self)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> GitHubEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def url(self) -> str:
        """The API base URL (what GITHUB_API_URL holds)."""
        return self.origin + self.prefix

    @property
    def server_url(self) -> str:
        """Stands in for https://github.com in html_url fields."""
        return self.origin + "/web"

    # ------------------------------------------------------------------ test controls

    def fail_next(
        self,
        method: str,
        path_pattern: str,
        status: int,
        body: Any = None,
        headers: dict[str, str] | None = None,
        *,
        times: int = 1,
        apply: bool = False,
    ) -> None:
        """Answer the next `times` requests matching method and the path regex with status."""
        self._failures.append(
            Failure(
                method.upper(),
                re.compile(path_pattern),
                status,
                body if body is not None else {"message": f"emulated {status}"},
                headers or {},
                times,
                apply,
            )
        )

    def add_issue(self, title: str, body: str = "", labels: list[str] | None = None, state: str = "open") -> int:
        with self._lock:
            number = self._take_number()
            self.items[number] = Item(number, title, body, state, list(labels or []), user="someone")
            return number

    def calls(self) -> list[str]:
        return [r.line for r in self.requests]

    def merge(self, number: int, by: str = "Mona Maintainer <mona@example.org>") -> str:
        """A maintainer presses "Merge pull request": the base branch of the bare repository moves to a merge
        commit of base and head (GitHub's default), and the pull request is closed as merged. The head
        branch stays (GitHub keeps it unless told to delete it). Returns the new base commit."""
        assert self.git_dir is not None, "merging needs git_dir"
        with self._lock:
            item = self.items[number]
            assert item.pull is not None and item.state == "open", f"#{number} is not an open pull request"
            base, head = self._sha(item.pull["base"]), self._sha(item.pull["head"])
            name, _, email = by.partition(" <")
            env = {
                "GIT_AUTHOR_NAME": name,
                "GIT_AUTHOR_EMAIL": email.rstrip(">"),
                "GIT_COMMITTER_NAME": "GitHub",
                "GIT_COMMITTER_EMAIL": "noreply@github.com",
            }
            proc = subprocess.run(
                ["git", "--git-dir", str(self.git_dir), "merge-tree", "--write-tree", "--name-only", base, head],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode == 1:  # GitHub: "This branch has conflicts that must be resolved"
                conflicts = proc.stdout.split("\n\n", 1)[0].splitlines()[1:]
                raise MergeConflict(number, conflicts)
            assert proc.returncode == 0, f"git merge-tree: {proc.stderr}"
            tree = proc.stdout.splitlines()[0]
            message = f"Merge pull request #{number} from {self.owner}/{item.pull['head']}\n\n{item.title}\n"
            merged = self._git("commit-tree", tree, "-p", base, "-p", head, "-m", message, env=env)
            self._git("update-ref", f"refs/heads/{item.pull['base']}", merged, base)
            item.state, item.merged = "closed", True
            return merged

    def _git(self, *args: str, env: dict[str, str] | None = None) -> str:
        proc = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), *args],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **(env or {})},
        )
        assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
        return proc.stdout.strip().splitlines()[0] if proc.stdout.strip() else ""

    def pulls(self, state: str | None = None) -> list[Item]:
        return [i for i in self.items.values() if i.pull is not None and (state is None or i.state == state)]

    def issues(self, state: str | None = None) -> list[Item]:
        return [i for i in self.items.values() if i.pull is None and (state is None or i.state == state)]

    def bodies(self, method: str, pattern: str) -> list[Any]:
        return [r.body for r in self.requests if r.method == method and re.search(pattern, r.path)]

    # ------------------------------------------------------------------ serving

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        path = parts.path
        if self.prefix and path.startswith(self.prefix + "/"):
            path = path[len(self.prefix) :]
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        auth = handler.headers.get("Authorization")
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("authorization", "cookie")}
        method = handler.command.upper()
        with self._lock:
            self.requests.append(Request(method, path, query, body, headers, auth is not None))
            status, payload, extra = self._answer(method, path, query, body, auth)
        data = b"" if payload is None else json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("X-RateLimit-Limit", "5000")
        handler.send_header("X-RateLimit-Remaining", extra.pop("X-RateLimit-Remaining", "4999"))
        for key, value in extra.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(
        self, method: str, path: str, query: dict[str, str], body: Any, auth: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        failure = next((f for f in self._failures if f.method == method and f.pattern.search(path)), None)
        if failure is not None:
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
            if failure.apply:
                self._route(method, path, query, body)
            return failure.status, failure.body, dict(failure.headers)
        if self.token is not None and auth not in (f"token {self.token}", f"Bearer {self.token}"):
            return 401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}, {}
        return self._route(method, path, query, body)

    def _route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any, dict[str, str]]:
        base = f"/repos/{self.owner}/{self.name}"
        if path == "/user" and method == "GET":
            return 200, self._rewrite(example("user")), {}
        if not path.startswith(base) or path[len(base) : len(base) + 1] not in ("", "/"):
            return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}
        rest = path[len(base) :]
        dispatch = re.fullmatch(r"/actions/workflows/([\w.-]+)/dispatches", rest)
        if dispatch and method == "POST":
            return self._dispatch(dispatch.group(1), body)
        runs = re.fullmatch(r"/actions/workflows/([\w.-]+)/runs", rest)
        if runs and method == "GET":
            return self._list_runs(runs.group(1), query)
        routes: list[tuple[str, str, Any]] = [
            ("GET", r"", self._get_repo),
            ("GET", r"/actions/runs/(\d+)/artifacts", self._list_artifacts),
            ("GET", r"/pulls", self._list_pulls),
            ("POST", r"/pulls", self._create_pull),
            ("GET", r"/pulls/(\d+)", self._get_pull),
            ("PATCH", r"/pulls/(\d+)", self._update_pull),
            ("GET", r"/issues", self._list_issues),
            ("POST", r"/issues", self._create_issue),
            ("GET", r"/issues/(\d+)", self._get_issue),
            ("PATCH", r"/issues/(\d+)", self._update_issue),
            ("GET", r"/issues/(\d+)/comments", self._list_comments),
            ("POST", r"/issues/(\d+)/comments", self._create_comment),
            ("POST", r"/issues/(\d+)/labels", self._add_labels),
        ]
        for verb, pattern, fn in routes:
            m = re.fullmatch(pattern, rest)
            if verb == method and m:
                result: tuple[int, Any, dict[str, str]] = fn(*[int(g) for g in m.groups()], query=query, body=body)
                return result
        return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}

    # ------------------------------------------------------------------ JSON shapes

    def _rewrite(self, data: Any, number: int | None = None) -> Any:
        def fix(value: Any) -> Any:
            if isinstance(value, str):
                s = value.replace("https://api.github.com", self.url).replace("http://api.github.com", self.url)
                s = s.replace("https://github.com", self.server_url)
                s = s.replace(EXAMPLE_REPO, self.repo)
                if number is not None:
                    s = re.sub(r"/(pulls|issues|pull)/1347\b", rf"/\1/{number}", s)
                return s
            if isinstance(value, list):
                return [fix(v) for v in value]
            if isinstance(value, dict):
                return {k: fix(v) for k, v in value.items()}
            return value

        return fix(copy.deepcopy(data))

    def _repo_json(self) -> dict[str, Any]:
        data: dict[str, Any] = self._rewrite(example("repo"))
        data.update(name=self.name, full_name=self.repo, default_branch=self.default_branch)
        data["owner"]["login"] = self.owner
        return data

    def _label(self, name: str) -> dict[str, Any]:
        label: dict[str, Any] = self._rewrite(example("pull_request")["labels"][0])
        label.update(name=name, url=f"{self.url}/repos/{self.repo}/labels/{name}", default=False, description="")
        return label

    def _user(self, login: str) -> dict[str, Any]:
        user: dict[str, Any] = self._rewrite(example("issue")["user"])
        user["login"] = login
        return user

    def _sha(self, branch: str) -> str:
        if self.git_dir is None:
            return "0" * 40
        proc = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
            capture_output=True,
            text=True,
            check=False,
        )
        return proc.stdout.strip()

    def _pull_json(self, item: Item, short: bool = False) -> dict[str, Any]:
        assert item.pull is not None
        data: dict[str, Any] = self._rewrite(example("short_pull_request" if short else "pull_request"), item.number)
        data.update(
            id=item.number * 100,
            number=item.number,
            title=item.title,
            body=item.body,
            body_html=item.body,
            body_text=item.body,
            state=item.state,
            labels=[self._label(n) for n in item.labels],
            user=self._user(item.user),
            closed_at=WHEN if item.state == "closed" else None,
            merged_at=WHEN if item.merged else None,
            assignee=None,
            assignees=[],
            milestone=None,
            draft=False,
        )
        for side in ("head", "base"):
            ref = item.pull[side]
            data[side].update(ref=ref, label=f"{self.owner}:{ref}", sha=self._sha(ref))
            data[side]["repo"] = self._repo_json()
        if not short:
            data.update(merged=item.merged, mergeable=not item.merged, comments=len(item.comments))
        return data

    def _issue_json(self, item: Item) -> dict[str, Any]:
        data: dict[str, Any] = self._rewrite(example("issue"), item.number)
        data.update(
            id=item.number * 100,
            number=item.number,
            title=item.title,
            body=item.body,
            body_html=item.body,
            body_text=item.body,
            state=item.state,
            labels=[self._label(n) for n in item.labels],
            user=self._user(item.user),
            comments=len(item.comments),
            closed_at=WHEN if item.state == "closed" else None,
            assignee=None,
            assignees=[],
            milestone=None,
            closed_by=None,
        )
        if item.pull is None:
            data.pop("pull_request", None)
        return data

    def _comment_json(self, number: int, comment_id: int, body: str) -> dict[str, Any]:
        data: dict[str, Any] = self._rewrite(example("comment"))
        for key in ("path", "position", "line", "commit_id"):
            data.pop(key, None)
        data.update(
            id=comment_id,
            body=body,
            body_html=body,
            body_text=body,
            url=f"{self.url}/repos/{self.repo}/issues/comments/{comment_id}",
            html_url=f"{self.server_url}/{self.repo}/issues/{number}#issuecomment-{comment_id}",
            issue_url=f"{self.url}/repos/{self.repo}/issues/{number}",
            user=self._user("github-actions[bot]"),
        )
        return data

    def _take_number(self) -> int:
        number = self._next_number
        self._next_number += 1
        return number

    @staticmethod
    def _invalid(top: str, **error: str) -> tuple[int, Any, dict[str, str]]:
        return (
            422,
            {
                "message": top,
                "errors": [error] if error else [],
                "documentation_url": "https://docs.github.com/rest",
            },
            {},
        )

    # ------------------------------------------------------------------ endpoints

    def _get_repo(self, **_: Any) -> tuple[int, Any, dict[str, str]]:
        return 200, self._repo_json(), {}

    def _list_pulls(self, *, query: dict[str, str], **_: Any) -> tuple[int, Any, dict[str, str]]:
        state = query.get("state", "open")
        found = []
        for item in sorted(self.pulls(), key=lambda i: -i.number):
            assert item.pull is not None
            if state != "all" and item.state != state:
                continue
            if "head" in query and query["head"] != f"{self.owner}:{item.pull['head']}":
                continue
            if "base" in query and query["base"] != item.pull["base"]:
                continue
            found.append(self._pull_json(item, short=True))
        return 200, found, {}

    def _create_pull(self, *, body: Any, **_: Any) -> tuple[int, Any, dict[str, str]]:
        if not isinstance(body, dict) or not body.get("title") or not body.get("head") or not body.get("base"):
            return self._invalid("Validation Failed", resource="PullRequest", code="missing_field")
        head = str(body["head"]).split(":")[-1]
        if self.git_dir is not None and not self._sha(head):
            return self._invalid("Validation Failed", resource="PullRequest", field="head", code="invalid")
        if head == body["base"]:
            return self._invalid(
                "Validation Failed", resource="PullRequest", code="custom", message="head and base are the same"
            )
        for item in self.pulls("open"):
            assert item.pull is not None
            if item.pull["head"] == head:
                return self._invalid(
                    "Validation Failed",
                    resource="PullRequest",
                    code="custom",
                    message=f"A pull request already exists for {self.owner}:{head}.",
                )
        number = self._take_number()
        item = Item(
            number, str(body["title"]), str(body.get("body") or ""), pull={"head": head, "base": str(body["base"])}
        )
        self.items[number] = item
        return 201, self._pull_json(item), {}

    def _get_pull(self, number: int, **_: Any) -> tuple[int, Any, dict[str, str]]:
        item = self.items.get(number)
        if item is None or item.pull is None:
            return 404, {"message": "Not Found"}, {}
        return 200, self._pull_json(item), {}

    def _update_pull(self, number: int, *, body: Any, **_: Any) -> tuple[int, Any, dict[str, str]]:
        item = self.items.get(number)
        if item is None or item.pull is None:
            return 404, {"message": "Not Found"}, {}
        body = body or {}
        if "state" in body and body["state"] not in ("open", "closed"):
            return self._invalid("Validation Failed", resource="PullRequest", field="state", code="invalid")
        item.title = str(body.get("title", item.title))
        item.body = str(body.get("body", item.body))
        item.state = str(body.get("state", item.state))
        if "base" in body:
            item.pull["base"] = str(body["base"])
        return 200, self._pull_json(item), {}

    def _list_issues(self, *, query: dict[str, str], **_: Any) -> tuple[int, Any, dict[str, str]]:
        state = query.get("state", "open")
        wanted = [w for w in query.get("labels", "").split(",") if w]
        found = []
        for item in sorted(self.items.values(), key=lambda i: -i.number):
            if state != "all" and item.state != state:
                continue
            if any(w not in item.labels for w in wanted):
                continue
            found.append(self._issue_json(item))
        return 200, found, {}

    def _create_issue(self, *, body: Any, **_: Any) -> tuple[int, Any, dict[str, str]]:
        if not isinstance(body, dict) or not body.get("title"):
            return self._invalid("Validation Failed", resource="Issue", field="title", code="missing_field")
        number = self._take_number()
        labels = [str(n) for n in body.get("labels") or []]
        item = Item(number, str(body["title"]), str(body.get("body") or ""), labels=labels)
        self.items[number] = item
        return 201, self._issue_json(item), {}

    def _get_issue(self, number: int, **_: Any) -> tuple[int, Any, dict[str, str]]:
        item = self.items.get(number)
        if item is None:
            return 404, {"message": "Not Found"}, {}
        return 200, self._issue_json(item), {}

    def _update_issue(self, number: int, *, body: Any, **_: Any) -> tuple[int, Any, dict[str, str]]:
        item = self.items.get(number)
        if item is None:
            return 404, {"message": "Not Found"}, {}
        body = body or {}
        item.title = str(body.get("title", item.title))
        item.body = str(body.get("body", item.body))
        item.state = str(body.get("state", item.state))
        if "labels" in body:
            item.labels = [str(n) for n in body["labels"]]
        return 200, self._issue_json(item), {}

    def _list_comments(self, number: int, **_: Any) -> tuple[int, Any, dict[str, str]]:
        item = self.items.get(number)
        if item is None:
            return 404, {"message": "Not Found"}, {}
        return 200, list(item.comments), {}

    def _create_comment(self, number: int, *, body: Any, **_: Any) -> tuple[int, Any, dict[str, str]]:
        item = self.items.get(number)
        if item is None:
            return 404, {"message": "Not Found"}, {}
        if not isinstance(body, dict) or not body.get("body"):
            return self._invalid("Validation Failed", resource="IssueComment", field="body", code="missing_field")
        self._next_comment += 1
        comment = self._comment_json(number, self._next_comment, str(body["body"]))
        item.comments.append(comment)
        return 201, comment, {}

    def _add_labels(self, number: int, *, body: Any, **_: Any) -> tuple[int, Any, dict[str, str]]:
        item = self.items.get(number)
        if item is None:
            return 404, {"message": "Not Found"}, {}
        names = body.get("labels") if isinstance(body, dict) else body
        for name in names or []:
            if str(name) not in item.labels:
                item.labels.append(str(name))
        return 200, [self._label(n) for n in item.labels], {}

    def _dispatch(self, workflow: str, body: Any) -> tuple[int, Any, dict[str, str]]:
        """POST .../actions/workflows/{file}/dispatches: 204 and no body, as GitHub answers; the checks
        GitHub makes against the workflow file (a workflow_dispatch trigger, a ref, declared inputs)."""
        if self.workflows is None or not (self.workflows / workflow).is_file():
            return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}
        from ruamel.yaml import YAML

        on = YAML(typ="safe").load((self.workflows / workflow).read_text()).get("on") or {}
        if not isinstance(on, dict) or "workflow_dispatch" not in on:
            return self._invalid("Workflow does not have 'workflow_dispatch' trigger")
        if not isinstance(body, dict) or not isinstance(body.get("ref"), str) or not body["ref"]:
            return self._invalid('Invalid request.\n\n"ref" wasn\'t supplied.')
        if self.git_dir is not None and self._sha(body["ref"]) == "":
            return self._invalid(f"No ref found for: {body['ref']}")
        declared = (on["workflow_dispatch"] or {}).get("inputs") or {}
        inputs = body.get("inputs") or {}
        unexpected = sorted(k for k in inputs if k not in declared)
        if unexpected:
            return self._invalid(f"Unexpected inputs provided: {unexpected}")
        for name, spec in declared.items():
            options = spec.get("options") if isinstance(spec, dict) else None
            if options and name in inputs and inputs[name] not in options:
                return self._invalid(
                    f"Provided value '{inputs[name]}' for input '{name}' not in the list of allowed values"
                )
        self.dispatches.append((workflow, body["ref"], {str(k): str(v) for k, v in inputs.items()}))
        return 204, None, {}

    def _list_runs(self, workflow: str, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        """GET .../actions/workflows/{file}/runs, newest first, filtered by status and branch."""
        found = [
            r
            for r in reversed(self.runs)
            if r.workflow == workflow
            and query.get("status", r.status) in (r.status, r.conclusion)
            and query.get("branch", r.branch) == r.branch
        ][: int(query.get("per_page", "30"))]
        shown = [
            {
                "id": r.id,
                "name": r.workflow.rsplit(".", 1)[0],
                "path": f".github/workflows/{r.workflow}",
                "head_branch": r.branch,
                "status": r.status,
                "conclusion": r.conclusion,
                "html_url": f"{self.server_url}/{self.repo}/actions/runs/{r.id}",
            }
            for r in found
        ]
        return 200, {"total_count": len(shown), "workflow_runs": shown}, {}

    def _list_artifacts(self, run_id: int, *, query: dict[str, str], **_: Any) -> tuple[int, Any, dict[str, str]]:
        """GET .../actions/runs/{id}/artifacts (?name= filters), as GitHub answers."""
        run = next((r for r in self.runs if r.id == run_id), None)
        if run is None:
            return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}
        names = [n for n in run.artifacts if query.get("name", n) == n]
        shown = [
            {"id": run_id * 100 + i, "name": n, "expired": n in run.expired, "workflow_run": {"id": run_id}}
            for i, n in enumerate(names)
        ]
        return 200, {"total_count": len(shown), "artifacts": shown}, {}
