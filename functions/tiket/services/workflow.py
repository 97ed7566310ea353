"""The staff workflow beyond email links (PRODUCT.md §12): acting from the staff ticket page
through the same service and rules as the links, what the page offers the signed-in member
(their actions, estimate presets, reassignment candidates, contact links), and where a
ticket stands for someone whose link came too late (the pages that lead on)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from typing_extensions import TypedDict

from tiket.domain import lifecycle
from tiket.domain.errors import Conflict, NotFound, ValidationFailed
from tiket.domain.estimates import estimate_presets
from tiket.domain.model import HistoryEntry, Staff, Ticket
from tiket.domain.privacy import erased
from tiket.domain.standards import StepClock
from tiket.domain.text import Msg
from tiket.domain.vocabulary import Action, Role, Status, Step
from tiket.messages import ACTIONS, ROLES, format_minutes, label, t
from tiket.services.action_forms import ACTION_FORMS
from tiket.services.actions import ActionDone, ActionService
from tiket.services.contact import ContactLinks, contact_links
from tiket.services.desk import StaffDesk
from tiket.services.links import Links
from tiket.services.minimise import minimised
from tiket.services.ports import StaffDirectory, TicketStore
from tiket.services.views import StaffTicketFull

# Changes that are not someone's step in the SOP: never "who took it".
SYSTEM_ACTIONS = frozenset(
    {Action.DISPATCH, Action.BREACH, Action.REMIND, Action.ESCALATE, Action.AUTO_CLOSE}
)


class ActionChoice(TypedDict):
    action: Action
    label: str
    description: str  # what it does, for the form
    fields: list[str]


class EstimatePreset(TypedDict):
    code: str
    label: str
    minutes: int


class Candidate(TypedDict):
    email: str
    name: str
    role: Role
    role_label: str


class WorkflowPanel(TypedDict):
    """What the staff ticket page offers the signed-in member on this ticket now."""

    actions: list[ActionChoice]
    estimate_presets: list[EstimatePreset]
    estimate_hint: str
    reassign_to: list[Candidate]  # active members of the holder's role (reassign only)
    contact: ContactLinks


class StaffTicketPage(StaffTicketFull, WorkflowPanel):
    """``GET /api/staff/tickets/<number>``: the ticket, and what the reader may do on it."""


class StaffActed(TypedDict):
    """``POST /api/staff/tickets/<number>/actions/<action>``: done; the page as it is now."""

    ok: Literal[True]
    action: Action
    message: str
    ticket: StaffTicketPage


@dataclass(frozen=True)
class Situation:
    """Where a ticket stands for a link's recipient who came too late."""

    ticket: Ticket
    staff: Staff
    last: HistoryEntry | None  # the newest change someone made
    possible: tuple[Action, ...]  # what the recipient may do now


