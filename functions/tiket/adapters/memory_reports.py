"""The report ports in memory: the monthly counters ``MemoryTickets.write`` adds to, and
export jobs with the DynamoDB store's lease semantics."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tiket.domain.aggregates import Tally
from tiket.domain.errors import WriteConflict
from tiket.domain.model import Ticket
from tiket.services.export_ports import QUEUED, RUNNING, ExportJob

if TYPE_CHECKING:
    from tiket.adapters.memory import MemoryTickets


class MemoryFigures:
    """The report counters that ``MemoryTickets.write`` adds to."""

    def __init__(self, tickets: MemoryTickets):
        self.tickets = tickets

    def month(self, month: str) -> Tally:
        with self.tickets.lock:
            counts = self.tickets.figures.get(month, Counter())
            return Counter({key: n for key, n in counts.items() if n})

    def replace(self, month: str, tally: Tally) -> None:
        with self.tickets.lock:
            self.tickets.figures[month] = Counter(tally)

    def past_due(self, now: datetime) -> list[Ticket]:
        return [self.tickets.tickets[number] for number in self.tickets.due(now, limit=10**9)]

    def fold(self, now: datetime) -> int:
        return 0  # the months are kept whole

    def month_tickets(
        self, year: int, month: int, after: str | None = None
    ) -> Iterator[tuple[str, Ticket]]:
        for ticket in self.tickets.of_month(year, month):
            key = f"{ticket.created_at.astimezone(UTC).isoformat()}#{ticket.number}"
            if after is None or key > after:
                yield key, ticket


class MemoryExportJobs:
    def __init__(self) -> None:
        self.jobs: dict[str, ExportJob] = {}
        self.lock = threading.Lock()

    def create(self, job: ExportJob) -> None:
        with self.lock:
            if job.id in self.jobs:
                raise WriteConflict(["ConditionalCheckFailed"])
            self.jobs[job.id] = job

    def get(self, job_id: str) -> ExportJob | None:
        return self.jobs.get(job_id)

    def claim(
        self, job_id: str, runner: str, now: datetime, lease_until: datetime
    ) -> ExportJob | None:
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None or job.status not in (QUEUED, RUNNING):
                return None
            if job.lease_until is not None and job.lease_until >= now:
                return None
            taken = replace(
                job, runner=runner, lease_until=lease_until, status=RUNNING, updated_at=now
            )
            self.jobs[job_id] = taken
            return taken

    def save(self, job: ExportJob, holder: str) -> bool:
        with self.lock:
            current = self.jobs.get(job.id)
            if current is None or current.runner != holder:
                return False
            self.jobs[job.id] = job
            return True
