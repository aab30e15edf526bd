#!/usr/bin/env bash
# Renders deploy/nginx/ into RUN_DIR for an nginx of our own: RUN_DIR/nginx.conf (from cluster-main.conf) and
# RUN_DIR/collab.conf (from collab.conf: nginx listens on LISTEN, one upstream server per app PORT).
# Used by scripts/run-cluster.sh and tests/realtime/test_failover.py, so both run the config production uses.
#   scripts/render-nginx.sh RUN_DIR LISTEN PORT [PORT...]      e.g. instance/cluster 127.0.0.1:8080 5101 5102
# (a PORT may be HOST:PORT, for processes on other machines)
set -euo pipefail
if [ $# -lt 3 ]; then echo "usage: $0 RUN_DIR LISTEN PORT [PORT...]" >&2; exit 2; fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUN_DIR="$(mkdir -p "$1" && cd "$1" && pwd)"
LISTEN="$2"
shift 2
# One failure takes a process out of the ring for FAIL_TIMEOUT seconds; then nginx tries it again.
FAIL_TIMEOUT="${COLLAB_NGINX_FAIL_TIMEOUT:-5s}"
servers=""
for port in "$@"; do
  address="$port"
  [[ "$address" == *:* ]] || address="127.0.0.1:$port"   # PORT, or HOST:PORT for a process on another machine
  servers+="    server ${address} max_fails=1 fail_timeout=${FAIL_TIMEOUT};"$'\n'
done
mkdir -p "$RUN_DIR"/nginx-tmp/{body,proxy,fastcgi,uwsgi,scgi}
# As root, nginx's workers run as nobody: they write request bodies and large responses here.
if [ "$(id -u)" = 0 ]; then chown -R nobody "$RUN_DIR/nginx-tmp" 2>/dev/null || true; fi
# The access log: in RUN_DIR unless COLLAB_NGINX_ACCESS_LOG says (production: /var/log/nginx/collab-access.log).
ACCESS_LOG="${COLLAB_NGINX_ACCESS_LOG:-$RUN_DIR/nginx-access.log}"
COLLAB_LISTEN="$LISTEN" COLLAB_UPSTREAM_SERVERS="${servers%$'\n'}" COLLAB_ACCESS_LOG="$ACCESS_LOG" \
  envsubst '${COLLAB_LISTEN} ${COLLAB_UPSTREAM_SERVERS} ${COLLAB_ACCESS_LOG}' \
  <"$ROOT/deploy/nginx/collab.conf" >"$RUN_DIR/collab.conf"
COLLAB_RUN_DIR="$RUN_DIR" envsubst '${COLLAB_RUN_DIR}' <"$ROOT/deploy/nginx/cluster-main.conf" >"$RUN_DIR/nginx.conf"
