"""Public JSON API (PRODUCT.md §7): health, options, filing a request, tracking, survey."""

from __future__ import annotations

from flask import Blueprint, g
from werkzeug.routing import BaseConverter

from tiket.domain.standards import TimeStandards
from tiket.domain.vocabulary import STEP_ORDER, Status, Step
from tiket.messages import CATEGORIES, SKM_QUESTIONS, SKM_UNSUR, STATUS, STEPS, label
from tiket.services.forms import LIMITS
from tiket.web.errors import json_response
from tiket.web.http import client, idempotency_key, json_body, lang, services
from tiket.web.schemas import Options, StandardView, SurveyDone

bp = Blueprint("api", __name__, url_prefix="/api")


class TrackToken(BaseConverter):
    """A tracking token, never ``lookup`` (``POST /api/track/lookup`` is its own resource:
    its 405 and OPTIONS name its methods only)."""

    regex = r"(?!lookup$)[^/]+"


@bp.record_once
def _track_tokens(state) -> None:
    state.app.url_map.converters["track"] = TrackToken


@bp.get("/health")
def health():
    return {"status": "ok"}


@bp.get("/options")
def options():
    s = services()
    language = lang()
    settings = s.settings
    standards = settings.standards
    body: Options = {
        "unit_name": settings.unit_name,
        "categories": [
            {"code": code, "label": label(CATEGORIES, code, language)}
            for code in settings.categories
        ],
        "standards": [_standard(step, standards, language) for step in STEP_ORDER],
        "steps": list(STEP_ORDER),
        "statuses": [{"code": code, "label": label(STATUS, code, language)} for code in Status],
        "office_hours": [
            {"weekday": day, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
            for day, (start, end) in sorted(settings.office_hours.items())
        ],
        "timezone": settings.timezone,
        "skm": [
            {
                "code": code,
                "name": name,
                "question": SKM_QUESTIONS[code],
                "labels": list(labels),
            }
            for code, (name, labels) in SKM_UNSUR.items()
        ],
        "limits": LIMITS,
        "attachments": s.attachments.rules(),
    }
    response = json_response(body, 200)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _standard(step: Step, standards: TimeStandards, language: str) -> StandardView:
    view: StandardView = {"step": step, "label": label(STEPS, step, language), "minutes": None}
    if step == Step.HANDLE:  # no fixed standard: the estimate given, up to a cap
        view["max_minutes"] = standards.handle_cap
    else:
        view["minutes"] = standards.minutes(step)
    return view


@bp.post("/tickets")
def file_ticket():
    s = services()
    body = json_body()
    s.rate_limiter.check("tickets", client())
    filed = s.intake.file(body, idempotency_key())
    g.ticket = filed.number
    return json_response(filed.as_json(), 201 if filed.created else 200)


@bp.get("/track/<track:token>")
def track(token: str):
    view = services().tracking.view(token, lang())
    g.ticket = view["number"]
    return json_response(view, 200)


@bp.post("/track/<token>/survey")
def survey(token: str):
    ticket = services().tracking.submit_survey(token, json_body())
    g.ticket = ticket.number
    done: SurveyDone = {"number": ticket.number, "status": ticket.status}
    return json_response(done, 201)
