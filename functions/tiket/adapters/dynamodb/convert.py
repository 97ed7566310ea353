"""Tickets and history entries to and from their items, index keys included."""

from __future__ import annotations

from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any

from tiket.adapters.dynamodb.models import (
    AttachmentAttr,
    HistoryItem,
    RequesterAttr,
    StepAttr,
    SurveyAttr,
    TicketItem,
    utc_key,
)
from tiket.domain.attachments import FileType, StoredAttachment
from tiket.domain.devices import is_device_tag
from tiket.domain.model import Actor, HistoryEntry, Requester, Survey, Ticket
from tiket.domain.standards import StepRecord
from tiket.domain.text import WorkingMinutes
from tiket.domain.vocabulary import OPEN_STATUSES, Action, Path, Role, Status, Step

# Attributes written when the ticket is created and never by a later change.
WRITTEN_ONCE = frozenset(
    {
        "number",
        "created_at",
        "requester",
        "category",
        "subject",
        "description",
        "asset_tag",
        "repeat_count",
        "track_token",
        "month_pk",
        "month_sk",
        "asset_pk",
        "asset_sk",
    }
)


def _holder_key(ticket: Ticket) -> str | None:
    if ticket.status not in OPEN_STATUSES:
        return None
    if ticket.status == Status.NEW:
        return "POOL#tik"
    if ticket.status == Status.REFERRED:
        return "POOL#rt"
    return ticket.holder()


def ticket_values(ticket: Ticket, next_check: datetime | None, zone: tzinfo) -> dict[str, Any]:
    """Every attribute of the ticket item; ``None`` means absent."""
    holder = _holder_key(ticket)
    key_tail = f"{utc_key(ticket.created_at)}#{ticket.number}"
    is_open = ticket.status in OPEN_STATUSES
    # Only a tag in its canonical spelling names a device; free text stays out of the index.
    device = ticket.asset_tag if is_device_tag(ticket.asset_tag) else None
    r = ticket.requester
    survey = ticket.survey
    return {
        "number": ticket.number,
        "status": str(ticket.status),
        "version": ticket.version,
        "revision": ticket.revision,
        "created_at": ticket.created_at,
        "requester": RequesterAttr(
            name=r.name, email=r.email, unit=r.unit, location=r.location, nip=r.nip, phone=r.phone
        ),
        "category": ticket.category,
        "subject": ticket.subject,
        "description": ticket.description,
        "asset_tag": ticket.asset_tag,
        "repeat_count": ticket.repeat_count,
        "track_token": ticket.track_token,
        "steps": [
            StepAttr(
                step=str(s.step),
                started_at=s.started_at,
                due_at=s.due_at,
                standard_minutes=s.standard_minutes,
                done_at=s.done_at,
                paused_minutes=s.paused_minutes,
                paused_since=s.paused_since,
                escalation=s.escalation or None,
            )
            for s in ticket.steps
        ],
        "assignee": ticket.assignee,
        "assignee_name": ticket.assignee_name,
        "repair_assignee": ticket.repair_assignee,
        "repair_assignee_name": ticket.repair_assignee_name,
        "path": None if ticket.path is None else str(ticket.path),
        "diagnosis": ticket.diagnosis,
        "estimate_minutes": ticket.estimate_minutes,
        "resolution": ticket.resolution,
        "hold_reason": ticket.hold_reason,
        "held_from": None if ticket.held_from is None else str(ticket.held_from),
        "cancel_reason": ticket.cancel_reason,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "survey": None
        if survey is None
        else SurveyAttr(
            answers=dict(survey.answers),
            suggestion=survey.suggestion or None,
            submitted_at=survey.submitted_at,
        ),
        "notified_at": ticket.notified_at,
        "breaches": {str(step) for step in ticket.breaches} or None,
        "survey_reminded_at": ticket.survey_reminded_at,
        "undelivered_at": ticket.undelivered_at,
        "requester_messages": ticket.requester_messages or None,
        "staff_messages": ticket.staff_messages or None,
        "reopens": ticket.reopens or None,
        "attachments": [
            AttachmentAttr(
                id=a.id,
                name=a.name,
                content_type=str(a.content_type),
                size=a.size,
                key=a.key,
                thumbnail_key=a.thumbnail_key,
                message_id=a.message_id,
            )
            for a in ticket.attachments
        ]
        or None,
        "due_pk": "TICKET" if next_check else None,
        "due_sk": f"{utc_key(next_check)}#{ticket.number}" if next_check else None,
        "list_pk": "OPEN" if is_open else None,
        "list_sk": key_tail if is_open else None,
        "month_pk": f"M#{ticket.created_at.astimezone(zone):%Y-%m}",
        "month_sk": key_tail,
        "assignee_pk": f"A#{holder}" if holder else None,
        "assignee_sk": key_tail if holder else None,
        "asset_pk": f"ASSET#{device}" if device else None,
        "asset_sk": key_tail if device else None,
    }


