"""Erasure against concurrent staff work, retention and escalation by the sweep, on
DynamoDB (moto) and in memory."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.support import file_ticket, follow, make_services
from tiket.adapters.memory import memory_stores
from tiket.domain.attachments import StoredAttachment, attachment_key, thumbnail_key
from tiket.domain.model import Actor, Requester, Ticket
from tiket.domain.privacy import ERASED, ErasureReason, email_key
from tiket.domain.vocabulary import Action, Role, Status
from tiket.web.app import create_app

WIB = ZoneInfo("Asia/Jakarta")
ADMIN = Actor("admin@example.go.id", "Admin TIKet", Role.ADMIN)
CLOSED = datetime(2026, 11, 30, 10, 0, tzinfo=WIB)
UPLOAD = "u" * 22  # an upload id's shape
# Kept where the files service keeps them (the role grants S3 on these prefixes only).
KEPT = (attachment_key("TIK-2026-009001", UPLOAD), thumbnail_key("TIK-2026-009001", UPLOAD))
PHOTO = StoredAttachment(UPLOAD, "foto.jpg", "image/jpeg", 3, *KEPT)


@pytest.fixture(params=["moto", "memory"])
def services(request, aws, clock, transport):
    stores = memory_stores(WIB) if request.param == "memory" else None
    return make_services(clock, transport, stores=stores)


def test_erasure_racing_a_staff_action_waits_its_turn_and_is_whole(
    services, transport, monkeypatch
):
    app = create_app(services=services)
    number = file_ticket(app.test_client()).get_json()["number"]
    read_thread = services.tickets.messages
    raced = []

    def thread_with_a_racer(of: str):
        # Between the erasure's read of the ticket and its commit, staff acknowledge it.
        if not raced:
            raced.append(
                follow(services, transport, "tik1@example.go.id", "new_ticket", "acknowledge")
            )
        return read_thread(of)

    monkeypatch.setattr(services.tickets, "messages", thread_with_a_racer)
    assert services.erasure.erase_ticket(number, ErasureReason.REQUEST, ADMIN)
    ticket = services.tickets.get(number)
    # Both happened, one after the other: the acknowledgement kept, then everything erased.
    assert raced and ticket.status == Status.ACKNOWLEDGED
    assert ticket.assignee == "tik1@example.go.id"
    assert (ticket.requester.name, ticket.requester.email, ticket.requester.nip) == (ERASED,) * 3
    history = services.tickets.history(number)
    assert [e.action for e in history][-2:] == [Action.ACKNOWLEDGE, Action.ERASE]
    assert {e.actor.name for e in history if e.actor.role == Role.REQUESTER} == {ERASED}


def closed_ticket(services, **changes) -> str:
    ticket = Ticket(
        number="TIK-2026-009001",
        status=Status.CANCELLED,
        version=3,
        created_at=datetime(2026, 11, 2, 9, 0, tzinfo=WIB),
        requester=Requester("Ana", "ana@example.go.id", "TU", "R101", "1987", "0812"),
        category="hardware",
        subject="Printer",
        description="Macet",
        closed_at=CLOSED,
        attachments=(PHOTO,),
        track_token="tok-9001",
    )
    ticket = replace(ticket, **changes)
    services.uow.import_tickets([ticket])
    for key in KEPT:
        services.blobs.put(key, b"jpg", "image/jpeg")
    return ticket.number


def test_retention_removes_files_then_personal_data_through_the_due_entries(services, clock):
    number = closed_ticket(services)
    assert services.stores.privacy.retention_due(datetime(2027, 11, 30, 9, tzinfo=WIB), 10) == []
    clock.set(datetime(2027, 11, 30, 10, 1, tzinfo=WIB))  # 12 months after closing
    figures = services.stores.figures.month("2026-11")
    assert services.sweep.run().privacy["retention_erased"] == 1
    ticket = services.tickets.get(number)
    assert ticket.attachments == () and ticket.requester.name == "Ana"
    assert [services.blobs.head(key) for key in KEPT] == [None, None]
    assert services.sweep.run().privacy["retention_erased"] == 0  # nothing more due yet

    clock.set(datetime(2028, 11, 30, 10, 1, tzinfo=WIB))  # 24 months after closing
    assert services.sweep.run().privacy["retention_erased"] == 1
    ticket = services.tickets.get(number)
    assert (ticket.requester.name, ticket.requester.email) == (ERASED, ERASED)
    assert services.stores.privacy.retention_due(clock.now(), 10) == []
    assert services.stores.privacy.requester_tickets(email_key("ana@example.go.id")) == []
    assert services.stores.figures.month("2026-11") == figures
    assert services.sweep.run().privacy["retention_erased"] == 0


def test_open_tickets_are_never_due_for_retention(services, clock):
    closed_ticket(services, status=Status.IN_PROGRESS, closed_at=None)
    clock.set(datetime(2030, 1, 1, tzinfo=WIB))
    assert services.stores.privacy.retention_due(clock.now(), 10) == []


def test_a_request_pending_three_working_days_is_escalated_once(services, clock, transport):
    file_ticket(create_app(services=services).test_client())
    services.erasure.request("ana.lestari@example.go.id", "")
    escalated = lambda: [m.to for m in transport.sent if m.kind == "erasure_escalated"]  # noqa: E731
    clock.set(datetime(2026, 12, 3, 7, 59, tzinfo=WIB))  # Thursday, a minute early
    services.sweep.run()
    assert escalated() == []
    clock.set(datetime(2026, 12, 3, 8, 0, tzinfo=WIB))  # Tue, Wed, Thu: three working days
    assert services.sweep.run().privacy["escalated"] == 1
    assert sorted(escalated()) == ["admin@example.go.id", "supervisor@example.go.id"]
    assert services.sweep.run().privacy["escalated"] == 0
    assert len(escalated()) == 2


def test_backfill_lists_tickets_stored_before_the_entries_existed(services, clock):
    from tiket.cli_privacy import months
    from tiket.domain.privacy import RetentionPolicy
    from tiket.services.privacy_index import backfill

    services.uow.bookkeeping = None  # the unit of work before issue 17
    number = closed_ticket(services)
    privacy = services.stores.privacy
    key = email_key("ana@example.go.id")
    assert privacy.requester_tickets(key) == []
    policy = RetentionPolicy()
    span = months("2026-10", clock.now().date())
    assert span == [(2026, 10), (2026, 11)]
    for _ in range(2):  # idempotent
        assert backfill(services.tickets, privacy, policy, span) == 1
        assert privacy.requester_tickets(key) == [number]
        late = datetime(2027, 11, 30, 10, 0, tzinfo=WIB)
        assert privacy.retention_due(late, 10) == [number]
