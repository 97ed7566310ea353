"""The staff workflow in the pure domain: the escalation ladder, a step begun again,
reassignment's rules, and the estimate presets."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tiket.domain import lifecycle
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.deadlines import (
    LADDER_TOP,
    SurveyPolicy,
    due_escalations,
    next_check,
    unrecorded_breaches,
)
from tiket.domain.errors import Conflict, Forbidden, ValidationFailed
from tiket.domain.estimates import estimate_presets, office_day_minutes
from tiket.domain.model import Actor, Requester, Staff
from tiket.domain.standards import StepClock
from tiket.domain.system import breach_once, escalate, escalation_once, record_breach
from tiket.domain.vocabulary import Action, Role, Step

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)  # Monday
CALENDAR = WorkingCalendar(holiday_source=None)
CLOCK = StepClock(CALENDAR)
TIK1 = Actor("tik1@x.go.id", "Andi", Role.TIK)
RT1 = Actor("rt1@x.go.id", "Budi", Role.RT)
SUPERVISOR = Actor("sup@x.go.id", "Rina", Role.SUPERVISOR)
TIK2 = Staff("tik2@x.go.id", "Siti", Role.TIK)


def at(hour: int, minute: int, second: int = 0, day: int = 30) -> datetime:
    month = 11 if day >= 30 else 12
    return datetime(2026, month, day, hour, minute, second, tzinfo=WIB)


def new_ticket():
    ticket = lifecycle.open_ticket(
        number="TIK-2026-000001",
        requester=Requester("Ana", "ana@x.go.id", "TU", "R101"),
        category="hardware",
        subject="s",
        description="d",
        asset_tag=None,
        now=NOW,
        clock=CLOCK,
    ).ticket
    return replace(ticket, notified_at=NOW)  # the new-request email went out


def act(ticket, action, actor, when=NOW, **fields):
    return lifecycle.apply(ticket, Action(action), actor, fields, when, CLOCK)


def breached(ticket, when):
    (record,) = unrecorded_breaches(ticket, when)
    return record_breach(ticket, record, when).ticket


# --- the escalation ladder -------------------------------------------------------------------


def test_a_step_left_overdue_climbs_one_level_per_full_standard():
    ticket = breached(new_ticket(), at(8, 5, 1))  # level 1: due 08:05
    ack = ticket.step(Step.ACKNOWLEDGE)
    assert ticket.escalation_level(ack) == 1
    policy = SurveyPolicy()
    assert next_check(ticket, CALENDAR, policy) == at(8, 10) + timedelta(microseconds=1)
    assert due_escalations(ticket, at(8, 10), CALENDAR) == []
    assert due_escalations(ticket, at(8, 10, 1), CALENDAR) == [(ack, 2)]

    level2 = escalate(ticket, ack, 2, at(8, 10, 1))
    assert [(n.kind, n.to) for n in level2.notices] == [
        ("escalation", "pool:tik"),
        ("escalation", "role:supervisor"),
    ]
    assert level2.notices[0].actions == (Action.ACKNOWLEDGE,)
    assert level2.history.action == "escalate" and level2.history.params["level"] == 2
    assert level2.once == (escalation_once(ack, 2),)
    ticket = level2.ticket
    assert ticket.escalation_level(ticket.step(Step.ACKNOWLEDGE)) == 2
    assert ticket.status == "new" and ticket.version == 1  # the status stays
    assert next_check(ticket, CALENDAR, policy) == at(8, 15) + timedelta(microseconds=1)

    top = escalate(ticket, ticket.step(Step.ACKNOWLEDGE), 3, at(8, 15, 1))
    assert [n.to for n in top.notices] == ["pool:tik", "role:supervisor", "role:admin"]
    assert top.notices[0].extra["notes"] == ("mail.escalation.admin",)
    ticket = top.ticket
    assert LADDER_TOP == 3
    assert due_escalations(ticket, at(16, 0, day=4), CALENDAR) == []
    assert next_check(ticket, CALENDAR, policy) is None  # nothing more to climb


def test_the_ladder_counts_working_time():
    """Due 15:58 Monday, standard 5: level 2 at Tuesday 07:33 (2 minutes Monday, 3 Tuesday)."""
    ticket = new_ticket()
    late = replace(ticket.step(Step.ACKNOWLEDGE), started_at=at(15, 53), due_at=at(15, 58))
    ticket = breached(ticket.with_step(late), at(15, 59))
    record = ticket.step(Step.ACKNOWLEDGE)
    assert due_escalations(ticket, at(7, 33, day=1), CALENDAR) == []
    assert due_escalations(ticket, at(7, 33, 1, day=1), CALENDAR) == [(record, 2)]


def test_a_sweep_that_was_down_sends_the_highest_level_reached_once():
    ticket = breached(new_ticket(), at(9, 0))
    ack = ticket.step(Step.ACKNOWLEDGE)
    assert due_escalations(ticket, at(9, 0), CALENDAR) == [(ack, 3)]


def test_a_held_step_does_not_climb():
    ticket = act(new_ticket(), "acknowledge", TIK1).ticket
    ticket = act(ticket, "diagnose", TIK1, diagnosis="d", decision="handle", estimate_minutes=30)
    ticket = ticket.ticket
    ticket = breached(ticket, at(8, 31))
    held = act(ticket, "hold", TIK1, at(8, 40), reason="suku cadang").ticket
    assert due_escalations(held, at(15, 0), CALENDAR) == []
    assert next_check(held, CALENDAR, SurveyPolicy()) is None


def test_the_holder_hears_with_their_links_and_the_supervisor_without():
    ticket = act(new_ticket(), "acknowledge", TIK1).ticket
    ticket = breached(ticket, at(8, 11))
    outcome = escalate(ticket, ticket.step(Step.DIAGNOSE), 2, at(8, 21))
    holder, supervisor = outcome.notices
    assert holder.to == "holder" and Action.DIAGNOSE in holder.actions
    assert supervisor.to == "role:supervisor" and supervisor.actions == ()


# --- return: a step begun again ---------------------------------------------------------------


def referred():
    ticket = act(new_ticket(), "acknowledge", TIK1).ticket
    return act(ticket, "diagnose", TIK1, at(8, 20), diagnosis="AC", decision="refer").ticket


def test_a_returned_referral_is_diagnosed_afresh_and_may_breach_again():
    ticket = act(new_ticket(), "acknowledge", TIK1).ticket
    ticket = breached(ticket, at(8, 11))  # diagnosis late the first time
    first = ticket.step(Step.DIAGNOSE)
    ticket = act(ticket, "diagnose", TIK1, at(8, 20), diagnosis="AC", decision="refer").ticket
    outcome = act(ticket, "return", RT1, at(9, 0), reason="bukan perbaikan")
    back = outcome.ticket
    assert (back.status, back.assignee, back.path) == ("acknowledged", TIK1.email, None)
    assert back.step(Step.RT_ACCEPT).done_at == at(9, 0)
    again = back.step(Step.DIAGNOSE)
    assert (again.started_at, again.due_at, again.done_at) == (at(9, 0), at(9, 10), None)
    assert Step.DIAGNOSE not in back.breaches and back.escalation_level(again) == 0
    assert [(n.kind, n.to) for n in outcome.notices] == [
        ("returned", "assignee"),
        ("returned_requester", "requester"),
    ]
    assert outcome.notices[0].extra == {"by": "Budi", "reason": "bukan perbaikan"}
    assert outcome.history.note == "bukan perbaikan"
    # The new attempt breaches on its own, under a once-only key of its own.
    assert unrecorded_breaches(back, at(9, 11)) == [again]
    assert breach_once(again) != breach_once(first)


def test_only_facilities_return_and_only_a_referral():
    with pytest.raises(Forbidden):
        act(referred(), "return", TIK1, reason="x")
    with pytest.raises(Conflict):
        act(act(new_ticket(), "acknowledge", TIK1).ticket, "return", RT1, reason="x")
    without_referrer = replace(referred(), assignee=None, assignee_name=None)
    with pytest.raises(Conflict):
        act(without_referrer, "return", RT1, reason="x")


# --- reassignment -----------------------------------------------------------------------------


def test_reassignment_moves_the_holder_and_keeps_the_clock():
    ticket = act(new_ticket(), "acknowledge", TIK1).ticket
    outcome = act(ticket, "reassign", SUPERVISOR, at(8, 3), email=TIK2.email, to=TIK2)
    after = outcome.ticket
    assert (after.status, after.holder(), after.version) == ("acknowledged", TIK2.email, 3)
    assert after.steps == ticket.steps
    assert outcome.history.params == {"from_name": "Andi", "to_name": "Siti"}
    assert [(n.kind, n.to) for n in outcome.notices] == [
        ("reassigned", "holder"),
        ("reassigned_away", "staff:tik1@x.go.id"),
        ("reassigned_requester", "requester"),
    ]


@pytest.mark.parametrize(
    ("to", "error"),
    [
        (None, ValidationFailed),
        (replace(TIK2, active=False), Conflict),
        (Staff("rt2@x.go.id", "Dewi", Role.RT), Conflict),
        (Staff(TIK1.email, "Andi", Role.TIK), Conflict),
    ],
)
def test_reassignment_refuses_the_wrong_people(to, error):
    ticket = act(new_ticket(), "acknowledge", TIK1).ticket
    with pytest.raises(error):
        act(ticket, "reassign", SUPERVISOR, email="x@x.go.id", to=to)


def test_only_supervisors_and_admins_reassign_and_only_held_work():
    ticket = act(new_ticket(), "acknowledge", TIK1).ticket
    with pytest.raises(Forbidden):
        act(ticket, "reassign", TIK1, email=TIK2.email, to=TIK2)
    with pytest.raises(Conflict) as unheld:
        act(new_ticket(), "reassign", SUPERVISOR, email=TIK2.email, to=TIK2)
    assert unheld.value.msg.key == "reassign.unheld"


# --- estimate presets --------------------------------------------------------------------------


def test_presets_follow_the_shortest_office_day():
    assert office_day_minutes(CALENDAR.office_hours) == 510  # Mon–Thu 07:30–16:00
    assert estimate_presets(CALENDAR.office_hours, 1020) == {
        "min30": 30,
        "hour1": 60,
        "half_day": 255,
        "day1": 510,
        "days2": 1020,
    }
    short = {day: (time(8, 0), time(15, 0)) for day in range(5)}
    assert estimate_presets(short, 1020)["day1"] == 420
    assert list(estimate_presets(CALENDAR.office_hours, 300)) == ["min30", "hour1", "half_day"]
