"""The monthly counters against a recount, over random ticket histories (hypothesis).

Tickets are filed and changed through the real lifecycle (``open_ticket``, ``apply``, the
sweep's ``record_dispatch``/``record_breach``) at random moments, the clock moving on in
between, across a month's end. Every change's ``delta`` is added to its month, as the unit of
work has the store do; at the end:

- the counters equal ``recount`` of the final tickets and their histories, month by month;
- the figures read from them (with ``unswept`` at the time of reading) equal a naive count
  from the tickets: volume, per-step compliance with overdue steps as late, staff, SKM; and
  medians/p90s within the sketch's 1% of the exact ones.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiket.domain import lifecycle, system
from tiket.domain.aggregates import (
    acknowledge_minutes,
    contribution,
    delta,
    diagnose_minutes,
    month_of,
    recount,
    resolve_minutes,
    unswept,
)
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.deadlines import unrecorded_breaches
from tiket.domain.model import Actor, HistoryEntry, Requester, Survey, Ticket
from tiket.domain.reporting import figures
from tiket.domain.standards import StepClock
from tiket.domain.vocabulary import STEP_ORDER, Action, Role, Status

WIB = ZoneInfo("Asia/Jakarta")
CAL = WorkingCalendar(holiday_source=None)
CLOCK = StepClock(CAL)
START = datetime(2026, 11, 30, 14, 0, tzinfo=WIB)  # Monday; December starts tomorrow
TIK = (Actor("tik1@example.go.id", "Andi", Role.TIK), Actor("tik2@example.go.id", "Siti", Role.TIK))
RT = (Actor("rt1@example.go.id", "Budi", Role.RT),)
UNITS = ("Tata Usaha", "tata  usaha", "Keuangan")
SURVEY = st.fixed_dictionaries({f"u{i}": st.integers(1, 4) for i in range(1, 10)})


class World:
    """Tickets, their histories, and the counters kept by deltas."""

    def __init__(self) -> None:
        self.now = START
        self.tickets: dict[str, Ticket] = {}
        self.histories: dict[str, list[HistoryEntry]] = {}
        self.stored: dict[str, Counter] = {}

    def commit(self, before: Ticket | None, after: Ticket, entry: HistoryEntry) -> None:
        change = delta(before, after, entry, CAL)
        self.stored.setdefault(change.month, Counter()).update(change.counts)
        self.tickets[after.number] = after
        self.histories.setdefault(after.number, []).append(entry)


def file(world: World, data) -> None:
    number = f"TIK-2026-{len(world.tickets) + 1:06d}"
    outcome = lifecycle.open_ticket(
        number=number,
        requester=Requester("Ana", "ana@example.go.id", data.draw(st.sampled_from(UNITS)), "R1"),
        category=data.draw(st.sampled_from(("hardware", "network"))),
        subject="s",
        description="d",
        asset_tag=None,
        now=world.now,
        clock=CLOCK,
    )
    world.commit(None, outcome.ticket, outcome.history)


def fields_for(action: Action, data, now: datetime) -> dict:
    estimate = data.draw(st.sampled_from((30, 60, 240)))
    if action == Action.DIAGNOSE:
        decision = data.draw(st.sampled_from(("handle", "refer")))
        return {"diagnosis": "d", "decision": decision, "estimate_minutes": estimate}
    if action == Action.ACCEPT:
        return {"estimate_minutes": estimate}
    if action == Action.SURVEY:
        return {"survey": Survey(data.draw(SURVEY), "", now)}
    if action == Action.AUTO_CLOSE:
        return {"days": 5}
    return {"resolution": "r", "reason": "x"}


def change(world: World, data) -> None:
    ticket = world.tickets[data.draw(st.sampled_from(sorted(world.tickets)))]
    requester = Actor(ticket.requester.email, ticket.requester.name, Role.REQUESTER)
    actors = (*TIK, *RT, requester, Actor.system())
    everything = tuple(lifecycle.TRANSITIONS)
    possible = [
        (action, actor)
        for actor in actors
        for action in lifecycle.allowed_actions(ticket, actor, everything)
    ]
    if not possible:
        return
    action, actor = data.draw(st.sampled_from(possible))
    fields = fields_for(action, data, world.now)
    outcome = lifecycle.apply(ticket, action, actor, fields, world.now, CLOCK)
    world.commit(ticket, outcome.ticket, outcome.history)


def sweep(world: World) -> None:
    """The every-minute sweep, as far as the figures go: dispatches and breaches."""
    for ticket in list(world.tickets.values()):
        dispatched = system.record_dispatch(ticket, world.now)
        if dispatched is not None:
            world.commit(ticket, dispatched.ticket, dispatched.history)
            ticket = dispatched.ticket
        for record in unrecorded_breaches(ticket, world.now):
            outcome = system.record_breach(ticket, record, world.now)
            world.commit(ticket, outcome.ticket, outcome.history)
            ticket = outcome.ticket


def live(data) -> World:
    world = World()
    file(world, data)
    for _ in range(data.draw(st.integers(5, 40), label="moves")):
        move = data.draw(st.sampled_from(("file", "change", "change", "sweep", "wait")))
        if move == "file":
            file(world, data)
        elif move == "change":
            change(world, data)
        elif move == "sweep":
            sweep(world)
        else:
            world.now += timedelta(minutes=data.draw(st.integers(1, 2000)))
    world.now += timedelta(minutes=data.draw(st.integers(0, 600)))  # the report is read later
    return world


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.data())
def test_counters_kept_by_deltas_equal_a_recount(data) -> None:
    world = live(data)
    fresh = recount(((ticket, world.histories[n]) for n, ticket in world.tickets.items()), CAL)
    stored = {
        month: Counter({k: n for k, n in c.items() if n}) for month, c in world.stored.items()
    }
    assert stored == fresh


@PROPERTY
@given(st.data())
def test_figures_from_the_counters_equal_a_naive_count(data) -> None:
    world = live(data)
    tickets = list(world.tickets.values())
    now = world.now
    tally = Counter()
    for month in world.stored.values():
        tally.update(month)
    for ticket in tickets:  # the tickets the due index holds; the others add nothing
        tally.update(unswept(ticket, now))
    report = figures(tally, CAL, now)

    assert report.tickets == len(tickets)
    assert dict(report.by_status) == {s: sum(t.status == s for t in tickets) for s in Status}
    for step in STEP_ORDER:
        done = [r for t in tickets for r in t.steps_with_dispatch() if r.step == step and r.done_at]
        overdue = [
            r
            for t in tickets
            for r in t.steps_with_dispatch()
            if r.step == step and t.open and r.open and r.late_at(now)
        ]
        figures_of = report.compliance[step]
        assert figures_of.completed == len(done)
        assert figures_of.on_time == sum(r.done_at <= r.due_at for r in done)
        assert figures_of.open_overdue == len(overdue)
        assert figures_of.breaches == sum(step in t.late_steps(now) for t in tickets)
    for measure, minutes in (
        ("acknowledge", acknowledge_minutes),
        ("diagnose", diagnose_minutes),
        ("resolve", resolve_minutes),
    ):
        values = [v for t in tickets if (v := minutes(t, CAL)) is not None]
        spread = report.durations[measure]
        assert spread.count == len(values)
        if values:
            assert spread.median == pytest.approx(statistics.median(values), rel=0.01, abs=1e-6)
    respondents = [t.survey for t in tickets if t.survey]
    assert report.skm.result.respondents == len(respondents)
    assert report.skm.population == sum(t.resolved_at is not None for t in tickets)
    assert sum(report.backlog_by_age.values()) == sum(t.open for t in tickets)
    assert sum(roles for action in report.activity.values() for roles in action.values()) == sum(
        len(h) for h in world.histories.values()
    )


def test_a_change_moves_only_what_changed() -> None:
    world = World()
    outcome = lifecycle.open_ticket(
        number="TIK-2026-000001",
        requester=Requester("Ana", "ana@example.go.id", "Tata Usaha", "R1"),
        category="hardware",
        subject="s",
        description="d",
        asset_tag=None,
        now=START,
        clock=CLOCK,
    )
    world.commit(None, outcome.ticket, outcome.history)
    before = outcome.ticket
    after = lifecycle.apply(
        before, Action.ACKNOWLEDGE, TIK[0], {}, START + timedelta(minutes=3), CLOCK
    )
    moved = delta(before, after.ticket, after.history, CAL)
    assert moved.month == "2026-11"
    assert dict(moved.counts) == {
        ("status", "new"): -1,
        ("status", "acknowledged"): 1,
        ("step", "acknowledge", "done"): 1,
        ("step", "acknowledge", "on_time"): 1,
        ("staff_name", "tik", "tik1@example.go.id", "Andi"): 1,
        ("staff", "tik1@example.go.id", "acknowledged"): 1,
        ("time", "acknowledge", moved_bucket(after.ticket)): 1,
        ("event", "acknowledge", "tik", "30"): 1,
    }


def moved_bucket(ticket: Ticket) -> str:
    (key,) = [k for k in contribution(ticket, CAL) if k[0] == "time"]
    return key[2]


def test_the_filing_month_is_the_units() -> None:
    late_evening = datetime(2026, 11, 30, 23, 30, tzinfo=WIB)  # 16:30 UTC, still November
    ticket = lifecycle.open_ticket(
        number="TIK-2026-000009",
        requester=Requester("Ana", "ana@example.go.id", "TU", "R1"),
        category="hardware",
        subject="s",
        description="d",
        asset_tag=None,
        now=late_evening + timedelta(minutes=45),  # 00:15 WIB on 1 December
        clock=CLOCK,
    ).ticket
    assert month_of(ticket, WIB) == "2026-12"
    moved = replace(ticket, created_at=late_evening)
    with pytest.raises(ValueError, match="filing month"):
        delta(ticket, moved, lifecycle.imported(moved, START).history, CAL)
