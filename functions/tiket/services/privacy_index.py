"""The personal-data entries each ticket change keeps up to date (``TicketWrite.personal``):
the requester look-up (by a digest of the email, so a requester's tickets are one Query) and
the retention entry (when the sweep must next erase something of a closed ticket)."""

from __future__ import annotations

from collections.abc import Iterable

from tiket.domain.model import Ticket
from tiket.domain.privacy import RetentionPolicy, requester_key, retention_due
from tiket.services.ports import TicketQueries
from tiket.services.privacy_ports import PersonalWrite, PrivacyStore


def bookkeeping(
    before: Ticket | None, after: Ticket, policy: RetentionPolicy
) -> PersonalWrite | None:
    """What changes between ``before`` (None: a new ticket) and ``after``; None: nothing."""
    old_key = None if before is None else requester_key(before)
    new_key = requester_key(after)
    old_due = None if before is None else retention_due(before, policy)
    new_due = retention_due(after, policy)
    write = PersonalWrite(
        listed_under=new_key if new_key != old_key else None,
        unlisted_from=old_key if old_key != new_key else None,
        retain_changed=old_due != new_due,
        retain_at=new_due,
    )
    return None if write.empty else write


def backfill(
    queries: TicketQueries,
    privacy: PrivacyStore,
    policy: RetentionPolicy,
    months: Iterable[tuple[int, int]],
) -> int:
    """The entries of every ticket filed in ``months`` (read through the month index, never
    a Scan), put as a change would have written them; running it again changes nothing."""
    count = 0
    for year, month in months:
        for ticket in queries.of_month(year, month):
            privacy.backfill(ticket.number, requester_key(ticket), retention_due(ticket, policy))
            count += 1
    return count
