"""A botocore call recorder that bills DynamoDB as on-demand capacity does.

Every call the code makes goes through it; DynamoDB calls are priced by the sizes of the
items they touch (DynamoDB's item-size rules), with index writes for each global secondary
index whose keys the item carries (all project every attribute), transactional writes at
twice the units, strongly consistent reads at one unit per 4 KB and eventually consistent
ones at half. Update sizes are the larger of the item before and after, as DynamoDB bills.
SES SendEmail calls are counted with their raw size.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from botocore.client import BaseClient

try:  # the store may live in adapters/dynamodb/ after the refactor
    from tiket.adapters.dynamodb.table import table_definition
except ImportError:
    from tiket.adapters.table import table_definition

INDEX_KEYS = [
    [k["AttributeName"] for k in index["KeySchema"]]
    for index in table_definition("x")["GlobalSecondaryIndexes"]
]


def value_size(value: dict[str, Any]) -> int:
    """Size of one attribute value in DynamoDB's JSON form, by DynamoDB's rules."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        digits = Decimal(inner).as_tuple().digits
        return (len(digits) + 1) // 2 + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(value_size({kind[0]: member}) for member in inner)
    if kind == "L":
        return 3 + sum(1 + value_size(member) for member in inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(v) for k, v in inner.items())
    raise ValueError(kind)


def item_size(item: dict[str, Any] | None) -> int:
    return sum(len(name.encode()) + value_size(value) for name, value in (item or {}).items())


def write_units(size: int) -> int:
    return max(1, math.ceil(size / 1024))


def read_units(size: int, consistent: bool) -> float:
    units = max(1, math.ceil(size / 4096))
    return units if consistent else units / 2


@dataclass
class Meter:
    write_units: float = 0
    read_units: float = 0
    calls: Counter[str] = field(default_factory=Counter)
    item_bytes: list[int] = field(default_factory=list)
    emails: list[int] = field(default_factory=list)  # raw sizes
    writes_by_kind: Counter[str] = field(default_factory=Counter)  # item kind (pk prefix)
    on: bool = True

    def install(self) -> None:
        original = BaseClient._make_api_call
        meter = self

        def metered(client, operation, params):
            service = client.meta.service_model.service_name
            if not meter.on or service not in ("dynamodb", "sesv2"):
                return original(client, operation, params)
            before = (
                meter._before(client, original, operation, params) if service == "dynamodb" else {}
            )
            response = original(client, operation, params)
            meter.calls[f"{service}.{operation}"] += 1
            if service == "sesv2" and operation == "SendEmail":
                meter.emails.append(len(params["Content"]["Raw"]["Data"]))
            elif service == "dynamodb":
                meter._bill(client, original, operation, params, response, before)
            return response

        BaseClient._make_api_call = metered

    # --- writes -----------------------------------------------------------------------------

    def _get(self, client, original, table: str, key: dict) -> dict | None:
        return original(
            client, "GetItem", {"TableName": table, "Key": key, "ConsistentRead": True}
        ).get("Item")

    def _writes(self, operation: str, params: dict) -> list[tuple[str, str, dict]]:
        """(kind, table, request) for each item a write touches."""
        if operation in ("PutItem", "UpdateItem", "DeleteItem"):
            return [(operation, params["TableName"], params)]
        if operation == "TransactWriteItems":
            found = []
            for entry in params["TransactItems"]:
                ((kind, request),) = entry.items()
                found.append((kind, request["TableName"], request))
            return found
        if operation == "BatchWriteItem":
            return [
                (
                    "Put" if "PutRequest" in r else "Delete",
                    table,
                    r.get("PutRequest") or r["DeleteRequest"],
                )
                for table, requests in params["RequestItems"].items()
                for r in requests
            ]
        return []

    def _key(self, kind: str, request: dict) -> dict:
        if "Key" in request:
            return request["Key"]
        return {k: v for k, v in request["Item"].items() if k in ("pk", "sk")}

    def _before(self, client, original, operation: str, params: dict) -> list[dict | None]:
        return [
            self._get(client, original, table, self._key(kind, request))
            for kind, table, request in self._writes(operation, params)
        ]

    def _bill(self, client, original, operation, params, response, before) -> None:
        writes = self._writes(operation, params)
        if writes:
            factor = 2 if operation == "TransactWriteItems" else 1
            for (kind, table, request), old in zip(writes, before, strict=True):
                if kind in ("ConditionCheck",):
                    self.read_units += 2 * read_units(item_size(old), True)
                    continue
                new = self._get(client, original, table, self._key(kind, request))
                size = max(item_size(old), item_size(new))
                self.item_bytes.append(item_size(new))
                units = factor * write_units(size)
                for keys in INDEX_KEYS:
                    had, has = (all(k in (i or {}) for k in keys) for i in (old, new))
                    moved = had and has and any(old[k] != new[k] for k in keys)
                    if had or has:
                        units += (2 if moved else 1) * write_units(size)
                self.write_units += units
                pk = self._key(kind, request)["pk"]["S"]
                self.writes_by_kind[pk.split("#", 1)[0]] += units
            return
        consistent = bool(params.get("ConsistentRead"))
        if operation == "GetItem":
            self.read_units += read_units(item_size(response.get("Item")), consistent)
        elif operation == "Query":
            total = sum(item_size(i) for i in response.get("Items", []))
            self.read_units += read_units(total, consistent)
        elif operation == "BatchGetItem":
            for items in response.get("Responses", {}).values():
                self.read_units += sum(read_units(item_size(i), consistent) for i in items)
