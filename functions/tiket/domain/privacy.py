"""Personal data under UU 27/2022 (PDP), as plain rules: what erasing a requester's data
does to a ticket, when retention looks at a ticket, and how a requester's tickets are keyed.

Erasure replaces who the requester is (name, email, NIP, phone) with ``ERASED`` and removes
the ticket's files; it keeps what the unit's figures are made of (category, unit, steps,
times, survey answers) so reports and SKM stay as they were (``figures_kept``). The text of
the problem (subject, description, messages) is kept: it is the record of the work; who
wrote a requester message is erased with the rest.
"""

from __future__ import annotations

import calendar as months
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from tiket.domain.aggregates import MonthDelta
from tiket.domain.model import Actor, HistoryEntry, Message, Outcome, Ticket
from tiket.domain.vocabulary import FINAL_STATUSES, Action, Path, Role

# What is stored in place of erased personal data (shown as it is, in every language).
ERASED = "[dihapus]"


class ErasureReason(StrEnum):
    REQUEST = "request"  # the requester asked and an admin approved
    RETENTION = "retention"  # kept as long as allowed (TIKET_RETENTION_MONTHS)
    FILES = "files"  # files kept as long as allowed (TIKET_FILE_RETENTION_MONTHS)


class ErasureStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


def normalised(email: str) -> str:
    return email.strip().lower()


def email_key(email: str) -> str:
    """The key a requester's tickets are listed under: a digest, never the address."""
    return hashlib.sha256(normalised(email).encode()).hexdigest()


def erased(ticket: Ticket) -> bool:
    return ticket.requester.email == ERASED


def requester_key(ticket: Ticket) -> str | None:
    """The key ``ticket`` is listed under; None once its requester is erased."""
    return None if erased(ticket) else email_key(ticket.requester.email)


def visible_to(role: Role, ticket: Ticket) -> bool:
    """Minimisation: facilities staff (``rt``) see only the tickets referred to them."""
    return role != Role.RT or ticket.path == Path.RT


@dataclass(frozen=True)
class RetentionPolicy:
    months: int = 24  # personal data of closed/cancelled tickets
    file_months: int = 12  # their files


def add_months(instant: datetime, count: int) -> datetime:
    """The same day ``count`` months later (the month's last day when it has fewer)."""
    index = instant.month - 1 + count
    year, month = instant.year + index // 12, index % 12 + 1
    day = min(instant.day, months.monthrange(year, month)[1])
    return instant.replace(year=year, month=month, day=day)


def retention_due(ticket: Ticket, policy: RetentionPolicy) -> datetime | None:
    """When retention must next look at ``ticket``: never while open; its files first, then
    its personal data; never again once nothing personal is left."""
    if ticket.status not in FINAL_STATUSES or ticket.closed_at is None:
        return None
    if ticket.attachments:
        return add_months(ticket.closed_at, policy.file_months)
    if erased(ticket):
        return None
    return add_months(ticket.closed_at, policy.months)


def retention_reason(
    ticket: Ticket, policy: RetentionPolicy, now: datetime
) -> ErasureReason | None:
    """What retention erases of ``ticket`` at ``now``, if anything."""
    if ticket.status not in FINAL_STATUSES or ticket.closed_at is None:
        return None
    if not erased(ticket) and add_months(ticket.closed_at, policy.months) <= now:
        return ErasureReason.RETENTION
    if ticket.attachments and add_months(ticket.closed_at, policy.file_months) <= now:
        return ErasureReason.FILES
    return None


@dataclass(frozen=True)
class Erasure:
    """One ticket's erasure: the change to commit, the stored messages and history entries
    rewritten without the requester's identity, and the files to delete once committed."""

    outcome: Outcome
    messages: tuple[Message, ...]
    history: tuple[HistoryEntry, ...]
    files: tuple[str, ...]


def _anonymous(actor: Actor) -> Actor:
    return Actor(email=None, name=ERASED, role=Role.REQUESTER)


def erase(
    ticket: Ticket,
    messages: Sequence[Message],
    history: Sequence[HistoryEntry],
    reason: ErasureReason,
    actor: Actor,
    now: datetime,
) -> Erasure | None:
    """Erase what ``reason`` covers; None when there is nothing left to erase."""
    files = tuple(
        key for a in ticket.attachments for key in (a.key, a.thumbnail_key) if key is not None
    )
    personal = reason != ErasureReason.FILES and not erased(ticket)
    if not personal and not ticket.attachments:
        return None
    after = replace(ticket, attachments=())
    rewritten: list[Message] = []
    entries: list[HistoryEntry] = []
    fields = 0
    if personal:
        r = ticket.requester
        fields = 2 + (r.nip is not None) + (r.phone is not None)
        after = replace(
            after,
            requester=replace(
                r,
                name=ERASED,
                email=ERASED,
                nip=None if r.nip is None else ERASED,
                phone=None if r.phone is None else ERASED,
            ),
        )
        entries = [
            replace(e, actor=_anonymous(e.actor))
            for e in history
            if e.actor.role == Role.REQUESTER and e.actor.name != ERASED
        ]
    for message in messages:
        mine = message.author.role == Role.REQUESTER and personal
        if mine or (message.attachments and ticket.attachments):
            author = _anonymous(message.author) if mine else message.author
            rewritten.append(replace(message, author=author, attachments=()))
    entry = HistoryEntry(
        at=now,
        action=Action.ERASE,
        from_status=ticket.status,
        to_status=ticket.status,
        actor=actor,
        params={"fields": fields, "files": len(ticket.attachments), "entries": len(entries)},
    )
    return Erasure(Outcome(after, entry), tuple(rewritten), tuple(entries), files)


Counting = Callable[[Ticket | None, Ticket, HistoryEntry], MonthDelta]


def figures_kept(count: Counting) -> Counting:
    """The report counting of the unit of work, with erasures counting for nothing: an
    erasure changes no figure (checked: it must not change what the ticket contributes)."""

    def counting(before: Ticket | None, after: Ticket, entry: HistoryEntry) -> MonthDelta:
        counted = count(before, after, entry)
        if entry.action != Action.ERASE:
            return counted
        kept = {key: n for key, n in counted.counts.items() if key[0] != "event"}
        if kept:
            raise ValueError(f"Erasing {after.number} would change its figures: {kept}")
        return MonthDelta(counted.month, {})

    return counting
