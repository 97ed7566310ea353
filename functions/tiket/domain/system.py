"""Changes the system makes to a ticket without changing its status: the dispatch of the
new-request email (SOP step 3/4 is measured on it), a breach of a time standard with its
escalation emails, the escalation ladder of a step that stays overdue, and the survey
reminder. Each is one history entry, like every change.

The escalation ladder (PRODUCT.md §12): level 1 is the breach (whoever must act, and every
supervisor); a step still overdue one more full standard later reaches level 2 (the same
people again: it is still not done); one more standard later, level 3 adds every admin.
Each level is sent once per step (a ``Once`` per step start and level)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from tiket.domain.deadlines import LADDER_TOP
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
    return Outcome(after, history, notices, once=(breach_once(record),))


def _record_key(record: StepRecord) -> str:
    # A step begun again (a returned referral) is another record: it breaches afresh.
    return f"{record.step}@{record.started_at.astimezone(UTC):%Y%m%dT%H%M%S%f}"


def breach_once(record: StepRecord) -> Once:
    return Once("breach", _record_key(record))


def escalation_once(record: StepRecord, level: int) -> Once:
    return Once("escalation", f"{_record_key(record)}#{level}")


def escalate(ticket: Ticket, record: StepRecord, level: int, now: datetime) -> Outcome:
    """A breached step still overdue reached ``level`` of the ladder: its people hear again."""
    after = ticket.with_step(replace(record, escalation=level))
    minutes = WorkingMinutes(record.standard_minutes)
    extra: dict[str, Any] = {
        "step": record.step,
        "deadline": record.due_at,
        "minutes": minutes,
        "late": WorkingMinutes((level - 1) * record.standard_minutes),
        "level": level,
        "top": LADDER_TOP,
    }
    if level >= LADDER_TOP:
        extra["notes"] = ("mail.escalation.admin",)
    notices = tuple(
        Notice("escalation", target, actions, extra)
        for target, actions in escalation_targets(ticket, record.step, level)
    )
    history = _same_status(ticket, Action.ESCALATE, now, step=record.step, level=level)
    return Outcome(after, history, notices, once=(escalation_once(record, level),))


def escalation_targets(
    ticket: Ticket, step: Step, level: int = 1
) -> list[tuple[str, tuple[Action, ...]]]:
    """Who hears of a breach: whoever must act now (the holder, or the pool nobody in
    which has taken the ticket yet), with the links they may use, and every supervisor;
    at the top of the ladder every admin too."""
    first: tuple[str, tuple[Action, ...]]
    if step in (Step.NOTIFY, Step.ACKNOWLEDGE) or ticket.status == Status.NEW:
        first = ("pool:tik", (Action.ACKNOWLEDGE,))
    elif step == Step.RT_ACCEPT or ticket.status == Status.REFERRED:
        first = ("pool:rt", (Action.ACCEPT,))
    else:
        first = ("holder", STAFF_ACTIONS)
    targets = [first, ("role:supervisor", ())]
    if level >= LADDER_TOP:
        targets.append(("role:admin", ()))
    return targets


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
