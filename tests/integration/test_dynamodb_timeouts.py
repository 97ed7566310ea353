"""DynamoDB not answering at all (a read timeout, a dropped connection, after botocore's own
retries) is a 503 with Retry-After, like throttling, never a 500: found by the fault-load
bench (bench/load), where an overloaded table timed out reads and transactions and the
action links answered 500 (a timeout's cause has ``response = None``, which the error
mapping read as a dict). Nothing is half-written, and the same link works once it answers."""

from __future__ import annotations

import pytest
from botocore.client import BaseClient
from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

from tests.integration.test_faults import assert_unavailable
from tests.support import file_ticket, latest, table_items, token_for

JSON = {"Accept": "application/json"}
TIK = "tik1@example.go.id"
SILENCES = (
    lambda: ReadTimeoutError(endpoint_url="http://dynamodb"),
    lambda: ConnectionClosedError(endpoint_url="http://dynamodb"),
)


@pytest.fixture
def silent(monkeypatch):
    """``silent.add(operation)``: DynamoDB never answers that operation until cleared."""
    original = BaseClient._make_api_call
    state = {"operations": set(), "error": SILENCES[0]}

    def call(client, operation, params):
        if operation in state["operations"] and client.meta.service_model.service_name == (
            "dynamodb"
        ):
            raise state["error"]()
        return original(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", call)
    return state


@pytest.mark.parametrize("error", SILENCES, ids=["read-timeout", "connection-closed"])
def test_a_silent_table_is_503_on_reads_and_writes_and_the_link_works_after(
    client, services, transport, silent, error
):
    silent["error"] = error
    assert file_ticket(client).status_code == 201
    ack = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    before, sent = table_items(services), len(transport.sent)

    silent["operations"] = {"TransactWriteItems"}
    assert_unavailable(client.post(f"/actions/{ack}", json={}, headers=JSON))
    silent["operations"] = {"GetItem"}
    assert_unavailable(client.get(f"/actions/{ack}", headers=JSON))
    assert_unavailable(client.post(f"/actions/{ack}", data={}))  # the HTML form
    silent["operations"] = set()
    assert table_items(services) == before
    assert len(transport.sent) == sent

    done = client.post(f"/actions/{ack}", json={}, headers=JSON)
    assert done.status_code == 200 and done.get_json()["ticket"]["status"] == "acknowledged"
