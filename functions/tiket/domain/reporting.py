"""The figures of a reporting period (PRODUCT.md §6) from ticket values. Pure.

Input: the tickets filed in the period, the unit's working calendar and ``now``. Every
duration is in working minutes of that calendar, hold time excluded. Texts are ``Msg``
values (key + numbers): the service renders them in the reader's language.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.model import Ticket
from tiket.domain.skm import SkmResult, index, minimum_sample
from tiket.domain.text import Msg
from tiket.domain.vocabulary import OPEN_STATUSES, STEP_ORDER, Status, Step

PATHS = ("tik", "rt", "none")  # handled by ICT staff, referred to facilities, not diagnosed
DURATIONS = ("acknowledge", "diagnose", "resolve")
# Age of open tickets in working days; each bucket but the last ends at its upper bound.
AGE_BUCKETS = ("d0", "d1_2", "d3_5", "d6_10", "d11")
_AGE_UPPER = (0, 2, 5, 10)

# The SOP's seven steps (its PROSEDUR table) and the TIKet steps that measure each one.
# Steps 1–2 happen in the requester's browser before a request exists; 7 is the survey.
SOP_MEASURES: dict[int, tuple[Step, ...]] = {
    1: (),
    2: (),
    3: (Step.NOTIFY,),
    4: (Step.ACKNOWLEDGE,),
    5: (Step.DIAGNOSE,),
    6: (Step.RT_ACCEPT, Step.HANDLE),
    7: (),
}
SKM_SOP_STEP = 7


@dataclass(frozen=True)
class StepCompliance:
    step: Step
    completed: int  # steps done in the period's tickets
    on_time: int  # of those, done by their due time
    open_overdue: int  # still open past their due time (open tickets only)
    breaches: int  # recorded by the sweep, done late, or open past due

    @property
    def late(self) -> int:
        return self.completed - self.on_time

    @property
    def percent(self) -> float | None:
        return self.on_time * 100 / self.completed if self.completed else None


@dataclass(frozen=True)
class Spread:
    """Median and 90th percentile of working-minute durations."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class StaffFigures:
    email: str
    name: str
    role: str  # tik | rt: the role they acted in on these tickets
    acknowledged: int
    resolved: int
    breaches: int  # breached steps they were responsible for
    median_resolve: float | None


@dataclass(frozen=True)
class SkmFigures:
    result: SkmResult
    population: int  # tickets resolved (N of Krejcie–Morgan)
    sample: int  # minimum respondents

    @property
    def adequate(self) -> bool | None:
        """None when nothing was resolved: there is no sample to reach."""
        if not self.population:
            return None
        return self.result.respondents >= self.sample


@dataclass(frozen=True)
class MonitoringRow:
    """One procedure of the SOP on the monitoring sheet (PermenPANRB 35/2012, Tabel 7)."""

    sop_step: int
    status: str | None  # good | bad | None when TIKet cannot tell
    notes: tuple[Msg, ...]
    action: Msg | None  # suggested when not running well


@dataclass(frozen=True)
class Report:
    tickets: int
    by_status: Mapping[str, int]
    by_category: Mapping[str, int]
    by_unit: tuple[tuple[str, int], ...]  # most tickets first
    by_path: Mapping[str, int]
    compliance: Mapping[Step, StepCompliance]
    durations: Mapping[str, Spread]
    backlog_by_status: Mapping[str, int]
    backlog_by_age: Mapping[str, int]
    staff: tuple[StaffFigures, ...]
    skm: SkmFigures
    monitoring: tuple[MonitoringRow, ...]
    threshold_percent: float


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


def spread(values: list[float]) -> Spread:
    if not values:
        return Spread(0, None, None)
    if len(values) == 1:
        return Spread(1, values[0], values[0])
    # "inclusive": the durations are the whole population of the period, not a sample.
    p90 = statistics.quantiles(values, n=10, method="inclusive")[-1]
    return Spread(len(values), statistics.median(values), p90)


def age_bucket(working_days: int) -> str:
    for upper, code in zip(_AGE_UPPER, AGE_BUCKETS[:-1], strict=True):
        if working_days <= upper:
            return code
    return AGE_BUCKETS[-1]


