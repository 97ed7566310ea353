"""The ticket and what happens to it, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from tiket.domain.attachments import StoredAttachment
from tiket.domain.standards import StepRecord
from tiket.domain.vocabulary import (
    OPEN_STATUSES,
    STEP_ORDER,
    Action,
    Channel,
    Path,
    Role,
    Status,
    Step,
)


@dataclass(frozen=True)
class Requester:
    name: str
    email: str
    unit: str
    location: str
    nip: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff member (email, name, role), the requester, or the system."""

    email: str | None
    name: str
    role: Role

    @staticmethod
    def system() -> Actor:
        return Actor(email=None, name="TIKet", role=Role.SYSTEM)


@dataclass(frozen=True)
class Staff:
    email: str
    name: str
    role: Role
    active: bool = True
    # Sessions opened before this instant are over (signing out ends them everywhere).
    signed_out_at: datetime | None = None

    def as_actor(self) -> Actor:
        return Actor(email=self.email, name=self.name, role=self.role)


@dataclass(frozen=True)
class Survey:
    answers: dict[str, int]
    suggestion: str
    submitted_at: datetime


@dataclass(frozen=True)
class Ticket:
    number: str
    status: Status
    # The workflow version: moved by each status change (and by a reassignment, which keeps
    # the status but changes who may act); action links are bound to it.
    version: int
    created_at: datetime
    requester: Requester
    category: str
    subject: str
    description: str
    asset_tag: str | None = None
    # Set when it was filed about a device that had become a repeat failure (*berulang*): the
    # device's tickets in the window then, this one included (``domain.asset_failures``).
    repeat_count: int | None = None
    # Bearer secret of the requester's tracking link: put in their emails, never shown to staff.
    track_token: str | None = None
    steps: tuple[StepRecord, ...] = ()
    # Who holds the ticket: the ICT staff member who acknowledged it, and for the facilities
    # path the facilities staff member who accepted the repair.
    assignee: str | None = None
    assignee_name: str | None = None
    repair_assignee: str | None = None
    repair_assignee_name: str | None = None
    path: Path | None = None  # set at diagnosis
    diagnosis: str | None = None
    estimate_minutes: int | None = None
    resolution: str | None = None
    hold_reason: str | None = None
    held_from: Status | None = None
    cancel_reason: str | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    survey: Survey | None = None
    notified_at: datetime | None = None  # first new-request email to ICT staff sent
    breaches: frozenset[Step] = frozenset()  # steps whose breach is recorded
    survey_reminded_at: datetime | None = None
    # An email to the requester could not be delivered: their tracking page says so.
    undelivered_at: datetime | None = None
    # The conversation (reports count them): messages by side, and reopenings.
    requester_messages: int = 0
    staff_messages: int = 0
    reopens: int = 0
    # Files kept with the ticket, in the order attached (PRODUCT.md §11).
    attachments: tuple[StoredAttachment, ...] = ()
    # Counts every write of the ticket (the unit of work's optimistic lock); set by the store.
    revision: int = 0

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES

    def step(self, name: Step) -> StepRecord | None:
        for record in self.steps:
            if record.step == name:
                return record
        return None

    def current_step(self) -> StepRecord | None:
        """The open step being timed, if any (``notify`` runs beside the others)."""
        for record in reversed(self.steps):
            if record.step != Step.NOTIFY and record.open:
                return record
        return None

    def with_step(self, record: StepRecord) -> Ticket:
        others = tuple(r for r in self.steps if r.step != record.step)
        ordered = sorted((*others, record), key=lambda r: STEP_ORDER.index(r.step))
        return replace(self, steps=tuple(ordered))

    def holder(self) -> str | None:
        """The staff member who may resolve, hold or resume now."""
        stage = self.held_from if self.status == Status.ON_HOLD else self.status
        if stage == Status.IN_REPAIR:
            return self.repair_assignee
        if stage in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
            return self.assignee
        return None

    def holder_name(self) -> str | None:
        holder = self.holder()
        if holder is None:
            return None
        return self.repair_assignee_name if holder == self.repair_assignee else self.assignee_name

    def escalation_level(self, record: StepRecord) -> int:
        """How far up the escalation ladder ``record`` is: 0 on time or unrecorded, 1 once
        its breach is recorded, then the levels the sweep climbed since."""
        if record.escalation:
            return record.escalation
        return 1 if record.step in self.breaches else 0

    def steps_with_dispatch(self) -> tuple[StepRecord, ...]:
        """Steps in SOP order, the ``notify`` step completed from ``notified_at``."""
        if self.notified_at is None:
            return self.steps
        return tuple(
            replace(r, done_at=self.notified_at) if r.step == "notify" and r.open else r
            for r in self.steps
        )

    def late_steps(
        self, now: datetime, records: tuple[StepRecord, ...] | None = None
    ) -> frozenset[Step]:
        """Steps over their standard: recorded by the sweep, done late, or still running
        past due. An open step of a ticket no longer open is not running: never late."""
        records = self.steps_with_dispatch() if records is None else records
        return self.breaches | {
            r.step for r in records if (r.done_at is not None or self.open) and r.late_at(now)
        }


@dataclass(frozen=True)
class HistoryEntry:
    """One change, as it is kept for ever: who, when, from which status to which. ``note``
    is text a person typed (a reason, a diagnosis); ``params`` are codes and numbers that a
    reader's view turns into words in their language."""

    at: datetime
    action: Action
    from_status: Status | None
    to_status: Status
    actor: Actor
    note: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    revision: int = 0  # the ticket's revision this entry made; set by the unit of work


@dataclass(frozen=True)
class Notice:
    """An email the domain wants sent; the service picks addresses, links and words.

    ``to`` is "requester", "actor", "holder", "assignee", "pool:<role>", "role:<role>" or
    "staff:<email>" (one staff member by address, e.g. the holder a reassignment replaced);
    ``actions`` are the action links the recipient gets (for the ticket's new version).
    """

    kind: str
    to: str
    actions: tuple[Action, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Once:
    """A record a ticket may carry once: the commit that writes it a second time loses
    (a link's nonce, a breach per step, a reminder)."""

    kind: str
    key: str
    expires_at: datetime | None = None  # kept for the ticket's life when None


@dataclass(frozen=True)
class Message:
    """One message of a ticket's conversation, kept for ever beside its history entry."""

    id: str
    at: datetime
    author: Actor  # the requester, or a staff member by name and role
    text: str
    via: Channel
    attachments: tuple[str, ...] = ()  # ids of the files sent with it (issue 12)


@dataclass(frozen=True)
class Outcome:
    """What a change produces; the unit of work commits all of it in one transaction."""

    ticket: Ticket
    history: HistoryEntry
    notices: tuple[Notice, ...] = ()
    once: tuple[Once, ...] = ()
    messages: tuple[Message, ...] = ()
