"""Personal data (PRODUCT.md §14), tried as a requester and an admin would, on DynamoDB
(moto) and in memory: the own page by emailed link, the export, the erasure request, the
admin's approval by email link, the tickets erased with their figures unchanged, and the
access log."""

from __future__ import annotations

import re

import pytest

from tests.support import MemoryTransport, file_ticket, make_services, sign_in, track_token
from tiket.adapters.memory import memory_stores
from tiket.domain.privacy import ERASED, email_key
from tiket.web.app import create_app

WIB_MONTH = "2026-11"
ANA = "ana.lestari@example.go.id"
ME_LINK = re.compile(r"/saya\.html#([A-Za-z0-9_.\-]+)")
ERASURE_LINK = re.compile(r"(/erasure/[A-Za-z0-9_.\-]+)")


@pytest.fixture(params=["moto", "memory"])
def services(request, aws, clock, transport):
    stores = memory_stores(clock.now().tzinfo) if request.param == "memory" else None
    return make_services(clock, transport, stores=stores)


@pytest.fixture
def app(services):
    app = create_app(services=services)
    app.testing = True
    return app


def me_token(transport: MemoryTransport, to: str) -> str:
    mails = [m for m in transport.sent if m.to == to and m.kind == "me_login"]
    (token,) = ME_LINK.findall(mails[-1].text)
    return token


def signed_in_requester(app, transport, email: str = ANA):
    requester = app.test_client()
    assert requester.post("/api/me/login", json={"email": email}).status_code == 202
    answer = requester.post("/api/me/signin", json={"token": me_token(transport, email)})
    assert answer.status_code == 200
    return requester


def test_the_requester_page_and_erasure_walkthrough(app, services, transport):
    client = app.test_client()
    first = file_ticket(client).get_json()
    second = file_ticket(client, subject="Wi-Fi putus", category="network").get_json()
    other = file_ticket(client, email="budi@example.go.id", name="Budi").get_json()
    tracked = [m for m in transport.sent if m.kind == "confirmation" and m.to == ANA]
    tokens = [track_token(m) for m in tracked]

    # Without the session: 401. A login for any address answers the same.
    assert client.get("/api/me/tickets").status_code == 401
    before = len(transport.sent)
    unknown = client.post("/api/me/login", json={"email": "nobody@example.go.id"})
    assert unknown.status_code == 202
    assert len(transport.sent) == before

    requester = signed_in_requester(app, transport)
    # The session cookie is the requester's own, short, and not the staff one.
    cookie = requester.get_cookie("tiket_saya", path="/api/me")
    assert cookie is not None and cookie.http_only and requester.get_cookie("tiket_session") is None
    # The link works once.
    again = client.post("/api/me/signin", json={"token": me_token(transport, ANA)})
    assert again.status_code == 409

    mine = requester.get("/api/me/tickets").get_json()
    assert {t["number"] for t in mine["tickets"]} == {first["number"], second["number"]}
    assert all(t["track_url"] and not t["erased"] for t in mine["tickets"])
    assert mine["erasure"] is None

    export = requester.get("/api/me/export")
    assert export.status_code == 200
    assert "attachment" in export.headers["Content-Disposition"]
    data = export.get_json()
    assert {t["requester"]["nip"] for t in data["tickets"]} == {"198701012010012001"}
    assert other["number"] not in {t["number"] for t in data["tickets"]}

    # A staff member reads a ticket: the read is logged.
    staff = app.test_client()
    sign_in(staff, transport, "tik1@example.go.id")
    assert staff.get(f"/api/staff/tickets/{first['number']}").status_code == 200

    asked = requester.post("/api/me/erasure", json={"reason": "Pindah instansi"})
    assert asked.status_code == 202
    request_id = asked.get_json()["erasure"]["id"]
    # A second request while one is pending: the same request, no second email to admin.
    repeat = requester.post("/api/me/erasure", json={})
    assert (repeat.status_code, repeat.get_json()["erasure"]["id"]) == (202, request_id)
    to_admin = [m for m in transport.sent if m.kind == "erasure_request"]
    assert [m.to for m in to_admin] == ["admin@example.go.id"]
    assert requester.get("/api/me/tickets").get_json()["erasure"]["id"] == request_id

    figures_before = services.stores.figures.month(WIB_MONTH)
    (link,) = {path for path in ERASURE_LINK.findall(to_admin[0].text)}
    page = client.get(link)
    assert page.status_code == 200 and ANA in page.get_data(as_text=True)
    as_json = {"Accept": "application/json"}
    approved = client.post(link, json={"decision": "approve"}, headers=as_json)
    assert approved.status_code == 200
    decided = approved.get_json()["request"]
    assert (decided["status"], decided["email"], decided["tickets"]) == ("approved", None, 2)
    assert client.post(link, json={"decision": "approve"}, headers=as_json).status_code == 409

    # Told by email before the address went; the tickets now show [dihapus].
    told = [m for m in transport.sent if m.kind == "erasure_approved"]
    assert [m.to for m in told] == [ANA]
    for token in tokens:
        view = client.get(f"/api/track/{token}").get_json()
        assert (view["status"], view["requester_name"]) == ("new", ERASED)
    detail = staff.get(f"/api/staff/tickets/{first['number']}").get_json()
    fields = ("requester_name", "requester_email", "requester_nip", "requester_phone")
    assert {detail[k] for k in fields} == {ERASED}
    assert set(detail["contact"].values()) == {None}
    history = detail["history"]
    assert history[-1]["action"] == "erase" and "Ana" not in str(history)
    untouched = staff.get(f"/api/staff/tickets/{other['number']}").get_json()
    assert untouched["requester_name"] == "Budi"

    # The figures did not move; the requester is no longer listed under their address.
    assert services.stores.figures.month(WIB_MONTH) == figures_before
    assert services.stores.privacy.requester_tickets(email_key(ANA)) == []
    assert requester.get("/api/me/tickets").get_json()["tickets"] == []

    # The access log: admin reads who read what; others may not.
    assert staff.get("/api/staff/access-log").status_code == 403
    admin = app.test_client()
    sign_in(admin, transport, "admin@example.go.id")
    log = admin.get(f"/api/staff/access-log?ticket={first['number']}").get_json()
    assert {(e["staff"], e["view"]) for e in log["entries"]} == {
        ("tik1@example.go.id", "staff_ticket")
    }
    csv = admin.get("/api/staff/access-log.csv?staff=tik1@example.go.id")
    assert csv.status_code == 200 and csv.content_type == "text/csv; charset=utf-8"
    header, *rows = csv.get_data(as_text=True).split("\r\n")
    assert header == "\ufeffwaktu;petugas;peran;tiket;tampilan"  # for Excel, as the exports
    assert any(f";{first['number']};" in row for row in rows)


