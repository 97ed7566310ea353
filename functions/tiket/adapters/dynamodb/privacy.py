"""Personal data in DynamoDB (PRODUCT.md §14; rows in ``table.py``): the requester look-up
and retention entries written inside a ticket's change transaction, erasure requests, and
the staff access log. Every read is a GetItem or a Query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from tiket.adapters.dynamodb.convert import history_item
from tiket.adapters.dynamodb.messages import PREFIX, MessageItem, message_item
from tiket.adapters.dynamodb.models import (
    HistoryItem,
    Table,
    TableMeta,
    _index,
    get_item,
    query,
    ttl_of,
    utc_key,
    wrap_error,
)
from tiket.domain.errors import WriteConflict
from tiket.domain.privacy import ErasureStatus
from tiket.services.privacy_ports import MAX_LOG_DAYS, AccessEntry, ErasureRequest, PersonalWrite

RETAIN = "RETAIN"
PENDING_LIST = "ERASURES"


class PrivacyItem(Model):
    """A requester look-up entry (``RQ#<key>`` / ``T#<number>``), a ticket's retention
    entry (``T#<number>`` / ``RETAIN``, in the ``due`` index under ``RETAIN``), or the
    pointer to a requester's pending erasure request (``RQ#<key>`` / ``PENDING``)."""

    class Meta(TableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    number = UnicodeAttribute(null=True)
    request_id = UnicodeAttribute(null=True)
    due_pk = UnicodeAttribute(null=True)
    due_sk = UnicodeAttribute(null=True)
    due_index = _index("due", "due_pk", "due_sk")()


class ErasureItem(Model):
    class Meta(TableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    list_pk = UnicodeAttribute(null=True)  # ``ERASURES`` while pending
    list_sk = UnicodeAttribute(null=True)
    list_index = _index("list", "list_pk", "list_sk")()
    id = UnicodeAttribute()
    key = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    status = UnicodeAttribute()
    requested_at = UTCDateTimeAttribute()
    decided_at = UTCDateTimeAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    refusal = UnicodeAttribute(null=True)
    escalated_at = UTCDateTimeAttribute(null=True)
    tickets = NumberAttribute(default=0)


class AccessItem(Model):
    """One read, written three times: under the ticket, the staff member and the day."""

    class Meta(TableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    staff = UnicodeAttribute()
    role = UnicodeAttribute()
    number = UnicodeAttribute()
    view = UnicodeAttribute()
    ttl = NumberAttribute()


def requester_pk(key: str) -> str:
    return f"RQ#{key}"


def add_to_transaction(tx: TransactWrite, number: str, write: PersonalWrite) -> None:
    """``TicketWrite.personal`` in the ticket's transaction (``DynamoTickets.write``)."""
    if write.unlisted_from:
        tx.delete(PrivacyItem(requester_pk(write.unlisted_from), f"T#{number}"))
    if write.listed_under:
        tx.save(PrivacyItem(requester_pk(write.listed_under), f"T#{number}", number=number))
    if write.retain_changed:
        if write.retain_at is None:
            tx.delete(PrivacyItem(f"T#{number}", RETAIN))
        else:
            tx.save(retain_item(number, write.retain_at))
    for entry in write.history:
        tx.save(history_item(number, entry), condition=HistoryItem.pk.exists())
    if write.messages:
        revisions = {
            item.id: int(item.sk.split("#")[-2])
            for item in query(MessageItem, f"T#{number}", MessageItem.sk.startswith(PREFIX))
        }
        for message in write.messages:
            if message.id not in revisions:
                raise WriteConflict(["MessageMissing"])
            tx.save(
                message_item(number, message, revisions[message.id]),
                condition=MessageItem.pk.exists(),
            )


def retain_item(number: str, at: datetime) -> PrivacyItem:
    return PrivacyItem(
        f"T#{number}", RETAIN, number=number, due_pk=RETAIN, due_sk=f"{utc_key(at)}#{number}"
    )


def batch_entries(number: str, write: PersonalWrite) -> list[PrivacyItem]:
    """The entries of a new ticket loaded in bulk (``write_many``)."""
    items = []
    if write.listed_under:
        items.append(PrivacyItem(requester_pk(write.listed_under), f"T#{number}", number=number))
    if write.retain_at is not None:
        items.append(retain_item(number, write.retain_at))
    return items


class DynamoPrivacy:
    def __init__(self, table: Table):
        self.table = table

    def requester_tickets(self, key: str) -> list[str]:
        items = query(PrivacyItem, requester_pk(key), PrivacyItem.sk.startswith("T#"))
        return [str(item.number) for item in items]

    def retention_due(self, now: datetime, limit: int) -> list[str]:
        condition = PrivacyItem.due_sk <= utc_key(now) + "~"
        items = query(PrivacyItem.due_index, RETAIN, condition, limit=limit)
        return [str(item.number) for item in items][:limit]

    # --- erasure requests ---------------------------------------------------------------

    def add_erasure(self, request: ErasureRequest) -> ErasureRequest:
        pointer = PrivacyItem(requester_pk(request.key), "PENDING", request_id=request.id)
        try:
            with TransactWrite(connection=self.table.connection) as tx:
                tx.save(pointer, condition=PrivacyItem.pk.does_not_exist())
                tx.save(_erasure_item(request), condition=ErasureItem.pk.does_not_exist())
        except TransactWriteError as error:
            wrapped = wrap_error(error)
            if not isinstance(wrapped, WriteConflict):
                raise wrapped from error
            existing = get_item(PrivacyItem, requester_pk(request.key), "PENDING")
            found = None if existing is None else self.erasure(str(existing.request_id))
            if found is None:  # decided in between: the caller may ask again
                raise wrapped from error
            return found
        return request

    def erasure(self, request_id: str) -> ErasureRequest | None:
        item = get_item(ErasureItem, f"ERASURE#{request_id}", "ERASURE")
        return None if item is None else _erasure_from(item)

    def pending_erasures(self) -> list[ErasureRequest]:
        return [_erasure_from(i) for i in query(ErasureItem.list_index, PENDING_LIST)]

    def decide_erasure(self, decided: ErasureRequest) -> None:
        item = _erasure_item(decided)
        try:
            with TransactWrite(connection=self.table.connection) as tx:
                tx.save(item, condition=ErasureItem.status == ErasureStatus.PENDING.value)
                tx.delete(
                    PrivacyItem(requester_pk(decided.key), "PENDING"),
                    condition=PrivacyItem.request_id == decided.id,
                )
        except TransactWriteError as error:
            raise wrap_error(error) from error

    def finish_erasure(self, done: ErasureRequest) -> None:
        try:
            _erasure_item(done).save()
        except PutError as error:
            raise wrap_error(error) from error

    def mark_escalated(self, request_id: str, at: datetime) -> bool:
        item = ErasureItem(f"ERASURE#{request_id}", "ERASURE")
        try:
            item.update(
                actions=[ErasureItem.escalated_at.set(at)],
                condition=ErasureItem.escalated_at.does_not_exist()
                & (ErasureItem.status == ErasureStatus.PENDING.value),
            )
        except UpdateError as error:
            wrapped = wrap_error(error)
            if isinstance(wrapped, WriteConflict):
                return False
            raise wrapped from error
        return True

    def backfill(self, number: str, key: str | None, retain_at: datetime | None) -> None:
        try:
            if key is not None:
                PrivacyItem(requester_pk(key), f"T#{number}", number=number).save()
            if retain_at is not None:
                retain_item(number, retain_at).save()
        except PutError as error:
            raise wrap_error(error) from error

    # --- access log -----------------------------------------------------------------------

    def log_access(self, entry: AccessEntry) -> None:
        sk = f"{utc_key(entry.at)}#{entry.id}"
        values: dict[str, Any] = {
            "id": entry.id,
            "at": entry.at,
            "staff": entry.staff,
            "role": entry.role,
            "number": entry.number,
            "view": entry.view,
            "ttl": ttl_of(entry.expires_at),
        }
        day = entry.at.astimezone(UTC).strftime("%Y-%m-%d")
        try:
            with AccessItem.batch_write() as batch:
                for pk in (
                    f"ACCESS#T#{entry.number}",
                    f"ACCESS#S#{entry.staff}",
                    f"ACCESS#D#{day}",
                ):
                    batch.save(AccessItem(pk, sk, **values))
        except PutError as error:
            raise wrap_error(error) from error

    def access_log(
        self,
        start: datetime,
        end: datetime,
        *,
        ticket: str | None = None,
        staff: str | None = None,
        limit: int = 1000,
    ) -> list[AccessEntry]:
        between = AccessItem.sk.between(utc_key(start), utc_key(end) + "~")
        if ticket is not None:
            partitions = [f"ACCESS#T#{ticket}"]
        elif staff is not None:
            partitions = [f"ACCESS#S#{staff}"]
        else:
            first, last = start.astimezone(UTC).date(), end.astimezone(UTC).date()
            days = min((last - first).days, MAX_LOG_DAYS)
            partitions = [f"ACCESS#D#{first + timedelta(days=n):%Y-%m-%d}" for n in range(days + 1)]
        found: list[AccessEntry] = []
        for pk in partitions:
            found.extend(_access_from(item) for item in query(AccessItem, pk, between))
        if staff is not None:
            found = [e for e in found if e.staff == staff]
        found.sort(key=lambda e: (e.at, e.id), reverse=True)
        return found[:limit]


def _erasure_item(r: ErasureRequest) -> ErasureItem:
    # Listed while it needs work: pending, or approved and not carried out (address kept).
    pending = r.status == ErasureStatus.PENDING or (
        r.status == ErasureStatus.APPROVED and r.email is not None
    )
    return ErasureItem(
        f"ERASURE#{r.id}",
        "ERASURE",
        list_pk=PENDING_LIST if pending else None,
        list_sk=f"{utc_key(r.requested_at)}#{r.id}" if pending else None,
        id=r.id,
        key=r.key,
        email=r.email,
        reason=r.reason or None,
        status=r.status.value,
        requested_at=r.requested_at,
        decided_at=r.decided_at,
        decided_by=r.decided_by,
        refusal=r.refusal,
        escalated_at=r.escalated_at,
        tickets=r.tickets,
    )


def _erasure_from(item: ErasureItem) -> ErasureRequest:
    return ErasureRequest(
        id=item.id,
        key=item.key,
        email=item.email,
        reason=item.reason or "",
        status=ErasureStatus(item.status),
        requested_at=item.requested_at,
        decided_at=item.decided_at,
        decided_by=item.decided_by,
        refusal=item.refusal,
        escalated_at=item.escalated_at,
        tickets=int(item.tickets or 0),
    )


def _access_from(item: AccessItem) -> AccessEntry:
    return AccessEntry(
        id=item.id,
        at=item.at,
        staff=item.staff,
        role=item.role,
        number=item.number,
        view=item.view,
        expires_at=datetime.fromtimestamp(int(item.ttl), tz=item.at.tzinfo),
    )
