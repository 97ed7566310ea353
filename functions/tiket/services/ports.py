"""The ports: what the services need from the outside world, as typed protocols, and the
plain values that cross them. Adapters implement them twice: DynamoDB/SES/itsdangerous in
``tiket.adapters`` and in memory in ``tiket.adapters.memory`` (fast service tests).

Each service takes, in its constructor, only the ports it uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from tiket.domain.aggregates import MonthDelta, Tally
from tiket.domain.attachments import FileType
from tiket.domain.model import HistoryEntry, Message, Once, Staff, Ticket
from tiket.domain.vocabulary import Role
from tiket.services.asset_ports import AssetStore
from tiket.services.export_ports import ExportJobs, MonthTickets
from tiket.services.privacy_ports import PersonalWrite, PrivacyStore

# --- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutgoingMail:
    """An email as TIKet keeps it: rendered once, stored in the outbox, sent by a transport."""

    id: str
    ticket: str | None
    kind: str
    to: str
    to_name: str
    subject: str
    text: str
    html: str
    created_at: datetime
    # The signed address a reply goes to (it becomes a message on the ticket); None when the
    # stage has no reply domain or the email belongs to no ticket.
    reply_to: str | None = None


@dataclass(frozen=True)
class MailContent:
    """The parts of an email, in words already; a renderer lays them out as text and HTML."""

    greeting: str
    paragraphs: list[str]
    details: list[tuple[str, str]] = field(default_factory=list)
    deadline: str | None = None
    actions: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    link: tuple[str, str] | None = None  # one secondary link (tracking, survey, sign-in)
    footer: str = ""
    # Text a person typed (a message, a reason, the description…), shown after every button
    # and link, each fenced and headed by who wrote it: (label, text).
    quotes: list[tuple[str, str]] = field(default_factory=list)
    typed_note: str = ""  # heads the fenced part: it is what people typed, not TIKet's words


@dataclass(frozen=True)
class MailRecord:
    mail: OutgoingMail
    status: str  # pending | sending | sent | failed
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class IdempotencyRecord:
    body_hash: str
    number: str
    track_token: str


@dataclass(frozen=True)
class IdempotencyClaim:
    """An Idempotency-Key taken by the write that creates its ticket."""

    key: str
    record: IdempotencyRecord
    expires_at: datetime


@dataclass(frozen=True)
class TicketWrite:
    """Everything one ticket change writes, all or nothing. Built only by the unit of work
    (``tiket.services.unit_of_work``), which is the one caller of ``TicketStore.write``."""

    ticket: Ticket  # the ticket after the change, its revision one past ``expected_revision``
    expected_revision: int | None  # None: a new ticket, whose number must be free
    history: HistoryEntry
    next_check: datetime | None  # when the sweep must look at the ticket next
    mails: tuple[OutgoingMail, ...] = ()
    mail_first_attempt: datetime | None = None
    once: tuple[Once, ...] = ()
    idempotency: IdempotencyClaim | None = None
    messages: tuple[Message, ...] = ()  # the conversation's new messages (put only if new)
    # Upload ids this change attaches: each claimed once across all tickets (the write that
    # finds one claimed loses), so one upload can never become two tickets' file.
    uploads: tuple[str, ...] = ()
    # What the change adds to its month's report figures (``tiket.domain.aggregates``).
    aggregates: MonthDelta | None = None
    # The requester look-up and retention entries, and an erasure's rewrites (PRODUCT §14).
    personal: PersonalWrite | None = None


@dataclass(frozen=True)
class BlobInfo:
    size: int
    content_type: str
    metadata: Mapping[str, str] = field(default_factory=dict)


class BlobMissing(LookupError):
    """No object under that key (never uploaded, already attached, or expired)."""


class BlobTooLarge(ValueError):
    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


# --- ports ----------------------------------------------------------------------------------


class Clock(Protocol):
    def now(self) -> datetime: ...


class TicketStore(Protocol):
    """Tickets, their history and once-only records. ``write`` raises ``WriteConflict`` when
    the ticket moved past ``expected_revision``, a new ticket's number, tracking token or
    idempotency key is taken, or a once-only record exists; then nothing is written."""

    def get(self, number: str) -> Ticket | None: ...

    def by_track_token(self, token: str) -> Ticket | None: ...

    def history(self, number: str) -> list[HistoryEntry]: ...

    def messages(self, number: str) -> list[Message]:
        """The ticket's conversation, oldest first."""
        ...

    def has_once(self, number: str, once: Once) -> bool: ...

    def write(self, write: TicketWrite) -> None: ...

    def write_many(self, writes: Iterable[TicketWrite]) -> int:
        """New tickets in bulk, unconditioned (imports only)."""
        ...


class UploadClaims(Protocol):
    """Which ticket an upload id was attached to (``TicketWrite.uploads``), if any."""

    def upload_claimed(self, upload_id: str) -> str | None: ...


class TicketQueries(Protocol):
    """Lists of tickets, each read through an index (never a Scan)."""

    def open_tickets(self) -> list[Ticket]: ...

    def held_by(self, holder_key: str) -> list[Ticket]: ...

    def of_month(self, year: int, month: int) -> Iterator[Ticket]: ...

    def due(self, now: datetime, limit: int = 200) -> list[str]: ...


