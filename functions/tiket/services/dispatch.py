"""Records when a ticket's first new-request email went out (SOP step 3/4 is measured on it),
as a change of the ticket like any other."""

from __future__ import annotations

from datetime import datetime

from tiket.domain.errors import WriteConflict
from tiket.domain.system import record_dispatch
from tiket.services.unit_of_work import TicketUnitOfWork

ATTEMPTS = 3  # a concurrent change (an early acknowledgement) only moves the revision on


class DispatchRecorder:
    def __init__(self, uow: TicketUnitOfWork):
        self.uow = uow

    def record(self, number: str, sent_at: datetime) -> None:
        for _ in range(ATTEMPTS):
            ticket = self.uow.load(number)
            outcome = record_dispatch(ticket, sent_at)
            if outcome is None:  # already recorded
                return
            try:
                self.uow.commit(ticket, outcome)
                return
            except WriteConflict:
                continue
