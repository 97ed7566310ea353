"""Building blocks of the OpenAPI document: references, operations, answers, parameters."""

from __future__ import annotations

from typing import Any

from tiket.services.tracking import MAX_TOKEN_LENGTH

JSON = "application/json"
HTML = "text/html"
FORM = "application/x-www-form-urlencoded"
Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


STRING = {"type": "string"}


ERROR_TEXT = {
    400: "Not valid: an unknown `lang`, a body that is not JSON, or wrong fields "
    "(`fields` says which)",
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
# Every operation may answer these: an unknown ``lang`` (400), an outage (503), a bug (500).
ALWAYS = (400, 500, 503)


def _content(schema: Schema, page: bool) -> dict:
    content = {JSON: {"schema": schema}}
    if page:
        # The pages behind email links answer HTML unless asked for JSON.
        content[HTML] = {"schema": STRING}
    return content


def _error(status: int, page: bool) -> dict:
    response: dict[str, Any] = {
        "description": ERROR_TEXT[status],
        "content": _content(ref("ErrorBody"), page),
    }
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def ok(description: str, schema: Schema | None, page: bool = False) -> dict:
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
    "message": {
        "operationId": "postMessage",
        "parameters": {"token": FROM_FILED},
        "description": "Write to the staff about the ticket",
    },
}