def ticket_from(item: TicketItem) -> Ticket:
    r = item.requester
    survey = item.survey
    return Ticket(
        number=item.number,
        status=Status(item.status),
        version=int(item.version),
        revision=int(item.revision or 0),
        created_at=item.created_at,
        requester=Requester(
            name=r.name, email=r.email, unit=r.unit, location=r.location, nip=r.nip, phone=r.phone
        ),
        category=item.category,
        subject=item.subject,
        description=item.description,
        asset_tag=item.asset_tag,
        repeat_count=None if item.repeat_count is None else int(item.repeat_count),
        track_token=item.track_token,
        steps=tuple(
            StepRecord(
                step=Step(s.step),
                started_at=s.started_at,
                due_at=s.due_at,
                standard_minutes=float(s.standard_minutes),
                done_at=s.done_at,
                paused_minutes=float(s.paused_minutes or 0),
                paused_since=s.paused_since,
                escalation=int(s.escalation or 0),
            )
            for s in item.steps or ()
        ),
        assignee=item.assignee,
        assignee_name=item.assignee_name,
        repair_assignee=item.repair_assignee,
        repair_assignee_name=item.repair_assignee_name,
        path=None if item.path is None else Path(item.path),
        diagnosis=item.diagnosis,
        estimate_minutes=None if item.estimate_minutes is None else int(item.estimate_minutes),
        resolution=item.resolution,
        hold_reason=item.hold_reason,
        held_from=None if item.held_from is None else Status(item.held_from),
        cancel_reason=item.cancel_reason,
        resolved_at=item.resolved_at,
        closed_at=item.closed_at,
        survey=None
        if survey is None
        else Survey(
            answers={k: int(v) for k, v in survey.answers.as_dict().items()},
            suggestion=survey.suggestion or "",
            submitted_at=survey.submitted_at,
        ),
        notified_at=item.notified_at,
        breaches=frozenset(Step(step) for step in item.breaches or ()),
        survey_reminded_at=item.survey_reminded_at,
        undelivered_at=item.undelivered_at,
        requester_messages=int(item.requester_messages or 0),
        staff_messages=int(item.staff_messages or 0),
        reopens=int(item.reopens or 0),
        attachments=tuple(
            StoredAttachment(
                id=a.id,
                name=a.name,
                content_type=FileType(a.content_type),
                size=int(a.size),
                key=a.key,
                thumbnail_key=a.thumbnail_key,
                message_id=a.message_id,
            )
            for a in item.attachments or ()
        ),
    )


def history_item(number: str, entry: HistoryEntry) -> HistoryItem:
    return HistoryItem(
        f"T#{number}",
        f"H#{utc_key(entry.at)}#{entry.revision:06d}",
        at=entry.at,
        action=str(entry.action),
        from_status=None if entry.from_status is None else str(entry.from_status),
        to_status=str(entry.to_status),
        actor_email=entry.actor.email,
        actor_name=entry.actor.name,
        actor_role=str(entry.actor.role),
        note=entry.note or None,
        params={key: _plain(value) for key, value in entry.params.items()} or None,
        revision=entry.revision,
    )


# History params are codes and numbers; codes keep their kind so that a reader's view can
# label them again: {"step": "acknowledge"}, {"working_minutes": 5}.
_CODES: dict[str, type[StrEnum]] = {"step": Step, "status": Status, "role": Role, "action": Action}


def _plain(value: Any) -> Any:
    if isinstance(value, WorkingMinutes):
        return {"working_minutes": value.minutes}
    for kind, enum in _CODES.items():
        if isinstance(value, enum):
            return {kind: str(value)}
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((kind, code),) = value.items()
        if kind == "working_minutes":
            return WorkingMinutes(float(code))
        if kind in _CODES:
            return _CODES[kind](code)
    return value


def history_from(item: HistoryItem) -> HistoryEntry:
    return HistoryEntry(
        at=item.at,
        action=Action(item.action),
        from_status=None if item.from_status is None else Status(item.from_status),
        to_status=Status(item.to_status),
        actor=Actor(email=item.actor_email, name=item.actor_name, role=Role(item.actor_role)),
        note=item.note or "",
        params={key: _typed(value) for key, value in (item.params or {}).items()},
        revision=int(item.revision or 0),
    )
