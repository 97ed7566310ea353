"""The conversation's routes (PRODUCT.md §10): the requester's messages, reopening and
lost-link recovery, and the staff ticket page's messages. The reply link is a page of
``web/actions.py`` (``reply_page``/``reply_post`` here); replies by email come through
``tiket.jobs.inbound_mail`` (and ``/_dev/inbound`` locally)."""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from flask import Blueprint, g, render_template

from tiket.domain.errors import ValidationFailed
from tiket.domain.model import Message as MessageModel
from tiket.domain.model import Ticket
from tiket.domain.vocabulary import STAFF_ROLES
from tiket.messages import ACTIONS, STATUS, label, render, t
from tiket.services.conversation import Posted, ReplyLink
from tiket.services.views import MessageView, StaffTicket, messages_json, staff_ticket
from tiket.web.errors import json_response
from tiket.web.http import (
    FORM_KEY,
    client,
    idempotency_key,
    json_body,
    lang,
    services,
    wants_json,
)
from tiket.web.schemas import ActionDone, ActionView, Message, Reopened
from tiket.web.security import same_origin
from tiket.web.staff import signed_in

bp = Blueprint("conversation", __name__, url_prefix="/api")


def _message_json(posted: Posted, staff: bool) -> MessageView:
    s = services()
    files = s.attachments.by_message(posted.ticket)
    (view,) = messages_json([posted.message], s.calendar.zone, lang(), staff, files)
    return view


def thread_json(ticket: Ticket, thread: list[MessageModel], language: str) -> list[MessageView]:
    """A link page's thread as JSON (staff), each message with its files."""
    s = services()
    return messages_json(
        thread, s.calendar.zone, language, staff=True, files=s.attachments.by_message(ticket)
    )


def _answer(posted: Posted, staff: bool):
    g.ticket = posted.ticket.number
    return json_response(_message_json(posted, staff), 201 if posted.created else 200)


@bp.post("/track/<token>/messages")
def requester_message(token: str):
    posted = services().conversation.from_requester(token, json_body(), idempotency_key())
    return _answer(posted, staff=False)


@bp.post("/track/<token>/reopen")
def reopen(token: str):
    ticket = services().requester.reopen(token, json_body())
    g.ticket = ticket.number
    body: Reopened = {
        "number": ticket.number,
        "status": ticket.status,
        "status_label": label(STATUS, ticket.status, lang()),
    }
    return json_response(body, 200)


@bp.post("/track/lookup")
def lookup():
    services().requester.lookup(json_body(), client())
    body: Message = {"message": t("lookup.sent", lang())}
    return json_response(body, 202)


@bp.post("/staff/tickets/<number>/messages")
@same_origin
@signed_in(*STAFF_ROLES)
def staff_message(number: str):
    s = services()
    posted = s.conversation.from_staff_page(number, g.staff, json_body(), idempotency_key())
    return _answer(posted, staff=True)


def staff_ticket_json(ticket: Ticket, language: str) -> StaffTicket:
    """The ticket as the staff's link pages show it, files included."""
    s = services()
    return staff_ticket(ticket, s.calendar.zone, language, s.attachments.views(ticket))


# --- the reply link (/actions/<token> with action "reply"), called by web/actions.py ------


def reply_page(link: ReplyLink, token: str):
    """GET: the form and the thread; JSON: what the link does and the fields it asks."""
    s = services()
    language = lang()
    g.ticket, g.action = link.ticket.number, link.claim.action
    thread = s.conversation.thread(link.ticket.number)
    if wants_json():
        body: ActionView = {
            "action": link.claim.action,
            "action_label": label(ACTIONS, link.claim.action, language),
            "ticket": staff_ticket_json(link.ticket, language),
            "fields": ["text"],
            "recipient": {"name": link.staff.name, "role": link.staff.role},
            "expires_at": link.claim.expires_at.isoformat(),
            "messages": thread_json(link.ticket, thread, language),
        }
        return json_response(body, 200)
    return _reply_html(link, token, thread, errors={}, values={})


def reply_post(link: ReplyLink, token: str, form: dict[str, Any]):
    """POST: the message; a repeat with the same key (header, or the page's hidden field)
    makes no second one. Answers 200 either way: a link's answer is its page."""
    s = services()
    key = idempotency_key(form)
    try:
        posted = s.conversation.from_reply_link(link, form, key)
    except ValidationFailed as error:
        if wants_json():
            raise
        errors = {name: render(msg, lang()) for name, msg in error.fields.items()}
        thread = s.conversation.thread(link.ticket.number)
        return _reply_html(link, token, thread, errors, form, status=400)
    g.ticket, g.action = posted.ticket.number, link.claim.action
    if wants_json():
        body: ActionDone = {
            "ok": True,
            "ticket": staff_ticket_json(posted.ticket, lang()),
            "next": {},
            "message": _message_json(posted, staff=True),
        }
        return json_response(body, 200)
    thread = s.conversation.thread(link.ticket.number)
    # The page shows the ticket as the message left it (its files included).
    done = replace(link, ticket=posted.ticket)
    return _reply_html(done, token, thread, errors={}, values={}, done=True)


def _reply_html(
    link: ReplyLink,
    token: str,
    thread: list[MessageModel],
    errors: dict[str, str],
    values: dict[str, Any],
    status: int = 200,
    done: bool = False,
) -> tuple[str, int]:
    s = services()
    page = render_template(
        "reply.html",
        lang=lang(),
        link=link,
        url=s.links.action_url(token),
        thread=thread,
        thread_files=s.attachments.by_message(link.ticket),
        files=s.attachments.views(link.ticket),
        staff_url=s.links.staff_ticket(link.ticket.number),
        errors=errors,
        values=values,
        done=done,
        # A fresh key per page shown: a double click posts the form twice with the same key.
        form_key=values.get(FORM_KEY) or secrets.token_urlsafe(16),
    )
    return page, status
