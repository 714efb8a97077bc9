#!/usr/bin/env bash
# Step "Update the instructions": accept the changed steps, re-render the instructions, write
# changelog entries, in the working tree; publish commits them on the bot's branches.
set -euo pipefail
optout-monitor update "${RUN_DIR:-run}/report.json"
