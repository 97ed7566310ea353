"""Personal data in memory, with the DynamoDB store's semantics (``dynamodb/privacy.py``):
the entries a ticket change writes (checked and applied inside ``MemoryTickets.write``),
erasure requests and the access log."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tiket.domain.errors import WriteConflict
from tiket.domain.privacy import ErasureStatus
from tiket.services.privacy_ports import MAX_LOG_DAYS, AccessEntry, ErasureRequest, PersonalWrite

if TYPE_CHECKING:
    from tiket.adapters.memory import MemoryTickets


@dataclass
class PersonalEntries:
    """What ``MemoryTickets`` keeps of ``TicketWrite.personal``."""

    requesters: dict[str, set[str]] = field(default_factory=dict)  # key -> numbers
    retain: dict[str, datetime] = field(default_factory=dict)  # number -> due

    def check(self, tickets: MemoryTickets, number: str, write: PersonalWrite) -> None:
        """The rewrite's conditions: every rewritten history entry and message exists."""
        stored = {(e.at, e.revision) for e in tickets.histories.get(number, [])}
        if any((e.at, e.revision) not in stored for e in write.history):
            raise WriteConflict(["ConditionalCheckFailed"])
        ids = {m.id for m in tickets.threads.get(number, {}).values()}
        if any(m.id not in ids for m in write.messages):
            raise WriteConflict(["MessageMissing"])

    def apply(self, tickets: MemoryTickets, number: str, write: PersonalWrite) -> None:
        if write.unlisted_from:
            self.requesters.get(write.unlisted_from, set()).discard(number)
        if write.listed_under:
            self.requesters.setdefault(write.listed_under, set()).add(number)
        if write.retain_changed:
            if write.retain_at is None:
                self.retain.pop(number, None)
            else:
                self.retain[number] = write.retain_at
        rewritten = {(e.at, e.revision): e for e in write.history}
        tickets.histories[number] = [
            rewritten.get((e.at, e.revision), e) for e in tickets.histories.get(number, [])
        ]
        by_id = {m.id: m for m in write.messages}
        thread = tickets.threads.get(number, {})
        for key, message in thread.items():
            thread[key] = by_id.get(message.id, message)


class MemoryPrivacy:
    def __init__(self, tickets: MemoryTickets):
        self.tickets = tickets
        self.lock = threading.Lock()
        self.requests: dict[str, ErasureRequest] = {}
        self.pending: dict[str, str] = {}  # key -> pending request id
        self.unfinished: dict[str, ErasureRequest] = {}  # approved, not carried out yet
        self.log: list[AccessEntry] = []

    @property
    def entries(self) -> PersonalEntries:
        return self.tickets.personal

    def requester_tickets(self, key: str) -> list[str]:
        with self.tickets.lock:
            return sorted(self.entries.requesters.get(key, set()))

    def retention_due(self, now: datetime, limit: int) -> list[str]:
        with self.tickets.lock:
            due = sorted((at, n) for n, at in self.entries.retain.items() if at <= now)
        return [number for _, number in due[:limit]]

    def add_erasure(self, request: ErasureRequest) -> ErasureRequest:
        with self.lock:
            existing = self.pending.get(request.key)
            if existing is not None:
                return self.requests[existing]
            if request.id in self.requests:
                raise WriteConflict(["ConditionalCheckFailed"])
            self.requests[request.id] = request
            self.pending[request.key] = request.id
            return request

    def erasure(self, request_id: str) -> ErasureRequest | None:
        return self.requests.get(request_id)

    def pending_erasures(self) -> list[ErasureRequest]:
        with self.lock:
            found = [self.requests[i] for i in self.pending.values()]
            found += list(self.unfinished.values())
        return sorted(found, key=lambda r: (r.requested_at, r.id))

    def decide_erasure(self, decided: ErasureRequest) -> None:
        with self.lock:
            current = self.requests.get(decided.id)
            if current is None or current.status != ErasureStatus.PENDING:
                raise WriteConflict(["ConditionalCheckFailed"])
            self.requests[decided.id] = decided
            self.pending.pop(decided.key, None)
            if decided.status == ErasureStatus.APPROVED and decided.email is not None:
                self.unfinished[decided.id] = decided

    def finish_erasure(self, done: ErasureRequest) -> None:
        with self.lock:
            self.requests[done.id] = done
            self.unfinished.pop(done.id, None)

    def mark_escalated(self, request_id: str, at: datetime) -> bool:
        with self.lock:
            current = self.requests.get(request_id)
            if current is None or current.escalated_at is not None:
                return False
            if current.status != ErasureStatus.PENDING:
                return False
            self.requests[request_id] = replace(current, escalated_at=at)
            return True

    def backfill(self, number: str, key: str | None, retain_at: datetime | None) -> None:
        with self.tickets.lock:
            if key is not None:
                self.entries.requesters.setdefault(key, set()).add(number)
            if retain_at is not None:
                self.entries.retain[number] = retain_at

    def log_access(self, entry: AccessEntry) -> None:
        with self.lock:
            self.log.append(entry)

    def access_log(
        self,
        start: datetime,
        end: datetime,
        *,
        ticket: str | None = None,
        staff: str | None = None,
        limit: int = 1000,
    ) -> list[AccessEntry]:
        if ticket is None and staff is None:
            last_day = datetime.combine(
                start.astimezone(UTC).date() + timedelta(days=MAX_LOG_DAYS + 1),
                datetime.min.time(),
                UTC,
            )
            end = min(end, last_day)
        with self.lock:
            found = [
                e
                for e in self.log
                if start <= e.at <= end
                and (ticket is None or e.number == ticket)
                and (staff is None or e.staff == staff)
            ]
        found.sort(key=lambda e: (e.at, e.id), reverse=True)
        return found[:limit]
