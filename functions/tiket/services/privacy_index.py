"""The personal-data entries each ticket change keeps up to date (``TicketWrite.personal``):
the requester look-up (by a digest of the email, so a requester's tickets are one Query) and
the retention entry (when the sweep must next erase something of a closed ticket)."""

from __future__ import annotations

from tiket.domain.model import Ticket
from tiket.domain.privacy import RetentionPolicy, requester_key, retention_due
from tiket.services.privacy_ports import PersonalWrite


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
