"""The scheduled sweep (every minute): breaches of the time standards and the escalation
ladder of steps that stay overdue, survey reminders and auto-close, and emails left pending.

It reads only what is due, through the ``due`` index (never a Scan), re-reads each ticket
consistently, and changes it through the unit of work: a breach is one transaction holding
its once-only record, the history entry and the escalation emails, so running the sweep
twice, or two sweeps at once, records and sends each breach once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tiket.domain import lifecycle
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.deadlines import (
    SurveyPolicy,
    due_escalations,
    survey_times,
    unrecorded_breaches,
)
from tiket.domain.errors import WriteConflict
from tiket.domain.model import Actor, Ticket
from tiket.domain.standards import StepClock
from tiket.domain.system import escalate, record_breach, remind_survey
from tiket.domain.vocabulary import Action
from tiket.log import log_event
from tiket.services.mailer import DeliveryReport, Mailer
from tiket.services.ports import Clock, Metrics, TicketQueries
from tiket.services.unit_of_work import RoleCache, TicketUnitOfWork


@dataclass
class SweepReport:
    at: datetime
    due_tickets: int = 0
    breaches: int = 0
    escalations: int = 0
    reminders: int = 0
    closed: int = 0
    conflicts: int = 0
    figures_folded: int = 0  # fresh report counters folded into their months' totals
    # Personal data (PRODUCT.md §14): erasure requests escalated or carried out, tickets
    # erased by retention.
    privacy: dict[str, int] = field(default_factory=dict)
    mail: DeliveryReport = field(default_factory=DeliveryReport)
    duration_ms: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "due_tickets": self.due_tickets,
            "breaches": self.breaches,
            "escalations": self.escalations,
            "reminders": self.reminders,
            "closed": self.closed,
            "conflicts": self.conflicts,
            "figures_folded": self.figures_folded,
            **{f"privacy_{name}": n for name, n in self.privacy.items()},
            "emails_sent": self.mail.sent,
            "emails_retrying": self.mail.retrying,
            "emails_failed": self.mail.failed,
            "duration_ms": self.duration_ms,
        }


class SweepService:
    def __init__(
        self,
        uow: TicketUnitOfWork,
        queries: TicketQueries,
        mailer: Mailer,
        clock: Clock,
        calendar: WorkingCalendar,
        survey_policy: SurveyPolicy,
        step_clock: StepClock,
        metrics: Metrics,
        fold: Callable[[datetime], int] | None = None,
        privacy: Callable[[datetime], Any] | None = None,
    ):
        self.uow = uow
        self.queries = queries
        self.mailer = mailer
        self.clock = clock
        self.calendar = calendar
        self.survey_policy = survey_policy
        self.step_clock = step_clock
        self.metrics = metrics
        self.fold = fold  # report counters' upkeep (``ReportFigures.fold``)
        self.privacy = privacy  # erasure requests and retention (``ErasureService.sweep``)

    def run(self) -> SweepReport:
        started = time.monotonic()
        now = self.clock.now()
        report = SweepReport(at=now)
        numbers = self.queries.due(now)
        report.due_tickets = len(numbers)
        roles: RoleCache = {}  # escalation recipients, read once per run
        for number in numbers:
            try:
                self._one(number, now, report, roles)
            except WriteConflict:
                # The ticket changed under us; its new state carries its own due time.
                report.conflicts += 1
        if self.privacy is not None:
            report.privacy = vars(self.privacy(now))
        report.mail = self.mailer.send_due()
        if self.fold is not None:
            report.figures_folded = self.fold(now)
        report.duration_ms = int((time.monotonic() - started) * 1000)
        log_event("sweep", action="sweep", **report.as_json())
        return report

    def _one(self, number: str, now: datetime, report: SweepReport, roles: RoleCache) -> None:
        ticket = self.uow.load(number)
        for record in unrecorded_breaches(ticket, now):
            ticket = self.uow.commit(ticket, record_breach(ticket, record, now), roles=roles).ticket
            report.breaches += 1
            self.metrics.count("Breaches", step=record.step)
            log_event(
                "breach recorded",
                logging.WARNING,
                ticket=number,
                action="breach",
                step=record.step,
            )
        for record, level in due_escalations(ticket, now, self.calendar):
            outcome = escalate(ticket, record, level, now)
            ticket = self.uow.commit(ticket, outcome, roles=roles).ticket
            report.escalations += 1
            self.metrics.count("Escalations", step=record.step, level=level)
            log_event(
                "escalated",
                logging.WARNING,
                ticket=number,
                action="escalate",
                step=record.step,
                ladder_level=level,
            )
        times = survey_times(ticket, self.calendar, self.survey_policy)
        if times is None:
            return
        reminder_at, close_at = times
        if now >= close_at:
            self._auto_close(ticket, now)
            report.closed += 1
        elif now >= reminder_at and ticket.survey_reminded_at is None:
            self.uow.commit(ticket, remind_survey(ticket, now, close_at))
            report.reminders += 1

    def _auto_close(self, ticket: Ticket, now: datetime) -> None:
        days = self.survey_policy.close_working_days
        outcome = lifecycle.apply(
            ticket, Action.AUTO_CLOSE, Actor.system(), {"days": days}, now, self.step_clock
        )
        self.uow.commit(ticket, outcome)
        log_event("ticket auto-closed", ticket=ticket.number, action="auto_close")
