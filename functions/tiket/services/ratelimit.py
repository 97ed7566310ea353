"""Fixed-window rate limits kept in the shared store, so they hold across Lambda instances."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Mapping

from tiket.config import RateLimit
from tiket.domain.errors import RateLimited
from tiket.services.ports import Clock, RateCounter


class RateLimiter:
    def __init__(self, counter: RateCounter, limits: Mapping[str, RateLimit], clock: Clock):
        self.counter = counter
        self.limits = limits
        self.clock = clock

    def allows(self, scope: str, key: str) -> bool:
        """Count one request; False past the limit (for limits that must not say so)."""
        try:
            self.check(scope, key)
        except RateLimited:
            return False
        return True

    def check(self, scope: str, key: str) -> None:
        """Count one request of ``key`` (an address, an email) in ``scope``; raise
        ``RateLimited`` past the limit. A limit of 0 requests switches the scope off."""
        limit = self.limits.get(scope)
        if limit is None or limit.requests <= 0:
            return
        now = int(self.clock.now().timestamp())
        window = now - now % limit.window_seconds
        # Keys are addresses: kept as a digest, never in clear.
        digest = hashlib.sha256(bucket(key).encode()).hexdigest()[:32]
        count = self.counter.hit(scope, digest, window, limit.window_seconds)
        if count > limit.requests:
            raise RateLimited(retry_after=max(1, window + limit.window_seconds - now))


def bucket(key: str) -> str:
    """Who is counted together: one IPv6 /64 (a household or phone gets a whole /64 and can
    rotate through it), one IPv4 address, one email address."""
    try:
        address = ipaddress.ip_address(key)
    except ValueError:
        return key.strip().lower()
    if address.version == 6 and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
