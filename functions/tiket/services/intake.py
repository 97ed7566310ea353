"""SOP step 3: a requester files a request. Validated, numbered, stored with its history,
tracking link and emails in one transaction, then the emails go out."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tiket.adapters.observability import log_event
from tiket.adapters.store import Change, IdempotencyRecord
from tiket.domain import lifecycle
from tiket.domain.deadlines import next_check
from tiket.domain.errors import BadRequest, Conflict, IdempotencyMismatch, WriteConflict
from tiket.domain.model import Requester
from tiket.messages import Msg
from tiket.services.mailer import LEASE
from tiket.services.validation import TicketForm, parse

if TYPE_CHECKING:
    from tiket.services.context import Services

IDEMPOTENCY_TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class Filed:
    created: bool  # False: an earlier request with the same Idempotency-Key
    number: str
    status: str
    track_token: str
    track_url: str

    def as_json(self) -> dict[str, str]:
        return {
            "number": self.number,
            "status": self.status,
            "track_token": self.track_token,
            "track_url": self.track_url,
        }


class IntakeService:
    def __init__(self, services: Services):
        self.s = services

    def file(self, body: Any, idempotency_key: str | None = None) -> Filed:
        if isinstance(body, dict) and body.get("website"):
            return self._decoy()
        form = parse(TicketForm, body, categories=self.s.settings.categories)
        key = _checked_key(idempotency_key)
        body_hash = _fingerprint(form)
        if key is not None:
            earlier = self._earlier(key, body_hash)
            if earlier is not None:
                return earlier
        now = self.s.now()
        year = now.astimezone(self.s.calendar.zone).year
        number = f"TIK-{year}-{self.s.store.next_number(year):06d}"
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
            asset_tag=form.asset_tag,
            now=now,
            clock=self.s.step_clock,
        )
        ticket = replace(outcome.ticket, track_token=track_token)
        mails = self.s.notifier.mails_for(ticket, outcome.notices, now)
        change = Change(
            ticket=ticket,
            expected_version=0,
            next_check=next_check(ticket, self.s.calendar, self.s.survey_policy),
            at=now,
            history=outcome.history,
            mails=mails,
            mail_first_attempt=now + LEASE,
        )
        idempotency = None
        if key is not None:
            record = IdempotencyRecord(body_hash, number, track_token)
            idempotency = (key, record, now + IDEMPOTENCY_TTL)
        try:
            self.s.store.create_ticket(change, idempotency)
        except WriteConflict:
            # A twin request with the same idempotency key won the race: its ticket is the
            # answer. Anything else (e.g. the twin's transaction still in flight) wrote
            # nothing, and sending again is the way out.
            earlier = self._earlier(key, body_hash) if key else None
            if earlier is None:
                raise Conflict(Msg("error.filing_conflict")) from None
            return earlier
        self.s.metrics.count("TicketsCreated", category=form.category)
        log_event("ticket created", ticket=number, action="create")
        self.s.mailer.send_fresh(mails)
        return Filed(True, number, ticket.status, track_token, self.s.links.track(track_token))

    def _earlier(self, key: str, body_hash: str) -> Filed | None:
        record = self.s.store.idempotency(key, self.s.now())
        if record is None:
            return None
        if record.body_hash != body_hash:
            raise IdempotencyMismatch(Msg("error.idempotency_mismatch"))
        ticket = self.s.store.get_ticket(record.number)
        status = ticket.status if ticket else "new"
        return Filed(
            False, record.number, status, record.track_token, self.s.links.track(record.track_token)
        )

    def _decoy(self) -> Filed:
        """Honeypot filled: answer like a success, store and send nothing."""
        year = self.s.now().astimezone(self.s.calendar.zone).year
        token = secrets.token_urlsafe(24)
        number = f"TIK-{year}-{secrets.randbelow(999_999) + 1:06d}"
        log_event("honeypot filled", action="create")
        return Filed(True, number, "new", token, self.s.links.track(token))


def _checked_key(key: str | None) -> str | None:
    if key is None or key == "":
        return None
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise BadRequest(Msg("error.idempotency_key", {"max": MAX_KEY_LENGTH}))
    return key


def _fingerprint(form: TicketForm) -> str:
    """The same request means the same validated content, whatever the key order."""
    canonical = json.dumps(form.model_dump(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
