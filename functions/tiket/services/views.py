"""Tickets as JSON for people: labels in their language, times ISO 8601 in the unit's zone.
The requester's view never shows staff email addresses or the tracking token."""

from __future__ import annotations

from datetime import datetime, tzinfo

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.model import HistoryEntry, Ticket
from tiket.domain.text import Msg
from tiket.messages import ACTIONS, CATALOGUE, CATEGORIES, ROLES, STATUS, STEPS, label, render


def iso(instant: datetime | None, zone: tzinfo) -> str | None:
    return None if instant is None else instant.astimezone(zone).isoformat(timespec="seconds")


def steps_json(ticket: Ticket, now: datetime, calendar: WorkingCalendar, lang: str) -> list[dict]:
    zone = calendar.zone
    late = ticket.late_steps(now)
    rows = []
    for record in ticket.steps_with_dispatch():
        rows.append(
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
            }
        )
    return rows


def history_json(entries: list[HistoryEntry], zone: tzinfo, lang: str, staff: bool) -> list[dict]:
    rows = []
    for entry in entries:
        row = {
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


def history_note(entry: HistoryEntry, zone: tzinfo, lang: str) -> str:
    """What a system change says, in the reader's language (a breach, an estimate…)."""
    key = f"history.{entry.action}"
    if key not in CATALOGUE:
        return ""
    return render(Msg(key, entry.params), lang, zone)


def ticket_summary(ticket: Ticket, zone: tzinfo, lang: str) -> dict:
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


def ticket_detail(ticket: Ticket, zone: tzinfo, staff: bool) -> dict:
    """The ticket's own words and the staff's notes."""
    r = ticket.requester
    detail = {
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
    if staff:
        detail.update(
            requester_email=r.email,
            requester_phone=r.phone,
            requester_nip=r.nip,
            assignee=ticket.assignee,
            repair_assignee=ticket.repair_assignee,
            breaches=sorted(ticket.breaches),
            survey=None
            if ticket.survey is None
            else {
                "answers": ticket.survey.answers,
                "suggestion": ticket.survey.suggestion,
                "submitted_at": iso(ticket.survey.submitted_at, zone),
            },
        )
    return detail
