"""The DynamoDB store (PynamoDB). Key design: ``tiket/adapters/table.py``.

The one path that changes a ticket is ``Store.commit``: a transaction holding the ticket
update conditioned on the version the caller read, the history entry, the outbox emails and
any once-only record (token nonce, breach), all or nothing. Two writes touch a ticket outside
it, each on an attribute no transition writes, so neither can undo the other:
``notified_at`` (when the first new-request email went out) and the ``breaches`` set (ADD is
commutative; a breach is committed through ``commit`` too, which guards it with its item).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import (
    GetError,
    PutError,
    QueryError,
    TransactWriteError,
    UpdateError,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from tiket.adapters.mail.message import OutgoingMail
from tiket.adapters.table import INDEXES, table_definition
from tiket.domain.errors import Unavailable, WriteConflict
from tiket.domain.model import (
    OPEN_STATUSES,
    Actor,
    HistoryEntry,
    Requester,
    Staff,
    Survey,
    Ticket,
)
from tiket.domain.standards import StepRecord

THROTTLING = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    # A transaction cancelled for capacity names it in its reasons, without "Exception".
    "ProvisionedThroughputExceeded",
    "ThrottlingError",
}
MAIL_RETENTION = timedelta(days=90)
# A request must answer within API Gateway's 29 s even if DynamoDB hangs: four attempts
# (botocore's standard retries) of at most 2 + 5 s each.
TIMEOUTS = {"connect_timeout_seconds": 2, "read_timeout_seconds": 5, "max_retry_attempts": 3}
JAKARTA = ZoneInfo("Asia/Jakarta")


def utc_key(instant: datetime) -> str:
    """Sortable UTC text for index sort keys."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def token_hash(token: str) -> str:
    """Secrets (tracking tokens, idempotency keys) are stored only as hashes."""
    return hashlib.sha256(token.encode()).hexdigest()


# --- nested attributes ------------------------------------------------------------------


class StepAttr(MapAttribute):
    step = UnicodeAttribute()
    started_at = UTCDateTimeAttribute()
    due_at = UTCDateTimeAttribute()
    standard_minutes = NumberAttribute()
    done_at = UTCDateTimeAttribute(null=True)
    paused_minutes = NumberAttribute(default=0)
    paused_since = UTCDateTimeAttribute(null=True)


class RequesterAttr(MapAttribute):
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    unit = UnicodeAttribute()
    location = UnicodeAttribute()
    nip = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)


class SurveyAttr(MapAttribute):
    answers = MapAttribute()
    suggestion = UnicodeAttribute(null=True)
    submitted_at = UTCDateTimeAttribute()


@dataclass(frozen=True)
class IdempotencyRecord:
    body_hash: str
    number: str
    track_token: str


@dataclass(frozen=True)
class MailRecord:
    mail: OutgoingMail
    status: str  # pending | sending | sent | failed
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class Change:
    """Everything one ticket change writes, committed together by ``Store.commit``."""

    ticket: Ticket
    expected_version: int
    next_check: datetime | None
    at: datetime
    history: HistoryEntry | None = None
    mails: Sequence[OutgoingMail] = ()
    mail_first_attempt: datetime | None = None
    nonce: tuple[str, datetime] | None = None  # once-only token nonce and its expiry
    breach: StepRecord | None = None


def _index(name: str) -> type[GlobalSecondaryIndex]:
    """A fresh index class: PynamoDB binds an index class to the one model that holds it."""
    hash_key, range_key = INDEXES[name]
    meta = type("Meta", (), {"index_name": name, "projection": AllProjection()})
    return type(
        f"{name.title()}Index",
        (GlobalSecondaryIndex,),
        {
            "Meta": meta,
            hash_key: UnicodeAttribute(hash_key=True),
            range_key: UnicodeAttribute(range_key=True),
        },
    )


