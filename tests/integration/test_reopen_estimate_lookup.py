"""Reopening a resolved ticket, the estimate told to the requester, lost-link recovery, and
the emails' headers and wording (PRODUCT.md §10, issue 11)."""

from __future__ import annotations

from datetime import datetime, timedelta
from email import policy
from email.parser import BytesParser
from zoneinfo import ZoneInfo

import pytest

from tests.support import (
    REPLY_DOMAIN,
    SIGNING_KEY,
    VALID_TICKET,
    follow,
    latest,
    make_services,
    resolve,
    token_for,
    track_token,
)
from tiket.adapters.mail.message import to_bytes, to_mime
from tiket.adapters.mail.reply_address import ReplyAddresses
from tiket.config import RateLimit
from tiket.domain.vocabulary import Step

WIB = ZoneInfo("Asia/Jakarta")
REQUESTER = VALID_TICKET["email"]
TIK1, RT1 = "tik1@example.go.id", "rt1@example.go.id"
ANSWERS = {f"u{i}": 4 for i in range(1, 10)}


@pytest.fixture
def token(client, transport):
    assert client.post("/api/tickets", json=VALID_TICKET).status_code == 201
    return track_token(latest(transport, REQUESTER, "confirmation"))


def reopen(client, token, reason="Printer masih macet setelah dicoba lagi."):
    return client.post(f"/api/track/{token}/reopen", json={"reason": reason})


# --- the estimate told ------------------------------------------------------------------------


def test_the_requester_is_told_the_expected_completion_of_handling(
    client, services, transport, token
):
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    follow(
        services,
        transport,
        TIK1,
        "next_steps",
        "diagnose",
        diagnosis="Driver rusak",
        decision="handle",
        estimate_minutes=150,
    )
    mail = latest(transport, REQUESTER, "estimate")
    # Monday 08:00 + 150 working minutes = 10:30 the same day.
    assert "perkiraan selesai Senin, 30 November 2026 pukul 10.30 WIB" in mail.text
    assert "2 jam 30 menit kerja" in mail.text
    assert mail.subject == "[TIK-2026-000001] Sedang ditangani: Printer tidak bisa mencetak"
    view = client.get(f"/api/track/{token}").get_json()
    assert view["handling_due_at"] == "2026-11-30T10:30:00+07:00"
    handle = services.tickets.get("TIK-2026-000001").step(Step.HANDLE)
    assert handle.due_at == datetime(2026, 11, 30, 10, 30, tzinfo=WIB)


def test_facilities_acceptance_tells_the_estimate_in_the_working_calendar(
    client, services, transport, clock
):
    clock.set(datetime(2026, 12, 4, 15, 50, tzinfo=WIB))  # a Friday
    client.post("/api/tickets", json=VALID_TICKET)
    token = track_token(latest(transport, REQUESTER, "confirmation"))
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    follow(services, transport, TIK1, "next_steps", "diagnose", diagnosis="Kabel", decision="refer")
    # At 16:00, 60 working minutes end on Monday at 08:00 (Friday closes at 16:30).
    clock.set(datetime(2026, 12, 4, 16, 0, tzinfo=WIB))
    follow(services, transport, RT1, "referral", "accept", estimate_minutes=60)
    mail = latest(transport, REQUESTER, "estimate")
    assert "perkiraan selesai Senin, 7 Desember 2026 pukul 08.00 WIB" in mail.text
    assert "1 jam kerja" in mail.text
    view = client.get(f"/api/track/{token}").get_json()
    assert view["handling_due_at"] == "2026-12-07T08:00:00+07:00"


# --- reopen ----------------------------------------------------------------------------------


