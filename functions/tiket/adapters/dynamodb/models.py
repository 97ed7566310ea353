"""The PynamoDB models of the items of the one table (key design: ``table.py``), and the
helpers every store module shares: binding to a table, error mapping, queries, keys.

Models are declared once, statically; ``bind`` points all of them at a table and endpoint
(production: once at start; tests and the local stack: their own table on moto).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError
from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import GetError, PutError, QueryError, TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from tiket.domain.errors import Unavailable, WriteConflict

THROTTLING = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    # A transaction cancelled for capacity names it in its reasons, without "Exception".
    "ProvisionedThroughputExceeded",
    "ThrottlingError",
}


class TableMeta:
    """Shared by every model: ``bind`` sets where the table is. A request must answer within
    API Gateway's 29 s even if DynamoDB hangs: four attempts (botocore's standard retries)
    of at most 2 + 5 s each."""

    table_name = "tiket"
    region = "ap-southeast-3"
    host: str | None = None
    connect_timeout_seconds = 2
    read_timeout_seconds = 5
    max_retry_attempts = 3


def utc_key(instant: datetime) -> str:
    """Sortable UTC text for index sort keys."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def token_hash(token: str) -> str:
    """Secrets (tracking tokens, idempotency keys) are stored only as hashes."""
    return hashlib.sha256(token.encode()).hexdigest()


class _Keys:
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


def _index(name: str, hash_key: str, range_key: str) -> type[GlobalSecondaryIndex]:
    """An index class of one model (PynamoDB binds an index to the model holding it)."""
    meta = type("Meta", (), {"index_name": name, "projection": AllProjection()})
    return type(
        f"{name.title()}Index",
        (GlobalSecondaryIndex,),
        {
            "Meta": meta,
            hash_key: UnicodeAttribute(hash_key=True),
            range_key: UnicodeAttribute(range_key=True),
        },
    )


# --- nested attributes ------------------------------------------------------------------


class StepAttr(MapAttribute):
    step = UnicodeAttribute()
    started_at = UTCDateTimeAttribute()
    due_at = UTCDateTimeAttribute()
    standard_minutes = NumberAttribute()
    done_at = UTCDateTimeAttribute(null=True)
    paused_minutes = NumberAttribute(default=0)
    paused_since = UTCDateTimeAttribute(null=True)
    escalation = NumberAttribute(null=True)  # escalation-ladder level past the breach


class RequesterAttr(MapAttribute):
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    unit = UnicodeAttribute()
    location = UnicodeAttribute()
    nip = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)


class SurveyAttr(MapAttribute):
    answers: MapAttribute[str, Any] = MapAttribute()
    suggestion = UnicodeAttribute(null=True)
    submitted_at = UTCDateTimeAttribute()


class AttachmentAttr(MapAttribute):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    key = UnicodeAttribute()
    thumbnail_key = UnicodeAttribute(null=True)
    message_id = UnicodeAttribute(null=True)


# --- items --------------------------------------------------------------------------------


class TicketItem(_Keys, Model):
    class Meta(TableMeta):
        pass

    due_pk = UnicodeAttribute(null=True)
    due_sk = UnicodeAttribute(null=True)
    list_pk = UnicodeAttribute(null=True)
    list_sk = UnicodeAttribute(null=True)
    month_pk = UnicodeAttribute(null=True)
    month_sk = UnicodeAttribute(null=True)
    assignee_pk = UnicodeAttribute(null=True)
    assignee_sk = UnicodeAttribute(null=True)
    due_index = _index("due", "due_pk", "due_sk")()
    list_index = _index("list", "list_pk", "list_sk")()
    month_index = _index("month", "month_pk", "month_sk")()
    assignee_index = _index("assignee", "assignee_pk", "assignee_sk")()
    asset_pk = UnicodeAttribute(null=True)
    asset_sk = UnicodeAttribute(null=True)
    asset_index = _index("asset", "asset_pk", "asset_sk")()
    number = UnicodeAttribute()
    status = UnicodeAttribute()
    version = NumberAttribute()
    revision = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    requester = RequesterAttr()
    category = UnicodeAttribute()
    subject = UnicodeAttribute()
    description = UnicodeAttribute()
    asset_tag = UnicodeAttribute(null=True)
    repeat_count = NumberAttribute(null=True)
    track_token = UnicodeAttribute(null=True)
    steps = ListAttribute(of=StepAttr, default=list)
    assignee = UnicodeAttribute(null=True)
    assignee_name = UnicodeAttribute(null=True)
    repair_assignee = UnicodeAttribute(null=True)
    repair_assignee_name = UnicodeAttribute(null=True)
    path = UnicodeAttribute(null=True)
    diagnosis = UnicodeAttribute(null=True)
    estimate_minutes = NumberAttribute(null=True)
    resolution = UnicodeAttribute(null=True)
    hold_reason = UnicodeAttribute(null=True)
    held_from = UnicodeAttribute(null=True)
    cancel_reason = UnicodeAttribute(null=True)
    resolved_at = UTCDateTimeAttribute(null=True)
    closed_at = UTCDateTimeAttribute(null=True)
    survey = SurveyAttr(null=True)
    notified_at = UTCDateTimeAttribute(null=True)
    breaches = UnicodeSetAttribute(null=True)
    survey_reminded_at = UTCDateTimeAttribute(null=True)
    undelivered_at = UTCDateTimeAttribute(null=True)
    requester_messages = NumberAttribute(null=True)
    staff_messages = NumberAttribute(null=True)
    reopens = NumberAttribute(null=True)
    attachments = ListAttribute(of=AttachmentAttr, null=True)


