"""Reports for signed-in staff (PRODUCT.md §6, §13): the figures as JSON, the files and the
charts of a period given as ``?period=2026-11|2026-Q4|2026-S2|2026`` or ``?from=&to=``, and
export jobs for long lists."""

from __future__ import annotations

from flask import Blueprint, current_app, g, request

from tiket.domain.errors import ValidationFailed
from tiket.domain.text import Msg
from tiket.services.access_log import EXPORT_ENTRY
from tiket.services.reports import Period
from tiket.web.errors import json_response
from tiket.web.http import attachment, json_body, lang, services
from tiket.web.staff import REPORT_ROLES, signed_in

bp = Blueprint("reports", __name__, url_prefix="/api/reports")

# The chart is a standalone document: its inline style may apply, nothing else may load.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def _period() -> Period:
    args = request.args
    return services().reports.period(args.get("period"), args.get("from"), args.get("to"))


@bp.get("/summary")
@signed_in(*REPORT_ROLES)
def summary():
    return json_response(services().reports.summary(_period(), lang()), 200)


@bp.get("/<any(tickets, skm, monitoring):name>.<any(csv, xlsx):fmt>")
@signed_in(*REPORT_ROLES)
def download(name: str, fmt: str):
    period = _period()
    file = services().reports.download(name, fmt, period, lang())
    if name == "tickets":  # a list of requesters' names: one access-log entry per export
        services().access.record(g.staff, [f"{EXPORT_ENTRY} {period.key}"], "export")
    return attachment(file.body, file.mimetype, file.filename)


@bp.get("/charts/<name>.svg")
@signed_in(*REPORT_ROLES)
def chart(name: str):
    size = request.args.get("size")
    if size not in (None, "narrow"):
        raise ValidationFailed({"size": Msg("field.choice", {"choices": "narrow"})})
    narrow = size == "narrow"
    file = services().reports.chart(name, _period(), lang(), narrow)
    response = current_app.response_class(file.body, status=200, content_type=file.mimetype)
    response.headers["Content-Security-Policy"] = SVG_CSP
    return response


@bp.post("/exports")
@signed_in(*REPORT_ROLES)
def start_export():
    started = services().exports.start(g.staff, json_body(), lang())
    services().access.record(g.staff, [f"{EXPORT_ENTRY} {started['id']}"], "export")
    return json_response(started, 202)


@bp.get("/exports/<job_id>")
@signed_in(*REPORT_ROLES)
def export_status(job_id: str):
    response = json_response(services().exports.status(g.staff, job_id, lang()), 200)
    response.headers["Cache-Control"] = "no-store"  # a signed link inside
    return response