def test_reopen_goes_back_to_the_holder_with_the_same_estimate(
    client, services, transport, token, clock
):
    resolve(services, transport)  # estimate 30 working minutes
    resolved = services.tickets.get("TIK-2026-000001")
    view = client.get(f"/api/track/{token}").get_json()
    assert view["reopen"]["open"] is True and view["reopen"]["until"] == view["survey"]["closes_at"]
    clock.advance(hours=1)
    transport.clear()
    response = reopen(client, token)
    assert response.status_code == 200
    assert response.get_json() == {
        "number": "TIK-2026-000001",
        "status": "in_progress",
        "status_label": "Dalam Penanganan",
    }
    ticket = services.tickets.get("TIK-2026-000001")
    assert ticket.holder() == TIK1 and ticket.reopens == 1
    assert ticket.resolved_at is None and ticket.resolution is None
    handle = ticket.step(Step.HANDLE)
    assert handle.open and handle.standard_minutes == 30
    assert handle.started_at == datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
    assert handle.due_at == datetime(2026, 11, 30, 9, 30, tzinfo=WIB)
    assert ticket.version == resolved.version + 1

    kinds = sorted((m.kind, m.to) for m in transport.sent)
    assert kinds == [("estimate", REQUESTER), ("reopened", TIK1)]
    holder_mail = latest(transport, TIK1, "reopened")
    assert "Printer masih macet setelah dicoba lagi." in holder_mail.text
    assert holder_mail.subject.startswith("[TIK-2026-000001] Dibuka kembali oleh Pemohon")
    token_for(services, holder_mail, "resolve")  # the holder can resolve again from it
    history = services.tickets.history("TIK-2026-000001")[-1]
    assert (history.action, history.from_status, history.to_status) == (
        "reopen",
        "resolved",
        "in_progress",
    )
    assert history.note == "Printer masih macet setelah dicoba lagi."
    view = client.get(f"/api/track/{token}").get_json()
    assert view["reopen"] == {"open": False, "until": None} and view["survey"]["open"] is False

    # Resolved again, then surveyed: closed, and no reopening after the survey.
    follow(services, transport, TIK1, "reopened", "resolve", resolution="Ganti toner")
    assert client.post(f"/api/track/{token}/survey", json={"answers": ANSWERS}).status_code == 201
    late = reopen(client, token)
    assert late.status_code == 409 and late.get_json()["current_status"] == "closed"


def test_reopen_on_the_facilities_path_returns_to_the_repair(client, services, transport, token):
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    follow(services, transport, TIK1, "next_steps", "diagnose", diagnosis="Kabel", decision="refer")
    follow(services, transport, RT1, "referral", "accept", estimate_minutes=45)
    follow(services, transport, RT1, "next_steps", "resolve", resolution="Kabel diganti")
    transport.clear()
    assert reopen(client, token).status_code == 200
    ticket = services.tickets.get("TIK-2026-000001")
    assert ticket.status == "in_repair" and ticket.holder() == RT1
    assert ticket.step(Step.HANDLE).standard_minutes == 45
    assert [m.to for m in transport.sent if m.kind == "reopened"] == [RT1]


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "x" * 501}, {"reason": 3}])
def test_reopen_needs_a_reason(client, services, transport, token, body):
    resolve(services, transport)
    before = services.tickets.get("TIK-2026-000001")
    response = client.post(f"/api/track/{token}/reopen", json=body)
    assert response.status_code == 400 and "reason" in response.get_json()["fields"]
    assert services.tickets.get("TIK-2026-000001") == before


def test_reopen_before_resolution_is_409_and_changes_nothing(client, services, token):
    before = services.tickets.get("TIK-2026-000001")
    response = reopen(client, token)
    assert response.status_code == 409
    assert "setelah selesai ditangani" in response.get_json()["message"]
    assert services.tickets.get("TIK-2026-000001") == before


