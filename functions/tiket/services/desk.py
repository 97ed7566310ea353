"""The staff's side: the queue of open tickets and a ticket with everything staff may see."""

from __future__ import annotations

from datetime import datetime

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.errors import NotFound
from tiket.domain.model import Staff, Ticket
from tiket.domain.privacy import visible_to
from tiket.domain.text import Msg
from tiket.services.attachments import AttachmentService
from tiket.services.ports import Clock, TicketQueries, TicketStore
from tiket.services.views import (
    QueueRow,
    StaffTicketFull,
    history_json,
    messages_json,
    staff_ticket,
    steps_json,
    ticket_summary,
)

MAX_NUMBER_LENGTH = 32


class StaffDesk:
    def __init__(
        self,
        tickets: TicketStore,
        queries: TicketQueries,
        clock: Clock,
        calendar: WorkingCalendar,
        files: AttachmentService,
    ):
        self.tickets = tickets
        self.queries = queries
        self.clock = clock
        self.calendar = calendar
        self.files = files

    def queue(
        self,
        staff: Staff,
        lang: str,
        status: str | None = None,
        assignee: str | None = None,
        late_only: bool = False,
    ) -> list[QueueRow]:
        """Open tickets ordered by the due time of their current step; ``assignee`` is an
        email, ``me`` or ``pool`` (unclaimed work, straight from the assignee index)."""
        now = self.clock.now()
        zone = self.calendar.zone
        if assignee == "me":
            assignee = staff.email
        if assignee == "pool":
            tickets = self.queries.held_by("POOL#tik") + self.queries.held_by("POOL#rt")
        else:
            tickets = self.queries.open_tickets()
        rows: list[tuple[datetime, QueueRow]] = []
        for ticket in tickets:
            if (status and ticket.status != status) or not visible_to(staff.role, ticket):
                continue
            if assignee not in (None, "pool") and assignee not in (
                ticket.assignee,
                ticket.repair_assignee,
            ):
                continue
            steps = steps_json(ticket, now, self.calendar, lang)
            late = any(step["breached"] for step in steps)
            if late_only and not late:
                continue
            current = ticket.current_step()
            row: QueueRow = {
                **ticket_summary(ticket, zone, lang),
                "unit": ticket.requester.unit,
                "location": ticket.requester.location,
                "holder": ticket.holder(),
                "holder_name": ticket.holder_name(),
                "late": late,
                "current_step": next(
                    (x for x in steps if current and x["step"] == current.step), None
                ),
                "late_steps": [step["step"] for step in steps if step["breached"]],
                "escalation_level": max(
                    (s["escalation_level"] for s in steps if s["done_at"] is None), default=0
                ),
                "asset_tag": ticket.asset_tag,
                "repeat_count": ticket.repeat_count,
            }
            rows.append((current.due_at if current else ticket.created_at, row))
        rows.sort(key=lambda pair: pair[0])
        return [row for _, row in rows]

    def ticket(self, number: str, viewer: Staff | None = None) -> Ticket:
        """``number``'s ticket; for a ``viewer``, only one they may see (minimisation)."""
        found = self.tickets.get(number) if len(number) <= MAX_NUMBER_LENGTH else None
        if found is None or (viewer is not None and not visible_to(viewer.role, found)):
            raise NotFound(Msg("error.not_found"))
        return found

    def detail(self, ticket: Ticket, lang: str) -> StaffTicketFull:
        zone = self.calendar.zone
        return {
            **staff_ticket(ticket, zone, lang, self.files.views(ticket)),
            "steps": steps_json(ticket, self.clock.now(), self.calendar, lang),
            "history": history_json(self.tickets.history(ticket.number), zone, lang, staff=True),
            "messages": messages_json(
                self.tickets.messages(ticket.number),
                zone,
                lang,
                staff=True,
                files=self.files.by_message(ticket),
            ),
        }
