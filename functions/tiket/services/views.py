"""Tickets as JSON for people: labels in their language, times ISO 8601 in the unit's zone.
The requester's view never shows staff email addresses or the tracking token.

Each view is a ``TypedDict``: the type checker holds the code to it, and the OpenAPI
document takes its response schemas from the same types (``tiket.web.openapi``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import (
    Annotated,
    Literal,
    NotRequired,  # pydantic reads them on Python 3.11
)

from pydantic import WithJsonSchema
from typing_extensions import TypedDict

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.model import HistoryEntry, Message, Ticket
from tiket.domain.system import holder_actor
from tiket.domain.text import Msg
from tiket.domain.vocabulary import Action, Channel, Path, Role, Status, Step
from tiket.messages import ACTIONS, CATALOGUE, CATEGORIES, ROLES, STATUS, STEPS, label, render
from tiket.services.attachments import AttachmentView

IsoTime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


class StepView(TypedDict):
    step: Step
    label: str
    standard_minutes: float
    started_at: IsoTime | None
    due_at: IsoTime | None
    done_at: IsoTime | None
    on_hold: bool
    paused_minutes: float
    elapsed_minutes: float
    breached: bool
    escalation_level: int  # 0 on time, 1 breach recorded, 2–3 the escalation ladder


HistoryView = TypedDict(
    "HistoryView",
    {
        "at": IsoTime | None,
        "action": Action,
        "action_label": str,
        "from": Status | None,
        "to": Status,
        "from_label": str | None,
        "to_label": str,
        "actor_name": str,
        "actor_role": Role,
        "role_label": str,
        "note": str,
        "actor_email": NotRequired[str | None],  # staff views only
    },
)


class TicketSummary(TypedDict):
    number: str
    status: Status
    status_label: str
    subject: str
    category: str
    category_label: str
    created_at: IsoTime | None
    path: Path | None
    assignee_name: str | None
    repair_assignee_name: str | None


class TicketDetail(TypedDict):
    """The ticket's own words and the staff's notes."""

    description: str
    unit: str
    location: str
    requester_name: str
    asset_tag: str | None
    diagnosis: str | None
    estimate_minutes: int | None
    resolution: str | None
    hold_reason: str | None
    cancel_reason: str | None
    resolved_at: IsoTime | None
    closed_at: IsoTime | None
    version: int


class SurveyAnswersView(TypedDict):
    answers: dict[str, int]
    suggestion: str
    submitted_at: IsoTime | None


class StaffDetail(TypedDict):
    """In staff views ``assignee`` / ``assignee_name`` name the holder, who may act now
    (PRODUCT.md §12): the ICT member, or on the facilities path the repairer; nobody once
    resolved or while in a pool. The ICT member of record is ``tik_assignee``."""

    requester_email: str
    requester_phone: str | None
    requester_nip: str | None
    assignee: str | None
    assignee_role: Role | None
    tik_assignee: str | None
    tik_assignee_name: str | None
    repair_assignee: str | None
    breaches: list[Step]
    survey: SurveyAnswersView | None
    repeat_count: int | None  # filed about a repeat-failure device (berulang): its tickets


class SurveyState(TypedDict):
    open: bool
    submitted: bool
    closes_at: IsoTime | None


MessageView = TypedDict(
    "MessageView",
    {
        "id": str,
        "from": Literal["requester", "staff"],
        "name": str,
        "role": Role,
        "role_label": str,
        "text": str,
        "at": IsoTime | None,
        "via": Channel,
        "attachments": list[AttachmentView],  # sent with it; links signed for ≤ 15 min
        "email": NotRequired[str | None],  # staff views only
    },
)


class ReopenState(TypedDict):
    open: bool  # "Masalah belum teratasi" may be chosen now
    until: IsoTime | None  # ...until the survey closes (the ticket closes then)


class TrackingView(TicketSummary, TicketDetail):
    steps: list[StepView]
    history: list[HistoryView]
    survey: SurveyState
    undelivered: bool  # an email to the requester could not be delivered
    messages: list[MessageView]
    reopen: ReopenState
    handling_due_at: IsoTime | None  # SOP step 6's expected completion, from the estimate
    # Filed with the ticket; a message's files are in its ``attachments`` only, so each
    # file is listed once. Links signed for ≤ 15 min.
    attachments: list[AttachmentView]


class StaffTicket(TicketSummary, TicketDetail, StaffDetail):
    attachments: list[AttachmentView]


class StaffTicketFull(StaffTicket):
    steps: list[StepView]
    history: list[HistoryView]
    messages: list[MessageView]


class QueueRow(TicketSummary):
    unit: str
    location: str
    holder: str | None
    holder_name: str | None
    late: bool
    current_step: StepView | None
    late_steps: list[Step]
    escalation_level: int  # the highest escalation level of a step still running
    asset_tag: str | None
    repeat_count: int | None  # filed about a repeat-failure device (berulang): its tickets


def iso(instant: datetime | None, zone: tzinfo) -> str | None:
    return None if instant is None else instant.astimezone(zone).isoformat(timespec="seconds")


def steps_json(
    ticket: Ticket, now: datetime, calendar: WorkingCalendar, lang: str
) -> list[StepView]:
    zone = calendar.zone
    late = ticket.late_steps(now)
    return [
        {
            "step": record.step,
            "label": label(STEPS, record.step, lang),
            "standard_minutes": record.standard_minutes,
            "started_at": iso(record.started_at, zone),
            "due_at": iso(record.due_at, zone),
            "done_at": iso(record.done_at, zone),
            "on_hold": record.paused_since is not None,
            "paused_minutes": round(record.paused_minutes, 1),
            "elapsed_minutes": round(record.elapsed_minutes(calendar, now), 1),
            "breached": record.step in late,
            "escalation_level": ticket.escalation_level(record),
        }
        for record in ticket.steps_with_dispatch()
    ]


def history_json(
    entries: list[HistoryEntry], zone: tzinfo, lang: str, staff: bool
) -> list[HistoryView]:
    rows: list[HistoryView] = []
    for entry in entries:
        row: HistoryView = {
            "at": iso(entry.at, zone),
            "action": entry.action,
            "action_label": label(ACTIONS, entry.action, lang),
            "from": entry.from_status,
            "to": entry.to_status,
            "from_label": label(STATUS, entry.from_status, lang) if entry.from_status else None,
            "to_label": label(STATUS, entry.to_status, lang),
            "actor_name": entry.actor.name,
            "actor_role": entry.actor.role,
            "role_label": label(ROLES, entry.actor.role, lang),
            "note": entry.note or history_note(entry, zone, lang),
        }
        if staff:
            row["actor_email"] = entry.actor.email
        rows.append(row)
    return rows


def messages_json(
    messages: list[Message],
    zone: tzinfo,
    lang: str,
    staff: bool,
    files: Mapping[str, list[AttachmentView]],
) -> list[MessageView]:
    """The conversation, oldest first; staff are shown by name and role (their address only
    to staff). ``files``: each message's attachments by its id
    (``AttachmentService.by_message``)."""
    rows: list[MessageView] = []
    for message in messages:
        author = message.author
        row: MessageView = {
            "id": message.id,
            "from": "requester" if author.role == Role.REQUESTER else "staff",
            "name": author.name,
            "role": author.role,
            "role_label": label(ROLES, author.role, lang),
            "text": message.text,
            "at": iso(message.at, zone),
            "via": message.via,
            "attachments": files.get(message.id, []),
        }
        if staff:
            row["email"] = author.email
        rows.append(row)
    return rows


def handling_due(ticket: Ticket) -> datetime | None:
    """When the handling is expected done: its step's due time while it runs."""
    record = ticket.step(Step.HANDLE)
    if record is None or not record.open or record.paused_since is not None or not ticket.open:
        return None
    return record.due_at


