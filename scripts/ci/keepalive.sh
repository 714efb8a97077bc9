#!/usr/bin/env bash
# Step "Keep the schedule alive": GitHub disables the schedule of a public repository after 60
# days without activity; re-enabling the workflow counts as activity (docs/forking.md).
set -euo pipefail
: "${REPO:?REPO is unset (owner/name)}" "${GITHUB_STEP_SUMMARY:?GITHUB_STEP_SUMMARY is unset}"
branch=$(gh api "repos/$REPO" --jq .default_branch)
last=$(gh api "repos/$REPO/commits/$branch" --jq .commit.committer.date)
age=$(( ($(date -u +%s) - $(date -u -d "$last" +%s)) / 86400 ))
echo "last commit on $branch: $last ($age days ago)"
if [ "$age" -ge 50 ]; then
  gh api -X PUT "repos/$REPO/actions/workflows/monitor.yml/enable"
  echo "Re-enabled monitor.yml: no commit for $age days." >> "$GITHUB_STEP_SUMMARY"
fi
