"""POST /api/tickets and GET /api/track per PRODUCT.md §7, through moto."""

from __future__ import annotations

import json
import threading

import pytest

from tests.support import ALLOWED_ORIGIN, VALID_TICKET, file_ticket, track_token
from tiket.adapters.mail.message import to_mime


def test_health_and_options(client):
    assert client.get("/api/health").get_json() == {"status": "ok"}
    options = client.get("/api/options").get_json()
    assert {"code": "hardware", "label": "Perangkat keras (komputer, laptop, printer)"} in options[
        "categories"
    ]
    assert {k: v for k, v in options["standards"][1].items() if k in ("step", "minutes")} == {
        "step": "acknowledge",
        "minutes": 5,
    }
    assert [u["code"] for u in options["skm"]] == [f"u{i}" for i in range(1, 10)]


def test_filing_creates_ticket_history_and_emails(client, services, transport):
    response = file_ticket(client)
    assert response.status_code == 201
    body = response.get_json()
    assert body["number"] == "TIK-2026-000001"
    assert body["status"] == "new"
    assert body["track_url"] == f"https://tiket.example.go.id/track.html#{body['track_token']}"
    assert body["number"] not in body["track_token"]

    ticket = services.tickets.get(body["number"])
    assert ticket.requester.email == VALID_TICKET["email"]
    assert [h.action for h in services.tickets.history(body["number"])] == ["create", "dispatch"]

    kinds = sorted(transport.kinds())
    assert kinds == [
        ("confirmation", VALID_TICKET["email"]),
        ("new_ticket", "tik1@example.go.id"),
        ("new_ticket", "tik2@example.go.id"),
    ]
    subjects = {mail.to: mail.subject for mail in transport.sent}
    assert subjects[VALID_TICKET["email"]] == (
        "[TIK-2026-000001] Permohonan Anda diterima: Printer tidak bisa mencetak"
    )
    assert subjects["tik1@example.go.id"] == (
        "[TIK-2026-000001] Permohonan baru dari Ana Lestari: Printer tidak bisa mencetak"
    )
    confirmation = transport.to(VALID_TICKET["email"])[0]
    assert track_token(confirmation) == body["track_token"]
    # Staff get the full details; the requester is not sent staff links.
    staff_mail = transport.to("tik1@example.go.id")[0]
    assert VALID_TICKET["description"] in staff_mail.text
    assert "/actions/" in staff_mail.text and "/actions/" not in confirmation.text
    # Dispatch of the new-request email is recorded (SOP step 3/4 is measured on it).
    assert services.tickets.get(body["number"]).notified_at is not None


def test_track_shows_ticket_and_unknown_token_is_404(client):
    token = file_ticket(client).get_json()["track_token"]
    view = client.get(f"/api/track/{token}").get_json()
    assert view["status_label"] == "Baru"
    assert [s["step"] for s in view["steps"]] == ["notify", "acknowledge"]
    assert view["steps"][1]["due_at"] == "2026-11-30T08:05:00+07:00"
    assert view["history"][0]["action"] == "create"
    assert view["survey"] == {"open": False, "submitted": False, "closes_at": None}
    assert "requester_email" not in view and "track_token" not in view

    for forged in (
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        "x",
        "A" * 200,
        "TIK-2026-000001",
    ):
        response = client.get(f"/api/track/{forged}")
        assert response.status_code == 404
        assert response.get_json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", None, "Wajib diisi."),
        ("name", "   ", "Wajib diisi."),
        ("name", "x" * 101, "Maksimal 100 karakter."),
        ("email", "bukan-email", "Alamat email tidak valid."),
        ("email", None, "Wajib diisi."),
        ("nip", "12345", "NIP harus 18 digit angka."),
        ("nip", "19870101201001200X", "NIP harus 18 digit angka."),
        ("phone", "08-12/34", "Nomor telepon hanya boleh berisi angka, tanda +, dan spasi."),
        ("unit", None, "Wajib diisi."),
        ("location", "", "Wajib diisi."),
        ("category", "printer-rusak", "Pilih salah satu kategori yang tersedia."),
        ("category", None, "Wajib diisi."),
        ("subject", "s" * 151, "Maksimal 150 karakter."),
        ("subject", None, "Wajib diisi."),
        ("description", "d" * 5001, "Maksimal 5000 karakter."),
        ("description", None, "Wajib diisi."),
        ("subject", 12345, "Harus berupa teks."),
        ("name", ["Ana"], "Harus berupa teks."),
        ("description", {"x": 1}, "Harus berupa teks."),
        ("subject", "Halo\x00dunia", "Mengandung karakter yang tidak diizinkan."),
    ],
)
def test_each_validation_rule(client, services, transport, field, value, message):
    body = dict(VALID_TICKET)
    if value is None:
        body.pop(field)
    else:
        body[field] = value
    response = client.post("/api/tickets", json=body)
    assert response.status_code == 400
    payload = response.get_json()
    assert payload["error"] == "validation"
    assert payload["fields"] == {field: message}
    assert payload["message"]
    assert services.tickets.get("TIK-2026-000001") is None
    assert transport.sent == []


