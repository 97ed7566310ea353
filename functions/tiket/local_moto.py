"""Making moto behave like DynamoDB under load, for the local stack, tests and benchmarks.
Never imported by the Lambda code.

Three gaps of moto 5 matter to TIKet:

1. Its DynamoDB backend is not thread-safe (a transaction copies a table while other threads
   write to it), so concurrent requests fail inside moto. DynamoDB applies each operation
   atomically: one moto call at a time gives the same semantics.
2. ``TransactWriteItems`` deep-copies the whole table, once per item of the transaction, to
   be able to roll back. Every ticket change is a transaction, so the cost of a click grew
   with the table (seconds, then gigabytes, at 100,000 tickets). The replacement below makes
   the same checks and writes, and undoes only the items it touched.
3. ``Query`` sorts every item of the table (comparing moto's attribute objects) before it
   looks at the key: at 100,000 tickets each query took over a second, whatever it read.
   DynamoDB reads one partition (one index key); so does the wrapper below, which hands
   moto's own query only the items of the queried key, and moto then does the rest as
   before (range conditions, order, pages, filters, projections).
"""

from __future__ import annotations

import copy
import inspect
import json
import secrets
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_MOTO_LOCK = threading.RLock()
_STOCK: dict[str, Any] = {}


def patch_moto() -> None:
    """Apply both fixes; idempotent."""
    from moto.core.botocore_stubber import BotocoreStubber
    from moto.dynamodb.models import DynamoDBBackend
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    for cls in (BotocoreStubber, DomainDispatcherApplication):
        original = cls.__call__
        if getattr(original, "serialized", False):
            continue

        def locked(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with _MOTO_LOCK:
                return _original(self, *args, **kwargs)

        setattr(locked, "serialized", True)  # noqa: B010 - a mark on a plain function
        setattr(cls, "__call__", locked)  # noqa: B010 - monkeypatching moto, on purpose
    if DynamoDBBackend.transact_write_items is not _transact_write_items:
        _STOCK["transact_write_items"] = DynamoDBBackend.transact_write_items
    setattr(DynamoDBBackend, "transact_write_items", _transact_write_items)  # noqa: B010
    from moto.dynamodb.models.table import Table

    if Table.query is not _partition_query:
        _STOCK["query"] = Table.query
    setattr(Table, "query", _partition_query)  # noqa: B010


def _partition_query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
    """moto's ``Table.query`` over the items of the queried key only (see the module doc)."""
    stock = _STOCK["query"]
    call = inspect.signature(stock).bind(self, hash_key, *args, **kwargs).arguments
    index_name = call.get("index_name")
    conditions = call.get("hash_key_conditions") or []
    every = (
        (item for part in self.items.values() for item in part.values())
        if self.range_key_attr
        else iter(self.items.values())
    )
    if index_name and conditions:
        wanted = [(name, value.type, value.value) for name, value in conditions]
        subset = []
        for item in every:  # a plain loop: this runs over every item of the table
            attrs = item.attrs
            for name, kind, value in wanted:
                found = attrs.get(name)
                if found is None or found.value != value or found.type != kind:
                    break
            else:
                subset.append(item)
    elif not index_name and hash_key is not None:
        part = self.items.get(hash_key)
        subset = [] if part is None else list(part.values()) if self.range_key_attr else [part]
    else:
        return stock(self, hash_key, *args, **kwargs)
    self.all_items = lambda: subset  # this call only: moto's query walks all_items()
    try:
        return stock(self, hash_key, *args, **kwargs)
    finally:
        del self.all_items


@contextmanager
def stock_transactions() -> Iterator[None]:
    """moto's own TransactWriteItems for a while (after ``patch_moto``): the tests run the
    transaction semantics the local stack relies on against both, so they cannot differ."""
    from moto.dynamodb.models import DynamoDBBackend

    patched = DynamoDBBackend.transact_write_items
    setattr(DynamoDBBackend, "transact_write_items", _STOCK["transact_write_items"])  # noqa: B010
    try:
        yield
    finally:
        setattr(DynamoDBBackend, "transact_write_items", patched)  # noqa: B010


@contextmanager
def stock_queries() -> Iterator[None]:
    """moto's own Query for a while (after ``patch_moto``): tests compare the two."""
    from moto.dynamodb.models.table import Table

    patched = Table.query
    setattr(Table, "query", _STOCK["query"])  # noqa: B010
    try:
        yield
    finally:
        setattr(Table, "query", patched)  # noqa: B010


def _transact_write_items(self, transact_items: list[dict[str, Any]]) -> None:
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    undo: list[tuple[str, dict, Any]] = []  # (table, key, the item before, or None)
    targets: set[tuple[str, str]] = set()
    errors: list[tuple[Any, Any, Any]] = []

    def rollback() -> None:
        for table_name, key, before in reversed(undo):
            if before is None:
                self.delete_item(table_name, key)
            else:
                self.put_item(table_name, before.to_json()["Attributes"])

    try:
        for entry in transact_items:
            if len(entry) > 1:
                raise TransactWriteSingleOpException
            op_type, op = next(iter(entry.items()))
            table_name = op["TableName"]
            if op_type == "Put":
                table = self.get_table(table_name)
                key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = op["Item"][table.range_key_attr]
            else:
                key = op["Key"]
            target = (table_name, str(sorted(key.items())))
            if target in targets:
                raise MultipleTransactionsException()
            targets.add(target)
            names = op.get("ExpressionAttributeNames")
            values = op.get("ExpressionAttributeValues")
            condition = op.get("ConditionExpression")
            current = self.get_item(table_name, key)
            try:
                if condition is not None and not get_filter_expression(
                    condition, names, values
                ).expr(current):
                    raise ConditionalCheckFailed()
                undo.append((table_name, key, copy.deepcopy(current)))
                if op_type == "Put":
                    self.put_item(table_name, op["Item"])
                elif op_type == "Delete":
                    self.delete_item(table_name, key)
                elif op_type == "Update":
                    self.update_item(
                        table_name,
                        key,
                        update_expression=op["UpdateExpression"],
                        expression_attribute_names=names,
                        expression_attribute_values=values,
                    )
                errors.append((None, None, None))
            except ConditionalCheckFailed as error:
                errors.append(("ConditionalCheckFailed", str(error.message), None))
            except MockValidationException:
                raise
            except Exception as error:  # noqa: BLE001 - reported as moto reports it
                errors.append((type(error).__name__, str(error), None))
    except (MultipleTransactionsException, MockValidationException):
        rollback()
        raise
    if any(code is not None for code, _, _ in errors):
        rollback()
        raise TransactionCanceledException(errors)


# --- faults on demand (the local stack's ``/_dev/faults``, for bench/load) -------------------


@dataclass
class FaultSwitch:
    """Outages the local stack can be told to have: SES refusing every send (throttled), and
    DynamoDB throttling a share of writes. Answered at the HTTP level, in moto's place, so
    botocore retries them as it would real ones."""

    ses_down: bool = False
    write_throttle: float = 0.0
    injected: Counter[str] = field(default_factory=Counter)


FAULTS = FaultSwitch()
WRITES = {"PutItem", "UpdateItem", "TransactWriteItems", "BatchWriteItem", "DeleteItem"}


def install_fault_switch() -> None:
    """Wrap moto's server app once; it answers normally until ``FAULTS`` says otherwise."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.__call__
    if getattr(original, "faults", False):
        return

    def faulty(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        fault = _fault_for(environ)
        if fault is None:
            return original(self, environ, start_response)
        FAULTS.injected[fault[0]] += 1
        status, error_type, body = fault[1]
        start_response(
            status,
            [("Content-Type", "application/json"), ("x-amzn-ErrorType", error_type)],
        )
        return [json.dumps(body).encode()]

    setattr(faulty, "faults", True)  # noqa: B010 - a mark on a plain function
    setattr(DomainDispatcherApplication, "__call__", faulty)  # noqa: B010


def _fault_for(environ: dict[str, Any]) -> tuple[str, tuple[str, str, dict]] | None:
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    path = environ.get("PATH_INFO", "")
    if FAULTS.ses_down and path.startswith("/v2/email/outbound-emails"):
        return "ses", ("429 Too Many Requests", "TooManyRequestsException", {"message": "down"})
    operation = target.rsplit(".", 1)[-1]
    if operation in WRITES and secrets.randbelow(10_000) < FAULTS.write_throttle * 10_000:
        code = "ProvisionedThroughputExceededException"
        body = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": "throttled"}
        return "dynamodb", ("400 Bad Request", code, body)
    return None
