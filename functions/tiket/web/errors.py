"""Every error becomes a clear answer: JSON ``{"error","message","fields"}`` for the API
(and for ``Accept: application/json``), an Indonesian page for the action links. Never a
stack trace: an unexpected error answers a generic message with the request id."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, g, make_response, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from tiket.adapters.observability import where
from tiket.domain import errors as domain
from tiket.domain.errors import RateLimited, TiketError, Unavailable, ValidationFailed
from tiket.domain.text import Msg
from tiket.log import log_event
from tiket.messages import STATUS, label, render
from tiket.web.http import UnsupportedMediaType, lang, wants_json

# Each error of the product as an HTTP answer: status and the stable code clients read.
ANSWERS: dict[type[TiketError], tuple[int, str]] = {
    domain.ValidationFailed: (400, "validation"),
    domain.BadRequest: (400, "bad_request"),
    domain.Unauthenticated: (401, "unauthenticated"),
    domain.Forbidden: (403, "forbidden"),
    domain.NotFound: (404, "not_found"),
    domain.Conflict: (409, "conflict"),
    domain.Expired: (410, "expired"),
    UnsupportedMediaType: (415, "unsupported_media_type"),
    domain.IdempotencyMismatch: (422, "idempotency_mismatch"),
    domain.RateLimited: (429, "rate_limited"),
    domain.Unavailable: (503, "unavailable"),
}


def answer_of(error: TiketError) -> tuple[int, str]:
    for kind in type(error).__mro__:
        if kind in ANSWERS:
            return ANSWERS[kind]
    return 500, "internal"


HTTP_MESSAGES = {
    404: ("not_found", "error.not_found"),
    405: ("method_not_allowed", "error.method_not_allowed"),
    413: ("too_large", "error.too_large"),
    415: ("unsupported_media_type", "error.unsupported_media_type"),
}


def render_error(status: int, code: str, msg: Msg, fields=None, headers=None, **page):
    language = lang()
    message = render(msg, language)
    # A method no route takes gets JSON like the API: no page exists for it.
    if wants_json() or status == 405:
        body: dict[str, Any] = {"error": code, "message": message}
        if fields:
            body["fields"] = {name: render(m, language) for name, m in fields.items()}
        body.update(page)
        response = json_response(body, status)
    else:
        page_html = render_template(
            "error.html", status=status, code=code, message=message, lang=language, **page
        )
        response = make_response(page_html, status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def json_response(body: Mapping[str, Any], status: int) -> Response:
    return current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json"
    )


def register(app: Flask) -> None:
    @app.errorhandler(TiketError)
    def _tiket_error(error: TiketError):
        headers = {}
        if isinstance(error, RateLimited | Unavailable):
            headers["Retry-After"] = str(error.retry_after)
        fields = error.fields if isinstance(error, ValidationFailed) else None
        page = {}
        if "current_status" in error.details:
            current = error.details["current_status"]
            page = {"current_status": current, "status_label": label(STATUS, current, lang())}
        status, code = answer_of(error)
        return render_error(status, code, error.msg, fields, headers, **page)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        code, key = HTTP_MESSAGES.get(error.code or 500, ("bad_request", "error.bad_request"))
        # A 405 names the methods the path takes (RFC 9110), whatever the method was.
        allowed = getattr(error, "valid_methods", None)
        headers = {"Allow": ", ".join(sorted(allowed))} if allowed else None
        return render_error(error.code or 500, code, Msg(key), headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        request_id = g.get("request_id", "-")
        log_event(
            "unhandled error",
            logging.ERROR,
            route=request.url_rule.rule if request.url_rule else None,
            error=type(error).__name__,
            exception=where(error),
        )
        services = app.extensions["tiket"]
        services.metrics.count("Errors")
        return render_error(500, "internal", Msg("error.internal", {"request_id": request_id}))
