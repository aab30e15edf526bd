"""How many document updates and posts a person may send a second, counted per person, not per connection.

Counted per connection, six connections of one member got six times the limit and stalled an honest co-editor.
Each person has one token bucket in each process, shared by all their connections there; with Redis configured
(several processes) they also draw from one counter per person per second in Redis, in leases of a few tokens
so that Redis is asked about once every `lease` updates, not on every keystroke. A person over the limit gets
`rate-limited` and sends again (the browser's provider does). If Redis cannot be reached, the per-process
limit still holds.

An update does not wait for Redis while its person keeps within the limit: leases are drawn ahead, in the
background, by one worker per process that asks for everyone's leases in one pipelined round trip
(`LeaseDrawer`), and each second's first lease is granted on credit, paid for by that second's first draw.
Drawing in the handler put a Redis round trip (0.2 ms on a quiet machine, tens of ms on a loaded one) before the
relay of every fifth update, and 250 round trips a second at 500 connections (docs/performance.md). The price:
when a person's count for the second is already spent by other processes, each process may grant its credit
before it hears so, so across P processes the limit holds to within P leases (a tenth of the rate each). An
update that finds the granted tokens used up waits for the draw that is out (at most `DRAW_TIMEOUT`)."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from collab.token_bucket import TokenBucket

log = logging.getLogger(__name__)


STRIKE_WINDOW = 10.0
PAUSE = 10.0  # seconds during which every update of a paused person is refused `rate-limited`, unread
DRAW_TIMEOUT = 1.0  # seconds an update waits for a lease before its process counts alone (Redis down or slow)
DRAWS_PER_ROUND_TRIP = 500
DRAWER_IDLE_SECONDS = 30.0  # without a draw, the worker ends (the next draw starts it again)


class PersonLimit:
    """One person's limit in this process (shared by their connections).

    Honest clients never send a malformed update; a broken or hostile one may send nothing else, and every such
    update costs the server a check (and, for the few that pass it but not yrs, a rebuild of the document's
    shadow). So after `strikes` malformed messages (COLLAB_MALFORMED_BEFORE_PAUSE) in STRIKE_WINDOW seconds the
    person is paused for PAUSE seconds: their updates and presence messages are refused before being read."""

    def __init__(self, user_id: int, rate: float, drawer: LeaseDrawer | None = None, strikes: int = 10) -> None:
        self.user_id = user_id
        self.strikes = strikes
        self.rate = rate
        self.bucket = TokenBucket(rate)
        self.presence = TokenBucket(rate)  # awareness messages (cursor moves), relayed to everyone in the room
        self.drawer = drawer
        self.lease = max(1, int(rate // 10))
        # The shared count in this second (`_window`): updates granted here; tokens the counter granted here; the
        # first lease, granted before the counter was asked (until that draw answers); a draw out (its answer is
        # set on the event); the counter saying the person's second is spent.
        self._window = -1
        self._used = self._granted = 0
        self._credit = False
        self._drawing: threading.Event | None = None
        self._spent = False
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
        return self.drawer is None or self._take_shared()

    def _take_shared(self) -> bool:
        window = int(time.time())
        if window != self._window:  # a new second: its first lease on credit, the draw that pays for it at once
            self._window, self._used, self._granted, self._credit, self._spent = window, 0, 0, True, False
            self._draw()
        while self._used >= self._allowed():
            if self._spent:
                return False
            drawing = self._drawing or self._draw()
            if not drawing.wait(DRAW_TIMEOUT):
                self.granted(window, drawing, self.lease, "Redis did not answer within a second")
            if window != self._window:
                return True  # the second ended while waiting: counted in the last one, as it arrived then
        self._used += 1
        if self._drawing is None and not self._spent and self._allowed() - self._used <= self.lease // 2:
            self._draw()  # running low: the next lease arrives before it is needed
        return True

    def _allowed(self) -> int:
        return self._granted + (self.lease if self._credit else 0)

    def _draw(self) -> threading.Event:
        """Ask the drawer for one more lease of this second; the event is set when it has answered."""
        drawing = self._drawing = threading.Event()
        self.drawer.request(self, self._window, drawing)  # type: ignore[union-attr]
        return drawing

    def granted(self, window: int, drawing: threading.Event, tokens: int, failure: str | None = None) -> None:
        """The answer to the draw `drawing` for second `window`: `tokens` of a lease (fewer: the person's second is
        spent). The second's first draw pays for its credit. `failure`: Redis could not be asked, so this process
        grants a lease by its own count. A draw answered already (timed out), or for a second gone, adds nothing."""
        if drawing.is_set():
            return
        if self._drawing is drawing:
            self._drawing = None
        if window == self._window:
            if failure:
                log.warning("the shared rate limit could not reach Redis (%s); counting in this process only", failure)
            self._granted += tokens
            self._credit = False
            self._spent = tokens < self.lease
        drawing.set()


class LeaseDrawer:
    """Draws leases from the people's counters in Redis for every PersonLimit of this process, in a background
    worker: every draw asked for since its last round trip goes in one pipeline (one round trip per hub pass at
    most, instead of one per draw, each from the waiting update's own green thread)."""

    def __init__(self, redis: Any) -> None:
        self._redis = redis
        # queue.Queue, not SimpleQueue: its waits are threading's, which eventlet makes green (SimpleQueue's are C).
        self._requests: queue.Queue[tuple[PersonLimit, int, threading.Event]] = queue.Queue()
        self._lock = threading.Lock()
        self._running = False

    def request(self, limit: PersonLimit, window: int, drawing: threading.Event) -> None:
        self._requests.put((limit, window, drawing))
        with self._lock:
            if not self._running:
                self._running = True
                threading.Thread(target=self._work, name="collab-lease-drawer", daemon=True).start()

    def _work(self) -> None:
        while True:
            try:
                batch = [self._requests.get(timeout=DRAWER_IDLE_SECONDS)]
            except queue.Empty:
                with self._lock:
                    if self._requests.empty():
                        self._running = False
                        return
                continue
            while len(batch) < DRAWS_PER_ROUND_TRIP:
                try:
                    batch.append(self._requests.get_nowait())
                except queue.Empty:
                    break
            self._draw(batch)

    def _draw(self, batch: list[tuple[PersonLimit, int, threading.Event]]) -> None:
        try:
            pipe = self._redis.pipeline(transaction=False)
            for limit, window, _ in batch:
                key = f"collab:updates:{limit.user_id}:{window}"
                pipe.incrby(key, limit.lease)
                pipe.expire(key, 3)
            counts = pipe.execute()[0::2]
        except Exception as exc:  # noqa: BLE001  (every waiting update is answered, whatever went wrong)
            log.debug("drawing %d leases failed", len(batch), exc_info=True)
            for limit, window, drawing in batch:
                limit.granted(window, drawing, limit.lease, f"{type(exc).__name__}: {exc}")
            return
        for (limit, window, drawing), count in zip(batch, counts, strict=True):
            limit.granted(window, drawing, max(0, min(limit.lease, int(limit.rate) - (int(count) - limit.lease))))


class PersonLimits:
    """Every connected person's limit in this process. `rate` may be a function (the app's setting), read as each
    person's limit is made."""

    def __init__(self, rate: float | Callable[[], float], redis_url: str | None = None, strikes: int = 10) -> None:
        self._rate = rate
        self.strikes = strikes
        self._drawer = None
        if redis_url:
            import redis  # only when several processes share the limit

            # One connection, for the drawer's round trips (a second only while one is being opened again).
            pool = redis.BlockingConnectionPool.from_url(redis_url, max_connections=2, timeout=1.0,
                                                         socket_timeout=1.0, socket_connect_timeout=1.0)
            self._drawer = LeaseDrawer(redis.Redis(connection_pool=pool))
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
                limit = self._limits[user_id] = PersonLimit(user_id, self.rate, self._drawer, self.strikes)
            limit.connections += 1
            return limit

    def release(self, limit: PersonLimit) -> None:
        """A connection of the person closed; their limit is forgotten with the last one, unless paused (the
        pause must outlast the connections it cut)."""
        with self._lock:
            limit.connections -= 1
            if limit.connections <= 0 and not limit.paused() and self._limits.get(limit.user_id) is limit:
                del self._limits[limit.user_id]
