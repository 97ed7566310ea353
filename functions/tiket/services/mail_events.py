"""What the delivery of emails tells about a ticket, recorded as changes of the ticket like
any other: when its first new-request email went out (SOP step 3/4 is measured on it), and
that an email to its requester could not be delivered (their tracking page says so)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tiket.domain.errors import WriteConflict
from tiket.domain.model import Outcome, Ticket
from tiket.domain.system import record_dispatch, record_undelivered
from tiket.services.notifications import REQUESTER_KINDS
from tiket.services.ports import Clock, OutgoingMail
from tiket.services.unit_of_work import TicketUnitOfWork

ATTEMPTS = 3  # a concurrent change (an early acknowledgement) only moves the revision on


class MailEvents:
    def __init__(self, uow: TicketUnitOfWork, clock: Clock):
        self.uow = uow
        self.clock = clock

    def dispatched(self, number: str, sent_at: datetime) -> None:
        self._record(number, lambda ticket: record_dispatch(ticket, sent_at))

    def undeliverable(self, mail: OutgoingMail) -> None:
        if mail.ticket is None or mail.kind not in REQUESTER_KINDS:
            return  # staff addresses: the EmailsFailed alarm is for operators
        now = self.clock.now()
        self._record(mail.ticket, lambda ticket: record_undelivered(ticket, now))

    def _record(self, number: str, change: Callable[[Ticket], Outcome | None]) -> None:
        for _ in range(ATTEMPTS):
            ticket = self.uow.load(number)
            outcome = change(ticket)
            if outcome is None:  # already recorded
                return
            try:
                self.uow.commit(ticket, outcome)
                return
            except WriteConflict:
                continue
