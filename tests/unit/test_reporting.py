"""Figures of a period from a small data set checked by hand.

The tickets run through the real lifecycle (``open_ticket``/``apply``) on a calendar without
holidays, so every working minute below can be counted on the office hours alone:
Mon–Thu 07:30–16:00, Fri 07:30–16:30. "Now" is Monday 30 November 2026, 12:00 WIB.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tiket.domain.aggregates import acknowledge_minutes, resolve_minutes
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.lifecycle import apply, open_ticket
from tiket.domain.model import Actor, Requester, Survey, Ticket
from tiket.domain.reporting import (
    SkmFigures,
    StepCompliance,
    age_bucket,
    compile_report,
    monitoring_rows,
    spread,
)
from tiket.domain.sketch import bucket
from tiket.domain.skm import SkmResult, index
from tiket.domain.standards import StepClock
from tiket.domain.vocabulary import STEP_ORDER

WIB = ZoneInfo("Asia/Jakarta")
CAL = WorkingCalendar(holiday_source=None)
CLOCK = StepClock(CAL)
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=WIB)
ANDI = Actor("tik1@example.go.id", "Andi Pratama", "tik")
SITI = Actor("tik2@example.go.id", "Siti Rahmawati", "tik")
BUDI = Actor("rt1@example.go.id", "Budi Santoso", "rt")


def nov(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def filed(number: int, at: datetime, category: str = "hardware", unit: str = "Tata Usaha"):
    ticket = open_ticket(
        number=f"TIK-2026-{number:06d}",
        requester=Requester("Ana", "ana@example.go.id", unit, "Ruang 101"),
        category=category,
        subject="Printer macet",
        description="Kertas tersangkut.",
        asset_tag=None,
        now=at,
        clock=CLOCK,
    ).ticket
    # The new-request email went out a minute later (notify standard: 5 minutes).
    return replace(ticket, notified_at=at + timedelta(minutes=1))


def act(ticket: Ticket, action: str, actor: Actor, at: datetime, **fields) -> Ticket:
    return apply(ticket, action, actor, fields, at, CLOCK).ticket


def surveyed(ticket: Ticket, answer: int, at: datetime) -> Ticket:
    requester = Actor(ticket.requester.email, ticket.requester.name, "requester")
    survey = Survey({f"u{i}": answer for i in range(1, 10)}, "", at)
    return act(ticket, "survey", requester, at, survey=survey)


def ticket_a() -> Ticket:
    """Filed Friday 16:20, acknowledged Monday 07:40 (late), handled with a one-hour hold."""
    t = filed(1, nov(27, 16, 20))
    t = act(t, "acknowledge", ANDI, nov(30, 7, 40))  # due Fri 16:25: late
    # diagnose: started 07:40, due 07:50, done 07:46 (6 min); handle due 08:46
    t = act(t, "diagnose", ANDI, nov(30, 7, 46), diagnosis="Roller aus", decision="handle",
            estimate_minutes=60)  # fmt: skip
    t = act(t, "hold", ANDI, nov(30, 8, 0), reason="Menunggu roller")
    t = act(t, "resume", ANDI, nov(30, 9, 0))  # 60 minutes held: handle due 09:46
    t = act(t, "resolve", ANDI, nov(30, 9, 30), resolution="Roller diganti")
    return surveyed(t, 4, nov(30, 9, 45))


def ticket_b() -> Ticket:
    """Diagnosed late by Siti and referred; Budi accepts and repairs on time."""
    t = filed(2, nov(23, 8, 0), category="network", unit="  tata   USAHA ")
    t = act(t, "acknowledge", SITI, nov(23, 8, 3))  # 3 min, on time
    t = act(t, "diagnose", SITI, nov(23, 8, 20), diagnosis="Kabel putus", decision="refer")
    t = act(t, "accept", BUDI, nov(23, 9, 0), estimate_minutes=120)  # due 09:20: on time
    t = act(t, "resolve", BUDI, nov(23, 10, 30), resolution="Kabel diganti")  # due 11:00
    return surveyed(t, 3, nov(23, 11, 0))


def ticket_c() -> Ticket:
    """Filed this morning and nobody has acknowledged it yet (due 11:05)."""
    return filed(3, nov(30, 11, 0))


def ticket_d() -> Ticket:
    """In progress since 18 November, handling overdue; the sweep recorded the breach."""
    t = filed(4, nov(18, 10, 0), category="email_account", unit="Keuangan")
    t = act(t, "acknowledge", ANDI, nov(18, 10, 4))
    t = act(t, "diagnose", ANDI, nov(18, 10, 10), diagnosis="Kuota penuh", decision="handle",
            estimate_minutes=30)  # fmt: skip
    return replace(t, breaches=frozenset({"handle"}))


def ticket_e() -> Ticket:
    """Cancelled two minutes after filing: its open acknowledge step never runs late."""
    t = filed(5, nov(24, 9, 0))
    return act(t, "cancel", ANDI, nov(24, 9, 2), reason="Ganda")


@pytest.fixture(scope="module")
def tickets() -> list[Ticket]:
    return [ticket_a(), ticket_b(), ticket_c(), ticket_d(), ticket_e()]


@pytest.fixture(scope="module")
def report(tickets):
    return compile_report(
        tickets, CAL, NOW, threshold_percent=80.0, categories=("hardware", "network", "other")
    )


def test_working_minutes_run_across_the_weekend() -> None:
    a = ticket_a()
    # Friday 16:20 → 16:30 closing = 10, Monday 07:30 → 07:40 = 10.
    assert acknowledge_minutes(a, CAL) == 20
    # Friday 16:20 → Monday 09:30: 10 + 120 = 130 working minutes, minus 60 on hold.
    assert resolve_minutes(a, CAL) == 70
    assert a.step("handle").paused_minutes == 60


def test_volume(report) -> None:
    assert report.tickets == 5
    assert report.by_status["closed"] == 2
    assert report.by_status["new"] == report.by_status["in_progress"] == 1
    assert report.by_status["cancelled"] == 1
    # Configured categories first (with zeros), then any other found.
    assert report.by_category == {"hardware": 3, "network": 1, "other": 0, "email_account": 1}
    # "Tata Usaha" and "  tata   USAHA " are one unit, named as first seen.
    assert report.by_unit == (("Tata Usaha", 4), ("Keuangan", 1))
    assert report.by_path == {"tik": 2, "rt": 1, "none": 2}


def test_compliance_per_step(report) -> None:
    c = report.compliance
    assert list(c) == ["notify", "acknowledge", "diagnose", "rt_accept", "handle"]
    # Every email went out a minute after filing.
    assert (c["notify"].completed, c["notify"].on_time, c["notify"].percent) == (5, 5, 100.0)
    # A late, B and D on time; C still open past 11:05; E cancelled (not counted).
    ack = c["acknowledge"]
    assert (ack.completed, ack.on_time, ack.late, ack.open_overdue, ack.breaches) == (3, 2, 1, 1, 2)
    # C's step is overdue: not within the standard, so 2 of 4 measured, not 2 of 3 done.
    assert ack.measured == 4
    assert ack.percent == 50.0
    # A 6 min and D 6 min on time; B 17 min (due 08:13, done 08:20).
    diagnose = c["diagnose"]
    assert (diagnose.completed, diagnose.on_time, diagnose.breaches) == (3, 2, 1)
    assert (c["rt_accept"].completed, c["rt_accept"].on_time) == (1, 1)
    # A and B handled in time; D open past due and recorded by the sweep.
    handle = c["handle"]
    assert (handle.completed, handle.on_time, handle.open_overdue, handle.breaches) == (2, 2, 1, 1)
    assert handle.percent == pytest.approx(66.667, abs=0.001)


def test_breached_steps_of_each_ticket(tickets) -> None:
    a, b, c, d, e = tickets
    assert a.late_steps(NOW) == {"acknowledge"}
    assert b.late_steps(NOW) == {"diagnose"}
    assert c.late_steps(NOW) == {"acknowledge"}
    assert d.late_steps(NOW) == {"handle"}
    assert e.late_steps(NOW) == frozenset()


# Durations are read from buckets 1% wide (tiket.domain.sketch).
WITHIN_1 = {"rel": 0.01}


def test_durations_median_and_p90(report) -> None:
    d = report.durations
    # Acknowledge: A 20, B 3, D 4 → [3, 4, 20]: median 4;
    # p90 (inclusive) = 4 + 0.8 × (20 − 4) = 16.8.
    assert d["acknowledge"].count == 3
    assert d["acknowledge"].median == pytest.approx(4, **WITHIN_1)
    assert d["acknowledge"].p90 == pytest.approx(16.8, **WITHIN_1)
    # Diagnose: A 6, B 17, D 6 → [6, 6, 17]: median 6; p90 = 6 + 0.8 × 11 = 14.8.
    assert d["diagnose"].median == pytest.approx(6, **WITHIN_1)
    assert d["diagnose"].p90 == pytest.approx(14.8, **WITHIN_1)
    # Resolve: A 70, B 150 (Mon 08:00 → 10:30): median 110; p90 = 70 + 0.9 × 80 = 142.
    assert d["resolve"].median == pytest.approx(110, **WITHIN_1)
    assert d["resolve"].p90 == pytest.approx(142, **WITHIN_1)


def test_spread_of_none_and_one() -> None:
    assert spread({}).median is None
    assert spread({}).count == 0
    one = spread({bucket(7.0): 1})
    assert one.median == one.p90 == pytest.approx(7.0, **WITHIN_1)


def test_backlog_by_status_and_age(report) -> None:
    assert report.backlog_by_status == {
        "new": 1,
        "acknowledged": 0,
        "in_progress": 1,
        "referred": 0,
        "in_repair": 0,
        "on_hold": 0,
    }
    # C: filed today → 0 working days. D: Wed 18 Nov → Mon 30 Nov: 19, 20, 23–27, 30 = 8.
    assert report.backlog_by_age == {"d0": 1, "d1_2": 0, "d3_5": 0, "d6_10": 1, "d11": 0}


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(0, "d0"), (1, "d1_2"), (2, "d1_2"), (3, "d3_5"), (5, "d3_5"), (6, "d6_10"), (10, "d6_10"),
     (11, "d11"), (400, "d11")],
)  # fmt: skip
def test_age_buckets(days: int, bucket: str) -> None:
    assert age_bucket(days) == bucket


def test_per_staff_member(report) -> None:
    rows = [
        (s.name, s.role, s.acknowledged, s.resolved, s.breaches, s.open_overdue)
        for s in report.staff
    ]
    assert rows == [
        # A's late acknowledgement and D's overdue handling (still open) are Andi's.
        ("Andi Pratama", "tik", 2, 1, 2, 1),
        # B's late diagnosis is Siti's; B was resolved by facilities.
        ("Siti Rahmawati", "tik", 1, 0, 1, 0),
        ("Budi Santoso", "rt", 0, 1, 0, 0),
    ]
    medians = [s.median_resolve for s in report.staff]
    assert medians[0] == pytest.approx(70, **WITHIN_1)
    assert medians[1] is None
    assert medians[2] == pytest.approx(150, **WITHIN_1)


def test_skm_section(report) -> None:
    skm = report.skm
    # A answered 4 everywhere, B 3: every NRR 3.5, converted 87.50 → B.
    assert skm.result.respondents == 2
    assert str(skm.result.converted) == "87.50"
    assert skm.result.category == "B"
    # N = 2 resolved: 1.9205 / (0.0025 + 0.96025) = 1.99… → 2; two respondents suffice.
    assert (skm.population, skm.sample, skm.adequate) == (2, 2, True)


def test_monitoring_sheet_from_the_data(report) -> None:
    rows = {row.sop_step: row for row in report.monitoring}
    assert list(rows) == [1, 2, 3, 4, 5, 6, 7]
    for step in (1, 2):
        assert rows[step].status is None
        assert rows[step].notes[0].key == "monitoring.note.not_measured"
        assert rows[step].action is None
    assert rows[3].status == "good"
    assert rows[3].notes[0].params == {"on_time": 5, "total": 5, "percent": 100.0}
    # Acknowledge: 2 of 3 done on time, and C still open past due → 2 of 4 (50%).
    assert rows[4].status == "bad"
    assert [n.key for n in rows[4].notes] == [
        "monitoring.note.steps",
        "monitoring.note.open_overdue",
        "monitoring.note.measured",
    ]
    assert rows[4].notes[2].params == {"on_time": 2, "total": 4, "percent": 50.0}
    assert rows[4].action.key == "monitoring.action.4"
    assert rows[5].status == "bad"
    # Handling = RT acceptance + handling: all 3 done were on time, but D's handling is
    # overdue: 3 of 4 (75%) is below 80%, so the step does not run well.
    assert rows[6].status == "bad"
    assert rows[6].notes[0].params["total"] == 3
    assert rows[6].notes[1].params == {"count": 1}
    assert rows[6].notes[2].params["total"] == 4
    assert rows[6].action.key == "monitoring.action.6"
    assert rows[7].status == "good"
    assert rows[7].notes[0].params == {"respondents": 2, "sample": 2, "population": 2}


def _skm(respondents: int = 0, population: int = 0, sample: int = 0) -> SkmFigures:
    nrr = dict.fromkeys(f"u{i}" for i in range(1, 10))
    return SkmFigures(SkmResult(respondents, nrr, None, None, None), population, sample)


def _compliance(completed: int = 0, on_time: int = 0, overdue: int = 0):
    late = completed - on_time + overdue
    return {step: StepCompliance(step, completed, on_time, overdue, late) for step in STEP_ORDER}


@pytest.mark.parametrize(
    ("on_time", "completed", "threshold", "status"),
    [
        (4, 5, 80.0, "good"),  # exactly at the threshold
        (3, 4, 80.0, "bad"),  # 75% below it
        (2, 3, 60.0, "good"),  # the threshold is configurable
        (0, 0, 80.0, None),  # nothing to judge
    ],
)
def test_monitoring_threshold(on_time, completed, threshold, status) -> None:
    rows = monitoring_rows(_compliance(completed, on_time), _skm(), threshold)
    assert rows[3].status == status  # SOP step 4
    assert (rows[3].action is not None) == (status == "bad")


def test_monitoring_without_completed_steps_but_overdue_is_bad() -> None:
    row = monitoring_rows(_compliance(overdue=2), _skm(), 80.0)[3]
    assert row.status == "bad"
    assert [n.key for n in row.notes] == [
        "monitoring.note.none_done",
        "monitoring.note.open_overdue",
        "monitoring.note.measured",
    ]


@pytest.mark.parametrize(
    ("on_time", "completed", "overdue", "status"),
    [
        (5, 5, 0, "good"),
        # The case: every step done was on time, three are overdue: 2 of 5.
        (2, 2, 3, "bad"),
        (4, 4, 1, "good"),  # 4 of 5: exactly the threshold
        (4, 4, 2, "bad"),
    ],
)
def test_overdue_steps_count_against_the_verdict(on_time, completed, overdue, status) -> None:
    rows = monitoring_rows(_compliance(completed, on_time, overdue), _skm(), 80.0)
    assert rows[3].status == status
    step = _compliance(completed, on_time, overdue)["acknowledge"]
    assert step.percent == on_time * 100 / (completed + overdue)


def test_survey_row_compares_respondents_with_the_sample() -> None:
    assert monitoring_rows(_compliance(), _skm(79, 100, 80), 80.0)[6].status == "bad"
    assert monitoring_rows(_compliance(), _skm(80, 100, 80), 80.0)[6].status == "good"
    assert monitoring_rows(_compliance(), _skm(), 80.0)[6].status is None


def test_empty_period() -> None:
    report = compile_report([], CAL, NOW)
    assert report.tickets == 0
    assert report.skm.result == index([])
    assert report.durations["resolve"].count == 0
    assert all(figures.percent is None for figures in report.compliance.values())
