"""The scheduled sweep (every minute): breaches of the time standards, survey reminders and
auto-close, and emails left pending.

It reads only what is due, through the ``due`` index (never a Scan), re-reads each ticket
consistently, and writes through ``Store.commit``: a breach is one transaction holding its
once-only record, the history entry and the escalation emails, so running the sweep twice,
or two sweeps at once, records and sends each breach once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from tiket.adapters.observability import log_event
from tiket.adapters.store import Change
from tiket.domain import lifecycle
from tiket.domain.deadlines import next_check, survey_times, unrecorded_breaches
from tiket.domain.errors import WriteConflict
from tiket.domain.model import Actor, HistoryEntry, Notice, Ticket
from tiket.domain.standards import StepRecord
from tiket.messages import STEPS, Msg, format_datetime, format_minutes, label
from tiket.services.mailer import LEASE, DeliveryReport

if TYPE_CHECKING:
    from tiket.services.context import Services


@dataclass
class SweepReport:
    at: datetime
    due_tickets: int = 0
    breaches: int = 0
    reminders: int = 0
    closed: int = 0
    conflicts: int = 0
    mail: DeliveryReport = field(default_factory=DeliveryReport)
    duration_ms: int = 0

    def as_json(self) -> dict:
        return {
            "at": self.at.isoformat(),
            "due_tickets": self.due_tickets,
            "breaches": self.breaches,
            "reminders": self.reminders,
            "closed": self.closed,
            "conflicts": self.conflicts,
            "emails_sent": self.mail.sent,
            "emails_retrying": self.mail.retrying,
            "emails_failed": self.mail.failed,
            "duration_ms": self.duration_ms,
        }


class SweepService:
    def __init__(self, services: Services):
        self.s = services

    def run(self) -> SweepReport:
        started = time.monotonic()
        now = self.s.now()
        report = SweepReport(at=now)
        numbers = self.s.store.due_tickets(now)
        report.due_tickets = len(numbers)
        staff_by_role: dict = {}  # escalation recipients, read once per run
        for number in numbers:
            try:
                self._one(number, now, report, staff_by_role)
            except WriteConflict:
                # The ticket changed under us; its new state carries its own due time.
                report.conflicts += 1
        report.mail = self.s.mailer.send_due()
        report.duration_ms = int((time.monotonic() - started) * 1000)
        log_event("sweep", action="sweep", **report.as_json())
        return report

    def _one(self, number: str, now: datetime, report: SweepReport, staff_by_role: dict) -> None:
        ticket = self.s.store.get_ticket(number)
        if ticket is None:
            return
        acted = False
        for record in unrecorded_breaches(ticket, now):
            ticket = self._breach(ticket, record, now, staff_by_role)
            report.breaches += 1
            acted = True
        times = survey_times(ticket, self.s.calendar, self.s.survey_policy)
        if times is not None:
            reminder_at, close_at = times
            if now >= close_at:
                self._auto_close(ticket, now)
                report.closed += 1
                return
            if now >= reminder_at and ticket.survey_reminded_at is None:
                self._remind(ticket, now)
                report.reminders += 1
                return
        if not acted:
            # Stale due key (e.g. the state changed after it was read): set it right.
            self._commit(ticket, ticket, now)

    def _commit(self, before: Ticket, after: Ticket, now: datetime, **change) -> None:
        self.s.store.commit(
            Change(
                ticket=after,
                expected_version=before.version,
                next_check=next_check(after, self.s.calendar, self.s.survey_policy),
                at=now,
                mail_first_attempt=now + LEASE,
                **change,
            )
        )

    def _breach(
        self, ticket: Ticket, record: StepRecord, now: datetime, staff_by_role: dict
    ) -> Ticket:
        step_label = label(STEPS, record.step)
        minutes = format_minutes(record.standard_minutes)
        after = replace(ticket, breaches=ticket.breaches | {record.step})
        history = HistoryEntry(
            at=now,
            action="breach",
            from_status=ticket.status,
            to_status=ticket.status,
            actor=Actor.system(),
            note=Msg(
                "history.breach",
                {"step": step_label, "minutes": round(record.standard_minutes)},
            ).render(),
            version=ticket.version,
        )
        extra = {
            "step": step_label,
            "deadline": format_datetime(record.due_at),
            "minutes": minutes,
        }
        notices = [
            Notice("breach", target, actions=actions, extra=extra)
            for target, actions in _escalation_targets(ticket, record.step)
        ]
        mails = self.s.notifier.mails_for(
            ticket, notices, now, _holder_actor(ticket), staff_by_role
        )
        self._commit(ticket, after, now, history=history, mails=mails, breach=record)
        self.s.metrics.count("Breaches", step=record.step)
        log_event(
            "breach recorded",
            logging.WARNING,
            ticket=ticket.number,
            action="breach",
            step=record.step,
        )
        self.s.mailer.send_fresh(mails)
        return after

    def _remind(self, ticket: Ticket, now: datetime) -> None:
        _, close_at = survey_times(ticket, self.s.calendar, self.s.survey_policy)
        after = replace(ticket, survey_reminded_at=now)
        notice = Notice(
            "survey_reminder",
            "requester",
            extra={
                "resolved": format_datetime(ticket.resolved_at),
                "close": format_datetime(close_at),
            },
        )
        mails = self.s.notifier.mails_for(after, [notice], now)
        self._commit(ticket, after, now, mails=mails)
        self.s.mailer.send_fresh(mails)

    def _auto_close(self, ticket: Ticket, now: datetime) -> None:
        days = self.s.survey_policy.close_working_days
        outcome = lifecycle.apply(
            ticket,
            "auto_close",
            Actor.system(),
            {"note": Msg("history.auto_close", {"days": days}).render()},
            now,
            self.s.step_clock,
        )
        self._commit(ticket, outcome.ticket, now, history=outcome.history)
        log_event("ticket auto-closed", ticket=ticket.number, action="auto_close")


def _escalation_targets(ticket: Ticket, step: str) -> list[tuple[str, tuple[str, ...]]]:
    """Who hears of a breach: whoever must act now (the holder, or the pool nobody in
    which has taken the ticket yet), with the links they may use, and every supervisor."""
    if step in ("notify", "acknowledge") or ticket.status == "new":
        first = ("pool:tik", ("acknowledge",))
    elif step == "rt_accept" or ticket.status == "referred":
        first = ("pool:rt", ("accept",))
    else:
        first = ("actor", lifecycle.STAFF_ACTIONS)
    return [first, ("role:supervisor", ())]


def _holder_actor(ticket: Ticket) -> Actor | None:
    holder = ticket.holder()
    if holder is None:
        return None
    role = "rt" if holder == ticket.repair_assignee else "tik"
    return Actor(email=holder, name=ticket.holder_name() or holder, role=role)