class HistoryItem(_Keys, Model):
    class Meta(TableMeta):
        pass

    at = UTCDateTimeAttribute()
    action = UnicodeAttribute()
    from_status = UnicodeAttribute(null=True)
    to_status = UnicodeAttribute()
    actor_email = UnicodeAttribute(null=True)
    actor_name = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    note = UnicodeAttribute(null=True)
    params = JSONAttribute(null=True)
    revision = NumberAttribute(null=True)


class OnceItem(_Keys, Model):
    """Records that exist once: once-only markers, tracking tokens, sign-in links."""

    class Meta(TableMeta):
        pass

    number = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    at = UTCDateTimeAttribute(null=True)
    used_at = UTCDateTimeAttribute(null=True)
    ttl = NumberAttribute(null=True)


class CounterItem(_Keys, Model):
    class Meta(TableMeta):
        pass

    value = NumberAttribute(default=0)


class IdempotencyItem(_Keys, Model):
    class Meta(TableMeta):
        pass

    body_hash = UnicodeAttribute()
    number = UnicodeAttribute()
    track_token = UnicodeAttribute()
    ttl = NumberAttribute()


class StaffItem(_Keys, Model):
    class Meta(TableMeta):
        pass

    list_pk = UnicodeAttribute(null=True)
    list_sk = UnicodeAttribute(null=True)
    list_index = _index("list", "list_pk", "list_sk")()
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    active = BooleanAttribute(default=True)
    signed_out_at = UTCDateTimeAttribute(null=True)
    at = UTCDateTimeAttribute(null=True)
    ip = UnicodeAttribute(null=True)


class MailItem(_Keys, Model):
    class Meta(TableMeta):
        pass

    due_pk = UnicodeAttribute(null=True)
    due_sk = UnicodeAttribute(null=True)
    due_index = _index("due", "due_pk", "due_sk")()
    id = UnicodeAttribute()
    ticket = UnicodeAttribute(null=True)
    kind = UnicodeAttribute()
    to = UnicodeAttribute()
    to_name = UnicodeAttribute()
    subject = UnicodeAttribute()
    # Dropped once sent: the bodies carry live sign-in and action links (see outbox.py).
    text = UnicodeAttribute(null=True)
    html = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    status = UnicodeAttribute()
    attempts = NumberAttribute(default=0)
    next_attempt_at = UTCDateTimeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    sent_at = UTCDateTimeAttribute(null=True)
    ttl = NumberAttribute(null=True)
    reply_to = UnicodeAttribute(null=True)


class RateItem(_Keys, Model):
    class Meta(TableMeta):
        pass

    # ``count`` in the table; a Model already has a ``count`` method.
    hits = NumberAttribute(default=0, attr_name="count")
    ttl = NumberAttribute()


def table_models() -> list[type[Model]]:
    """Every model of the table, wherever it is declared (a model's ``Meta`` derives from
    ``TableMeta``): the items of a feature may live in that feature's module."""
    found: list[type[Model]] = []
    pending: list[type[Model]] = [Model]
    while pending:
        for model in pending.pop().__subclasses__():
            pending.append(model)
            if issubclass(getattr(model, "Meta", object), TableMeta):
                found.append(model)
    return found


class Table:
    """Where the models point, and the connection for transactions across them."""

    def __init__(self, name: str, host: str | None, region: str):
        self.name, self.host, self.region = name, host, region
        TableMeta.table_name, TableMeta.host, TableMeta.region = name, host, region
        for model in table_models():
            model._connection = None  # PynamoDB caches it per model; the endpoint changed
        self.connection = Connection(
            region=region,
            host=host,
            connect_timeout_seconds=TableMeta.connect_timeout_seconds,
            read_timeout_seconds=TableMeta.read_timeout_seconds,
            max_retry_attempts=TableMeta.max_retry_attempts,
        )

    @property
    def client(self) -> Any:
        """The boto3 DynamoDB client (table creation, the local stack's snapshots)."""
        return self.connection.client


# --- shared store helpers ---------------------------------------------------------------

M = TypeVar("M", bound=Model)


def wrap_error(error: Exception) -> Exception:
    """Throttling after botocore's bounded retries → Unavailable; lost conditions → conflict."""
    if isinstance(getattr(error, "cause", None), BotoCoreError):
        # No answer at all (a read timeout, a dropped connection) after botocore's retries:
        # transient like throttling, so a 503 to try again, never a 500. A write that did
        # land meanwhile is safe to repeat: idempotency keys and once-only records see it.
        return Unavailable()
    if isinstance(error, TransactWriteError):
        reasons = [r.code for r in error.cancellation_reasons if r is not None and r.code]
        if any(code in THROTTLING for code in reasons) or error.cause_response_code in THROTTLING:
            return Unavailable()
        return WriteConflict(reasons or [error.cause_response_code or "TransactionCanceled"])
    code = getattr(error, "cause_response_code", None)
    if code in THROTTLING:
        return Unavailable()
    if code == "ConditionalCheckFailedException":
        return WriteConflict([code])
    return error


def get_item(model: type[M], pk: str, sk: str, consistent: bool = True) -> M | None:
    try:
        return model.get(pk, sk, consistent_read=consistent)
    except model.DoesNotExist:
        return None
    except GetError as error:
        raise wrap_error(error) from error


def put_item(item: Model, condition: Any = None) -> None:
    try:
        item.save(condition=condition)
    except PutError as error:
        raise wrap_error(error) from error


def query(source: Any, hash_key: str, condition: Any = None, limit: int | None = None) -> list:
    try:
        return list(source.query(hash_key, condition, limit=limit))
    except QueryError as error:
        raise wrap_error(error) from error


def ttl_of(instant: datetime) -> int:
    return int(instant.timestamp())
