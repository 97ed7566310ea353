"""Replies by email become messages (PRODUCT.md §10): every TIKet email about a ticket has a
signed ``Reply-To``; what comes back is checked in this order, and dropped with one log line
(a reason code, the ticket number when known, never an address, a token or the text) at the
first check it fails, changing nothing:

1. readable, and at most 10 MB;
2. the receiving server's verdicts: no spam or virus, SPF or DKIM passed, DMARC not failed
   (the local inbox has no server: its mail is marked unchecked);
3. not sent by a machine on its own (out-of-office, bounces, bulk);
4. a reply address of this stage that verifies (signature, expiry), looked for among the
   envelope recipients first (they include Bcc), then the message's own headers;
5. its ticket exists, and the sender is its requester or active staff;
6. the ticket is not closed or cancelled, and the reply adds some text.

Its pictures and PDFs (at most 5, each checked by its bytes like an upload:
``services.mail_files``) come with the message; any other file is dropped with a log line,
the message still posted.

It is then posted like any message, keyed by the mail's id (SES's message id in production),
so a retried delivery never posts twice. Errors of the stores propagate: the caller (the
Lambda invocation, the local inbox) tries again later.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tiket.domain.errors import Conflict, IdempotencyMismatch, RateLimited
from tiket.domain.model import Actor, Ticket
from tiket.domain.vocabulary import FINAL_STATUSES, STAFF_ROLES, Channel, Role
from tiket.log import log_event
from tiket.services.attachments import AttachmentService, Checked
from tiket.services.conversation import ConversationService
from tiket.services.inbound_ports import (
    InboundMessage,
    MailReader,
    ReplyAddressBook,
    ReplyClaimView,
)
from tiket.services.mail_files import mail_attachments
from tiket.services.ports import Clock, Metrics, StaffDirectory, TicketStore
from tiket.services.ratelimit import RateLimiter


@dataclass(frozen=True)
class Received:
    posted: bool
    reason: str  # "posted", "duplicate", or why it was dropped
    ticket: str | None = None


class Drop(Exception):
    def __init__(self, reason: str, ticket: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.ticket = ticket


class InboundService:
    def __init__(
        self,
        reader: MailReader,
        addresses: ReplyAddressBook | None,
        conversation: ConversationService,
        tickets: TicketStore,
        staff: StaffDirectory,
        rate_limiter: RateLimiter,
        clock: Clock,
        metrics: Metrics,
        attachments: AttachmentService,
    ):
        self.reader = reader
        self.addresses = addresses
        self.conversation = conversation
        self.tickets = tickets
        self.staff = staff
        self.rate_limiter = rate_limiter
        self.clock = clock
        self.metrics = metrics
        self.attachments = attachments

    def receive(
        self, raw: bytes, receipt: Mapping[str, Any] | None, key: str | None = None
    ) -> Received:
        """``raw``: the RFC 5322 message; ``receipt``: SES's ``receipt`` of the event (None
        only for the local inbox); ``key``: the mail's id (default: its Message-ID)."""
        try:
            result = self._receive(raw, receipt, key)
        except Drop as drop:
            result = Received(False, drop.reason, drop.ticket)
            self.metrics.count("InboundDropped", reason=drop.reason)
            log_event(
                "inbound mail dropped",
                logging.WARNING,
                reason=drop.reason,
                ticket=drop.ticket,
                mail_key=_short(key),
            )
            return result
        log_event(
            "inbound mail " + ("posted" if result.posted else "repeated"),
            ticket=result.ticket,
            action="message",
            mail_key=_short(key),
        )
        return result

    def _receive(self, raw: bytes, receipt: Mapping[str, Any] | None, key: str | None) -> Received:
        try:
            mail = self.reader.read(raw)
        except ValueError as error:
            raise Drop(reason_code(error)) from None
        ok, why = self.reader.verdict(receipt, mail)
        if not ok:
            raise Drop(why)
        if self.reader.automatic(mail):
            raise Drop("auto-reply")
        if self.addresses is None:
            raise Drop("no-reply-domain")
        claim = self._claim(self.addresses, mail, receipt)
        ticket = self.tickets.get(claim.number)
        if ticket is None:
            raise Drop("unknown-ticket", claim.number)
        author = self._author(ticket, mail.sender)
        if ticket.status in FINAL_STATUSES:
            raise Drop("closed", ticket.number)
        if not mail.text.strip():
            raise Drop("empty", ticket.number)
        try:
            self.rate_limiter.check("messages", ticket.number)
        except RateLimited:
            raise Drop("rate-limited", ticket.number) from None
        key = key or mail.message_id or hashlib.sha256(raw).hexdigest()
        files = self._files(mail, key, ticket.number)
        try:
            posted = self.conversation.post(ticket, author, mail.text, Channel.EMAIL, key, files)
        except Conflict:
            raise Drop("closed", ticket.number) from None
        except IdempotencyMismatch:
            raise Drop("key-reused", ticket.number) from None
        reason = "posted" if posted.created else "duplicate"
        return Received(posted.created, reason, ticket.number)

    def _files(self, mail: InboundMessage, key: str, number: str) -> Checked:
        """The mail's pictures and PDFs that may be kept; the others dropped, logged."""
        if not mail.files:
            return Checked()
        if self.attachments.rules() is None:  # this stage has no files bucket
            kept, dropped = Checked(), tuple("unavailable" for _ in mail.files)
        else:
            kept, dropped = mail_attachments(mail.files, key, self.attachments.inspect)
        for reason in dropped:
            self.metrics.count("InboundFilesDropped", reason=reason)
            log_event("inbound file dropped", logging.WARNING, reason=reason, ticket=number)
        return kept

    def _claim(
        self,
        addresses: ReplyAddressBook,
        mail: InboundMessage,
        receipt: Mapping[str, Any] | None,
    ) -> ReplyClaimView:
        """The first reply address that verifies; else why the first one failed."""
        envelope = (receipt or {}).get("recipients") or ()
        candidates = _on_domain([*_strings(envelope), *mail.recipients], addresses.domain)
        failure = "no-reply-address"
        for address in candidates:
            try:
                return addresses.verify(address, self.clock.now())
            except ValueError as error:
                if failure == "no-reply-address":
                    failure = reason_code(error)
        raise Drop(failure)

    def _author(self, ticket: Ticket, sender: str) -> Actor:
        """The requester, or an active staff member; anyone else is a stranger to it."""
        r = ticket.requester
        if sender.lower() == r.email.lower():
            return Actor(email=r.email, name=r.name, role=Role.REQUESTER)
        member = self.staff.get(sender.lower())
        if member is None or not member.active or member.role not in STAFF_ROLES:
            raise Drop("stranger", ticket.number)
        return member.as_actor()


def _strings(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, Sequence) else []


def _on_domain(addresses: list[str], domain: str) -> list[str]:
    seen = dict.fromkeys(a.strip().lower() for a in addresses)
    return [a for a in seen if a.rpartition("@")[2] == domain]


def reason_code(error: Exception) -> str:
    """``ForgedAddress`` -> ``forged-address``: the reason without the error's text."""
    name = type(error).__name__
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in name).lstrip("-")


def _short(key: str | None) -> str | None:
    """A mail's id in the logs: enough to find it, without a client's Message-ID whole."""
    return None if key is None else hashlib.sha256(key.encode()).hexdigest()[:16]
