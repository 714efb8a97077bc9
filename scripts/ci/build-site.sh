#!/usr/bin/env bash
# Step "Build the site and the feeds": pages, images, changelog, Atom and JSON feeds in _site/.
# OPTOUT_SITE_URL (from configure-pages) gives the feeds their absolute links.
set -euo pipefail
optout-monitor site "${SITE_DIR:-_site}"
