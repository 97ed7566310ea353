"""The HTTP contract of PRODUCT.md §7 as an OpenAPI 3.1 document, served at
``GET /api/openapi.json``.

Request bodies are the JSON Schemas of the pydantic models that validate them
(``services/validation.py``); answers are described here. ``tests/integration/test_openapi.py``
holds the document to the code: every registered route is in it, and schemathesis checks
that the app answers every operation as documented."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from tiket.config import Settings
from tiket.domain.lifecycle import STAFF_ACTIONS
from tiket.messages import LANGUAGES, REPORT_CHARTS, STATUS, STEPS
from tiket.services.action_forms import TEXT_LIMITS
from tiket.services.forms import SurveyForm, TicketForm
from tiket.services.tracking import MAX_TOKEN_LENGTH
from tiket.web.errors import json_response
from tiket.web.http import services

bp = Blueprint("openapi", __name__, url_prefix="/api")

JSON = "application/json"
HTML = "text/html"
FORM = "application/x-www-form-urlencoded"
Schema = dict[str, Any]


@bp.get("/openapi.json")
def document():
    response = json_response(build_document(services().settings), 200)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# --- schema helpers -----------------------------------------------------------------------


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(required: tuple[str, ...] | None = None, **properties: Schema) -> Schema:
    """An object with these properties, all required unless ``required`` says otherwise.
    More properties may come: clients ignore what they do not know."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
    }


def every(*schemas: Schema) -> Schema:
    return {"allOf": list(schemas)}


STRING = {"type": "string"}
TEXT = nullable(STRING)
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time"}
NUMBER_PATTERN = r"^TIK-[0-9]{4}-[0-9]{6}$"


