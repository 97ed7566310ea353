"""The pages behind the email links (PRODUCT.md §7 ``/actions/<token>``).

GET (and HEAD) only show what the link will do: mail scanners and previews open links.
POST does it, from the page's form or as JSON. Tokens never reach a log line."""

from __future__ import annotations

import secrets
from dataclasses import replace

from flask import Blueprint, g, render_template, request

from tiket.domain.errors import Conflict, ValidationFailed
from tiket.messages import ACTIONS, STATUS, label, render
from tiket.services.actions import ActionView
from tiket.services.attachments import AttachmentView
from tiket.services.minimise import minimised, shown_ticket
from tiket.web import conversation
from tiket.web.errors import json_response
from tiket.web.http import FORM_KEY, idempotency_key, json_body, lang, services, wants_json
from tiket.web.schemas import ActionDone, Resent
from tiket.web.schemas import ActionView as ActionViewJson

bp = Blueprint("actions", __name__, url_prefix="/actions")


def _files(view: ActionView) -> list[AttachmentView]:
    return services().attachments.views(view.ticket)


def _form() -> dict:
    if request.mimetype == "application/json":
        body = json_body()
        return body if isinstance(body, dict) else {}
    return request.form.to_dict()


@bp.get("/<token>")
def show(token: str):
    reply = services().conversation.reply_link(token)
    if reply is not None:
        return conversation.reply_page(reply, token)
    try:
        view = services().actions.inspect(token)
    except Conflict as error:
        return _lead_on(token, error)
    g.ticket, g.action = view.ticket.number, view.claim.action
    services().access.record(view.staff, [view.ticket.number], "action_page")
    view = replace(view, ticket=shown_ticket(view.ticket, view.staff.role))  # minimisation
    language = lang()
    thread = services().conversation.thread(view.ticket.number)
    if wants_json():
        body: ActionViewJson = {
            "action": view.claim.action,
            "action_label": label(ACTIONS, view.claim.action, language),
            "ticket": conversation.staff_ticket_json(view.ticket, language),
            "fields": list(view.fields),
            "recipient": {"name": view.staff.name, "role": view.staff.role},
            "expires_at": view.claim.expires_at.isoformat(),
            "messages": conversation.thread_json(view.ticket, thread, language),
        }
        return json_response(minimised(body, view.staff.role), 200)
    return _page(
        "action.html",
        view=view,
        token=token,
        errors={},
        values={},
        thread=thread,
        files=_files(view),
        thread_files=services().attachments.by_message(view.ticket),
        form_key=secrets.token_urlsafe(16),
    )


@bp.post("/<token>")
def perform(token: str):
    s = services()
    form = _form()
    reply = s.conversation.reply_link(token)
    if reply is not None:
        return conversation.reply_post(reply, token, form)
    # One per request a client may repeat (the page's form carries one, a JSON client sends
    # the header): a repeat of the request that used the link answers its change, not 409.
    key = idempotency_key(form)
    try:
        done = s.actions.perform(token, form, key)
    except Conflict as error:
        return _lead_on(token, error)
    except ValidationFailed as error:
        if wants_json():
            raise
        view = s.actions.inspect(token)  # the page again, with what was wrong
        errors = {name: render(msg, lang()) for name, msg in error.fields.items()}
        thread = s.conversation.thread(view.ticket.number)
        return _page(
            "action.html",
            400,
            view=view,
            token=token,
            errors=errors,
            values=form,
            thread=thread,
            files=_files(view),
            thread_files=s.attachments.by_message(view.ticket),
            form_key=form.get(FORM_KEY) or secrets.token_urlsafe(16),
        )
    g.ticket, g.action = done.ticket.number, done.action
    language = lang()
    next_urls = {action: s.links.action_url(tok) for action, tok in done.next_tokens.items()}
    if wants_json():
        result: ActionDone = {
            "ok": True,
            "ticket": conversation.staff_ticket_json(done.ticket, language),
            "next": {str(action): url for action, url in next_urls.items()},
        }
        return json_response(result, 200)
    return _page(
        "action_done.html",
        done=done,
        status_label=label(STATUS, done.ticket.status, language),
        next_urls=next_urls,
        thread=s.conversation.thread(done.ticket.number),
        files=s.attachments.views(done.ticket),
        thread_files=s.attachments.by_message(done.ticket),
    )


@bp.post("/<token>/resend")
def resend(token: str):
    sent_to = services().actions.resend(token)
    if wants_json():
        resent: Resent = {"ok": True, "sent_to": sent_to}
        return json_response(resent, 202)
    return _page("action_resent.html", 202, sent_to=sent_to)


def _lead_on(token: str, error: Conflict):
    """A link that came too late (used, taken by someone else, the ticket moved on): the
    page says who did what when, and leads to the staff ticket page and what the link's
    recipient may do there now. JSON clients get the plain 409."""
    situation = services().workflow.situation(token) if not wants_json() else None
    if situation is None:
        raise error
    g.ticket = situation.ticket.number
    return _page(
        "action_conflict.html",
        409,
        situation=situation,
        message=render(error.msg, lang(), services().calendar.zone),
    )


def _page(template: str, status: int = 200, **context):
    return render_template(template, lang=lang(), **context), status