def test_a_message_does_not_move_the_version_links_are_bound_to(client, services, transport, token):
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    diagnose = token_for(services, latest(transport, TIK1, "next_steps"), "diagnose")
    client.post(f"/api/track/{token}/messages", json={"text": "Tambahan"})
    answer = client.post(
        f"/actions/{diagnose}",
        json={"diagnosis": "d", "decision": "handle", "estimate_minutes": 30},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200


# --- lost-link recovery --------------------------------------------------------------------


def test_lookup_queues_the_link_only_when_number_and_email_match(
    client, services, transport, token
):
    transport.clear()
    pending_before = services.stores.outbox.due(services.clock.now() + timedelta(minutes=5))
    answers = [
        client.post("/api/track/lookup", json={"number": n, "email": e})
        for n, e in (
            ("TIK-2026-000001", "orang.lain@example.go.id"),
            ("TIK-2026-000999", REQUESTER),
            ("bukan-nomor", REQUESTER),
            ("tik-2026-000001", REQUESTER.upper()),
        )
    ]
    assert [a.status_code for a in answers] == [202] * 4
    assert len({a.get_data() for a in answers}) == 1  # one answer for every case
    assert transport.sent == []  # never sent inside the request
    queued = set(services.stores.outbox.due(services.clock.now())) - set(pending_before)
    assert len(queued) == 1
    record = services.stores.outbox.get(queued.pop())
    assert (record.mail.kind, record.mail.to) == ("track_link", REQUESTER)
    assert f"/track.html#{token}" in record.mail.text
    services.sweep.run()
    assert [m.kind for m in transport.sent] == ["track_link"]


@pytest.mark.parametrize("body", [{}, {"number": "TIK-2026-000001"}, {"email": REQUESTER}, []])
def test_lookup_needs_both_fields(client, token, body):
    assert client.post("/api/track/lookup", json=body).status_code == 400


def test_lookup_is_rate_limited_per_address_and_per_client(aws, clock, transport):
    from tiket.web.app import create_app

    limits = {"lookup": RateLimit(2, 3600), "lookup_ip": RateLimit(3, 3600)}
    services = make_services(clock, transport, rate_limits=limits)
    client = create_app(services=services).test_client()

    def ask(email, ip="198.51.100.7"):
        body = {"number": "TIK-2026-000001", "email": email}
        return client.post(
            "/api/track/lookup", json=body, environ_base={"REMOTE_ADDR": ip}
        ).status_code

    assert [ask("a@example.go.id") for _ in range(3)] == [202, 202, 429]
    assert ask("b@example.go.id") == 429  # the client's fourth ask
    assert ask("b@example.go.id", ip="198.51.100.8") == 202


# --- the emails -----------------------------------------------------------------------------


def test_ticket_emails_reply_to_a_signed_address_and_say_they_are_automatic(
    services, transport, token
):
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    book = ReplyAddresses([SIGNING_KEY], REPLY_DOMAIN)
    for mail in transport.sent:
        message = BytesParser(policy=policy.default).parsebytes(
            to_mime(mail, "TIKet <tiket@example.go.id>").as_bytes()
        )
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["X-Auto-Response-Suppress"] == "OOF, AutoReply"
        claim = book.verify(message["Reply-To"], services.clock.now())
        assert claim.number == "TIK-2026-000001" and claim.matches(mail.to)
        assert "dicatat sebagai pesan" in mail.text


def test_subjects_say_what_happened(services, transport, token):
    assert latest(transport, REQUESTER, "confirmation").subject == (
        "[TIK-2026-000001] Permohonan Anda diterima: Printer tidak bisa mencetak"
    )
    assert latest(transport, TIK1, "new_ticket").subject == (
        "[TIK-2026-000001] Permohonan baru dari Ana Lestari: Printer tidak bisa mencetak"
    )
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    assert latest(transport, REQUESTER, "acknowledged").subject.startswith(
        "[TIK-2026-000001] Diterima oleh Andi Pratama"
    )
    # On the wire, a subject just over 78 columns is not folded into " [TIK-…".
    for mail in transport.sent:
        wire = BytesParser(policy=policy.default).parsebytes(to_bytes(mail, "t@example.go.id"))
        assert wire["Subject"] == mail.subject


def test_the_survey_link_is_a_button(services, transport, token):
    resolve(services, transport)
    mail = latest(transport, REQUESTER, "resolved")
    assert "display:inline-block" in mail.html.split("Isi Survei Kepuasan Masyarakat")[0][-400:]
    assert "Masalah belum teratasi" in mail.text
