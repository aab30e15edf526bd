#!/usr/bin/env bash
# Installs Debian's chromium and its headless shell for the browser tests (Playwright drives the shell, about
# 30 % cheaper than the full browser in headless mode; it never downloads a browser).
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/lib/chromium/chromium-headless-shell ]; then exit 0; fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
  echo "chromium is not installed and we are not root: browser tests will be skipped (or run on the full browser)." >&2
  exit 0
fi
SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
echo "Installing Debian's chromium and chromium-headless-shell for the browser tests..."
$SUDO apt-get update -qq
[ -x /usr/bin/chromium ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium-headless-shell >/dev/null \
  || echo "chromium-headless-shell could not be installed: the browser tests run on the full browser." >&2
