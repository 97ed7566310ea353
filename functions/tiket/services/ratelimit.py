"""Fixed-window rate limits kept in DynamoDB, so they hold across Lambda instances."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiket.adapters.store import token_hash
from tiket.domain.errors import RateLimited

if TYPE_CHECKING:
    from tiket.services.context import Services


class RateLimiter:
    def __init__(self, services: Services):
        self.s = services

    def check(self, scope: str, key: str) -> None:
        """Count one request of ``key`` (an address, an email) in ``scope``; raise
        ``RateLimited`` past the limit. A limit of 0 requests switches the scope off."""
        limit = self.s.settings.rate_limits.get(scope)
        if limit is None or limit.requests <= 0:
            return
        now = int(self.s.now().timestamp())
        window = now - now % limit.window_seconds
        count = self.s.store.hit_rate(scope, token_hash(key)[:32], window, limit.window_seconds)
        if count > limit.requests:
            raise RateLimited(retry_after=max(1, window + limit.window_seconds - now))
