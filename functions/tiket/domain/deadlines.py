"""When the sweep must next look at a ticket, and what it must do then. Pure.

A ticket is due for the sweep at the earliest of: an open, running step's due time whose
breach is not yet recorded; for a breached step still running, the instant it reaches the
next level of the escalation ladder (one more full standard, in working time, per level);
for a resolved ticket, the survey reminder and then the auto-close. A held step is paused
and never due. Closed and cancelled tickets are never due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.model import Ticket
from tiket.domain.standards import StepRecord
from tiket.domain.vocabulary import FINAL_STATUSES, Status

# The top of the escalation ladder: 1 the breach, 2 still overdue, 3 the admins too.
LADDER_TOP = 3
JUST_AFTER = timedelta(microseconds=1)  # the sweep flags a time passed with ``>``


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


def ladder_time(record: StepRecord, level: int, calendar: WorkingCalendar) -> datetime:
    """When a step still open reaches ``level`` (2, 3): one more full standard of working
    time per level past its due time (which a hold has already moved on)."""
    return calendar.add_working_minutes(record.due_at, (level - 1) * record.standard_minutes)


def _climbing(ticket: Ticket) -> list[tuple[StepRecord, int]]:
    """Running steps whose breach is recorded and that may climb further, with their level."""
    if ticket.status in FINAL_STATUSES:
        return []
    return [
        (record, level)
        for record in ticket.steps_with_dispatch()
        if record.open
        and record.paused_since is None
        and 1 <= (level := ticket.escalation_level(record)) < LADDER_TOP
    ]


def due_escalations(
    ticket: Ticket, now: datetime, calendar: WorkingCalendar
) -> list[tuple[StepRecord, int]]:
    """Breached steps still running that reached a higher level of the ladder by ``now``,
    each with the highest level reached (a sweep that was down skips what it missed: each
    level is sent at most once, never late in a burst)."""
    due = []
    for record, level in _climbing(ticket):
        reached = [
            higher
            for higher in range(level + 1, LADDER_TOP + 1)
            if now > ladder_time(record, higher, calendar)
        ]
        if reached:
            due.append((record, max(reached)))
    return due


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
        record.due_at + JUST_AFTER
        for record in ticket.steps_with_dispatch()
        if record.open and record.paused_since is None and record.step not in done
    ]
    candidates += [
        ladder_time(record, level + 1, calendar) + JUST_AFTER for record, level in _climbing(ticket)
    ]
    times = survey_times(ticket, calendar, policy)
    if times is not None:
        reminder, close = times
        candidates.append(close if ticket.survey_reminded_at else reminder)
    return min(candidates, default=None)
