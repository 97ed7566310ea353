"""Staff search over every ticket, open or closed (PRODUCT.md §12): by number, requester,
words and period, through the month index (never a Scan)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import WIB
from tests.support import VALID_TICKET, resolve, sign_in

TIK1 = "tik1@example.go.id"


def search(client, **args) -> list[str]:
    response = client.get("/api/staff/tickets", query_string=args)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["count"] == len(body["tickets"])
    return [row["number"] for row in body["tickets"]]


@pytest.fixture
def tickets(services, transport, clock):
    """October: a resolved printer ticket; November: an open network one and a cancelled
    duplicate from another requester."""
    clock.set(datetime(2026, 10, 20, 9, 0, tzinfo=WIB))
    printer = services.intake.file({**VALID_TICKET, "subject": "Printer macet"}).number
    resolve(services, transport, diagnosis="Rol kertas aus", resolution="Rol diganti")
    clock.set(datetime(2026, 11, 30, 8, 0, tzinfo=WIB))
    network = services.intake.file(
        {**VALID_TICKET, "subject": "Wifi putus", "category": "network"}
    ).number
    clock.set(datetime(2026, 11, 30, 8, 30, tzinfo=WIB))
    other = {
        **VALID_TICKET,
        "name": "Bambang Wijaya",
        "email": "bambang@example.go.id",
        "nip": "199001012015011002",
        "subject": "Wifi putus juga",
    }
    duplicate = services.intake.file(other).number
    return {"printer": printer, "network": network, "duplicate": duplicate}


def test_closed_and_open_tickets_by_words_requester_status_and_period(
    client, services, transport, tickets, api_calls
):
    sign_in(client, transport, TIK1)
    api_calls.clear()
    # The default period: the last 90 days, newest first, every status.
    assert search(client) == [tickets["duplicate"], tickets["network"], tickets["printer"]]
    assert search(client, q="macet") == [tickets["printer"]]  # resolved, still found
    assert search(client, q="ROL KERTAS") == [tickets["printer"]]  # its diagnosis
    assert search(client, q="wifi") == [tickets["duplicate"], tickets["network"]]
    assert search(client, requester="bambang") == [tickets["duplicate"]]
    assert search(client, requester="198701012010012001") == [
        tickets["network"],
        tickets["printer"],
    ]
    assert search(client, status="done") == [tickets["printer"]]
    assert search(client, status="open") == [tickets["duplicate"], tickets["network"]]
    assert search(client, status="resolved") == [tickets["printer"]]
    assert search(client, **{"from": "2026-11-01", "to": "2026-11-30"}) == [
        tickets["duplicate"],
        tickets["network"],
    ]
    assert search(client, **{"from": "2026-10-01", "to": "2026-10-31"}) == [tickets["printer"]]
    # Days count, not only months: October is read, its 20th is left out.
    assert search(client, **{"from": "2026-10-21"}) == [tickets["duplicate"], tickets["network"]]
    # A number finds its ticket whatever the period.
    assert search(client, q=tickets["printer"].lower(), **{"from": "2026-11-01"}) == [
        tickets["printer"]
    ]
    assert search(client, q="TIK-2026-999999") == []
    assert "Scan" not in api_calls.operations()
    assert "Query" in api_calls.operations()

    row = client.get("/api/staff/tickets", query_string={"q": "macet"}).get_json()
    found = row["tickets"][0]
    assert (found["status"], found["requester_name"], found["holder_name"]) == (
        "resolved",
        "Ana Lestari",
        None,
    )
    assert found["resolved_at"].startswith("2026-10-20")
    assert (row["start"], row["end"]) == ("2026-09-02", "2026-11-30")  # 90 days to today


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"from": "2025-01-01", "to": "2026-11-30"}, "from"),  # over 12 months
        ({"from": "2026-12-01", "to": "2026-11-01"}, "from"),  # from after to
        ({"from": "30-11-2026"}, "from"),
        ({"to": "kemarin"}, "to"),
        ({"status": "lost"}, "status"),
        ({"q": "x" * 101}, "q"),
        ({"requester": "x" * 101}, "requester"),
    ],
)
def test_bad_searches_say_which_field(client, transport, args, field):
    sign_in(client, transport, TIK1)
    response = client.get("/api/staff/tickets", query_string=args)
    assert response.status_code == 400
    assert field in response.get_json()["fields"]


def test_search_needs_a_session(client):
    assert client.get("/api/staff/tickets").status_code == 401