class Models:
    """PynamoDB model classes bound to one table and endpoint (tests and benches make
    several; production makes one)."""

    def __init__(self, table: str, host: str | None, region: str):
        meta = type("Meta", (), {"table_name": table, "host": host, "region": region, **TIMEOUTS})

        def model(name: str, fields: dict[str, Any]) -> type[Model]:
            base = {
                "Meta": meta,
                "pk": UnicodeAttribute(hash_key=True),
                "sk": UnicodeAttribute(range_key=True),
            }
            return type(name, (Model,), {**base, **fields})

        index_keys = {
            attr: UnicodeAttribute(null=True) for pair in INDEXES.values() for attr in pair
        }
        self.Ticket = model(
            "TicketItem",
            {
                **index_keys,
                "due_index": _index("due")(),
                "list_index": _index("list")(),
                "month_index": _index("month")(),
                "assignee_index": _index("assignee")(),
                "number": UnicodeAttribute(),
                "status": UnicodeAttribute(),
                "version": NumberAttribute(),
                "created_at": UTCDateTimeAttribute(),
                "requester": RequesterAttr(),
                "category": UnicodeAttribute(),
                "subject": UnicodeAttribute(),
                "description": UnicodeAttribute(),
                "asset_tag": UnicodeAttribute(null=True),
                "track_token": UnicodeAttribute(null=True),
                "steps": ListAttribute(of=StepAttr, default=list),
                "assignee": UnicodeAttribute(null=True),
                "assignee_name": UnicodeAttribute(null=True),
                "repair_assignee": UnicodeAttribute(null=True),
                "repair_assignee_name": UnicodeAttribute(null=True),
                "path": UnicodeAttribute(null=True),
                "diagnosis": UnicodeAttribute(null=True),
                "estimate_minutes": NumberAttribute(null=True),
                "resolution": UnicodeAttribute(null=True),
                "hold_reason": UnicodeAttribute(null=True),
                "held_from": UnicodeAttribute(null=True),
                "cancel_reason": UnicodeAttribute(null=True),
                "resolved_at": UTCDateTimeAttribute(null=True),
                "closed_at": UTCDateTimeAttribute(null=True),
                "survey": SurveyAttr(null=True),
                "notified_at": UTCDateTimeAttribute(null=True),
                "breaches": UnicodeSetAttribute(null=True),
                "survey_reminded_at": UTCDateTimeAttribute(null=True),
            },
        )
        self.History = model(
            "HistoryItem",
            {
                "at": UTCDateTimeAttribute(),
                "action": UnicodeAttribute(),
                "from_status": UnicodeAttribute(null=True),
                "to_status": UnicodeAttribute(),
                "actor_email": UnicodeAttribute(null=True),
                "actor_name": UnicodeAttribute(),
                "actor_role": UnicodeAttribute(),
                "note": UnicodeAttribute(null=True),
                "version": NumberAttribute(),
            },
        )
        self.Once = model(
            "OnceItem",  # breach, nonce, sign-in link, tracking token: records that exist once
            {
                "number": UnicodeAttribute(null=True),
                "email": UnicodeAttribute(null=True),
                "at": UTCDateTimeAttribute(null=True),
                "used_at": UTCDateTimeAttribute(null=True),
                "ttl": NumberAttribute(null=True),
            },
        )
        self.Counter = model("CounterItem", {"value": NumberAttribute(default=0)})
        self.Idempotency = model(
            "IdempotencyItem",
            {
                "body_hash": UnicodeAttribute(),
                "number": UnicodeAttribute(),
                "track_token": UnicodeAttribute(),
                "ttl": NumberAttribute(),
            },
        )
        self.Staff = model(
            "StaffItem",
            {
                "list_pk": UnicodeAttribute(null=True),
                "list_sk": UnicodeAttribute(null=True),
                "list_index": _index("list")(),
                "email": UnicodeAttribute(),
                "name": UnicodeAttribute(),
                "role": UnicodeAttribute(),
                "active": BooleanAttribute(default=True),
                "at": UTCDateTimeAttribute(null=True),
                "ip": UnicodeAttribute(null=True),
            },
        )
        self.Mail = model(
            "MailItem",
            {
                "due_pk": UnicodeAttribute(null=True),
                "due_sk": UnicodeAttribute(null=True),
                "due_index": _index("due")(),
                "id": UnicodeAttribute(),
                "ticket": UnicodeAttribute(null=True),
                "kind": UnicodeAttribute(),
                "to": UnicodeAttribute(),
                "to_name": UnicodeAttribute(),
                "subject": UnicodeAttribute(),
                "text": UnicodeAttribute(),
                "html": UnicodeAttribute(),
                "created_at": UTCDateTimeAttribute(),
                "status": UnicodeAttribute(),
                "attempts": NumberAttribute(default=0),
                "next_attempt_at": UTCDateTimeAttribute(null=True),
                "last_error": UnicodeAttribute(null=True),
                "sent_at": UTCDateTimeAttribute(null=True),
                "ttl": NumberAttribute(null=True),
            },
        )
        self.Rate = model(
            "RateItem", {"count": NumberAttribute(default=0), "ttl": NumberAttribute()}
        )
        self.connection = Connection(region=region, host=host, **TIMEOUTS)


