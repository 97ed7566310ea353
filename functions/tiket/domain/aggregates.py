"""The monthly figures of the tickets, kept as they change (PRODUCT.md §13). Pure.

Every figure of a report that does not depend on the time of reading is a sum over the
tickets of a month (of their creation, in the unit's calendar) of what each ticket counts
for: its ``contribution``, a bag of counters keyed by tuples. A change of a ticket moves the
month's sums by ``delta`` = what the ticket counts for after the change, minus what it
counted for before, plus one for the change's history entry (counted by action, by the role
of who made it, and by the day of the ticket's filing). The unit of work writes that delta
in the same transaction as the change, as additions to counters: two changes of different
tickets never have to read each other's figures, and a month's figures always equal a
recount of its tickets (``recount``), whatever order the changes land in.

What does depend on the time of reading — a step running past its due time that the sweep
has not recorded yet — is ``unswept``: the report adds it at read time for the few tickets
the ``due`` index holds past due. Once the sweep records the breach (a change like any
other), the step moves into the counters as ``open_late``.

Keys (first element = family):

- ``("tickets",)``, ``("status", s)``, ``("category", c)``, ``("path", tik|rt|none)``,
  ``("unit", spelling)``, ``("resolved",)`` (the SKM population), ``("open", yyyy-mm-dd)``
  (open tickets by day of filing, for the backlog's age);
- ``("step", step, done|on_time|open_late|breach)``: steps done, done by their due time,
  still running past due with the breach recorded, over their standard in any way;
- ``("time", acknowledge|diagnose|resolve, bucket)``: durations (``tiket.domain.sketch``);
- ``("skm", "respondents")``, ``("skm", unsur, "sum"|"answers")``;
- ``("staff", email, acknowledged|resolved|breach|open_late)``, ``("staff_time", email,
  bucket)`` (their resolutions' durations), ``("staff_name", tik|rt, email, name)``;
- ``("event", action, role, dd)``: history entries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.model import HistoryEntry, Ticket
from tiket.domain.sketch import bucket
from tiket.domain.skm import UNSUR
from tiket.domain.vocabulary import Path, Role, Step

Key = tuple[str, ...]
Tally = Counter[Key]


@dataclass(frozen=True)
class MonthDelta:
    """What one change adds to the figures of one month (no zero entries)."""

    month: str  # yyyy-mm of the ticket's filing, in the unit's time zone
    counts: Mapping[Key, int]


# --- what a ticket measures ------------------------------------------------------------


def acknowledge_minutes(ticket: Ticket, calendar: WorkingCalendar) -> float | None:
    """Filing → acknowledgement, in working minutes."""
    record = ticket.step(Step.ACKNOWLEDGE)
    if record is None or record.done_at is None:
        return None
    return calendar.working_minutes_between(ticket.created_at, record.done_at)


def diagnose_minutes(ticket: Ticket, calendar: WorkingCalendar) -> float | None:
    record = ticket.step(Step.DIAGNOSE)
    if record is None or record.done_at is None:
        return None
    return record.elapsed_minutes(calendar, record.done_at)


def resolve_minutes(ticket: Ticket, calendar: WorkingCalendar) -> float | None:
    """Filing → resolution, in working minutes, minus the working time spent on hold."""
    if ticket.resolved_at is None:
        return None
    held = sum(record.paused_minutes for record in ticket.steps)
    return max(0.0, calendar.working_minutes_between(ticket.created_at, ticket.resolved_at) - held)


def step_minutes(ticket: Ticket, calendar: WorkingCalendar, now: datetime) -> dict[str, float]:
    """Working minutes spent on each step the ticket reached (so far, for an open step)."""
    return {
        record.step: record.elapsed_minutes(calendar, now)
        for record in ticket.steps_with_dispatch()
    }


def resolver(ticket: Ticket) -> str | None:
    return ticket.repair_assignee if ticket.path == Path.RT else ticket.assignee


def responsible(ticket: Ticket, step: str) -> str | None:
    """Who answers for a step: the acknowledging ICT staff member for acknowledgement and
    diagnosis, the accepting facilities member for acceptance, the holder for handling;
    nobody for the email dispatch."""
    if step in (Step.ACKNOWLEDGE, Step.DIAGNOSE):
        return ticket.assignee
    if step == Step.RT_ACCEPT:
        return ticket.repair_assignee
    if step == Step.HANDLE:
        return resolver(ticket)
    return None


def words(text: str) -> str:
    """Free text as a key part: runs of white space (control characters included) as one
    space, so that spellings differing only there count together."""
    return " ".join(text.split())


# --- contributions ----------------------------------------------------------------------


def month_of(ticket: Ticket, zone: tzinfo) -> str:
    return f"{ticket.created_at.astimezone(zone):%Y-%m}"


def contribution(ticket: Ticket, calendar: WorkingCalendar) -> Tally:
    """What ``ticket``, as it stands, counts for in its month's figures."""
    zone = calendar.zone
    tally: Tally = Counter()
    tally["tickets",] += 1
    tally["status", ticket.status] += 1
    tally["category", ticket.category] += 1
    tally["path", ticket.path or "none"] += 1
    tally["unit", words(ticket.requester.unit)] += 1
    if ticket.open:
        tally["open", f"{ticket.created_at.astimezone(zone):%Y-%m-%d}"] += 1

    records = ticket.steps_with_dispatch()
    done_late = set()
    for record in records:
        if record.done_at is not None:
            tally["step", record.step, "done"] += 1
            if record.done_at <= record.due_at:
                tally["step", record.step, "on_time"] += 1
            else:
                done_late.add(record.step)
        elif ticket.open and record.paused_since is None and record.step in ticket.breaches:
            tally["step", record.step, "open_late"] += 1
            who = responsible(ticket, record.step)
            if who is not None:
                tally["staff", who, "open_late"] += 1
    for step in ticket.breaches | done_late:
        tally["step", step, "breach"] += 1
        who = responsible(ticket, step)
        if who is not None:
            tally["staff", who, "breach"] += 1

    if ticket.assignee:
        tally["staff_name", Role.TIK, ticket.assignee, words(ticket.assignee_name or "")] += 1
    if ticket.repair_assignee:
        name = words(ticket.repair_assignee_name or "")
        tally["staff_name", Role.RT, ticket.repair_assignee, name] += 1
    acknowledged = acknowledge_minutes(ticket, calendar)
    if acknowledged is not None:
        tally["time", "acknowledge", bucket(acknowledged)] += 1
        if ticket.assignee:
            tally["staff", ticket.assignee, "acknowledged"] += 1
    diagnosed = diagnose_minutes(ticket, calendar)
    if diagnosed is not None:
        tally["time", "diagnose", bucket(diagnosed)] += 1
    resolved = resolve_minutes(ticket, calendar)
    if resolved is not None:
        tally["resolved",] += 1
        tally["time", "resolve", bucket(resolved)] += 1
        who = resolver(ticket)
        if who:
            tally["staff", who, "resolved"] += 1
            tally["staff_time", who, bucket(resolved)] += 1
    if ticket.survey is not None:
        tally["skm", "respondents"] += 1
        for code in UNSUR:
            answer = ticket.survey.answers.get(code)
            if answer is not None:
                tally["skm", code, "sum"] += answer
                tally["skm", code, "answers"] += 1
    return tally


