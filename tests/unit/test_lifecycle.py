"""The SOP state machine as plain values: legal transitions, roles, fields, step clocks."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tiket.domain import lifecycle
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.deadlines import SurveyPolicy, next_check, unrecorded_breaches
from tiket.domain.errors import Conflict, Forbidden
from tiket.domain.model import Actor, Requester, Survey
from tiket.domain.standards import StepClock
from tiket.domain.vocabulary import Action, Status

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)
CLOCK = StepClock(WorkingCalendar(holiday_source=None))
TIK1 = Actor("tik1@x.go.id", "Andi", "tik")
TIK2 = Actor("tik2@x.go.id", "Siti", "tik")
RT1 = Actor("rt1@x.go.id", "Budi", "rt")
REQUESTER = Actor("ana@x.go.id", "Ana", "requester")
SYSTEM = Actor.system()

# The edges of PRODUCT.md §3, written out independently of the implementation.
EDGES = {
    ("new", "acknowledge"): "acknowledged",
    ("acknowledged", "diagnose:handle"): "in_progress",
    ("acknowledged", "diagnose:refer"): "referred",
    ("referred", "accept"): "in_repair",
    ("in_progress", "resolve"): "resolved",
    ("in_repair", "resolve"): "resolved",
    ("in_progress", "hold"): "on_hold",
    ("in_repair", "hold"): "on_hold",
    ("resolved", "survey"): "closed",
    ("resolved", "auto_close"): "closed",
    ("referred", "return"): "acknowledged",
    **{(status, "cancel"): "cancelled" for status in lifecycle.TRANSITIONS[Action.CANCEL].sources},
}
FIELDS = {
    "acknowledge": {},
    "diagnose:handle": {"diagnosis": "d", "decision": "handle", "estimate_minutes": 30},
    "diagnose:refer": {"diagnosis": "d", "decision": "refer"},
    "accept": {"estimate_minutes": 45},
    "resolve": {"resolution": "r"},
    "hold": {"reason": "h"},
    "resume": {},
    "cancel": {"reason": "c"},
    "survey": {"survey": Survey({f"u{i}": 4 for i in range(1, 10)}, "", NOW)},
    "auto_close": {"days": 5},
    "reopen": {"reason": "masih rusak"},
    "return": {"reason": "bukan perbaikan"},
}


def new_ticket():
    return lifecycle.open_ticket(
        number="TIK-2026-000001",
        requester=Requester("Ana", "ana@x.go.id", "TU", "R101"),
        category="hardware",
        subject="s",
        description="d",
        asset_tag=None,
        track_token="t" * 32,
        now=NOW,
        clock=CLOCK,
    ).ticket


def run(ticket, move: str, actor: Actor):
    action = Action(move.split(":")[0])
    return lifecycle.apply(ticket, action, actor, FIELDS[move], NOW, CLOCK).ticket


def test_new_ticket_starts_dispatch_and_acknowledge_clocks():
    ticket = new_ticket()
    assert (ticket.status, ticket.version) == ("new", 1)
    assert [s.step for s in ticket.steps] == ["notify", "acknowledge"]
    assert ticket.step("acknowledge").due_at == datetime(2026, 11, 30, 8, 5, tzinfo=WIB)


def test_path_a_and_path_b():
    a = run(run(run(new_ticket(), "acknowledge", TIK1), "diagnose:handle", TIK1), "resolve", TIK1)
    assert (a.status, a.path, a.version) == ("resolved", "tik", 4)
    b = run(run(new_ticket(), "acknowledge", TIK1), "diagnose:refer", TIK1)
    b = run(run(b, "accept", RT1), "resolve", RT1)
    assert (b.status, b.path, b.assignee, b.repair_assignee) == (
        "resolved",
        "rt",
        TIK1.email,
        RT1.email,
    )


@pytest.mark.parametrize(
    ("move", "actor", "error"),
    [
        ("acknowledge", RT1, Forbidden),
        ("acknowledge", REQUESTER, Forbidden),
        ("diagnose:handle", TIK1, Conflict),  # not acknowledged yet
        ("resolve", TIK1, Conflict),
        ("survey", REQUESTER, Conflict),
        ("cancel", RT1, Forbidden),
    ],
)
def test_refused_moves_on_a_new_ticket(move, actor, error):
    with pytest.raises(error):
        run(new_ticket(), move, actor)


def test_only_the_holder_diagnoses_resolves_holds():
    ticket = run(new_ticket(), "acknowledge", TIK1)
    with pytest.raises(Forbidden):
        run(ticket, "diagnose:handle", TIK2)
    ticket = run(ticket, "diagnose:handle", TIK1)
    for move in ("resolve", "hold"):
        with pytest.raises(Forbidden):
            run(ticket, move, TIK2)
    held = run(ticket, "hold", TIK1)
    with pytest.raises(Forbidden):
        run(held, "resume", TIK2)
    assert run(held, "resume", TIK1).status == "in_progress"


def test_second_acknowledge_names_who_took_it():
    taken = run(new_ticket(), "acknowledge", TIK1)
    with pytest.raises(Conflict) as refused:
        lifecycle.check(taken, "acknowledge", TIK2)
    assert refused.value.msg.params["name"] == "Andi"


def test_hold_pauses_and_resume_moves_the_deadline():
    ticket = run(run(new_ticket(), "acknowledge", TIK1), "diagnose:handle", TIK1)
    assert ticket.step("handle").due_at == datetime(2026, 11, 30, 8, 30, tzinfo=WIB)
    held = lifecycle.apply(
        ticket, "hold", TIK1, {"reason": "x"}, NOW.replace(hour=8, minute=10), CLOCK
    )
    step = held.ticket.step("handle")
    assert step.paused_since is not None and not step.late_at(NOW.replace(hour=12))
    resumed = lifecycle.apply(
        held.ticket, "resume", TIK1, {}, NOW.replace(hour=9, minute=10), CLOCK
    )
    step = resumed.ticket.step("handle")
    assert step.paused_minutes == 60
    assert step.due_at == datetime(2026, 11, 30, 9, 30, tzinfo=WIB)


def test_next_check_follows_the_running_step_and_ignores_held_and_recorded():
    policy = SurveyPolicy()
    calendar = CLOCK.calendar
    ticket = new_ticket()
    assert next_check(ticket, calendar, policy) > ticket.step("acknowledge").due_at
    assert next_check(ticket, calendar, policy, frozenset({"notify", "acknowledge"})) is None
    later = NOW.replace(hour=9)
    assert [r.step for r in unrecorded_breaches(ticket, later)] == ["notify", "acknowledge"]
    held = run(run(run(ticket, "acknowledge", TIK1), "diagnose:handle", TIK1), "hold", TIK1)
    assert next_check(held, calendar, policy, frozenset({"notify"})) is None
    assert unrecorded_breaches(held, later.replace(hour=15)) == [held.step("notify")]


actors = st.sampled_from([TIK1, TIK2, RT1, REQUESTER, SYSTEM])
moves = st.sampled_from(sorted(FIELDS))


class Lifecycle(RuleBasedStateMachine):
    """Random actions by random people, in random order: only the SOP's edges happen."""

    def __init__(self):
        super().__init__()
        self.ticket = new_ticket()
        self.first_assignee = None
        self.first_repair = None

    @rule(move=moves, actor=actors)
    def act(self, move, actor):
        before = self.ticket
        try:
            after = run(before, move, actor)
        except (Conflict, Forbidden):
            return
        expected = EDGES.get((before.status, move))
        if move == "resume":
            expected = before.held_from
        if move == "reopen" and before.status == "resolved":
            expected = "in_repair" if before.path == "rt" else "in_progress"
        assert after.status == expected, (before.status, move, after.status)
        assert after.version == before.version + 1
        self.ticket = after

    @invariant()
    def one_assignee_each_once_set(self):
        if self.first_assignee is None:
            self.first_assignee = self.ticket.assignee
        assert self.ticket.assignee == self.first_assignee
        if self.first_repair is None:
            self.first_repair = self.ticket.repair_assignee
        assert self.ticket.repair_assignee == self.first_repair

    @invariant()
    def legal_status(self):
        assert self.ticket.status in tuple(Status)


TestLifecycleMachine = Lifecycle.TestCase
TestLifecycleMachine.settings = settings(max_examples=200, stateful_step_count=25, deadline=None)
