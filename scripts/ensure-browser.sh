#!/usr/bin/env bash
# Makes sure a Chromium is there for Playwright to launch with executable_path.
# Order: $OPTOUT_MONITOR_BROWSER, Debian's chromium; installs Debian's when none is found.
set -euo pipefail
if [ -n "${OPTOUT_MONITOR_BROWSER:-}" ] && [ -x "$OPTOUT_MONITOR_BROWSER" ]; then
  exit 0
fi
for b in /usr/lib/chromium/chromium /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [ -x "$b" ]; then
    fc-list 2>/dev/null | grep -qi "dejavu\|liberation" && exit 0
  fi
done
echo "ensure-browser: no Chromium (or no fonts) found; installing Debian's chromium" >&2
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-browser: not root and no sudo: install chromium yourself or set OPTOUT_MONITOR_BROWSER" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-liberation >/dev/null
echo "ensure-browser: installed $(/usr/lib/chromium/chromium --version 2>/dev/null || echo chromium)" >&2
