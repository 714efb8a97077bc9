#!/usr/bin/env bash
# Step "Install": optout-monitor from the hashed lock, in a job that may hold write tokens.
# Every dependency is checked against the hash in requirements/runtime.txt (pip refuses anything
# else), then the project itself is installed without resolving a single package.
# --browser: Debian's Chromium first (scripts/ensure-browser.sh), for the jobs that walk.
# --ocr: Debian's Tesseract (scripts/ensure-ocr.sh), for the job whose update and publish are gated.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lock="${OPTOUT_LOCK:-$repo/requirements/runtime.txt}"
for arg in "$@"; do
  case "$arg" in
    --browser) "$repo/scripts/ensure-browser.sh" ;;
    --ocr) "$repo/scripts/ensure-ocr.sh" ;; # Tesseract: the personal-data gate of update and publish
    *) echo "install.sh: unknown option $arg (known: --browser, --ocr)" >&2; exit 2 ;;
  esac
done
python=${PYTHON:-python3}
"$python" -m pip install --quiet --disable-pip-version-check --require-hashes --requirement "$lock"
"$python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation "$repo"
"$python" -m pip check >/dev/null || {
  echo "::error::the lock $lock misses a dependency of pyproject.toml: run \`make lock\` and commit requirements/" >&2
  "$python" -m pip check >&2
  exit 1
}
echo "installed $("$python" -m pip show optout-monitor 2>/dev/null | sed -n 's/^Version: /optout-monitor /p') from $(basename "$lock") (hashes checked)"
