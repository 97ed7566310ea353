"""Idempotency keys and rate-limit windows, in DynamoDB (shared by every Lambda instance)."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import UpdateError

from tiket.adapters.dynamodb.models import (
    IdempotencyItem,
    RateItem,
    get_item,
    token_hash,
    wrap_error,
)
from tiket.services.ports import IdempotencyRecord


class DynamoIdempotency:
    def get(self, key: str, now: datetime) -> IdempotencyRecord | None:
        item = get_item(IdempotencyItem, f"IDEM#{token_hash(key)}", "IDEM")
        if item is None or item.ttl < now.timestamp():  # TTL deletion lags: expired is free
            return None
        return IdempotencyRecord(item.body_hash, item.number, item.track_token)


class DynamoRateCounter:
    def hit(self, scope: str, key: str, window_start: int, window_seconds: int) -> int:
        """Count one request in a fixed window."""
        item = RateItem(f"RATE#{scope}#{key}", f"W#{window_start}")
        try:
            item.update(
                actions=[
                    RateItem.hits.add(1),
                    RateItem.ttl.set(window_start + window_seconds + 60),
                ]
            )
        except UpdateError as error:
            raise wrap_error(error) from error
        return int(item.hits)