def _schemas(settings: Settings) -> dict[str, Schema]:
    ticket_form = TicketForm.model_json_schema(ref_template="#/components/schemas/{model}")
    ticket_form["properties"]["category"]["enum"] = list(settings.categories)
    survey_form = SurveyForm.model_json_schema(ref_template="#/components/schemas/{model}")
    nested = survey_form.pop("$defs", {})
    status = {"type": "string", "enum": list(STATUS)}
    step = {"type": "string", "enum": list(STEPS)}
    return {
        **nested,
        "TicketForm": ticket_form,
        "SurveyForm": survey_form,
        "Error": obj(
            ("error", "message"),
            error={"type": "string", "description": "stable code for programs"},
            message={"type": "string", "description": "for people, in their language"},
            fields={
                "type": "object",
                "additionalProperties": STRING,
                "description": "validation only: a message per field",
            },
            current_status=status,
            status_label=STRING,
        ),
        "Filed": obj(
            number={"type": "string", "pattern": NUMBER_PATTERN},
            status=status,
            track_token=STRING,
            track_url={"type": "string", "format": "uri"},
        ),
        "Options": obj(
            unit_name=STRING,
            categories={"type": "array", "items": obj(code=STRING, label=STRING)},
            standards={
                "type": "array",
                "items": obj(
                    ("step", "minutes"),
                    step=step,
                    label=STRING,
                    minutes=nullable(NUMBER),
                    max_minutes={
                        "type": "integer",
                        "description": "handling: the cap of the estimate given at diagnosis",
                    },
                ),
            },
            steps={"type": "array", "items": step},
            statuses={"type": "array", "items": obj(code=status, label=STRING)},
            office_hours={
                "type": "array",
                "items": obj(weekday=INTEGER, start=STRING, end=STRING),
            },
            timezone=STRING,
            skm={
                "type": "array",
                "items": obj(
                    code=STRING,
                    name=STRING,
                    question=STRING,
                    labels={"type": "array", "items": STRING},
                ),
            },
            limits={"type": "object", "additionalProperties": INTEGER},
        ),
        "Step": obj(
            step=step,
            label=STRING,
            standard_minutes=NUMBER,
            started_at=nullable(TIME),
            due_at=nullable(TIME),
            done_at=nullable(TIME),
            on_hold=BOOLEAN,
            paused_minutes=NUMBER,
            elapsed_minutes=NUMBER,
            breached=BOOLEAN,
        ),
        "HistoryEntry": obj(
            ("at", "action", "to", "actor_name", "actor_role", "note"),
            at=TIME,
            action=STRING,
            action_label=STRING,
            **{"from": nullable(status), "to": status},
            from_label=TEXT,
            to_label=STRING,
            actor_name=STRING,
            actor_role=STRING,
            role_label=STRING,
            note=STRING,
            actor_email={"anyOf": [STRING, {"type": "null"}], "description": "staff views only"},
        ),
        "TicketSummary": obj(
            number={"type": "string", "pattern": NUMBER_PATTERN},
            status=status,
            status_label=STRING,
            subject=STRING,
            category=STRING,
            category_label=STRING,
            created_at=TIME,
            path=nullable({"type": "string", "enum": ["tik", "rt"]}),
            assignee_name=TEXT,
            repair_assignee_name=TEXT,
        ),
        "TicketDetail": obj(
            description=STRING,
            unit=STRING,
            location=STRING,
            requester_name=STRING,
            asset_tag=TEXT,
            diagnosis=TEXT,
            estimate_minutes=nullable(INTEGER),
            resolution=TEXT,
            hold_reason=TEXT,
            cancel_reason=TEXT,
            resolved_at=nullable(TIME),
            closed_at=nullable(TIME),
            version=INTEGER,
        ),
        "StaffDetail": obj(
            requester_email=STRING,
            requester_phone=TEXT,
            requester_nip=TEXT,
            assignee=TEXT,
            repair_assignee=TEXT,
            breaches={"type": "array", "items": step},
            survey=nullable(
                obj(
                    answers={"type": "object", "additionalProperties": INTEGER},
                    suggestion=STRING,
                    submitted_at=TIME,
                )
            ),
        ),
        "Tracking": every(
            ref("TicketSummary"),
            ref("TicketDetail"),
            obj(
                steps={"type": "array", "items": ref("Step")},
                history={"type": "array", "items": ref("HistoryEntry")},
                survey=obj(open=BOOLEAN, submitted=BOOLEAN, closes_at=nullable(TIME)),
            ),
        ),
        "StaffTicket": every(ref("TicketSummary"), ref("TicketDetail"), ref("StaffDetail")),
        "StaffTicketFull": every(
            ref("StaffTicket"),
            obj(
                steps={"type": "array", "items": ref("Step")},
                history={"type": "array", "items": ref("HistoryEntry")},
            ),
        ),
        "QueueRow": every(
            ref("TicketSummary"),
            obj(
                unit=STRING,
                location=STRING,
                holder=TEXT,
                holder_name=TEXT,
                late=BOOLEAN,
                current_step=nullable(ref("Step")),
                late_steps={"type": "array", "items": step},
            ),
        ),
        "Queue": obj(tickets={"type": "array", "items": ref("QueueRow")}, count=INTEGER),
        "SurveyDone": obj(number=STRING, status=status),
        "ActionForm": {
            "type": "object",
            "description": "The fields the link's action asks for (see the confirmation "
            "page's `fields`); the rest are ignored.",
            "properties": {
                "diagnosis": {"type": "string", "maxLength": TEXT_LIMITS["diagnosis"]},
                "decision": {"type": "string", "enum": ["handle", "refer"]},
                "estimate_minutes": {
                    "anyOf": [
                        {"type": "integer", "minimum": 1, "maximum": settings.standards.handle_cap},
                        {"type": "string", "pattern": "^[0-9]{1,9}$"},
                    ]
                },
                "resolution": {"type": "string", "maxLength": TEXT_LIMITS["resolution"]},
                "reason": {"type": "string", "maxLength": TEXT_LIMITS["reason"]},
            },
        },
        "ActionView": obj(
            action={"type": "string", "enum": list(STAFF_ACTIONS)},
            action_label=STRING,
            ticket=ref("StaffTicket"),
            fields={"type": "array", "items": STRING},
            recipient=obj(name=STRING, role=STRING),
            expires_at=TIME,
        ),
        "ActionDone": obj(
            ok={"const": True},
            ticket=ref("StaffTicket"),
            next={
                "type": "object",
                "additionalProperties": {"type": "string", "format": "uri"},
                "description": "fresh links for what the actor may do next, by action",
            },
        ),
        "Resent": obj(ok={"const": True}, sent_to=STRING),
        "LoginRequest": obj(email={"type": "string", "maxLength": 254}),
        "SigninRequest": obj(token=STRING),
        "Message": obj(message=STRING),
        "StaffMember": obj(
            email=STRING,
            name=STRING,
            role={"type": "string", "enum": ["tik", "rt", "supervisor", "admin"]},
            role_label=STRING,
        ),
    }


