"""Export jobs (PRODUCT.md §13): the list of a period's tickets as a file in S3, written in
the background, with progress and a short-lived link.

``POST /api/reports/exports`` records a job and has it started (``JobStarter``: on Lambda an
asynchronous invocation of the function itself, locally a thread) and answers 202 at once.
``run`` then reads the period's tickets month by month through the ``month`` index, page by
page, turns each into a row and streams the rows into a multipart upload: memory holds one
page of tickets and less than one part (``PART_BYTES``) of file, whatever the row count.

A Lambda invocation lives 60 s. Before its time runs out the runner stops at a checkpoint —
the last ticket written, the parts uploaded, the file writer's state, and the bytes short of
a part stored as a pending object — releases the job and starts it again: the next
invocation continues the same file. A lease (renewed with every progress note) keeps two
invocations from writing one job; a job whose lease lapsed long ago shows as failed.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Annotated, Any, Literal, NotRequired

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

from tiket.adapters.table_files import CSV_MIMETYPE, XLSX_MIMETYPE, CsvStream, XlsxStream
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.errors import Conflict, NotFound, ValidationFailed
from tiket.domain.model import Staff
from tiket.domain.text import Msg
from tiket.log import log_event
from tiket.messages import t
from tiket.services.export_ports import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    ExportFiles,
    ExportJob,
    ExportJobs,
    JobStarter,
    MonthTickets,
)
from tiket.services.exports import ticket_header, ticket_row, ticket_widths
from tiket.services.forms import parse
from tiket.services.periods import Period, date_range
from tiket.services.ports import Clock, ReportFigures

PART_BYTES = 5 * 2**20  # S3's smallest part but the last
LEASE = timedelta(seconds=90)
STALE = timedelta(minutes=10)  # a lease lapsed this long: the runner died
KEPT = timedelta(days=1)  # the bucket's exports/ prefix expires objects after a day
MARGIN_SECONDS = 20.0  # stop for the next invocation with this much of this one left
PROGRESS_SECONDS = 2.0
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MIMETYPES = {"csv": CSV_MIMETYPE, "xlsx": XLSX_MIMETYPE}
State = Literal["queued", "running", "done", "failed"]
STATES: dict[str, State] = {QUEUED: "queued", RUNNING: "running", DONE: "done", FAILED: "failed"}


class ExportRequest(BaseModel):
    """Body of ``POST /api/reports/exports``."""

    model_config = ConfigDict(extra="ignore", strict=True, populate_by_name=True)

    from_: Annotated[str, Field(alias="from", pattern=DATE, max_length=10)]
    to: Annotated[str, Field(pattern=DATE, max_length=10)]
    format: Literal["csv", "xlsx"]


class ExportStarted(TypedDict):
    id: str


ExportStatus = TypedDict(
    "ExportStatus",
    {
        "id": str,
        "status": State,
        "format": Literal["csv", "xlsx"],
        "from": str,
        "to": str,
        "rows": int,  # rows written so far
        "progress": float,  # percent of the period's tickets read
        "url": NotRequired[str],  # done: a signed link, valid 15 minutes
        "filename": NotRequired[str],
        "error": NotRequired[str],  # failed: what to do, in the reader's language
    },
)


class _Lost(Exception):
    """Another invocation took the job over: stop writing."""


def filename_of(job: ExportJob) -> str:
    return f"tiket-tickets-{job.start}_{job.end}.{job.format}"


def _key(job_id: str, name: str) -> str:
    return f"exports/{job_id}/{name}"


class ExportService:
    def __init__(
        self,
        jobs: ExportJobs,
        files: ExportFiles | None,
        tickets: MonthTickets,
        figures: ReportFigures,
        clock: Clock,
        calendar: WorkingCalendar,
        starter: JobStarter | None = None,
    ):
        self.jobs = jobs
        self.files = files
        self.tickets = tickets
        self.figures = figures
        self.clock = clock
        self.calendar = calendar
        self.starter = starter  # set by the composition root (it needs ``run``)

    # --- the API ------------------------------------------------------------------------

    def start(self, owner: Staff, body: Any, lang: str) -> ExportStarted:
        try:
            form = parse(ExportRequest, body)
        except ValidationFailed as error:
            if "format" in error.fields:
                error.fields["format"] = Msg("export.format.invalid")
            raise
        period = date_range(form.from_, form.to)
        if self.files is None or self.starter is None:
            raise Conflict(Msg("export.unavailable"))
        now = self.clock.now()
        expected = sum(
            self.figures.month(f"{y:04d}-{m:02d}")["tickets",] for y, m in period.months()
        )
        job = ExportJob(
            id=secrets.token_urlsafe(16),
            owner=owner.email,
            start=period.start,
            end=period.end,
            format=form.format,
            lang=lang,
            created_at=now,
            expires_at=now + KEPT,
            updated_at=now,
            expected=expected,
        )
        self.jobs.create(job)
        self.starter.start(job.id)
        log_event("export queued", action="export", rows_expected=expected, format=job.format)
        return {"id": job.id}

    def status(self, owner: Staff, job_id: str, lang: str) -> ExportStatus:
        now = self.clock.now()
        job = self.jobs.get(job_id) if len(job_id) <= 64 else None
        if job is None or job.owner != owner.email or job.expires_at < now:
            raise NotFound(Msg("error.not_found"))
        status = STATES.get(job.status, "failed")
        if status in ("queued", "running") and (job.updated_at or job.created_at) < now - STALE:
            status = "failed"
        done = status == "done"
        view: ExportStatus = {
            "id": job.id,
            "status": status,
            "format": "xlsx" if job.format == "xlsx" else "csv",
            "from": job.start.isoformat(),
            "to": job.end.isoformat(),
            "rows": job.rows,
            "progress": 100.0
            if done
            else round(min(99.0, job.scanned * 100 / max(job.expected, 1)), 1),
        }
        if done and job.key and self.files is not None:
            view["filename"] = filename_of(job)
            view["url"] = self.files.link(job.key, filename_of(job), MIMETYPES[job.format])
        if status == "failed":
            view["error"] = t("export.job.failed", lang)
        return view

    # --- the runner -----------------------------------------------------------------------

    def run(self, job_id: str, remaining: Callable[[], float] | None = None) -> None:
        """Write the job's file, or as much of it as ``remaining()`` seconds allow (None:
        no limit) before handing the rest to a fresh invocation."""
        if self.files is None:
            return
        runner = secrets.token_hex(8)
        now = self.clock.now()
        job = self.jobs.claim(job_id, runner, now, now + LEASE)
        if job is None:
            return
        work = _Run(self, self.files, job, runner, remaining)
        try:
            work.go()
        except _Lost:
            log_event("export taken over", action="export")
        except Exception as error:  # noqa: BLE001 - the job says it failed, the log why
            log_event("export failed", logging.ERROR, action="export", error=repr(error))
            work.fail()


@dataclass
class _Cursor:
    month: str | None = None  # yyyy-mm of the last ticket in the file
    after: str | None = None  # its sort key
    rows: int = 0
    scanned: int = 0

    def dumps(self) -> str:
        return json.dumps(self.__dict__)


class _Run:
    """One invocation's share of a job."""

    def __init__(
        self,
        service: ExportService,
        files: ExportFiles,
        job: ExportJob,
        runner: str,
        remaining: Callable[[], float] | None,
    ):
        self.service, self.files, self.job, self.remaining = service, files, job, remaining
        self.runner = runner
        self.cursor = _Cursor(**json.loads(job.cursor)) if job.cursor else _Cursor()
        self.buffer = bytearray()
        self.noted = time.monotonic()
        self.period = Period("range", f"{job.start}_{job.end}", job.start, job.end)
        self.key = _key(job.id, filename_of(job))
        self.pending_key = _key(job.id, "pending")
        calendar = service.calendar
        # Every row as of the job's creation: the parts written by several invocations agree.
        self.row = lambda ticket: ticket_row(ticket, calendar, job.created_at, job.lang)
        header = ticket_header(calendar, job.created_at, job.lang)
        self.writer: CsvStream | XlsxStream
        if job.format == "csv":
            self.writer = CsvStream()
        elif job.writer:
            self.writer = XlsxStream.resume(json.loads(job.writer))
        else:
            title = t("export.sheet.tickets", job.lang)
            self.writer = XlsxStream(title, ticket_widths(header))
        if job.upload_id is None:
            upload = files.begin(self.key, MIMETYPES[job.format])
            self.save(upload_id=upload, status=RUNNING)
            self.buffer += self.writer.begin(header)
        elif job.pending:
            self.buffer += files.get(self.pending_key)

    def save(self, **changes: Any) -> None:
        now = self.service.clock.now()
        self.job = replace(self.job, **{"updated_at": now, "lease_until": now + LEASE, **changes})
        if not self.service.jobs.save(self.job, self.runner):
            raise _Lost()

    def go(self) -> None:
        zone = self.service.calendar.zone
        start, end = self.period.start, self.period.end
        for year, month in self.period.months():
            name = f"{year:04d}-{month:02d}"
            if self.cursor.month is not None and name < self.cursor.month:
                continue
            after = self.cursor.after if name == self.cursor.month else None
            for sort_key, ticket in self.service.tickets.month_tickets(year, month, after):
                self.cursor.scanned += 1
                if start <= ticket.created_at.astimezone(zone).date() <= end:
                    self.buffer += self.writer.rows([self.row(ticket)])
                    self.cursor.rows += 1
                self.cursor.month, self.cursor.after = name, sort_key
                if len(self.buffer) >= PART_BYTES:
                    self.checkpoint()
                elif time.monotonic() - self.noted >= PROGRESS_SECONDS:
                    if self.remaining is not None and self.remaining() < MARGIN_SECONDS:
                        self.later()
                        return
                    self.note()
        self.finish()

    def note(self) -> None:
        self.noted = time.monotonic()
        self.save(rows=self.cursor.rows, scanned=self.cursor.scanned)

    def upload(self, data: bytes) -> None:
        number = len(self.job.parts) + 1
        etag = self.files.part(self.key, self.job.upload_id or "", number, data)
        self.job = replace(self.job, parts=(*self.job.parts, etag))

    def checkpoint(self) -> None:
        """Everything up to the cursor is in uploaded parts (a part's worth was ready)."""
        flushed, state = self.writer.checkpoint()
        self.upload(bytes(self.buffer) + flushed)
        self.buffer.clear()
        self.noted = time.monotonic()
        self.save(
            cursor=self.cursor.dumps(),
            writer=json.dumps(state) if state else None,
            pending=False,
            rows=self.cursor.rows,
            scanned=self.cursor.scanned,
        )

    def later(self) -> None:
        """Stop here for a fresh invocation: what is short of a part waits in S3."""
        flushed, state = self.writer.checkpoint()
        data = bytes(self.buffer) + flushed
        if len(data) >= PART_BYTES:
            self.upload(data)
            data = b""
        self.files.put(self.pending_key, data)
        self.save(
            cursor=self.cursor.dumps(),
            writer=json.dumps(state) if state else None,
            pending=True,
            rows=self.cursor.rows,
            scanned=self.cursor.scanned,
            lease_until=None,  # free for the next invocation; still ours to mark failed
        )
        if self.service.starter is not None:
            self.service.starter.start(self.job.id)

    def finish(self) -> None:
        self.buffer += self.writer.end()
        if self.buffer or not self.job.parts:
            self.upload(bytes(self.buffer))
        self.files.complete(self.key, self.job.upload_id or "", self.job.parts)
        self.files.delete(self.pending_key)  # left by an earlier invocation, if any
        self.save(
            status=DONE,
            key=self.key,
            rows=self.cursor.rows,
            scanned=self.cursor.scanned,
            writer=None,
            pending=False,
            parts=(),
            runner=None,
            lease_until=None,
        )
        log_event("export done", action="export", rows=self.cursor.rows, format=self.job.format)

    def fail(self) -> None:
        try:
            if self.job.upload_id:
                self.files.abort(self.key, self.job.upload_id)
            self.files.delete(self.pending_key)
            self.save(status=FAILED, error="export.job.failed", runner=None, lease_until=None)
        except Exception as error:  # noqa: BLE001 - the lapsed lease shows it failed
            log_event("export failure not recorded", logging.ERROR, error=repr(error))


def _percent(done: int, expected: int) -> float:
    """Below 100 until the file is complete (the estimate counts whole months)."""
    return round(min(99.0, done * 100 / max(expected, 1)), 1)
