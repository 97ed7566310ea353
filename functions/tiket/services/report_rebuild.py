"""``tiket reports rebuild``: the monthly report counters recounted from the tickets.

Run once where tickets existed before the counters did, and to repair them (after a
retroactive change of the working calendar, say, which moves durations already counted).
A month is read through the ``month`` index with every ticket's history, recounted
(``aggregates.recount``) and, when the stored counters differ, replaced in one transaction.

Changes keep landing meanwhile. The tickets, their histories and the counters are read one
after the other, not at one moment: a change committing between those reads makes them
disagree although nothing is wrong, so before a month is called different its tickets are
read again, and if any revision moved the month is read over (``--check`` included). One
that commits after that read but before the counters were replaced would be lost under the
replacement; so the month's tickets are read again afterwards too and, if any revision
moved, the month is done over. A change committing after the replacement adds to the new
counters, as every change does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from tiket.domain.aggregates import Key, Tally, recount
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.model import Ticket
from tiket.services.ports import ReportFigures, TicketQueries, TicketStore

PASSES = 5


@dataclass(frozen=True)
class MonthRebuilt:
    month: str
    tickets: int
    changed: bool  # the stored counters differed from the recount (and were replaced)
    passes: int
    # Stored minus recounted, counter by counter (the first pass's), for ``--check``.
    difference: dict[Key, int] = field(default_factory=dict)


class MonthKeptChanging(RuntimeError):
    pass


class FigureRebuild:
    def __init__(
        self,
        queries: TicketQueries,
        store: TicketStore,
        figures: ReportFigures,
        calendar: WorkingCalendar,
    ):
        self.queries = queries
        self.store = store
        self.figures = figures
        self.calendar = calendar

    def month(self, year: int, month: int, *, check_only: bool = False) -> MonthRebuilt:
        key = f"{year:04d}-{month:02d}"
        changed = False
        for attempt in range(1, PASSES + 1):
            tickets = list(self.queries.of_month(year, month))
            revisions = _revisions(tickets)
            histories = ((ticket, self.store.history(ticket.number)) for ticket in tickets)
            fresh = recount(histories, self.calendar).get(key, Counter())
            stored = self.figures.month(key)
            if stored == fresh:
                return MonthRebuilt(key, len(tickets), changed, attempt)
            if self._revisions(year, month) != revisions:
                continue  # a change landed while the month was read: not one moment, again
            changed = True
            if check_only:
                return MonthRebuilt(key, len(tickets), changed, attempt, _difference(stored, fresh))
            self.figures.replace(key, fresh)
            if self._revisions(year, month) == revisions:
                return MonthRebuilt(key, len(tickets), changed, attempt)
        raise MonthKeptChanging(f"{key}: tickets kept changing over {PASSES} recounts")

    def _revisions(self, year: int, month: int) -> dict[str, int]:
        return _revisions(self.queries.of_month(year, month))


def _difference(stored: Tally, fresh: Tally) -> dict[Key, int]:
    keys = sorted(stored.keys() | fresh.keys())
    return {key: stored[key] - fresh[key] for key in keys if stored[key] != fresh[key]}


def _revisions(tickets: Iterable[Ticket]) -> dict[str, int]:
    return {ticket.number: ticket.revision for ticket in tickets}
