"""Delivers outbox emails: at once after the change that created them, and again from the
sweep for those left pending (throttled, down, crashed mid-way).

An email is sent only by whoever holds its lease (a conditional write), so a request and a
sweep, or two sweeps, never both send it. A transient failure backs off exponentially; a
permanent rejection marks the email failed (reported by metric and log), never retried.
A failed send never fails the ticket change: the email waits in the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from tiket.adapters.mail.message import OutgoingMail
from tiket.adapters.mail.transports import PermanentMailError, TransientMailError
from tiket.adapters.observability import log_event
from tiket.adapters.store import MailRecord
from tiket.domain.errors import Unavailable

if TYPE_CHECKING:
    from tiket.services.context import Services

LEASE = timedelta(minutes=2)  # longer than any send; a crashed sender's email is retried after
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
    def __init__(self, services: Services):
        self.s = services

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
        now = self.s.now()
        for mail_id in self.s.store.due_mails(now, limit=limit):
            record = self.s.store.claim_mail(mail_id, now, LEASE)
            if record is None:  # someone else holds it, or it is already sent
                report.skipped += 1
                continue
            self._deliver(record, report, holder="sending")
        return report

    def _deliver(self, record: MailRecord, report: DeliveryReport, holder: str) -> None:
        mail = record.mail
        try:
            self.s.transport.send(mail)
        except PermanentMailError as error:
            self.s.store.mail_failed(mail.id, self.s.now(), str(error), holder)
            self.s.metrics.count("EmailsFailed", kind=mail.kind)
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
        now = self.s.now()
        try:
            self.s.store.mail_sent(mail.id, now, holder)
            # Every ICT staff member gets a new-request email; the first one sent dates it.
            if mail.kind == "new_ticket" and mail.ticket and mail.ticket not in report.dispatched:
                self.s.store.record_dispatch(mail.ticket, now)
                report.dispatched.add(mail.ticket)
        except Unavailable:
            # Sent but not marked: the lease runs out and the sweep sends once more, which
            # is the lesser harm than losing the email.
            log_event("email sent but not marked", logging.WARNING, ticket=mail.ticket)
        self.s.metrics.count("EmailsSent", kind=mail.kind)
        report.sent += 1

    def _retry_or_fail(
        self, record: MailRecord, error: str, report: DeliveryReport, holder: str
    ) -> None:
        mail = record.mail
        now = self.s.now()
        attempts = record.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            self.s.store.mail_failed(mail.id, now, f"gave up after {attempts}: {error}", holder)
            self.s.metrics.count("EmailsFailed", kind=mail.kind)
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
        self.s.store.mail_retry(mail.id, now + backoff, error, holder)
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
