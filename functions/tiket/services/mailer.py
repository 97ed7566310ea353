"""Delivers outbox emails: at once after the change that created them, and again from the
sweep for those left pending (throttled, down, crashed mid-way).

An email is sent only by whoever holds its lease (a conditional write), so a request and a
sweep, or two sweeps, never both send it. A transient failure backs off exponentially; a
permanent rejection marks the email failed (reported by metric and log), never retried.
A failed send never fails the ticket change: the email waits in the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tiket.domain.errors import Unavailable
from tiket.log import log_event
from tiket.services.ports import (
    Clock,
    MailRecord,
    MailTransport,
    Metrics,
    Outbox,
    OutgoingMail,
    PermanentMailError,
    TransientMailError,
)
from tiket.services.unit_of_work import LEASE

MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(hours=1)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    dispatched: set[str] = field(default_factory=set)  # tickets whose dispatch is recorded


class Mailer:
    def __init__(self, outbox: Outbox, transport: MailTransport, clock: Clock, metrics: Metrics):
        self.outbox = outbox
        self.transport = transport
        self.clock = clock
        self.metrics = metrics
        # Told when the first new-request email of a ticket went out (SOP step 3/4 is
        # measured on it). Wired by the composition root: recording it is a ticket change.
        self.on_dispatch: Callable[[str, datetime], None] = lambda number, sent_at: None

    def send_fresh(self, mails: Iterable[OutgoingMail]) -> DeliveryReport:
        """Right after the commit that stored them, which set their first scheduled attempt
        a lease away, so no sweep takes them meanwhile. Best effort: whatever fails here is
        left to the sweep, and the caller's request still succeeds."""
        report = DeliveryReport()
        for mail in mails:
            record = MailRecord(mail, "pending", 0, None, None, None)
            try:
                self._deliver(record, report, holder="pending")
            except Unavailable:
                report.skipped += 1
        return report

    def send_due(self, limit: int = 100) -> DeliveryReport:
        """The sweep's part: every email whose next attempt time has come."""
        report = DeliveryReport()
        now = self.clock.now()
        for mail_id in self.outbox.due(now, limit=limit):
            record = self.outbox.claim(mail_id, now, LEASE)
            if record is None:  # someone else holds it, or it is already sent
                report.skipped += 1
                continue
            self._deliver(record, report, holder="sending")
        return report

    def _deliver(self, record: MailRecord, report: DeliveryReport, holder: str) -> None:
        mail = record.mail
        try:
            self.transport.send(mail)
        except PermanentMailError as error:
            self.outbox.failed(mail.id, self.clock.now(), str(error), holder)
            self.metrics.count("EmailsFailed", kind=mail.kind)
            log_event(
                "email rejected",
                logging.WARNING,
                ticket=mail.ticket,
                kind=mail.kind,
                mail_id=mail.id,
                error=_code(str(error)),
            )
            report.failed += 1
            return
        except TransientMailError as error:
            self._retry_or_fail(record, str(error), report, holder)
            return
        except Exception as error:  # noqa: BLE001 - unknown transport fault: retry, keep it
            self._retry_or_fail(record, type(error).__name__, report, holder)
            return
        now = self.clock.now()
        try:
            self.outbox.sent(mail.id, now, holder)
            # Every ICT staff member gets a new-request email; the first one sent dates it.
            if mail.kind == "new_ticket" and mail.ticket and mail.ticket not in report.dispatched:
                self.on_dispatch(mail.ticket, now)
                report.dispatched.add(mail.ticket)
        except Unavailable:
            # Sent but not marked: the lease runs out and the sweep sends once more, which
            # is the lesser harm than losing the email.
            log_event("email sent but not marked", logging.WARNING, ticket=mail.ticket)
        self.metrics.count("EmailsSent", kind=mail.kind)
        report.sent += 1

    def _retry_or_fail(
        self, record: MailRecord, error: str, report: DeliveryReport, holder: str
    ) -> None:
        mail = record.mail
        now = self.clock.now()
        attempts = record.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            self.outbox.failed(mail.id, now, f"gave up after {attempts}: {error}", holder)
            self.metrics.count("EmailsFailed", kind=mail.kind)
            log_event(
                "email failed",
                logging.WARNING,
                ticket=mail.ticket,
                kind=mail.kind,
                error=_code(error),
            )
            report.failed += 1
            return
        backoff = min(timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)
        self.outbox.retry(mail.id, now + backoff, error, holder)
        log_event(
            "email will be retried",
            logging.INFO,
            ticket=mail.ticket,
            kind=mail.kind,
            attempt=attempts,
            error=_code(error),
            retry_in_s=int(backoff.total_seconds()),
        )
        report.retrying += 1


def _code(error: str) -> str:
    """The error's code only: provider messages may name the recipient's address, which
    stays in the outbox record, never in a log line."""
    return error.split(":", 1)[0][:60]
