"""Token buckets that keep every connector under the marketplace's published limits.

One bucket per (source, category): Wildberries shares one budget across all feedback/question
methods of a token (3 rps, burst 6), Ozon has a global 50 rps per Client-Id, Yandex Market limits
each method per hour. Buckets live in a ``BucketStore``; ``MemoryBucketStore`` keeps them in this
process (enough for one worker). For several machines a Redis-backed store implements the same two
methods atomically (a Lua script doing the same arithmetic on a hash ``{tokens, updated}``), so the
connectors need no change.

For an hourly limit L a plain bucket of capacity L refilled at L/3600 per second would allow up to
2L in a rolling hour; ``Limit.hourly`` therefore splits L between a small burst and the refill so that
burst + refill × 3600 ≤ L: the limit is never exceeded in any window.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Limit:
    rate: float  # tokens added per second
    burst: float  # bucket capacity

    @classmethod
    def per_second(cls, rps: float, burst: float | None = None) -> Limit:
        return cls(rate=rps, burst=burst if burst is not None else rps)

    @classmethod
    def hourly(cls, per_hour: int, burst_share: float = 0.05) -> Limit:
        burst = max(1.0, per_hour * burst_share)
        return cls(rate=(per_hour - burst) / 3600.0, burst=burst)


class BucketStore(Protocol):
    def take(self, key: str, limit: Limit, now: float) -> float:
        """Take one token; return 0 when taken, else seconds to wait before asking again."""

    def block(self, key: str, limit: Limit, until: float) -> None:
        """The server said 'slow down': no token for ``key`` before ``until``."""


class MemoryBucketStore:
    """In-process buckets (thread-safe). State: key → (tokens, last update, blocked until)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict[str, tuple[float, float, float]] = {}

    def take(self, key: str, limit: Limit, now: float) -> float:
        with self._lock:
            tokens, updated, blocked = self._state.get(key, (limit.burst, now, 0.0))
            if now < blocked:
                self._state[key] = (tokens, updated, blocked)
                return blocked - now
            tokens = min(limit.burst, tokens + (now - updated) * limit.rate)
            if tokens >= 1.0 - 1e-9:  # float tolerance: a refill that is exactly due must count
                self._state[key] = (max(0.0, tokens - 1.0), now, blocked)
                return 0.0
            self._state[key] = (tokens, now, blocked)
            return (1.0 - tokens) / limit.rate if limit.rate > 0 else 3600.0

    def block(self, key: str, limit: Limit, until: float) -> None:
        with self._lock:
            _tokens, _updated, blocked = self._state.get(key, (0.0, until, 0.0))
            # after a 429 the server's budget is spent: one request at ``until``, then the normal refill
            self._state[key] = (1.0, until, max(blocked, until))


class RateLimiter:
    """Blocks the caller until a token for (source, category) is available."""

    def __init__(
        self,
        store: BucketStore | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store or MemoryBucketStore()
        self._clock = clock
        self._sleep = sleep

    def acquire(self, key: str, limit: Limit | None) -> float:
        """Wait for one token; returns the seconds waited."""
        if limit is None:
            return 0.0
        waited = 0.0
        while True:
            wait = self.store.take(key, limit, self._clock())
            if wait <= 0:
                return waited
            self._sleep(wait)
            waited += wait

    def penalize(self, key: str, limit: Limit | None, seconds: float) -> None:
        if limit is not None:
            self.store.block(key, limit, self._clock() + max(0.0, seconds))
