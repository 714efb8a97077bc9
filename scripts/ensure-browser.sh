#!/usr/bin/env bash
# Makes sure a Chromium is there for Playwright to launch with executable_path (make demo, make test).
# Order: $OPTOUT_MONITOR_BROWSER, Debian's chromium; installs Debian's when none is found (root or sudo).
set -euo pipefail
if [ -n "${OPTOUT_MONITOR_BROWSER:-}" ] && [ -x "$OPTOUT_MONITOR_BROWSER" ]; then
  exit 0
fi
for b in /usr/lib/chromium/chromium /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [ -x "$b" ]; then
    fc-list 2>/dev/null | grep -qi "dejavu\|liberation" && exit 0
  fi
done
"$BASH" "${BASH_SOURCE[0]%/*}/apt-install.sh" "ensure-browser: no Chromium (or no fonts) found" \
  "install Chromium yourself and set OPTOUT_MONITOR_BROWSER=/path/to/chromium" \
  chromium fonts-dejavu-core fonts-liberation
echo "ensure-browser: installed $(/usr/lib/chromium/chromium --version 2>/dev/null || echo chromium)" >&2
