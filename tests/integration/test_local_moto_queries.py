"""The local stack's partition-local Query (``tiket.local_moto``) answers exactly as moto's
own: same items, same order, same pages, for table and index queries alike."""

from __future__ import annotations

import boto3
import pytest

from tiket.adapters.dynamodb.table import table_definition
from tiket.local_moto import stock_queries

QUERIES = [
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "T#3"}}},
    {
        "KeyConditionExpression": "pk = :p AND begins_with(sk, :s)",
        "ExpressionAttributeValues": {":p": {"S": "T#3"}, ":s": {"S": "H#"}},
        "ScanIndexForward": False,
    },
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "none"}}},
    {
        "IndexName": "month",
        "KeyConditionExpression": "month_pk = :p AND month_sk > :a",
        "ExpressionAttributeValues": {":p": {"S": "M#2026-02"}, ":a": {"S": "0005"}},
    },
    {
        "IndexName": "month",
        "KeyConditionExpression": "month_pk = :p",
        "ExpressionAttributeValues": {":p": {"S": "M#2026-01"}, ":open": {"S": "new"}},
        "FilterExpression": "#s = :open",
        "ExpressionAttributeNames": {"#s": "status"},
        "Limit": 3,
    },
    {
        "IndexName": "due",
        "KeyConditionExpression": "due_pk = :p AND due_sk <= :now",
        "ExpressionAttributeValues": {":p": {"S": "TICKET"}, ":now": {"S": "0010"}},
    },
]


def every_page(client, query: dict) -> list:
    pages, request = [], {"TableName": "t", **query}
    while True:
        page = client.query(**request)
        pages.append((page["Items"], page.get("LastEvaluatedKey")))
        if "LastEvaluatedKey" not in page:
            return pages
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


@pytest.mark.parametrize("query", QUERIES)
def test_queries_answer_as_stock_moto(aws, query):
    client = boto3.client("dynamodb", region_name="ap-southeast-3")
    client.create_table(**table_definition("t"))
    for n in range(40):
        ticket = {
            "pk": {"S": f"T#{n % 7}"},
            "sk": {"S": f"H#{n:04d}" if n % 3 else "META"},
            "month_pk": {"S": f"M#2026-0{n % 2 + 1}"},
            "month_sk": {"S": f"{(n * 7) % 40:04d}"},
            "status": {"S": "new" if n % 4 else "closed"},
        }
        if n % 5:
            ticket |= {"due_pk": {"S": "TICKET"}, "due_sk": {"S": f"{n % 13:04d}"}}
        client.put_item(TableName="t", Item=ticket)
    patched = every_page(client, query)
    with stock_queries():
        assert every_page(client, query) == patched
    assert any(items for items, _ in patched) or query is QUERIES[2]