def _responsible(ticket: Ticket, step: str) -> str | None:
    """Who answers for a step: the acknowledging ICT staff member for acknowledgement and
    diagnosis, the accepting facilities member for acceptance, the holder for handling;
    nobody for the email dispatch."""
    if step in ("acknowledge", "diagnose"):
        return ticket.assignee
    if step == "rt_accept":
        return ticket.repair_assignee
    if step == "handle":
        return _resolver(ticket)
    return None


def _resolver(ticket: Ticket) -> str | None:
    return ticket.repair_assignee if ticket.path == "rt" else ticket.assignee


class _WorkingDays:
    """Working days elapsed between two dates, from one pass over the calendar."""

    def __init__(self, calendar: WorkingCalendar, first: date, last: date):
        self._ordinal: dict[date, int] = {}
        count = 0
        day = first
        while day <= last:
            count += calendar.is_working_day(day)
            self._ordinal[day] = count
            day += timedelta(days=1)

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        return max(0, self._ordinal[end] - self._ordinal[start])


def compile_report(
    tickets: Iterable[Ticket],
    calendar: WorkingCalendar,
    now: datetime,
    *,
    threshold_percent: float = 80.0,
    categories: Iterable[str] = (),
) -> Report:
    """All figures of §6 for ``tickets`` as of ``now``. ``categories`` orders the volume
    table (configured categories first, with zero counts)."""
    tickets = list(tickets)
    zone = calendar.zone
    by_status: Counter[str] = Counter()
    by_category: Counter[str] = Counter(dict.fromkeys(categories, 0))
    units: Counter[str] = Counter()
    unit_names: dict[str, str] = {}
    by_path: Counter[str] = Counter(dict.fromkeys(PATHS, 0))
    completed: Counter[str] = Counter()
    on_time: Counter[str] = Counter()
    open_overdue: Counter[str] = Counter()
    breaches: Counter[str] = Counter()
    durations: dict[str, list[float]] = {name: [] for name in DURATIONS}
    staff_names: dict[str, tuple[str, str]] = {}
    staff_counts: dict[str, Counter[str]] = defaultdict(Counter)
    staff_resolve: dict[str, list[float]] = defaultdict(list)
    backlog: list[Ticket] = []
    responses: list[Mapping[str, int]] = []
    population = 0

    for ticket in tickets:
        by_status[ticket.status] += 1
        by_category[ticket.category] += 1
        # Units are typed by requesters: group spellings that differ only in case/spaces.
        unit_key = " ".join(ticket.requester.unit.split()).casefold()
        units[unit_key] += 1
        unit_names.setdefault(unit_key, " ".join(ticket.requester.unit.split()))
        by_path[ticket.path or "none"] += 1

        records = ticket.steps_with_dispatch()
        for record in records:
            if record.done_at is not None:
                completed[record.step] += 1
                on_time[record.step] += record.done_at <= record.due_at
            elif ticket.open and record.late_at(now):
                open_overdue[record.step] += 1
        for step in ticket.late_steps(now, records):
            breaches[step] += 1
            who = _responsible(ticket, step)
            if who is not None:
                staff_counts[who]["breaches"] += 1

        if ticket.assignee:
            staff_names[ticket.assignee] = (ticket.assignee_name or ticket.assignee, "tik")
        if ticket.repair_assignee:
            staff_names[ticket.repair_assignee] = (
                ticket.repair_assignee_name or ticket.repair_assignee,
                "rt",
            )
        acknowledged = acknowledge_minutes(ticket, calendar)
        if acknowledged is not None:
            durations["acknowledge"].append(acknowledged)
            if ticket.assignee:
                staff_counts[ticket.assignee]["acknowledged"] += 1
        diagnosed = diagnose_minutes(ticket, calendar)
        if diagnosed is not None:
            durations["diagnose"].append(diagnosed)
        resolved = resolve_minutes(ticket, calendar)
        if resolved is not None:
            population += 1
            durations["resolve"].append(resolved)
            resolver = _resolver(ticket)
            if resolver:
                staff_counts[resolver]["resolved"] += 1
                staff_resolve[resolver].append(resolved)
        if ticket.survey is not None:
            responses.append(ticket.survey.answers)
        if ticket.open:
            backlog.append(ticket)

    compliance = {
        step: StepCompliance(
            step, completed[step], on_time[step], open_overdue[step], breaches[step]
        )
        for step in STEP_ORDER
    }
    skm = SkmFigures(index(responses), population, minimum_sample(population))
    staff = tuple(
        sorted(
            (
                StaffFigures(
                    email=email,
                    name=name,
                    role=role,
                    acknowledged=staff_counts[email]["acknowledged"],
                    resolved=staff_counts[email]["resolved"],
                    breaches=staff_counts[email]["breaches"],
                    median_resolve=spread(staff_resolve[email]).median,
                )
                for email, (name, role) in staff_names.items()
            ),
            key=lambda figures: (figures.role != "tik", figures.name.casefold()),
        )
    )
    by_age: Counter[str] = Counter(dict.fromkeys(AGE_BUCKETS, 0))
    backlog_by_status: Counter[str] = Counter(ticket.status for ticket in backlog)
    if backlog:
        today = now.astimezone(zone).date()
        first = min(ticket.created_at.astimezone(zone).date() for ticket in backlog)
        days = _WorkingDays(calendar, min(first, today), today)
        for ticket in backlog:
            created = min(ticket.created_at.astimezone(zone).date(), today)
            by_age[age_bucket(days.between(created, today))] += 1
    return Report(
        tickets=len(tickets),
        by_status={status: by_status[status] for status in tuple(Status)},
        by_category=dict(by_category),
        by_unit=tuple(
            (unit_names[key], count)
            for key, count in sorted(units.items(), key=lambda item: (-item[1], item[0]))
        ),
        by_path={path: by_path[path] for path in PATHS},
        compliance=compliance,
        durations={name: spread(values) for name, values in durations.items()},
        backlog_by_status={
            status: backlog_by_status[status] for status in tuple(Status) if status in OPEN_STATUSES
        },
        backlog_by_age=dict(by_age),
        staff=staff,
        skm=skm,
        monitoring=monitoring_rows(compliance, skm, threshold_percent),
        threshold_percent=threshold_percent,
    )


