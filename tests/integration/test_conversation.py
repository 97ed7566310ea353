"""The conversation over HTTP (PRODUCT.md §10): the requester's messages on the tracking
link, the staff's reply links and ticket page, each emailed to the other side and shown in
the thread; idempotency, bad input, closed tickets, rate limits, escaping."""

from __future__ import annotations

import re

import pytest

from tests.support import (
    ACTION_LINK,
    VALID_TICKET,
    follow,
    latest,
    sign_in,
    token_for,
    track_token,
)
from tiket.config import RateLimit
from tiket.domain.model import Staff
from tiket.services.links import ACTION_PURPOSE

JSON = {"Accept": "application/json"}
REQUESTER = VALID_TICKET["email"]
TIK1, TIK2 = "tik1@example.go.id", "tik2@example.go.id"
MARKUP = '<script>alert("x")</script><b onmouseover=alert(1)>tebal</b> & "kutip"'


@pytest.fixture
def token(client, transport):
    """A filed ticket (TIK-2026-000001, status new); its tracking token."""
    assert client.post("/api/tickets", json=VALID_TICKET).status_code == 201
    return track_token(latest(transport, REQUESTER, "confirmation"))


@pytest.fixture
def taken(services, transport, token):
    """The ticket acknowledged by tik1; the tracking token."""
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    return token


def post(client, token, text, key=None, **body):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/track/{token}/messages", json={"text": text, **body}, headers=headers)


def reply_token(services, transport, to=TIK1, kind="new_ticket"):
    return token_for(services, latest(transport, to, kind), "reply")


def test_a_requester_message_reaches_the_holder_with_a_reply_link(
    client, services, transport, taken
):
    transport.clear()
    response = post(client, taken, "Pesan error-nya 0x0000011b.\nLaptop di ruang 2.")
    assert response.status_code == 201
    posted = response.get_json()
    assert posted["from"] == "requester" and posted["name"] == VALID_TICKET["name"]
    assert posted["text"] == "Pesan error-nya 0x0000011b.\nLaptop di ruang 2."
    assert posted["attachments"] == [] and posted["via"] == "web"

    # Only the holder hears of it, with the text, a reply link and the links they may use.
    assert [(m.kind, m.to) for m in transport.sent] == [("requester_message", TIK1)]
    mail = transport.sent[0]
    assert mail.subject == (
        "[TIK-2026-000001] Pesan dari Ana Lestari (Pemohon): Printer tidak bisa mencetak"
    )
    assert "Laptop di ruang 2." in mail.text
    assert {
        services.signer.verify(ACTION_PURPOSE, t)["a"] for t in ACTION_LINK.findall(mail.text)
    } == {
        "diagnose",
        "cancel",
        "reply",
    }
    ticket = services.tickets.get("TIK-2026-000001")
    assert (ticket.requester_messages, ticket.staff_messages, ticket.status) == (
        1,
        0,
        "acknowledged",
    )
    assert services.tickets.history(ticket.number)[-1].action == "message"
    view = client.get(f"/api/track/{taken}").get_json()
    assert [m["id"] for m in view["messages"]] == [posted["id"]]


def test_before_anyone_takes_the_ticket_the_ict_pool_is_told(client, transport, token):
    transport.clear()
    assert post(client, token, "Ada tambahan info.").status_code == 201
    assert sorted(m.to for m in transport.sent) == [TIK1, TIK2]
    assert {m.kind for m in transport.sent} == {"requester_message"}


def test_a_staff_reply_from_the_email_link_reaches_the_requester(
    client, services, transport, taken
):
    link = reply_token(services, transport)
    shown = client.get(f"/actions/{link}", headers=JSON).get_json()
    assert shown["action"] == "reply" and shown["fields"] == ["text"]
    assert shown["recipient"] == {"name": "Andi Pratama", "role": "tik"}
    transport.clear()
    done = client.post(f"/actions/{link}", json={"text": "Apa pesan error-nya?"}, headers=JSON)
    assert done.status_code == 200
    body = done.get_json()
    assert body["ok"] is True and body["message"]["from"] == "staff"
    assert body["message"]["role"] == "tik" and body["message"]["name"] == "Andi Pratama"

    (mail,) = transport.sent
    assert (mail.kind, mail.to) == ("staff_message", REQUESTER)
    assert mail.subject.startswith("[TIK-2026-000001] Pesan dari Andi Pratama (Pengelola TIK)")
    assert "Apa pesan error-nya?" in mail.text
    assert f"/track.html#{taken}" in mail.text
    assert not ACTION_LINK.findall(mail.text)  # the requester gets no staff links

    # The link is not used up: a second message from it.
    again = client.post(f"/actions/{link}", json={"text": "Dan modelnya?"}, headers=JSON)
    assert again.status_code == 200
    view = client.get(f"/api/track/{taken}").get_json()
    assert [(m["from"], m["text"], m["role_label"]) for m in view["messages"]] == [
        ("staff", "Apa pesan error-nya?", "Pengelola TIK"),
        ("staff", "Dan modelnya?", "Pengelola TIK"),
    ]
    assert "email" not in view["messages"][0]  # no staff address on the requester's side
    assert services.tickets.get("TIK-2026-000001").staff_messages == 2


