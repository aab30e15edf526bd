"""A limit on how fast one person (or, signed out, one address) can change things over HTTP.

Every request that changes something (POST, PUT, PATCH, DELETE) takes a token from its sender's bucket: up to
COLLAB_MAX_WRITES_PER_MINUTE at once, refilled at that rate. Far above what anyone types or clicks, so a person
never meets it; it stops a runaway script or a stuck retry loop from flooding a Work Group with rows. Over the
limit: 429, nothing changed, and `Retry-After`. Sign-in and password-reset failures have their own, stricter
limits in the database (collab/accounts/ratelimit.py). Socket.IO traffic never reaches Flask's request hooks:
it has its own per-connection limit (COLLAB_MAX_UPDATES_PER_SECOND).

The buckets live in this process, so with N processes a sender may get up to N times the limit: fine for a
guard against floods, and no round trip to a shared store on every form post.
"""

from __future__ import annotations

import math
import threading
import time

from flask import Flask, make_response, request
from flask_login import current_user

from collab.extensions import write_buckets
from collab.token_bucket import TokenBucket
from collab.web.errors import render_error

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PRUNE_EVERY = 1000  # requests between sweeps of buckets that have refilled (they equal a new one)


class Buckets:
    """A TokenBucket per key: `capacity` tokens, refilled at `capacity` per minute."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()
        self._taken = 0

    def take(self, key: str, now: float | None = None) -> float:
        """0 if `key` may go ahead (a token is taken); otherwise seconds until it may."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(self.capacity / 60, self.capacity, stamp=now)
            if not bucket.take(now):
                return bucket.seconds_until_token()
            self._taken += 1
            if self._taken % _PRUNE_EVERY == 0:
                self._prune(now)
            return 0.0

    def _prune(self, now: float) -> None:
        full_after = 60.0  # an empty bucket is full again after a minute: the same as a new one
        for key in [k for k, bucket in self._buckets.items() if now - bucket.stamp >= full_after]:
            del self._buckets[key]


def init_app(app: Flask) -> None:
    @app.before_request
    def limit_writes():
        if request.method not in WRITE_METHODS or app.config["COLLAB_MAX_WRITES_PER_MINUTE"] <= 0:
            return None
        # The person, not the sign-in (get_id() carries the sign-in's token): a second device adds no allowance.
        key = f"user:{current_user.id}" if current_user.is_authenticated else f"address:{request.remote_addr}"
        wait = write_buckets.get(app).take(key)
        if not wait:
            return None
        response = make_response(render_error(
            429, "You are making changes faster than Collab allows. Wait a moment, then try again. "
                 "Nothing was changed."))
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
