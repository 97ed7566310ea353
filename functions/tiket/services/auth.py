"""Staff sign-in by emailed link: no passwords to manage, no account enumeration.

``POST /api/auth/login`` always answers the same; only an active staff address gets a link,
valid for ``login_link_minutes`` and usable once (a conditional write on its record).
Opening the link shows a button; only its POST signs in, so mail scanners cannot use it up.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from tiket.domain.errors import Conflict, Expired, Forbidden
from tiket.domain.model import Staff
from tiket.domain.text import Msg
from tiket.domain.vocabulary import Role
from tiket.log import log_event
from tiket.messages import t
from tiket.services.links import LOGIN_PURPOSE, Links
from tiket.services.mailer import Mailer
from tiket.services.ports import (
    Clock,
    LoginLinks,
    MailContent,
    MailRenderer,
    Outbox,
    OutgoingMail,
    Signer,
    StaffDirectory,
)
from tiket.services.ratelimit import RateLimiter


@dataclass(frozen=True)
class Session:
    """What a staff session cookie holds (signed by Flask): who, and when (epoch seconds)."""

    email: str
    issued: int
    seen: int


@dataclass(frozen=True)
class SigninMail:
    """What the sign-in email needs besides the link."""

    renderer: MailRenderer
    outbox: Outbox
    mailer: Mailer
    unit_name: str


class AuthService:
    def __init__(
        self,
        staff: StaffDirectory,
        logins: LoginLinks,
        signer: Signer,
        links: Links,
        mail: SigninMail,
        rate_limiter: RateLimiter,
        clock: Clock,
        link_minutes: int,
        lifetime: timedelta,
        idle: timedelta,
    ):
        self.staff = staff
        self.logins = logins
        self.signer = signer
        self.links = links
        self.mail = mail
        self.rate_limiter = rate_limiter
        self.clock = clock
        self.link_minutes = link_minutes
        self.lifetime = lifetime
        self.idle = idle

    def request_link(self, email: object, client: str) -> None:
        """The same work whoever asks (no telling staff addresses apart by timing): a look-up,
        a per-recipient count, a sign-in record and an outbox record; only for active staff
        within their limit is the record an email, which the sweep sends within a minute."""
        self.rate_limiter.check("login", client)
        if not isinstance(email, str) or "@" not in email or len(email) > 254:
            return
        address = email.strip().lower()
        staff = self.staff.get(address)
        within = self.rate_limiter.allows("login_to", address)
        wanted = staff is not None and staff.active and within
        recipient = staff if staff is not None and wanted else Staff(address, "", Role.TIK)
        now = self.clock.now()
        nonce = secrets.token_urlsafe(16)
        expires = now + timedelta(minutes=self.link_minutes)
        self.logins.create(nonce, recipient.email if wanted else "", expires)
        token = self.signer.sign(
            LOGIN_PURPOSE, {"n": nonce, "r": recipient.email, "x": int(expires.timestamp())}
        )
        mail = self._mail(recipient, self.links.login(token), now)
        self.mail.outbox.add(mail, now if wanted else None)
        log_event("sign-in link requested", action="login")

    def _mail(self, staff: Staff, url: str, now: datetime) -> OutgoingMail:
        content = MailContent(
            greeting=t("mail.greeting", name=staff.name),
            paragraphs=[t("mail.login.intro", minutes=self.link_minutes)],
            link=(t("mail.link.login"), url),
            footer=t("mail.footer", unit=self.mail.unit_name),
        )
        text, html = self.mail.renderer.render(content)
        return OutgoingMail(
            id=uuid.uuid4().hex,
            ticket=None,
            kind="login",
            to=staff.email,
            to_name=staff.name,
            subject=t("mail.login.subject"),
            text=text,
            html=html,
            created_at=now,
        )

    def consume(self, token: object, client: str) -> Staff:
        """Sign in with a link: the staff member, or 403 (forged), 410 (expired), 409 (used)."""
        try:
            payload = self.signer.verify(LOGIN_PURPOSE, token if isinstance(token, str) else "")
            nonce, email, expires = str(payload["n"]), str(payload["r"]), int(payload["x"])
        except (KeyError, TypeError, ValueError):
            raise Forbidden(Msg("action.forged")) from None
        now = self.clock.now()
        if now.timestamp() > expires:
            raise Expired(Msg("auth.expired"))
        if self.logins.consume(nonce, now) is None:
            raise Conflict(Msg("auth.used"))
        staff = self.staff.get(email)
        if staff is None or not staff.active:
            raise Forbidden(Msg("action.wrong_recipient"))
        self.staff.record_signin(staff.email, now, client)
        log_event("signed in", action="signin", role=staff.role)
        return staff

    def open_session(self, staff: Staff) -> Session:
        now = int(self.clock.now().timestamp())
        return Session(staff.email, issued=now, seen=now)

    def current(self, session: Session | None) -> Staff | None:
        """The staff member behind a session, while it lasts: an absolute lifetime from
        sign-in, an idle timeout, not signed out since, still active. A stolen cookie dies
        with the session it was part of."""
        if session is None:
            return None
        now = self.clock.now().timestamp()
        if (
            now - session.issued > self.lifetime.total_seconds()
            or now - session.seen > self.idle.total_seconds()
        ):
            return None
        staff = self.staff.get(session.email)
        if staff is None or not staff.active:
            return None
        if staff.signed_out_at is not None and session.issued <= staff.signed_out_at.timestamp():
            return None
        return staff

    def sign_out(self, session: Session | None) -> None:
        staff = self.current(session)
        if staff is not None:
            self.staff.put(replace(staff, signed_out_at=self.clock.now()))
            log_event("signed out", action="signout", role=staff.role)
