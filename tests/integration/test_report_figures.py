"""The monthly report figures kept by the unit of work, on every store: DynamoDB on moto with
the local stack's transaction patch, DynamoDB on stock moto, and the in-memory store.

- Every change adds to its month's counters in its own transaction: after any mix of
  changes (concurrent ones included) the counters equal a recount of the tickets.
- A transaction cancelled only by conflicts on the counters is sent again; one cancelled by
  a failed condition is not (DynamoDB's cancellation reasons, injected where moto answers).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.integration.test_unit_of_work import TIK1, TIK2, TickingClock
from tests.support import VALID_TICKET, MemoryTransport, make_services, table_items
from tiket.adapters.dynamodb import figures as dynamo_figures
from tiket.adapters.memory import memory_stores
from tiket.domain import lifecycle
from tiket.domain.aggregates import recount
from tiket.domain.errors import WriteConflict
from tiket.domain.vocabulary import Action
from tiket.local_moto import stock_transactions

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)
CONFLICT = {"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}
PASSED = {"Code": "None"}


@pytest.fixture(params=["moto-patched", "moto-stock", "memory"])
def backend(request, aws):
    clock = TickingClock(START)
    transport = MemoryTransport()
    if request.param == "memory":
        yield make_services(clock, transport, stores=memory_stores(WIB))
    elif request.param == "moto-stock":
        with stock_transactions():
            yield make_services(clock, transport)
    else:
        yield make_services(clock, transport)


def counted(services, months=("2026-11",)) -> dict[str, Counter]:
    """The stored counters and a recount from the tickets and their histories."""
    tickets = []
    for month in months:
        year, number = map(int, month.split("-"))
        tickets += list(services.tickets.of_month(year, number))
    fresh = recount(
        ((ticket, services.tickets.history(ticket.number)) for ticket in tickets),
        services.calendar,
    )
    stored = {month: services.stores.figures.month(month) for month in months}
    return {"stored": stored, "recount": {m: fresh.get(m, Counter()) for m in months}}


def act(services, number: str, action: Action, actor, **fields):
    ticket = services.uow.load(number)
    outcome = lifecycle.apply(
        ticket, action, actor, fields, services.clock.now(), services.step_clock
    )
    return services.uow.commit(ticket, outcome, actor=actor).ticket


def test_every_change_adds_to_its_month(backend):
    first = backend.intake.file(dict(VALID_TICKET)).number
    second = backend.intake.file({**VALID_TICKET, "unit": "Keuangan"}).number
    act(backend, first, Action.ACKNOWLEDGE, TIK1)
    act(
        backend, first, Action.DIAGNOSE, TIK1, diagnosis="d", decision="handle", estimate_minutes=30
    )
    act(backend, first, Action.RESOLVE, TIK1, resolution="r")
    act(backend, second, Action.CANCEL, TIK2, reason="ganda")
    figures = counted(backend)
    assert figures["stored"] == figures["recount"]
    november = figures["stored"]["2026-11"]
    assert november["tickets",] == 2
    assert november["status", "resolved"] == november["status", "cancelled"] == 1
    assert november["staff", TIK1.email, "resolved"] == 1
    assert november["event", "create", "requester", "30"] == 2
    assert november["event", "cancel", "tik", "30"] == 1
    # What no ticket counts for any more is gone, not kept at zero.
    assert ("status", "new") not in november


def test_a_lost_change_adds_nothing(backend):
    number = backend.intake.file(dict(VALID_TICKET)).number
    stale = backend.uow.load(number)
    act(backend, number, Action.ACKNOWLEDGE, TIK1)
    late = lifecycle.apply(
        stale, Action.CANCEL, TIK2, {"reason": "x"}, backend.clock.now(), backend.step_clock
    )
    with pytest.raises(WriteConflict):
        backend.uow.commit(stale, late, actor=TIK2)
    figures = counted(backend)
    assert figures["stored"] == figures["recount"]
    assert ("status", "cancelled") not in figures["stored"]["2026-11"]


def test_imports_add_their_figures_in_bulk(backend):
    template = backend.uow.load(backend.intake.file(dict(VALID_TICKET)).number)
    backend.uow.import_tickets(
        replace(template, number=f"TIK-2026-9{n:05d}", track_token=None, revision=0)
        for n in range(3)
    )
    figures = counted(backend)
    assert figures["stored"] == figures["recount"]
    assert figures["stored"]["2026-11"]["tickets",] == 4
    assert figures["stored"]["2026-11"]["event", "import", "system", "30"] == 3


def test_rebuild_replaces_a_month_with_its_recount(backend):
    backend.intake.file(dict(VALID_TICKET))
    fresh = Counter({("tickets",): 5, ("status", "new"): 5})
    backend.stores.figures.replace("2026-11", fresh)
    assert backend.stores.figures.month("2026-11") == fresh
    # Later changes add to the replaced counters as before.
    backend.intake.file(dict(VALID_TICKET))
    assert backend.stores.figures.month("2026-11")["tickets",] == 6


def test_concurrent_changes_of_different_tickets_all_count(backend, request):
    if request.node.callspec.params["backend"] == "moto-stock":
        pytest.skip("stock moto is not thread-safe (the local stack serialises it)")
    numbers = [backend.intake.file({**VALID_TICKET, "subject": f"s{n}"}).number for n in range(8)]
    barrier = threading.Barrier(len(numbers))
    errors = []

    def work(number: str, actor) -> None:
        try:
            barrier.wait()
            act(backend, number, Action.ACKNOWLEDGE, actor)
            act(backend, number, Action.CANCEL, actor, reason="selesai di tempat")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [
        threading.Thread(target=work, args=(number, (TIK1, TIK2)[i % 2]))
        for i, number in enumerate(numbers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    figures = counted(backend)
    assert figures["stored"] == figures["recount"]
    assert figures["stored"]["2026-11"]["status", "cancelled"] == 8


# --- DynamoDB: sharded items, conflicts ---------------------------------------------------


@pytest.fixture
def dynamo(aws, clock, transport):
    return make_services(clock, transport)


def fresh_items(services, month="2026-11") -> list[tuple[str, str]]:
    return sorted(key for key in table_items(services) if key[0] == f"R#{month}")


def test_changes_add_to_fresh_items_by_minute_and_shard(dynamo, clock):
    numbers = [dynamo.intake.file({**VALID_TICKET, "subject": f"s{n}"}).number for n in range(12)]
    shards = {dynamo_figures.shard_of(number) for number in numbers}
    assert fresh_items(dynamo) == sorted(("R#2026-11", f"f#20261130T0100#{s}") for s in shards)
    assert len(shards) > 1
    clock.advance(minutes=1)
    dynamo.intake.file(dict(VALID_TICKET))
    assert ("R#2026-11", "f#20261130T0101#" + str(dynamo_figures.shard_of("TIK-2026-000013"))) in (
        fresh_items(dynamo)
    )


def test_the_sweep_folds_fresh_items_into_the_months_total(dynamo, clock):
    for n in range(5):
        dynamo.intake.file({**VALID_TICKET, "subject": f"s{n}"})
    before = dynamo.stores.figures.month("2026-11")
    # Still being written to: left alone.
    assert dynamo.sweep.run().figures_folded == 0
    clock.advance(minutes=3)
    report = dynamo.sweep.run()
    assert report.figures_folded == len(
        {dynamo_figures.shard_of(f"TIK-2026-{n:06d}") for n in range(1, 6)}
    )
    assert fresh_items(dynamo) == [("R#2026-11", "total")]
    assert dynamo.stores.figures.month("2026-11") == before
    # Later changes add fresh items again; the next fold adds them to the total.
    dynamo.intake.file(dict(VALID_TICKET))
    clock.advance(minutes=3)
    dynamo.sweep.run()
    assert dynamo.stores.figures.month("2026-11")["tickets",] == 6
    assert counted(dynamo)["stored"] == counted(dynamo)["recount"]


def test_a_change_landing_on_an_item_being_folded_cancels_the_fold(dynamo, clock):
    number = dynamo.intake.file(dict(VALID_TICKET)).number
    clock.advance(minutes=3)
    figures = dynamo.stores.figures
    read_total = figures._total

    def total_then_a_late_change(month):
        # A straggler adds to the very fresh item the fold has just read.
        ticket = dynamo.uow.load(number)
        late = lifecycle.apply(ticket, Action.ACKNOWLEDGE, TIK1, {}, START, dynamo.step_clock)
        dynamo.uow.commit(
            ticket, replace(late, history=replace(late.history, at=START)), actor=TIK1
        )
        figures._total = read_total
        return read_total(month)

    figures._total = total_then_a_late_change
    assert figures.fold(clock.now()) == 0
    assert counted(dynamo)["stored"] == counted(dynamo)["recount"]
    assert figures.fold(clock.now()) == 1
    assert counted(dynamo)["stored"] == counted(dynamo)["recount"]
    assert figures.month("2026-11")["status", "acknowledged"] == 1


def transact_fault(faults, reasons, times=1):
    return faults.add(
        "TransactWriteItems",
        "TransactionCanceledException",
        times=times,
        body={"CancellationReasons": reasons},
    )


def test_a_change_cancelled_by_conflicts_only_is_sent_again(dynamo, faults, monkeypatch):
    monkeypatch.setattr(dynamo_figures.time, "sleep", lambda seconds: None)
    number = dynamo.intake.file(dict(VALID_TICKET)).number
    # Ticket, history, two emails, then the counters: only the counters' item conflicted.
    fault = transact_fault(faults, [PASSED, PASSED, PASSED, PASSED, CONFLICT], times=3)
    ticket = act(dynamo, number, Action.ACKNOWLEDGE, TIK1)
    assert fault.attempts == 3  # three cancellations, then the fourth attempt went through
    assert dynamo.uow.load(number) == ticket
    figures = counted(dynamo)
    assert figures["stored"] == figures["recount"]


def test_conflicts_that_never_end_are_a_409(dynamo, faults, monkeypatch):
    monkeypatch.setattr(dynamo_figures.time, "sleep", lambda seconds: None)
    number = dynamo.intake.file(dict(VALID_TICKET)).number
    before = dynamo.uow.load(number)
    fault = transact_fault(faults, [CONFLICT], times=100)
    with pytest.raises(WriteConflict):
        act(dynamo, number, Action.ACKNOWLEDGE, TIK1)
    assert fault.attempts == len(dynamo_figures.CONFLICT_DELAYS) + 1
    assert dynamo.uow.load(number) == before


def test_a_failed_condition_is_never_sent_again(dynamo, faults, monkeypatch):
    slept = []
    monkeypatch.setattr(dynamo_figures.time, "sleep", slept.append)
    number = dynamo.intake.file(dict(VALID_TICKET)).number
    failed = {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
    fault = transact_fault(faults, [failed, PASSED, CONFLICT], times=5)
    with pytest.raises(WriteConflict):
        act(dynamo, number, Action.ACKNOWLEDGE, TIK1)
    assert (fault.attempts, slept) == (1, [])


def test_conflict_waits_grow_and_are_jittered(dynamo, faults, monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(dynamo_figures.time, "sleep", slept.append)
    number = dynamo.intake.file(dict(VALID_TICKET)).number
    transact_fault(faults, [CONFLICT], times=2)
    act(dynamo, number, Action.ACKNOWLEDGE, TIK1)
    assert len(slept) == 2
    for wait, base in zip(slept, dynamo_figures.CONFLICT_DELAYS, strict=False):
        assert base * 0.5 <= wait <= base * 1.5


def test_report_figures_never_scan(dynamo, api_calls):
    dynamo.intake.file(dict(VALID_TICKET))
    api_calls.clear()
    dynamo.stores.figures.month("2026-11")
    dynamo.stores.figures.past_due(START + timedelta(days=1))
    assert set(api_calls.operations()) == {"Query"}


def test_a_fold_committing_while_a_query_reads_is_counted_once(dynamo, clock):
    """A Query sees each item as committed when it reaches it: the fresh items before a
    fold, the total after it. The total names what it folded; nothing counts twice."""
    dynamo.intake.file(dict(VALID_TICKET))
    figures = dynamo.stores.figures
    expected = figures.month("2026-11")
    fresh = list(figures._items("2026-11"))
    clock.advance(minutes=3)
    assert dynamo.sweep.run().figures_folded == 1
    folded = list(figures._items("2026-11"))
    assert [item["sk"]["S"] for item in fresh + folded] == [
        "f#20261130T0100#" + fresh[0]["sk"]["S"][-1],
        "total",
    ]
    figures._items = lambda month: iter(fresh + folded)
    assert figures.month("2026-11") == expected


def test_a_late_change_landing_on_a_folded_item_counts(dynamo, clock):
    """A change that took longer than the fold's grace to commit (a request held up by an
    outage) adds to a fresh item the sweep already folded and deleted: the item is made
    again under the same key, with as many writes as the folded one had. The total's note
    of what it folded must not hide it."""
    number = dynamo.intake.file(dict(VALID_TICKET)).number
    figures = dynamo.stores.figures
    (fresh,) = [item for item in figures._items("2026-11") if item["sk"]["S"] != "total"]
    writes = int(fresh["_n"]["N"])
    clock.advance(minutes=3)
    assert dynamo.sweep.run().figures_folded == 1
    diagnosis = {"diagnosis": "d", "decision": "handle", "estimate_minutes": 30}
    late = [(Action.ACKNOWLEDGE, {}), (Action.DIAGNOSE, diagnosis)][:writes]
    for action, fields in late:
        ticket = dynamo.uow.load(number)
        outcome = lifecycle.apply(ticket, action, TIK1, fields, START, dynamo.step_clock)
        dynamo.uow.commit(ticket, replace(outcome, history=replace(outcome.history, at=START)))
    assert counted(dynamo)["stored"] == counted(dynamo)["recount"]
    status = "acknowledged" if writes == 1 else "in_progress"
    assert figures.month("2026-11")["status", status] == 1