# --- responses ------------------------------------------------------------------------------

ERROR_TEXT = {
    400: "Not valid: the body is not JSON, or fields are wrong (`fields` says which)",
    401: "Not signed in",
    403: "Forged or foreign link, or a role without access",
    404: "Unknown (every unknown token answers the same)",
    405: "Method not allowed",
    409: "The ticket is not where this needs it (`current_status` says where)",
    410: "The link has expired",
    413: "The body is over the size cap",
    415: "The body is not application/json",
    422: "The Idempotency-Key was used for another body",
    429: "Too many requests from this address; wait `Retry-After` seconds",
    500: "Unexpected error: a generic message with the request id, never a stack trace",
    503: "A dependency is throttling; nothing was written; retry after `Retry-After` seconds",
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds to wait before trying again",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}
# Every answer the app gives may be one of these, whatever the operation.
ALWAYS = (500, 503)


def _content(schema: Schema, page: bool) -> dict:
    content = {JSON: {"schema": schema}}
    if page:
        # The pages behind email links answer HTML unless asked for JSON.
        content[HTML] = {"schema": STRING}
    return content


def _error(status: int, page: bool) -> dict:
    response: dict[str, Any] = {
        "description": ERROR_TEXT[status],
        "content": _content(ref("Error"), page),
    }
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def _ok(description: str, schema: Schema | None, page: bool = False) -> dict:
    response: dict[str, Any] = {"description": description}
    if schema is not None:
        response["content"] = _content(schema, page)
    return response


def operation(
    op_id: str,
    summary: str,
    ok: dict[int, dict],
    errors: tuple[int, ...] = (),
    *,
    page: bool = False,
    body: dict | None = None,
    parameters: list | None = None,
    signed_in: bool = False,
    tags: tuple[str, ...] = (),
) -> dict:
    statuses = sorted({*errors, *ALWAYS, *((401, 403) if signed_in else ())})
    spec: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "tags": list(tags),
        "parameters": [*(parameters or []), {"$ref": "#/components/parameters/lang"}],
        "responses": {
            **{str(code): response for code, response in ok.items()},
            **{str(code): _error(code, page) for code in statuses},
        },
    }
    if body is not None:
        spec["requestBody"] = body
    if signed_in:
        spec["security"] = [{"session": []}]
    for response in spec["responses"].values():
        response.setdefault("headers", {})["X-Request-Id"] = {
            "$ref": "#/components/headers/X-Request-Id"
        }
    return spec


def json_body(schema: Schema, *, form: bool = False) -> dict:
    content = {JSON: {"schema": schema}}
    if form:
        content[FORM] = {"schema": schema}
    return {"required": True, "content": content}


def path_param(name: str, schema: Schema, description: str, example: str | None = None) -> dict:
    param = {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema,
        "description": description,
    }
    if example is not None:
        param["example"] = example
    return param


