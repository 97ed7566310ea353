"""SOP steps 4–6 from email links: check a link, show what it will do, do it once.

A link is good when its signature holds (any current key, this purpose), it has not
expired, its nonce is unused, the ticket is still at the version it was made for, and its
recipient is active staff allowed to act. ``inspect`` never writes; ``perform`` writes
through ``Store.commit`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tiket.adapters.observability import log_event
from tiket.adapters.signer import BadToken
from tiket.adapters.store import Change
from tiket.domain import lifecycle
from tiket.domain.deadlines import next_check
from tiket.domain.errors import Conflict, Expired, Forbidden, WriteConflict
from tiket.domain.model import Notice, Staff, Ticket
from tiket.messages import ACTIONS, Msg, label
from tiket.services.links import ACTION_PURPOSE, ActionClaim
from tiket.services.mailer import LEASE

if TYPE_CHECKING:
    from tiket.services.context import Services

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
    action: str
    # Fresh tokens for what the actor may do next, so the result page can offer it at once.
    next_tokens: dict[str, str]


class ActionService:
    def __init__(self, services: Services):
        self.s = services

    def _claim(self, token: str, allow_expired: bool = False) -> ActionClaim:
        try:
            claim = ActionClaim.from_payload(self.s.signer.verify(ACTION_PURPOSE, token))
        except (BadToken, KeyError, TypeError, ValueError):
            raise Forbidden(Msg("action.forged")) from None
        if claim.action not in lifecycle.STAFF_ACTIONS:
            raise Forbidden(Msg("action.forged"))
        if not allow_expired and self.s.now() > claim.expires_at:
            raise Expired(Msg("action.expired"))
        return claim

    def _subject(self, claim: ActionClaim) -> tuple[Ticket, Staff]:
        ticket = self.s.store.get_ticket(claim.number)
        staff = self.s.store.get_staff(claim.recipient)
        if ticket is None or staff is None or not staff.active:
            raise Forbidden(Msg("action.wrong_recipient"))
        return ticket, staff

    def _check_current(self, claim: ActionClaim, ticket: Ticket, staff: Staff) -> None:
        status = lifecycle.status_text(ticket.status)
        if self.s.store.nonce_used(claim.nonce):
            raise Conflict(Msg("action.used", {"status": status}), current_status=ticket.status)
        if ticket.version != claim.version:
            raise self._moved_on(ticket, claim.action)
        lifecycle.check(ticket, claim.action, staff.as_actor())

    @staticmethod
    def _moved_on(ticket: Ticket, action: str) -> Conflict:
        status = lifecycle.status_text(ticket.status)
        if action == "acknowledge" and ticket.assignee_name:
            msg = Msg("action.taken_by", {"name": ticket.assignee_name, "status": status})
        else:
            msg = Msg("action.moved_on", {"status": status})
        return Conflict(msg, current_status=ticket.status)

    def inspect(self, token: str) -> ActionView:
        """What the link would do. Reads only: mail scanners open links."""
        claim = self._claim(token)
        ticket, staff = self._subject(claim)
        self._check_current(claim, ticket, staff)
        return ActionView(claim, ticket, staff, lifecycle.ACTION_FIELDS[claim.action])

    def perform(self, token: str, form: dict[str, Any]) -> ActionDone:
        return self.apply(self.inspect(token), form)

    def apply(self, view: ActionView, form: dict[str, Any]) -> ActionDone:
        """Do what an inspected link says; the commit holds it to the version inspected."""
        claim, ticket, staff = view.claim, view.ticket, view.staff
        fields = lifecycle.parse_fields(claim.action, form, self.s.settings.standards)
        now = self.s.now()
        actor = staff.as_actor()
        outcome = lifecycle.apply(ticket, claim.action, actor, fields, now, self.s.step_clock)
        new = outcome.ticket
        mails = self.s.notifier.mails_for(new, outcome.notices, now, actor)
        change = Change(
            ticket=new,
            expected_version=ticket.version,
            next_check=next_check(new, self.s.calendar, self.s.survey_policy),
            at=now,
            history=outcome.history,
            mails=mails,
            mail_first_attempt=now + LEASE,
            nonce=(claim.nonce, claim.expires_at + NONCE_KEEP),
        )
        try:
            self.s.store.commit(change)
        except WriteConflict:
            # Someone else acted first (or this very link, twice): report where it is now.
            current = self.s.store.get_ticket(ticket.number) or ticket
            raise self._moved_on(current, claim.action) from None
        self.s.metrics.count("Actions", action=claim.action)
        log_event("ticket action", ticket=new.number, action=claim.action, status=new.status)
        self.s.mailer.send_fresh(mails)
        next_tokens = {
            action: self.s.links.action_token(new, action, staff.email, now)
            for action in lifecycle.allowed_actions(new, actor)
        }
        return ActionDone(new, staff, claim.action, next_tokens)

    def resend(self, token: str) -> str:
        """A fresh link for an expired one, mailed to the same recipient (never elsewhere).
        Returns the address it went to."""
        claim = self._claim(token, allow_expired=True)
        ticket, staff = self._subject(claim)
        lifecycle.check(ticket, claim.action, staff.as_actor())
        self.s.rate_limiter.check("resend", staff.email)
        now = self.s.now()
        notice = Notice(
            "fresh_link",
            "actor",
            actions=(claim.action,),
            extra={"action": label(ACTIONS, claim.action)},
        )
        (mail,) = self.s.notifier.mails_for(ticket, [notice], now, staff.as_actor())
        self.s.store.add_mail(mail, now + LEASE)
        self.s.mailer.send_fresh([mail])
        log_event("action link resent", ticket=ticket.number, action=claim.action)
        return staff.email
