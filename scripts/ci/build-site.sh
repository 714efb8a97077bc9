#!/usr/bin/env bash
# Step "Build the site and the feeds": pages, images, changelog, Atom and JSON feeds in _site/.
# OPTOUT_SITE_URL (from configure-pages) gives the feeds their absolute links.
# REPORT_DIR: where the step before downloaded the last check's artifact `report` (run/report.json
# inside); with it status.json and the badges can say "changed" or "broken". Without it (no run yet,
# expired, not found) the site says what it knows: checked, or not yet checked.
set -euo pipefail
args=()
dir="${REPORT_DIR:-monitor-report}"
for report in "$dir/run/report.json" "$dir/report.json"; do
  if [ -f "$report" ]; then
    args=(--report "$report")
    echo "status from the last check's report: $report"
    break
  fi
done
if [ "${#args[@]}" -eq 0 ]; then
  echo "no report of the last check in $dir/: status.json says what the instructions' dates say"
fi
optout-monitor site "${SITE_DIR:-_site}" "${args[@]}"