def history_note(entry: HistoryEntry, zone: tzinfo, lang: str) -> str:
    """What a system change says, in the reader's language (a breach, an estimate…)."""
    key = f"history.{entry.action}"
    if key not in CATALOGUE:
        return ""
    return render(Msg(key, entry.params), lang, zone)


def ticket_summary(ticket: Ticket, zone: tzinfo, lang: str) -> TicketSummary:
    return {
        "number": ticket.number,
        "status": ticket.status,
        "status_label": label(STATUS, ticket.status, lang),
        "subject": ticket.subject,
        "category": ticket.category,
        "category_label": label(CATEGORIES, ticket.category, lang),
        "created_at": iso(ticket.created_at, zone),
        "path": ticket.path,
        "assignee_name": ticket.assignee_name,
        "repair_assignee_name": ticket.repair_assignee_name,
    }


def ticket_detail(ticket: Ticket, zone: tzinfo) -> TicketDetail:
    r = ticket.requester
    return {
        "description": ticket.description,
        "unit": r.unit,
        "location": r.location,
        "requester_name": r.name,
        "asset_tag": ticket.asset_tag,
        "diagnosis": ticket.diagnosis,
        "estimate_minutes": ticket.estimate_minutes,
        "resolution": ticket.resolution,
        "hold_reason": ticket.hold_reason,
        "cancel_reason": ticket.cancel_reason,
        "resolved_at": iso(ticket.resolved_at, zone),
        "closed_at": iso(ticket.closed_at, zone),
        "version": ticket.version,
    }


def staff_detail(ticket: Ticket, zone: tzinfo) -> StaffDetail:
    r = ticket.requester
    survey = ticket.survey
    return {
        "requester_email": r.email,
        "requester_phone": r.phone,
        "requester_nip": r.nip,
        "assignee": ticket.holder(),
        "assignee_role": holder.role if (holder := holder_actor(ticket)) else None,
        "tik_assignee": ticket.assignee,
        "tik_assignee_name": ticket.assignee_name,
        "repair_assignee": ticket.repair_assignee,
        "breaches": sorted(ticket.breaches),
        "repeat_count": ticket.repeat_count,
        "survey": None
        if survey is None
        else {
            "answers": survey.answers,
            "suggestion": survey.suggestion,
            "submitted_at": iso(survey.submitted_at, zone),
        },
    }


def staff_ticket(
    ticket: Ticket, zone: tzinfo, lang: str, attachments: list[AttachmentView]
) -> StaffTicket:
    view: StaffTicket = {
        **ticket_summary(ticket, zone, lang),
        **ticket_detail(ticket, zone),
        **staff_detail(ticket, zone),
        "attachments": attachments,
    }
    view["assignee_name"] = ticket.holder_name()
    return view