def test_every_staff_email_of_an_open_ticket_carries_a_reply_link(services, transport, taken):
    for mail in transport.sent:
        actions = [
            services.signer.verify(ACTION_PURPOSE, t)["a"] for t in ACTION_LINK.findall(mail.text)
        ]
        if mail.to == REQUESTER:
            assert actions == [], mail.kind
        else:
            assert actions.count("reply") == 1, mail.kind


def test_a_repeat_with_the_same_key_makes_one_message(client, services, transport, taken):
    first = post(client, taken, "Sekali saja", key="form-1")
    second = post(client, taken, "Sekali saja", key="form-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["id"] == second.get_json()["id"]
    assert len(services.tickets.messages("TIK-2026-000001")) == 1
    assert [m.kind for m in transport.sent].count("requester_message") == 1
    other = post(client, taken, "Teks lain", key="form-1")
    assert other.status_code == 422
    # Another key is another message.
    assert post(client, taken, "Sekali saja", key="form-2").status_code == 201
    assert services.tickets.get("TIK-2026-000001").requester_messages == 2


def test_the_reply_page_form_carries_one_key_so_a_double_click_posts_once(
    client, services, transport, taken
):
    link = reply_token(services, transport)
    page = client.get(f"/actions/{link}").get_data(as_text=True)
    (key,) = re.findall(r'name="idempotency_key" value="([^"]+)"', page)
    form = {"text": "Mohon bawa laptopnya ke ruang 2.", "idempotency_key": key}
    answers = [client.post(f"/actions/{link}", data=form) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert "Pesan terkirim ke Pemohon" in answers[1].get_data(as_text=True)
    assert len(services.tickets.messages("TIK-2026-000001")) == 1
    fresh = client.get(f"/actions/{link}").get_data(as_text=True)
    assert re.findall(r'name="idempotency_key" value="([^"]+)"', fresh) != [key]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": 5}, "text"),
        ({"text": "ok\x00"}, "text"),
        ({}, "text"),
        ({"text": "ok", "attachments": ["file-1"]}, "attachments.0"),
    ],
)
def test_bad_messages_are_400_with_a_field_and_change_nothing(client, services, taken, body, field):
    before = services.tickets.get("TIK-2026-000001")
    response = client.post(f"/api/track/{taken}/messages", json=body)
    assert response.status_code == 400
    assert field in response.get_json()["fields"]
    assert services.tickets.get("TIK-2026-000001") == before


def test_an_empty_attachment_list_is_accepted(client, taken):
    assert post(client, taken, "Tanpa lampiran", attachments=[]).status_code == 201


def test_bad_idempotency_key_is_400(client, taken):
    assert post(client, taken, "x", key="a" * 201).status_code == 400


def test_unknown_tracking_token_is_404(client, taken):
    assert post(client, "nope-" + "x" * 20, "Halo").status_code == 404


def test_messages_on_closed_or_cancelled_tickets_are_409(client, services, transport, taken):
    follow(services, transport, TIK1, "next_steps", "cancel", reason="Ganda")
    link = reply_token(services, transport)
    before = services.tickets.get("TIK-2026-000001")
    response = post(client, taken, "Masih ada?")
    assert response.status_code == 409
    assert response.get_json()["current_status"] == "cancelled"
    assert client.post(f"/actions/{link}", json={"text": "x"}, headers=JSON).status_code == 409
    assert services.tickets.get("TIK-2026-000001") == before
    view = client.get(f"/api/track/{taken}").get_json()
    assert view["messages"] == []


def test_requester_messages_are_rate_limited_per_ticket(aws, clock, transport):
    from tests.support import make_services
    from tiket.web.app import create_app

    limits = {"messages": RateLimit(2, 3600)}
    services = make_services(clock, transport, rate_limits=limits)
    client = create_app(services=services).test_client()
    client.post("/api/tickets", json=VALID_TICKET)
    token = track_token(latest(transport, REQUESTER, "confirmation"))
    assert [post(client, token, f"Pesan {i}").status_code for i in range(3)] == [201, 201, 429]
    assert len(services.tickets.messages("TIK-2026-000001")) == 2