def test_refusal_tells_the_requester_why_and_frees_a_new_request(app, services, transport):
    file_ticket(app.test_client())
    requester = signed_in_requester(app, transport)
    first = requester.post("/api/me/erasure", json={}).get_json()["erasure"]["id"]
    admin = app.test_client()
    sign_in(admin, transport, "admin@example.go.id")
    listed = admin.get("/api/staff/erasures").get_json()
    assert [r["id"] for r in listed["requests"]] == [first]
    no_reason = admin.post(f"/api/staff/erasures/{first}", json={"decision": "refuse"})
    assert no_reason.status_code == 400
    refused = admin.post(
        f"/api/staff/erasures/{first}", json={"decision": "refuse", "reason": "Masih diproses"}
    )
    assert refused.status_code == 200
    (told,) = [m for m in transport.sent if m.kind == "erasure_refused"]
    assert told.to == ANA and "Masih diproses" in told.text
    assert admin.get("/api/staff/erasures").get_json()["count"] == 0
    second = requester.post("/api/me/erasure", json={}).get_json()["erasure"]["id"]
    assert second != first


def test_a_forged_or_foreign_decision_link_changes_nothing(app, services, transport):
    file_ticket(app.test_client())
    requester = signed_in_requester(app, transport)
    requester.post("/api/me/erasure", json={})
    (mail,) = [m for m in transport.sent if m.kind == "erasure_request"]
    (link,) = set(ERASURE_LINK.findall(mail.text))
    assert app.test_client().post(link + "x", json={"decision": "approve"}).status_code == 403
    assert services.stores.privacy.requester_tickets(email_key(ANA)) != []
    expired = requester.post("/api/me/signin", json={"token": "forged"})
    assert expired.status_code == 403


def test_a_ticket_list_export_is_logged(app, services, transport):
    file_ticket(app.test_client())
    supervisor = app.test_client()
    sign_in(supervisor, transport, "supervisor@example.go.id")
    assert supervisor.get("/api/reports/tickets.csv?period=2026-11").status_code == 200
    admin = app.test_client()
    sign_in(admin, transport, "admin@example.go.id")
    log = admin.get("/api/staff/access-log?staff=supervisor@example.go.id").get_json()
    assert [(e["ticket"], e["view"]) for e in log["entries"]] == [("ekspor 2026-11", "export")]
    assert admin.get("/api/staff/access-log?from=2026-13-01").status_code == 400
    assert admin.get("/api/staff/access-log?from=2026-01-01&to=2026-11-30").status_code == 400
