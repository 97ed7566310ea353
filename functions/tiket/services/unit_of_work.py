"""The one way to change a ticket.

A service loads a ticket, asks the domain what an action produces (an ``Outcome``: the
ticket after it, its history entry, the emails it asks for, its once-only records), and
hands it to ``commit``. The unit of work then, for every kind of change alike:

- requires the history entry to describe this very change (from the status it was loaded in);
- bumps the ticket's revision, the optimistic lock every write is conditioned on;
- computes the next instant the sweep must look at the ticket;
- counts what the change adds to its month's report figures (``tiket.domain.aggregates``);
- turns the notices into emails for the outbox;
- claims, once for all tickets, the upload ids of the files it attaches;
- writes all of it (with the conversation's new messages) in one conditional transaction
  (``TicketStore.write``), and
- once that holds, sends the new emails (what fails waits in the outbox for the sweep).

``TicketStore.write`` is called from nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from tiket.domain.aggregates import MonthDelta
from tiket.domain.errors import NotFound
from tiket.domain.lifecycle import imported
from tiket.domain.model import Actor, HistoryEntry, Notice, Once, Outcome, Staff, Ticket
from tiket.domain.text import Msg
from tiket.services.ports import (
    Clock,
    IdempotencyClaim,
    Mails,
    OutgoingMail,
    TicketStore,
    TicketWrite,
)
from tiket.services.privacy_ports import PersonalWrite

# A fresh email's first scheduled attempt is this far away: the request that committed it
# sends it at once; the sweep takes it only if that send did not happen.
LEASE = timedelta(minutes=2)

RoleCache = dict[str, list[Staff]]
# What a change (before → after, described by its history entry) adds to the report figures.
Counting = Callable[[Ticket | None, Ticket, HistoryEntry], MonthDelta]
# The personal-data entries a change (before → after) writes (``services.privacy_index``).
Bookkeeping = Callable[[Ticket | None, Ticket], PersonalWrite | None]


class Composer(Protocol):
    def __call__(
        self,
        ticket: Ticket,
        notices: Sequence[Notice],
        now: datetime,
        actor: Actor | None = None,
        roles: RoleCache | None = None,
    ) -> list[OutgoingMail]: ...


@dataclass(frozen=True)
class Committed:
    ticket: Ticket
    mails: tuple[OutgoingMail, ...]


class TicketUnitOfWork:
    def __init__(
        self,
        store: TicketStore,
        compose: Composer,
        schedule: Callable[[Ticket], datetime | None],
        clock: Clock,
        deliver: Callable[[Mails], Any],
        count: Counting,
        bookkeeping: Bookkeeping | None = None,
    ):
        self.store = store
        self.compose = compose
        self.schedule = schedule
        self.clock = clock
        self.deliver = deliver
        self.count = count
        self.bookkeeping = bookkeeping

    def load(self, number: str) -> Ticket:
        ticket = self.store.get(number)
        if ticket is None:
            raise NotFound(Msg("error.not_found"))
        return ticket

    def commit(
        self,
        before: Ticket | None,
        outcome: Outcome,
        *,
        actor: Actor | None = None,
        once: tuple[Once, ...] = (),
        idempotency: IdempotencyClaim | None = None,
        roles: RoleCache | None = None,
        rewrite: PersonalWrite | None = None,
    ) -> Committed:
        """Write ``outcome`` as the change of ``before`` (None: a new ticket). Raises
        ``WriteConflict`` (nothing written) if the ticket changed since ``before`` was read
        or a once-only record already exists. ``rewrite``: an erasure's stored messages and
        history entries, rewritten in the same transaction."""
        history = outcome.history
        expected = None if before is None else before.revision
        if history.from_status != (None if before is None else before.status) or (
            history.to_status != outcome.ticket.status
        ):
            raise ValueError(f"History of {history.action} does not describe this change")
        revision = (expected or 0) + 1
        ticket = replace(outcome.ticket, revision=revision)
        now = self.clock.now()
        mails = tuple(self.compose(ticket, outcome.notices, now, actor, roles))
        entry = replace(history, revision=revision)
        personal = self._personal(before, ticket, rewrite)
        self.store.write(
            TicketWrite(
                ticket=ticket,
                expected_revision=expected,
                history=entry,
                next_check=self.schedule(ticket),
                mails=mails,
                mail_first_attempt=now + LEASE,
                once=outcome.once + once,
                idempotency=idempotency,
                messages=outcome.messages,
                uploads=_new_uploads(before, ticket),
                aggregates=self.count(before, ticket, entry),
                personal=personal,
            )
        )
        if mails:
            self.deliver(mails)
        return Committed(ticket, mails)

    def _personal(
        self, before: Ticket | None, after: Ticket, rewrite: PersonalWrite | None
    ) -> PersonalWrite | None:
        entries = None if self.bookkeeping is None else self.bookkeeping(before, after)
        if rewrite is not None:
            entries = replace(
                entries or PersonalWrite(), messages=rewrite.messages, history=rewrite.history
            )
        return None if entries is None or entries.empty else entries

    def import_tickets(self, tickets: Iterable[Ticket]) -> int:
        """Bulk load of tickets as they stand (migration, benchmarks): each with its history
        entry, next check and report figures, unconditioned and without emails."""
        now = self.clock.now()

        def writes() -> Iterator[TicketWrite]:
            for ticket in tickets:
                outcome = imported(replace(ticket, revision=1), now)
                entry = replace(outcome.history, revision=1)
                yield TicketWrite(
                    ticket=outcome.ticket,
                    expected_revision=None,
                    history=entry,
                    next_check=self.schedule(outcome.ticket),
                    aggregates=self.count(None, outcome.ticket, entry),
                    personal=self._personal(None, outcome.ticket, None),
                )

        return self.store.write_many(writes())


def _new_uploads(before: Ticket | None, after: Ticket) -> tuple[str, ...]:
    """Upload ids attached by this change: each is claimed once, for all tickets and
    messages. Compared as whole records, not by id: an upload that a ticket already holds,
    sent again with one of its messages, is a new record whose claim must lose."""
    earlier = set() if before is None else set(before.attachments)
    return tuple(a.id for a in after.attachments if a not in earlier)