def _wrap_errors(error: Exception) -> Exception:
    """Throttling after botocore's bounded retries → Unavailable; lost conditions → conflict."""
    if isinstance(error, TransactWriteError):
        reasons = [r.code for r in error.cancellation_reasons if r is not None]
        if any(code in THROTTLING for code in reasons) or error.cause_response_code in THROTTLING:
            return Unavailable()
        return WriteConflict(reasons or [error.cause_response_code or "TransactionCanceled"])
    code = getattr(error, "cause_response_code", None)
    if code in THROTTLING:
        return Unavailable()
    if code == "ConditionalCheckFailedException":
        return WriteConflict([code])
    return error


class Store:
    def __init__(self, table: str, host: str | None = None, region: str = "ap-southeast-3"):
        self.table = table
        self.host = host
        self.region = region
        self.m = Models(table, host, region)

    # --- table -------------------------------------------------------------------------

    def create_table(self) -> None:
        """Create the table when missing (local stack, tests, benches). Production: infra/."""
        client = self.m.connection.client
        try:
            client.describe_table(TableName=self.table)
            return
        except client.exceptions.ResourceNotFoundException:
            pass
        client.create_table(**table_definition(self.table))
        client.get_waiter("table_exists").wait(TableName=self.table)
        client.update_time_to_live(
            TableName=self.table,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"},
        )

    # --- tickets: reads ----------------------------------------------------------------

    def get_ticket(self, number: str) -> Ticket | None:
        try:
            item = self.m.Ticket.get(f"T#{number}", "META", consistent_read=True)
        except self.m.Ticket.DoesNotExist:
            return None
        except GetError as error:
            raise _wrap_errors(error) from error
        return _ticket_from(item)

    def ticket_by_track_token(self, token: str) -> Ticket | None:
        try:
            link = self.m.Once.get(f"TRACK#{token_hash(token)}", "TRACK")
        except self.m.Once.DoesNotExist:
            return None
        except GetError as error:
            raise _wrap_errors(error) from error
        return self.get_ticket(link.number)

    def history(self, number: str) -> list[HistoryEntry]:
        return [
            _history_from(item)
            for item in self._query(
                self.m.History, f"T#{number}", self.m.History.sk.startswith("H#")
            )
        ]

    def open_tickets(self) -> list[Ticket]:
        return [_ticket_from(i) for i in self._query(self.m.Ticket.list_index, "OPEN")]

    def tickets_of_month(self, year: int, month: int) -> Iterator[Ticket]:
        for item in self._query(self.m.Ticket.month_index, f"M#{year:04d}-{month:02d}"):
            yield _ticket_from(item)

    def tickets_held_by(self, holder_key: str) -> list[Ticket]:
        """``holder_key``: a staff email, or ``POOL#tik`` / ``POOL#rt`` for unclaimed work."""
        return [
            _ticket_from(item)
            for item in self._query(self.m.Ticket.assignee_index, f"A#{holder_key}")
        ]

    def due_tickets(self, now: datetime, limit: int = 200) -> list[str]:
        """Numbers of tickets whose next check is at or before ``now`` (oldest first)."""
        condition = self.m.Ticket.due_sk <= utc_key(now) + "~"
        items = self._query(self.m.Ticket.due_index, "TICKET", condition, limit=limit)
        return [item.number for item in items]

    def _query(self, source, hash_key, condition=None, limit=None) -> list:
        try:
            return list(source.query(hash_key, condition, limit=limit))
        except QueryError as error:
            raise _wrap_errors(error) from error

    # --- tickets: writes ---------------------------------------------------------------

    def next_number(self, year: int) -> int:
        """Atomic counter per year: each call returns a value no other call gets."""
        counter = self.m.Counter(f"COUNTER#{year}", "COUNTER")
        try:
            counter.update(actions=[self.m.Counter.value.add(1)])
        except UpdateError as error:
            raise _wrap_errors(error) from error
        return int(counter.value)

    def import_tickets(self, tickets: Iterable[tuple[Ticket, datetime | None]]) -> int:
        """Bulk load (migration from the old form, benchmarks): batch writes of ticket items
        with their index keys, no history, no emails. Not a path for live changes."""
        count = 0
        with self.m.Ticket.batch_write() as batch:
            for ticket, next_check in tickets:
                batch.save(self._ticket_item(ticket, next_check))
                count += 1
        return count

    def _ticket_item(self, ticket: Ticket, next_check: datetime | None) -> Model:
        item = self.m.Ticket(f"T#{ticket.number}", "META", **_ticket_values(ticket, next_check))
        item.month_pk = _month_key(ticket.created_at)
        item.month_sk = f"{utc_key(ticket.created_at)}#{ticket.number}"
        return item

    def create_ticket(
        self,
        change: Change,
        idempotency: tuple[str, IdempotencyRecord, datetime] | None = None,
    ) -> None:
        """The first write of a ticket: item, history, tracking link, idempotency key and
        outbox in one transaction. ``WriteConflict`` when the idempotency key is taken."""
        m = self.m
        ticket = change.ticket
        item = self._ticket_item(ticket, change.next_check)
        try:
            with TransactWrite(connection=m.connection) as tx:
                tx.save(item, condition=m.Ticket.pk.does_not_exist())
                tx.save(
                    m.Once(
                        f"TRACK#{token_hash(ticket.track_token)}", "TRACK", number=ticket.number
                    ),
                    condition=m.Once.pk.does_not_exist(),
                )
                if idempotency is not None:
                    key, record, expires = idempotency
                    tx.save(
                        m.Idempotency(
                            f"IDEM#{token_hash(key)}",
                            "IDEM",
                            body_hash=record.body_hash,
                            number=record.number,
                            track_token=record.track_token,
                            ttl=int(expires.timestamp()),
                        ),
                        condition=m.Idempotency.pk.does_not_exist(),
                    )
                self._add_history_and_mail(tx, change)
        except TransactWriteError as error:
            raise _wrap_errors(error) from error

    def commit(self, change: Change) -> None:
        """Apply one ticket change (see module docstring). ``WriteConflict`` if the ticket
        moved past ``expected_version`` or a once-only record exists; nothing is written."""
        m = self.m
        ticket = change.ticket
        values = _ticket_values(ticket, change.next_check)
        actions = [
            getattr(m.Ticket, name).remove()
            if value is None
            else getattr(m.Ticket, name).set(value)
            for name, value in values.items()
            if name not in _WRITTEN_ONCE
        ]
        if change.breach is not None:
            actions.append(m.Ticket.breaches.add({change.breach.step}))
        try:
            with TransactWrite(connection=m.connection) as tx:
                tx.update(
                    m.Ticket(f"T#{ticket.number}", "META"),
                    actions=actions,
                    condition=m.Ticket.version == change.expected_version,
                )
                if change.nonce is not None:
                    nonce, expires = change.nonce
                    tx.save(
                        m.Once(
                            f"NONCE#{nonce}",
                            "NONCE",
                            used_at=change.at,
                            ttl=int(expires.timestamp()),
                        ),
                        condition=m.Once.pk.does_not_exist(),
                    )
                if change.breach is not None:
                    tx.save(
                        m.Once(f"T#{ticket.number}", f"B#{change.breach.step}", at=change.at),
                        condition=m.Once.pk.does_not_exist(),
                    )
                self._add_history_and_mail(tx, change)
        except TransactWriteError as error:
            raise _wrap_errors(error) from error

    def _add_history_and_mail(self, tx: TransactWrite, change: Change) -> None:
        m = self.m
        if change.history is not None:
            entry = change.history
            tx.save(
                m.History(
                    f"T#{change.ticket.number}",
                    f"H#{utc_key(entry.at)}#{entry.version:06d}#{entry.action}",
                    at=entry.at,
                    action=entry.action,
                    from_status=entry.from_status,
                    to_status=entry.to_status,
                    actor_email=entry.actor.email,
                    actor_name=entry.actor.name,
                    actor_role=entry.actor.role,
                    note=entry.note or None,
                    version=entry.version,
                ),
                condition=m.History.pk.does_not_exist(),
            )
        first_attempt = change.mail_first_attempt or change.at
        for mail in change.mails:
            tx.save(self._mail_item(mail, first_attempt), condition=m.Mail.pk.does_not_exist())

    def record_dispatch(self, number: str, sent_at: datetime) -> None:
        """First new-request email to ICT staff went out (SOP step 3/4 is measured on it)."""
        try:
            self.m.Ticket(f"T#{number}", "META").update(
                actions=[self.m.Ticket.notified_at.set(sent_at)],
                condition=self.m.Ticket.pk.exists() & self.m.Ticket.notified_at.does_not_exist(),
            )
        except UpdateError as error:
            wrapped = _wrap_errors(error)
            if not isinstance(wrapped, WriteConflict):  # already recorded: nothing to do
                raise wrapped from error

    # --- once-only records -------------------------------------------------------------

    def nonce_used(self, nonce: str) -> bool:
        return self._exists(f"NONCE#{nonce}", "NONCE")

    def breach_recorded(self, number: str, step: str) -> bool:
        return self._exists(f"T#{number}", f"B#{step}")

    def _exists(self, pk: str, sk: str) -> bool:
        try:
            self.m.Once.get(pk, sk, consistent_read=True)
        except self.m.Once.DoesNotExist:
            return False
        except GetError as error:
            raise _wrap_errors(error) from error
        return True

    def idempotency(self, key: str, now: datetime) -> IdempotencyRecord | None:
        try:
            item = self.m.Idempotency.get(f"IDEM#{token_hash(key)}", "IDEM", consistent_read=True)
        except self.m.Idempotency.DoesNotExist:
            return None
        except GetError as error:
            raise _wrap_errors(error) from error
        if item.ttl < now.timestamp():  # TTL deletion lags; an expired key is free again
            return None
        return IdempotencyRecord(item.body_hash, item.number, item.track_token)

    def create_login(self, nonce: str, email: str, expires: datetime) -> None:
        self._put(self.m.Once(f"LOGIN#{nonce}", "LOGIN", email=email, ttl=int(expires.timestamp())))

    def consume_login(self, nonce: str, now: datetime) -> str | None:
        """The staff email of a valid, unused sign-in link, marking it used; else None."""
        item = self.m.Once(f"LOGIN#{nonce}", "LOGIN")
        try:
            item.update(
                actions=[self.m.Once.used_at.set(now)],
                condition=self.m.Once.pk.exists()
                & self.m.Once.used_at.does_not_exist()
                & (self.m.Once.ttl >= int(now.timestamp())),
            )
        except UpdateError as error:
            wrapped = _wrap_errors(error)
            if isinstance(wrapped, WriteConflict):
                return None
            raise wrapped from error
        return item.email

    def hit_rate(self, scope: str, key: str, window_start: int, window_seconds: int) -> int:
        """Count one request in a fixed window shared by every Lambda instance."""
        item = self.m.Rate(f"RATE#{scope}#{key}", f"W#{window_start}")
        try:
            item.update(
                actions=[
                    self.m.Rate.count.add(1),
                    self.m.Rate.ttl.set(window_start + window_seconds + 60),
                ]
            )
        except UpdateError as error:
            raise _wrap_errors(error) from error
        return int(item.count)

    # --- staff -------------------------------------------------------------------------

    def put_staff(self, staff: Staff) -> None:
        item = self.m.Staff(
            f"STAFF#{staff.email}",
            "STAFF",
            email=staff.email,
            name=staff.name,
            role=staff.role,
            active=staff.active,
            list_pk=f"ROLE#{staff.role}" if staff.active else None,
            list_sk=staff.email if staff.active else None,
        )
        self._put(item)

    def get_staff(self, email: str) -> Staff | None:
        try:
            item = self.m.Staff.get(f"STAFF#{email.lower()}", "STAFF")
        except self.m.Staff.DoesNotExist:
            return None
        except GetError as error:
            raise _wrap_errors(error) from error
        return Staff(item.email, item.name, item.role, item.active)

    def staff_with_role(self, role: str) -> list[Staff]:
        return [
            Staff(i.email, i.name, i.role, i.active)
            for i in self._query(self.m.Staff.list_index, f"ROLE#{role}")
            if i.active
        ]

    def record_signin(self, email: str, at: datetime, ip: str | None) -> None:
        self._put(
            self.m.Staff(
                f"STAFF#{email}",
                f"SIGNIN#{utc_key(at)}",
                email=email,
                name="",
                role="",
                at=at,
                ip=ip,
            )
        )

    def signins(self, email: str) -> list[datetime]:
        items = self._query(self.m.Staff, f"STAFF#{email}", self.m.Staff.sk.startswith("SIGNIN#"))
        return [item.at for item in items]

    def _put(self, item: Model) -> None:
        try:
            item.save()
        except PutError as error:
            raise _wrap_errors(error) from error

    # --- outbox --------------------------------------------------------------------------

    def _mail_item(self, mail: OutgoingMail, first_attempt: datetime) -> Model:
        return self.m.Mail(
            f"MAIL#{mail.id}",
            "MAIL",
            id=mail.id,
            ticket=mail.ticket,
            kind=mail.kind,
            to=mail.to,
            to_name=mail.to_name,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            created_at=mail.created_at,
            status="pending",
            attempts=0,
            next_attempt_at=first_attempt,
            due_pk="MAIL",
            due_sk=f"{utc_key(first_attempt)}#{mail.id}",
        )

    def add_mail(self, mail: OutgoingMail, first_attempt: datetime) -> None:
        """An email that belongs to no ticket change (sign-in link, fresh action link)."""
        self._put(self._mail_item(mail, first_attempt))

    def due_mails(self, now: datetime, limit: int = 100) -> list[str]:
        condition = self.m.Mail.due_sk <= utc_key(now) + "~"
        return [i.id for i in self._query(self.m.Mail.due_index, "MAIL", condition, limit=limit)]

    def get_mail(self, mail_id: str) -> MailRecord | None:
        try:
            item = self.m.Mail.get(f"MAIL#{mail_id}", "MAIL", consistent_read=True)
        except self.m.Mail.DoesNotExist:
            return None
        except GetError as error:
            raise _wrap_errors(error) from error
        return _mail_from(item)

    def claim_mail(self, mail_id: str, now: datetime, lease: timedelta) -> MailRecord | None:
        """Take the right to send a due email for ``lease``; None when it is not due any
        more (sent, failed, or taken by another sender whose lease still runs)."""
        m = self.m
        item = m.Mail(f"MAIL#{mail_id}", "MAIL")
        until = now + lease
        try:
            item.update(
                actions=[
                    m.Mail.status.set("sending"),
                    m.Mail.next_attempt_at.set(until),
                    m.Mail.due_sk.set(f"{utc_key(until)}#{mail_id}"),
                ],
                condition=m.Mail.status.is_in("pending", "sending")
                & (m.Mail.next_attempt_at <= now),
            )
        except UpdateError as error:
            wrapped = _wrap_errors(error)
            if isinstance(wrapped, WriteConflict):
                return None
            raise wrapped from error
        return _mail_from(item)

    def mail_sent(self, mail_id: str, now: datetime, holder: str) -> None:
        """``holder``: "pending" for the request that created the email and sends it before
        its first scheduled attempt, "sending" for a sweep holding the lease."""
        m = self.m
        self._mail_update(
            mail_id,
            holder,
            [
                m.Mail.status.set("sent"),
                m.Mail.attempts.add(1),
                m.Mail.sent_at.set(now),
                m.Mail.last_error.remove(),
                m.Mail.next_attempt_at.remove(),
                m.Mail.due_pk.remove(),
                m.Mail.due_sk.remove(),
                m.Mail.ttl.set(int((now + MAIL_RETENTION).timestamp())),
            ],
        )

    def mail_retry(self, mail_id: str, at: datetime, error: str, holder: str) -> None:
        m = self.m
        self._mail_update(
            mail_id,
            holder,
            [
                m.Mail.status.set("pending"),
                m.Mail.attempts.add(1),
                m.Mail.last_error.set(error[:500]),
                m.Mail.next_attempt_at.set(at),
                m.Mail.due_sk.set(f"{utc_key(at)}#{mail_id}"),
            ],
        )

    def mail_failed(self, mail_id: str, now: datetime, error: str, holder: str) -> None:
        m = self.m
        self._mail_update(
            mail_id,
            holder,
            [
                m.Mail.status.set("failed"),
                m.Mail.attempts.add(1),
                m.Mail.last_error.set(error[:500]),
                m.Mail.next_attempt_at.remove(),
                m.Mail.due_pk.remove(),
                m.Mail.due_sk.remove(),
                m.Mail.ttl.set(int((now + MAIL_RETENTION).timestamp())),
            ],
        )

    def _mail_update(self, mail_id: str, holder: str, actions: list) -> None:
        try:
            self.m.Mail(f"MAIL#{mail_id}", "MAIL").update(
                actions=actions, condition=self.m.Mail.status == holder
            )
        except UpdateError as error:
            wrapped = _wrap_errors(error)
            if not isinstance(wrapped, WriteConflict):  # lease lost: the other sender owns it
                raise wrapped from error


