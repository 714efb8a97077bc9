#!/usr/bin/env bash
# Step "Publish": a pull request when the instructions need an update, an issue when a human is
# needed. DRY_RUN=true writes what would be opened to publish-preview/ and touches no remote.
# Commits are made as github-actions[bot] (or OPTOUT_BOT_NAME / OPTOUT_BOT_EMAIL, a GitHub App's).
set -euo pipefail
report="${RUN_DIR:-run}/report.json"
if [ "${DRY_RUN:-false}" = "true" ]; then
  optout-monitor publish "$report" --dry-run "${PREVIEW_DIR:-publish-preview}"
else
  : "${GITHUB_TOKEN:?GITHUB_TOKEN is unset: the job passes secrets.OPTOUT_PUBLISH_TOKEN or github.token}"
  optout-monitor publish "$report"
fi
