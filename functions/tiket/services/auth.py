"""Staff sign-in by emailed link: no passwords to manage, no account enumeration.

``POST /api/auth/login`` always answers the same; only an active staff address gets a link,
valid for ``login_link_minutes`` and usable once (a conditional write on its record).
Opening the link shows a button; only its POST signs in, so mail scanners cannot use it up.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from tiket.domain.errors import Conflict, Expired, Forbidden
from tiket.domain.model import Staff
from tiket.domain.text import Msg
from tiket.log import log_event
from tiket.messages import format_minutes, t
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
from tiket.services.unit_of_work import LEASE


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
    ):
        self.staff = staff
        self.logins = logins
        self.signer = signer
        self.links = links
        self.mail = mail
        self.rate_limiter = rate_limiter
        self.clock = clock
        self.link_minutes = link_minutes

    def request_link(self, email: object, client: str) -> None:
        self.rate_limiter.check("login", client)
        if not isinstance(email, str) or "@" not in email or len(email) > 254:
            return
        staff = self.staff.get(email.strip().lower())
        if staff is None or not staff.active:
            log_event("sign-in link not sent", action="login")
            return
        now = self.clock.now()
        nonce = secrets.token_urlsafe(16)
        expires = now + timedelta(minutes=self.link_minutes)
        self.logins.create(nonce, staff.email, expires)
        token = self.signer.sign(
            LOGIN_PURPOSE, {"n": nonce, "r": staff.email, "x": int(expires.timestamp())}
        )
        mail = self._mail(staff, self.links.login(token), now)
        self.mail.outbox.add(mail, now + LEASE)
        self.mail.mailer.send_fresh([mail])
        log_event("sign-in link sent", action="login")

    def _mail(self, staff: Staff, url: str, now: datetime) -> OutgoingMail:
        content = MailContent(
            greeting=t("mail.greeting", name=staff.name),
            paragraphs=[t("mail.login.intro", minutes=format_minutes(self.link_minutes))],
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

    def current(self, email: str | None) -> Staff | None:
        """The staff member behind a session, if still active (a removed member is out)."""
        if not email:
            return None
        staff = self.staff.get(email)
        return staff if staff and staff.active else None
