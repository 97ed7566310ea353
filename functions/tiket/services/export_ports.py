"""The ports of export jobs (PRODUCT.md §13) and the job record that crosses them. Kept
beside ``ports.py`` until they are folded into it.

A job is one record (``ExportJobs``), a file written to S3 by multipart upload
(``ExportFiles``) and a way to have the runner called in the background (``JobStarter``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from tiket.domain.model import Ticket

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass(frozen=True)
class ExportJob:
    id: str
    owner: str  # the staff member who asked; nobody else sees the job
    start: date
    end: date
    format: str  # csv | xlsx
    lang: str
    created_at: datetime
    expires_at: datetime  # with the file (the bucket's exports/ prefix keeps it a day)
    status: str = QUEUED
    updated_at: datetime | None = None
    runner: str | None = None  # the invocation writing the file now
    lease_until: datetime | None = None  # until when no other invocation may take over
    expected: int = 0  # tickets of the months to read (progress)
    scanned: int = 0  # of those, read so far
    rows: int = 0  # rows in the file so far (tickets within the dates)
    # The file so far: the last ticket in it (``<yyyy-mm>|<sort key>``), its uploaded parts'
    # ETags, its writer's state, and whether bytes wait in the pending object.
    cursor: str | None = None
    upload_id: str | None = None
    parts: tuple[str, ...] = ()
    writer: str | None = None  # JSON
    pending: bool = False
    key: str | None = None  # the file's object key
    error: str | None = None


class ExportJobs(Protocol):
    def create(self, job: ExportJob) -> None: ...

    def get(self, job_id: str) -> ExportJob | None: ...

    def claim(
        self, job_id: str, runner: str, now: datetime, lease_until: datetime
    ) -> ExportJob | None:
        """Take the job for ``runner`` while it is queued or running without a live lease;
        None when it is finished, unknown, or another runner holds it."""
        ...

    def save(self, job: ExportJob, holder: str) -> bool:
        """Write the job if the runner ``holder`` still holds it; False (nothing written)
        when another took it over."""
        ...


class ExportFiles(Protocol):
    """S3 objects under the exports prefix."""

    def begin(self, key: str, content_type: str) -> str:
        """A multipart upload; its id."""
        ...

    def part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        """One part (at least 5 MiB but the last); its ETag."""
        ...

    def complete(self, key: str, upload_id: str, etags: Sequence[str]) -> None: ...

    def abort(self, key: str, upload_id: str) -> None: ...

    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def link(self, key: str, filename: str, content_type: str) -> str:
        """A short-lived signed link that downloads the object as ``filename``."""
        ...


class MonthTickets(Protocol):
    def month_tickets(
        self, year: int, month: int, after: str | None = None
    ) -> Iterator[tuple[str, Ticket]]:
        """(sort key, ticket) of the tickets filed in a month, in filing order, from after
        ``after``; read page by page (memory stays flat)."""
        ...


class JobStarter(Protocol):
    def start(self, job_id: str) -> None:
        """Have the job run in the background (again: it continues where it stopped)."""
        ...