def event(ticket: Ticket, entry: HistoryEntry, zone: tzinfo) -> Key:
    """The counter of a history entry: by action, by the role of who made it, and by the
    day of the ticket's filing (so that a date range within a month can read its own)."""
    return ("event", entry.action, entry.actor.role, f"{ticket.created_at.astimezone(zone):%d}")


def delta(
    before: Ticket | None, after: Ticket, entry: HistoryEntry, calendar: WorkingCalendar
) -> MonthDelta:
    """What the change ``before`` → ``after`` (described by ``entry``) adds to the figures
    of the ticket's month. ``before`` is None for a new (or imported) ticket."""
    month = month_of(after, calendar.zone)
    if before is not None and month_of(before, calendar.zone) != month:
        raise ValueError(f"{after.number} changed its filing month")
    tally = contribution(after, calendar)
    if before is not None:
        tally.subtract(contribution(before, calendar))
    tally[event(after, entry, calendar.zone)] += 1
    return MonthDelta(month, {key: n for key, n in tally.items() if n})


def recount(
    tickets: Iterable[tuple[Ticket, Iterable[HistoryEntry]]], calendar: WorkingCalendar
) -> dict[str, Tally]:
    """The figures of every month, counted afresh from the tickets and their histories."""
    months: dict[str, Tally] = {}
    for ticket, history in tickets:
        tally = months.setdefault(month_of(ticket, calendar.zone), Counter())
        tally.update(contribution(ticket, calendar))
        for entry in history:
            tally[event(ticket, entry, calendar.zone)] += 1
    return {
        month: Counter({k: n for k, n in tally.items() if n}) for month, tally in months.items()
    }


def unswept(ticket: Ticket, now: datetime) -> Tally:
    """Steps running past their due time whose breach the sweep has not recorded yet: late
    now, but in no counter until the sweep's breach (a ticket change) puts them there."""
    tally: Tally = Counter()
    if not ticket.open:
        return tally
    for record in ticket.steps_with_dispatch():
        if record.open and record.step not in ticket.breaches and record.late_at(now):
            tally["step", record.step, "open_late"] += 1
            tally["step", record.step, "breach"] += 1
            who = responsible(ticket, record.step)
            if who is not None:
                tally["staff", who, "open_late"] += 1
                tally["staff", who, "breach"] += 1
    return tally
