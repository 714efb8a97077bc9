#!/usr/bin/env bash
# Step "Trust the workspace": in a container job, git runs as root on a checkout that the runner's
# user owns, and refuses it ("detected dubious ownership"). Trust exactly this workspace, nothing else.
set -euo pipefail
workspace="${GITHUB_WORKSPACE:?GITHUB_WORKSPACE is unset: this step runs in a GitHub Actions job}"
if ! git config --global --get-all safe.directory 2>/dev/null | grep -qxF "$workspace"; then
  git config --global --add safe.directory "$workspace"
fi
git -C "$workspace" rev-parse --show-toplevel >/dev/null
echo "git trusts $workspace (owner uid $(stat -c %u "$workspace"), running as uid $(id -u))"
