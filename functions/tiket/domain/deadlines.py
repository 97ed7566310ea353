"""When the sweep must next look at a ticket, and what it must do then. Pure.

A ticket is due for the sweep at the earliest of: an open, running step's due time whose
breach is not yet recorded; for a resolved ticket, the survey reminder and then the
auto-close. A held step is paused and never due. Closed and cancelled tickets are never due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.model import Ticket
from tiket.domain.standards import StepRecord
from tiket.domain.vocabulary import FINAL_STATUSES, Status


@dataclass(frozen=True)
class SurveyPolicy:
    reminder_working_days: int = 2
    close_working_days: int = 5


def add_working_days(calendar: WorkingCalendar, instant: datetime, days: int) -> datetime:
    """The same wall-clock time ``days`` working days later (a closed day does not count)."""
    local = instant.astimezone(calendar.zone)
    day = local.date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return local.replace(year=day.year, month=day.month, day=day.day)


def survey_times(
    ticket: Ticket, calendar: WorkingCalendar, policy: SurveyPolicy
) -> tuple[datetime, datetime] | None:
    """(reminder, auto-close) for a resolved ticket awaiting its survey."""
    if ticket.status != Status.RESOLVED or ticket.resolved_at is None:
        return None
    return (
        add_working_days(calendar, ticket.resolved_at, policy.reminder_working_days),
        add_working_days(calendar, ticket.resolved_at, policy.close_working_days),
    )


def unrecorded_breaches(ticket: Ticket, now: datetime) -> list[StepRecord]:
    """Running steps past their due time whose breach the sweep has not recorded yet."""
    if ticket.status in FINAL_STATUSES:
        return []
    return [
        record
        for record in ticket.steps_with_dispatch()
        if record.open
        and record.paused_since is None
        and record.step not in ticket.breaches
        and now > record.due_at
    ]


def next_check(
    ticket: Ticket,
    calendar: WorkingCalendar,
    policy: SurveyPolicy,
    recorded: frozenset[str] | None = None,
) -> datetime | None:
    """The instant the sweep must look at ``ticket`` next; None when nothing will be due.

    ``recorded``: breaches known recorded beyond ``ticket.breaches`` (the one being written)."""
    if ticket.status in FINAL_STATUSES:
        return None
    done = ticket.breaches | (recorded or frozenset())
    candidates = [
        # A breach is flagged "just after" the due time: the sweep compares with ``>``.
        record.due_at + timedelta(microseconds=1)
        for record in ticket.steps_with_dispatch()
        if record.open and record.paused_since is None and record.step not in done
    ]
    times = survey_times(ticket, calendar, policy)
    if times is not None:
        reminder, close = times
        candidates.append(close if ticket.survey_reminded_at else reminder)
    return min(candidates, default=None)