def test_limits_at_the_edge_are_accepted(client):
    response = file_ticket(client, name="n" * 100, subject="s" * 150, description="d" * 5000)
    assert response.status_code == 201


def test_optional_fields_may_be_absent_or_empty(client):
    body = {k: v for k, v in VALID_TICKET.items() if k not in ("nip", "phone", "asset_tag")}
    assert client.post("/api/tickets", json=body).status_code == 201
    assert file_ticket(client, nip="", phone="", asset_tag="").status_code == 201


def test_body_too_large_is_413(client, services):
    response = client.post(
        "/api/tickets",
        data=json.dumps({**VALID_TICKET, "description": "x" * 70_000}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"
    assert services.tickets.get("TIK-2026-000001") is None


@pytest.mark.parametrize(
    ("content_type", "data"),
    [("text/plain", json.dumps(VALID_TICKET)), ("application/x-www-form-urlencoded", "name=Ana")],
)
def test_not_json_is_415(client, content_type, data):
    response = client.post("/api/tickets", data=data, content_type=content_type)
    assert response.status_code == 415
    assert response.get_json()["error"] == "unsupported_media_type"


@pytest.mark.parametrize("data", [b"{not json", b'{"name": "Ana"', b"\xff\xfe{}", b""])
def test_malformed_json_is_400(client, data):
    response = client.post("/api/tickets", data=data, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


@pytest.mark.parametrize("data", ["[1, 2]", '"text"', "42", "null"])
def test_json_that_is_not_an_object_is_400(client, data):
    response = client.post("/api/tickets", data=data, content_type="application/json")
    assert response.status_code == 400


def test_unknown_fields_are_ignored_and_cannot_set_status_or_assignee(client, services):
    response = file_ticket(
        client, status="closed", assignee="tik1@example.go.id", number="TIK-1999-999999", version=9
    )
    assert response.status_code == 201
    ticket = services.tickets.get(response.get_json()["number"])
    assert (ticket.status, ticket.assignee, ticket.version) == ("new", None, 1)
    assert ticket.number == "TIK-2026-000001"


def test_idempotency_same_key_same_body_returns_same_ticket_without_second_email(client, transport):
    headers = {"Idempotency-Key": "b1e5a0c6-2f4d-4a51-9a7e-0f5c8d6a1e11"}
    first = client.post("/api/tickets", json=VALID_TICKET, headers=headers)
    sent = len(transport.sent)
    # The same content in another key order is the same request.
    again = client.post("/api/tickets", json=dict(reversed(VALID_TICKET.items())), headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json() == first.get_json()
    assert len(transport.sent) == sent


def test_idempotency_same_key_other_body_is_422(client, services):
    headers = {"Idempotency-Key": "key-1"}
    assert client.post("/api/tickets", json=VALID_TICKET, headers=headers).status_code == 201
    response = (
        file_ticket(client, subject="Lain")
        if False
        else client.post("/api/tickets", json={**VALID_TICKET, "subject": "Lain"}, headers=headers)
    )
    assert response.status_code == 422
    assert response.get_json()["error"] == "idempotency_mismatch"
    assert services.tickets.get("TIK-2026-000002") is None


def test_honeypot_looks_successful_but_stores_and_sends_nothing(client, services, transport):
    response = file_ticket(client, website="http://spam.example")
    assert response.status_code == 201
    body = response.get_json()
    assert body["number"].startswith("TIK-2026-") and body["status"] == "new"
    assert services.tickets.open_tickets() == []
    assert transport.sent == []
    assert client.get(f"/api/track/{body['track_token']}").status_code == 404


def test_cors_allows_only_the_configured_origins(client):
    allowed = client.options(
        "/api/tickets",
        headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "Idempotency-Key" in allowed.headers["Access-Control-Allow-Headers"]
    posted = (
        file_ticket(client)
        if False
        else client.post("/api/tickets", json=VALID_TICKET, headers={"Origin": ALLOWED_ORIGIN})
    )
    assert posted.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN

    for origin in ("https://evil.example", "null", "https://portal.example.go.id.evil.example"):
        refused = client.options(
            "/api/tickets", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
        )
        assert refused.status_code == 403
        assert "Access-Control-Allow-Origin" not in refused.headers
        got = client.get("/api/options", headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in got.headers
    assert (
        client.get("/api/options", headers={"Origin": "*"}).headers.get(
            "Access-Control-Allow-Origin"
        )
        is None
    )


def test_header_injection_is_neutralised(client, transport):
    response = file_ticket(
        client,
        name="Ana\r\nBcc: victim@example.com",
        subject="Rusak\r\nBcc: victim@example.com\r\nX-Evil: 1",
    )
    assert response.status_code == 201
    for mail in transport.sent:
        message = to_mime(mail, "TIKet <tiket@example.go.id>")
        assert message["Bcc"] is None and message["X-Evil"] is None
        assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
        assert message["Subject"].startswith("[TIK-2026-000001] ")
        assert message["Subject"].endswith(": Rusak Bcc: victim@example.com X-Evil: 1")
    header_email = client.post(
        "/api/tickets", json={**VALID_TICKET, "email": "ana@example.go.id\r\nBcc: x@y.z"}
    )
    assert header_email.status_code == 400
    assert header_email.get_json()["fields"]["email"] == "Alamat email tidak valid."


def test_html_in_fields_is_escaped_in_emails(client, transport):
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    file_ticket(client, subject=payload, description=payload, name=payload, unit=payload)
    for mail in transport.sent:
        assert "<script>" not in mail.html and "<img" not in mail.html
        assert "&lt;script&gt;" in mail.html
        assert payload in mail.text  # the text part carries it as typed


def test_concurrent_submissions_get_distinct_numbers(client, app, services, transport):
    count = 50
    numbers: list[str] = []
    errors: list[int] = []
    lock = threading.Lock()

    def submit(i: int) -> None:
        with app.test_client() as own:
            response = own.post("/api/tickets", json={**VALID_TICKET, "subject": f"Kendala {i}"})
        with lock:
            if response.status_code == 201:
                numbers.append(response.get_json()["number"])
            else:
                errors.append(response.status_code)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(numbers)) == count
    stored = [t.number for t in services.tickets.open_tickets()]
    assert sorted(stored) == sorted(numbers)
    tik_staff = len(services.staff.with_role("tik"))
    assert len(transport.sent) == count * (1 + tik_staff)


def test_only_requests_through_cloudfront_are_served_when_an_origin_secret_is_set(aws, transport):
    from tests.conftest import MONDAY_8
    from tests.support import make_services
    from tiket.adapters.clock import FixedClock
    from tiket.web.app import create_app

    secret = "cloudfront-origin-secret-0123456789abcdef"
    services = make_services(clock=FixedClock(MONDAY_8), transport=transport, origin_secret=secret)
    client = create_app(services=services).test_client()
    assert client.get("/api/health").status_code == 200  # Zappa's touch after deploy
    direct = client.post("/api/tickets", json=VALID_TICKET)
    assert direct.status_code == 403 and direct.get_json()["error"] == "forbidden"
    wrong = client.post("/api/tickets", json=VALID_TICKET, headers={"X-Tiket-Origin": "guess"})
    assert wrong.status_code == 403
    via_cloudfront = client.post(
        "/api/tickets", json=VALID_TICKET, headers={"X-Tiket-Origin": secret}
    )
    assert via_cloudfront.status_code == 201


def test_an_unusable_idempotency_key_is_a_clear_400(client, services):
    for key in ("k" * 201, "key\twith\ttabs"):
        response = client.post("/api/tickets", json=VALID_TICKET, headers={"Idempotency-Key": key})
        assert response.status_code == 400
        assert "Idempotency-Key" in response.get_json()["message"]
    assert services.tickets.open_tickets() == []
