"""The SOP as a state machine: which action may happen in which status, by whom, and what it
changes (status, holders, step clocks, history, emails). Each action is described once, in
``TRANSITIONS``: its rule and its effect. Its form (the fields a person fills) is validated
by ``tiket.services.forms`` before it reaches the effect.

```
new ─acknowledge→ acknowledged ─diagnose(handle)→ in_progress ──resolve──→ resolved ─survey/auto→ closed
                               └diagnose(refer)─→ referred ─accept(rt)→ in_repair ─resolve(rt)─┘
in_progress / in_repair ─hold→ on_hold ─resume→ (back)        any open status ─cancel→ cancelled
resolved ─reopen(requester, before the survey)→ the status it was resolved from
referred ─return(rt)→ acknowledged (back to the referring ICT member)
held work (acknowledged, in_progress, in_repair, on_hold) ─reassign→ (same status, new holder)
```
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tiket.domain.errors import Conflict, Forbidden, ValidationFailed
from tiket.domain.model import (
    Actor,
    HistoryEntry,
    Notice,
    Outcome,
    Requester,
    Staff,
    Ticket,
)
from tiket.domain.standards import StepClock
from tiket.domain.text import Msg, WorkingMinutes
from tiket.domain.vocabulary import (
    OPEN_STATUSES,
    STAFF_ROLES,
    Action,
    Decision,
    Path,
    Role,
    Status,
    Step,
)

Fields = Mapping[str, Any]


class Draft:
    """The change an effect is building: the ticket after it, its notes and its emails."""

    def __init__(self, ticket: Ticket, actor: Actor, now: datetime, clock: StepClock):
        self.before = ticket
        self.ticket = ticket
        self.actor = actor
        self.now = now
        self.clock = clock
        self.notices: list[Notice] = []
        self.note = ""
        self.params: dict[str, Any] = {}

    def set(self, **changes: Any) -> None:
        self.ticket = replace(self.ticket, **changes)

    def finish(self, step: Step) -> None:
        record = self.ticket.step(step)
        if record is not None and record.open:
            self.ticket = self.ticket.with_step(self.clock.complete(record, self.now))

    def begin(self, step: Step, minutes: float | None = None) -> None:
        """Start ``step``'s clock. A step begun again (a returned referral diagnosed anew) is
        timed afresh: its new record may breach and escalate again; the earlier breach
        stays in the history."""
        if self.ticket.step(step) is not None:
            self.ticket = replace(self.ticket, breaches=self.ticket.breaches - {step})
        self.ticket = self.ticket.with_step(self.clock.start(step, self.now, minutes))

    def notify(self, kind: str, to: str, *actions: Action, **extra: Any) -> None:
        self.notices.append(Notice(kind, to, tuple(actions), extra))

    def begin_handling(self, minutes: float) -> None:
        """SOP step 6 starts on the estimate given; the requester is told when to expect
        it done (its *tentatif* time, in the working calendar)."""
        self.begin(Step.HANDLE, minutes)
        handling = self.ticket.step(Step.HANDLE)
        self.notify("estimate", "requester", due=handling.due_at if handling else None)


Effect = Callable[[Draft, Fields], Status]


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    roles: frozenset[Role]
    effect: Effect
    holder_only: bool = False  # only the staff member holding the ticket


def _acknowledge(d: Draft, fields: Fields) -> Status:
    d.set(assignee=d.actor.email, assignee_name=d.actor.name)
    d.finish(Step.ACKNOWLEDGE)
    d.begin(Step.DIAGNOSE)
    d.notify("acknowledged", "requester")
    d.notify("next_steps", "actor", Action.DIAGNOSE, Action.CANCEL)
    return Status.ACKNOWLEDGED


def _diagnose(d: Draft, fields: Fields) -> Status:
    d.set(diagnosis=fields["diagnosis"])
    d.note = fields["diagnosis"]
    d.finish(Step.DIAGNOSE)
    if fields["decision"] == Decision.HANDLE:
        d.set(path=Path.TIK, estimate_minutes=fields["estimate_minutes"])
        d.begin_handling(fields["estimate_minutes"])
        d.notify("next_steps", "actor", Action.RESOLVE, Action.HOLD, Action.CANCEL)
        return Status.IN_PROGRESS
    d.set(path=Path.RT)
    d.begin(Step.RT_ACCEPT)
    d.notify("referred", "requester")
    d.notify("referral", "pool:rt", Action.ACCEPT, Action.RETURN)
    return Status.REFERRED


def _accept(d: Draft, fields: Fields) -> Status:
    minutes = fields["estimate_minutes"]
    d.set(
        repair_assignee=d.actor.email,
        repair_assignee_name=d.actor.name,
        estimate_minutes=minutes,
    )
    d.params = {"minutes": WorkingMinutes(minutes)}
    d.finish(Step.RT_ACCEPT)
    d.begin_handling(minutes)
    d.notify("next_steps", "actor", Action.RESOLVE, Action.HOLD)
    d.notify("repair_accepted", "assignee")
    return Status.IN_REPAIR


def _resolve(d: Draft, fields: Fields) -> Status:
    d.set(resolution=fields["resolution"], resolved_at=d.now)
    d.note = fields["resolution"]
    d.finish(Step.HANDLE)
    d.notify("resolved", "requester")
    if d.before.status == Status.IN_REPAIR:
        d.notify("repair_done", "assignee")
    return Status.RESOLVED


def _hold(d: Draft, fields: Fields) -> Status:
    d.set(hold_reason=fields["reason"], held_from=d.before.status)
    d.note = fields["reason"]
    current = d.before.current_step()
    if current is not None:
        d.ticket = d.ticket.with_step(d.clock.pause(current, d.now))
    d.notify("on_hold", "requester")
    d.notify("next_steps", "actor", Action.RESUME, Action.CANCEL)
    return Status.ON_HOLD


def _resume(d: Draft, fields: Fields) -> Status:
    back = d.before.held_from or Status.IN_PROGRESS
    d.set(hold_reason=None, held_from=None)
    current = d.before.current_step()
    if current is not None and current.paused_since is not None:
        d.ticket = d.ticket.with_step(d.clock.resume(current, d.now))
    d.notify("next_steps", "actor", Action.RESOLVE, Action.HOLD, Action.CANCEL)
    return back


def _cancel(d: Draft, fields: Fields) -> Status:
    d.set(cancel_reason=fields["reason"], closed_at=d.now)
    d.note = fields["reason"]
    d.notify("cancelled", "requester")
    return Status.CANCELLED


def _reopen(d: Draft, fields: Fields) -> Status:
    """The requester says the problem is not solved: back to whoever resolved it, on the
    same estimate."""
    before = d.before
    back = Status.IN_REPAIR if before.path == Path.RT else Status.IN_PROGRESS
    d.set(resolved_at=None, resolution=None, reopens=before.reopens + 1)
    d.note = fields["reason"]
    # The handling clock starts again; a breach of it stays recorded (once per step).
    d.begin_handling(before.estimate_minutes or d.clock.standards.minutes(Step.HANDLE))
    d.notify(
        "reopened", "holder", Action.RESOLVE, Action.HOLD, Action.CANCEL, reason=fields["reason"]
    )
    return back


def _survey(d: Draft, fields: Fields) -> Status:
    d.set(survey=fields["survey"], closed_at=d.now)
    return Status.CLOSED


def _auto_close(d: Draft, fields: Fields) -> Status:
    d.set(closed_at=d.now)
    d.params = {"days": fields["days"]}
    return Status.CLOSED


def _return(d: Draft, fields: Fields) -> Status:
    """Facilities hands the referral back (not theirs to repair): the ICT member who
    referred it diagnoses again, on a fresh diagnosis clock."""
    if not d.before.assignee:  # brought over from the old form without its ICT member
        raise Conflict(Msg("return.no_referrer"), current_status=d.before.status)
    d.note = fields["reason"]
    d.set(path=None)
    d.finish(Step.RT_ACCEPT)
    d.begin(Step.DIAGNOSE)
    d.notify("returned", "assignee", Action.DIAGNOSE, Action.CANCEL, by=d.actor.name, reason=d.note)
    d.notify("returned_requester", "requester")
    return Status.ACKNOWLEDGED


# What a new holder may be offered in their email; each recipient gets those allowed now.
HOLDER_ACTIONS = (Action.DIAGNOSE, Action.RESOLVE, Action.HOLD, Action.RESUME, Action.CANCEL)


def _reassign(d: Draft, fields: Fields) -> Status:
    """Held work moves to another active member of the holder's role; its clocks run on."""
    before = d.before
    to: Staff | None = fields.get("to")
    if to is None:
        raise ValidationFailed({"email": Msg("reassign.unknown")})
    repair = (before.held_from if before.status == Status.ON_HOLD else before.status) == (
        Status.IN_REPAIR
    )
    role = Role.RT if repair else Role.TIK
    if not to.active:
        raise Conflict(Msg("reassign.inactive", {"name": to.name}), current_status=before.status)
    if to.role != role:
        raise Conflict(
            Msg("reassign.role", {"name": to.name, "role": role}), current_status=before.status
        )
    previous, previous_name = before.holder(), before.holder_name()
    if to.email == previous:
        raise Conflict(Msg("reassign.same", {"name": to.name}), current_status=before.status)
    if repair:
        d.set(repair_assignee=to.email, repair_assignee_name=to.name)
    else:
        d.set(assignee=to.email, assignee_name=to.name)
    d.params = {"from_name": previous_name or "", "to_name": to.name}
    by = d.actor.name
    d.notify("reassigned", "holder", *HOLDER_ACTIONS, by=by, previous=previous_name or "-")
    if previous:
        d.notify("reassigned_away", f"staff:{previous}", by=by, to_name=to.name)
    d.notify("reassigned_requester", "requester", handler=to.name)
    return before.status


