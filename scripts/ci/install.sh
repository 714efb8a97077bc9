#!/usr/bin/env bash
# Step "Install": optout-monitor from the hashed lock, in a job that may hold write tokens.
# Every dependency is checked against the hash in requirements/runtime.txt (pip refuses anything
# else), then the project itself is installed without resolving a single package.
# --browser: Debian's Chromium first (scripts/ensure-browser.sh), for the jobs that walk.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lock="${OPTOUT_LOCK:-$repo/requirements/runtime.txt}"
if [ "${1:-}" = "--browser" ]; then
  "$repo/scripts/ensure-browser.sh"
fi
python=${PYTHON:-python3}
"$python" -m pip install --quiet --disable-pip-version-check --require-hashes --requirement "$lock"
"$python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation "$repo"
"$python" -m pip check >/dev/null || {
  echo "::error::the lock $lock misses a dependency of pyproject.toml: run \`make lock\` and commit requirements/" >&2
  "$python" -m pip check >&2
  exit 1
}
echo "installed $("$python" -m pip show optout-monitor 2>/dev/null | sed -n 's/^Version: /optout-monitor /p') from $(basename "$lock") (hashes checked)"
