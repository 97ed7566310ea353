"""The requester's own page (PRODUCT.md §14): an emailed single-use link, a short session of
its own (not the staff one), their tickets, their data as JSON, and an erasure request.

``request_link`` does the same work whoever asks (a look-up, a count, a sign-in record and an
outbox record); only an address with tickets, within its limit, gets an email."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from typing_extensions import TypedDict

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.errors import Conflict, Expired, Forbidden
from tiket.domain.model import Ticket
from tiket.domain.privacy import ErasureStatus, email_key, erased, normalised
from tiket.domain.text import Msg
from tiket.messages import format_minutes, t
from tiket.services.erasure import ErasureService
from tiket.services.links import Links
from tiket.services.ports import Clock, LoginLinks, Signer, TicketStore
from tiket.services.privacy_mail import PrivacyMail
from tiket.services.privacy_ports import ErasureRequest, PrivacyStore
from tiket.services.ratelimit import RateLimiter
from tiket.services.views import (
    TicketSummary,
    history_json,
    iso,
    messages_json,
    ticket_summary,
)

ME_LOGIN_PURPOSE = "tiket.me.login"
ME_SESSION_PURPOSE = "tiket.me.session"


class ErasureView(TypedDict):
    id: str
    status: ErasureStatus
    requested_at: str | None


class MyTicket(TicketSummary):
    track_url: str | None
    erased: bool


class MyTickets(TypedDict):
    email: str
    tickets: list[MyTicket]
    erasure: ErasureView | None


class MyExport(TypedDict):
    email: str
    exported_at: str | None
    tickets: list[dict[str, Any]]
    erasure: ErasureView | None


class RequesterPortal:
    def __init__(
        self,
        tickets: TicketStore,
        privacy: PrivacyStore,
        logins: LoginLinks,
        signer: Signer,
        links: Links,
        mail: PrivacyMail,
        rate_limiter: RateLimiter,
        clock: Clock,
        calendar: WorkingCalendar,
        erasure: ErasureService,
        link_minutes: int,
        session_minutes: int,
    ):
        self.tickets = tickets
        self.privacy = privacy
        self.logins = logins
        self.signer = signer
        self.links = links
        self.mail = mail
        self.rate_limiter = rate_limiter
        self.clock = clock
        self.calendar = calendar
        self.erasure = erasure
        self.link_minutes = link_minutes
        self.session = timedelta(minutes=session_minutes)

    # --- sign-in ----------------------------------------------------------------------

    def request_link(self, email: str, client: str) -> None:
        self.rate_limiter.check("login", client)
        address = normalised(email)
        known = bool(self.privacy.requester_tickets(email_key(address)))
        wanted = known and self.rate_limiter.allows("me_login_to", address)
        now = self.clock.now()
        nonce = secrets.token_urlsafe(16)
        expires = now + timedelta(minutes=self.link_minutes)
        self.logins.create(nonce, address if wanted else "", expires)
        token = self.signer.sign(ME_LOGIN_PURPOSE, {"n": nonce, "x": int(expires.timestamp())})
        mail = self.mail.compose(
            "me_login",
            address,
            t("mail.me_login.subject"),
            [t("mail.me_login.intro", minutes=format_minutes(self.link_minutes))],
            now,
            link=(t("mail.me_login.link"), f"{self.links.base}/saya.html#{token}"),
        )
        if wanted:
            self.mail.send([mail], now)
        else:
            self.mail.decoy(mail)

    def sign_in(self, token: str) -> tuple[str, str]:
        """Use a link once: (the requester's email, a session value for the cookie)."""
        try:
            payload = self.signer.verify(ME_LOGIN_PURPOSE, token)
            nonce, expires = str(payload["n"]), int(payload["x"])
        except (KeyError, TypeError, ValueError):
            raise Forbidden(Msg("me.forged")) from None
        now = self.clock.now()
        if now.timestamp() > expires:
            raise Expired(Msg("me.expired"))
        email = self.logins.consume(nonce, now)
        if not email:  # used already (or a decoy's record, which opens nothing)
            raise Conflict(Msg("me.used"))
        session = self.signer.sign(ME_SESSION_PURPOSE, {"e": email, "i": int(now.timestamp())})
        return email, session

    def current(self, session: str | None) -> str | None:
        """The requester's email while the session lasts (its lifetime counts from sign-in)."""
        if not session:
            return None
        try:
            payload = self.signer.verify(ME_SESSION_PURPOSE, session)
            email, issued = str(payload["e"]), int(payload["i"])
        except (KeyError, TypeError, ValueError):
            return None
        if self.clock.now().timestamp() - issued > self.session.total_seconds():
            return None
        return email

    # --- the page -----------------------------------------------------------------------

    def _mine(self, email: str) -> list[Ticket]:
        numbers = self.privacy.requester_tickets(email_key(email))
        found = [self.tickets.get(number) for number in numbers]
        mine = [x for x in found if x is not None and normalised(x.requester.email) == email]
        return sorted(mine, key=lambda x: (x.created_at, x.number), reverse=True)

    def _pending(self, email: str) -> ErasureView | None:
        for request in self.privacy.pending_erasures():
            if request.key == email_key(email) and request.status == ErasureStatus.PENDING:
                return self._erasure_view(request)
        return None

    def _erasure_view(self, request: ErasureRequest) -> ErasureView:
        return {
            "id": request.id,
            "status": request.status,
            "requested_at": iso(request.requested_at, self.calendar.zone),
        }

    def tickets_of(self, email: str, lang: str) -> MyTickets:
        zone = self.calendar.zone
        rows: list[MyTicket] = [
            {
                **ticket_summary(x, zone, lang),
                "track_url": self.links.track(x.track_token) if x.track_token else None,
                "erased": erased(x),
            }
            for x in self._mine(email)
        ]
        return {"email": email, "tickets": rows, "erasure": self._pending(email)}

    def export(self, email: str, lang: str) -> MyExport:
        """Everything TIKet keeps about the requester, as JSON (their right of access)."""
        zone = self.calendar.zone
        rows = []
        for x in self._mine(email):
            r = x.requester
            rows.append(
                {
                    **ticket_summary(x, zone, lang),
                    "requester": {
                        "name": r.name,
                        "email": r.email,
                        "nip": r.nip,
                        "phone": r.phone,
                        "unit": r.unit,
                        "location": r.location,
                    },
                    "description": x.description,
                    "asset_tag": x.asset_tag,
                    "diagnosis": x.diagnosis,
                    "resolution": x.resolution,
                    "closed_at": iso(x.closed_at, zone),
                    "survey": None
                    if x.survey is None
                    else {
                        "answers": dict(x.survey.answers),
                        "suggestion": x.survey.suggestion,
                        "submitted_at": iso(x.survey.submitted_at, zone),
                    },
                    "files": [
                        {"name": a.name, "content_type": a.content_type, "size": a.size}
                        for a in x.attachments
                    ],
                    "history": history_json(self.tickets.history(x.number), zone, lang, False),
                    # Every file of the ticket is under "files" (no links in a download).
                    "messages": messages_json(
                        self.tickets.messages(x.number), zone, lang, False, files={}
                    ),
                }
            )
        return {
            "email": email,
            "exported_at": iso(self.clock.now(), zone),
            "tickets": rows,
            "erasure": self._pending(email),
        }

    def ask_erasure(self, email: str, reason: str) -> ErasureView:
        return self._erasure_view(self.erasure.request(email, reason))
