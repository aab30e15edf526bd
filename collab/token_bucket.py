"""The rate limit of socket connections (updates per second, collab/realtime/user_limits.py). HTTP writes are limited
by Flask-Limiter instead (collab/web/write_limit.py), so that processes sharing Redis share the count."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """`rate` tokens a second, holding at most `capacity` (by default `rate`: a burst of one second's worth).
    Full at first."""

    rate: float
    capacity: float = 0.0
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.capacity <= 0:
            self.capacity = self.rate
        if self.tokens < 0:
            self.tokens = self.capacity

    def take(self, now: float | None = None) -> bool:
        """Take a token if there is one."""
        now = time.monotonic() if now is None else now
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def seconds_until_token(self) -> float:
        """After a refused `take`: how long until the next would succeed."""
        return max(0.0, (1 - self.tokens) / self.rate)