def monitoring_rows(
    compliance: Mapping[Step, StepCompliance], skm: SkmFigures, threshold_percent: float
) -> tuple[MonitoringRow, ...]:
    """The SOP monitoring sheet: a step runs well when the share of its steps done within
    the time standard reaches ``threshold_percent``; the survey, when the respondents reach
    the Krejcie–Morgan sample."""
    rows = []
    for sop_step, steps in SOP_MEASURES.items():
        if sop_step == SKM_SOP_STEP:
            rows.append(_skm_row(skm))
        elif not steps:
            rows.append(MonitoringRow(sop_step, None, (Msg("monitoring.note.not_measured"),), None))
        else:
            rows.append(_steps_row(sop_step, [compliance[s] for s in steps], threshold_percent))
    return tuple(rows)


def _steps_row(
    sop_step: int, figures: list[StepCompliance], threshold_percent: float
) -> MonitoringRow:
    done = sum(f.completed for f in figures)
    timely = sum(f.on_time for f in figures)
    overdue = sum(f.open_overdue for f in figures)
    notes: list[Msg] = []
    if done:
        # Integers on both sides: 4 of 5 at an 80% threshold is exactly good.
        good: bool | None = timely * 100 >= threshold_percent * done
        notes.append(
            Msg(
                "monitoring.note.steps",
                {"on_time": timely, "total": done, "percent": timely * 100 / done},
            )
        )
    else:
        good = False if overdue else None
        notes.append(Msg("monitoring.note.none_done" if overdue else "monitoring.note.no_data"))
    if overdue:
        notes.append(Msg("monitoring.note.open_overdue", {"count": overdue}))
    status = None if good is None else ("good" if good else "bad")
    action = Msg(f"monitoring.action.{sop_step}") if status == "bad" else None
    return MonitoringRow(sop_step, status, tuple(notes), action)


def _skm_row(skm: SkmFigures) -> MonitoringRow:
    result = skm.result
    if not skm.population:
        return MonitoringRow(SKM_SOP_STEP, None, (Msg("monitoring.note.no_data"),), None)
    notes = [
        Msg(
            "monitoring.note.skm",
            {
                "respondents": result.respondents,
                "sample": skm.sample,
                "population": skm.population,
            },
        )
    ]
    if result.converted is not None:
        notes.append(
            Msg("monitoring.note.ikm", {"ikm": result.converted, "category": result.category})
        )
    status = "good" if skm.adequate else "bad"
    action = Msg(f"monitoring.action.{SKM_SOP_STEP}") if status == "bad" else None
    return MonitoringRow(SKM_SOP_STEP, status, tuple(notes), action)