HANDLING = frozenset({Status.IN_PROGRESS, Status.IN_REPAIR})
TIK, RT = frozenset({Role.TIK}), frozenset({Role.RT})
HELD = frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.IN_REPAIR, Status.ON_HOLD})

TRANSITIONS: dict[Action, Transition] = {
    Action.ACKNOWLEDGE: Transition(frozenset({Status.NEW}), TIK, _acknowledge),
    Action.DIAGNOSE: Transition(frozenset({Status.ACKNOWLEDGED}), TIK, _diagnose, True),
    Action.ACCEPT: Transition(frozenset({Status.REFERRED}), RT, _accept),
    Action.RESOLVE: Transition(HANDLING, TIK | RT, _resolve, True),
    Action.HOLD: Transition(HANDLING, TIK | RT, _hold, True),
    Action.RESUME: Transition(frozenset({Status.ON_HOLD}), TIK | RT, _resume, True),
    Action.CANCEL: Transition(OPEN_STATUSES, TIK, _cancel),
    Action.SURVEY: Transition(frozenset({Status.RESOLVED}), frozenset({Role.REQUESTER}), _survey),
    Action.AUTO_CLOSE: Transition(
        frozenset({Status.RESOLVED}), frozenset({Role.SYSTEM}), _auto_close
    ),
    Action.REOPEN: Transition(frozenset({Status.RESOLVED}), frozenset({Role.REQUESTER}), _reopen),
    Action.RETURN: Transition(frozenset({Status.REFERRED}), RT, _return),
    Action.REASSIGN: Transition(HELD, frozenset({Role.SUPERVISOR, Role.ADMIN}), _reassign),
}

