#!/usr/bin/env bash
# Step "Quick look": the hourly look at each journey's tracked step in one locale and viewport
# (monitor.yaml quick:). Writes full-run=true|false, exit-code=N and fingerprint=HASH to
# $GITHUB_OUTPUT: exit 0 is "nothing moved", 1 "the full matrix is needed", and the fingerprint
# says what was seen against which baseline, so that the workflow starts one full run per change,
# not one an hour until its pull request is merged. Any other exit (a usage error, a crash) also
# asks for the full run, which will show the same trouble with the whole matrix's report, and
# fails this step so the run is red.
# Extra arguments go to `optout-monitor check --quick` (the tests point it at the replica with --site).
set -uo pipefail
: "${RUN_DIR:?RUN_DIR is unset (the job sets run-quick)}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is unset: this step runs in a GitHub Actions job}"
optout-monitor check --quick --out "$RUN_DIR" "$@"
code=$?
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
case "$code" in
  0) echo "full-run=false" >> "$GITHUB_OUTPUT"; exit 0 ;;
  1) echo "full-run=true" >> "$GITHUB_OUTPUT"
     # what it saw, as a short hash: the workflow starts one full run per fingerprint (decision 0023)
     python3 -c 'import json, sys; print("fingerprint=" + json.load(open(sys.argv[1]))["fingerprint"])' \
       "$RUN_DIR/quick.json" >> "$GITHUB_OUTPUT"
     exit 0 ;;
  *) printf 'full-run=true\nfingerprint=exit-%s\n' "$code" >> "$GITHUB_OUTPUT"
     echo "::error::optout-monitor check --quick failed with exit $code; the full run is started all the same" >&2
     exit "$code" ;;
esac
