"""The conversation on a ticket (PRODUCT.md §10): messages between the requester and staff.

A message changes no status and moves no workflow version, so the action links already sent
stay good. Like every change it is one history entry, committed with the message itself and
its emails in the ticket's one transaction. The ticket counts the messages of each side, for
the reports. Who may write is checked by the services (a tracking token, a signed reply link,
a session, a signed reply address); here: on which tickets, and who hears of it.
"""

from __future__ import annotations

from dataclasses import replace

from tiket.domain.attachments import StoredAttachment
from tiket.domain.errors import Conflict, ValidationFailed
from tiket.domain.lifecycle import STAFF_ACTIONS
from tiket.domain.model import HistoryEntry, Message, Notice, Once, Outcome, Ticket
from tiket.domain.text import Msg
from tiket.domain.vocabulary import FINAL_STATUSES, STAFF_ROLES, Action, Role

MAX_TEXT = 2000
# The files of a ticket's messages live in its one item (DynamoDB: 400 KB at most); 50 files
# (a few hundred bytes each) keep it far from that, and no real case needs more.
MAX_FILES_PER_TICKET = 50


def ensure_open(ticket: Ticket) -> None:
    """A closed or cancelled ticket's conversation is over."""
    if ticket.status in FINAL_STATUSES:
        raise Conflict(
            Msg("conversation.closed", {"status": ticket.status}), current_status=ticket.status
        )


def ensure_room(ticket: Ticket, count: int) -> None:
    """``count`` more files fit on ``ticket``."""
    if count and len(ticket.attachments) + count > MAX_FILES_PER_TICKET:
        left = max(0, MAX_FILES_PER_TICKET - len(ticket.attachments))
        params = {"max": MAX_FILES_PER_TICKET, "left": left}
        raise ValidationFailed({"attachments": Msg("attachment.ticket_full", params)})


def staff_contact(ticket: Ticket) -> str:
    """Who hears of the requester's message: the staff member holding the ticket, else the
    last one who held it (a referral not yet accepted, a resolved ticket), else the ICT pool
    (nobody has taken the request yet)."""
    email = ticket.holder() or ticket.repair_assignee or ticket.assignee
    return f"staff:{email}" if email else "pool:tik"


def post_message(
    ticket: Ticket,
    message: Message,
    once: tuple[Once, ...] = (),
    files: tuple[StoredAttachment, ...] = (),
) -> Outcome:
    """``message`` added to ``ticket``'s conversation, with the ``files`` it carries (kept
    on the ticket beside the filing's, marked with the message's id); raises ``Conflict``
    once the conversation is over."""
    ensure_open(ticket)
    ensure_room(ticket, len(files))
    if tuple(f.id for f in files) != message.attachments or any(
        f.message_id != message.id for f in files
    ):
        raise ValueError(f"The files of message {message.id} are not its attachments")
    author = message.author
    # Emails say how many files came and link to the ticket; they never carry them.
    extra = {"author": author.name, "role": author.role, "text": message.text, "files": len(files)}
    ticket = replace(ticket, attachments=ticket.attachments + files) if files else ticket
    if author.role == Role.REQUESTER:
        after = replace(ticket, requester_messages=ticket.requester_messages + 1)
        # The staff member is given the links they may use now (a reply link is added to
        # every staff email): often the answer is what they waited for to resolve.
        notice = Notice("requester_message", staff_contact(ticket), STAFF_ACTIONS, extra)
    elif author.role in STAFF_ROLES:
        after = replace(ticket, staff_messages=ticket.staff_messages + 1)
        notice = Notice("staff_message", "requester", extra=extra)
    else:
        raise ValueError(f"{author.role} does not write messages")
    history = HistoryEntry(
        at=message.at,
        action=Action.MESSAGE,
        from_status=ticket.status,
        to_status=ticket.status,
        actor=author,
        params={"message": message.id, **({"files": len(files)} if files else {})},
    )
    return Outcome(after, history, (notice,), once, messages=(message,))
