"""Time standards in working time and the scheduled sweep (PRODUCT.md §4), with fixed clocks.

Monday 30 November 2026 08:00 WIB is the default instant (see conftest)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

import pytest

from tests.conftest import WIB
from tests.support import (
    ACTION_LINK,
    VALID_TICKET,
    follow,
    latest,
    make_services,
    token_for,
    track_token,
)
from tiket.adapters.clock import FixedClock
from tiket.domain.system import breach_once
from tiket.services.links import ACTION_PURPOSE

REQUESTER = VALID_TICKET["email"]
SUPERVISOR = "supervisor@example.go.id"
TIK1 = "tik1@example.go.id"


def at(day: int, hour: int, minute: int, second: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=WIB)


def file(services, **changes) -> str:
    return services.intake.file({**VALID_TICKET, **changes}).number


def take(services, transport, clock=None, diagnosed_at=None, **diagnosis):
    """tik1 acknowledges the request from its email, then diagnoses it (at ``diagnosed_at``)."""
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    if diagnosed_at is not None:
        clock.set(diagnosed_at)
    follow(services, transport, TIK1, "next_steps", "diagnose", **diagnosis)


def sweep_at(services, clock, instant: datetime):
    clock.set(instant)
    return services.sweep.run()


def breach_mails(transport):
    return sorted(m.to for m in transport.sent if m.kind == "breach")


def test_request_filed_at_night_is_due_next_working_morning(services, clock):
    clock.set(at(1, 21, 0, month=12))  # Tuesday night
    ticket = services.tickets.get(file(services))
    assert ticket.step("acknowledge").due_at == at(2, 7, 35, month=12)


def test_request_filed_on_cuti_bersama_starts_after_the_holidays(services, clock):
    clock.set(at(24, 10, 0, month=12))  # cuti bersama Natal, then Christmas Day (Friday)
    ticket = services.tickets.get(file(services))
    assert ticket.step("acknowledge").started_at == at(28, 7, 30, month=12)
    assert ticket.step("acknowledge").due_at == at(28, 7, 35, month=12)


def test_friday_evening_request_is_due_monday_morning(services, clock):
    clock.set(at(27, 16, 28))
    ticket = services.tickets.get(file(services))
    assert ticket.step("acknowledge").due_at == at(30, 7, 33)


def test_breach_is_flagged_just_after_due_once_to_the_right_people(
    client, services, clock, transport
):
    number = file(services)
    transport.clear()
    report = sweep_at(services, clock, at(30, 8, 5, 0))  # exactly at the due time
    assert (report.due_tickets, report.breaches) == (0, 0)
    assert transport.sent == []

    report = sweep_at(services, clock, at(30, 8, 5, 1))
    assert report.breaches == 1
    assert breach_mails(transport) == [
        "supervisor@example.go.id",
        TIK1,
        "tik2@example.go.id",
    ]
    to_pool = latest(transport, TIK1, "breach")
    assert to_pool.subject.startswith(f"[{number}] Melewati mutu baku")
    assert "Belum ada petugas yang menerima tiket ini." in to_pool.text
    token_for(services, to_pool, "acknowledge")  # the pool can still take it from here
    # Supervisors are told, with nothing to do on the ticket but write about it.
    supervisor = latest(transport, SUPERVISOR, "breach")
    assert [
        services.signer.verify(ACTION_PURPOSE, token)["a"]
        for token in ACTION_LINK.findall(supervisor.text)
    ] == ["reply"]

    ticket = services.tickets.get(number)
    assert ticket.breaches == {"acknowledge"}
    assert services.tickets.has_once(number, breach_once(ticket.step("acknowledge")))
    assert [h.action for h in services.tickets.history(number)] == ["create", "dispatch", "breach"]

    view = client.get(f"/api/track/{ticket.track_token}").get_json()
    acknowledge = next(s for s in view["steps"] if s["step"] == "acknowledge")
    assert acknowledge["breached"] is True and acknowledge["due_at"] == "2026-11-30T08:05:00+07:00"

    transport.clear()
    # Nothing more until one more full standard has passed (the escalation ladder, 08:10).
    for minute in (6, 10):
        assert sweep_at(services, clock, at(30, 8, minute)).breaches == 0
    assert transport.sent == []


def test_acknowledging_in_time_means_no_breach_ever(services, clock, transport):
    number = file(services)
    clock.set(at(30, 8, 3))
    take(
        services,
        transport,
        clock,
        at(30, 8, 10),
        diagnosis="Toner habis",
        decision="handle",
        estimate_minutes=60,
    )
    clock.set(at(30, 9, 0))
    follow(
        services,
        transport,
        TIK1,
        "next_steps",
        "resolve",
        resolution="Toner diganti",
    )
    transport.clear()
    for instant in (at(30, 8, 6), at(30, 8, 20), at(30, 12, 0), at(1, 9, 0, month=12)):
        assert sweep_at(services, clock, instant).breaches == 0
    assert services.tickets.get(number).breaches == frozenset()
    assert breach_mails(transport) == []


def test_held_ticket_does_not_breach_while_held(services, clock, transport):
    number = file(services)
    take(
        services,
        transport,
        clock,
        at(30, 8, 10),
        diagnosis="Perlu suku cadang",
        decision="handle",
        estimate_minutes=30,
    )
    assert services.tickets.get(number).step("handle").due_at == at(30, 8, 40)
    clock.set(at(30, 8, 20))
    follow(services, transport, TIK1, "next_steps", "hold", reason="Menunggu kabel")
    resume = token_for(services, latest(transport, TIK1, "next_steps"), "resume")
    transport.clear()
    for instant in (at(30, 9, 0), at(30, 15, 0), at(1, 10, 0, month=12)):
        assert sweep_at(services, clock, instant).breaches == 0
    # Held from Mon 08:20 to Tue 10:00: 460 + 150 working minutes; the deadline moves by that.
    clock.set(at(1, 10, 0, month=12))
    services.actions.perform(resume, {})
    handle = services.tickets.get(number).step("handle")
    assert handle.paused_minutes == 610
    assert handle.due_at == at(1, 10, 20, month=12)
    assert sweep_at(services, clock, at(1, 10, 20, month=12)).breaches == 0
    transport.clear()
    assert sweep_at(services, clock, at(1, 10, 21, month=12)).breaches == 1
    assert breach_mails(transport) == ["supervisor@example.go.id", TIK1]
    to_assignee = latest(transport, TIK1, "breach")
    token_for(services, to_assignee, "resolve")
    token_for(services, to_assignee, "hold")


def test_referred_ticket_breach_goes_to_facilities_pool(services, clock, transport):
    number = file(services)
    take(services, transport, diagnosis="AC ruang server mati", decision="refer")
    assert services.tickets.get(number).step("rt_accept").due_at == at(30, 9, 0)
    transport.clear()
    assert sweep_at(services, clock, at(30, 9, 1)).breaches == 1
    assert breach_mails(transport) == ["rt1@example.go.id", "supervisor@example.go.id"]
    token_for(services, latest(transport, "rt1@example.go.id", "breach"), "accept")


def test_the_sweep_reads_through_the_index_never_a_scan(services, clock, transport, api_calls):
    for i in range(3):
        file(services, subject=f"Kendala {i}")
    api_calls.clear()
    sweep_at(services, clock, at(30, 8, 6))
    sweep_at(services, clock, at(30, 9, 0))
    operations = api_calls.operations()
    assert "Scan" not in operations
    assert "Query" in operations


def test_request_paths_never_scan(client, services, transport, api_calls):
    number = client.post("/api/tickets", json=VALID_TICKET).get_json()["number"]
    client.get(f"/api/track/{track_token(transport.sent[0])}")
    services.actions.perform(
        token_for(services, latest(transport, TIK1, "new_ticket"), "acknowledge"),
        {},
    )
    assert services.tickets.get(number).status == "acknowledged"
    assert "Scan" not in api_calls.operations()


def test_pending_emails_go_out_once_later(services, clock, transport):
    transport.throttle(3)  # SES throttles every email of the request
    number = file(services)
    assert transport.sent == []
    assert services.tickets.get(number).status == "new"  # the ticket is safe
    assert sweep_at(services, clock, at(30, 8, 0, 30)).mail.sent == 0  # backing off
    report = sweep_at(services, clock, at(30, 8, 1, 1))
    assert report.mail.sent == 3
    assert sorted(transport.kinds()) == [
        ("confirmation", REQUESTER),
        ("new_ticket", TIK1),
        ("new_ticket", "tik2@example.go.id"),
    ]
    assert services.tickets.get(number).notified_at == at(30, 8, 1, 1)
    assert sweep_at(services, clock, at(30, 8, 4)).mail.sent == 0
    assert len(transport.sent) == 3


def test_rejected_email_is_marked_failed_and_never_retried(services, clock, transport):
    metrics: list[dict] = []
    services.metrics._emit = metrics.append  # type: ignore[attr-defined]
    transport.reject(1)  # the requester's address is refused for good
    file(services)
    assert sorted(kind for kind, _ in transport.kinds()) == ["new_ticket", "new_ticket"]
    assert [m["kind"] for m in metrics if "EmailsFailed" in m] == ["confirmation"]
    for instant in (at(30, 8, 5), at(30, 8, 30), at(30, 10, 0)):
        assert sweep_at(services, clock, instant).mail.sent == 0
    assert REQUESTER not in [to for _, to in transport.kinds()]


def test_two_sweeps_at_once_send_one_breach_notice(services, clock, transport):
    file(services)
    transport.clear()
    clock.set(at(30, 8, 6))
    barrier = threading.Barrier(2)
    reports = []

    def run() -> None:
        own = replace(services, clock=FixedClock(at(30, 8, 6)))
        barrier.wait()
        reports.append(own.sweep.run())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.breaches for r in reports) == 1
    assert breach_mails(transport) == [
        "supervisor@example.go.id",
        TIK1,
        "tik2@example.go.id",
    ]


def test_survey_reminder_then_auto_close(client, services, clock, transport):
    number = file(services)
    take(services, transport, diagnosis="x", decision="handle", estimate_minutes=60)
    clock.set(at(30, 9, 0))
    follow(services, transport, TIK1, "next_steps", "resolve", resolution="Beres")
    transport.clear()
    assert sweep_at(services, clock, at(2, 8, 59, month=12)).reminders == 0
    assert sweep_at(services, clock, at(2, 9, 1, month=12)).reminders == 1  # two working days
    reminder = latest(transport, REQUESTER, "survey_reminder")
    assert "Survei Kepuasan" in reminder.text and track_token(reminder)
    assert sweep_at(services, clock, at(3, 9, 0, month=12)).reminders == 0
    assert sweep_at(services, clock, at(7, 8, 59, month=12)).closed == 0
    assert sweep_at(services, clock, at(7, 9, 1, month=12)).closed == 1  # five working days
    ticket = services.tickets.get(number)
    assert ticket.status == "closed" and ticket.survey is None
    history = services.tickets.history(number)
    assert history[-1].action == "auto_close" and history[-1].actor.role == "system"
    view = client.get(f"/api/track/{ticket.track_token}").get_json()
    assert view["survey"]["open"] is False and view["status_label"] == "Ditutup"


def test_dev_sweep_route_runs_as_of_the_given_time(aws, transport):
    from tiket.web.app import create_app

    local = make_services(clock=FixedClock(at(30, 8, 0)), transport=transport, dev_routes=True)
    file(local)
    client = create_app(services=local).test_client()
    response = client.post("/_dev/sweep?at=2026-11-30T08:06:00%2B07:00")
    assert response.status_code == 200 and response.get_json()["breaches"] == 1
    assert client.post("/_dev/sweep?at=nonsense").status_code == 400


@pytest.mark.parametrize("env", ["test", "production"])
def test_dev_routes_are_404_unless_enabled(aws, transport, env):
    from tiket.web.app import create_app

    services = make_services(clock=FixedClock(at(30, 8, 0)), transport=transport, env=env)
    client = create_app(services=services).test_client()
    assert client.post("/_dev/sweep").status_code == 404
    assert client.get("/_dev/mail").status_code == 404


def test_cli_sweep_at(aws, monkeypatch, capsys):
    import json

    import boto3

    from tiket.cli import main

    services = make_services(clock=FixedClock(at(30, 8, 0)), transport=None)
    boto3.client("sesv2", region_name="ap-southeast-3").create_email_identity(
        EmailIdentity="example.go.id"
    )
    file(services)
    settings = services.settings
    monkeypatch.setenv("TIKET_TABLE", settings.table)
    monkeypatch.setenv("TIKET_SIGNING_KEYS", settings.signing_keys[0])
    monkeypatch.setenv("TIKET_MAIL_SENDER", settings.mail_sender)
    assert main(["sweep", "--at", "2026-11-30T08:04:00+07:00"]) == 0
    assert json.loads(capsys.readouterr().out)["breaches"] == 0
    assert main(["sweep", "--at", "2026-11-30T08:06:00+07:00"]) == 0
    assert json.loads(capsys.readouterr().out)["breaches"] == 1
