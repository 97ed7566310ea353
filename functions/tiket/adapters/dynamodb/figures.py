"""The monthly report figures in DynamoDB (counters: ``tiket.domain.aggregates``).

A month's counters live on a few items under ``R#<yyyy-mm>``: ``c#<shard>`` holds the
small counters every change touches (status, steps, volume, SKM, history entries) and
``d#<shard>`` the distributions (duration buckets, per staff). Each counter is a top-level
Number attribute, so that a change adds to it with ``ADD`` in its own transaction
(``DynamoTickets.write``) without reading it: the month's figures are the sum over the
shards, whatever order changes land in.

Contention. DynamoDB cancels a transaction that touches an item another transaction is
writing at that moment (reason ``TransactionConflict``). A ticket's changes all go to one
shard (``crc32(number) % SHARDS``), so changes of different tickets meet on the same items
only one time in ``SHARDS``; when they do, the cancelled transaction wrote nothing and is
simply sent again (``conflicts_only`` / ``CONFLICT_DELAYS``, jittered). A cancellation with
any other reason (a condition that failed: the ticket moved, a once-only record exists) is
never retried: it is the answer. A year's report reads 12 months × 2 × ``SHARDS`` items.

Attribute names are the counter keys, each part percent-encoded and joined by ``/``.
"""

from __future__ import annotations

import secrets
import time
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

from botocore.exceptions import ClientError
from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import QueryError, TransactWriteError, UpdateError
from pynamodb.expressions.operand import Path
from pynamodb.expressions.update import Action
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from tiket.adapters.dynamodb.convert import ticket_from
from tiket.adapters.dynamodb.models import (
    THROTTLING,
    Table,
    TableMeta,
    TicketItem,
    query,
    utc_key,
    wrap_error,
)
from tiket.domain.aggregates import Key, MonthDelta, Tally
from tiket.domain.errors import Unavailable
from tiket.domain.model import Ticket

SHARDS = 4
# Families of counters kept on the distribution items (the rest on the counts items).
DISTRIBUTIONS = frozenset({"time", "staff", "staff_time", "staff_name"})
# Waits before sending a transaction cancelled only by conflicts again (seconds, ±50%).
CONFLICT_DELAYS = (0.02, 0.04, 0.08, 0.16, 0.32)
# An update expression is at most 4 KB: bulk additions go in slices of this many counters.
SLICE = 100
_SAFE = " @.,_-+:()'&!~*"
_KEYS = frozenset({"pk", "sk"})
_jitter = secrets.SystemRandom()


class FigureItem(Model):
    """Counters only: every attribute but the keys is a counter named by ``name_of``."""

    class Meta(TableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


def name_of(key: Key) -> str:
    return "/".join(quote(part, safe=_SAFE) for part in key)


def key_of(name: str) -> Key:
    return tuple(unquote(part) for part in name.split("/"))


def month_pk(month: str) -> str:
    return f"R#{month}"


def shard_of(number: str) -> int:
    return zlib.crc32(number.encode()) % SHARDS


def item_counts(counts: Mapping[Key, int]) -> dict[str, dict[str, int]]:
    """Counters by item kind (``c`` or ``d``), named."""
    kinds: dict[str, dict[str, int]] = {}
    for key, n in counts.items():
        kind = "d" if key[0] in DISTRIBUTIONS else "c"
        kinds.setdefault(kind, {})[name_of(key)] = n
    return kinds


def add_to_transaction(tx: TransactWrite, number: str, delta: MonthDelta) -> None:
    """The ``ADD`` updates of one ticket change, inside its transaction."""
    shard = shard_of(number)
    for kind, named in item_counts(delta.counts).items():
        item = FigureItem(month_pk(delta.month), f"{kind}#{shard}")
        tx.update(item, actions=[Path([name]).add(n) for name, n in named.items()])


def add_counts(month: str, shard: int, counts: Mapping[Key, int]) -> None:
    """Bulk additions (imports), outside any transaction, a slice per update."""
    for kind, named in item_counts(counts).items():
        item = FigureItem(month_pk(month), f"{kind}#{shard}")
        names = sorted(named)
        for start in range(0, len(names), SLICE):
            chosen = names[start : start + SLICE]
            actions: list[Action] = [Path([name]).add(named[name]) for name in chosen]
            try:
                item.update(actions=actions)
            except UpdateError as error:
                raise wrap_error(error) from error


def conflicts_only(error: TransactWriteError) -> bool:
    """Cancelled only because another transaction was writing one of its items."""
    codes = {r.code for r in error.cancellation_reasons if r is not None and r.code}
    return codes == {"TransactionConflict"}


def with_conflict_retries(write: Any) -> None:
    """Run ``write`` (one transaction) again while only conflicts cancel it."""
    for delay in (*CONFLICT_DELAYS, None):
        try:
            write()
            return
        except TransactWriteError as error:
            if delay is None or not conflicts_only(error):
                raise
            time.sleep(delay * _jitter.uniform(0.5, 1.5))


class DynamoFigures:
    def __init__(self, table: Table):
        self.table = table

    def _items(self, month: str) -> Iterator[dict[str, Any]]:
        client = self.table.client
        request: dict[str, Any] = {
            "TableName": self.table.name,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": month_pk(month)}},
            "ConsistentRead": True,
        }
        while True:
            page = _call(client.query, **request)
            yield from page["Items"]
            if "LastEvaluatedKey" not in page:
                return
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def month(self, month: str) -> Tally:
        tally: Tally = Counter()
        for item in self._items(month):
            for name, value in item.items():
                if name not in _KEYS:
                    tally[key_of(name)] += int(value["N"])
        return Counter({key: n for key, n in tally.items() if n})

    def replace(self, month: str, tally: Tally) -> None:
        """All of the month on shard 0, the other shards emptied, in one transaction (the
        sums are what counts: later changes add to their own shard as before)."""
        pk = month_pk(month)
        puts = {
            f"{kind}#0": {"pk": {"S": pk}, "sk": {"S": f"{kind}#0"}}
            | {name: {"N": str(n)} for name, n in named.items()}
            for kind, named in item_counts({k: n for k, n in tally.items() if n}).items()
        }
        stale = [item["sk"]["S"] for item in self._items(month) if item["sk"]["S"] not in puts]
        actions: list[dict[str, Any]] = [
            {"Put": {"TableName": self.table.name, "Item": item}} for item in puts.values()
        ]
        actions += [
            {"Delete": {"TableName": self.table.name, "Key": {"pk": {"S": pk}, "sk": {"S": sk}}}}
            for sk in stale
        ]
        if actions:
            _call(self.table.client.transact_write_items, TransactItems=actions)

    def month_tickets(
        self, year: int, month: int, after: str | None = None
    ) -> Iterator[tuple[str, Ticket]]:
        """Page by page (1 MB each): an export holds one page, whatever the month's size."""
        condition = None if after is None else TicketItem.month_sk > after
        pages = TicketItem.month_index.query(f"M#{year:04d}-{month:02d}", condition)
        try:
            for item in pages:
                yield item.month_sk or "", ticket_from(item)
        except QueryError as error:
            raise wrap_error(error) from error

    def past_due(self, now: datetime) -> list[Ticket]:
        condition = TicketItem.due_sk <= utc_key(now) + "~"
        return [ticket_from(item) for item in query(TicketItem.due_index, "TICKET", condition)]


def _call(operation: Any, **request: Any) -> Any:
    try:
        return operation(**request)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in THROTTLING:
            raise Unavailable() from error
        raise
