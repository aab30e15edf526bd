"""Health endpoints for load balancers and supervisors, open to anyone (no sign-in, no session written).

- `/healthz`: the process is alive and serving HTTP. Touches nothing else, so a slow database never gets a live
  process restarted.
- `/readyz`: the process can do its work: the database answers `SELECT 1` and, when configured, Redis answers
  PING; 503 otherwise, and 503 while the process is shutting down (collab.server.shutdown), so a balancer stops
  sending it new clients before it goes.

Both answer JSON with the process id, which tells an operator (and the failover test) which process behind the
balancer answered.

- `/metrics`: Prometheus metrics of this process (collab.realtime.metrics), only for a request made straight from
  this machine (a loopback address and no proxy's X-Forwarded-For: nginx adds one, and refuses the path anyway)
  or bearing `Authorization: Bearer <COLLAB_METRICS_TOKEN>`; 404 for anyone else, as if there were none.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from typing import Any

from flask import Blueprint, Flask, abort, current_app, jsonify, make_response, request
from sqlalchemy import text

from collab.extensions import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)
_DRAINING = "collab_draining"
_REDIS = "collab_health_redis"
_REDIS_TIMEOUT = 1.0  # seconds: a readiness probe must answer quickly, whatever Redis does


def start_draining(app: Flask) -> None:
    """From now on /readyz answers 503 (the process is shutting down)."""
    app.extensions[_DRAINING] = True


def is_draining(app: Flask) -> bool:
    return bool(app.extensions.get(_DRAINING))


@bp.get("/healthz")
def healthz():
    return _answer({"status": "ok"}, 200)


@bp.get("/readyz")
def readyz():
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    checks = {"database": _database_ok(), "redis": _redis_ok(app)}
    ready = all(value != "down" for value in checks.values()) and not is_draining(app)
    status = "ready" if ready else ("draining" if is_draining(app) else "unavailable")
    return _answer({"status": status, **checks}, 200 if ready else 503)


@bp.get("/metrics")
def metrics():
    from collab.realtime.metrics import exposition

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not _may_read_metrics(app):
        abort(404)
    response = make_response(exposition(app))
    response.headers["Content-Type"] = "text/plain; version=0.0.4; charset=utf-8"
    response.headers["Cache-Control"] = "no-store"
    return response


def _may_read_metrics(app: Flask) -> bool:
    token = app.config.get("COLLAB_METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    # The address the connection came from, before any ProxyFix rewrote it from X-Forwarded-For.
    original = request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR") or request.remote_addr or ""
    direct = "X-Forwarded-For" not in request.headers
    try:
        return direct and ipaddress.ip_address(original).is_loopback
    except ValueError:
        return False


def _answer(body: dict[str, Any], code: int):
    response = jsonify({**body, "pid": os.getpid()})
    response.headers["Cache-Control"] = "no-store"
    return response, code


def _database_ok() -> str:
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach it is "down"; the log says why
        log.warning("readiness: the database does not answer: %s", exc)
        return "down"
    return "ok"


def _redis_ok(app: Flask) -> str:
    url = app.config.get("COLLAB_REDIS_URL")
    if not url:
        return "not configured"
    client = app.extensions.get(_REDIS)
    if client is None:
        import redis

        client = app.extensions[_REDIS] = redis.Redis.from_url(
            url, socket_connect_timeout=_REDIS_TIMEOUT, socket_timeout=_REDIS_TIMEOUT)
    try:
        client.ping()
    except Exception as exc:
        log.warning("readiness: Redis does not answer: %s", exc)
        return "down"
    return "ok"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
