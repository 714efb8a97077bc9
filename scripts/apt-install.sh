#!/usr/bin/env bash
# Installs Debian packages for `make`, as root or through sudo; without either it stops with one
# line saying what to do instead. Usage: apt-install.sh "WHAT IS MISSING" "THE FIX WITHOUT ROOT" PACKAGE...
set -euo pipefail
what="$1" fix="$2"
shift 2
SUDO=""
if [ "$EUID" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "$what, and installing it needs root or sudo (apt-get install $*): $fix" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "$what, and this is not a Debian-like system (no apt-get): $fix" >&2
  exit 1
fi
echo "$what: installing $* with apt-get${SUDO:+ (sudo)}" >&2
export DEBIAN_FRONTEND=noninteractive
# $OPTOUT_APT_CACHE (scripts/ci/install.sh): keep the downloaded .debs there, outside the folder the
# Docker image empties after each install, so that actions/cache can bring them to the next run.
keep=()
if [ -n "${OPTOUT_APT_CACHE:-}" ]; then
  mkdir -p "$OPTOUT_APT_CACHE/partial"
  keep=(-o "Dir::Cache::Archives=$OPTOUT_APT_CACHE")
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${keep[@]}" "$@" >/dev/null
