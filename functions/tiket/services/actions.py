"""SOP steps 4–6 from email links: check a link, show what it will do, do it once.

A link is good when its signature holds (any current key, this purpose), it has not
expired, its nonce is unused, the ticket is still at the version it was made for, and its
recipient is active staff allowed to act. ``inspect`` never writes; ``apply`` writes through
the unit of work only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tiket.domain import lifecycle
from tiket.domain.conversation import ensure_open
from tiket.domain.errors import Conflict, Expired, Forbidden, WriteConflict
from tiket.domain.estimates import estimate_presets
from tiket.domain.model import Notice, Once, Staff, Ticket
from tiket.domain.standards import StepClock
from tiket.domain.text import Msg
from tiket.domain.vocabulary import Action
from tiket.log import log_event
from tiket.services.action_forms import ACTION_FORMS
from tiket.services.forms import parse
from tiket.services.idempotency_keys import checked_key
from tiket.services.links import ACTION_PURPOSE, ActionClaim, Links
from tiket.services.notifications import Notifier
from tiket.services.ports import (
    Clock,
    Metrics,
    Outbox,
    Signer,
    StaffDirectory,
    TicketStore,
)
from tiket.services.ratelimit import RateLimiter
from tiket.services.unit_of_work import LEASE, TicketUnitOfWork

NONCE_KEEP = timedelta(days=1)  # nonce records outlive their token by a day, then TTL


@dataclass(frozen=True)
class ActionView:
    claim: ActionClaim
    ticket: Ticket
    staff: Staff
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ActionDone:
    ticket: Ticket
    staff: Staff
    action: Action
    # Fresh tokens for what the actor may do next, so the result page can offer it at once.
    next_tokens: dict[Action, str]


def moved_on(ticket: Ticket, action: Action) -> Conflict:
    """Where the ticket is now, for someone whose page or link is behind it."""
    if action == Action.ACKNOWLEDGE and ticket.assignee_name:
        msg = Msg("action.taken_by", {"name": ticket.assignee_name, "status": ticket.status})
    else:
        msg = Msg("action.moved_on", {"status": ticket.status})
    return Conflict(msg, current_status=ticket.status)


class ActionService:
    def __init__(
        self,
        uow: TicketUnitOfWork,
        tickets: TicketStore,
        staff: StaffDirectory,
        signer: Signer,
        links: Links,
        notifier: Notifier,
        outbox: Outbox,
        rate_limiter: RateLimiter,
        clock: Clock,
        step_clock: StepClock,
        metrics: Metrics,
    ):
        self.uow = uow
        self.tickets = tickets
        self.staff = staff
        self.signer = signer
        self.links = links
        self.notifier = notifier
        self.outbox = outbox
        self.rate_limiter = rate_limiter
        self.clock = clock
        self.step_clock = step_clock
        self.metrics = metrics

    def _claim(self, token: str, allow_expired: bool = False) -> ActionClaim:
        try:
            claim = ActionClaim.from_payload(self.signer.verify(ACTION_PURPOSE, token))
        except (KeyError, TypeError, ValueError):  # BadToken is a ValueError
            raise Forbidden(Msg("action.forged")) from None
        if claim.action not in (*lifecycle.STAFF_ACTIONS, Action.REPLY):
            raise Forbidden(Msg("action.forged"))
        if not allow_expired and self.clock.now() > claim.expires_at:
            raise Expired(Msg("action.expired"))
        return claim

    def _subject(self, claim: ActionClaim) -> tuple[Ticket, Staff]:
        ticket = self.tickets.get(claim.number)
        staff = self.staff.get(claim.recipient)
        if ticket is None or staff is None or not staff.active:
            raise Forbidden(Msg("action.wrong_recipient"))
        return ticket, staff

    def _check_current(self, claim: ActionClaim, ticket: Ticket, staff: Staff) -> None:
        if self.tickets.has_once(ticket.number, Once("nonce", claim.nonce)):
            raise Conflict(
                Msg("action.used", {"status": ticket.status}), current_status=ticket.status
            )
        if ticket.version != claim.version:
            raise moved_on(ticket, claim.action)
        lifecycle.check(ticket, claim.action, staff.as_actor())

    def subject(self, token: str) -> tuple[Ticket, Staff] | None:
        """The ticket and recipient of a genuine link, even expired or used (for the pages
        that lead on); None for a forged link or a recipient no longer active."""
        try:
            return self._subject(self._claim(token, allow_expired=True))
        except Forbidden:
            return None

    def inspect(self, token: str) -> ActionView:
        """What the link would do. Reads only: mail scanners open links."""
        claim = self._claim(token)
        ticket, staff = self._subject(claim)
        self._check_current(claim, ticket, staff)
        fields = ACTION_FORMS[claim.action].field_names()
        return ActionView(claim, ticket, staff, fields)

    def perform(self, token: str, form: dict[str, Any], key: object = None) -> ActionDone:
        try:
            return self.apply(self.inspect(token), form, key)
        except Conflict:
            done = self.repeated(token, key)
            if done is None:
                raise
            return done

    def apply(self, view: ActionView, form: dict[str, Any], key: object = None) -> ActionDone:
        """Do what an inspected link says; the commit holds it to the version inspected.
        ``key`` (the request's Idempotency-Key) is recorded with the change, once-only."""
        claim, ticket, staff = view.claim, view.ticket, view.staff
        key = checked_key(key)
        nonce = Once("nonce", claim.nonce, claim.expires_at + NONCE_KEEP)
        once = (nonce,) if key is None else (nonce, _request_once(claim, key))
        return self.act(ticket, staff, claim.action, form, once=once)

    def repeated(self, token: str, key: object) -> ActionDone | None:
        """A used link POSTed again with the Idempotency-Key of the request that used it: a
        client repeating a request whose answer it never got (a timeout, a 503 after the
        commit). The answer is that change, done (the ticket as it is now); None for any
        other request, which gets the 409 of a used link."""
        key = checked_key(key)
        if key is None:
            return None
        claim = self._claim(token, allow_expired=True)
        ticket, staff = self._subject(claim)
        if not self.tickets.has_once(ticket.number, _request_once(claim, key)):
            return None
        log_event("ticket action repeated", ticket=ticket.number, action=claim.action)
        return self._done(ticket, staff, claim.action, self.clock.now())

    def act(
        self,
        ticket: Ticket,
        staff: Staff,
        action: Action,
        form: dict[str, Any],
        once: tuple[Once, ...] = (),
    ) -> ActionDone:
        """``action`` by ``staff`` on ``ticket`` as read; 409 if it moved on since."""
        model = ACTION_FORMS[action]
        cap = self.step_clock.standards.handle_cap
        presets = estimate_presets(self.step_clock.calendar.office_hours, cap)
        fields = parse(model, form, handle_cap=cap, presets=presets)
        values = fields.model_dump()
        if "email" in values:  # a reassignment names the new holder: the domain judges them
            values["to"] = self.staff.get(values["email"].strip().lower())
        now = self.clock.now()
        actor = staff.as_actor()
        outcome = lifecycle.apply(ticket, action, actor, values, now, self.step_clock)
        try:
            committed = self.uow.commit(ticket, outcome, actor=actor, once=once)
        except WriteConflict:
            # Someone else acted first (or this very link, twice): report where it is now.
            current = self.tickets.get(ticket.number) or ticket
            raise moved_on(current, action) from None
        new = committed.ticket
        self.metrics.count("Actions", action=action)
        log_event("ticket action", ticket=new.number, action=action, status=new.status)
        return self._done(new, staff, action, now)

    def _done(self, ticket: Ticket, staff: Staff, action: Action, now: datetime) -> ActionDone:
        next_tokens = {
            possible: self.links.action_token(ticket, possible, staff.email, now)
            for possible in lifecycle.allowed_actions(ticket, staff.as_actor())
        }
        return ActionDone(ticket, staff, action, next_tokens)

    def resend(self, token: str) -> str:
        """A fresh link for an expired one, mailed to the same recipient (never elsewhere).
        Returns the address it went to."""
        claim = self._claim(token, allow_expired=True)
        ticket, staff = self._subject(claim)
        # A reply link is in every staff email of an open ticket: the fresh email has one.
        replying = claim.action == Action.REPLY
        if replying:
            ensure_open(ticket)
        else:
            if ticket.version != claim.version:
                # Only a link for the ticket as it is now: an old one (someone else took it
                # since, or it moved on) would act on a ticket its holder no longer has.
                raise moved_on(ticket, claim.action)
            lifecycle.check(ticket, claim.action, staff.as_actor())
        self.rate_limiter.check("resend", staff.email)
        now = self.clock.now()
        notice = Notice(
            "fresh_link",
            "actor",
            actions=() if replying else (claim.action,),
            extra={"action": claim.action},
        )
        (mail,) = self.notifier.mails_for(ticket, [notice], now, staff.as_actor())
        self.outbox.add(mail, now + LEASE)
        self.uow.deliver([mail])
        log_event("action link resent", ticket=ticket.number, action=claim.action)
        return staff.email


def _request_once(claim: ActionClaim, key: str) -> Once:
    """The record of which request used a link (its key, hashed with the link's nonce)."""
    digest = hashlib.sha256(f"{claim.nonce}\n{key}".encode()).hexdigest()
    return Once("action_request", digest, claim.expires_at + NONCE_KEEP)
