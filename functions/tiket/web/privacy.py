"""Personal data over HTTP (PRODUCT.md §14): the requester's own page API (``/api/me``, its
own short session cookie), the admin's erasure decisions (email link ``/erasure/<link>`` and
staff API) and the access log."""

from __future__ import annotations

from flask import Blueprint, g, make_response, render_template, request

from tiket.domain.errors import Forbidden, Unauthenticated, ValidationFailed
from tiket.domain.privacy import ErasureStatus
from tiket.domain.text import Msg
from tiket.domain.vocabulary import Role
from tiket.messages import format_datetime, t
from tiket.services.exports import CSV_MIMETYPE
from tiket.services.forms import LoginForm, SigninForm, parse
from tiket.services.privacy_forms import ErasureDecisionForm, ErasureForm
from tiket.services.privacy_ports import ErasureRequest
from tiket.web.errors import json_response
from tiket.web.http import attachment, client, json_body, lang, services, wants_json
from tiket.web.privacy_schemas import (
    ErasureAsked,
    ErasureDecided,
    ErasureItemView,
    ErasureList,
    MeSignedIn,
)
from tiket.web.schemas import Message
from tiket.web.security import same_origin
from tiket.web.staff import signed_in

bp = Blueprint("privacy", __name__)

# The requester's session: its own cookie, name and lifetime, never the staff session's.
ME_COOKIE = "tiket_saya"


def _me() -> str:
    email = services().portal.current(request.cookies.get(ME_COOKIE))
    if email is None:
        raise Unauthenticated(Msg("error.unauthenticated"))
    return email


@bp.post("/api/me/login")
def me_login():
    form = parse(LoginForm, json_body())
    services().portal.request_link(form.email, client())
    sent: Message = {"message": t("me.sent", lang())}
    return json_response(sent, 202)


@bp.post("/api/me/signin")
@same_origin
def me_signin():
    form = parse(SigninForm, json_body())
    s = services()
    email, session = s.portal.sign_in(form.token)
    body: MeSignedIn = {"email": email, "minutes": s.settings.requester_session_minutes}
    response = json_response(body, 200)
    response.set_cookie(
        ME_COOKIE,
        session,
        max_age=s.settings.requester_session_minutes * 60,
        path="/api/me",
        httponly=True,
        secure=s.settings.production,
        samesite="Strict",
    )
    return response


@bp.post("/api/me/logout")
@same_origin
def me_logout():
    response = make_response("", 204)
    response.delete_cookie(ME_COOKIE, path="/api/me")
    return response


@bp.get("/api/me/tickets")
def me_tickets():
    return json_response(services().portal.tickets_of(_me(), lang()), 200)


@bp.get("/api/me/export")
def me_export():
    response = json_response(services().portal.export(_me(), lang()), 200)
    response.headers["Content-Disposition"] = 'attachment; filename="tiket-data-saya.json"'
    return response


@bp.post("/api/me/erasure")
@same_origin
def me_erasure():
    email = _me()
    form = parse(ErasureForm, json_body())
    view = services().portal.ask_erasure(email, form.reason.strip())
    body: ErasureAsked = {"message": t("me.erasure_sent", lang()), "erasure": view}
    return json_response(body, 202)


# --- the admin's decision -----------------------------------------------------------------


def _item(request_: ErasureRequest, language: str) -> ErasureItemView:
    zone = services().calendar.zone
    return {
        "id": request_.id,
        "email": request_.email,
        "reason": request_.reason,
        "status": request_.status,
        "status_label": t(f"erasure.status.{request_.status}", language),
        "requested_at": request_.requested_at.astimezone(zone).isoformat(timespec="seconds"),
        "escalated": request_.escalated_at is not None,
        "tickets": services().erasure.ticket_count(request_)
        if request_.status == ErasureStatus.PENDING
        else request_.tickets,
    }


def _when(request_: ErasureRequest, language: str) -> str:
    return format_datetime(request_.requested_at, services().calendar.zone, language)


def _decision_form() -> ErasureDecisionForm:
    body = json_body() if request.mimetype == "application/json" else request.form.to_dict()
    form = parse(ErasureDecisionForm, body)
    if form.decision == "refuse" and not form.reason.strip():
        raise ValidationFailed({"reason": Msg("erasure.reason_required")})
    return form


def _decide(request_id: str, admin_email: str | None) -> ErasureRequest:
    form = _decision_form()
    s = services()
    staff = s.staff.get(admin_email or "")
    if staff is None or not staff.active or staff.role != Role.ADMIN:
        raise Forbidden(Msg("erasure.not_admin"))
    return s.erasure.decide(
        request_id, form.decision == "approve", form.reason.strip(), staff.as_actor()
    )


def _linked(link: str) -> tuple[ErasureRequest, str]:
    s = services()
    request_id, admin = s.erasure.links.verify(link, s.now())
    staff = s.staff.get(admin)
    if staff is None or not staff.active or staff.role != Role.ADMIN:
        raise Forbidden(Msg("erasure.not_admin"))
    return s.erasure.get(request_id), admin


@bp.get("/erasure/<link>")
def erasure_page(link: str):
    found, _admin = _linked(link)
    language = lang()
    item = _item(found, language)
    if wants_json():
        return json_response(item, 200)
    page = render_template(
        "erasure.html", item=item, link=link, lang=language, done=None, when=_when(found, language)
    )
    return make_response(page, 200)


@bp.post("/erasure/<link>")
def erasure_decide(link: str):
    found, admin = _linked(link)
    decided = _decide(found.id, admin)
    language = lang()
    body: ErasureDecided = {"ok": True, "request": _item(decided, language)}
    if wants_json():
        return json_response(body, 200)
    page = render_template(
        "erasure.html", item=body["request"], link=link, lang=language, done=True
    )
    return make_response(page, 200)


@bp.get("/api/staff/erasures")
@signed_in(Role.ADMIN)
def erasures():
    language = lang()
    rows = [_item(r, language) for r in services().erasure.pending()]
    body: ErasureList = {"requests": rows, "count": len(rows)}
    return json_response(body, 200)


@bp.post("/api/staff/erasures/<request_id>")
@same_origin
@signed_in(Role.ADMIN)
def erasure_decide_staff(request_id: str):
    decided = _decide(request_id, g.staff.email)
    body: ErasureDecided = {"ok": True, "request": _item(decided, lang())}
    return json_response(body, 200)


# --- the access log -------------------------------------------------------------------------


def _log():
    args = request.args
    return services().access.entries(
        lang(),
        ticket=args.get("ticket") or None,
        staff=args.get("staff") or None,
        start=args.get("from") or None,
        end=args.get("to") or None,
    )


@bp.get("/api/staff/access-log")
@signed_in(Role.ADMIN)
def access_log():
    return json_response(_log(), 200)


@bp.get("/api/staff/access-log.csv")
@signed_in(Role.ADMIN)
def access_log_csv():
    return attachment(services().access.csv(_log(), lang()), CSV_MIMETYPE, "akses-data-pribadi.csv")
