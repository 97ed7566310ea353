"""Erasure of a requester's personal data (PRODUCT.md §14): on request (admin decides, by
email link or staff page; the sweep escalates a request left pending) and by retention.

Each ticket is erased through the unit of work (``domain.privacy.erase``): one conditional
transaction holding the ticket, its rewritten messages and history entries and the history
entry saying what was erased. A staff action committed in between makes it lose; it is then
read again and erased again, so nothing is ever half-erased. Files are deleted from the
bucket once the ticket no longer names them.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.errors import Conflict, Expired, Forbidden, NotFound, WriteConflict
from tiket.domain.model import Actor
from tiket.domain.privacy import (
    ErasureReason,
    ErasureStatus,
    RetentionPolicy,
    email_key,
    erase,
    normalised,
    retention_reason,
)
from tiket.domain.text import Msg
from tiket.domain.vocabulary import Role
from tiket.log import log_event
from tiket.messages import format_datetime, t
from tiket.services.ports import BlobStore, Clock, Signer, StaffDirectory, TicketStore
from tiket.services.privacy_mail import PrivacyMail
from tiket.services.privacy_ports import ErasureRequest, PersonalWrite, PrivacyStore
from tiket.services.unit_of_work import TicketUnitOfWork

ATTEMPTS = 5  # a ticket busy with staff work is read and erased again this many times
RETENTION_BATCH = 25  # tickets retention erases per sweep run, at most


ERASURE_PURPOSE = "tiket.erasure"


class ErasureLinks:
    """The signed decision links of erasure emails, bound to (request, admin), expiring."""

    def __init__(self, public_url: str, signer: Signer):
        self.base = public_url.rstrip("/")
        self.signer = signer

    def decision(self, request_id: str, admin: str, expires: datetime) -> str:
        payload = {"q": request_id, "r": admin, "x": int(expires.timestamp())}
        return f"{self.base}/erasure/{self.signer.sign(ERASURE_PURPOSE, payload)}"

    def verify(self, token: str, now: datetime) -> tuple[str, str]:
        """(request id, admin email); 403 forged, 410 expired."""
        try:
            payload = self.signer.verify(ERASURE_PURPOSE, token)
            request_id, admin, expires = str(payload["q"]), str(payload["r"]), int(payload["x"])
        except (KeyError, TypeError, ValueError):
            raise Forbidden(Msg("erasure.forged")) from None
        if now.timestamp() > expires:
            raise Expired(Msg("erasure.expired"))
        return request_id, admin


@dataclass
class PrivacySweepReport:
    escalated: int = 0
    finished: int = 0
    retention_erased: int = 0


class ErasureService:
    def __init__(
        self,
        uow: TicketUnitOfWork,
        tickets: TicketStore,
        privacy: PrivacyStore,
        staff: StaffDirectory,
        blobs: BlobStore | None,
        mail: PrivacyMail,
        links: ErasureLinks,
        clock: Clock,
        calendar: WorkingCalendar,
        policy: RetentionPolicy,
        working_days: int,
    ):
        self.uow = uow
        self.tickets = tickets
        self.privacy = privacy
        self.staff = staff
        self.blobs = blobs
        self.mail = mail
        self.links = links
        self.clock = clock
        self.calendar = calendar
        self.policy = policy
        self.working_days = working_days

    # --- requests ---------------------------------------------------------------------

    def request(self, email: str, reason: str) -> ErasureRequest:
        """A pending request for ``email``: a new one (admins emailed), or the one pending."""
        now = self.clock.now()
        new = ErasureRequest(
            id=secrets.token_hex(8),
            key=email_key(email),
            email=normalised(email),
            reason=reason,
            status=ErasureStatus.PENDING,
            requested_at=now,
        )
        stored = self.privacy.add_erasure(new)
        if stored.id == new.id:
            self._tell_admins(stored, now, escalated=False)
            log_event("erasure requested", action="erasure_request")
        return stored

    def get(self, request_id: str) -> ErasureRequest:
        found = self.privacy.erasure(request_id) if len(request_id) <= 64 else None
        if found is None:
            raise NotFound(Msg("erasure.not_found"))
        return found

    def ticket_count(self, request: ErasureRequest) -> int:
        return len(self.privacy.requester_tickets(request.key))

    def pending(self) -> list[ErasureRequest]:
        return self.privacy.pending_erasures()

    def decide(self, request_id: str, approve: bool, refusal: str, admin: Actor) -> ErasureRequest:
        """Approve (erase every ticket of the requester, tell them first) or refuse with a
        reason (tell them why). Once only: a decided request answers 409."""
        request = self.get(request_id)
        if request.status != ErasureStatus.PENDING:
            raise Conflict(
                Msg("erasure.decided", {"status": t(f"erasure.status.{request.status}")})
            )
        now = self.clock.now()
        status = ErasureStatus.APPROVED if approve else ErasureStatus.REFUSED
        decided = replace(
            request,
            status=status,
            decided_at=now,
            decided_by=admin.email,
            refusal=None if approve else refusal,
            # A refusal needs the address no more once told; an approval until it is done.
            email=request.email if approve else None,
        )
        try:
            self.privacy.decide_erasure(decided)
        except WriteConflict:
            raise Conflict(Msg("erasure.decided", {"status": "?"})) from None
        if approve:
            return self.finish(decided, admin)
        if request.email:
            self._answer(request.email, refused=refusal, now=now)
        log_event("erasure refused", action="erasure_refuse")
        return decided

    def finish(self, approved: ErasureRequest, actor: Actor) -> ErasureRequest:
        """The approved erasure, all of it: told first (the address is about to go), then
        every ticket erased, then the request kept without the address. Run again by the
        sweep if it stopped half-way (the request stays listed until done)."""
        numbers = self.privacy.requester_tickets(approved.key)
        now = self.clock.now()
        if approved.email:
            self._answer(approved.email, tickets=len(numbers), now=now)
        for number in numbers:
            self.erase_ticket(number, ErasureReason.REQUEST, actor)
        done = replace(approved, email=None, tickets=approved.tickets + len(numbers))
        self.privacy.finish_erasure(done)
        log_event("erasure approved", action="erasure_approve", tickets=len(numbers))
        return done

    def erase_ticket(self, number: str, reason: ErasureReason, actor: Actor) -> bool:
        """Erase one ticket; False when nothing was left to erase."""
        for _ in range(ATTEMPTS):
            ticket = self.uow.load(number)
            erasure = erase(
                ticket,
                self.tickets.messages(number),
                self.tickets.history(number),
                reason,
                actor,
                self.clock.now(),
            )
            if erasure is None:
                return False
            try:
                self.uow.commit(
                    ticket,
                    erasure.outcome,
                    actor=actor,
                    rewrite=PersonalWrite(messages=erasure.messages, history=erasure.history),
                )
            except WriteConflict:
                continue  # staff acted meanwhile: read it again, erase what is there now
            if erasure.files and self.blobs is not None:
                self.blobs.delete(list(erasure.files))
            log_event("personal data erased", ticket=number, action="erase", reason=reason)
            return True
        raise Conflict(Msg("erasure.busy"))

    # --- the sweep's part ---------------------------------------------------------------

    def sweep(self, now: datetime) -> PrivacySweepReport:
        report = PrivacySweepReport()
        for request in self.privacy.pending_erasures():
            if request.status == ErasureStatus.APPROVED:
                self.finish(request, Actor.system())
                report.finished += 1
            elif (
                request.escalated_at is None
                and now >= self.escalate_at(request)
                and self.privacy.mark_escalated(request.id, now)
            ):
                self._tell_admins(request, now, escalated=True)
                report.escalated += 1
        for number in self.privacy.retention_due(now, RETENTION_BATCH):
            ticket = self.tickets.get(number)
            reason = None if ticket is None else retention_reason(ticket, self.policy, now)
            if reason is not None:
                try:
                    report.retention_erased += self.erase_ticket(number, reason, Actor.system())
                except Conflict:
                    log_event("retention deferred", logging.WARNING, ticket=number)
        return report

    def escalate_at(self, request: ErasureRequest) -> datetime:
        """``working_days`` working days after the request, at the same time of day."""
        local = request.requested_at.astimezone(self.calendar.zone)
        day, counted = local.date(), 0
        while counted < self.working_days:
            day += timedelta(days=1)
            counted += self.calendar.is_working_day(day)
        return local.replace(year=day.year, month=day.month, day=day.day)

    # --- emails ------------------------------------------------------------------------

    def _tell_admins(self, request: ErasureRequest, now: datetime, escalated: bool) -> None:
        kind = "erasure_escalated" if escalated else "erasure_request"
        zone = self.calendar.zone
        details = [
            (t("mail.erasure.detail.email"), request.email or ""),
            (t("mail.erasure.detail.tickets"), str(self.ticket_count(request))),
            (t("mail.erasure.detail.requested"), format_datetime(request.requested_at, zone)),
        ]
        if request.reason:
            details.append((t("mail.erasure.detail.reason"), request.reason))
        intro = t(f"mail.{kind}.intro", days=self.working_days)
        expires = now + timedelta(days=14)
        mails = []
        roles = (Role.ADMIN, Role.SUPERVISOR) if escalated else (Role.ADMIN,)
        for role in roles:
            for member in self.staff.with_role(role):
                actions = []
                if role == Role.ADMIN:
                    url = self.links.decision(request.id, member.email, expires)
                    actions = [
                        (t("mail.erasure.approve"), url),
                        (t("mail.erasure.refuse"), url + "#tolak"),
                    ]
                mails.append(
                    self.mail.compose(
                        kind,
                        member.email,
                        t(f"mail.{kind}.subject"),
                        [intro],
                        now,
                        name=member.name,
                        details=details,
                        actions=actions,
                    )
                )
        self.mail.send(mails, now)

    def _answer(
        self, email: str, now: datetime, tickets: int = 0, refused: str | None = None
    ) -> None:
        kind = "erasure_refused" if refused is not None else "erasure_approved"
        intro = t(f"mail.{kind}.intro", tickets=tickets, reason=refused or "")
        mail = self.mail.compose(kind, email, t(f"mail.{kind}.subject"), [intro], now)
        self.mail.send([mail], now)
