"""Where a report's figures come from (moto): the monthly counters for whole months, the
tickets themselves for a month a date range cuts into, the ``due`` index for steps late now
that the sweep has not recorded yet; and ``tiket reports rebuild``."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from tests.conftest import WIB
from tests.integration.test_reports_api import period_data  # noqa: F401 - a fixture
from tests.integration.test_unit_of_work import TIK1
from tests.support import VALID_TICKET, sign_in
from tiket import cli
from tiket.domain import lifecycle
from tiket.domain.aggregates import recount
from tiket.domain.vocabulary import Action
from tiket.services import reports as report_service
from tiket.services.report_rebuild import FigureRebuild


def compliance(body: dict) -> dict:
    return {row["step"]: row for row in body["compliance"]}


@pytest.mark.usefixtures("period_data")
def test_a_step_late_now_counts_before_and_after_the_sweep_records_it(client, transport, services):
    sign_in(client, transport, "supervisor@example.go.id")
    before = client.get("/api/reports/summary?period=2026-11").get_json()
    # Nobody acknowledged the third ticket (due 09:35); at 10:00 no sweep has run yet.
    assert compliance(before)["acknowledge"]["open_overdue"] == 1
    # October's ticket was never acknowledged either: both are past due, unswept.
    late = services.stores.figures.past_due(services.clock.now())
    assert sorted(t.subject for t in late) == ["@SUM(A1)", "Bulan lalu"]
    assert services.sweep.run().breaches == 2
    assert services.stores.figures.past_due(services.clock.now()) == []
    after = client.get("/api/reports/summary?period=2026-11").get_json()
    # Now held by the counters (the breach was a change): the same figures.
    assert after["compliance"] == before["compliance"]
    assert after["staff"] == before["staff"]
    assert services.stores.figures.month("2026-11")["step", "acknowledge", "open_late"] == 1


@pytest.mark.usefixtures("period_data")
def test_a_range_cutting_months_counts_their_tickets_and_days(client, transport, services):
    sign_in(client, transport, "supervisor@example.go.id")
    quarter = client.get("/api/reports/summary?period=2026-Q4").get_json()
    ranged = client.get("/api/reports/summary?from=2026-10-30&to=2026-11-30").get_json()
    for part in ("tickets", "volume", "compliance", "durations", "backlog", "skm", "activity"):
        assert ranged[part] == quarter[part], part
    november = client.get("/api/reports/summary?from=2026-11-29&to=2026-11-30").get_json()
    assert november["tickets"] == 3
    creates = {row["action"]: row["count"] for row in november["activity"]}["create"]
    assert creates == 3  # October's ticket and its history entries are outside
    none = client.get("/api/reports/summary?from=2026-11-01&to=2026-11-29").get_json()
    assert (none["tickets"], none["activity"]) == (0, [])


def test_direct_downloads_of_long_lists_point_to_an_export(
    client, transport, services, monkeypatch
):
    for subject in ("a", "b", "c"):
        services.intake.file({**VALID_TICKET, "subject": subject})
    sign_in(client, transport, "supervisor@example.go.id")
    monkeypatch.setattr(report_service, "DIRECT_ROWS", 2)
    response = client.get("/api/reports/tickets.csv?period=2026-11")
    assert response.status_code == 400
    assert "paling banyak 2" in response.get_json()["fields"]["period"]
    # The figures of the same period are not limited.
    assert client.get("/api/reports/skm.csv?period=2026-11").status_code == 200


def stored_equals_recount(services, month: str = "2026-11") -> bool:
    year, number = map(int, month.split("-"))
    tickets = list(services.tickets.of_month(year, number))
    fresh = recount(((t, services.tickets.history(t.number)) for t in tickets), services.calendar)
    return services.stores.figures.month(month) == fresh.get(month, Counter())


def test_rebuild_command(services, monkeypatch, capsys):
    for subject in ("a", "b"):
        services.intake.file({**VALID_TICKET, "subject": subject})
    monkeypatch.setenv("TIKET_TABLE", services.settings.table)
    assert cli.main(["reports", "rebuild", "--check", "2026-Q4"]) == 0
    assert capsys.readouterr().out.split("\n")[:3] == [
        "2026-10\t0 tickets\tunchanged",
        "2026-11\t2 tickets\tunchanged",
        "2026-12\t0 tickets\tunchanged",
    ]
    # Counters that went wrong (tickets from before they were kept, a calendar changed
    # after the fact): the check says so, the rebuild replaces them.
    services.stores.figures.replace("2026-11", Counter({("tickets",): 7}))
    assert cli.main(["reports", "rebuild", "--check", "2026-11"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2026-11\t2 tickets\tdiffers"
    # Which counters, by how much: the stored 7 tickets against 2, and what the 7 lacks.
    assert "  tickets\t+5 stored" in lines
    assert "  status/new\t-2 stored" in lines
    assert cli.main(["reports", "rebuild", "2026-11"]) == 0
    assert capsys.readouterr().out == "2026-11\t2 tickets\treplaced\n"
    assert stored_equals_recount(services)
    with pytest.raises(SystemExit, match="periods are like"):
        cli.main(["reports", "rebuild", "last-year"])


def test_a_change_landing_during_a_rebuild_is_not_lost(services):
    number = services.intake.file(dict(VALID_TICKET)).number
    figures = services.stores.figures
    figures.replace("2026-11", Counter())
    replace = figures.replace
    landed = []

    def replace_after_a_change(month, tally):
        if not landed:  # a change commits after the recount read the month, before this
            ticket = services.uow.load(number)
            services.clock.set(datetime(2026, 11, 30, 8, 2, tzinfo=WIB))
            outcome = lifecycle.apply(
                ticket, Action.ACKNOWLEDGE, TIK1, {}, services.clock.now(), services.step_clock
            )
            landed.append(services.uow.commit(ticket, outcome, actor=TIK1))
        replace(month, tally)

    figures.replace = replace_after_a_change
    rebuilt = FigureRebuild(services.tickets, services.tickets, figures, services.calendar)
    done = rebuilt.month(2026, 11)
    # The first replacement overwrote the change's addition; the second pass saw the
    # ticket's new revision and counted again.
    assert (done.changed, done.passes) == (True, 2)
    assert stored_equals_recount(services)
    assert figures.month("2026-11")["status", "acknowledged"] == 1


def test_a_change_landing_during_a_check_is_no_difference(services):
    """The check reads the tickets, then their histories, then the counters: a change
    committing in between (a live sweep recording a breach) is in the counters and the
    history but not in the tickets read. That is not a difference: the month is read again."""
    number = services.intake.file(dict(VALID_TICKET)).number
    figures = services.stores.figures
    read_counters = figures.month
    landed = []

    def counters_after_a_change(month):
        if not landed:
            ticket = services.uow.load(number)
            services.clock.set(datetime(2026, 11, 30, 8, 2, tzinfo=WIB))
            outcome = lifecycle.apply(
                ticket, Action.ACKNOWLEDGE, TIK1, {}, services.clock.now(), services.step_clock
            )
            landed.append(services.uow.commit(ticket, outcome, actor=TIK1))
        return read_counters(month)

    figures.month = counters_after_a_change
    checked = FigureRebuild(services.tickets, services.tickets, figures, services.calendar)
    done = checked.month(2026, 11, check_only=True)
    assert (done.changed, done.passes, done.difference) == (False, 2, {})
