#!/usr/bin/env sh
# Make PostgreSQL's server binaries (initdb, pg_ctl, postgres, pg_dump) available for the tests that
# start a throwaway cluster (tests/postgres.py). Idempotent: does nothing when they are installed.
# Needs root (or sudo) for apt-get. Only the binaries are used: no system cluster is needed or started.
set -eu

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "ensure_postgresql: PostgreSQL is missing and we are not root; install the 'postgresql' package" >&2
        exit 1
    fi
fi

echo "ensure_postgresql: installing postgresql with apt-get" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
ls /usr/lib/postgresql/*/bin/initdb >/dev/null
