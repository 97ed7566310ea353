"""Erasure and retention rules of ``tiket.domain.privacy``, on plain values."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tiket.domain.aggregates import MonthDelta
from tiket.domain.attachments import StoredAttachment
from tiket.domain.model import Actor, HistoryEntry, Message, Requester, Ticket
from tiket.domain.privacy import (
    ERASED,
    ErasureReason,
    RetentionPolicy,
    add_months,
    email_key,
    erase,
    erased,
    figures_kept,
    requester_key,
    retention_due,
    retention_reason,
)
from tiket.domain.vocabulary import Action, Channel, Role, Status

WIB = ZoneInfo("Asia/Jakarta")
FILED = datetime(2026, 1, 31, 9, 0, tzinfo=WIB)
CLOSED = datetime(2026, 3, 31, 10, 0, tzinfo=WIB)
ADMIN = Actor("admin@example.go.id", "Admin TIKet", Role.ADMIN)
ANA = Actor("ana@example.go.id", "Ana Lestari", Role.REQUESTER)
TIK = Actor("tik1@example.go.id", "Andi Pratama", Role.TIK)
PHOTO = StoredAttachment("u1", "foto.jpg", "image/jpeg", 1000, "files/u1", "files/u1.thumb")


def ticket(**changes) -> Ticket:
    base = Ticket(
        number="TIK-2026-000001",
        status=Status.CLOSED,
        version=5,
        created_at=FILED,
        requester=Requester(
            "Ana Lestari", "Ana@Example.go.id", "Tata Usaha", "Ruang 101", "1987", "0812"
        ),
        category="hardware",
        subject="Printer",
        description="Macet",
        closed_at=CLOSED,
        attachments=(PHOTO,),
    )
    return replace(base, **changes)


def entry(actor: Actor, action=Action.CREATE) -> HistoryEntry:
    return HistoryEntry(FILED, action, None, Status.NEW, actor, revision=1)


def test_emails_are_keyed_by_a_digest_of_the_normalised_address():
    assert email_key(" Ana@Example.go.ID ") == email_key("ana@example.go.id")
    assert "ana" not in email_key("ana@example.go.id")
    assert requester_key(ticket()) == email_key("ana@example.go.id")


def test_erasure_replaces_identity_keeps_the_record_and_lists_the_files():
    said = Message("m1", FILED, ANA, "Masih macet", Channel.WEB, ("u1",))
    answered = Message("m2", FILED, TIK, "Saya datang", Channel.WEB)
    done = erase(
        ticket(),
        [said, answered],
        [entry(ANA), entry(TIK, Action.ACKNOWLEDGE)],
        ErasureReason.REQUEST,
        ADMIN,
        CLOSED,
    )
    assert done is not None
    after = done.outcome.ticket
    assert (after.requester.name, after.requester.email) == (ERASED, ERASED)
    assert (after.requester.nip, after.requester.phone) == (ERASED, ERASED)
    assert (after.requester.unit, after.category, after.description) == (
        "Tata Usaha",
        "hardware",
        "Macet",
    )
    assert after.attachments == () and erased(after)
    assert done.files == ("files/u1", "files/u1.thumb")
    # The requester's message loses its author (text kept); staff messages stay as they are.
    assert [(m.id, m.author.name, m.text, m.attachments) for m in done.messages] == [
        ("m1", ERASED, "Masih macet", ())
    ]
    assert [(e.actor.name, e.actor.email) for e in done.history] == [(ERASED, None)]
    history = done.outcome.history
    assert (history.action, history.from_status, history.to_status) == (
        Action.ERASE,
        Status.CLOSED,
        Status.CLOSED,
    )
    assert history.params == {"fields": 4, "files": 1, "entries": 1}
    assert "Ana" not in repr(history)


def test_erasing_again_finds_nothing_and_files_only_keeps_identity():
    first = erase(ticket(), [], [], ErasureReason.REQUEST, ADMIN, CLOSED)
    assert first is not None
    assert erase(first.outcome.ticket, [], [], ErasureReason.REQUEST, ADMIN, CLOSED) is None
    files = erase(ticket(), [], [], ErasureReason.FILES, Actor.system(), CLOSED)
    assert files is not None
    assert files.outcome.ticket.requester.name == "Ana Lestari"
    assert files.outcome.ticket.attachments == ()
    assert files.outcome.history.params["fields"] == 0


def test_retention_looks_at_files_first_then_personal_data_then_never():
    policy = RetentionPolicy(months=24, file_months=12)
    assert retention_due(ticket(status=Status.IN_PROGRESS), policy) is None
    assert retention_due(ticket(), policy) == datetime(2027, 3, 31, 10, 0, tzinfo=WIB)
    assert retention_due(ticket(attachments=()), policy) == datetime(2028, 3, 31, 10, tzinfo=WIB)
    gone = ticket(attachments=(), requester=replace(ticket().requester, email=ERASED))
    assert retention_due(gone, policy) is None
    assert retention_reason(ticket(), policy, datetime(2027, 3, 31, 9, tzinfo=WIB)) is None
    at_files = datetime(2027, 3, 31, 10, tzinfo=WIB)
    assert retention_reason(ticket(), policy, at_files) == ErasureReason.FILES
    at_data = datetime(2028, 3, 31, 10, tzinfo=WIB)
    assert retention_reason(ticket(), policy, at_data) == ErasureReason.RETENTION


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 1, 31), 1, datetime(2026, 2, 28)),
        (datetime(2026, 11, 15), 24, datetime(2028, 11, 15)),
        (datetime(2026, 12, 1), 1, datetime(2027, 1, 1)),
        (datetime(2027, 2, 28), 12, datetime(2028, 2, 28)),
    ],
)
def test_months_are_calendar_months(start, months, expected):
    assert add_months(start, months) == expected


def test_figures_kept_drops_the_erasure_event_and_refuses_changed_figures():
    def count(before, after, history):
        counts = {("event", str(history.action), "admin", "31"): 1}
        if after.category != before.category:
            counts[("category", after.category)] = 1
        return MonthDelta("2026-01", counts)

    counting = figures_kept(count)
    erase_entry = HistoryEntry(CLOSED, Action.ERASE, Status.CLOSED, Status.CLOSED, ADMIN)
    assert counting(ticket(), ticket(), erase_entry).counts == {}
    with pytest.raises(ValueError, match="figures"):
        counting(ticket(), ticket(category="network"), erase_entry)
    other = replace(erase_entry, action=Action.ACKNOWLEDGE)
    assert counting(ticket(), ticket(), other).counts == {
        ("event", "acknowledge", "admin", "31"): 1
    }
