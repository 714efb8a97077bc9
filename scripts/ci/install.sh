#!/usr/bin/env bash
# Step "Install": optout-monitor from the hashed lock, in a job that may hold write tokens.
# Every dependency is checked against the hash in requirements/runtime.txt (pip refuses anything
# else), then the project itself is installed without resolving a single package.
# --browser: Debian's Chromium first (scripts/ensure-browser.sh), for the jobs that walk.
# --ocr: Debian's Tesseract (scripts/ensure-ocr.sh), for the job whose update and publish are gated.
# OPTOUT_CACHE=DIR (the workflows restore it with actions/cache, keyed on the lock and the image):
#   DIR/apt keeps Debian's downloaded packages (apt checks each against the signed index on install);
#   DIR/venv is a venv built from the lock with its hashes checked, stamped with the lock's sha256.
#   A venv whose stamp is another lock's, or whose files do not match their RECORD, is built again.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lock="${OPTOUT_LOCK:-$repo/requirements/runtime.txt}"
cache="${OPTOUT_CACHE:-}"
cache="${cache/#\~/$HOME}"
if [ -n "$cache" ]; then
  export OPTOUT_APT_CACHE="$cache/apt"
fi
for arg in "$@"; do
  case "$arg" in
    --browser) "$repo/scripts/ensure-browser.sh" ;;
    --ocr) "$repo/scripts/ensure-ocr.sh" ;; # Tesseract: the personal-data gate of update and publish
    *) echo "install.sh: unknown option $arg (known: --browser, --ocr)" >&2; exit 2 ;;
  esac
done
python=${PYTHON:-python3}
if [ -n "$cache" ]; then
  venv="$cache/venv"
  want="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [ "$(cat "$venv/.optout-lock.sha256" 2>/dev/null)" = "$want" ] && "$venv/bin/python" "$repo/scripts/verify-venv.py"; then
    echo "reusing the cached venv built from this lock (sha256 $want, its hashes checked when it was built)"
    python="$venv/bin/python"
  else
    rm -rf "$venv"
    "$python" -m venv "$venv"
    python="$venv/bin/python"
    "$python" -m pip install --quiet --disable-pip-version-check --require-hashes --requirement "$lock"
    echo "$want" > "$venv/.optout-lock.sha256"
  fi
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$venv/bin" >> "$GITHUB_PATH"; fi
else
  "$python" -m pip install --quiet --disable-pip-version-check --require-hashes --requirement "$lock"
fi
"$python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation "$repo"
"$python" -m pip check >/dev/null || {
  echo "::error::the lock $lock misses a dependency of pyproject.toml: run \`make lock\` and commit requirements/" >&2
  "$python" -m pip check >&2
  exit 1
}
echo "installed $("$python" -m pip show optout-monitor 2>/dev/null | sed -n 's/^Version: /optout-monitor /p') from $(basename "$lock") (hashes checked)"
