"""Messages in the unit of work, on every store it runs on (DynamoDB on moto, patched and
stock, and in memory): written in the ticket's one transaction, all or nothing, read back
in order, and once per idempotency key."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.integration.test_unit_of_work import TIK1, backend, filed  # noqa: F401
from tiket.domain.conversation import post_message
from tiket.domain.errors import Conflict, WriteConflict
from tiket.domain.model import Actor, Message, Once
from tiket.domain.vocabulary import Channel, Role

REQUESTER = Actor("ana.lestari@example.go.id", "Ana Lestari", Role.REQUESTER)


def message(services, author=REQUESTER, text="Halo", id_="m1") -> Message:
    return Message(id_, services.clock.now(), author, text, Channel.WEB)


def test_a_message_is_written_with_its_history_entry_and_count(backend):  # noqa: F811
    number = filed(backend)
    ticket = backend.uow.load(number)
    for i, (author, text) in enumerate(((REQUESTER, "Tanya"), (TIK1, "Jawab"), (REQUESTER, "Oke"))):
        outcome = post_message(ticket, message(backend, author, text, f"m{i}"))
        ticket = backend.uow.commit(ticket, outcome, actor=author).ticket
    thread = backend.tickets.messages(number)
    assert [(m.text, m.author.role) for m in thread] == [
        ("Tanya", "requester"),
        ("Jawab", "tik"),
        ("Oke", "requester"),
    ]
    assert thread[1].author == TIK1 and thread[0].via == "web"
    stored = backend.tickets.get(number)
    assert (stored.requester_messages, stored.staff_messages, stored.status) == (2, 1, "new")
    history = backend.tickets.history(number)
    assert [h.action for h in history[-3:]] == ["message"] * 3
    assert history[-1].params == {"message": "m2"}
    assert [h.revision for h in history] == list(range(1, stored.revision + 1))


def test_a_failing_later_item_leaves_no_message(backend):  # noqa: F811
    number = filed(backend)
    ticket = backend.uow.load(number)
    key = Once("message", "k1")
    first = post_message(ticket, message(backend, id_="a"), (key,))
    ticket = backend.uow.commit(ticket, first).ticket
    second = post_message(ticket, message(backend, text="Lagi", id_="b"), (key,))
    with pytest.raises(WriteConflict):
        backend.uow.commit(ticket, second)
    assert [m.id for m in backend.tickets.messages(number)] == ["a"]
    assert backend.uow.load(number) == ticket


def test_a_stale_ticket_writes_no_message(backend):  # noqa: F811
    number = filed(backend)
    stale = backend.uow.load(number)
    backend.uow.commit(stale, post_message(stale, message(backend, id_="a")))
    with pytest.raises(WriteConflict):
        backend.uow.commit(stale, post_message(stale, message(backend, id_="b")))
    assert [m.id for m in backend.tickets.messages(number)] == ["a"]


def test_no_message_on_a_closed_ticket(backend):  # noqa: F811
    number = filed(backend)
    ticket = replace(backend.uow.load(number), status="cancelled")
    with pytest.raises(Conflict):
        post_message(ticket, message(backend))
