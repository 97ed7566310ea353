"""Turns the domain's notices into emails: picks the recipients, gives each staff member the
action links they may use (signed for them, for the ticket's version) and a reply link, signs
a Reply-To address for each recipient of a ticket's email, and words it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from tiket.domain.asset_failures import REPEAT_WINDOW_DAYS
from tiket.domain.lifecycle import allowed_actions
from tiket.domain.model import Actor, Notice, Staff, Ticket
from tiket.domain.privacy import erased
from tiket.domain.system import holder_actor
from tiket.domain.text import Msg, WorkingMinutes
from tiket.domain.vocabulary import FINAL_STATUSES, Action, Role
from tiket.messages import ACTIONS, CATEGORIES, STATUS, format_datetime, render, t
from tiket.messages import label as label_of
from tiket.services.links import Links
from tiket.services.ports import MailContent, MailRenderer, OutgoingMail, StaffDirectory

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
        "estimate",
        "staff_message",
        "track_link",
        "returned_requester",
        "reassigned_requester",
    }
)
# Kinds whose tracking link is the survey, shown as a button.
SURVEY_KINDS = frozenset({"resolved", "survey_reminder"})
# (ticket number, recipient's address, now) -> the signed Reply-To address for them.
ReplyAddress = Callable[[str, str, datetime], str | None]


class Notifier:
    def __init__(
        self,
        staff: StaffDirectory,
        links: Links,
        renderer: MailRenderer,
        unit_name: str,
        zone: tzinfo,
        reply_address: ReplyAddress | None = None,
    ):
        self.staff = staff
        self.links = links
        self.renderer = renderer
        self.unit_name = unit_name
        self.zone = zone
        self.reply_address = reply_address  # None: the stage takes no replies by email

    def mails_for(
        self,
        ticket: Ticket,
        notices: Sequence[Notice],
        now: datetime,
        actor: Actor | None = None,
        roles: dict[str, list[Staff]] | None = None,
    ) -> list[OutgoingMail]:
        """``roles``: a lookup shared by the calls of one run (the sweep's), so each role's
        staff list is read once per run, not once per ticket."""
        cache = {} if roles is None else roles
        return [
            self.render(ticket, notice, to, now)
            for notice in notices
            for to in self._recipients(ticket, notice.to, actor, cache)
        ]

    def _recipients(
        self, ticket: Ticket, target: str, actor: Actor | None, roles: dict[str, list[Staff]]
    ) -> list[Staff]:
        """Recipients as ``Staff`` values (the requester is given role "requester")."""
        if target == "requester":
            r = ticket.requester
            if erased(ticket):  # the address is gone: nobody to tell
                return []
            return [Staff(r.email, r.name, Role.REQUESTER)]
        if target == "holder":
            actor = holder_actor(ticket)
            target = "actor"
        if target == "actor":
            return [Staff(actor.email, actor.name, actor.role)] if actor and actor.email else []
        if target.startswith("staff:"):
            # A staff member by address (the one a requester's message is for); whoever
            # left since is replaced by the ICT pool, so the message still reaches someone.
            member = self.staff.get(target.split(":", 1)[1])
            if member is not None and member.active:
                return [member]
            target = "pool:tik"
        if target == "assignee":
            if not ticket.assignee:
                return []
            return [Staff(ticket.assignee, ticket.assignee_name or ticket.assignee, Role.TIK)]
        if target.startswith("staff:"):
            member = self.staff.get(target.split(":", 1)[1])
            return [member] if member is not None and member.active else []
        if target.startswith(("pool:", "role:")):
            role = target.split(":", 1)[1]
            if role not in roles:
                roles[role] = self.staff.with_role(Role(role))
            return roles[role]
        raise ValueError(f"Unknown recipient {target!r}")

    def render(self, ticket: Ticket, notice: Notice, to: Staff, now: datetime) -> OutgoingMail:
        kind = notice.kind
        links = self._action_links(ticket, notice, to, now)
        for_requester = kind in REQUESTER_KINDS
        talking = ticket.status not in FINAL_STATUSES  # the conversation is still open
        reply_to = (
            self.reply_address(ticket.number, to.email, now)
            if self.reply_address and talking
            else None
        )
        buttons = list(links)
        link = self._link(ticket, kind, for_requester)
        if kind in SURVEY_KINDS and link is not None:
            buttons, link = [link], None  # the survey is the one thing asked: a button
        if not for_requester and talking:
            reply = self.links.action(ticket, Action.REPLY, to.email, now)
            buttons.append((label_of(ACTIONS, Action.REPLY), reply))
        params = self._params(ticket, notice)
        content = MailContent(
            greeting=t("mail.greeting", name=to.name),
            paragraphs=self._paragraphs(ticket, notice, params, bool(links)),
            details=self._details(ticket, staff=not for_requester, facilities=to.role == Role.RT),
            deadline=None if for_requester else self._deadline(ticket),
            actions=buttons,
            link=link,
            footer=t("mail.footer.reply" if reply_to else "mail.footer", unit=self.unit_name),
            quotes=self._quotes(ticket, notice, params, staff=not for_requester),
            typed_note=t("mail.fence.note"),
        )
        text, html = self.renderer.render(content)
        return OutgoingMail(
            id=uuid.uuid4().hex,
            ticket=ticket.number,
            kind=kind,
            to=to.email,
            to_name=to.name,
            subject=t(
                "mail.subject.prefixed",
                number=ticket.number,
                prefix=self.words(Msg(f"mail.{kind}.prefix", params)),
                subject=ticket.subject,
            ),
            text=text,
            html=html,
            created_at=now,
            reply_to=reply_to,
        )

    def when(self, instant: datetime) -> str:
        return format_datetime(instant, self.zone)

    def words(self, msg: Msg) -> str:
        """A ``Msg`` in the emails' words (Indonesian), times in the unit's zone."""
        return render(msg, zone=self.zone)

    def _action_links(
        self, ticket: Ticket, notice: Notice, to: Staff, now: datetime
    ) -> list[tuple[str, str]]:
        if not notice.actions or to.role == Role.REQUESTER:
            return []
        usable = allowed_actions(ticket, to.as_actor(), among=notice.actions)
        return [
            (label_of(ACTIONS, action), self.links.action(ticket, action, to.email, now))
            for action in usable
        ]

    @staticmethod
    def _params(ticket: Ticket, notice: Notice) -> dict[str, Any]:
        """What the texts of an email may say (subject prefix and paragraphs alike)."""
        kind = notice.kind
        return {
            "number": ticket.number,
            "status": ticket.status,
            "requester": ticket.requester.name,
            "name": ticket.repair_assignee_name
            if kind in ("repair_accepted", "repair_done")
            else ticket.assignee_name or "",
            "estimate": WorkingMinutes(ticket.estimate_minutes or 0),
            **notice.extra,
        }

    def _paragraphs(
        self, ticket: Ticket, notice: Notice, params: dict[str, Any], has_links: bool
    ) -> list[str]:
        kind = notice.kind
        paragraphs = [self.words(Msg(f"mail.{kind}.intro", params))]
        if kind in ("requester_message", "staff_message"):
            # The message itself is quoted below the buttons (``_quotes``).
            if notice.extra.get("files"):
                paragraphs.append(t("mail.message.files", count=notice.extra["files"]))
            paragraphs.append(t(f"mail.{kind}.answer"))
        if kind in ("breach", "escalation") and not ticket.assignee:
            paragraphs.append(t("mail.breach.pool"))
        paragraphs += [t(key) for key in notice.extra.get("notes", ())]
        if kind == "next_steps" and not has_links:
            paragraphs.append(t("mail.next_steps.none"))
        return paragraphs

    def _quotes(
        self, ticket: Ticket, notice: Notice, params: dict[str, Any], staff: bool
    ) -> list[tuple[str, str]]:
        """What people typed, each with who wrote it; the renderer fences it below the
        buttons (the message as it was written, its lines kept)."""
        kind = notice.kind
        quotes: list[tuple[str, str]] = []
        if kind in ("requester_message", "staff_message"):
            quotes.append((self.words(Msg("mail.quote.message", params)), notice.extra["text"]))
        by_staff = {
            "on_hold": ("mail.detail.reason", ticket.hold_reason),
            "cancelled": ("mail.detail.reason", ticket.cancel_reason),
            "resolved": ("mail.detail.resolution", ticket.resolution),
            "referral": ("mail.detail.diagnosis", ticket.diagnosis),
        }
        if kind in by_staff and by_staff[kind][1]:
            topic, text = by_staff[kind]
            quotes.append((t("mail.quote.by_staff", topic=t(topic)), str(text)))
        if kind == "reopened" and notice.extra.get("reason"):
            label = t(
                "mail.quote.by_requester",
                topic=t("mail.detail.reason"),
                requester=ticket.requester.name,
            )
            quotes.append((label, str(notice.extra["reason"])))
        if staff:
            label = t("mail.quote.description", requester=ticket.requester.name)
            quotes.append((label, ticket.description))
            if ticket.diagnosis and kind != "referral":
                topic = t("mail.detail.diagnosis")
                quotes.append((t("mail.quote.by_staff", topic=topic), ticket.diagnosis))
        return quotes

    def _details(
        self, ticket: Ticket, staff: bool, facilities: bool = False
    ) -> list[tuple[str, str]]:
        r = ticket.requester
        rows = [
            ("mail.detail.number", ticket.number),
            ("mail.detail.status", label_of(STATUS, ticket.status)),
            ("mail.detail.subject", ticket.subject),
            ("mail.detail.category", label_of(CATEGORIES, ticket.category)),
            ("mail.detail.created", self.when(ticket.created_at)),
        ]
        if staff:
            contact = r.email + (f" / {r.phone}" if r.phone else "")
            requester = r.name + (f" (NIP {r.nip})" if r.nip else "")
            if facilities:  # minimisation (PRODUCT.md §14): what a repair needs, no more
                contact, requester = r.phone or "", r.name
            rows += [
                ("mail.detail.requester", requester),
                ("mail.detail.contact", contact),
                ("mail.detail.unit", r.unit),
                ("mail.detail.location", r.location),
                ("mail.detail.asset", ticket.asset_tag or ""),
                ("assets.mail.device", self._repeat(ticket)),
                ("mail.detail.assignee", ticket.assignee_name or ""),
            ]
        if ticket.attachments:
            rows.append(
                ("attachment.title", t("attachment.mail.count", count=len(ticket.attachments)))
            )
        return [(t(key), value) for key, value in rows if value]

    def _repeat(self, ticket: Ticket) -> str:
        """The *berulang* flag the ticket was filed with, in words ("" when it has none)."""
        if not ticket.repeat_count:
            return ""
        params = {"count": ticket.repeat_count, "days": REPEAT_WINDOW_DAYS}
        return self.words(Msg("assets.repeat.detail", params))

    def _deadline(self, ticket: Ticket) -> str | None:
        step = ticket.current_step()
        if step is None or not ticket.open or step.paused_since is not None:
            return None
        return self.words(
            Msg(
                "mail.deadline",
                {
                    "step": step.step,
                    "deadline": step.due_at,
                    "minutes": WorkingMinutes(step.standard_minutes),
                },
            )
        )

    def _link(self, ticket: Ticket, kind: str, for_requester: bool) -> tuple[str, str] | None:
        if for_requester:
            if not ticket.track_token:
                return None
            key = "mail.link.survey" if kind in SURVEY_KINDS else "mail.link.track"
            return t(key), self.links.track(ticket.track_token)
        return t("mail.link.ticket"), self.links.staff_ticket(ticket.number)
