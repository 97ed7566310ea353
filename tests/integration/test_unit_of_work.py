"""The unit of work's guarantees, on every store it runs on: DynamoDB on moto with the local
stack's transaction patch, DynamoDB on stock moto, and the in-memory store.

- Exactly one of two racers wins, with a clock that ticks (so their history entries never
  collide and only the revision condition can stop the second writer).
- A transaction whose later item fails leaves nothing of its earlier items.
- History is required to describe the change; every write is one revision.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support import VALID_TICKET, MemoryTransport, make_services
from tiket.adapters.memory import memory_stores
from tiket.domain import lifecycle
from tiket.domain.errors import WriteConflict
from tiket.domain.model import Actor, HistoryEntry, Once, Outcome
from tiket.domain.vocabulary import Action, Role, Status
from tiket.local_moto import stock_transactions

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)
TIK1 = Actor("tik1@example.go.id", "Andi Pratama", Role.TIK)
TIK2 = Actor("tik2@example.go.id", "Siti Rahmawati", Role.TIK)


class TickingClock:
    """Every reading is a millisecond later than the one before, across threads."""

    def __init__(self, start: datetime):
        self.at = start
        self.lock = threading.Lock()

    def now(self) -> datetime:
        with self.lock:
            self.at += timedelta(milliseconds=1)
            return self.at


@pytest.fixture(params=["moto-patched", "moto-stock", "memory"])
def backend(request, aws):
    clock = TickingClock(START)
    transport = MemoryTransport()
    if request.param == "memory":
        services = make_services(clock, transport, stores=memory_stores(WIB))
        yield services
    elif request.param == "moto-stock":
        with stock_transactions():
            yield make_services(clock, transport)
    else:
        yield make_services(clock, transport)


def filed(services) -> str:
    return services.intake.file(dict(VALID_TICKET)).number


def test_two_racers_exactly_one_wins(backend, request):
    if request.node.callspec.params["backend"] == "moto-stock":
        pytest.skip("stock moto is not thread-safe; its transactions are checked below")
    uow = backend.uow
    number = filed(backend)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def racer(actor: Actor) -> None:
        ticket = uow.load(number)
        barrier.wait()  # both read the same revision before either writes
        outcome = lifecycle.apply(
            ticket, Action.ACKNOWLEDGE, actor, {}, backend.clock.now(), backend.step_clock
        )
        try:
            uow.commit(ticket, outcome, actor=actor)
            results[actor.email] = "won"
        except WriteConflict:
            results[actor.email] = "lost"

    threads = [threading.Thread(target=racer, args=(actor,)) for actor in (TIK1, TIK2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == ["lost", "won"]
    winner = next(email for email, result in results.items() if result == "won")
    ticket = uow.load(number)
    assert ticket.assignee == winner
    history = backend.tickets.history(number)
    assert [h.action for h in history].count(Action.ACKNOWLEDGE) == 1
    assert [h.revision for h in history] == list(range(1, ticket.revision + 1))


def test_a_later_item_that_fails_leaves_nothing_of_the_earlier_ones(backend):
    uow = backend.uow
    number = filed(backend)
    before = uow.load(number)
    first = lifecycle.apply(
        before, Action.ACKNOWLEDGE, TIK1, {}, backend.clock.now(), backend.step_clock
    )
    marker = Once("test", "taken")
    after_first = uow.commit(before, first, actor=TIK1, once=(marker,)).ticket
    history_before = backend.tickets.history(number)

    # The ticket update is the transaction's first item; the once-only record, which
    # exists already, a later one. The update must not survive the record's failure.
    second = lifecycle.apply(
        after_first, Action.CANCEL, TIK1, {"reason": "x"}, backend.clock.now(), backend.step_clock
    )
    with pytest.raises(WriteConflict):
        uow.commit(after_first, second, actor=TIK1, once=(marker,))
    assert uow.load(number) == after_first
    assert backend.tickets.history(number) == history_before


def test_a_stale_revision_writes_nothing(backend):
    uow = backend.uow
    number = filed(backend)
    stale = uow.load(number)
    uow.commit(
        stale,
        lifecycle.apply(
            stale, Action.ACKNOWLEDGE, TIK1, {}, backend.clock.now(), backend.step_clock
        ),
        actor=TIK1,
    )
    current = uow.load(number)
    late = lifecycle.apply(
        stale, Action.CANCEL, TIK2, {"reason": "x"}, backend.clock.now(), backend.step_clock
    )
    with pytest.raises(WriteConflict):
        uow.commit(stale, late, actor=TIK2)
    assert uow.load(number) == current


def test_history_must_describe_the_change(backend):
    uow = backend.uow
    number = filed(backend)
    ticket = uow.load(number)
    unrelated = HistoryEntry(
        at=backend.clock.now(),
        action=Action.RESOLVE,
        from_status=Status.IN_PROGRESS,
        to_status=Status.RESOLVED,
        actor=TIK1,
    )
    with pytest.raises(ValueError, match="does not describe"):
        uow.commit(ticket, Outcome(replace(ticket, status=Status.RESOLVED), unrelated))
    assert uow.load(number) == ticket


def test_every_change_is_one_revision_and_one_history_entry(backend):
    number = filed(backend)
    services = backend
    ticket = services.uow.load(number)
    for action, actor, fields in (
        (Action.ACKNOWLEDGE, TIK1, {}),
        (Action.DIAGNOSE, TIK1, {"diagnosis": "d", "decision": "handle", "estimate_minutes": 30}),
        (Action.RESOLVE, TIK1, {"resolution": "r"}),
    ):
        outcome = lifecycle.apply(
            ticket, action, actor, fields, services.clock.now(), services.step_clock
        )
        ticket = services.uow.commit(ticket, outcome, actor=actor).ticket
    history = services.tickets.history(number)
    assert [h.revision for h in history] == list(range(1, ticket.revision + 1))
    assert ticket.version == 4  # created, acknowledged, in progress, resolved
