"""Turns the domain's notices into emails: picks the recipients, gives each staff member the
action links they may use (signed for them, for the ticket's version), and words it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from tiket.adapters.mail.message import OutgoingMail
from tiket.adapters.mail.render import MailContent
from tiket.domain.lifecycle import allowed_actions, status_text
from tiket.domain.model import Actor, Notice, Staff, Ticket
from tiket.messages import ACTIONS, CATEGORIES, STEPS, format_datetime, format_minutes, label, t

if TYPE_CHECKING:
    from tiket.services.context import Services

# Kinds addressed to the requester; the rest go to staff.
REQUESTER_KINDS = frozenset(
    {
        "confirmation",
        "acknowledged",
        "referred",
        "resolved",
        "on_hold",
        "cancelled",
        "survey_reminder",
    }
)
# Kinds whose subject is exactly "[number] subject" (the two emails of a new request).
PLAIN_SUBJECT_KINDS = frozenset({"confirmation", "new_ticket"})


class Notifier:
    def __init__(self, services: Services):
        self.s = services

    def mails_for(
        self,
        ticket: Ticket,
        notices: tuple[Notice, ...] | list[Notice],
        now: datetime,
        actor: Actor | None = None,
        staff_by_role: dict[str, list[Staff]] | None = None,
    ) -> list[OutgoingMail]:
        """``staff_by_role``: a lookup shared by the calls of one run (the sweep's), so each
        role's staff list is read once per run, not once per ticket."""
        roles = {} if staff_by_role is None else staff_by_role
        mails = []
        for notice in notices:
            for staff in self._recipients(ticket, notice.to, actor, roles):
                mails.append(self.render(ticket, notice, staff, now))
        return mails

    def _recipients(
        self, ticket: Ticket, target: str, actor: Actor | None, roles: dict[str, list[Staff]]
    ) -> list[Staff]:
        """Recipients as ``Staff`` values (the requester is given role "requester")."""
        if target == "requester":
            r = ticket.requester
            return [Staff(r.email, r.name, "requester")]
        if target == "actor":
            return [Staff(actor.email, actor.name, actor.role)] if actor and actor.email else []
        if target == "assignee":
            if not ticket.assignee:
                return []
            return [Staff(ticket.assignee, ticket.assignee_name or ticket.assignee, "tik")]
        if target.startswith(("pool:", "role:")):
            role = target.split(":", 1)[1]
            if role not in roles:
                roles[role] = self.s.store.staff_with_role(role)
            return roles[role]
        raise ValueError(f"Unknown recipient {target!r}")

    def render(self, ticket: Ticket, notice: Notice, to: Staff, now: datetime) -> OutgoingMail:
        kind = notice.kind
        links = self._action_links(ticket, notice, to, now)
        for_requester = kind in REQUESTER_KINDS
        content = MailContent(
            greeting=t("mail.greeting", name=to.name),
            paragraphs=self._paragraphs(ticket, notice, bool(links)),
            details=self._details(ticket, staff=not for_requester),
            deadline=None if for_requester else self._deadline(ticket),
            actions=links,
            link=self._link(ticket, kind, for_requester),
            footer=t("mail.footer", unit=self.s.settings.unit_name),
        )
        text, html = self.s.renderer.render(content)
        return OutgoingMail(
            id=uuid.uuid4().hex,
            ticket=ticket.number,
            kind=kind,
            to=to.email,
            to_name=to.name,
            subject=self._subject(ticket, kind),
            text=text,
            html=html,
            created_at=now,
        )

    def _action_links(
        self, ticket: Ticket, notice: Notice, to: Staff, now: datetime
    ) -> list[tuple[str, str]]:
        if not notice.actions or to.role == "requester":
            return []
        usable = allowed_actions(ticket, to.as_actor(), among=notice.actions)
        return [
            (label(ACTIONS, action), self.s.links.action(ticket, action, to.email, now))
            for action in usable
        ]

    def _subject(self, ticket: Ticket, kind: str) -> str:
        if kind in PLAIN_SUBJECT_KINDS:
            return t("mail.subject", number=ticket.number, subject=ticket.subject)
        return t(
            "mail.subject.prefixed",
            number=ticket.number,
            prefix=t(f"mail.{kind}.prefix"),
            subject=ticket.subject,
        )

    def _paragraphs(self, ticket: Ticket, notice: Notice, has_links: bool) -> list[str]:
        kind = notice.kind
        params = {
            "number": ticket.number,
            "status": status_text(ticket.status),
            "name": ticket.repair_assignee_name
            if kind in ("repair_accepted", "repair_done")
            else ticket.assignee_name or "",
            "estimate": format_minutes(ticket.estimate_minutes or 0),
            **notice.extra,
        }
        paragraphs = [t(f"mail.{kind}.intro", **params)]
        reason = {
            "on_hold": ticket.hold_reason,
            "cancelled": ticket.cancel_reason,
            "resolved": ticket.resolution,
            "referral": ticket.diagnosis,
        }.get(kind)
        if reason:
            key = {
                "resolved": "mail.detail.resolution",
                "referral": "mail.detail.diagnosis",
            }.get(kind, "mail.detail.reason")
            paragraphs.append(f"{t(key)}: {reason}")
        if kind == "breach" and not ticket.assignee:
            paragraphs.append(t("mail.breach.pool"))
        if kind == "next_steps" and not has_links:
            paragraphs.append(t("mail.next_steps.none"))
        return paragraphs

    def _details(self, ticket: Ticket, staff: bool) -> list[tuple[str, str]]:
        r = ticket.requester
        rows = [
            ("mail.detail.number", ticket.number),
            ("mail.detail.status", status_text(ticket.status)),
            ("mail.detail.subject", ticket.subject),
            ("mail.detail.category", label(CATEGORIES, ticket.category)),
            ("mail.detail.created", format_datetime(ticket.created_at)),
        ]
        if staff:
            contact = r.email + (f" / {r.phone}" if r.phone else "")
            requester = r.name + (f" (NIP {r.nip})" if r.nip else "")
            rows += [
                ("mail.detail.requester", requester),
                ("mail.detail.contact", contact),
                ("mail.detail.unit", r.unit),
                ("mail.detail.location", r.location),
                ("mail.detail.asset", ticket.asset_tag or ""),
                ("mail.detail.assignee", ticket.assignee_name or ""),
                ("mail.detail.description", ticket.description),
                ("mail.detail.diagnosis", ticket.diagnosis or ""),
            ]
        return [(t(key), value) for key, value in rows if value]

    def _deadline(self, ticket: Ticket) -> str | None:
        step = ticket.current_step()
        if step is None or not ticket.open or step.paused_since is not None:
            return None
        return t(
            "mail.deadline",
            step=label(STEPS, step.step),
            deadline=format_datetime(step.due_at),
            minutes=format_minutes(step.standard_minutes),
        )

    def _link(self, ticket: Ticket, kind: str, for_requester: bool) -> tuple[str, str] | None:
        if for_requester:
            if not ticket.track_token:
                return None
            key = (
                "mail.link.survey" if kind in ("resolved", "survey_reminder") else "mail.link.track"
            )
            return t(key), self.s.links.track(ticket.track_token)
        return t("mail.link.ticket"), self.s.links.staff_ticket(ticket.number)
