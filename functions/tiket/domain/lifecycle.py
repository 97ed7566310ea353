"""The SOP as a state machine: which action may happen in which status, by whom, with which
fields, and what it changes (status, assignees, step clocks, history, emails).

```
new ─acknowledge→ acknowledged ─diagnose(handle)→ in_progress ──resolve──→ resolved ─survey/auto→ closed
                               └diagnose(refer)─→ referred ─accept(rt)→ in_repair ─resolve(rt)─┘
in_progress / in_repair ─hold→ on_hold ─resume→ (back)        any open status ─cancel→ cancelled
```
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tiket.domain.errors import Conflict, Forbidden, ValidationFailed
from tiket.domain.model import (
    OPEN_STATUSES,
    Actor,
    HistoryEntry,
    Notice,
    Outcome,
    Requester,
    Ticket,
)
from tiket.domain.standards import StepClock, TimeStandards
from tiket.messages import ROLES, STATUS, Msg, label

TEXT_LIMITS = {"diagnosis": 2000, "resolution": 2000, "reason": 500}
ESTIMATE_DIGITS = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    roles: frozenset[str]
    holder_only: bool = False  # only the staff member holding the ticket


RULES: dict[str, Rule] = {
    "acknowledge": Rule(frozenset({"new"}), frozenset({"tik"})),
    "diagnose": Rule(frozenset({"acknowledged"}), frozenset({"tik"}), holder_only=True),
    "accept": Rule(frozenset({"referred"}), frozenset({"rt"})),
    "resolve": Rule(frozenset({"in_progress", "in_repair"}), frozenset({"tik", "rt"}), True),
    "hold": Rule(frozenset({"in_progress", "in_repair"}), frozenset({"tik", "rt"}), True),
    "resume": Rule(frozenset({"on_hold"}), frozenset({"tik", "rt"}), True),
    "cancel": Rule(OPEN_STATUSES, frozenset({"tik"})),
    "survey": Rule(frozenset({"resolved"}), frozenset({"requester"})),
    "auto_close": Rule(frozenset({"resolved"}), frozenset({"system"})),
}

STAFF_ACTIONS = ("acknowledge", "diagnose", "accept", "resolve", "hold", "resume", "cancel")

# The form fields each staff action asks for (the confirmation page and its JSON list them).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "acknowledge": (),
    "diagnose": ("diagnosis", "decision", "estimate_minutes"),
    "accept": ("estimate_minutes",),
    "resolve": ("resolution",),
    "hold": ("reason",),
    "resume": (),
    "cancel": ("reason",),
}


def status_text(status: str, lang: str = "id") -> str:
    return label(STATUS, status, lang)


def check(ticket: Ticket, action: str, actor: Actor) -> None:
    """Raise unless ``actor`` may do ``action`` on ``ticket`` now. Changes nothing."""
    rule = RULES[action]
    if ticket.status not in rule.sources:
        status = status_text(ticket.status)
        if action == "acknowledge" and ticket.assignee_name:
            raise Conflict(
                Msg("action.taken_by", {"name": ticket.assignee_name, "status": status}),
                current_status=ticket.status,
            )
        raise Conflict(Msg("action.not_allowed", {"status": status}), current_status=ticket.status)
    if actor.role not in rule.roles:
        roles = " / ".join(label(ROLES, r) for r in sorted(rule.roles))
        raise Forbidden(Msg("action.role", {"role": roles}))
    if rule.holder_only and actor.email != ticket.holder():
        raise Forbidden(Msg("action.not_holder"))


def allowed_actions(ticket: Ticket, actor: Actor, among=STAFF_ACTIONS) -> tuple[str, ...]:
    """The staff actions ``actor`` could take now, in a stable order (for email links)."""
    possible = []
    for action in among:
        try:
            check(ticket, action, actor)
        except (Conflict, Forbidden):
            continue
        possible.append(action)
    return tuple(possible)


def parse_fields(action: str, raw: Mapping[str, Any], standards: TimeStandards) -> dict[str, Any]:
    """Validate the form of a staff action; raise ``ValidationFailed`` with every problem."""
    errors: dict[str, Msg] = {}
    values: dict[str, Any] = {}

    def text(name: str, required: bool = True) -> None:
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                errors[name] = Msg("field.required")
            return
        if not isinstance(value, str):
            errors[name] = Msg("field.text")
        elif len(value) > TEXT_LIMITS[name]:
            errors[name] = Msg("field.too_long", {"max": TEXT_LIMITS[name]})
        elif _has_control_chars(value):
            errors[name] = Msg("field.control_chars")
        else:
            values[name] = value.strip()

    def estimate() -> None:
        value = raw.get("estimate_minutes")
        bounds = {"min": 1, "max": standards.handle_cap}
        if value is None or value == "":
            errors["estimate_minutes"] = Msg("field.required")
            return
        # ASCII digits, a few of them: str.isdigit() also takes "²", which int() refuses,
        # and int() refuses more than 4300 digits.
        if isinstance(value, str) and ESTIMATE_DIGITS.fullmatch(value.strip()):
            value = int(value.strip())
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 1 <= value <= standards.handle_cap
        ):
            errors["estimate_minutes"] = Msg("field.integer_range", bounds)
        else:
            values["estimate_minutes"] = value

    if action == "diagnose":
        text("diagnosis")
        decision = raw.get("decision")
        if decision not in ("handle", "refer"):
            errors["decision"] = Msg("field.choice", {"choices": "handle, refer"})
        else:
            values["decision"] = decision
            if decision == "handle":
                estimate()
    elif action == "accept":
        estimate()
    elif action == "resolve":
        text("resolution")
    elif action in ("hold", "cancel"):
        text("reason")
    if errors:
        raise ValidationFailed(errors)
    return values


def _has_control_chars(value: str) -> bool:
    return any((ord(ch) < 32 and ch not in "\t\n\r") or ord(ch) == 127 for ch in value)


def open_ticket(
    *,
    number: str,
    requester: Requester,
    category: str,
    subject: str,
    description: str,
    asset_tag: str | None,
    now: datetime,
    clock: StepClock,
) -> Outcome:
    """A new request (SOP step 3): status ``new``, the dispatch and acknowledge clocks running."""
    ticket = Ticket(
        number=number,
        status="new",
        version=1,
        created_at=now,
        requester=requester,
        category=category,
        subject=subject,
        description=description,
        asset_tag=asset_tag,
        steps=(clock.start("notify", now), clock.start("acknowledge", now)),
    )
    history = HistoryEntry(
        at=now,
        action="create",
        from_status=None,
        to_status="new",
        actor=Actor(email=requester.email, name=requester.name, role="requester"),
        version=1,
    )
    notices = (
        Notice("confirmation", "requester"),
        Notice("new_ticket", "pool:tik", actions=("acknowledge", "cancel")),
    )
    return Outcome(ticket, history, notices)


def apply(
    ticket: Ticket,
    action: str,
    actor: Actor,
    fields: Mapping[str, Any],
    now: datetime,
    clock: StepClock,
) -> Outcome:
    """The transition ``action`` by ``actor``; raises if it is not allowed. Pure."""
    check(ticket, action, actor)
    changes: dict[str, Any] = {}
    steps = ticket
    notices: list[Notice] = []
    note = ""
    current = ticket.current_step()

    def finish(step: str) -> None:
        nonlocal steps
        record = steps.step(step)
        if record is not None and record.open:
            steps = steps.with_step(clock.complete(record, now))

    def begin(step: str, minutes: float | None = None) -> None:
        nonlocal steps
        steps = steps.with_step(clock.start(step, now, minutes))

    if action == "acknowledge":
        to = "acknowledged"
        changes.update(assignee=actor.email, assignee_name=actor.name)
        finish("acknowledge")
        begin("diagnose")
        notices += [
            Notice("acknowledged", "requester"),
            Notice("next_steps", "actor", ("diagnose", "cancel")),
        ]
    elif action == "diagnose":
        changes["diagnosis"] = fields["diagnosis"]
        note = fields["diagnosis"]
        finish("diagnose")
        if fields["decision"] == "handle":
            to = "in_progress"
            changes.update(path="tik", estimate_minutes=fields["estimate_minutes"])
            begin("handle", fields["estimate_minutes"])
            notices.append(Notice("next_steps", "actor", ("resolve", "hold", "cancel")))
        else:
            to = "referred"
            changes["path"] = "rt"
            begin("rt_accept")
            notices += [
                Notice("referred", "requester"),
                Notice("referral", "pool:rt", ("accept",)),
            ]
    elif action == "accept":
        to = "in_repair"
        changes.update(
            repair_assignee=actor.email,
            repair_assignee_name=actor.name,
            estimate_minutes=fields["estimate_minutes"],
        )
        note = Msg("history.estimate", {"minutes": fields["estimate_minutes"]}).render()
        finish("rt_accept")
        begin("handle", fields["estimate_minutes"])
        notices += [
            Notice("next_steps", "actor", ("resolve", "hold")),
            Notice("repair_accepted", "assignee"),
        ]
    elif action == "resolve":
        to = "resolved"
        changes.update(resolution=fields["resolution"], resolved_at=now)
        note = fields["resolution"]
        finish("handle")
        notices.append(Notice("resolved", "requester"))
        if ticket.status == "in_repair":
            notices.append(Notice("repair_done", "assignee"))
    elif action == "hold":
        to = "on_hold"
        changes.update(hold_reason=fields["reason"], held_from=ticket.status)
        note = fields["reason"]
        if current is not None:
            steps = steps.with_step(clock.pause(current, now))
        notices += [
            Notice("on_hold", "requester"),
            Notice("next_steps", "actor", ("resume", "cancel")),
        ]
    elif action == "resume":
        to = ticket.held_from or "in_progress"
        changes.update(hold_reason=None, held_from=None)
        if current is not None and current.paused_since is not None:
            steps = steps.with_step(clock.resume(current, now))
        notices.append(Notice("next_steps", "actor", ("resolve", "hold", "cancel")))
    elif action == "cancel":
        to = "cancelled"
        changes.update(cancel_reason=fields["reason"], closed_at=now)
        note = fields["reason"]
        notices.append(Notice("cancelled", "requester"))
    elif action == "survey":
        to = "closed"
        changes.update(survey=fields["survey"], closed_at=now)
    elif action == "auto_close":
        to = "closed"
        changes["closed_at"] = now
        note = fields.get("note", "")
    else:  # pragma: no cover - RULES and this switch list the same actions
        raise KeyError(action)

    new = replace(steps, status=to, version=ticket.version + 1, **changes)
    history = HistoryEntry(
        at=now,
        action=action,
        from_status=ticket.status,
        to_status=to,
        actor=actor,
        note=note,
        version=new.version,
    )
    return Outcome(new, history, tuple(notices))
