"""Every storage port in memory, with the DynamoDB stores' semantics (conditional writes,
all-or-nothing changes, once-only records, leases): fast service tests without moto. The
contract tests in ``tests/integration/test_store_contract.py`` hold both to the same rules."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from tiket.adapters.memory_privacy import MemoryPrivacy, PersonalEntries
from tiket.adapters.memory_reports import MemoryExportJobs, MemoryFigures
from tiket.domain.aggregates import Key
from tiket.domain.errors import WriteConflict
from tiket.domain.model import HistoryEntry, Message, Once, Staff, Ticket
from tiket.domain.vocabulary import OPEN_STATUSES, Role, Status
from tiket.services.ports import (
    IdempotencyRecord,
    MailRecord,
    OutgoingMail,
    TicketWrite,
)

if TYPE_CHECKING:
    from tiket.adapters.memory_assets import MemoryAssets


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class MemoryTickets:
    def __init__(self, zone: tzinfo):
        self.zone = zone
        self.lock = threading.Lock()
        self.tickets: dict[str, Ticket] = {}
        self.next_checks: dict[str, datetime | None] = {}
        self.histories: dict[str, list[HistoryEntry]] = {}
        self.threads: dict[str, dict[str, Message]] = {}  # by number, then by sort key
        self.once: dict[tuple[str, str, str], datetime | None] = {}
        self.track: dict[str, str] = {}
        self.idempotency: dict[str, tuple[IdempotencyRecord, datetime]] = {}
        self.counters: dict[int, int] = {}
        self.uploads: dict[str, str] = {}  # upload id -> the ticket it was attached to
        self.figures: dict[str, Counter[Key]] = {}  # report counters by month
        self.outbox: MemoryOutbox | None = None  # where a change's emails go
        self.personal = PersonalEntries()  # requester look-up and retention entries

    def get(self, number: str) -> Ticket | None:
        return self.tickets.get(number)

    def by_track_token(self, token: str) -> Ticket | None:
        number = self.track.get(_digest(token))
        return None if number is None else self.tickets.get(number)

    def history(self, number: str) -> list[HistoryEntry]:
        return sorted(self.histories.get(number, []), key=lambda e: (e.at, e.revision))

    def messages(self, number: str) -> list[Message]:
        thread = self.threads.get(number, {})
        return [thread[key] for key in sorted(thread)]

    def has_once(self, number: str, once: Once) -> bool:
        return (number, once.kind, once.key) in self.once

    def upload_claimed(self, upload_id: str) -> str | None:
        return self.uploads.get(upload_id)

    def open_tickets(self) -> list[Ticket]:
        return sorted(
            (t for t in self.tickets.values() if t.status in OPEN_STATUSES),
            key=lambda t: (t.created_at, t.number),
        )

    def held_by(self, holder_key: str) -> list[Ticket]:
        pools = {"POOL#tik": Status.NEW, "POOL#rt": Status.REFERRED}
        if holder_key in pools:
            return [t for t in self.open_tickets() if t.status == pools[holder_key]]
        return [t for t in self.open_tickets() if t.holder() == holder_key]

    def of_month(self, year: int, month: int) -> Iterator[Ticket]:
        for ticket in sorted(self.tickets.values(), key=lambda t: (t.created_at, t.number)):
            local = ticket.created_at.astimezone(self.zone)
            if (local.year, local.month) == (year, month):
                yield ticket

    def due(self, now: datetime, limit: int = 200) -> list[str]:
        due = sorted((at, n) for n, at in self.next_checks.items() if at is not None and at <= now)
        return [number for _, number in due[:limit]]

    def next_number(self, year: int) -> int:
        with self.lock:
            self.counters[year] = self.counters.get(year, 0) + 1
            return self.counters[year]

    def write(self, write: TicketWrite) -> None:
        ticket = write.ticket
        with self.lock:
            current = self.tickets.get(ticket.number)
            if write.expected_revision is None:
                taken = current is not None or (
                    ticket.track_token is not None and _digest(ticket.track_token) in self.track
                )
                claim = write.idempotency
                if taken or (claim is not None and _digest(claim.key) in self.idempotency):
                    raise WriteConflict(["ConditionalCheckFailed"])
            elif current is None or current.revision != write.expected_revision:
                raise WriteConflict(["ConditionalCheckFailed"])
            keys = [(ticket.number, once.kind, once.key) for once in write.once]
            if any(key in self.once for key in keys) or len(set(keys)) < len(keys):
                raise WriteConflict(["ConditionalCheckFailed"])
            thread = self.threads.get(ticket.number, {})
            sorts = [_message_key(m, write.history.revision) for m in write.messages]
            if any(key in thread for key in sorts) or len(set(sorts)) < len(sorts):
                raise WriteConflict(["ConditionalCheckFailed"])
            uploads = write.uploads
            if any(u in self.uploads for u in uploads) or len(set(uploads)) < len(uploads):
                raise WriteConflict(["ConditionalCheckFailed"])
            if write.personal is not None:
                self.personal.check(self, ticket.number, write.personal)
            # Every condition holds: write all of it.
            self.tickets[ticket.number] = ticket
            self.next_checks[ticket.number] = write.next_check
            self.histories.setdefault(ticket.number, []).append(write.history)
            for once in write.once:
                self.once[(ticket.number, once.kind, once.key)] = once.expires_at
            for key, message in zip(sorts, write.messages, strict=True):
                self.threads.setdefault(ticket.number, {})[key] = message
            for upload in uploads:
                self.uploads[upload] = ticket.number
            if write.expected_revision is None:
                if ticket.track_token:
                    self.track[_digest(ticket.track_token)] = ticket.number
                if write.idempotency is not None:
                    claim = write.idempotency
                    self.idempotency[_digest(claim.key)] = (claim.record, claim.expires_at)
            if self.outbox is not None:
                first = write.mail_first_attempt or write.history.at
                for mail in write.mails:
                    self.outbox.add(mail, first)
            if write.aggregates is not None:
                month = self.figures.setdefault(write.aggregates.month, Counter())
                month.update(write.aggregates.counts)
            if write.personal is not None:
                self.personal.apply(self, ticket.number, write.personal)

    def write_many(self, writes: Iterable[TicketWrite]) -> int:
        count = 0
        for write in writes:
            self.write(replace(write, mails=()))
            count += 1
        return count


def _message_key(message: Message, revision: int) -> str:
    """The DynamoDB sort key's order: UTC time, the ticket's revision, the id."""
    return f"{message.at.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}#{revision:06d}#{message.id}"


class MemoryIdempotency:
    def __init__(self, tickets: MemoryTickets):
        self.tickets = tickets

    def get(self, key: str, now: datetime) -> IdempotencyRecord | None:
        found = self.tickets.idempotency.get(_digest(key))
        if found is None or found[1] < now:
            return None
        return found[0]


class MemoryStaff:
    def __init__(self) -> None:
        self.members: dict[str, Staff] = {}
        self.signin_log: dict[str, list[datetime]] = {}

    def get(self, email: str) -> Staff | None:
        return self.members.get(email.lower())

    def with_role(self, role: Role) -> list[Staff]:
        return sorted(
            (s for s in self.members.values() if s.role == role and s.active),
            key=lambda s: s.email,
        )

    def put(self, staff: Staff) -> None:
        self.members[staff.email] = staff

    def record_signin(self, email: str, at: datetime, ip: str | None) -> None:
        self.signin_log.setdefault(email, []).append(at)

    def signins(self, email: str) -> list[datetime]:
        return sorted(self.signin_log.get(email, []))


@dataclass
class _Login:
    email: str
    expires: datetime
    used: bool = False


class MemoryLoginLinks:
    def __init__(self) -> None:
        self.links: dict[str, _Login] = {}
        self.lock = threading.Lock()

    def create(self, nonce: str, email: str, expires: datetime) -> None:
        self.links[nonce] = _Login(email, expires)

    def consume(self, nonce: str, now: datetime) -> str | None:
        with self.lock:
            link = self.links.get(nonce)
            if link is None or link.used or link.expires < now:
                return None
            link.used = True
            return link.email


class MemoryRateCounter:
    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, int], int] = {}
        self.lock = threading.Lock()

    def hit(self, scope: str, key: str, window_start: int, window_seconds: int) -> int:
        with self.lock:
            slot = (scope, key, window_start)
            self.counts[slot] = self.counts.get(slot, 0) + 1
            return self.counts[slot]


@dataclass
class MemoryOutbox:
    records: dict[str, MailRecord] = field(default_factory=dict)
    failed_at: dict[str, datetime] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, mail: OutgoingMail, first_attempt: datetime | None) -> None:
        if first_attempt is None:
            decoy = replace(mail, to="", to_name="", text="", html="")
            self.records[mail.id] = MailRecord(decoy, "decoy", 0, None, None, None)
            return
        self.records[mail.id] = MailRecord(mail, "pending", 0, first_attempt, None, None)

    def due(self, now: datetime, limit: int = 100) -> list[str]:
        due = sorted(
            (r.next_attempt_at, r.mail.id)
            for r in self.records.values()
            if r.status in ("pending", "sending")
            and r.next_attempt_at is not None
            and r.next_attempt_at <= now
        )
        return [mail_id for _, mail_id in due[:limit]]

    def get(self, mail_id: str) -> MailRecord | None:
        return self.records.get(mail_id)

    def claim(self, mail_id: str, now: datetime, lease: timedelta) -> MailRecord | None:
        with self.lock:
            record = self.records.get(mail_id)
            if (
                record is None
                or record.status not in ("pending", "sending")
                or record.next_attempt_at is None
                or record.next_attempt_at > now
            ):
                return None
            claimed = replace(record, status="sending", next_attempt_at=now + lease)
            self.records[mail_id] = claimed
            return claimed

    def _update(self, mail_id: str, holder: str, **changes: object) -> None:
        with self.lock:
            record = self.records.get(mail_id)
            if record is None or record.status != holder:
                return  # lease lost: the other sender owns it
            self.records[mail_id] = replace(record, attempts=record.attempts + 1, **changes)  # type: ignore[arg-type]

    def sent(self, mail_id: str, now: datetime, holder: str) -> None:
        record = self.records.get(mail_id)
        if record is None or record.status != holder:
            return
        bodiless = replace(record.mail, text="", html="")  # the links in them stay unusable
        self._update(
            mail_id,
            holder,
            mail=bodiless,
            status="sent",
            sent_at=now,
            last_error=None,
            next_attempt_at=None,
        )

    def retry(self, mail_id: str, at: datetime, error: str, holder: str) -> None:
        self._update(mail_id, holder, status="pending", last_error=error[:500], next_attempt_at=at)

    def failed(self, mail_id: str, now: datetime, error: str, holder: str) -> None:
        self._update(mail_id, holder, status="failed", last_error=error[:500], next_attempt_at=None)
        self.failed_at[mail_id] = now

    def failed_ids(self, limit: int = 100) -> list[str]:
        failed = sorted(
            (self.failed_at[i], i) for i, r in self.records.items() if r.status == "failed"
        )
        return [mail_id for _, mail_id in failed[:limit]]

    def redrive(self, mail_id: str, now: datetime) -> None:
        with self.lock:
            record = self.records.get(mail_id)
            if record is not None and record.status == "failed":
                self.records[mail_id] = replace(record, status="pending", next_attempt_at=now)


@dataclass
class MemoryStores:
    """The same set as ``adapters.dynamodb.connect`` returns."""

    tickets: MemoryTickets
    staff: MemoryStaff
    logins: MemoryLoginLinks
    outbox: MemoryOutbox
    idempotency: MemoryIdempotency
    rates: MemoryRateCounter
    figures: MemoryFigures
    exports: MemoryExportJobs
    assets: MemoryAssets
    privacy: MemoryPrivacy

    def create_table(self) -> None:
        """Nothing to create in memory."""


def memory_stores(zone: tzinfo) -> MemoryStores:
    from tiket.adapters.memory_assets import MemoryAssets  # it reads the tickets kept here

    tickets = MemoryTickets(zone)
    outbox = MemoryOutbox()
    tickets.outbox = outbox
    return MemoryStores(
        tickets=tickets,
        staff=MemoryStaff(),
        logins=MemoryLoginLinks(),
        outbox=outbox,
        idempotency=MemoryIdempotency(tickets),
        rates=MemoryRateCounter(),
        figures=MemoryFigures(tickets),
        exports=MemoryExportJobs(),
        assets=MemoryAssets(tickets),
        privacy=MemoryPrivacy(tickets),
    )
