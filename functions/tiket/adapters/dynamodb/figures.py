"""The monthly report figures in DynamoDB (counters: ``tiket.domain.aggregates``).

A month's counters live under ``R#<yyyy-mm>`` as two kinds of item:

- ``total``: the month so far, all counters in one compressed attribute (``tally``: zlib'd
  JSON), with a ``version`` and the fresh items its last fold took in (``folded``). A
  year's report reads twelve of these, a few kilobytes each; thousands of counters read as
  one attribute cost what one attribute costs.
- ``f#<minute>#<shard>``: fresh counters. A ticket change adds its delta here with ``ADD``
  on top-level Number attributes, inside its own transaction (``DynamoTickets.write``),
  without reading anything: two changes never have to see each other's figures. The item
  of the minute of the change (``history.at``), of the ticket's shard
  (``crc32(number) % SHARDS``), also counts its writes (``_n``), carries the id its first
  write gave it (``born``: ``if_not_exists``) and sits in the ``due`` index
  (``due_pk = FIGURES``, ``due_sk = <minute>#<month>#<shard>``).

Every minute the sweep folds fresh items older than ``GRACE`` into their month's total
(``fold``): one transaction puts the new total (on the version it read) and deletes the
folded items (each on the ``_n`` it read). A change landing on a fresh item meanwhile
changes its ``_n``, so the transaction is cancelled and nothing is folded twice or lost; the
next sweep tries again. A month's figures are always its total plus its fresh items.

A change may commit long after its minute (a request held up by an outage) and land on a
fresh item already folded and deleted: the item is made again under the same key, maybe
with the same ``_n``; its new ``born`` tells it apart from the one the total folded, and the
next fold takes it in.

Contention. DynamoDB cancels a transaction that touches an item another transaction is
writing at that moment (reason ``TransactionConflict``). Changes of one minute meet on the
same fresh item one time in ``SHARDS``; a transaction cancelled by conflicts only wrote
nothing and is simply sent again (``with_conflict_retries``, jittered). A cancellation with
any other reason (a condition that failed: the ticket moved, a once-only record exists) is
the answer and never retried.

Counter names: the key's parts percent-encoded and joined by ``/``; ``_n``, ``pk``, ``sk``,
``due_pk`` and ``due_sk`` are not counters.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote

from botocore.exceptions import ClientError
from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import QueryError, TransactWriteError
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
    utc_key,
    wrap_error,
)
from tiket.domain.aggregates import Key, MonthDelta, Tally
from tiket.domain.errors import Unavailable
from tiket.domain.model import Ticket
from tiket.domain.vocabulary import OPEN_STATUSES, Status
from tiket.log import log_event

SHARDS = 4
GRACE = timedelta(minutes=2)  # fresh items this old are no longer being written to
# Waits before sending a transaction cancelled only by conflicts again (seconds, ±50%).
CONFLICT_DELAYS = (0.02, 0.04, 0.08, 0.16, 0.32)
FIGURES = "FIGURES"
TOTAL = "total"
COUNT = "_n"
BORN = "born"
_NOT_COUNTERS = frozenset({"pk", "sk", "due_pk", "due_sk", COUNT, BORN})
_SAFE = " @.,_-+:()'&!~*"
_FOLD_ITEMS = 99  # a transaction holds 100 items: the total and this many fresh ones
_jitter = secrets.SystemRandom()


class FigureItem(Model):
    """A fresh item: every attribute but these is a counter named by ``name_of``."""

    class Meta(TableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    due_pk = UnicodeAttribute(null=True)
    due_sk = UnicodeAttribute(null=True)
    born = UnicodeAttribute(null=True)


def name_of(key: Key) -> str:
    return "/".join(quote(part, safe=_SAFE) for part in key)


def key_of(name: str) -> Key:
    return tuple(unquote(part) for part in name.split("/"))


def month_pk(month: str) -> str:
    return f"R#{month}"


def shard_of(number: str) -> int:
    return zlib.crc32(number.encode()) % SHARDS


def minute_of(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M")


def add_to_transaction(tx: TransactWrite, number: str, delta: MonthDelta, at: datetime) -> None:
    """The ``ADD`` update of one ticket change, inside its transaction."""
    minute, shard = minute_of(at), shard_of(number)
    actions: list[Action] = [
        FigureItem.due_pk.set(FIGURES),
        FigureItem.due_sk.set(f"{minute}#{delta.month}#{shard}"),
        FigureItem.born.set(FigureItem.born | secrets.token_hex(8)),
        Path([COUNT]).add(1),
        *(Path([name_of(key)]).add(n) for key, n in delta.counts.items()),
    ]
    tx.update(FigureItem(month_pk(delta.month), f"f#{minute}#{shard}"), actions=actions)


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


def encode(tally: Mapping[Key, int]) -> bytes:
    named = {name_of(key): n for key, n in sorted(tally.items()) if n}
    return zlib.compress(json.dumps(named, separators=(",", ":")).encode(), 6)


def decode(data: bytes) -> Tally:
    return Counter({key_of(name): int(n) for name, n in json.loads(zlib.decompress(data)).items()})


def _stamp(item: Mapping[str, Any]) -> str:
    """A fresh item as it was: its key, its first write's id and its write count (items
    written before ``born`` existed: key and count)."""
    born = item.get(BORN, {}).get("S")
    return f"{item['sk']['S']}@{item[COUNT]['N']}" + (f"@{born}" if born else "")


def _counters(item: Mapping[str, Any]) -> Tally:
    return Counter(
        {key_of(name): int(value["N"]) for name, value in item.items() if name not in _NOT_COUNTERS}
    )


class DynamoFigures:
    def __init__(self, table: Table):
        self.table = table

    # --- reads ---------------------------------------------------------------------------

    def _items(self, month: str) -> Iterator[dict[str, Any]]:
        request: dict[str, Any] = {
            "TableName": self.table.name,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": month_pk(month)}},
            "ConsistentRead": True,
        }
        while True:
            page = _call(self.table.client.query, **request)
            yield from page["Items"]
            if "LastEvaluatedKey" not in page:
                return
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def month(self, month: str) -> Tally:
        """The total and the fresh items. A Query is not isolated from a fold committing
        while it reads (fresh items come first, then the total): a fresh item that the
        total it then read says it folded (``folded``: ``sk@_n``) is counted once."""
        tally: Tally = Counter()
        fresh: dict[str, Tally] = {}
        for item in self._items(month):
            if item["sk"]["S"] == TOTAL:
                tally.update(decode(item["tally"]["B"]))
                for folded in item.get("folded", {}).get("SS", ()):
                    fresh.pop(folded, None)
            else:
                fresh[_stamp(item)] = _counters(item)
        for counters in fresh.values():
            tally.update(counters)
        return Counter({key: n for key, n in tally.items() if n})

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
        """Only tickets with a step that can be running: a resolved ticket awaiting its
        survey reminder is due too, but has nothing late to add (filtered by DynamoDB)."""
        condition = TicketItem.due_sk <= utc_key(now) + "~"
        running = TicketItem.status.is_in(*(str(s) for s in OPEN_STATUSES if s != Status.ON_HOLD))
        items = TicketItem.due_index.query("TICKET", condition, filter_condition=running)
        try:
            return [ticket_from(item) for item in items]
        except QueryError as error:
            raise wrap_error(error) from error

    # --- the total -----------------------------------------------------------------------

    def _total_put(
        self,
        month: str,
        tally: Mapping[Key, int],
        version: int,
        folded: list[dict[str, Any]],
    ) -> dict[str, Any]:
        item: dict[str, Any] = {
            "pk": {"S": month_pk(month)},
            "sk": {"S": TOTAL},
            "tally": {"B": encode(tally)},
            "version": {"N": str(version + 1)},
        }
        if folded:
            item["folded"] = {"SS": [_stamp(fresh) for fresh in folded]}
        put: dict[str, Any] = {"TableName": self.table.name, "Item": item}
        if version:
            put["ConditionExpression"] = "version = :v"
            put["ExpressionAttributeValues"] = {":v": {"N": str(version)}}
        else:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        return {"Put": put}

    def _delete(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self.table.name,
                "Key": {"pk": item["pk"], "sk": item["sk"]},
                "ConditionExpression": "#n = :n",
                "ExpressionAttributeNames": {"#n": COUNT},
                "ExpressionAttributeValues": {":n": item[COUNT]},
            }
        }

    def _total(self, month: str) -> tuple[Tally, int]:
        answer = _call(
            self.table.client.get_item,
            TableName=self.table.name,
            Key={"pk": {"S": month_pk(month)}, "sk": {"S": TOTAL}},
            ConsistentRead=True,
        )
        item = answer.get("Item")
        if item is None:
            return Counter(), 0
        return decode(item["tally"]["B"]), int(item["version"]["N"])

    def fold(self, now: datetime) -> int:
        """Fold the fresh items older than ``GRACE`` into their months' totals (the sweep,
        every minute). Returns the fresh items folded; a fold that lost a race waits for
        the next sweep."""
        request: dict[str, Any] = {
            "TableName": self.table.name,
            "IndexName": "due",
            "KeyConditionExpression": "due_pk = :p AND due_sk < :cutoff",
            "ExpressionAttributeValues": {
                ":p": {"S": FIGURES},
                ":cutoff": {"S": minute_of(now - GRACE)},
            },
        }
        by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item in _call(self.table.client.query, **request)["Items"]:
            by_month[item["pk"]["S"].removeprefix("R#")].append(item)
        folded = 0
        for month, items in by_month.items():
            for start in range(0, len(items), _FOLD_ITEMS):
                folded += self._fold(month, items[start : start + _FOLD_ITEMS])
        return folded

    def _fold(self, month: str, items: list[dict[str, Any]]) -> int:
        # The index is read eventually: each fresh item is read again, consistently.
        fresh = []
        for item in items:
            current = _call(
                self.table.client.get_item,
                TableName=self.table.name,
                Key={"pk": item["pk"], "sk": item["sk"]},
                ConsistentRead=True,
            ).get("Item")
            if current is not None:
                fresh.append(current)
        if not fresh:
            return 0
        total, version = self._total(month)
        for item in fresh:
            total.update(_counters(item))
        actions = [self._total_put(month, total, version, fresh), *map(self._delete, fresh)]
        try:
            _call(self.table.client.transact_write_items, TransactItems=actions)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            log_event("figures fold deferred", logging.INFO, month=month)
            return 0
        return len(fresh)

    def replace(self, month: str, tally: Tally) -> None:
        """The month's total set to a recount and its fresh items dropped, in one
        transaction (``tiket reports rebuild`` reads again when a change raced it)."""
        items = list(self._items(month))
        fresh = [item for item in items if item["sk"]["S"] != TOTAL]
        version = next((int(item["version"]["N"]) for item in items if item["sk"]["S"] == TOTAL), 0)
        first, rest = fresh[:_FOLD_ITEMS], fresh[_FOLD_ITEMS:]
        actions = [self._total_put(month, tally, version, first), *map(self._delete, first)]
        _call(self.table.client.transact_write_items, TransactItems=actions)
        for start in range(0, len(rest), 100):
            chunk = [self._delete(item) for item in rest[start : start + 100]]
            _call(self.table.client.transact_write_items, TransactItems=chunk)

    def add(self, month: str, tally: Mapping[Key, int]) -> None:
        """Bulk additions (imports): straight into the total, on its version."""
        for _ in range(10):
            total, version = self._total(month)
            total.update(tally)
            try:
                _call(
                    self.table.client.transact_write_items,
                    TransactItems=[self._total_put(month, total, version, [])],
                )
                return
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                    raise
        raise Unavailable()


def _call(operation: Any, **request: Any) -> Any:
    try:
        return operation(**request)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in THROTTLING:
            raise Unavailable() from error
        raise
