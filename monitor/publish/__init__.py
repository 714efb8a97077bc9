"""`optout-monitor publish`: hand a report to the maintainers as pull requests and issues on GitHub.

Takes a Report (report.json) and the working tree `update` rewrote (snapshots/, instructions/);
gives a PublishResult (the pull requests and issues opened, updated or closed, in order as Actions)
or, in a dry run, the payload files. `run` is the one entry point (publisher.py).

After `update` has rewritten snapshots/ and instructions/ in the working tree, publish
- commits each platform's share of those files on `optout-monitor/<platform>` (built beside the
  working tree from the base branch, see git.py), pushes it with git, and opens or updates the
  one pull request of that branch; no pull request when the platform's diff is empty;
- closes, with a comment, a platform's pull request whose changes the site has reverted (this
  run's verdicts are all "nothing" and the working tree equals the base branch for its paths);
- opens one issue per platform and problem (login, security check, blocked, target gone), whose
  title is its key; comments on it when it fails again; closes it when a run walks the path again;
- with `dry_run=DIR`, writes the payloads (title, body, labels, files) to DIR and touches no remote.

It never destroys anything: a branch holding commits the bot did not make is left alone (the pull
request gets a comment saying what the bot would have changed); a refused push is retried once
after a re-fetch and rebuild; nothing is pushed to the base branch.

The parts, in the order a run uses them:

    publisher.py  `run`: reads the settings, connects, then hands each part below its share
    settings.py   the repository, token and run, from the environment
    context.py    the records the parts share (Context) and the result (PublishResult, Action)
    plans.py      a platform's share of the working tree, the issues to open (read only)
    branches.py   origin's branches; a platform's commit built and pushed, kept, or deleted
    pulls.py      a platform's pull request found, opened or updated
    issues.py     issues opened, commented on and closed; their screenshots on the evidence branch
    bodies.py     every body, comment, title and commit message (templates/, no GitHub call)
    dryrun.py     the payloads a dry run writes instead
    api.py        each GitHub call, its failure translated into a PublishError
    git.py        the only code that runs git; github.py: errors, connection; jobsummary.py: CI summary

Errors (defined in monitor/publish/github.py, re-exported here); every message carries its fix:

    PublishError
    ├── SetupError                   missing GITHUB_TOKEN / GITHUB_REPOSITORY, no git origin, bad --base
    ├── UnsafeError                  would push to the base branch, or publish a stale checkout
    ├── GitError
    │   └── PushRejectedError        refused twice (after one re-fetch and rebuild)
    └── ApiError                     .status, .github_message
        ├── AuthError                401
        ├── ForbiddenError           403
        │   └── ActionsNotPermittedError  403: Actions may not create pull requests
        ├── NotFoundError            404
        ├── ValidationError          422
        ├── RateLimitError           403/429 rate limit, after a bounded wait
        ├── ServerError              5xx, after one retry
        └── NetworkError             connection refused, DNS, timeout
"""

from monitor.publish.context import Action, PublishResult
from monitor.publish.github import (
    ActionsNotPermittedError,
    ApiError,
    AuthError,
    ForbiddenError,
    GitError,
    Limits,
    NetworkError,
    NotFoundError,
    PublishError,
    PushRejectedError,
    RateLimitError,
    ServerError,
    SetupError,
    UnsafeError,
    ValidationError,
)
from monitor.publish.publisher import record, run

__all__ = [
    "Action",
    "ActionsNotPermittedError",
    "ApiError",
    "AuthError",
    "ForbiddenError",
    "GitError",
    "Limits",
    "NetworkError",
    "NotFoundError",
    "PublishError",
    "PublishResult",
    "PushRejectedError",
    "RateLimitError",
    "ServerError",
    "SetupError",
    "UnsafeError",
    "ValidationError",
    "record",
    "run",
]
