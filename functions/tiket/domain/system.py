"""Changes the system makes to a ticket without changing its status: the dispatch of the
new-request email (SOP step 3/4 is measured on it), a breach of a time standard with its
escalation emails, and the survey reminder. Each is one history entry, like every change."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from tiket.domain.lifecycle import STAFF_ACTIONS
from tiket.domain.model import Actor, HistoryEntry, Notice, Once, Outcome, Ticket
from tiket.domain.standards import StepRecord
from tiket.domain.text import WorkingMinutes
from tiket.domain.vocabulary import Action, Role, Status, Step


def _same_status(ticket: Ticket, action: Action, now: datetime, **params: Any) -> HistoryEntry:
    return HistoryEntry(
        at=now,
        action=action,
        from_status=ticket.status,
        to_status=ticket.status,
        actor=Actor.system(),
        params=params,
    )


def record_dispatch(ticket: Ticket, sent_at: datetime) -> Outcome | None:
    """The first new-request email went out; None when it is already recorded."""
    if ticket.notified_at is not None:
        return None
    after = replace(ticket, notified_at=sent_at)
    return Outcome(after, _same_status(ticket, Action.DISPATCH, sent_at))


def record_breach(ticket: Ticket, record: StepRecord, now: datetime) -> Outcome:
    """A running step went past its due time: recorded once per step, escalated by email to
    whoever must act now and to every supervisor."""
    minutes = WorkingMinutes(record.standard_minutes)
    after = replace(ticket, breaches=ticket.breaches | {record.step})
    extra = {"step": record.step, "deadline": record.due_at, "minutes": minutes}
    notices = tuple(
        Notice("breach", target, actions, extra)
        for target, actions in escalation_targets(ticket, record.step)
    )
    history = _same_status(ticket, Action.BREACH, now, step=record.step, minutes=minutes)
    return Outcome(after, history, notices, once=(Once("breach", record.step),))


def escalation_targets(ticket: Ticket, step: Step) -> list[tuple[str, tuple[Action, ...]]]:
    """Who hears of a breach: whoever must act now (the holder, or the pool nobody in
    which has taken the ticket yet), with the links they may use, and every supervisor."""
    first: tuple[str, tuple[Action, ...]]
    if step in (Step.NOTIFY, Step.ACKNOWLEDGE) or ticket.status == Status.NEW:
        first = ("pool:tik", (Action.ACKNOWLEDGE,))
    elif step == Step.RT_ACCEPT or ticket.status == Status.REFERRED:
        first = ("pool:rt", (Action.ACCEPT,))
    else:
        first = ("holder", STAFF_ACTIONS)
    return [first, ("role:supervisor", ())]


def holder_actor(ticket: Ticket) -> Actor | None:
    """The staff member holding the ticket, as the one who acts next."""
    holder = ticket.holder()
    if holder is None:
        return None
    role = Role.RT if holder == ticket.repair_assignee else Role.TIK
    return Actor(email=holder, name=ticket.holder_name() or holder, role=role)


def record_undelivered(ticket: Ticket, now: datetime) -> Outcome:
    """An email to the requester was given up on (rejected, or failing for days)."""
    after = replace(ticket, undelivered_at=now)
    return Outcome(after, _same_status(ticket, Action.UNDELIVERED, now))


def remind_survey(ticket: Ticket, now: datetime, close_at: datetime) -> Outcome:
    """The requester has not rated the service yet: one reminder, before the auto-close."""
    after = replace(ticket, survey_reminded_at=now)
    notice = Notice(
        "survey_reminder",
        "requester",
        extra={"resolved": ticket.resolved_at, "close": close_at},
    )
    history = _same_status(ticket, Action.REMIND, now)
    return Outcome(after, history, (notice,), once=(Once("reminder", "survey"),))
