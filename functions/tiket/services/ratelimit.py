"""Fixed-window rate limits kept in the shared store, so they hold across Lambda instances."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from tiket.config import RateLimit
from tiket.domain.errors import RateLimited
from tiket.services.ports import Clock, RateCounter


class RateLimiter:
    def __init__(self, counter: RateCounter, limits: Mapping[str, RateLimit], clock: Clock):
        self.counter = counter
        self.limits = limits
        self.clock = clock

    def check(self, scope: str, key: str) -> None:
        """Count one request of ``key`` (an address, an email) in ``scope``; raise
        ``RateLimited`` past the limit. A limit of 0 requests switches the scope off."""
        limit = self.limits.get(scope)
        if limit is None or limit.requests <= 0:
            return
        now = int(self.clock.now().timestamp())
        window = now - now % limit.window_seconds
        # Keys are addresses: kept as a digest, never in clear.
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        count = self.counter.hit(scope, digest, window, limit.window_seconds)
        if count > limit.requests:
            raise RateLimited(retry_after=max(1, window + limit.window_seconds - now))
