"""How many document updates and posts a person may send a second, counted per person, not per connection.

Counted per connection, six connections of one member got six times the limit and stalled an honest co-editor.
Each person has one token bucket in each process, shared by all their connections there; with Redis configured
(several processes) they also draw from one counter per person per second in Redis, in leases of a few tokens
so that Redis is asked about once every `lease` updates, not on every keystroke. A person over the limit gets
`rate-limited` and sends again (the browser's provider does). If Redis cannot be reached, the per-process
limit still holds."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from collab.token_bucket import TokenBucket

log = logging.getLogger(__name__)


STRIKE_WINDOW = 10.0
PAUSE = 10.0  # seconds during which every update of a paused person is refused `rate-limited`, unread
REDIS_CONNECTIONS = 16  # per process, for the shared counters


class PersonLimit:
    """One person's limit in this process (shared by their connections).

    Honest clients never send a malformed update; a broken or hostile one may send nothing else, and every such
    update costs the server a check (and, for the few that pass it but not yrs, a rebuild of the document's
    shadow). So after `strikes` malformed messages (COLLAB_MALFORMED_BEFORE_PAUSE) in STRIKE_WINDOW seconds the
    person is paused for PAUSE seconds: their updates and presence messages are refused before being read."""

    def __init__(self, user_id: int, rate: float, redis: Any = None, strikes: int = 10) -> None:
        self.user_id = user_id
        self.strikes = strikes
        self.rate = rate
        self.bucket = TokenBucket(rate)
        self.presence = TokenBucket(rate)  # awareness messages (cursor moves), relayed to everyone in the room
        self.redis = redis
        self.lease = max(1, int(rate // 10))
        self._leased = 0
        self._window = -1
        self.connections = 0
        self._strikes: list[float] = []
        self._paused_until = 0.0

    def strike(self, now: float | None = None) -> bool:
        """Count a malformed message; pause the person once they reach `strikes` in STRIKE_WINDOW seconds.
        True when this strike starts a pause (the caller then cuts the person's connections)."""
        if self.strikes <= 0:
            return False
        now = time.monotonic() if now is None else now
        self._strikes = [t for t in self._strikes if now - t < STRIKE_WINDOW] + [now]
        if len(self._strikes) < self.strikes:
            return False
        self._paused_until = now + PAUSE
        self._strikes = []
        return True

    def paused(self) -> bool:
        return time.monotonic() < self._paused_until

    def take_presence(self) -> bool:
        return time.monotonic() >= self._paused_until and self.presence.take()

    def take(self) -> bool:
        if time.monotonic() < self._paused_until or not self.bucket.take():
            return False
        if self.redis is None:
            return True
        window = int(time.time())
        if window != self._window:
            self._window, self._leased = window, 0
        if self._leased <= 0:
            self._leased = self._draw(window)
        if self._leased <= 0:
            return False
        self._leased -= 1
        return True

    def _draw(self, window: int) -> int:
        """Draw a lease from the person's counter for this second; how many were granted."""
        key = f"collab:updates:{self.user_id}:{window}"
        try:
            pipe = self.redis.pipeline()
            pipe.incrby(key, self.lease)
            pipe.expire(key, 3)
            count, _ = pipe.execute()
        except Exception:
            log.warning("the shared rate limit could not reach Redis; counting in this process only", exc_info=True)
            return self.lease
        return max(0, min(self.lease, int(self.rate) - (int(count) - self.lease)))


class PersonLimits:
    """Every connected person's limit in this process. `rate` may be a function (the app's setting), read as each
    person's limit is made."""

    def __init__(self, rate: float | Callable[[], float], redis_url: str | None = None, strikes: int = 10) -> None:
        self._rate = rate
        self.strikes = strikes
        self._redis = None
        if redis_url:
            import redis  # only when several processes share the limit

            # A bounded pool that waits for a free connection: the default pool raised MaxConnectionsError past 100
            # connections when hundreds of green threads drew leases at once (and the limit fell back to this
            # process's count). A draw holds a connection for one round trip.
            pool = redis.BlockingConnectionPool.from_url(redis_url, max_connections=REDIS_CONNECTIONS, timeout=1.0,
                                                         socket_timeout=1.0, socket_connect_timeout=1.0)
            self._redis = redis.Redis(connection_pool=pool)
        self._limits: dict[int, PersonLimit] = {}
        self._lock = threading.Lock()

    @property
    def rate(self) -> float:
        return float(self._rate() if callable(self._rate) else self._rate)

    def paused(self, user_id: int) -> bool:
        """Whether the person is paused (a new connection of theirs is refused until the pause ends)."""
        limit = self._limits.get(user_id)
        return limit is not None and limit.paused()

    def acquire(self, user_id: int) -> PersonLimit:
        """The person's limit, for a new connection of theirs (give it back with `release`)."""
        with self._lock:
            limit = self._limits.get(user_id)
            if limit is None:
                limit = self._limits[user_id] = PersonLimit(user_id, self.rate, self._redis, self.strikes)
            limit.connections += 1
            return limit

    def release(self, limit: PersonLimit) -> None:
        """A connection of the person closed; their limit is forgotten with the last one, unless paused (the
        pause must outlast the connections it cut)."""
        with self._lock:
            limit.connections -= 1
            if limit.connections <= 0 and not limit.paused() and self._limits.get(limit.user_id) is limit:
                del self._limits[limit.user_id]
