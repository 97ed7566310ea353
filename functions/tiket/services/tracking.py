"""The requester's side after filing: the tracking page and the SKM survey (SOP step 7)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiket.adapters.observability import log_event
from tiket.adapters.store import Change
from tiket.domain import lifecycle
from tiket.domain.deadlines import next_check, survey_times
from tiket.domain.errors import Conflict, NotFound, WriteConflict
from tiket.domain.model import Actor, Survey, Ticket
from tiket.messages import Msg
from tiket.services.validation import SurveyForm, parse
from tiket.services.views import (
    history_json,
    iso,
    steps_json,
    ticket_detail,
    ticket_summary,
)

if TYPE_CHECKING:
    from tiket.services.context import Services

MAX_TOKEN_LENGTH = 128


class TrackingService:
    def __init__(self, services: Services):
        self.s = services

    def _ticket(self, token: str) -> Ticket:
        # Every unknown token, however malformed, answers the same 404.
        if not token or len(token) > MAX_TOKEN_LENGTH:
            raise NotFound(Msg("error.track_not_found"))
        ticket = self.s.store.ticket_by_track_token(token)
        if ticket is None:
            raise NotFound(Msg("error.track_not_found"))
        return ticket

    def view(self, token: str, lang: str = "id") -> dict[str, Any]:
        ticket = self._ticket(token)
        now = self.s.now()
        zone = self.s.calendar.zone
        times = survey_times(ticket, self.s.calendar, self.s.survey_policy)
        return {
            **ticket_summary(ticket, zone, lang),
            **ticket_detail(ticket, zone, staff=False),
            "steps": steps_json(ticket, now, self.s.calendar, lang),
            "history": history_json(self.s.store.history(ticket.number), zone, lang, staff=False),
            "survey": {
                "open": ticket.status == "resolved" and ticket.survey is None,
                "submitted": ticket.survey is not None,
                "closes_at": iso(times[1], zone) if times else None,
            },
        }

    def submit_survey(self, token: str, body: Any) -> Ticket:
        ticket = self._ticket(token)
        form = parse(SurveyForm, body)
        if ticket.survey is not None:
            raise Conflict(Msg("survey.already"), current_status=ticket.status)
        if ticket.status != "resolved":
            raise Conflict(Msg("survey.not_open"), current_status=ticket.status)
        now = self.s.now()
        r = ticket.requester
        survey = Survey(
            answers=form.answers.model_dump(), suggestion=form.suggestion or "", submitted_at=now
        )
        outcome = lifecycle.apply(
            ticket,
            "survey",
            Actor(email=r.email, name=r.name, role="requester"),
            {"survey": survey},
            now,
            self.s.step_clock,
        )
        change = Change(
            ticket=outcome.ticket,
            expected_version=ticket.version,
            next_check=next_check(outcome.ticket, self.s.calendar, self.s.survey_policy),
            at=now,
            history=outcome.history,
        )
        try:
            self.s.store.commit(change)
        except WriteConflict:
            fresh = self.s.store.get_ticket(ticket.number) or ticket
            key = "survey.already" if fresh.survey is not None else "survey.not_open"
            raise Conflict(Msg(key), current_status=fresh.status) from None
        self.s.metrics.count("SurveysSubmitted")
        log_event("survey submitted", ticket=ticket.number, action="survey")
        return outcome.ticket
