"""Staff sign-in and the staff API (queue, ticket detail). Every route here checks the
session and the role: 401 without a session, 403 for a role without access."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, g, request, session

from tiket.domain.errors import Forbidden, Unauthenticated, ValidationFailed
from tiket.domain.model import Staff
from tiket.domain.text import Msg
from tiket.domain.vocabulary import STAFF_ROLES, Role
from tiket.messages import ROLES, label, t
from tiket.services.auth import Session
from tiket.services.forms import LoginForm, SigninForm, parse
from tiket.web.errors import json_response
from tiket.web.http import client, json_body, lang, services
from tiket.web.schemas import Message, Queue, StaffMember

bp = Blueprint("staff", __name__, url_prefix="/api")

REPORT_ROLES = (Role.TIK, Role.SUPERVISOR, Role.ADMIN)
SEEN_EVERY_S = 60


def _session() -> Session | None:
    try:
        return Session(str(session["email"]), int(session["issued"]), int(session["seen"]))
    except (KeyError, TypeError, ValueError):
        return None


def signed_in(*roles: str) -> Callable:
    """Route decorator: the signed-in, still-active staff member lands in ``g.staff``."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            auth = services().auth
            current = _session()
            staff = auth.current(current)
            if staff is None or current is None:
                session.clear()
                raise Unauthenticated(Msg("error.unauthenticated"))
            now = int(services().now().timestamp())
            if now - current.seen >= SEEN_EVERY_S:  # the idle timer, without a cookie a click
                session["seen"] = now
            if staff.role not in roles:
                raise Forbidden(Msg("error.forbidden_role"))
            g.staff = staff
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _staff_json(staff: Staff) -> StaffMember:
    return {
        "email": staff.email,
        "name": staff.name,
        "role": staff.role,
        "role_label": label(ROLES, staff.role, lang()),
    }


@bp.post("/auth/login")
def login():
    form = parse(LoginForm, json_body())
    services().auth.request_link(form.email, client())
    sent: Message = {"message": t("auth.sent", lang())}
    return json_response(sent, 202)


@bp.post("/auth/signin")
def signin():
    form = parse(SigninForm, json_body())
    auth = services().auth
    staff = auth.consume(form.token, client())
    opened = auth.open_session(staff)
    session.clear()
    session.permanent = True  # a browser session would outlive nothing; the server decides
    session.update(email=opened.email, issued=opened.issued, seen=opened.seen)
    return json_response(_staff_json(staff), 200)


@bp.post("/auth/logout")
def logout():
    # A JSON object only, like every staff route: a cross-site form cannot sign anyone out.
    if not isinstance(json_body(), dict):
        raise ValidationFailed({}, Msg("field.object"))
    services().auth.sign_out(_session())  # every session of this member ends, server-side
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
    rows = services().desk.queue(
        g.staff,
        lang(),
        status=request.args.get("status") or None,
        assignee=request.args.get("assignee") or None,
        late_only=_flag("late"),
    )
    body: Queue = {"tickets": rows, "count": len(rows)}
    return json_response(body, 200)


def _flag(name: str) -> bool:
    """A yes-only query flag: absent, or ``1``/``true``."""
    value = request.args.get(name)
    if value not in (None, "1", "true"):
        raise ValidationFailed({name: Msg("field.choice", {"choices": "1, true"})})
    return value is not None


@bp.get("/staff/tickets/<number>")
@signed_in(*STAFF_ROLES)
def ticket(number: str):
    s = services()
    found = s.desk.ticket(number, g.staff)
    g.ticket = found.number
    page = s.workflow.page(found, g.staff, lang())
    s.access.record(g.staff, [found.number], "staff_ticket")  # a read of personal data
    return json_response(page, 200)
