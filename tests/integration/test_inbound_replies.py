"""Replies by email become messages (PRODUCT.md §10): real replies from common clients, the
drops that change nothing (forged, expired, strangers, machines, oversize, failed verdicts,
closed tickets), the production job reading S3, faults mid-way, and the local ways in."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.support import VALID_TICKET, latest, make_services, track_token
from tests.unit.test_inbound_mail import MACHINE, NEW_TEXT, _receipt
from tiket.adapters.mail.inbound import parse_inbound
from tiket.domain.errors import Unavailable
from tiket.domain.model import Staff

FIXTURES = Path(__file__).parent.parent / "fixtures" / "inbound"
ADDRESS = re.compile(rb"[a-z2-7]{56}@balas\.tiket\.example\.go\.id")
BUCKET = "tiket-test-inbound"
TIK1 = "tik1@example.go.id"
NUMBER = "TIK-2026-000001"


def file_for(services, email: str, name: str = "Ana Putri") -> str:
    return services.intake.file({**VALID_TICKET, "email": email, "name": name}).number


def reply_to(services, number: str, recipient: str) -> str:
    return services.reply_addresses.address(
        number, recipient, services.clock.now() + timedelta(days=60)
    )


def readdressed(name: str, address: str) -> bytes:
    """A fixture with its reply address (signed with another key) replaced by ``address``."""
    return ADDRESS.sub(address.encode(), (FIXTURES / name).read_bytes())


def mail(
    sender: str, to: str, body: str = "Sudah saya coba, masih error.", extra: str = ""
) -> bytes:
    return (
        f"From: Pengirim <{sender}>\r\nTo: TIKet <{to}>\r\n{extra}"
        f"Subject: Re: [{NUMBER}] Printer\r\n"
        f"Message-ID: <{hashlib.sha256(body.encode()).hexdigest()[:16]}@example.go.id>\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def snapshot(services, number: str):
    return (
        services.tickets.get(number),
        services.tickets.messages(number),
        services.tickets.history(number),
    )


def passed(address: str) -> dict:
    return {**_receipt(), "recipients": [address]}


@pytest.mark.parametrize("name", sorted(NEW_TEXT))
def test_a_reply_from_each_client_becomes_its_new_text(services, transport, name):
    sender = parse_inbound((FIXTURES / name).read_bytes()).sender
    number = file_for(services, sender)
    address = reply_to(services, number, sender)
    transport.clear()
    result = services.inbound.receive(readdressed(name, address), passed(address), f"ses:{name}")
    assert (result.posted, result.reason, result.ticket) == (True, "posted", number)
    (message,) = services.tickets.messages(number)
    assert message.text == NEW_TEXT[name]
    assert message.via == "email" and message.author.role == "requester"
    assert message.author.email == sender
    # Nobody holds the new ticket yet: the ICT pool hears of the reply.
    assert sorted((m.kind, m.to) for m in transport.sent) == [
        ("requester_message", TIK1),
        ("requester_message", "tik2@example.go.id"),
    ]


def test_a_staff_reply_by_email_reaches_the_requester(services, transport):
    number = file_for(services, VALID_TICKET["email"])
    address = reply_to(services, number, TIK1)
    transport.clear()
    raw = mail(TIK1, address, "Mohon bawa laptopnya ke ruang 2.")
    assert services.inbound.receive(raw, passed(address), "ses:1").reason == "posted"
    (message,) = services.tickets.messages(number)
    assert (message.author.name, message.author.role) == ("Andi Pratama", "tik")
    (sent,) = transport.sent
    assert (sent.kind, sent.to) == ("staff_message", VALID_TICKET["email"])
    assert services.tickets.get(number).staff_messages == 1


def test_the_envelope_recipient_counts_first(services):
    """A Bcc'd reply address is only in SES's recipients, never in the headers."""
    number = file_for(services, VALID_TICKET["email"])
    address = reply_to(services, number, VALID_TICKET["email"])
    raw = mail(VALID_TICKET["email"], "someone@example.go.id")
    assert services.inbound.receive(raw, passed(address), "ses:bcc").reason == "posted"


def test_a_retried_delivery_posts_once(services, transport):
    number = file_for(services, VALID_TICKET["email"])
    address = reply_to(services, number, VALID_TICKET["email"])
    raw = mail(VALID_TICKET["email"], address)
    results = [services.inbound.receive(raw, passed(address), "ses:same") for _ in range(3)]
    assert [r.reason for r in results] == ["posted", "duplicate", "duplicate"]
    assert len(services.tickets.messages(number)) == 1


def _forged(address: str) -> str:
    local, domain = address.split("@")
    return ("b" if local[20] != "b" else "c").join((local[:20], local[21:])) + "@" + domain


DROPS = {
    "forged": lambda s, n, a: (mail(VALID_TICKET["email"], _forged(a)), passed(_forged(a))),
    "stranger": lambda s, n, a: (mail("orang.lain@example.go.id", a), passed(a)),
    "spf-and-dkim-failed": lambda s, n, a: (
        mail(VALID_TICKET["email"], a),
        {**passed(a), "spfVerdict": {"status": "FAIL"}, "dkimVerdict": {"status": "FAIL"}},
    ),
    "spam": lambda s, n, a: (
        mail(VALID_TICKET["email"], a),
        {**passed(a), "spamVerdict": {"status": "FAIL"}},
    ),
    "virus": lambda s, n, a: (
        mail(VALID_TICKET["email"], a),
        {**passed(a), "virusVerdict": {"status": "FAIL"}},
    ),
    "dmarc": lambda s, n, a: (
        mail(VALID_TICKET["email"], a),
        {**passed(a), "dmarcVerdict": {"status": "FAIL"}},
    ),
    "auto-submitted": lambda s, n, a: (
        mail(VALID_TICKET["email"], a, extra="Auto-Submitted: auto-replied\r\n"),
        passed(a),
    ),
    "oversize": lambda s, n, a: (
        mail(VALID_TICKET["email"], a, "x" * (10 * 1024 * 1024)),
        passed(a),
    ),
    "only-the-quote": lambda s, n, a: (
        mail(VALID_TICKET["email"], a, "On Mon, 30 Nov 2026, TIKet wrote:\r\n> Halo"),
        passed(a),
    ),
    "no-reply-address": lambda s, n, a: (
        mail(VALID_TICKET["email"], "tiket@example.go.id"),
        {**passed(a), "recipients": ["tiket@example.go.id"]},
    ),
    "unknown-ticket": lambda s, n, a: (
        mail(VALID_TICKET["email"], reply_to(s, "TIK-2026-000999", VALID_TICKET["email"])),
        passed(reply_to(s, "TIK-2026-000999", VALID_TICKET["email"])),
    ),
    "not-mail": lambda s, n, a: (b"\x00\x01 not a mail at all", passed(a)),
}
REASONS = {
    "forged": "forged-address",
    "stranger": "stranger",
    "spf-and-dkim-failed": "unauthenticated",
    "spam": "spam",
    "virus": "virus",
    "dmarc": "dmarc",
    "auto-submitted": "auto-reply",
    "oversize": "inbound-too-large",
    "only-the-quote": "empty",
    "no-reply-address": "no-reply-address",
    "unknown-ticket": "unknown-ticket",
    "not-mail": "inbound-malformed",
}


@pytest.mark.parametrize("case", sorted(DROPS))
def test_drops_change_nothing(services, transport, caplog, case):
    number = file_for(services, VALID_TICKET["email"])
    address = reply_to(services, number, VALID_TICKET["email"])
    raw, receipt = DROPS[case](services, number, address)
    before = snapshot(services, number)
    transport.clear()
    result = services.inbound.receive(raw, receipt, "ses:drop")
    assert (result.posted, result.reason) == (False, REASONS[case])
    assert snapshot(services, number) == before
    assert transport.sent == []
    (line,) = [r for r in caplog.records if r.getMessage() == "inbound mail dropped"]
    assert line.fields["reason"] == REASONS[case]
    # The log line holds no address, token or text.
    logged = repr(line.fields)
    assert "@" not in logged and address.split("@")[0] not in logged


@pytest.mark.parametrize("name", sorted(MACHINE))
def test_out_of_office_replies_are_dropped(services, name):
    sender = parse_inbound((FIXTURES / name).read_bytes()).sender
    number = file_for(services, sender)
    address = reply_to(services, number, sender)
    before = snapshot(services, number)
    result = services.inbound.receive(readdressed(name, address), passed(address), "ses:ooo")
    assert result.reason == "auto-reply" and snapshot(services, number) == before


def test_former_staff_and_expired_addresses_are_dropped(services, clock):
    number = file_for(services, VALID_TICKET["email"])
    address = reply_to(services, number, TIK1)
    services.staff.put(Staff(TIK1, "Andi Pratama", "tik", active=False))
    before = snapshot(services, number)
    raw = mail(TIK1, address)
    assert services.inbound.receive(raw, passed(address), "ses:a").reason == "stranger"
    services.staff.put(Staff(TIK1, "Andi Pratama", "tik"))
    clock.advance(days=61)
    assert services.inbound.receive(raw, passed(address), "ses:b").reason == "expired-address"
    assert snapshot(services, number) == before


def test_replies_on_a_cancelled_ticket_are_dropped(services, transport):
    number = file_for(services, VALID_TICKET["email"])
    address = reply_to(services, number, TIK1)
    follow_cancel(services, transport, number)
    closed = snapshot(services, number)
    result = services.inbound.receive(mail(TIK1, address), passed(address), "ses:c")
    assert result.reason == "closed" and snapshot(services, number) == closed


def follow_cancel(services, transport, number):
    from tests.support import follow

    follow(services, transport, TIK1, "new_ticket", "cancel", reason="Ganda")
    assert services.tickets.get(number).status == "cancelled"


def test_cancelled_tickets_emails_carry_no_reply_address(services, transport):
    number = file_for(services, VALID_TICKET["email"])
    follow_cancel(services, transport, number)
    cancelled = latest(transport, VALID_TICKET["email"], "cancelled")
    assert cancelled.reply_to is None and "Mohon tidak membalas" in cancelled.text


# --- the production job: SES stored the mail in S3 and invoked the function ---------------


@pytest.fixture
def job(aws, clock, transport, monkeypatch):
    """The inbound job on services with a bucket; returns (services, deliver(raw, id))."""
    import tiket.jobs

    services = make_services(
        clock, transport, inbound_bucket=BUCKET, inbound_region="ap-southeast-3"
    )
    monkeypatch.setattr(tiket.jobs, "shared_services", lambda: services)
    s3 = boto3.client("s3", region_name="ap-southeast-3")
    s3.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"}
    )

    def deliver(raw: bytes | None, message_id: str, address: str):
        if raw is not None:
            s3.put_object(Bucket=BUCKET, Key=f"inbound/{message_id}", Body=raw)
        event = {
            "Records": [
                {
                    "eventSource": "aws:ses",
                    "eventVersion": "1.0",
                    "ses": {
                        "mail": {"messageId": message_id, "destination": [address]},
                        "receipt": passed(address),
                    },
                }
            ]
        }
        return tiket.jobs.inbound_mail(event, None)

    return services, deliver


def test_the_job_reads_the_stored_mail_and_posts_it_once(job):
    import tiket.jobs
    from tiket import handler

    assert handler._function(handler.INBOUND_MAIL) is tiket.jobs.inbound_mail
    services, deliver = job
    number = file_for(services, VALID_TICKET["email"])
    address = reply_to(services, number, VALID_TICKET["email"])
    raw = mail(VALID_TICKET["email"], address)
    assert deliver(raw, "m0001", address) == {"results": ["posted"]}
    assert deliver(None, "m0001", address) == {"results": ["duplicate"]}  # Lambda's retry
    assert len(services.tickets.messages(number)) == 1
    assert deliver(None, "m-gone", address) == {"results": ["missing-mail"]}
    big = mail(VALID_TICKET["email"], address, "x" * (10 * 1024 * 1024 + 1))
    assert deliver(big, "m-big", address) == {"results": ["inbound-too-large"]}
    assert len(services.tickets.messages(number)) == 1


@pytest.mark.parametrize(
    ("operation", "code", "status", "raised"),
    [
        ("GetObject", "InternalError", 500, ClientError),
        ("HeadObject", "SlowDown", 503, ClientError),
        ("TransactWriteItems", "ProvisionedThroughputExceededException", 400, Unavailable),
    ],
)
def test_a_fault_mid_way_loses_nothing_and_the_retry_posts_once(
    job, faults, operation, code, status, raised
):
    services, deliver = job
    number = file_for(services, VALID_TICKET["email"])
    address = reply_to(services, number, VALID_TICKET["email"])
    raw = mail(VALID_TICKET["email"], address)
    before = snapshot(services, number)
    faults.add(operation, code, status=status)
    with pytest.raises(raised):  # Lambda invokes the function again
        deliver(raw, "m-fault", address)
    faults.clear()
    assert snapshot(services, number) == before
    assert deliver(None, "m-fault", address) == {"results": ["posted"]}
    assert deliver(None, "m-fault", address) == {"results": ["duplicate"]}
    assert len(services.tickets.messages(number)) == 1


def test_when_ses_fails_after_the_message_the_email_waits_for_the_sweep(job, transport, clock):
    services, deliver = job
    number = file_for(services, VALID_TICKET["email"])
    address = reply_to(services, number, VALID_TICKET["email"])
    transport.clear()
    transport.throttle(times=2)  # both ICT staff emails fail at first
    assert deliver(mail(VALID_TICKET["email"], address), "m-ses", address)["results"] == ["posted"]
    assert transport.sent == [] and len(services.tickets.messages(number)) == 1
    clock.advance(minutes=5)
    services.sweep.run()
    assert sorted(m.to for m in transport.sent if m.kind == "requester_message") == [
        TIK1,
        "tik2@example.go.id",
    ]


# --- local: /_dev/inbound and var/inbox/ ----------------------------------------------------


def test_the_local_ways_in(aws, clock, transport, tmp_path):
    from tiket.local import take_inbox
    from tiket.web.app import create_app

    services = make_services(clock, transport, dev_routes=True)
    client = create_app(services=services).test_client()
    client.post("/api/tickets", json=VALID_TICKET)
    token = track_token(latest(transport, VALID_TICKET["email"], "confirmation"))
    address = reply_to(services, NUMBER, VALID_TICKET["email"])
    raw = mail(VALID_TICKET["email"], address, "Lewat dev route")
    answer = client.post("/_dev/inbound", data=raw, content_type="message/rfc822")
    assert answer.status_code == 202
    assert answer.get_json() == {"posted": True, "reason": "posted", "ticket": NUMBER}
    wrong = client.post("/_dev/inbound", data=raw, content_type="text/plain")
    assert wrong.status_code == 415

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.eml").write_bytes(mail(VALID_TICKET["email"], address, "Lewat folder"))
    (inbox / "b.eml").write_bytes(mail("orang.lain@example.go.id", address, "Siapa?"))
    assert take_inbox(services, inbox) == 2
    assert [p.name for p in (inbox / "done").iterdir()] == ["a.eml"]
    assert [p.name for p in (inbox / "dropped").iterdir()] == ["b.eml"]
    view = client.get(f"/api/track/{token}").get_json()
    assert [(m["text"], m["via"]) for m in view["messages"]] == [
        ("Lewat dev route", "email"),
        ("Lewat folder", "email"),
    ]