class StaffWorkflow:
    def __init__(
        self,
        actions: ActionService,
        tickets: TicketStore,
        staff: StaffDirectory,
        links: Links,
        step_clock: StepClock,
        desk: StaffDesk,
    ):
        self.desk = desk
        self.actions = actions
        self.tickets = tickets
        self.staff = staff
        self.links = links
        self.step_clock = step_clock

    # --- acting from the staff page ------------------------------------------------------

    def act(self, number: str, staff: Staff, action: str, body: Any) -> ActionDone:
        """``action`` by the signed-in ``staff`` on ticket ``number``, as the page saw it:
        the body's ``version`` must be the ticket's current one (else 409, nothing done)."""
        if action not in lifecycle.STAFF_ACTIONS:
            raise NotFound(Msg("workflow.unknown_action"))
        if not isinstance(body, dict):
            raise ValidationFailed({}, Msg("field.object"))
        version = body.get("version")
        if isinstance(version, bool) or not isinstance(version, int):
            raise ValidationFailed({"version": Msg("workflow.version")})
        ticket = self.tickets.get(number)
        if ticket is None:
            raise NotFound(Msg("error.not_found"))
        if ticket.version != version:
            raise Conflict(
                Msg("workflow.stale", {"status": ticket.status}), current_status=ticket.status
            )
        return self.actions.act(ticket, staff, Action(action), body)

    # --- what the staff page offers --------------------------------------------------------

    def presets(self, lang: str) -> list[EstimatePreset]:
        cap = self.step_clock.standards.handle_cap
        minutes = estimate_presets(self.step_clock.calendar.office_hours, cap)
        return [
            {"code": code, "label": t(f"estimate.{code}", lang), "minutes": value}
            for code, value in minutes.items()
        ]

    def preset_hint(self, lang: str) -> str:
        day = estimate_presets(self.step_clock.calendar.office_hours, 10**6)["day1"]
        return t(
            "page.hint.presets",
            lang,
            half=format_minutes(day // 2, lang),
            day=format_minutes(day, lang),
        )

    def page(self, ticket: Ticket, staff: Staff, lang: str) -> StaffTicketPage:
        """The staff ticket page's data for ``staff`` (minimised for ``rt``). Whether
        ``staff`` may open it is ``StaffDesk.ticket``'s to say: a facilities member who has
        just returned a referral still gets the answer about it."""
        page: StaffTicketPage = {
            **self.desk.detail(ticket, lang),
            **self.panel(ticket, staff, lang),
        }
        return minimised(page, staff.role)

    def panel(self, ticket: Ticket, staff: Staff, lang: str) -> WorkflowPanel:
        possible = lifecycle.allowed_actions(ticket, staff.as_actor())
        r = ticket.requester
        # Acknowledging starts the diagnosis step: its description names that standard.
        diagnosis = format_minutes(self.step_clock.standards.minutes(Step.DIAGNOSE), lang)
        return {
            "actions": [
                {
                    "action": action,
                    "label": label(ACTIONS, action, lang),
                    "description": t(f"page.action.{action}", lang, minutes=diagnosis),
                    "fields": list(ACTION_FORMS[action].field_names()),
                }
                for action in possible
            ],
            "estimate_presets": self.presets(lang),
            "estimate_hint": self.preset_hint(lang),
            "reassign_to": self._candidates(ticket, lang) if Action.REASSIGN in possible else [],
            # An erased requester (PRODUCT.md §14) cannot be reached any more.
            "contact": contact_links(None, None, ticket.number, ticket.subject)
            if erased(ticket)
            else contact_links(r.email, r.phone, ticket.number, ticket.subject),
        }

    def _candidates(self, ticket: Ticket, lang: str) -> list[Candidate]:
        stage = ticket.held_from if ticket.status == Status.ON_HOLD else ticket.status
        role = Role.RT if stage == Status.IN_REPAIR else Role.TIK
        return [
            {
                "email": member.email,
                "name": member.name,
                "role": member.role,
                "role_label": label(ROLES, member.role, lang),
            }
            for member in sorted(self.staff.with_role(role), key=lambda m: m.name)
            if member.active and member.email != ticket.holder()
        ]

    # --- pages that lead on ---------------------------------------------------------------

    def situation(self, token: str) -> Situation | None:
        """Where the ticket of a link that came too late stands, for its recipient; None
        when the link itself is no good (forged, or its recipient is gone)."""
        subject = self.actions.subject(token)
        if subject is None:
            return None
        ticket, staff = subject
        history = self.tickets.history(ticket.number)
        last = next((e for e in reversed(history) if e.action not in SYSTEM_ACTIONS), None)
        # Cancelling is possible on any open ticket, but it is never the step one came for.
        possible = tuple(
            action
            for action in lifecycle.allowed_actions(ticket, staff.as_actor())
            if action != Action.CANCEL
        )
        return Situation(ticket, staff, last, possible)

    def staff_page(self, number: str, action: Action | None = None) -> str:
        """The staff ticket page, opened on ``action``'s form when given. The page sends a
        visitor without a session to sign in and brings them back."""
        url = self.links.staff_ticket(number)
        if action is None:
            return url
        base, _, fragment = url.partition("#")
        return f"{base}?act={action}#{fragment}"
