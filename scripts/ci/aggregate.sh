#!/usr/bin/env bash
# Step "Aggregate": merge the shards' reports, as download-artifact lays them out
# (reports/report-shard-N/, one folder per artifact), into run/. Exit codes as in check-shard.sh.
set -uo pipefail
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is unset: this step runs in a GitHub Actions job}"
reports="${REPORTS_DIR:-reports}"
shopt -s nullglob
shards=("$reports"/report-shard-*)
if [ "${#shards[@]}" -eq 0 ]; then
  echo "::error::no shard report in $reports/report-shard-*: did every check job upload one?" >&2
  echo "exit-code=2" >> "$GITHUB_OUTPUT"
  exit 2
fi
optout-monitor aggregate "${shards[@]}" --out "${RUN_DIR:-run}"
code=$?
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
case "$code" in
  0|1|3) exit 0 ;;
  *) exit "$code" ;;
esac
