"""Per-key rate limits: a token bucket for each API key, refilled at the key's rate (requests a
second) up to a burst of twice that; a request finding the bucket empty is told how long to wait.

>>> clock = iter([0.0, 0.0, 0.0, 0.5]).__next__
>>> limiter = RateLimiter(clock)
>>> limiter.wait(key_id=1, rate=1.0), limiter.wait(key_id=1, rate=1.0), limiter.wait(key_id=1, rate=1.0)
(0.0, 0.0, 1.0)
>>> limiter.wait(key_id=1, rate=1.0)  # half a second later, half a token back: half a second more
0.5
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

BURST = 2.0  # a bucket holds this many seconds of a key's rate


class RateLimiter:
    """Token buckets by key id (in this process's memory)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[int, tuple[float, float]] = {}  # key id -> (tokens, when counted)
        self._lock = threading.Lock()

    def wait(self, key_id: int, rate: float) -> float:
        """0 when a request of `key_id` may go now (and it is counted), else the seconds until
        it may (and it is not counted). A rate of 0 or less is no limit."""
        if rate <= 0:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.get(key_id, (BURST * rate, now))
            tokens = min(BURST * rate, tokens + (now - then) * rate)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1.0 - tokens) / rate
