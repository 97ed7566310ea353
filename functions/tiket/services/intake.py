"""SOP step 3: a requester files a request. Validated, numbered, stored with its history,
tracking link and emails in one transaction, then the emails go out."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

from typing_extensions import TypedDict  # pydantic reads it on Python 3.11

from tiket.domain import lifecycle
from tiket.domain.errors import Conflict, IdempotencyMismatch, WriteConflict
from tiket.domain.model import Requester
from tiket.domain.standards import StepClock
from tiket.domain.text import Msg
from tiket.domain.vocabulary import Status
from tiket.log import log_event
from tiket.services.attachments import AttachmentService
from tiket.services.forms import TicketForm, parse
from tiket.services.idempotency_keys import checked_key
from tiket.services.links import Links
from tiket.services.ports import (
    Clock,
    IdempotencyClaim,
    IdempotencyKeys,
    IdempotencyRecord,
    Metrics,
    TicketNumbers,
    TicketStore,
)
from tiket.services.unit_of_work import TicketUnitOfWork

IDEMPOTENCY_TTL = timedelta(hours=24)
# The asset tag a new ticket records and its repeat-failure count (``DeviceHistory.at_filing``).
AssetFiling = Callable[[str | None, datetime], tuple[str | None, int | None]]


class FiledView(TypedDict):
    number: str
    status: Status
    track_token: str
    track_url: str


@dataclass(frozen=True)
class Filed:
    created: bool  # False: an earlier request with the same Idempotency-Key
    number: str
    status: Status
    track_token: str
    track_url: str

    def as_json(self) -> FiledView:
        return {
            "number": self.number,
            "status": self.status,
            "track_token": self.track_token,
            "track_url": self.track_url,
        }


class IntakeService:
    def __init__(
        self,
        uow: TicketUnitOfWork,
        tickets: TicketStore,
        numbers: TicketNumbers,
        idempotency: IdempotencyKeys,
        clock: Clock,
        step_clock: StepClock,
        zone: tzinfo,
        links: Links,
        categories: tuple[str, ...],
        metrics: Metrics,
        files: AttachmentService,
        asset_filing: AssetFiling | None = None,
    ):
        self.uow = uow
        self.tickets = tickets
        self.numbers = numbers
        self.idempotency = idempotency
        self.clock = clock
        self.step_clock = step_clock
        self.zone = zone
        self.links = links
        self.categories = categories
        self.metrics = metrics
        self.files = files
        self.asset_filing = asset_filing

    def file(self, body: Any, idempotency_key: object = None) -> Filed:
        if isinstance(body, dict) and body.get("website"):
            return self._decoy()
        form = parse(TicketForm, body, categories=self.categories)
        key = checked_key(idempotency_key)
        body_hash = _fingerprint(form)
        if key is not None:
            earlier = self._earlier(key, body_hash)
            if earlier is not None:
                return earlier
        # Before a number is taken: a bad file leaves no gap in the numbering.
        checked = self.files.check(form.attachments)
        now = self.clock.now()
        asset_tag, repeat_count = (
            self.asset_filing(form.asset_tag, now) if self.asset_filing else (form.asset_tag, None)
        )
        year = now.astimezone(self.zone).year
        number = f"TIK-{year}-{self.numbers.next_number(year):06d}"
        track_token = secrets.token_urlsafe(24)
        outcome = lifecycle.open_ticket(
            number=number,
            requester=Requester(
                name=form.name,
                email=form.email,
                unit=form.unit,
                location=form.location,
                nip=form.nip,
                phone=form.phone,
            ),
            category=form.category,
            subject=form.subject,
            description=form.description,
            asset_tag=asset_tag,
            repeat_count=repeat_count,
            track_token=track_token,
            now=now,
            clock=self.step_clock,
        )
        claim = None
        if key is not None:
            record = IdempotencyRecord(body_hash, number, track_token)
            claim = IdempotencyClaim(key, record, now + IDEMPOTENCY_TTL)
        try:
            with self.files.attaching(number, checked) as files:
                if files.attachments:
                    ticket = replace(outcome.ticket, attachments=files.attachments)
                    outcome = replace(outcome, ticket=ticket)
                try:
                    committed = self.uow.commit(None, outcome, idempotency=claim)
                except WriteConflict:
                    # A twin request with the same idempotency key won the race: its
                    # ticket is the answer, with its files (these copies go).
                    earlier = self._earlier(key, body_hash) if key else None
                    if earlier is None:
                        raise
                    files.abandon()
                    return earlier
        except WriteConflict:
            # Nothing was written (e.g. the twin's transaction still in flight): sending
            # again is the way out. An upload attached elsewhere first is a 400 instead.
            raise Conflict(Msg("error.filing_conflict")) from None
        self.metrics.count("TicketsCreated", category=form.category)
        log_event("ticket created", ticket=number, action="create", files=len(checked.files))
        status = committed.ticket.status
        return Filed(True, number, status, track_token, self.links.track(track_token))

    def _earlier(self, key: str, body_hash: str) -> Filed | None:
        record = self.idempotency.get(key, self.clock.now())
        if record is None:
            return None
        if record.body_hash != body_hash:
            raise IdempotencyMismatch(Msg("error.idempotency_mismatch"))
        ticket = self.tickets.get(record.number)
        status = ticket.status if ticket else Status.NEW
        track_url = self.links.track(record.track_token)
        return Filed(False, record.number, status, record.track_token, track_url)

    def _decoy(self) -> Filed:
        """Honeypot filled: answer like a success, store and send nothing."""
        year = self.clock.now().astimezone(self.zone).year
        token = secrets.token_urlsafe(24)
        number = f"TIK-{year}-{secrets.randbelow(999_999) + 1:06d}"
        log_event("honeypot filled", action="create")
        return Filed(True, number, Status.NEW, token, self.links.track(token))


def _fingerprint(form: TicketForm) -> str:
    """The same request means the same validated content, whatever the key order."""
    content = form.model_dump()
    if not content["attachments"]:
        # A request without files keeps the fingerprint it had before files existed: a
        # retry across the deploy that brought them is still the same request.
        del content["attachments"]
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
