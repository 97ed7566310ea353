"""The conversation (PRODUCT.md §10): messages from the requester's tracking page, from a
staff member's reply link or ticket page, and from replies by email (``services.inbound``).

Every message is a change of its ticket through the unit of work: the message item, its
history entry, the ticket's message count, the email to the other side and, with an
``Idempotency-Key``, a once-only record of that key, all in one transaction. A repeat with the
same key finds that record and answers the message written the first time.

Files sent with a message (PRODUCT.md §11) are checked exactly as at filing
(``AttachmentService``), kept on the ticket marked with the message's id, and their upload
ids claimed in that same transaction (``TicketWrite.uploads``): an upload goes to one
message or ticket only, and a repeat with the same key claims nothing again.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tiket.domain.conversation import ensure_open, ensure_room, post_message
from tiket.domain.errors import (
    Conflict,
    Expired,
    Forbidden,
    IdempotencyMismatch,
    NotFound,
    ValidationFailed,
    WriteConflict,
)
from tiket.domain.model import Actor, Message, Once, Staff, Ticket
from tiket.domain.text import Msg
from tiket.domain.vocabulary import STAFF_ROLES, Action, Channel, Role
from tiket.log import log_event
from tiket.services.attachments import AttachmentService, Checked
from tiket.services.conversation_forms import MessageForm
from tiket.services.forms import parse
from tiket.services.idempotency_keys import checked_key
from tiket.services.links import ACTION_PURPOSE, ActionClaim
from tiket.services.ports import Clock, Metrics, Signer, StaffDirectory, TicketStore
from tiket.services.ratelimit import RateLimiter
from tiket.services.tracking import ticket_by_token
from tiket.services.unit_of_work import TicketUnitOfWork

KEY_KEEP = timedelta(hours=24)  # a repeat within a day is the same message
# A message depends on nothing but the ticket being open: when another change moved the
# ticket between read and write, it is simply written again on the fresh ticket.
ATTEMPTS = 3


@dataclass(frozen=True)
class Posted:
    created: bool  # False: the message written earlier with the same idempotency key
    message: Message
    ticket: Ticket


@dataclass(frozen=True)
class ReplyLink:
    """A verified reply link: the ticket and the staff member it was sent to."""

    claim: ActionClaim
    ticket: Ticket
    staff: Staff


class ConversationService:
    def __init__(
        self,
        uow: TicketUnitOfWork,
        tickets: TicketStore,
        staff: StaffDirectory,
        signer: Signer,
        rate_limiter: RateLimiter,
        clock: Clock,
        metrics: Metrics,
        files: AttachmentService,
    ):
        self.uow = uow
        self.tickets = tickets
        self.staff = staff
        self.signer = signer
        self.rate_limiter = rate_limiter
        self.clock = clock
        self.metrics = metrics
        self.files = files

    def thread(self, number: str) -> list[Message]:
        return self.tickets.messages(number)

    # --- the requester --------------------------------------------------------------------

    def from_requester(self, token: str, body: Any, key: object) -> Posted:
        """``POST /api/track/<token>/messages``."""
        ticket = ticket_by_token(self.tickets, token)
        form = parse(MessageForm, body)
        key = checked_key(key)
        ensure_open(ticket)
        self.rate_limiter.check("messages", ticket.number)
        r = ticket.requester
        author = Actor(email=r.email, name=r.name, role=Role.REQUESTER)
        return self.post(ticket, author, form.text, Channel.WEB, key, form.attachments)

    # --- staff: the reply link of their emails, and the staff ticket page -------------------

    def reply_link(self, token: str) -> ReplyLink | None:
        """The reply link behind ``token``, checked; None when the token is no reply link
        (the other links are ``ActionService``'s, which refuses forged ones). A reply link is
        bound to its ticket and recipient, expires like the others, is not used up, and does
        not depend on the ticket's version (a message changes no status)."""
        try:
            claim = ActionClaim.from_payload(self.signer.verify(ACTION_PURPOSE, token))
        except (KeyError, TypeError, ValueError):
            return None
        if claim.action != Action.REPLY:
            return None
        if self.clock.now() > claim.expires_at:
            raise Expired(Msg("action.expired"))
        ticket = self.tickets.get(claim.number)
        staff = self.staff.get(claim.recipient)
        if ticket is None or staff is None or not staff.active or staff.role not in STAFF_ROLES:
            raise Forbidden(Msg("action.wrong_recipient"))
        ensure_open(ticket)
        return ReplyLink(claim, ticket, staff)

    def from_reply_link(self, link: ReplyLink, body: Any, key: object) -> Posted:
        form = parse(MessageForm, body)
        key = checked_key(key)
        staff = link.staff.as_actor()
        return self.post(link.ticket, staff, form.text, Channel.LINK, key, form.attachments)

    def from_staff_page(self, number: str, staff: Staff, body: Any, key: object) -> Posted:
        """``POST /api/staff/tickets/<number>/messages`` by a signed-in staff member."""
        ticket = self.tickets.get(number) if len(number) <= 32 else None
        if ticket is None:
            raise NotFound(Msg("error.not_found"))
        form = parse(MessageForm, body)
        key = checked_key(key)
        return self.post(ticket, staff.as_actor(), form.text, Channel.WEB, key, form.attachments)

    # --- every message --------------------------------------------------------------------

    def post(
        self,
        ticket: Ticket,
        author: Actor,
        text: str,
        via: Channel,
        key: str | None,
        attachments: Sequence[object] | Checked = (),
    ) -> Posted:
        """``text`` by ``author`` on ``ticket`` with the uploads ``attachments`` (their ids,
        or the files of a reply email as ``services.mail_files`` judged them), once per
        ``key``. Raises ``ValidationFailed`` naming a bad file (nothing stored), ``Conflict``
        when the conversation is over, ``IdempotencyMismatch`` when ``key`` came with other
        text or files."""
        digest = _digest(ticket.number, key) if key else None
        message_id = digest[:24] if digest else secrets.token_hex(12)
        requested = (
            tuple(f.upload_id for f in attachments.files)
            if isinstance(attachments, Checked)
            else tuple(attachments)
        )
        if digest and self.tickets.has_once(ticket.number, Once("message", digest)):
            # A repeat: answered before its files are looked at, since the first post
            # claimed them and removed their uploads.
            return self._earlier(ticket, message_id, text, requested)
        ensure_room(ticket, len(requested))
        if isinstance(attachments, Checked):  # files of a reply email, judged already
            checked = attachments
        else:
            try:
                checked = self.files.check(attachments)  # reads only: a bad file stops it
            except ValidationFailed:
                # A twin request may have posted it meanwhile, taking the uploads with it.
                if digest and self.tickets.has_once(ticket.number, Once("message", digest)):
                    return self._earlier(ticket, message_id, text, requested)
                raise
        ids = tuple(f.upload_id for f in checked.files)
        try:
            with self.files.attaching(ticket.number, checked, message_id=message_id) as batch:
                for _ in range(ATTEMPTS):
                    now = self.clock.now()
                    message = Message(message_id, now, author, text, via, ids)
                    once = (Once("message", digest, now + KEY_KEEP),) if digest else ()
                    outcome = post_message(ticket, message, once, batch.attachments)
                    try:
                        committed = self.uow.commit(ticket, outcome, actor=author)
                    except WriteConflict:
                        if digest and self.tickets.has_once(ticket.number, Once("message", digest)):
                            batch.abandon()  # the twin request's message and files answer
                            return self._earlier(ticket, message_id, text, requested)
                        ticket = self.uow.load(ticket.number)  # moved on: again, if open
                        continue
                    self.metrics.count("Messages", side=_side(author), via=via)
                    log_event(
                        "message posted",
                        ticket=ticket.number,
                        action="message",
                        via=via,
                        files=len(ids),
                    )
                    return Posted(True, message, committed.ticket)
                # Still losing: when a file went to another change meanwhile, ``attaching``
                # turns this into a 400 naming it.
                raise WriteConflict(["message"])
        except WriteConflict:
            raise Conflict(Msg("error.filing_conflict"), current_status=ticket.status) from None

    def _earlier(
        self, ticket: Ticket, message_id: str, text: str, attachments: tuple[object, ...]
    ) -> Posted:
        earlier = next((m for m in self.thread(ticket.number) if m.id == message_id), None)
        if earlier is None:  # the key's record outlived its message: cannot be, but say so
            raise Conflict(Msg("error.filing_conflict"), current_status=ticket.status)
        if earlier.text != text or earlier.attachments != attachments:
            raise IdempotencyMismatch(Msg("conversation.idempotency_mismatch"))
        return Posted(False, earlier, self.tickets.get(ticket.number) or ticket)


def _digest(number: str, key: str) -> str:
    """Keys are chosen by clients: stored only as a digest, and per ticket."""
    return hashlib.sha256(f"{number}\n{key}".encode()).hexdigest()[:40]


def _side(author: Actor) -> str:
    return "requester" if author.role == Role.REQUESTER else "staff"
