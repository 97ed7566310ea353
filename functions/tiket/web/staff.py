"""Staff sign-in and the staff API (queue, ticket detail). Every route here checks the
session and the role: 401 without a session, 403 for a role without access."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, g, request, session

from tiket.domain.errors import Forbidden, NotFound, Unauthenticated
from tiket.domain.model import Staff
from tiket.messages import ROLES, Msg, label, t
from tiket.services.views import history_json, steps_json, ticket_detail, ticket_summary
from tiket.web.errors import json_response
from tiket.web.http import client, json_body, lang, services

bp = Blueprint("staff", __name__, url_prefix="/api")

STAFF_ROLES = ("tik", "rt", "supervisor", "admin")
REPORT_ROLES = ("tik", "supervisor", "admin")


def signed_in(*roles: str) -> Callable:
    """Route decorator: the signed-in, still-active staff member lands in ``g.staff``."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            staff = services().auth.current(session.get("email"))
            if staff is None:
                raise Unauthenticated(Msg("error.unauthenticated"))
            if staff.role not in roles:
                raise Forbidden(Msg("error.forbidden_role"))
            g.staff = staff
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _staff_json(staff: Staff) -> dict:
    return {
        "email": staff.email,
        "name": staff.name,
        "role": staff.role,
        "role_label": label(ROLES, staff.role, lang()),
    }


@bp.post("/auth/login")
def login():
    body = json_body()
    email = body.get("email") if isinstance(body, dict) else None
    services().auth.request_link(email, client())
    return json_response({"message": t("auth.sent", lang())}, 202)


@bp.post("/auth/signin")
def signin():
    body = json_body()
    token = body.get("token") if isinstance(body, dict) else None
    staff = services().auth.consume(token, client())
    session.clear()
    session.permanent = True
    session["email"] = staff.email
    return json_response(_staff_json(staff), 200)


@bp.post("/auth/logout")
def logout():
    json_body()  # JSON only, like every staff route: a cross-site form cannot sign anyone out
    session.clear()
    return "", 204


@bp.get("/auth/me")
@signed_in(*STAFF_ROLES)
def me():
    return json_response(_staff_json(g.staff), 200)


@bp.get("/staff/queue")
@signed_in(*STAFF_ROLES)
def queue():
    """Open tickets ordered by the due time of their current step; filters: ``status``,
    ``assignee`` (an email, ``me`` or ``pool``), ``late=1``."""
    s = services()
    now = s.now()
    language = lang()
    zone = s.calendar.zone
    status = request.args.get("status") or None
    assignee = request.args.get("assignee") or None
    if assignee == "me":
        assignee = g.staff.email
    late_only = request.args.get("late") in ("1", "true")
    if assignee == "pool":  # unclaimed work, straight from the assignee index
        tickets = s.store.tickets_held_by("POOL#tik") + s.store.tickets_held_by("POOL#rt")
    else:
        tickets = s.store.open_tickets()
    rows = []
    for ticket in tickets:
        if status and ticket.status != status:
            continue
        holder = ticket.holder()
        if assignee not in (None, "pool") and assignee not in (
            ticket.assignee,
            ticket.repair_assignee,
        ):
            continue
        steps = steps_json(ticket, now, s.calendar, language)
        late = any(step["breached"] for step in steps)
        if late_only and not late:
            continue
        current = ticket.current_step()
        rows.append(
            {
                **ticket_summary(ticket, zone, language),
                "unit": ticket.requester.unit,
                "location": ticket.requester.location,
                "holder": holder,
                "holder_name": ticket.holder_name(),
                "late": late,
                "current_step": next(
                    (x for x in steps if current and x["step"] == current.step), None
                ),
                "late_steps": [step["step"] for step in steps if step["breached"]],
                "_order": current.due_at if current else ticket.created_at,
            }
        )
    rows.sort(key=lambda row: row.pop("_order"))
    return json_response({"tickets": rows, "count": len(rows)}, 200)


@bp.get("/staff/tickets/<number>")
@signed_in(*STAFF_ROLES)
def ticket(number: str):
    s = services()
    if len(number) > 32:
        raise NotFound(Msg("error.not_found"))
    found = s.store.get_ticket(number)
    if found is None:
        raise NotFound(Msg("error.not_found"))
    g.ticket = found.number
    language = lang()
    zone = s.calendar.zone
    return json_response(
        {
            **ticket_summary(found, zone, language),
            **ticket_detail(found, zone, staff=True),
            "steps": steps_json(found, s.now(), s.calendar, language),
            "history": history_json(s.store.history(found.number), zone, language, staff=True),
        },
        200,
    )
