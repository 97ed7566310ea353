"""Local-stack-only routes: the outbox viewer, the sweep at a chosen time, a reply by email
delivered by hand, and site/ served beside the API (production serves site/ from
S3/CloudFront). Never registered in production."""

from __future__ import annotations

import dataclasses
import gzip
import re
import threading
from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    render_template,
    request,
    send_from_directory,
)
from werkzeug.routing import PathConverter

from tiket.adapters.clock import FixedClock
from tiket.domain.errors import BadRequest
from tiket.domain.text import Msg
from tiket.local_moto import FAULTS
from tiket.web.errors import json_response
from tiket.web.http import UnsupportedMediaType, json_body, lang, services, wants_json

bp = Blueprint("dev", __name__)
LINK = re.compile(r"https?://[^\s<>\"]+")
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
}


def _outbox() -> Path:
    directory = services().settings.outbox_dir
    if directory is None:
        abort(404)
    return directory


def _read(path: Path) -> dict:
    message = BytesParser(policy=policy.default).parse(path.open("rb"))
    text = message.get_body(preferencelist=("plain",))
    body = text.get_content() if text else ""
    return {
        "name": path.name,
        "date": message["Date"],
        "to": message["To"],
        "subject": message["Subject"],
        "ticket": message["X-TIKet-Ticket"],
        "links": LINK.findall(body),
        "text": body,
    }


@bp.get("/_dev/mail")
def mail_list():
    files = sorted(_outbox().glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)
    mails = [_read(path) for path in files[:200]]
    if wants_json() or request.args.get("format") == "json":
        return json_response({"mails": mails}, 200)
    return render_template("dev_mail.html", mails=mails, lang=lang())


@bp.get("/_dev/mail/<name>")
def mail_html(name: str):
    path = _outbox() / name
    if "/" in name or not name.endswith(".eml") or not path.is_file():
        abort(404)
    message = BytesParser(policy=policy.default).parse(path.open("rb"))
    html = message.get_body(preferencelist=("html",))
    response = current_app.response_class(html.get_content() if html else "", mimetype="text/html")
    # Email HTML carries inline styles by necessity; it runs no script.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
    )
    return response


# One sweep or mail run at a time in the local stack: a sweep at a chosen time (``?at=``,
# hours ahead) met by the timers' real-time runs would find their fresh emails and leases
# expired by its clock and send them a second time. (In production every sweep reads one
# clock.)
SWEEPING = threading.Lock()


@bp.post("/_dev/sweep")
def sweep_at():
    s = services()
    at = request.args.get("at")
    clock = s.clock
    if at:
        try:
            instant = datetime.fromisoformat(at)
        except ValueError:
            raise BadRequest(Msg("error.invalid_time")) from None
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=s.calendar.zone)
        clock = FixedClock(instant)
    with SWEEPING:
        report = dataclasses.replace(s, clock=clock).sweep.run()
    return json_response(report.as_json(), 200)


@bp.post("/_dev/faults")
def faults():
    """Outages on demand (``bench/load``): ``{"ses_down": bool, "write_throttle": 0..1}``;
    answers the settings and what was injected so far."""
    body = json_body()
    if isinstance(body, dict):
        if isinstance(body.get("ses_down"), bool):
            FAULTS.ses_down = body["ses_down"]
        share = body.get("write_throttle")
        if isinstance(share, int | float) and 0 <= share <= 1:
            FAULTS.write_throttle = float(share)
    state = {"ses_down": FAULTS.ses_down, "write_throttle": FAULTS.write_throttle}
    return json_response({**state, "injected": dict(FAULTS.injected)}, 200)


class SitePath(PathConverter):
    """A path of the static site, never the API's or the action pages' (so that a method
    those routes do not take is a 405 naming their own methods only)."""

    regex = r"(?!api/|actions/)[^/].*?"


@bp.record_once
def _site_paths(state) -> None:
    state.app.url_map.converters["site"] = SitePath


@bp.post("/_dev/inbound")
def inbound():
    """A raw RFC 5322 reply, as the local inbox (``var/inbox/``) would take it: no receiving
    server checked it. The body cap of every route applies; bigger mail goes in the inbox."""
    if request.mimetype != "message/rfc822":
        raise UnsupportedMediaType(Msg("inbound.media_type"))
    result = services().inbound.receive(request.get_data(), receipt=None)
    body = {"posted": result.posted, "reason": result.reason, "ticket": result.ticket}
    return json_response(body, 202)


@bp.get("/", defaults={"path": "index.html"})
@bp.get("/<site:path>")
def site(path: str):
    directory = services().settings.site_dir
    if directory is None:
        abort(404)
    if path.endswith("/"):
        path += "index.html"
    response = send_from_directory(directory, path, max_age=0)
    # CloudFront compresses the site in production (Compress: true); so does the local stack,
    # so that what is measured here is what users get.
    accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    if accepts_gzip and response.status_code == 200 and response.mimetype in COMPRESSIBLE:
        response.direct_passthrough = False
        response.set_data(gzip.compress(response.get_data(), mtime=0))
        response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
    return response