# --- conversions ------------------------------------------------------------------------

# Attributes written when the ticket is created and never by a transition.
_WRITTEN_ONCE = frozenset(
    {
        "number",
        "created_at",
        "requester",
        "category",
        "subject",
        "description",
        "asset_tag",
        "track_token",
    }
)


def _month_key(created_at: datetime) -> str:
    return f"M#{created_at.astimezone(JAKARTA):%Y-%m}"


def _holder_key(ticket: Ticket) -> str | None:
    if ticket.status not in OPEN_STATUSES:
        return None
    if ticket.status == "new":
        return "POOL#tik"
    if ticket.status == "referred":
        return "POOL#rt"
    return ticket.holder()


def _ticket_values(ticket: Ticket, next_check: datetime | None) -> dict[str, Any]:
    holder = _holder_key(ticket)
    key_tail = f"{utc_key(ticket.created_at)}#{ticket.number}"
    requester = ticket.requester
    survey = ticket.survey
    return {
        "number": ticket.number,
        "status": ticket.status,
        "version": ticket.version,
        "created_at": ticket.created_at,
        "requester": RequesterAttr(
            name=requester.name,
            email=requester.email,
            unit=requester.unit,
            location=requester.location,
            nip=requester.nip,
            phone=requester.phone,
        ),
        "category": ticket.category,
        "subject": ticket.subject,
        "description": ticket.description,
        "asset_tag": ticket.asset_tag,
        "track_token": ticket.track_token,
        "steps": [
            StepAttr(
                step=r.step,
                started_at=r.started_at,
                due_at=r.due_at,
                standard_minutes=r.standard_minutes,
                done_at=r.done_at,
                paused_minutes=r.paused_minutes,
                paused_since=r.paused_since,
            )
            for r in ticket.steps
        ],
        "assignee": ticket.assignee,
        "assignee_name": ticket.assignee_name,
        "repair_assignee": ticket.repair_assignee,
        "repair_assignee_name": ticket.repair_assignee_name,
        "path": ticket.path,
        "diagnosis": ticket.diagnosis,
        "estimate_minutes": ticket.estimate_minutes,
        "resolution": ticket.resolution,
        "hold_reason": ticket.hold_reason,
        "held_from": ticket.held_from,
        "cancel_reason": ticket.cancel_reason,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "survey": None
        if survey is None
        else SurveyAttr(
            answers=dict(survey.answers),
            suggestion=survey.suggestion or None,
            submitted_at=survey.submitted_at,
        ),
        "survey_reminded_at": ticket.survey_reminded_at,
        "due_pk": "TICKET" if next_check else None,
        "due_sk": f"{utc_key(next_check)}#{ticket.number}" if next_check else None,
        "list_pk": "OPEN" if ticket.status in OPEN_STATUSES else None,
        "list_sk": key_tail if ticket.status in OPEN_STATUSES else None,
        "assignee_pk": f"A#{holder}" if holder else None,
        "assignee_sk": key_tail if holder else None,
    }


