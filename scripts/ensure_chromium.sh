#!/usr/bin/env sh
# Make /usr/bin/chromium available for the browser tests (tests/test_web_browser.py).
# Idempotent: does nothing when Chromium is already installed. Needs root (or sudo) for apt-get.
# Playwright's own browser download is not used: it is not reachable from the build hosts.
set -eu

if [ -x /usr/bin/chromium ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "ensure_chromium: /usr/bin/chromium is missing and we are not root; install the 'chromium' package" >&2
        exit 1
    fi
fi

echo "ensure_chromium: installing chromium with apt-get" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
test -x /usr/bin/chromium