def test_a_reply_link_of_another_ticket_is_403(client, services, transport):
    for subject in ("Pertama", "Kedua"):
        client.post("/api/tickets", json={**VALID_TICKET, "subject": subject})
    mails = [m for m in transport.sent if m.to == TIK1 and m.kind == "new_ticket"]
    first, second = (token_for(services, m, "reply") for m in mails)
    spliced = second[:-22] + first[-22:]  # ticket B's sealed payload, ticket A's tag
    assert client.get(f"/actions/{spliced}", headers=JSON).status_code == 403
    assert client.post(f"/actions/{spliced}", json={"text": "x"}, headers=JSON).status_code == 403
    assert services.tickets.messages("TIK-2026-000001") == []
    assert services.tickets.messages("TIK-2026-000002") == []


def test_reply_link_of_removed_staff_is_403_and_an_expired_one_410(
    client, services, transport, clock, taken
):
    link = reply_token(services, transport, to=TIK2)
    clock.advance(hours=72, seconds=1)
    assert client.post(f"/actions/{link}", json={"text": "x"}, headers=JSON).status_code == 410
    assert client.post(f"/actions/{link}/resend").status_code == 202
    fresh = reply_token(services, transport, to=TIK2, kind="fresh_link")
    services.staff.put(Staff(TIK2, "Siti Rahmawati", "tik", active=False))
    assert client.post(f"/actions/{fresh}", json={"text": "x"}, headers=JSON).status_code == 403
    assert services.tickets.messages("TIK-2026-000001") == []


def test_markup_is_escaped_in_pages_and_emails(client, services, transport, taken):
    assert post(client, taken, MARKUP).status_code == 201
    staff_mail = latest(transport, TIK1, "requester_message")
    assert MARKUP not in staff_mail.html and "&lt;script&gt;" in staff_mail.html
    assert MARKUP in staff_mail.text  # plain text is shown as typed, never run
    link = reply_token(services, transport)
    page = client.get(f"/actions/{link}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    client.post(f"/actions/{link}", json={"text": MARKUP}, headers=JSON)
    requester_mail = latest(transport, REQUESTER, "staff_message")
    assert "<script>alert" not in requester_mail.html
    # Other action pages show the thread too, escaped.
    diagnose = token_for(services, latest(transport, TIK1, "next_steps"), "diagnose")
    page = client.get(f"/actions/{diagnose}").get_data(as_text=True)
    assert "Percakapan" in page and "<b onmouseover" not in page
    # JSON carries the text as typed (the site writes it as text).
    assert client.get(f"/api/track/{taken}").get_json()["messages"][0]["text"] == MARKUP


def test_staff_write_from_the_ticket_page(app, services, transport, taken):
    client = app.test_client()
    url = "/api/staff/tickets/TIK-2026-000001/messages"
    assert client.post(url, json={"text": "x"}).status_code == 401
    sign_in(client, transport, "supervisor@example.go.id")
    transport.clear()
    response = client.post(url, json={"text": "Saya bantu cek."}, headers={"Idempotency-Key": "k"})
    assert response.status_code == 201
    posted = response.get_json()
    assert posted["role"] == "supervisor" and posted["email"] == "supervisor@example.go.id"
    assert [m.kind for m in transport.sent] == ["staff_message"]
    assert (
        client.post(
            url, json={"text": "Saya bantu cek."}, headers={"Idempotency-Key": "k"}
        ).status_code
        == 200
    )
    detail = client.get("/api/staff/tickets/TIK-2026-000001").get_json()
    assert [m["text"] for m in detail["messages"]] == ["Saya bantu cek."]
    assert (
        client.post("/api/staff/tickets/TIK-2026-999999/messages", json={"text": "x"}).status_code
        == 404
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_the_staff_endpoint_refuses_other_sites(app, services, transport, taken, headers):
    client = app.test_client()
    sign_in(client, transport, TIK1)
    url = "/api/staff/tickets/TIK-2026-000001/messages"
    assert client.post(url, json={"text": "x"}, headers=headers).status_code == 403
    ok = {"Origin": "https://tiket.example.go.id", "Sec-Fetch-Site": "same-origin"}
    assert client.post(url, json={"text": "x"}, headers=ok).status_code == 201
    assert len(services.tickets.messages("TIK-2026-000001")) == 1