def _ticket_from(item) -> Ticket:
    r = item.requester
    survey = item.survey
    return Ticket(
        number=item.number,
        status=item.status,
        version=int(item.version),
        created_at=item.created_at,
        requester=Requester(
            name=r.name, email=r.email, unit=r.unit, location=r.location, nip=r.nip, phone=r.phone
        ),
        category=item.category,
        subject=item.subject,
        description=item.description,
        asset_tag=item.asset_tag,
        track_token=item.track_token,
        steps=tuple(
            StepRecord(
                step=s.step,
                started_at=s.started_at,
                due_at=s.due_at,
                standard_minutes=float(s.standard_minutes),
                done_at=s.done_at,
                paused_minutes=float(s.paused_minutes or 0),
                paused_since=s.paused_since,
            )
            for s in item.steps or ()
        ),
        assignee=item.assignee,
        assignee_name=item.assignee_name,
        repair_assignee=item.repair_assignee,
        repair_assignee_name=item.repair_assignee_name,
        path=item.path,
        diagnosis=item.diagnosis,
        estimate_minutes=None if item.estimate_minutes is None else int(item.estimate_minutes),
        resolution=item.resolution,
        hold_reason=item.hold_reason,
        held_from=item.held_from,
        cancel_reason=item.cancel_reason,
        resolved_at=item.resolved_at,
        closed_at=item.closed_at,
        survey=None
        if survey is None
        else Survey(
            answers={k: int(v) for k, v in survey.answers.as_dict().items()},
            suggestion=survey.suggestion or "",
            submitted_at=survey.submitted_at,
        ),
        notified_at=item.notified_at,
        breaches=frozenset(item.breaches or ()),
        survey_reminded_at=item.survey_reminded_at,
    )


def _history_from(item) -> HistoryEntry:
    return HistoryEntry(
        at=item.at,
        action=item.action,
        from_status=item.from_status,
        to_status=item.to_status,
        actor=Actor(email=item.actor_email, name=item.actor_name, role=item.actor_role),
        note=item.note or "",
        version=int(item.version),
    )


def _mail_from(item) -> MailRecord:
    return MailRecord(
        mail=OutgoingMail(
            id=item.id,
            ticket=item.ticket,
            kind=item.kind,
            to=item.to,
            to_name=item.to_name,
            subject=item.subject,
            text=item.text,
            html=item.html,
            created_at=item.created_at,
        ),
        status=item.status,
        attempts=int(item.attempts or 0),
        next_attempt_at=item.next_attempt_at,
        last_error=item.last_error,
        sent_at=item.sent_at,
    )
