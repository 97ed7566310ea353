"""The requester's side after filing: the tracking page and the SKM survey (SOP step 7)."""

from __future__ import annotations

from typing import Any

from tiket.domain import lifecycle
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.deadlines import SurveyPolicy, survey_times
from tiket.domain.errors import Conflict, NotFound, WriteConflict
from tiket.domain.model import Actor, Survey, Ticket
from tiket.domain.standards import StepClock
from tiket.domain.text import Msg
from tiket.domain.vocabulary import Action, Role, Status
from tiket.log import log_event
from tiket.services.attachments import AttachmentService
from tiket.services.forms import SurveyForm, parse
from tiket.services.ports import Clock, Metrics, TicketStore
from tiket.services.unit_of_work import TicketUnitOfWork
from tiket.services.views import (
    TrackingView,
    handling_due,
    history_json,
    iso,
    messages_json,
    steps_json,
    ticket_detail,
    ticket_summary,
)

MAX_TOKEN_LENGTH = 128


def ticket_by_token(tickets: TicketStore, token: str) -> Ticket:
    """The ticket of a tracking token. Every unknown token, however malformed, answers the
    same 404."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound(Msg("error.track_not_found"))
    ticket = tickets.by_track_token(token)
    if ticket is None:
        raise NotFound(Msg("error.track_not_found"))
    return ticket


class TrackingService:
    def __init__(
        self,
        uow: TicketUnitOfWork,
        tickets: TicketStore,
        clock: Clock,
        calendar: WorkingCalendar,
        survey_policy: SurveyPolicy,
        step_clock: StepClock,
        metrics: Metrics,
        files: AttachmentService,
    ):
        self.uow = uow
        self.tickets = tickets
        self.clock = clock
        self.calendar = calendar
        self.survey_policy = survey_policy
        self.step_clock = step_clock
        self.metrics = metrics
        self.files = files

    def _ticket(self, token: str) -> Ticket:
        return ticket_by_token(self.tickets, token)

    def view(self, token: str, lang: str = "id") -> TrackingView:
        ticket = self._ticket(token)
        now = self.clock.now()
        zone = self.calendar.zone
        times = survey_times(ticket, self.calendar, self.survey_policy)
        history = self.tickets.history(ticket.number)
        messages = self.tickets.messages(ticket.number)
        return {
            **ticket_summary(ticket, zone, lang),
            **ticket_detail(ticket, zone),
            "steps": steps_json(ticket, now, self.calendar, lang),
            "history": history_json(history, zone, lang, staff=False),
            "undelivered": ticket.undelivered_at is not None,
            "survey": {
                "open": ticket.status == Status.RESOLVED and ticket.survey is None,
                "submitted": ticket.survey is not None,
                "closes_at": iso(times[1], zone) if times else None,
            },
            "messages": messages_json(
                messages, zone, lang, staff=False, files=self.files.by_message(ticket)
            ),
            "reopen": {
                "open": ticket.status == Status.RESOLVED and ticket.survey is None,
                "until": iso(times[1], zone) if times else None,
            },
            "handling_due_at": iso(handling_due(ticket), zone),
            "attachments": self.files.views(ticket),
        }

    def submit_survey(self, token: str, body: Any) -> Ticket:
        ticket = self._ticket(token)
        form = parse(SurveyForm, body)
        if ticket.survey is not None:
            raise Conflict(Msg("survey.already"), current_status=ticket.status)
        if ticket.status != Status.RESOLVED:
            raise Conflict(Msg("survey.not_open"), current_status=ticket.status)
        now = self.clock.now()
        r = ticket.requester
        survey = Survey(
            answers=form.answers.model_dump(), suggestion=form.suggestion or "", submitted_at=now
        )
        outcome = lifecycle.apply(
            ticket,
            Action.SURVEY,
            Actor(email=r.email, name=r.name, role=Role.REQUESTER),
            {"survey": survey},
            now,
            self.step_clock,
        )
        try:
            committed = self.uow.commit(ticket, outcome)
        except WriteConflict:
            fresh = self.tickets.get(ticket.number) or ticket
            key = "survey.already" if fresh.survey is not None else "survey.not_open"
            raise Conflict(Msg(key), current_status=fresh.status) from None
        self.metrics.count("SurveysSubmitted")
        log_event("survey submitted", ticket=ticket.number, action="survey")
        return committed.ticket
