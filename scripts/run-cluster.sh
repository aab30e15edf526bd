#!/usr/bin/env bash
# `make run-cluster`: the production shape on one machine (docs/deployment.md).
#   PostgreSQL and Redis (started if installed and not running), migrations and the demo data (first run only:
#   `flask collab demo` loads only into an empty database), N eventlet processes (wsgi.py, one per core), and
#   nginx in front with deploy/nginx/collab.conf, hashing each document's connections to one process.
# Settings: deploy/collab.env (what the systemd units read), unless the environment sets them. Also:
#   CLUSTER_PROCESSES (default: the number of cores), CLUSTER_PORT (nginx, default 8080),
#   CLUSTER_FIRST_APP_PORT (default 5101: the processes listen on 5101, 5102, ...),
#   CLUSTER_DIR (default instance/cluster: rendered nginx config, logs, pid files).
# A process that dies is started again (as systemd's Restart=always would); Ctrl-C stops everything gracefully.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

PROCESSES="${CLUSTER_PROCESSES:-$(nproc 2>/dev/null || echo 2)}"
LISTEN_PORT="${CLUSTER_PORT:-8080}"
FIRST_APP_PORT="${CLUSTER_FIRST_APP_PORT:-5101}"
RUN_DIR="${CLUSTER_DIR:-$ROOT/instance/cluster}"
PY="$ROOT/.venv/bin/python"
FLASK="$ROOT/.venv/bin/flask"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
export FLASK_APP=collab:create_app

say() { echo "run-cluster: $*"; }

# deploy/collab.env, for every setting the environment has not set.
while IFS= read -r line; do
  [[ "$line" =~ ^([A-Z][A-Z0-9_]*)=(.*)$ ]] || continue
  key="${BASH_REMATCH[1]}"
  [ -n "${!key+x}" ] || export "$key=${BASH_REMATCH[2]}"
done <deploy/collab.env
export COLLAB_SECURE_COOKIES="${COLLAB_SECURE_COOKIES:-0}"  # plain http on this machine, as `make run`

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi

# --- PostgreSQL ----------------------------------------------------------------------------------------------
if [[ "$COLLAB_DATABASE_URL" == postgresql*@127.0.0.1:5432/* || "$COLLAB_DATABASE_URL" == postgresql*@localhost:5432/* ]]; then
  if ! command -v pg_isready >/dev/null; then
    say "PostgreSQL is not installed: sudo apt-get install postgresql redis-server (README, Deployment)" >&2
    exit 1
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "starting PostgreSQL"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  database="${COLLAB_DATABASE_URL##*/}"
  database="${database%%\?*}"
  user="${COLLAB_DATABASE_URL#*://}"
  user="${user%%@*}"
  user="${user%%:*}"
  if ! psql -h 127.0.0.1 -U "$user" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$database'" | grep -q 1; then
    say "creating database $database"
    psql -h 127.0.0.1 -U "$user" -d postgres -qc "CREATE DATABASE \"$database\""
  fi
fi

# --- Redis ---------------------------------------------------------------------------------------------------
if [[ "$COLLAB_REDIS_URL" == redis://127.0.0.1:6379* || "$COLLAB_REDIS_URL" == redis://localhost:6379* ]]; then
  if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
    if ! command -v redis-server >/dev/null; then
      say "Redis is not installed: sudo apt-get install redis-server (README, Deployment)" >&2
      exit 1
    fi
    say "starting Redis"
    if [ -d /run/systemd/system ]; then
      $SUDO systemctl start redis-server
    else
      $SUDO mkdir -p /var/lib/redis /var/log/redis
      $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/collab-cluster.log
    fi
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
fi

# --- nginx, schema, demo data ----------------------------------------------------------------------------------
bash scripts/install-nginx.sh
mkdir -p "$RUN_DIR"
"$FLASK" db upgrade
"$FLASK" collab demo

# --- the app processes and nginx ------------------------------------------------------------------------------
declare -A port_of=()   # pid -> port
ports=()
for ((i = 0; i < PROCESSES; i++)); do ports+=("$((FIRST_APP_PORT + i))"); done

start_app() {  # start_app PORT
  PORT="$1" "$PY" wsgi.py >>"$RUN_DIR/app-$1.log" 2>&1 &
  port_of[$!]="$1"
}

stopping=0
nginx_pid=""
stop_all() {
  stopping=1
  say "stopping: each process commits what is queued, then exits"
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null || true
  for pid in "${!port_of[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  say "stopped"
}
trap 'stop_all; exit 0' INT TERM

for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    say "port $port is in use: set CLUSTER_FIRST_APP_PORT" >&2
    exit 1
  fi
  start_app "$port"
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { say "the process on port $port did not start: $RUN_DIR/app-$port.log" >&2; stop_all; exit 1; }
done

bash scripts/render-nginx.sh "$RUN_DIR" "127.0.0.1:$LISTEN_PORT" "${ports[@]}"
nginx_args=(-e "$RUN_DIR/nginx-error.log" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf")
"$NGINX" -q -t "${nginx_args[@]}"
"$NGINX" "${nginx_args[@]}" &
nginx_pid=$!

say "Collab on http://127.0.0.1:$LISTEN_PORT (nginx) -> ${#ports[@]} processes on ports ${ports[*]}"
say "logs in $RUN_DIR (app-PORT.log, nginx-*.log); Ctrl-C stops"

# Supervise: a process that dies is started again; if nginx dies, everything stops.
while true; do
  exited=""
  wait -n -p exited || true
  [ "$stopping" = 1 ] && break
  if [ "$exited" = "$nginx_pid" ]; then
    say "nginx exited (see $RUN_DIR/nginx-error.log)" >&2
    stop_all
    exit 1
  fi
  if [ -n "$exited" ] && [ -n "${port_of[$exited]+x}" ]; then
    port="${port_of[$exited]}"
    unset "port_of[$exited]"
    say "the process on port $port exited; starting it again"
    sleep 1
    start_app "$port"
  fi
done
