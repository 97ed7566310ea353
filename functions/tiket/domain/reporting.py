"""The figures of a reporting period (PRODUCT.md §6, §13). Pure.

Input: the period's counters (``tiket.domain.aggregates``: kept month by month as tickets
change, or counted from tickets by ``compile_report``), the steps late at the time of
reading that no counter holds yet (``aggregates.unswept``), the unit's working calendar and
``now``. Every duration is in working minutes of that calendar, hold time excluded; medians
and p90s are read from the duration buckets (``tiket.domain.sketch``, within 1%).

A step is *measured* once it is done or still running past its due time: the compliance
percentage is on-time steps ÷ measured steps, so work left overdue counts as not within the
standard everywhere the percentage goes (summary, staff, monitoring sheet, charts, exports).
Texts are ``Msg`` values (key + numbers): the service renders them in the reader's language.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tiket.domain import sketch
from tiket.domain.aggregates import Tally, contribution, unswept
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.model import Ticket
from tiket.domain.skm import SkmResult, index_of_sums, minimum_sample
from tiket.domain.text import Msg
from tiket.domain.vocabulary import OPEN_STATUSES, STEP_ORDER, Role, Status, Step

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
    open_overdue: int  # still running past their due time (open tickets only)
    breaches: int  # recorded by the sweep, done late, or open past due

    @property
    def late(self) -> int:
        """Done, but after the due time."""
        return self.completed - self.on_time

    @property
    def measured(self) -> int:
        """Steps whose outcome is known: done, or already past due while still open."""
        return self.completed + self.open_overdue

    @property
    def percent(self) -> float | None:
        return self.on_time * 100 / self.measured if self.measured else None


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
    breaches: int  # breached steps they answer for, open ones included
    open_overdue: int  # of those, steps still running past due
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
    # History entries of the period's tickets: action → role of who made them → count.
    activity: Mapping[str, Mapping[str, int]]


def age_bucket(working_days: int) -> str:
    for upper, code in zip(_AGE_UPPER, AGE_BUCKETS[:-1], strict=True):
        if working_days <= upper:
            return code
    return AGE_BUCKETS[-1]


def spread(counts: Mapping[str, int]) -> Spread:
    return Spread(sketch.count(counts), sketch.quantile(counts, 0.5), sketch.quantile(counts, 0.9))


def compile_report(
    tickets: Iterable[Ticket],
    calendar: WorkingCalendar,
    now: datetime,
    *,
    threshold_percent: float = 80.0,
    categories: Iterable[str] = (),
) -> Report:
    """All figures of §6 for ``tickets`` as of ``now``, counted from the tickets themselves
    (without their histories: no activity)."""
    tally: Tally = Counter()
    for ticket in tickets:
        tally.update(contribution(ticket, calendar))
        tally.update(unswept(ticket, now))
    return figures(tally, calendar, now, threshold_percent=threshold_percent, categories=categories)


def figures(
    tally: Mapping[tuple[str, ...], int],
    calendar: WorkingCalendar,
    now: datetime,
    *,
    threshold_percent: float = 80.0,
    categories: Iterable[str] = (),
) -> Report:
    """All figures of §6 from a period's counters (late steps not yet swept included).
    ``categories`` orders the volume table (configured categories first, with zero counts)."""
    families: dict[str, dict[tuple[str, ...], int]] = defaultdict(dict)
    for key, n in tally.items():
        families[key[0]][key[1:]] = n

    def one(family: str) -> dict[str, int]:
        return {rest[0]: n for rest, n in families[family].items()}

    statuses = one("status")
    by_category: Counter[str] = Counter(dict.fromkeys(categories, 0))
    by_category.update(one("category"))
    compliance = {step: _compliance(step, families["step"]) for step in STEP_ORDER}
    skm = _skm(families["skm"], tally.get(("resolved",), 0))
    return Report(
        tickets=tally.get(("tickets",), 0),
        by_status={status: statuses.get(status, 0) for status in Status},
        by_category=dict(by_category),
        by_unit=_units(one("unit")),
        by_path={path: one("path").get(path, 0) for path in PATHS},
        compliance=compliance,
        durations={
            measure: spread(
                {rest[1]: n for rest, n in families["time"].items() if rest[0] == measure}
            )
            for measure in DURATIONS
        },
        backlog_by_status={
            status: statuses.get(status, 0) for status in Status if status in OPEN_STATUSES
        },
        backlog_by_age=_ages(one("open"), calendar, now),
        staff=_staff(families),
        skm=skm,
        monitoring=monitoring_rows(compliance, skm, threshold_percent),
        threshold_percent=threshold_percent,
        activity=_activity(families["event"]),
    )


def _compliance(step: Step, steps: Mapping[tuple[str, ...], int]) -> StepCompliance:
    return StepCompliance(
        step,
        completed=steps.get((step, "done"), 0),
        on_time=steps.get((step, "on_time"), 0),
        open_overdue=steps.get((step, "open_late"), 0),
        breaches=steps.get((step, "breach"), 0),
    )


def _units(spellings: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    """Units are typed by requesters: spellings that differ only in case count as one unit,
    named by its most frequent spelling."""
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for spelling, n in spellings.items():
        if n > 0:
            groups[spelling.casefold()].append((spelling, n))
    named = [
        (min(group, key=lambda sn: (-sn[1], sn[0]))[0], sum(n for _, n in group))
        for group in groups.values()
    ]
    return tuple(sorted(named, key=lambda item: (-item[1], item[0].casefold())))


def _ages(open_days: Mapping[str, int], calendar: WorkingCalendar, now: datetime) -> dict:
    by_age: Counter[str] = Counter(dict.fromkeys(AGE_BUCKETS, 0))
    days = {date.fromisoformat(day): n for day, n in open_days.items() if n > 0}
    if days:
        today = now.astimezone(calendar.zone).date()
        ordinal = _working_days(calendar, min(min(days), today), today)
        for day, n in days.items():
            filed = min(day, today)
            by_age[age_bucket(max(0, ordinal[today] - ordinal[filed]))] += n
    return dict(by_age)


def _working_days(calendar: WorkingCalendar, first: date, last: date) -> dict[date, int]:
    """Working days counted from ``first`` to each day up to ``last``, in one pass."""
    ordinal: dict[date, int] = {}
    count = 0
    day = first
    while day <= last:
        count += calendar.is_working_day(day)
        ordinal[day] = count
        day += timedelta(days=1)
    return ordinal


def _staff(families: Mapping[str, Mapping[tuple[str, ...], int]]) -> tuple[StaffFigures, ...]:
    names: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    for (role, email, name), n in families["staff_name"].items():
        if n > 0:
            names[email][(role, name)] = n
    counts = families["staff"]
    times: dict[str, dict[str, int]] = defaultdict(dict)
    for (email, key), n in families["staff_time"].items():
        times[email][key] = n
    people = []
    for email, seen in names.items():
        # Facilities staff never acknowledge: a member seen in both roles is facilities.
        (role, name), _ = max(seen.items(), key=lambda item: (item[0][0] == Role.RT, item[1]))
        people.append(
            StaffFigures(
                email=email,
                name=name or email,
                role=role,
                acknowledged=counts.get((email, "acknowledged"), 0),
                resolved=counts.get((email, "resolved"), 0),
                breaches=counts.get((email, "breach"), 0),
                open_overdue=counts.get((email, "open_late"), 0),
                median_resolve=sketch.quantile(times[email], 0.5),
            )
        )
    return tuple(sorted(people, key=lambda p: (p.role != Role.TIK, p.name.casefold())))


def _skm(counts: Mapping[tuple[str, ...], int], population: int) -> SkmFigures:
    sums = {key[0]: n for key, n in counts.items() if key[1:] == ("sum",)}
    answers = {key[0]: n for key, n in counts.items() if key[1:] == ("answers",)}
    result = index_of_sums(counts.get(("respondents",), 0), sums, answers)
    return SkmFigures(result, population, minimum_sample(population))


def _activity(events: Mapping[tuple[str, ...], int]) -> dict[str, dict[str, int]]:
    activity: dict[str, Counter[str]] = defaultdict(Counter)
    for (action, role, _day), n in events.items():
        activity[action][role] += n
    return {action: dict(roles) for action, roles in activity.items()}


def monitoring_rows(
    compliance: Mapping[Step, StepCompliance], skm: SkmFigures, threshold_percent: float
) -> tuple[MonitoringRow, ...]:
    """The SOP monitoring sheet: a step runs well when the share of its measured steps done
    within the time standard reaches ``threshold_percent``; the survey, when the
    respondents reach the Krejcie–Morgan sample."""
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
    measured = done + overdue
    notes: list[Msg] = []
    good: bool | None = None
    if measured:
        # Integers on both sides: 4 of 5 at an 80% threshold is exactly good.
        good = timely * 100 >= threshold_percent * measured
    if done:
        notes.append(
            Msg(
                "monitoring.note.steps",
                {"on_time": timely, "total": done, "percent": timely * 100 / done},
            )
        )
    else:
        notes.append(Msg("monitoring.note.none_done" if overdue else "monitoring.note.no_data"))
    if overdue:
        notes.append(Msg("monitoring.note.open_overdue", {"count": overdue}))
        # The verdict's basis when work is overdue: those steps count as not on time.
        share = {"on_time": timely, "total": measured, "percent": timely * 100 / measured}
        notes.append(Msg("monitoring.note.measured", share))
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
