"""Staff search over every ticket, open or closed (PRODUCT.md §12): by number, requester,
text and period.

A number is one GetItem. Everything else reads the tickets filed in the period month by
month through the ``month`` index (never a Scan), newest month first, and stops after the
month that filled the page: a search costs the months it needs, not the table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from typing_extensions import TypedDict

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.errors import ValidationFailed
from tiket.domain.model import Ticket
from tiket.domain.privacy import visible_to
from tiket.domain.text import Msg
from tiket.domain.vocabulary import OPEN_STATUSES, Role, Status
from tiket.services.ports import Clock, TicketQueries, TicketStore
from tiket.services.views import IsoTime, TicketSummary, iso, ticket_summary

NUMBER = re.compile(r"TIK-[0-9]{4}-[0-9]{6}", re.IGNORECASE)
MAX_TEXT = 100
MAX_MONTHS = 12
DEFAULT_DAYS = 90
PAGE = 100
STATUS_GROUPS: dict[str, frozenset[Status]] = {
    "open": OPEN_STATUSES,
    "done": frozenset({Status.RESOLVED, Status.CLOSED, Status.CANCELLED}),
}


class FoundTicket(TicketSummary):
    requester_name: str
    unit: str
    location: str
    holder_name: str | None
    resolved_at: IsoTime | None
    closed_at: IsoTime | None
    late: bool


class SearchResult(TypedDict):
    tickets: list[FoundTicket]
    count: int
    truncated: bool  # more tickets match: narrow the period or the words
    start: str  # the period searched, as dates (YYYY-MM-DD)
    end: str


@dataclass(frozen=True)
class Query:
    text: str = ""
    requester: str = ""
    status: str = ""  # "", "open", "done" or a status code
    start: date | None = None
    end: date | None = None


def _words(value: str | None, field: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise ValidationFailed({field: Msg("workflow.bad_search", {"max": MAX_TEXT})})
    return value.casefold()


def parse_query(args: dict[str, str | None]) -> Query:
    """The query from request arguments ``q``, ``requester``, ``status``, ``from``, ``to``.
    An empty ``status``, ``from`` or ``to`` is given, and wrong (the page leaves them out)."""
    status = args.get("status")
    if status is not None and status not in STATUS_GROUPS and status not in tuple(Status):
        choices = ", ".join([*STATUS_GROUPS, *Status])
        raise ValidationFailed({"status": Msg("field.choice", {"choices": choices})})
    days: dict[str, date | None] = {}
    for name in ("from", "to"):
        text = args.get(name)
        try:
            days[name] = None if text is None else date.fromisoformat(text.strip())
        except ValueError:
            raise ValidationFailed(
                {name: Msg("workflow.bad_period", {"months": MAX_MONTHS})}
            ) from None
    return Query(
        text=_words(args.get("q"), "q"),
        requester=_words(args.get("requester"), "requester"),
        status=status or "",
        start=days["from"],
        end=days["to"],
    )


def _months_back(start: date, end: date) -> list[tuple[int, int]]:
    """(year, month) from ``end``'s month back to ``start``'s, newest first."""
    months = []
    year, month = end.year, end.month
    while (year, month) >= (start.year, start.month):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class StaffSearch:
    def __init__(
        self, tickets: TicketStore, queries: TicketQueries, clock: Clock, calendar: WorkingCalendar
    ):
        self.tickets = tickets
        self.queries = queries
        self.clock = clock
        self.calendar = calendar

    def find(self, query: Query, lang: str, role: Role | None = None) -> SearchResult:
        """Tickets matching ``query``; for ``role`` ``rt``, only those referred to it."""
        today = self.clock.now().astimezone(self.calendar.zone).date()
        end = query.end or today
        start = query.start or end - timedelta(days=DEFAULT_DAYS - 1)
        months = _months_back(start, end) if start <= end else []
        if not months or len(months) > MAX_MONTHS:
            raise ValidationFailed({"from": Msg("workflow.bad_period", {"months": MAX_MONTHS})})
        if NUMBER.fullmatch(query.text):
            # A number finds its ticket whatever the period.
            found = self.tickets.get(query.text.upper())
            matches = [found] if found is not None and self._status_matches(found, query) else []
        else:
            matches = self._in_period(query, start, end)
        if role is not None:
            matches = [ticket for ticket in matches if visible_to(role, ticket)]
        truncated = len(matches) > PAGE
        rows = [self._row(ticket, lang) for ticket in matches[:PAGE]]
        return {
            "tickets": rows,
            "count": len(rows),
            "truncated": truncated,
            "start": start.isoformat(),
            "end": end.isoformat(),
        }

    def _in_period(self, query: Query, start: date, end: date) -> list[Ticket]:
        zone = self.calendar.zone
        matches: list[Ticket] = []
        for year, month in _months_back(start, end):
            month_matches = [
                ticket
                for ticket in self.queries.of_month(year, month)
                if start <= ticket.created_at.astimezone(zone).date() <= end
                and self._matches(ticket, query)
            ]
            matches += sorted(month_matches, key=lambda t: t.created_at, reverse=True)
            if len(matches) > PAGE:
                break
        return matches

    @staticmethod
    def _status_matches(ticket: Ticket, query: Query) -> bool:
        if not query.status:
            return True
        group = STATUS_GROUPS.get(query.status)
        return ticket.status in group if group is not None else ticket.status == query.status

    def _matches(self, ticket: Ticket, query: Query) -> bool:
        r = ticket.requester
        if query.requester:
            who = " ".join(filter(None, (r.name, r.email, r.nip, r.phone))).casefold()
            if query.requester not in who:
                return False
        if query.text:
            text = " ".join(
                filter(
                    None,
                    (
                        ticket.number,
                        ticket.subject,
                        ticket.description,
                        ticket.diagnosis,
                        ticket.resolution,
                        ticket.asset_tag,
                        r.name,
                        r.unit,
                        r.location,
                    ),
                )
            ).casefold()
            if query.text not in text:
                return False
        return self._status_matches(ticket, query)

    def _row(self, ticket: Ticket, lang: str) -> FoundTicket:
        zone = self.calendar.zone
        return {
            **ticket_summary(ticket, zone, lang),
            "requester_name": ticket.requester.name,
            "unit": ticket.requester.unit,
            "location": ticket.requester.location,
            "holder_name": ticket.holder_name(),
            "resolved_at": iso(ticket.resolved_at, zone),
            "closed_at": iso(ticket.closed_at, zone),
            "late": bool(ticket.late_steps(self.clock.now())),
        }
