"""The staff API behind the queue and ticket pages: filters, order, detail, sign-in records."""

from __future__ import annotations

from tests.support import VALID_TICKET, follow, sign_in, token_for

TIK1, TIK2, RT1 = "tik1@example.go.id", "tik2@example.go.id", "rt1@example.go.id"


def queue(client, **filters) -> list[str]:
    response = client.get("/api/staff/queue", query_string=filters)
    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] == len(body["tickets"])
    return [row["number"] for row in body["tickets"]]


def test_queue_filters_and_orders_by_due_time(client, services, transport, clock):
    first = services.intake.file({**VALID_TICKET, "subject": "Satu"}).number
    clock.advance(minutes=1)
    second = services.intake.file({**VALID_TICKET, "subject": "Dua"}).number
    clock.advance(minutes=1)
    third = services.intake.file({**VALID_TICKET, "subject": "Tiga"}).number
    # tik1 takes the second ticket and refers it; the third waits for ICT staff.
    tokens = [m for m in transport.sent if m.ticket == second and m.to == TIK1]
    services.actions.perform(token_for(services, tokens[-1], "acknowledge"), {})
    follow(services, transport, TIK1, "next_steps", "diagnose", diagnosis="Kabel", decision="refer")
    follow(services, transport, TIK1, "new_ticket", "acknowledge")  # the newest: the third
    sign_in(client, transport, TIK1)

    # Ordered by the current step's due time: the first ticket's acknowledge step is due
    # first, the third's diagnosis next, the referred one's facilities acceptance last.
    assert queue(client) == [first, third, second]
    assert queue(client, status="referred") == [second]
    assert queue(client, assignee="me") == [third, second]  # still the referred one's assignee
    assert queue(client, assignee="pool") == [first, second]  # nobody holds them now
    assert queue(client, assignee=TIK2) == []
    assert queue(client, late="1") == []

    clock.advance(minutes=30)
    assert queue(client, late="1") == [first, third]
    row = client.get("/api/staff/queue").get_json()["tickets"][0]
    assert row["late"] is True and row["late_steps"] == ["acknowledge"]
    assert row["current_step"]["step"] == "acknowledge"
    assert (row["holder"], row["holder_name"]) == (None, None)
    third_row = client.get("/api/staff/queue").get_json()["tickets"][1]
    assert (third_row["holder"], third_row["holder_name"]) == (TIK1, "Andi Pratama")


def test_ticket_detail_for_staff(client, services, transport):
    number = services.intake.file(dict(VALID_TICKET)).number
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    # Any ICT member (not only the holder); facilities staff see referred tickets only.
    sign_in(client, transport, "tik2@example.go.id")
    detail = client.get(f"/api/staff/tickets/{number}").get_json()
    assert detail["requester_email"] == VALID_TICKET["email"]
    assert [h["action"] for h in detail["history"]] == ["create", "dispatch", "acknowledge"]
    assert detail["history"][2]["actor_email"] == TIK1
    assert "track_token" not in detail
    assert client.get("/api/staff/tickets/TIK-2026-999999").status_code == 404


def test_sign_ins_are_recorded(client, services, transport, clock):
    sign_in(client, transport, TIK2)
    clock.advance(hours=1)
    sign_in(client, transport, TIK2)
    assert services.staff.signins(TIK2) == [
        clock.now().replace(hour=8),
        clock.now(),
    ]


def test_staff_routes_need_a_session(client):
    for path in ("/api/staff/queue", "/api/staff/tickets/TIK-2026-000001", "/api/auth/me"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthenticated"
