"""Tickets in DynamoDB: reads, the index queries, ticket numbers, and the one transaction
that writes a change (``write``, called only by the unit of work)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from typing import Any

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from tiket.adapters.dynamodb.convert import (
    WRITTEN_ONCE,
    history_from,
    history_item,
    ticket_from,
    ticket_values,
)
from tiket.adapters.dynamodb.figures import (
    DynamoFigures,
    add_to_transaction,
    with_conflict_retries,
)
from tiket.adapters.dynamodb.messages import MessageItem, message_item, thread
from tiket.adapters.dynamodb.models import (
    CounterItem,
    HistoryItem,
    IdempotencyItem,
    MailItem,
    OnceItem,
    Table,
    TicketItem,
    get_item,
    query,
    token_hash,
    ttl_of,
    utc_key,
    wrap_error,
)
from tiket.adapters.dynamodb.outbox import mail_item
from tiket.adapters.dynamodb.privacy import add_to_transaction as add_personal
from tiket.adapters.dynamodb.privacy import batch_entries
from tiket.domain.aggregates import Key
from tiket.domain.attachments import UPLOAD_CLAIM_KEEP
from tiket.domain.model import HistoryEntry, Message, Once, Ticket
from tiket.domain.vocabulary import Action
from tiket.services.ports import TicketWrite


def once_key(once: Once) -> str:
    return f"O#{once.kind}#{once.key}"


def upload_claim_key(upload_id: str) -> str:
    return f"UPLOAD#{upload_id}"


class DynamoTickets:
    def __init__(self, table: Table, zone: tzinfo):
        self.table = table
        self.zone = zone  # months of the ``month`` index are months of the unit's calendar

    # --- reads ---------------------------------------------------------------------------

    def get(self, number: str) -> Ticket | None:
        item = get_item(TicketItem, f"T#{number}", "META")
        return None if item is None else ticket_from(item)

    def by_track_token(self, token: str) -> Ticket | None:
        link = get_item(OnceItem, f"TRACK#{token_hash(token)}", "TRACK", consistent=False)
        return None if link is None or link.number is None else self.get(link.number)

    def history(self, number: str) -> list[HistoryEntry]:
        items = query(HistoryItem, f"T#{number}", HistoryItem.sk.startswith("H#"))
        return [history_from(item) for item in items]

    def messages(self, number: str) -> list[Message]:
        return thread(number)

    def has_once(self, number: str, once: Once) -> bool:
        return get_item(OnceItem, f"T#{number}", once_key(once)) is not None

    def upload_claimed(self, upload_id: str) -> str | None:
        claim = get_item(OnceItem, upload_claim_key(upload_id), "UPLOAD")
        return None if claim is None else claim.number

    # --- queries (indexes only) ------------------------------------------------------------

    def open_tickets(self) -> list[Ticket]:
        return [ticket_from(i) for i in query(TicketItem.list_index, "OPEN")]

    def held_by(self, holder_key: str) -> list[Ticket]:
        """``holder_key``: a staff email, or ``POOL#tik`` / ``POOL#rt`` for unclaimed work."""
        return [ticket_from(i) for i in query(TicketItem.assignee_index, f"A#{holder_key}")]

    def of_month(self, year: int, month: int) -> Iterator[Ticket]:
        for item in query(TicketItem.month_index, f"M#{year:04d}-{month:02d}"):
            yield ticket_from(item)

    def due(self, now: datetime, limit: int = 200) -> list[str]:
        """Numbers of tickets whose next check is at or before ``now`` (oldest first)."""
        condition = TicketItem.due_sk <= utc_key(now) + "~"
        return [i.number for i in query(TicketItem.due_index, "TICKET", condition, limit=limit)]

    # --- writes ----------------------------------------------------------------------------

    def next_number(self, year: int) -> int:
        """Atomic counter per year: each call returns a value no other call gets."""
        counter = CounterItem(f"COUNTER#{year}", "COUNTER")
        try:
            counter.update(actions=[CounterItem.value.add(1)])
        except UpdateError as error:
            raise wrap_error(error) from error
        return int(counter.value)

    def write(self, write: TicketWrite) -> None:
        """One change, all or nothing (see ``tiket.services.ports.TicketWrite``); sent again
        while only conflicts with other transactions on the report figures cancel it."""
        try:
            with_conflict_retries(lambda: self._transaction(write))
        except TransactWriteError as error:
            raise wrap_error(error) from error

    def _transaction(self, write: TicketWrite) -> None:
        ticket = write.ticket
        values = ticket_values(ticket, write.next_check, self.zone)
        # A token per attempt: botocore repeats a request that got no answer with the same
        # token, and DynamoDB does not apply a transaction twice for it (counter deltas
        # included); our own retries come after a definite cancellation, with a new one.
        token = uuid.uuid4().hex
        with TransactWrite(connection=self.table.connection, client_request_token=token) as tx:
            if write.expected_revision is None:
                self._create(tx, write, values)
            else:
                self._update(tx, write, values)
            for once in write.once:
                expires = None if once.expires_at is None else ttl_of(once.expires_at)
                tx.save(
                    OnceItem(
                        f"T#{ticket.number}", once_key(once), at=write.history.at, ttl=expires
                    ),
                    condition=OnceItem.pk.does_not_exist(),
                )
            claim_ttl = ttl_of(write.history.at + UPLOAD_CLAIM_KEEP)
            for upload in write.uploads:
                tx.save(
                    OnceItem(
                        upload_claim_key(upload),
                        "UPLOAD",
                        number=ticket.number,
                        at=write.history.at,
                        ttl=claim_ttl,
                    ),
                    condition=OnceItem.pk.does_not_exist(),
                )
            tx.save(
                history_item(ticket.number, write.history),
                condition=HistoryItem.pk.does_not_exist(),
            )
            for message in write.messages:
                tx.save(
                    message_item(ticket.number, message, write.history.revision),
                    condition=MessageItem.pk.does_not_exist(),
                )
            first_attempt = write.mail_first_attempt or write.history.at
            for mail in write.mails:
                tx.save(mail_item(mail, first_attempt), condition=MailItem.pk.does_not_exist())
            if write.aggregates is not None:
                add_to_transaction(tx, ticket.number, write.aggregates, write.history.at)
            if write.personal is not None:
                add_personal(tx, ticket.number, write.personal)

    @staticmethod
    def _create(tx: TransactWrite, write: TicketWrite, values: dict[str, Any]) -> None:
        ticket = write.ticket
        present = {name: value for name, value in values.items() if value is not None}
        tx.save(
            TicketItem(f"T#{ticket.number}", "META", **present),
            condition=TicketItem.pk.does_not_exist(),
        )
        if ticket.track_token:
            tx.save(
                OnceItem(f"TRACK#{token_hash(ticket.track_token)}", "TRACK", number=ticket.number),
                condition=OnceItem.pk.does_not_exist(),
            )
        if write.idempotency is not None:
            claim = write.idempotency
            tx.save(
                IdempotencyItem(
                    f"IDEM#{token_hash(claim.key)}",
                    "IDEM",
                    body_hash=claim.record.body_hash,
                    number=claim.record.number,
                    track_token=claim.record.track_token,
                    ttl=ttl_of(claim.expires_at),
                ),
                condition=IdempotencyItem.pk.does_not_exist(),
            )

    @staticmethod
    def _update(tx: TransactWrite, write: TicketWrite, values: dict[str, Any]) -> None:
        # An erasure (PRODUCT.md §14) is the one change that rewrites who the requester is.
        rewritten = {"requester"} if write.history.action == Action.ERASE else set()
        actions = [
            getattr(TicketItem, name).remove()
            if value is None
            else getattr(TicketItem, name).set(value)
            for name, value in values.items()
            if name not in WRITTEN_ONCE or name in rewritten
        ]
        expected = write.expected_revision
        condition = TicketItem.revision == expected
        if expected == 0:  # an item written before revisions were kept
            condition = condition | TicketItem.revision.does_not_exist()
        tx.update(
            TicketItem(f"T#{write.ticket.number}", "META"), actions=actions, condition=condition
        )

    def write_many(self, writes: Iterable[TicketWrite]) -> int:
        """Bulk load of new tickets (migration from the old form, benchmarks): batch writes
        of each ticket with its history entry and tracking link, unconditioned, no emails;
        then their report figures, added up per month into the months' totals."""
        count = 0
        figures: dict[str, Counter[Key]] = {}
        with TicketItem.batch_write() as batch:
            for write in writes:
                ticket = write.ticket
                values = ticket_values(ticket, write.next_check, self.zone)
                present = {name: value for name, value in values.items() if value is not None}
                batch.save(TicketItem(f"T#{ticket.number}", "META", **present))
                batch.save(history_item(ticket.number, write.history))
                if ticket.track_token:
                    token = token_hash(ticket.track_token)
                    batch.save(OnceItem(f"TRACK#{token}", "TRACK", number=ticket.number))
                if write.personal is not None:
                    for entry in batch_entries(ticket.number, write.personal):
                        batch.save(entry)
                if write.aggregates is not None:
                    counted = figures.setdefault(write.aggregates.month, Counter())
                    counted.update(write.aggregates.counts)
                count += 1
        for month, counts in figures.items():
            DynamoFigures(self.table).add(month, counts)
        return count
