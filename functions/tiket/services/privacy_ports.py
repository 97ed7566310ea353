"""Ports and values of personal-data handling (PRODUCT.md §14): the requester look-up and
retention bookkeeping a ticket change writes with it, erasure requests, and the access log.
Implemented by ``adapters/dynamodb/privacy.py`` and ``adapters/memory_privacy.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tiket.domain.model import HistoryEntry, Message
from tiket.domain.privacy import ErasureStatus


@dataclass(frozen=True)
class PersonalWrite:
    """What one ticket change writes about personal data, in its own transaction: the
    requester look-up entry (added under the new key, removed from the old), the retention
    entry (``retain_at``; None removes it), and, for an erasure, the stored messages and
    history entries rewritten without the requester's identity (each must exist)."""

    listed_under: str | None = None
    unlisted_from: str | None = None
    retain_changed: bool = False
    retain_at: datetime | None = None
    messages: tuple[Message, ...] = ()
    history: tuple[HistoryEntry, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.listed_under
            or self.unlisted_from
            or self.retain_changed
            or self.messages
            or self.history
        )


@dataclass(frozen=True)
class ErasureRequest:
    id: str
    key: str  # ``domain.privacy.email_key`` of the requester
    email: str | None  # kept only while it is needed (pending, to tell them the answer)
    reason: str
    status: ErasureStatus
    requested_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    refusal: str | None = None
    escalated_at: datetime | None = None
    tickets: int = 0  # how many tickets the approval erased


@dataclass(frozen=True)
class AccessEntry:
    """One staff read of a ticket's personal data."""

    id: str
    at: datetime
    staff: str  # the staff member's email
    role: str
    number: str
    view: str  # staff_ticket | action_page | device_history | export
    expires_at: datetime


class PrivacyStore(Protocol):
    def requester_tickets(self, key: str) -> list[str]:
        """Numbers of the tickets listed under a requester key (one Query)."""
        ...

    def retention_due(self, now: datetime, limit: int) -> list[str]:
        """Numbers of tickets whose retention entry is due by ``now``, oldest first."""
        ...

    def add_erasure(self, request: ErasureRequest) -> ErasureRequest:
        """Store a pending request, or answer the one already pending for its key."""
        ...

    def erasure(self, request_id: str) -> ErasureRequest | None: ...

    def pending_erasures(self) -> list[ErasureRequest]:
        """Requests still needing work: pending, or approved and not yet carried out."""
        ...

    def decide_erasure(self, decided: ErasureRequest) -> None:
        """Store the decision, only while the request is pending (else ``WriteConflict``);
        the requester's key is free for a new request afterwards."""
        ...

    def finish_erasure(self, done: ErasureRequest) -> None:
        """Keep an approved request once carried out: without the address, off the list."""
        ...

    def mark_escalated(self, request_id: str, at: datetime) -> bool:
        """Record the escalation once; False when it was recorded already."""
        ...

    def backfill(self, number: str, key: str | None, retain_at: datetime | None) -> None:
        """Put a ticket's look-up and retention entries as they should be (idempotent): for
        tickets stored before these entries existed (``tiket privacy backfill``)."""
        ...

    def log_access(self, entry: AccessEntry) -> None: ...

    def access_log(
        self,
        start: datetime,
        end: datetime,
        *,
        ticket: str | None = None,
        staff: str | None = None,
        limit: int = 1000,
    ) -> list[AccessEntry]:
        """Reads between ``start`` and ``end``, newest first, by ticket, by staff member or
        by day (at most ``MAX_LOG_DAYS`` days when neither is given)."""
        ...


MAX_LOG_DAYS = 92