# What staff do from their links and pages, in a stable order (for emails and pages).
STAFF_ACTIONS: tuple[Action, ...] = tuple(
    action for action, rule in TRANSITIONS.items() if rule.roles & set(STAFF_ROLES)
)


def check(ticket: Ticket, action: Action, actor: Actor) -> None:
    """Raise unless ``actor`` may do ``action`` on ``ticket`` now. Changes nothing."""
    rule = TRANSITIONS[action]
    if ticket.status not in rule.sources:
        if action == Action.ACKNOWLEDGE and ticket.assignee_name:
            raise Conflict(
                Msg("action.taken_by", {"name": ticket.assignee_name, "status": ticket.status}),
                current_status=ticket.status,
            )
        if action == Action.REASSIGN and ticket.open:
            # Nobody holds it yet: everyone in the pool got it and may take it.
            raise Conflict(
                Msg("reassign.unheld", {"status": ticket.status}), current_status=ticket.status
            )
        raise Conflict(
            Msg("action.not_allowed", {"status": ticket.status}), current_status=ticket.status
        )
    if actor.role not in rule.roles:
        raise Forbidden(Msg("action.role", {"role": tuple(rule.roles)}))
    if rule.holder_only and actor.email != ticket.holder():
        raise Forbidden(Msg("action.not_holder"))


