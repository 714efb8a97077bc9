#!/usr/bin/env bash
# Step "Quick look": the hourly look at each journey's tracked step in one locale and viewport
# (monitor.yaml quick:). Writes full-run=true|false and exit-code=N to $GITHUB_OUTPUT: exit 0 is
# "nothing moved", 1 "the full matrix is needed". Any other exit (a usage error, a crash) also asks
# for the full run, which will show the same trouble with the whole matrix's report, and fails
# this step so the run is red.
# Extra arguments go to `optout-monitor check --quick` (the tests point it at the replica with --site).
set -uo pipefail
: "${RUN_DIR:?RUN_DIR is unset (the job sets run-quick)}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is unset: this step runs in a GitHub Actions job}"
optout-monitor check --quick --out "$RUN_DIR" "$@"
code=$?
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
case "$code" in
  0) echo "full-run=false" >> "$GITHUB_OUTPUT"; exit 0 ;;
  1) echo "full-run=true" >> "$GITHUB_OUTPUT"; exit 0 ;;
  *) echo "full-run=true" >> "$GITHUB_OUTPUT"
     echo "::error::optout-monitor check --quick failed with exit $code; the full run is started all the same" >&2
     exit "$code" ;;
esac
