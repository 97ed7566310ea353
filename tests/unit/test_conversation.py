"""The conversation as plain values (PRODUCT.md §10): who hears of a message, what it
changes (a count and a history entry, never the status or the workflow version), reopening,
and the estimate told."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from tests.unit.test_lifecycle import CLOCK, NOW, REQUESTER, RT1, TIK1, TIK2, new_ticket, run
from tiket.domain import lifecycle
from tiket.domain.conversation import post_message, staff_contact
from tiket.domain.errors import Conflict, Forbidden
from tiket.domain.model import Message, Once
from tiket.domain.vocabulary import Action, Channel, Status, Step

SUPERVISOR = replace(TIK1, email="kepala@x.go.id", name="Rina", role="supervisor")


def message(author, text="Halo", id_="m1"):
    return Message(id_, NOW, author, text, Channel.WEB)


def handled():
    return run(run(new_ticket(), "acknowledge", TIK1), "diagnose:handle", TIK1)


def referred():
    return run(run(new_ticket(), "acknowledge", TIK1), "diagnose:refer", TIK1)


@pytest.mark.parametrize(
    ("ticket", "contact"),
    [
        (new_ticket, "pool:tik"),  # nobody took it yet
        (handled, "staff:tik1@x.go.id"),
        (referred, "staff:tik1@x.go.id"),  # facilities have not accepted: who referred it
        (lambda: run(referred(), "accept", RT1), "staff:rt1@x.go.id"),
        (lambda: run(handled(), "hold", TIK1), "staff:tik1@x.go.id"),
        (lambda: run(run(referred(), "accept", RT1), "resolve", RT1), "staff:rt1@x.go.id"),
    ],
)
def test_the_requesters_message_goes_to_who_holds_or_last_held_it(ticket, contact):
    assert staff_contact(ticket()) == contact


def test_a_requester_message_counts_and_keeps_status_and_version():
    ticket = handled()
    outcome = post_message(ticket, message(REQUESTER), (Once("message", "k"),))
    after = outcome.ticket
    assert (after.status, after.version) == (ticket.status, ticket.version)
    assert (after.requester_messages, after.staff_messages) == (1, 0)
    assert outcome.history.action == Action.MESSAGE
    assert outcome.history.from_status == outcome.history.to_status == Status.IN_PROGRESS
    assert outcome.messages == (message(REQUESTER),) and outcome.once == (Once("message", "k"),)
    (notice,) = outcome.notices
    assert (notice.kind, notice.to) == ("requester_message", "staff:tik1@x.go.id")
    assert notice.extra["text"] == "Halo" and Action.RESOLVE in notice.actions


@pytest.mark.parametrize("author", [TIK1, TIK2, RT1, SUPERVISOR])
def test_any_staff_message_goes_to_the_requester(author):
    outcome = post_message(handled(), message(author))
    assert outcome.ticket.staff_messages == 1
    (notice,) = outcome.notices
    assert (notice.kind, notice.to, notice.actions) == ("staff_message", "requester", ())


def test_the_system_writes_no_messages():
    from tiket.domain.model import Actor

    with pytest.raises(ValueError):
        post_message(handled(), message(Actor.system()))


@pytest.mark.parametrize("status", [Status.CLOSED, Status.CANCELLED])
def test_no_message_once_the_ticket_is_over(status):
    with pytest.raises(Conflict):
        post_message(replace(handled(), status=status), message(REQUESTER))


def resolved(path="tik"):
    if path == "rt":
        return run(run(referred(), "accept", RT1), "resolve", RT1)
    return run(handled(), "resolve", TIK1)


@pytest.mark.parametrize(
    ("path", "back", "holder"), [("tik", "in_progress", TIK1), ("rt", "in_repair", RT1)]
)
def test_reopen_returns_to_the_holder_and_restarts_handling_on_the_same_estimate(
    path, back, holder
):
    ticket = resolved(path)
    later = NOW.replace(hour=10)
    outcome = lifecycle.apply(ticket, Action.REOPEN, REQUESTER, {"reason": "masih"}, later, CLOCK)
    after = outcome.ticket
    assert after.status == back and after.holder() == holder.email
    assert (after.resolved_at, after.resolution, after.reopens) == (None, None, 1)
    handle = after.step(Step.HANDLE)
    assert handle.open and handle.started_at == later
    assert handle.standard_minutes == ticket.estimate_minutes
    assert handle.due_at == CLOCK.calendar.add_working_minutes(later, ticket.estimate_minutes)
    assert outcome.history.note == "masih"
    kinds = {(n.kind, n.to) for n in outcome.notices}
    assert kinds == {("reopened", "holder"), ("estimate", "requester")}


@pytest.mark.parametrize("who", [TIK1, RT1, SUPERVISOR])
def test_only_the_requester_reopens(who):
    with pytest.raises(Forbidden):
        lifecycle.apply(resolved(), Action.REOPEN, who, {"reason": "x"}, NOW, CLOCK)


@pytest.mark.parametrize("ticket", [new_ticket, handled, referred])
def test_reopen_only_when_resolved(ticket):
    with pytest.raises(Conflict):
        lifecycle.apply(ticket(), Action.REOPEN, REQUESTER, {"reason": "x"}, NOW, CLOCK)


def test_an_estimate_set_is_told_to_the_requester_with_its_due_time():
    acknowledged = run(new_ticket(), "acknowledge", TIK1)
    outcome = lifecycle.apply(
        acknowledged,
        Action.DIAGNOSE,
        TIK1,
        {"diagnosis": "d", "decision": "handle", "estimate_minutes": 600},
        NOW,
        CLOCK,
    )
    (estimate,) = [n for n in outcome.notices if n.kind == "estimate"]
    # 600 working minutes from Monday 08:00: Monday closes at 16:00 (480), then 2 h Tuesday.
    assert estimate.to == "requester"
    assert estimate.extra["due"] == datetime(2026, 12, 1, 9, 30, tzinfo=NOW.tzinfo)
    accepted = lifecycle.apply(referred(), Action.ACCEPT, RT1, {"estimate_minutes": 45}, NOW, CLOCK)
    assert [n.to for n in accepted.notices if n.kind == "estimate"] == ["requester"]
