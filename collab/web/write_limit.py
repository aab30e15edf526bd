"""A limit on how fast one person (or, signed out, one address) can change things over HTTP.

Every request that changes something (POST, PUT, PATCH, DELETE) counts against its sender: at most
COLLAB_MAX_WRITES_PER_MINUTE in any minute (Flask-Limiter's moving window). Far above what anyone types or clicks,
so a person never meets it; it stops a runaway script or a stuck retry loop from flooding a Work Group with rows.
Over the limit: 429, nothing changed, and `Retry-After` (when the oldest write in the window ages out).

With COLLAB_REDIS_URL set the counts live in that Redis, so every process behind nginx counts against one limit
(keys prefixed with COLLAB_REDIS_CHANNEL, which already tells deployments sharing a Redis apart). Without Redis
(one process, `make run`) they live in memory. If Redis stops answering, each process counts in its own memory
until it answers again (Flask-Limiter's in-memory fallback): writes go on being limited, never refused for it.

Sign-in and password-reset failures have their own, stricter limits in the database (collab/accounts/ratelimit.py).
Socket.IO traffic never reaches Flask's request hooks: it has its own per-person limit
(COLLAB_MAX_UPDATES_PER_SECOND, collab/realtime/user_limits.py; docs/decisions.md says why not this one).
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, make_response, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_login import current_user

from collab.extensions import write_limiter
from collab.web.errors import render_error

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXTENSION = "collab_write_limit"  # write_limiter's name in app.extensions
# Never more than the limit in any 60 s (the token bucket it replaced allowed a full burst, then its refill).
STRATEGY = "moving-window"


def sender() -> str:
    """Whose writes these are. The person, not the sign-in (get_id() carries the sign-in's token): a second device
    adds no allowance."""
    return f"user:{current_user.id}" if current_user.is_authenticated else f"address:{request.remote_addr}"


def _per_minute() -> str:
    # Read even when _exempt says no limit applies (Flask-Limiter sorts the limits first): always a valid one.
    return f"{max(1, int(current_app.config['COLLAB_MAX_WRITES_PER_MINUTE']))} per minute"


def _exempt() -> bool:
    return request.method not in WRITE_METHODS or current_app.config["COLLAB_MAX_WRITES_PER_MINUTE"] <= 0


def limiter_for(app: Flask) -> Limiter:
    """The app's write limiter, from its settings (collab.extensions.write_limiter's maker). The first time it is
    made unbound: init_app below binds it, so that its hook runs after the request id's. Made again once bound
    (the test suite does before each test), it is bound again: a new storage, counts afresh in memory, and no
    second set of hooks (Flask-Limiter adds them once per app)."""
    limiter = app.extensions.get(EXTENSION)
    if limiter is not None:
        limiter.init_app(app)
        return limiter
    redis_url = app.config.get("COLLAB_REDIS_URL")
    return Limiter(
        sender,
        application_limits=[_per_minute],  # one count per sender across every route
        application_limits_exempt_when=_exempt,
        strategy=STRATEGY,
        storage_uri=redis_url or "memory://",
        # A Redis that hangs costs a write one second, then the in-memory fallback takes over.
        storage_options={"socket_timeout": 1, "socket_connect_timeout": 1} if redis_url else {},
        key_prefix=f"{app.config['COLLAB_REDIS_CHANNEL']}:writes",
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )


def init_app(app: Flask) -> None:
    limiter = write_limiter.get(app)
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)  # Flask picks it over errors.py's 429 page: the more specific class
    def refused(_error: RateLimitExceeded):
        response = make_response(render_error(
            429, "You are making changes faster than Collab allows. Wait a moment, then try again. "
                 "Nothing was changed."))
        breached = limiter.current_limit
        # When the oldest write in the window ages out (reset_at rounds that up a second further).
        wait = breached.window.reset_time - time.time() if breached is not None else 60.0
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
