"""Devices (PRODUCT.md §15) over HTTP.

Public, for the request form (what a label shows, never who holds the device):
``GET /api/assets/<tag>``, ``GET /api/assets/locations``, ``GET /api/assets?location=&q=``.

Staff: ``POST /api/staff/assets/import`` (admin; a multipart upload of the BMN list, at most
``IMPORT_MAX_BYTES``), ``GET /api/staff/assets/labels.pdf?location=`` (admin, tik), the
device of a ticket ``GET /api/staff/tickets/<number>/device``, and the devices that fail
most ``GET /api/reports/devices?period=``.
"""

from __future__ import annotations

from typing import BinaryIO, cast

from flask import Blueprint, g, request

from tiket.domain.errors import BadRequest, Forbidden
from tiket.domain.text import Msg
from tiket.domain.vocabulary import STAFF_ROLES, Role
from tiket.services.asset_views import (
    DeviceList,
    LocationList,
    device_view,
    failures_view,
    history_view,
    import_view,
    location_view,
)
from tiket.services.reports import parse_period
from tiket.web.errors import json_response
from tiket.web.http import UnsupportedMediaType, attachment, client, lang, services
from tiket.web.security import accepts_body, origin_of
from tiket.web.staff import REPORT_ROLES, signed_in

bp = Blueprint("assets", __name__, url_prefix="/api")

# API Gateway takes bodies up to 10 MB, but a Lambda invocation carries at most 6 MB and the
# body travels in it base64-encoded (binary support): 4 MB of file is what always gets
# through. A unit's whole list is far smaller (20,000 rows: 1.7 MB as CSV, 0.6 MB as XLSX);
# anything bigger goes through the CLI, ``tiket assets import FILE``.
IMPORT_MAX_BYTES = 4 * 1024 * 1024
LABEL_ROLES = (Role.ADMIN, Role.TIK)
TRUE = ("1", "true", "on", "yes")


def _public() -> None:
    services().rate_limiter.check("assets", client())


def _same_origin() -> None:
    """Staff POSTs are same-origin only (PRODUCT.md §12): a multipart body is one a foreign
    page's form could send, so an ``Origin`` (or, without it, ``Referer``) other than the
    site's own is refused. Clients that send neither (the CLI, scripts) are not browsers."""
    given = request.headers.get("Origin") or request.headers.get("Referer")
    own = origin_of(services().settings.public_url)
    if given is not None and origin_of(given) != own:
        raise Forbidden(Msg("error.origin"))


# --- public ---------------------------------------------------------------------------------


@bp.get("/assets/locations")
def locations():
    _public()
    language = lang()
    body: LocationList = {
        "locations": [location_view(loc, language) for loc in services().assets.locations()]
    }
    return json_response(body, 200)


@bp.get("/assets")
def search():
    _public()
    args = request.args
    found = services().assets.search(args.get("location"), args.get("q"))
    language = lang()
    body: DeviceList = {
        "devices": [device_view(device, language) for device in found],
        "count": len(found),
    }
    return json_response(body, 200)


@bp.get("/assets/<tag>")
def device(tag: str):
    _public()
    return json_response(device_view(services().assets.lookup(tag), lang()), 200)


# --- staff ------------------------------------------------------------------------------------


@bp.post("/staff/assets/import")
@accepts_body(IMPORT_MAX_BYTES)
@signed_in(Role.ADMIN)
def import_assets():
    _same_origin()
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(Msg("assets.import.not_multipart"))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest(Msg("assets.import.no_file"))
    form = request.form
    result = services().assets.import_file(
        cast(BinaryIO, upload.stream),
        skip_refused=form.get("skip_refused", "").lower() in TRUE,
        keep_absent=form.get("keep_absent", "").lower() in TRUE,
        dry_run=form.get("mode") == "check",
    )
    body = import_view(result, lang())
    if result.plan is None:  # the file's contents: nothing could be imported
        return json_response({"error": "import_refused", **body}, 422)
    return json_response(body, 200)


@bp.get("/staff/assets/labels.pdf")
@signed_in(*LABEL_ROLES)
def labels():
    args = request.args
    sheet = services().assets.labels(
        args.get("location", ""), args.get("layout"), args.get("skip", "0")
    )
    return attachment(sheet.body, "application/pdf", sheet.filename)


@bp.get("/staff/tickets/<number>/device")
@signed_in(*STAFF_ROLES)
def ticket_device(number: str):
    s = services()
    ticket = s.desk.ticket(number, g.staff)
    g.ticket = ticket.number
    return json_response(history_view(s.devices.of_ticket(ticket), s.calendar.zone, lang()), 200)


@bp.get("/reports/devices")
@signed_in(*REPORT_ROLES)
def failing_devices():
    s = services()
    args = request.args
    today = s.clock.now().astimezone(s.calendar.zone).date()
    period = parse_period(args.get("period"), args.get("from"), args.get("to"), today)
    report = s.devices.failures(period)
    return json_response(failures_view(report, s.calendar.zone, lang()), 200)