class ReportFigures(MonthTickets, Protocol):
    """The monthly report figures that ``TicketStore.write`` keeps (adds to) with every
    change, and what reports and exports read beside them."""

    def month(self, month: str) -> Tally:
        """The counters of a month (``yyyy-mm``): nothing for a month without tickets."""
        ...

    def replace(self, month: str, tally: Tally) -> None:
        """Set a month's counters to a recount (``tiket reports rebuild``)."""
        ...

    def fold(self, now: datetime) -> int:
        """Storage upkeep the sweep runs every minute (DynamoDB: fresh counters folded into
        the months' totals); returns how many items it folded."""
        ...

    def past_due(self, now: datetime) -> list[Ticket]:
        """Tickets the sweep should have looked at by ``now`` (the ``due`` index): the only
        ones whose late steps the counters may not hold yet."""
        ...


class TicketNumbers(Protocol):
    def next_number(self, year: int) -> int: ...


class IdempotencyKeys(Protocol):
    def get(self, key: str, now: datetime) -> IdempotencyRecord | None: ...


class StaffDirectory(Protocol):
    def get(self, email: str) -> Staff | None: ...

    def with_role(self, role: Role) -> list[Staff]: ...

    def put(self, staff: Staff) -> None: ...

    def record_signin(self, email: str, at: datetime, ip: str | None) -> None: ...

    def signins(self, email: str) -> list[datetime]: ...


class LoginLinks(Protocol):
    def create(self, nonce: str, email: str, expires: datetime) -> None: ...

    def consume(self, nonce: str, now: datetime) -> str | None: ...


class RateCounter(Protocol):
    def hit(self, scope: str, key: str, window_start: int, window_seconds: int) -> int: ...


class Outbox(Protocol):
    """Emails waiting to be sent. Only the holder of an email's lease sends it."""

    def add(self, mail: OutgoingMail, first_attempt: datetime | None) -> None:
        """``first_attempt`` None: a decoy, stored (so that a request costs the same whether
        it sends or not) and never sent, without address or body."""
        ...

    def due(self, now: datetime, limit: int = 100) -> list[str]: ...

    def get(self, mail_id: str) -> MailRecord | None: ...

    def claim(self, mail_id: str, now: datetime, lease: timedelta) -> MailRecord | None: ...

    def sent(self, mail_id: str, now: datetime, holder: str) -> None: ...

    def retry(self, mail_id: str, at: datetime, error: str, holder: str) -> None: ...

    def failed(self, mail_id: str, now: datetime, error: str, holder: str) -> None: ...

    def failed_ids(self, limit: int = 100) -> list[str]:
        """Emails given up on, oldest failure first."""
        ...

    def redrive(self, mail_id: str, now: datetime) -> None:
        """A failed email pending again, due at once."""
        ...


class TransientMailError(Exception):
    """Throttling or an outage: try again later."""


class PermanentMailError(Exception):
    """The address or content was rejected: never retry."""


class MailTransport(Protocol):
    """Sends one email; raises ``TransientMailError`` or ``PermanentMailError``."""

    def send(self, mail: OutgoingMail) -> str: ...


class MailRenderer(Protocol):
    def render(self, content: MailContent) -> tuple[str, str]:
        """(text, html)"""
        ...


class Signer(Protocol):
    def sign(self, purpose: str, payload: dict[str, Any]) -> str: ...

    def verify(self, purpose: str, token: str) -> dict[str, Any]:
        """The payload; raises ``ValueError`` for a forged, altered or foreign token."""
        ...


class TicketBackend(TicketStore, TicketQueries, TicketNumbers, UploadClaims, Protocol):
    """The ticket store as the adapters provide it: one object for all three ports."""


class Stores(Protocol):
    """Every store the services use: DynamoDB (``adapters.dynamodb.connect``) or in memory
    (``adapters.memory.memory_stores``)."""

    @property
    def tickets(self) -> TicketBackend: ...
    @property
    def staff(self) -> StaffDirectory: ...
    @property
    def logins(self) -> LoginLinks: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def idempotency(self) -> IdempotencyKeys: ...
    @property
    def rates(self) -> RateCounter: ...
    @property
    def figures(self) -> ReportFigures: ...
    @property
    def exports(self) -> ExportJobs: ...
    @property
    def assets(self) -> AssetStore: ...
    @property
    def privacy(self) -> PrivacyStore: ...

    def create_table(self) -> None: ...


class BlobStore(Protocol):
    """The private files bucket (``tiket.adapters.blobs.Blobs``; in memory for tests).
    Transient trouble raises ``Unavailable``."""

    def origin(self) -> str: ...

    def presigned_post(
        self,
        key: str,
        content_type: str,
        max_bytes: int,
        expires_s: int,
        metadata: Mapping[str, str] | None = None,
    ) -> dict[str, Any]: ...

    def head(self, key: str) -> BlobInfo | None: ...

    def get(self, key: str, max_bytes: int) -> bytes:
        """Raises ``BlobMissing`` or ``BlobTooLarge``."""
        ...

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def delete(self, keys: Sequence[str]) -> None: ...

    def signed_get_url(
        self,
        key: str,
        filename: str,
        content_type: str,
        expires_s: int = ...,
        *,
        inline: bool = False,
    ) -> str: ...


class InspectedFile(Protocol):
    """What an inspector (``tiket.adapters.file_inspection.inspect``) makes of an upload:
    the bytes that may be kept and, for a picture, its thumbnail."""

    @property
    def content_type(self) -> FileType: ...
    @property
    def data(self) -> bytes: ...
    @property
    def thumbnail(self) -> bytes | None: ...
    @property
    def thumbnail_type(self) -> FileType | None: ...


class Metrics(Protocol):
    def count(self, name: str, value: float = 1, **properties: Any) -> None: ...


Mails = Sequence[OutgoingMail]
