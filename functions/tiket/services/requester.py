"""Two things a requester can do besides writing (PRODUCT.md §10): say the problem is not
solved ("Masalah belum teratasi", reopening a resolved ticket before the survey), and get
the tracking link again when it is lost."""

from __future__ import annotations

import hmac
from typing import Any

from tiket.domain import lifecycle
from tiket.domain.errors import Conflict, WriteConflict
from tiket.domain.model import Actor, Notice, Ticket
from tiket.domain.standards import StepClock
from tiket.domain.text import Msg
from tiket.domain.vocabulary import Action, Role, Status
from tiket.log import log_event
from tiket.services.conversation_forms import LookupForm, ReopenForm
from tiket.services.forms import parse
from tiket.services.notifications import Notifier
from tiket.services.ports import Clock, Metrics, Outbox, TicketStore
from tiket.services.ratelimit import RateLimiter
from tiket.services.tracking import ticket_by_token
from tiket.services.unit_of_work import TicketUnitOfWork

ATTEMPTS = 2  # a concurrent change (the sweep's reminder) only moves the revision on


class RequesterService:
    def __init__(
        self,
        uow: TicketUnitOfWork,
        tickets: TicketStore,
        notifier: Notifier,
        outbox: Outbox,
        rate_limiter: RateLimiter,
        clock: Clock,
        step_clock: StepClock,
        metrics: Metrics,
    ):
        self.uow = uow
        self.tickets = tickets
        self.notifier = notifier
        self.outbox = outbox
        self.rate_limiter = rate_limiter
        self.clock = clock
        self.step_clock = step_clock
        self.metrics = metrics

    def reopen(self, token: str, body: Any) -> Ticket:
        """Back to the status it was resolved from, same holder, the handling clock started
        again on the same estimate; 409 unless resolved and the survey not answered."""
        ticket = ticket_by_token(self.tickets, token)
        form = parse(ReopenForm, body)
        r = ticket.requester
        actor = Actor(email=r.email, name=r.name, role=Role.REQUESTER)
        for _ in range(ATTEMPTS):
            if ticket.status != Status.RESOLVED or ticket.survey is not None:
                raise Conflict(
                    Msg("reopen.not_open", {"status": ticket.status}),
                    current_status=ticket.status,
                )
            now = self.clock.now()
            outcome = lifecycle.apply(
                ticket, Action.REOPEN, actor, form.model_dump(), now, self.step_clock
            )
            try:
                committed = self.uow.commit(ticket, outcome, actor=actor)
            except WriteConflict:
                ticket = self.uow.load(ticket.number)
                continue
            self.metrics.count("Reopened")
            log_event("ticket reopened", ticket=ticket.number, action="reopen")
            return committed.ticket
        raise Conflict(
            Msg("reopen.not_open", {"status": ticket.status}), current_status=ticket.status
        )

    def lookup(self, body: Any, client: str) -> None:
        """Lost-link recovery. The same answer and, as far as practical, the same work for
        every number and address: two rate-limit counts and one read; only a match adds one
        outbox record (the sweep sends it), never a send inside the request, whose time
        would tell."""
        form = parse(LookupForm, body)
        email = form.email.strip().lower()
        self.rate_limiter.check("lookup_ip", client)
        self.rate_limiter.check("lookup", email)
        ticket = self.tickets.get(form.number.strip().upper())
        stored = ticket.requester.email.lower() if ticket is not None else ""
        matched = hmac.compare_digest(stored.encode(), email.encode())
        if ticket is None or not matched or not ticket.track_token:
            log_event("tracking link not sent", action="lookup")
            return
        now = self.clock.now()
        for mail in self.notifier.mails_for(ticket, [Notice("track_link", "requester")], now):
            self.outbox.add(mail, now)
        log_event("tracking link queued", ticket=ticket.number, action="lookup")