def allowed_actions(
    ticket: Ticket, actor: Actor, among: tuple[Action, ...] = STAFF_ACTIONS
) -> tuple[Action, ...]:
    """The actions ``actor`` could take now, in a stable order (for email links)."""
    possible = []
    for action in among:
        try:
            check(ticket, action, actor)
        except (Conflict, Forbidden):
            continue
        possible.append(action)
    return tuple(possible)


def open_ticket(
    *,
    number: str,
    requester: Requester,
    category: str,
    subject: str,
    description: str,
    asset_tag: str | None,
    track_token: str | None = None,
    now: datetime,
    clock: StepClock,
    repeat_count: int | None = None,
) -> Outcome:
    """A new request (SOP step 3): status ``new``, the dispatch and acknowledge clocks running."""
    ticket = Ticket(
        number=number,
        status=Status.NEW,
        version=1,
        created_at=now,
        requester=requester,
        category=category,
        subject=subject,
        description=description,
        asset_tag=asset_tag,
        repeat_count=repeat_count,
        track_token=track_token,
        steps=(clock.start(Step.NOTIFY, now), clock.start(Step.ACKNOWLEDGE, now)),
    )
    history = HistoryEntry(
        at=now,
        action=Action.CREATE,
        from_status=None,
        to_status=Status.NEW,
        actor=Actor(email=requester.email, name=requester.name, role=Role.REQUESTER),
    )
    notices = (
        Notice("confirmation", "requester"),
        Notice("new_ticket", "pool:tik", actions=(Action.ACKNOWLEDGE, Action.CANCEL)),
    )
    return Outcome(ticket, history, notices)


def imported(ticket: Ticket, now: datetime) -> Outcome:
    """A ticket brought over as it stands (migration from the old form)."""
    history = HistoryEntry(
        at=now,
        action=Action.IMPORT,
        from_status=None,
        to_status=ticket.status,
        actor=Actor.system(),
    )
    return Outcome(ticket, history)


def apply(
    ticket: Ticket,
    action: Action,
    actor: Actor,
    fields: Fields,
    now: datetime,
    clock: StepClock,
) -> Outcome:
    """The transition ``action`` by ``actor``; raises if it is not allowed. Pure."""
    check(ticket, action, actor)
    draft = Draft(ticket, actor, now, clock)
    to = TRANSITIONS[action].effect(draft, fields)
    after = replace(draft.ticket, status=to, version=ticket.version + 1)
    history = HistoryEntry(
        at=now,
        action=action,
        from_status=ticket.status,
        to_status=to,
        actor=actor,
        note=draft.note,
        params=draft.params,
    )
    return Outcome(after, history, tuple(draft.notices))
