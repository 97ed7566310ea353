"""The staff workflow API (PRODUCT.md §12): acting from the staff ticket page and searching
every ticket, open or closed. Acting is same-origin only (``security.same_origin``, on top
of the SameSite session cookie) and checks the session and role like every staff route."""

from __future__ import annotations

from flask import Blueprint, g, request

from tiket.domain.vocabulary import STAFF_ROLES
from tiket.messages import STATUS, label, t
from tiket.services.search import parse_query
from tiket.services.workflow import StaffActed
from tiket.web.errors import json_response
from tiket.web.http import json_body, lang, services
from tiket.web.security import same_origin
from tiket.web.staff import signed_in

bp = Blueprint("workflow", __name__, url_prefix="/api/staff")


@bp.post("/tickets/<number>/actions/<action>")
@same_origin
@signed_in(*STAFF_ROLES)
def act(number: str, action: str):
    """``action`` on ticket ``number`` with the fields of the email link's form and the
    ``version`` the page was showing."""
    g.ticket, g.action = number, action
    done = services().workflow.act(number, g.staff, action, json_body())
    language = lang()
    body: StaffActed = {
        "ok": True,
        "action": done.action,
        "message": t("action.done", language, status=label(STATUS, done.ticket.status, language)),
        "ticket": services().workflow.page(done.ticket, g.staff, language),
    }
    return json_response(body, 200)


@bp.get("/tickets")
@signed_in(*STAFF_ROLES)
def search():
    """Every ticket, open or closed: ``q`` (a number, or words), ``requester``, ``status``
    (``open``, ``done`` or a status code) and the period ``from``/``to``."""
    query = parse_query(
        {name: request.args.get(name) for name in ("q", "requester", "status", "from", "to")}
    )
    return json_response(services().search.find(query, lang(), g.staff.role), 200)
