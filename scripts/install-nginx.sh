#!/usr/bin/env bash
# Installs Debian's nginx for `make run-cluster` and the failover test (scripts/run-cluster.sh starts its own
# nginx with deploy/nginx.conf; Debian's default site is not used and is not left running).
set -euo pipefail
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
  echo "nginx is not installed and we are not root: install it with 'apt-get install nginx'." >&2
  exit 1
fi
SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
echo "Installing Debian's nginx..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
# The package starts its default site on port 80 where it can; we run our own instance only.
if [ -f /run/nginx.pid ]; then $SUDO /usr/sbin/nginx -s quit 2>/dev/null || true; fi
