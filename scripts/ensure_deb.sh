#!/usr/bin/env sh
# Make a Debian package's files available for the tests: `ensure_deb.sh PACKAGE PATH-PATTERN`
# installs PACKAGE with apt-get unless a file matching PATH-PATTERN exists. Used for Chromium (the
# browser tests; Playwright's own browser download is not reachable from the build hosts) and for
# PostgreSQL's server binaries (the throwaway clusters of tests/postgres.py; no system cluster is
# started). Idempotent; needs root (or sudo) only when it has to install.
set -eu

PACKAGE="$1"
PATTERN="$2"

# shellcheck disable=SC2086  # the pattern is meant to glob
if ls $PATTERN >/dev/null 2>&1; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "ensure_deb: $PATTERN is missing and we are not root; install the '$PACKAGE' package" >&2
        exit 1
    fi
fi

echo "ensure_deb: installing $PACKAGE with apt-get" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$PACKAGE" >/dev/null
# shellcheck disable=SC2086
ls $PATTERN >/dev/null
