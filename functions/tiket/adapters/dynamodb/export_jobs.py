"""Export jobs in DynamoDB: one item per job, ``EXPORT#<id>`` / ``EXPORT``, expiring with its
file. Claims and saves are conditional writes on the runner holding the job."""

from __future__ import annotations

from datetime import date, datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.models import Model

from tiket.adapters.dynamodb.models import TableMeta, get_item, put_item, ttl_of, wrap_error
from tiket.domain.errors import WriteConflict
from tiket.services.export_ports import QUEUED, RUNNING, ExportJob


class ExportJobItem(Model):
    class Meta(TableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    owner = UnicodeAttribute()
    start = UnicodeAttribute()
    end = UnicodeAttribute()
    format = UnicodeAttribute()
    lang = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()
    status = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute(null=True)
    runner = UnicodeAttribute(null=True)
    lease_until = UTCDateTimeAttribute(null=True)
    expected = NumberAttribute(default=0)
    scanned = NumberAttribute(default=0)
    rows = NumberAttribute(default=0)
    cursor = UnicodeAttribute(null=True)
    upload_id = UnicodeAttribute(null=True)
    # Part ETags in order: a list of strings would do, but the order is the part number's.
    parts = UnicodeAttribute(null=True)
    writer = UnicodeAttribute(null=True)
    pending = NumberAttribute(default=0)
    key = UnicodeAttribute(null=True)
    error = UnicodeAttribute(null=True)
    ttl = NumberAttribute()


def _pk(job_id: str) -> str:
    return f"EXPORT#{job_id}"


def _item(job: ExportJob) -> ExportJobItem:
    return ExportJobItem(
        _pk(job.id),
        "EXPORT",
        owner=job.owner,
        start=job.start.isoformat(),
        end=job.end.isoformat(),
        format=job.format,
        lang=job.lang,
        created_at=job.created_at,
        expires_at=job.expires_at,
        status=job.status,
        updated_at=job.updated_at,
        runner=job.runner,
        lease_until=job.lease_until,
        expected=job.expected,
        scanned=job.scanned,
        rows=job.rows,
        cursor=job.cursor,
        upload_id=job.upload_id,
        parts="\n".join(job.parts) or None,
        writer=job.writer,
        pending=int(job.pending),
        key=job.key,
        error=job.error,
        ttl=ttl_of(job.expires_at),
    )


def _job(item: ExportJobItem) -> ExportJob:
    return ExportJob(
        id=item.pk.removeprefix("EXPORT#"),
        owner=item.owner,
        start=date.fromisoformat(item.start),
        end=date.fromisoformat(item.end),
        format=item.format,
        lang=item.lang,
        created_at=item.created_at,
        expires_at=item.expires_at,
        status=item.status,
        updated_at=item.updated_at,
        runner=item.runner,
        lease_until=item.lease_until,
        expected=int(item.expected),
        scanned=int(item.scanned),
        rows=int(item.rows),
        cursor=item.cursor,
        upload_id=item.upload_id,
        parts=tuple(item.parts.split("\n")) if item.parts else (),
        writer=item.writer,
        pending=bool(item.pending),
        key=item.key,
        error=item.error,
    )


class DynamoExportJobs:
    def create(self, job: ExportJob) -> None:
        put_item(_item(job), ExportJobItem.pk.does_not_exist())

    def get(self, job_id: str) -> ExportJob | None:
        item = get_item(ExportJobItem, _pk(job_id), "EXPORT")
        return None if item is None else _job(item)

    def claim(
        self, job_id: str, runner: str, now: datetime, lease_until: datetime
    ) -> ExportJob | None:
        item = ExportJobItem(_pk(job_id), "EXPORT")
        free = ExportJobItem.lease_until.does_not_exist() | (ExportJobItem.lease_until < now)
        try:
            item.update(
                actions=[
                    ExportJobItem.runner.set(runner),
                    ExportJobItem.lease_until.set(lease_until),
                    ExportJobItem.status.set(RUNNING),
                    ExportJobItem.updated_at.set(now),
                ],
                condition=ExportJobItem.pk.exists()
                & ExportJobItem.status.is_in(QUEUED, RUNNING)
                & free,
            )
        except UpdateError as error:
            if isinstance(wrap_error(error), WriteConflict):
                return None
            raise wrap_error(error) from error
        return _job(item)

    def save(self, job: ExportJob, holder: str) -> bool:
        """The whole record, if the runner ``holder`` still holds the job."""
        try:
            _item(job).save(condition=ExportJobItem.runner == holder)
        except PutError as error:
            if isinstance(wrap_error(error), WriteConflict):
                return False
            raise wrap_error(error) from error
        return True