TRACK_TOKEN = path_param(
    "token",
    {"type": "string", "minLength": 1, "maxLength": MAX_TOKEN_LENGTH},
    "The tracking token from the confirmation email (never the ticket number)",
)
ACTION_TOKEN = path_param(
    "token",
    {"type": "string", "minLength": 1},
    "The signed token of an email link: bound to ticket, action, recipient and version",
)
FROM_FILED = "$response.body#/track_token"
FILED_LINKS = {
    "track": {
        "operationId": "track",
        "parameters": {"token": FROM_FILED},
        "description": "Follow the ticket with its tracking token",
    },
    "survey": {
        "operationId": "submitSurvey",
        "parameters": {"token": FROM_FILED},
        "description": "The SKM survey, open once the ticket is resolved",
    },
}


def _paths(settings: Settings) -> dict[str, dict]:
    filed = _ok("The ticket, or the earlier one of this Idempotency-Key", ref("Filed"))
    filed["links"] = FILED_LINKS
    reports = ("reports",)
    period = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": STRING,
            "description": text,
        }
        for name, text in (
            ("period", "2026-11, 2026-Q4, 2026-S2 or 2026; the current month when absent"),
            ("from", "first day (YYYY-MM-DD), with `to` instead of `period`"),
            ("to", "last day (YYYY-MM-DD)"),
        )
    ]
    return {
        "/api/health": {
            "get": operation("health", "Liveness", {200: _ok("Up", obj(status={"const": "ok"}))})
        },
        "/api/openapi.json": {
            "get": operation(
                "openapi", "This document", {200: _ok("OpenAPI 3.1", {"type": "object"})}
            )
        },
        "/api/options": {
            "get": operation(
                "options",
                "What the request form needs: categories, standards, office hours, SKM",
                {200: _ok("Options", ref("Options"))},
            )
        },
        "/api/tickets": {
            "post": operation(
                "fileTicket",
                "File a request (SOP step 3)",
                {201: filed, 200: filed},
                (400, 413, 415, 422, 429),
                body=json_body(ref("TicketForm")),
                parameters=[
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 200},
                        "description": "Same key and body again: the same ticket, no second "
                        "email; same key, other body: 422",
                    }
                ],
                tags=("requester",),
            )
        },
        "/api/track/{token}": {
            "get": operation(
                "track",
                "The tracking page's data",
                {200: _ok("The ticket as its requester sees it", ref("Tracking"))},
                (404,),
                parameters=[TRACK_TOKEN],
                tags=("requester",),
            )
        },
        "/api/track/{token}/survey": {
            "post": operation(
                "submitSurvey",
                "Answer the SKM survey (once, when resolved)",
                {201: _ok("Recorded; the ticket is closed", ref("SurveyDone"))},
                (400, 404, 409, 413, 415),
                body=json_body(ref("SurveyForm")),
                parameters=[TRACK_TOKEN],
                tags=("requester",),
            )
        },
        "/actions/{token}": {
            "get": operation(
                "showAction",
                "What the email link will do; changes nothing (mail scanners open links)",
                {200: _ok("The confirmation page", ref("ActionView"), page=True)},
                (403, 404, 409, 410),
                page=True,
                parameters=[ACTION_TOKEN],
                tags=("staff links",),
            ),
            "post": operation(
                "performAction",
                "Do what the email link says, once",
                {200: _ok("Done", ref("ActionDone"), page=True)},
                (400, 403, 404, 409, 410, 413),
                page=True,
                body=json_body(ref("ActionForm"), form=True),
                parameters=[ACTION_TOKEN],
                tags=("staff links",),
            ),
        },
        "/actions/{token}/resend": {
            "post": operation(
                "resendAction",
                "Mail a fresh link for this one (expired or not) to its own recipient",
                {202: _ok("Sent", ref("Resent"), page=True)},
                (403, 404, 409, 413, 429),
                page=True,
                parameters=[ACTION_TOKEN],
                tags=("staff links",),
            )
        },
        "/api/auth/login": {
            "post": operation(
                "login",
                "Ask for a sign-in link; the same answer for every address",
                {202: _ok("A known staff address gets a link", ref("Message"))},
                (400, 413, 415, 429),
                body=json_body(ref("LoginRequest")),
                tags=("staff",),
            )
        },
        "/api/auth/signin": {
            "post": operation(
                "signin",
                "Sign in with the link's token; sets the session cookie",
                {200: _ok("Signed in", ref("StaffMember"))},
                (400, 403, 409, 410, 413, 415),
                body=json_body(ref("SigninRequest")),
                tags=("staff",),
            )
        },
        "/api/auth/logout": {
            "post": operation(
                "logout",
                "Sign out",
                {204: _ok("Signed out", None)},
                (400, 413, 415),
                body=json_body({"type": "object"}),
                tags=("staff",),
            )
        },
        "/api/auth/me": {
            "get": operation(
                "me",
                "Who is signed in",
                {200: _ok("The staff member", ref("StaffMember"))},
                signed_in=True,
                tags=("staff",),
            )
        },
        "/api/staff/queue": {
            "get": operation(
                "queue",
                "Open tickets by due time",
                {200: _ok("The queue", ref("Queue"))},
                signed_in=True,
                parameters=[
                    {"name": "status", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "assignee",
                        "in": "query",
                        "schema": {"type": "string"},
                        "description": "an email, `me` or `pool`",
                    },
                    {"name": "late", "in": "query", "schema": {"type": "string", "enum": ["1"]}},
                ],
                tags=("staff",),
            )
        },
        "/api/staff/tickets/{number}": {
            "get": operation(
                "staffTicket",
                "One ticket with its steps and history",
                {200: _ok("The ticket", ref("StaffTicketFull"))},
                (404,),
                signed_in=True,
                parameters=[
                    path_param("number", STRING, "The ticket number", example="TIK-2026-000001")
                ],
                tags=("staff",),
            )
        },
        "/api/reports/summary": {
            "get": operation(
                "reportSummary",
                "The figures of a period (PRODUCT.md §6)",
                {200: _ok("The figures", {"type": "object"})},
                (400,),
                signed_in=True,
                parameters=period,
                tags=reports,
            )
        },
        "/api/reports/{name}.{format}": {
            "get": operation(
                "reportFile",
                "A table of the period as CSV or XLSX (monitoring: XLSX only)",
                {
                    200: {
                        "description": "The file (formula-like cells neutralised)",
                        "content": {
                            "text/csv": {"schema": STRING},
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                "schema": STRING
                            },
                        },
                    }
                },
                (400, 404),
                signed_in=True,
                parameters=[
                    path_param(
                        "name",
                        {"type": "string", "enum": ["tickets", "skm", "monitoring"]},
                        "Which table",
                    ),
                    path_param("format", {"type": "string", "enum": ["csv", "xlsx"]}, "Format"),
                    *period,
                ],
                tags=reports,
            )
        },
        "/api/reports/charts/{name}.svg": {
            "get": operation(
                "reportChart",
                "A chart of the period",
                {200: {"description": "SVG", "content": {"image/svg+xml": {"schema": STRING}}}},
                (400, 404),
                signed_in=True,
                parameters=[
                    path_param("name", {"type": "string", "enum": list(REPORT_CHARTS)}, "Chart"),
                    *period,
                ],
                tags=reports,
            )
        },
    }


def build_document(settings: Settings) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "TIKet",
            "version": "1",
            "description": "ICT helpdesk API (PRODUCT.md §7). Errors are always "
            '`{"error", "message", "fields"}`; times are ISO 8601 with offset.',
        },
        "servers": [{"url": settings.public_url}],
        "paths": _paths(settings),
        "components": {
            "schemas": _schemas(settings),
            "parameters": {
                "lang": {
                    "name": "lang",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": list(LANGUAGES)},
                    "description": "Language of labels and messages (default Indonesian)",
                }
            },
            "headers": {
                "X-Request-Id": {
                    "description": "The id in the logs and in a 500's message",
                    "schema": STRING,
                }
            },
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "tiket_session"}
            },
        },
    }
