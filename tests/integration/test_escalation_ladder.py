"""The escalation ladder through the sweep (PRODUCT.md §12): a step still overdue one more
full standard after its breach reaches the next level, each level once, the queue shows it."""

from __future__ import annotations

from datetime import datetime

from tests.conftest import WIB
from tests.support import VALID_TICKET, follow, latest, make_services, sign_in
from tiket.domain.system import escalation_once

TIK1, TIK2 = "tik1@example.go.id", "tik2@example.go.id"
SUPERVISOR, ADMIN = "supervisor@example.go.id", "admin@example.go.id"


def at(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    month = 11 if day >= 30 else 12
    return datetime(2026, month, day, hour, minute, second, tzinfo=WIB)


def sweep(services, clock, instant):
    clock.set(instant)
    return services.sweep.run()


def escalations(transport) -> list[tuple[str, str]]:
    return sorted((m.kind, m.to) for m in transport.sent if m.kind == "escalation")


def test_an_untouched_ticket_climbs_the_ladder_once_per_level(services, clock, transport):
    number = services.intake.file(dict(VALID_TICKET)).number
    assert sweep(services, clock, at(30, 8, 6)).breaches == 1  # level 1, due 08:05
    transport.clear()
    report = sweep(services, clock, at(30, 8, 10))
    assert (report.breaches, report.escalations, report.due_tickets) == (0, 0, 0)

    report = sweep(services, clock, at(30, 8, 11))
    assert report.escalations == 1
    assert escalations(transport) == [
        ("escalation", SUPERVISOR),
        ("escalation", TIK1),
        ("escalation", TIK2),
    ]
    mail = latest(transport, TIK1, "escalation")
    assert mail.subject.startswith(f"[{number}] Masih melewati mutu baku")
    assert "eskalasi tingkat 2 dari 3" in mail.text
    assert "sudah lewat lebih dari 5 menit kerja" in mail.text
    assert "/actions/" in mail.text  # the pool can still take it from here
    assert sweep(services, clock, at(30, 8, 12)).escalations == 0  # once

    transport.clear()
    assert sweep(services, clock, at(30, 8, 16)).escalations == 1
    assert escalations(transport) == [
        ("escalation", ADMIN),
        ("escalation", SUPERVISOR),
        ("escalation", TIK1),
        ("escalation", TIK2),
    ]
    assert "Admin turut menerima email ini" in latest(transport, ADMIN, "escalation").text
    transport.clear()
    for day in (1, 2, 3):  # simulated days later: the top was reached, nothing more
        assert sweep(services, clock, at(day, 10, 0)).escalations == 0
    assert escalations(transport) == []

    ticket = services.tickets.get(number)
    record = ticket.step("acknowledge")
    assert ticket.escalation_level(record) == 3
    assert services.tickets.has_once(number, escalation_once(record, 2))
    assert services.tickets.has_once(number, escalation_once(record, 3))
    actions = [h.action for h in services.tickets.history(number)]
    assert actions == ["create", "dispatch", "breach", "escalate", "escalate"]


def test_the_queue_and_the_ticket_page_show_the_level(client, services, clock, transport):
    number = services.intake.file(dict(VALID_TICKET)).number
    sweep(services, clock, at(30, 8, 6))
    sweep(services, clock, at(30, 8, 11))
    sign_in(client, transport, TIK1)
    (row,) = client.get("/api/staff/queue").get_json()["tickets"]
    assert (row["number"], row["escalation_level"]) == (number, 2)
    assert row["current_step"]["escalation_level"] == 2
    detail = client.get(f"/api/staff/tickets/{number}").get_json()
    levels = {s["step"]: s["escalation_level"] for s in detail["steps"]}
    assert levels == {"notify": 0, "acknowledge": 2}
    note = detail["history"][-1]["note"]
    assert (
        note
        == "Langkah \u201cTindak lanjut oleh Pengelola TIK\u201d masih melewati mutu baku: eskalasi tingkat 2."
    )


def test_a_step_done_stops_climbing(services, clock, transport):
    services.intake.file(dict(VALID_TICKET))
    sweep(services, clock, at(30, 8, 6))
    clock.set(at(30, 8, 7))
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    transport.clear()
    # Diagnosis is due 08:17; its own breach comes, the acknowledge step never climbs.
    report = sweep(services, clock, at(30, 8, 20))
    assert (report.breaches, report.escalations) == (1, 0)
    assert escalations(transport) == []


def test_dev_sweep_at_climbs_over_simulated_days(aws, clock, transport):
    from tiket.web.app import create_app

    services = make_services(clock=clock, transport=transport, dev_routes=True)
    client = create_app(services=services).test_client()
    number = services.intake.file(dict(VALID_TICKET)).number
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    follow(
        services,
        transport,
        TIK1,
        "next_steps",
        "diagnose",
        diagnosis="Perlu penggantian",
        decision="handle",
        estimate_minutes=510,
    )
    # Handling: 1 working day from 08:00 Monday → due Tuesday 08:00; level 2 Wednesday 08:00,
    # level 3 Thursday 08:00 (one more working day each).
    steps = []
    for instant in (
        "2026-12-01T08:01:00+07:00",
        "2026-12-02T08:01:00+07:00",
        "2026-12-03T07:59:00+07:00",
        "2026-12-03T08:01:00+07:00",
    ):
        body = client.post("/_dev/sweep", query_string={"at": instant}).get_json()
        steps.append((body["breaches"], body["escalations"]))
    assert steps == [(1, 0), (0, 1), (0, 0), (0, 1)]
    ticket = services.tickets.get(number)
    assert ticket.escalation_level(ticket.step("handle")) == 3
