"""Deactivating a staff member (``tiket staff deactivate``) ends their access at once, on
the server: their open sessions, their unused sign-in link, their unused action and reply
links. Adding them back later does not revive a session from before."""

from __future__ import annotations

from tests.support import (
    SIGNIN_LINK,
    file_ticket,
    latest,
    sign_in,
    token_for,
)
from tiket.cli import add_staff, deactivate_staff

JSON = {"Accept": "application/json"}
TIK1, TIK2 = "tik1@example.go.id", "tik2@example.go.id"


def _unused_sign_in_token(client, transport) -> str:
    assert client.post("/api/auth/login", json={"email": TIK1}).status_code == 202
    client.application.extensions["tiket"].mailer.send_due()
    (token,) = SIGNIN_LINK.findall(latest(transport, TIK1, "login").text)
    return token


def test_deactivation_ends_sessions_and_unused_links_at_once(app, client, services, transport):
    assert file_ticket(client).status_code == 201
    number = services.tickets.open_tickets()[0].number
    new_ticket = latest(transport, TIK1, "new_ticket")
    ack, reply = (
        token_for(services, new_ticket, "acknowledge"),
        token_for(services, new_ticket, "reply"),
    )
    sign_in(client, transport, TIK1)
    assert client.get(f"/api/staff/tickets/{number}").status_code == 200
    other_browser = app.test_client()
    signin = _unused_sign_in_token(other_browser, transport)

    assert deactivate_staff(services.staff, TIK1, services.clock.now()) is not None

    assert client.get("/api/auth/me").status_code == 401
    assert client.get(f"/api/staff/tickets/{number}").status_code == 401
    assert other_browser.post("/api/auth/signin", json={"token": signin}).status_code == 403
    for token in (ack, reply):
        assert client.get(f"/actions/{token}", headers=JSON).status_code == 403
    acted = client.post(f"/actions/{ack}", json={}, headers=JSON)
    replied = client.post(f"/actions/{reply}", json={"text": "Sudah saya cek."}, headers=JSON)
    assert (acted.status_code, replied.status_code) == (403, 403)
    ticket = services.tickets.get(number)
    assert ticket.status == "new" and ticket.staff_messages == 0
    # The colleague's links are untouched.
    colleague = token_for(services, latest(transport, TIK2, "new_ticket"), "acknowledge")
    assert client.post(f"/actions/{colleague}", json={}, headers=JSON).status_code == 200


def test_adding_a_member_back_does_not_revive_an_old_session(app, client, services, transport):
    sign_in(client, transport, TIK1)
    stolen = client.get_cookie("tiket_session").value
    member = deactivate_staff(services.staff, TIK1, services.clock.now())
    services.clock.advance(minutes=1)
    assert add_staff(services.staff, member) is True  # active again
    thief = app.test_client()
    thief.set_cookie("tiket_session", stolen)
    assert thief.get("/api/auth/me").status_code == 401
    sign_in(client, transport, TIK1)  # a new sign-in works
    assert client.get("/api/auth/me").status_code == 200
