"""The Flask application factory: one app for the API, the action pages and the staff API;
local-only routes are registered only when the settings allow it (never in production)."""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime, timedelta, tzinfo
from functools import partial

from flask import Flask, g, request

from tiket import config, messages
from tiket.adapters import observability
from tiket.adapters.observability import configure_logging
from tiket.log import log_event
from tiket.services.action_forms import ACTION_FORMS
from tiket.services.bootstrap import Services, build_services
from tiket.services.contact import contact_links
from tiket.web import errors, security
from tiket.web.http import refuse_unknown_language

SESSION_PURPOSE = "tiket.session"
# Logged routes name their parameters only (``<track:token>`` is logged ``<token>``): the
# runbook's queries and dashboards match on them.
ROUTE_CONVERTER = re.compile(r"<\w+:(\w+)>")


def create_app(settings: config.Settings | None = None, services: Services | None = None) -> Flask:
    settings = settings or (services.settings if services else config.from_env())
    services = services or build_services(settings)
    configure_logging()

    app = Flask(__name__)
    # The session cookie has its own derived key (never a link's), newest last for Flask.
    keys = list(reversed(services.signer.keys_for(SESSION_PURPOSE)))
    app.config.update(
        SECRET_KEY=keys[-1],
        SECRET_KEY_FALLBACKS=keys[:-1],
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        SESSION_COOKIE_NAME="tiket_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        # The cookie is re-signed only when the session changes (signing in, the idle timer
        # moving): its lifetime is decided on the server (services.auth), never by the cookie.
        SESSION_REFRESH_EACH_REQUEST=False,
        JSON_SORT_KEYS=False,
    )
    app.extensions["tiket"] = services

    from tiket.web.actions import bp as actions_bp
    from tiket.web.api import bp as api_bp
    from tiket.web.assets import bp as assets_bp
    from tiket.web.conversation import bp as conversation_bp
    from tiket.web.files import bp as files_bp
    from tiket.web.openapi import bp as openapi_bp
    from tiket.web.privacy import bp as privacy_bp
    from tiket.web.reports import bp as reports_bp
    from tiket.web.staff import bp as staff_bp
    from tiket.web.workflow import bp as workflow_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(files_bp)
    app.register_blueprint(openapi_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(workflow_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(conversation_bp)
    app.register_blueprint(assets_bp)
    app.register_blueprint(privacy_bp)
    if settings.dev_routes and not settings.production:
        from tiket.web.dev import bp as dev_bp

        app.register_blueprint(dev_bp)

    app.jinja_env.globals.update(
        t=messages.t,
        label=messages.label,
        format_datetime=partial(_local_time, zone=services.calendar.zone),
        format_minutes=messages.format_minutes,
        format_number=messages.format_number,
        CATALOGUE=messages.CATALOGUE,
        STATUS=messages.STATUS,
        ACTIONS=messages.ACTIONS,
        STEPS=messages.STEPS,
        ROLES=messages.ROLES,
        CATEGORIES=messages.CATEGORIES,
        public_url=services.links.base,
        unit_name=settings.unit_name,
        links=services.links,
        fields_of=lambda action: ACTION_FORMS[action].field_names(),
        max_estimate=settings.standards.handle_cap,
        standard_minutes=settings.standards.minutes,
        workflow=services.workflow,
        contact_links=contact_links,
    )

    # The first request hook: an answer given by a later one (a refused CORS preflight,
    # an oversized body) still carries and logs its request id.
    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        context = request.environ.get("lambda.context")
        g.request_id = getattr(context, "aws_request_id", None) or uuid.uuid4().hex
        observability.request_id.set(g.request_id)

    errors.register(app)
    security.register(app, settings, services.attachments.origin)
    app.before_request(refuse_unknown_language)

    @app.after_request
    def _log(response):
        # One line per request; the route pattern, never the URL (it may hold a token).
        rule = (
            ROUTE_CONVERTER.sub(r"<\1>", request.url_rule.rule)
            if request.url_rule
            else "<unmatched>"
        )
        log_event(
            "request",
            method=request.method,
            route=rule,
            status=response.status_code,
            latency_ms=round(
                (time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1
            ),
            ticket=g.get("ticket"),
            action=g.get("action"),
        )
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response

    @app.teardown_request
    def _forget(_error=None) -> None:
        observability.request_id.set(None)

    return app


def _local_time(instant: datetime, lang: str = "id", *, zone: tzinfo) -> str:
    return messages.format_datetime(instant, zone, lang)
