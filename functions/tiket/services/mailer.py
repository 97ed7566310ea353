"""Delivers outbox emails: at once after the change that created them, and again from the
sweep for those left pending (throttled, down, crashed mid-way).

An email is sent only by whoever holds its lease (a conditional write), so a request and a
sweep, or two sweeps, never both send it. A transient failure backs off exponentially; a
permanent rejection marks the email failed (reported by metric and log), never retried.
A failed send never fails the ticket change: the email waits in the outbox.
"""

from __future__ import annotations

import logging
import time
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

# A transient failure (throttling, an SES outage, a sending pause while an operator fixes
# the account) is retried with backoff up to an hour apart, for days: then the email is
# marked failed, counted (an alarm watches EmailsFailed) and can be re-driven by
# ``tiket mail redrive``. A permanent rejection (the address or content) fails at once.
MAX_BACKOFF = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(days=3)
# SES took an email but DynamoDB did not answer its "sent" mark (after botocore's own
# retries): the mark is tried again after these pauses (seconds), well within the lease,
# because a mark that never lands means the sweep sends the email a second time.
MARK_PAUSES = (1.0, 3.0, 8.0)


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
        # measured on it), and when an email to a requester could not be delivered (their
        # tracking page says so). Wired by the composition root: both are ticket changes.
        self.on_dispatch: Callable[[str, datetime], None] = lambda number, sent_at: None
        self.on_undeliverable: Callable[[OutgoingMail], None] = lambda mail: None
        self.pause: Callable[[float], None] = time.sleep

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
            self._fail(mail, "email rejected", str(error), _code(str(error)), report, holder)
            return
        except TransientMailError as error:
            self._retry_or_fail(record, str(error), report, holder)
            return
        except Exception as error:  # noqa: BLE001 - unknown transport fault: retry, keep it
            self._retry_or_fail(record, type(error).__name__, report, holder)
            return
        now = self.clock.now()
        self.metrics.count("EmailsSent", kind=mail.kind)
        report.sent += 1
        if not self._mark_sent(mail, now, holder):
            # Sent but not marked: the lease runs out and the sweep sends once more, which
            # is the lesser harm than losing the email.
            log_event("email sent but not marked", logging.WARNING, ticket=mail.ticket)
            return
        # Every ICT staff member gets a new-request email; the first one sent dates it.
        if mail.kind == "new_ticket" and mail.ticket and mail.ticket not in report.dispatched:
            try:
                self.on_dispatch(mail.ticket, now)
                report.dispatched.add(mail.ticket)
            except Unavailable:
                # The ticket's next new-request email (another staff member's) tries again;
                # never recorded, the notify step shows no time (step 4 runs from the filing).
                log_event("dispatch not recorded", logging.WARNING, ticket=mail.ticket)

    def _mark_sent(self, mail: OutgoingMail, now: datetime, holder: str) -> bool:
        for pause in (*MARK_PAUSES, None):
            try:
                self.outbox.sent(mail.id, now, holder)
                return True
            except Unavailable:
                if pause is None:
                    return False
                self.pause(pause)
        return False

    def _fail(
        self,
        mail: OutgoingMail,
        event: str,
        error: str,
        code: str,
        report: DeliveryReport,
        holder: str,
    ) -> None:
        self.outbox.failed(mail.id, self.clock.now(), error, holder)
        self.metrics.count("EmailsFailed", kind=mail.kind)
        log_event(
            event,
            logging.WARNING,
            ticket=mail.ticket,
            kind=mail.kind,
            mail_id=mail.id,
            error=code,
        )
        report.failed += 1
        self.on_undeliverable(mail)

    def redrive(self, limit: int = 100) -> int:
        """Failed emails back in the queue, to be sent by the next sweep (after an operator
        fixed what failed them). Returns how many."""
        now = self.clock.now()
        ids = self.outbox.failed_ids(limit)
        for mail_id in ids:
            self.outbox.redrive(mail_id, now)
        log_event("emails re-driven", count=len(ids))
        return len(ids)

    def _retry_or_fail(
        self, record: MailRecord, error: str, report: DeliveryReport, holder: str
    ) -> None:
        mail = record.mail
        now = self.clock.now()
        attempts = record.attempts + 1
        if now - mail.created_at >= GIVE_UP_AFTER:
            given_up = f"gave up after {attempts}: {error}"
            self._fail(mail, "email failed", given_up, _code(error), report, holder)
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
