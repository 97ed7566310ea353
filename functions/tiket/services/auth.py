"""Staff sign-in by emailed link: no passwords to manage, no account enumeration.

``POST /api/auth/login`` always answers the same; only an active staff address gets a link,
valid for ``login_link_minutes`` and usable once (a conditional write on its record).
Opening the link shows a button; only its POST signs in, so mail scanners cannot use it up.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tiket.adapters.mail.message import OutgoingMail
from tiket.adapters.mail.render import MailContent
from tiket.adapters.observability import log_event
from tiket.adapters.signer import BadToken
from tiket.domain.errors import Conflict, Expired, Forbidden
from tiket.domain.model import Staff
from tiket.messages import Msg, t
from tiket.services.links import LOGIN_PURPOSE
from tiket.services.mailer import LEASE

if TYPE_CHECKING:
    from tiket.services.context import Services


class AuthService:
    def __init__(self, services: Services):
        self.s = services

    def request_link(self, email: object, client: str) -> None:
        self.s.rate_limiter.check("login", client)
        if not isinstance(email, str) or "@" not in email or len(email) > 254:
            return
        staff = self.s.store.get_staff(email.strip().lower())
        if staff is None or not staff.active:
            log_event("sign-in link not sent", action="login")
            return
        now = self.s.now()
        nonce = secrets.token_urlsafe(16)
        expires = now + timedelta(minutes=self.s.settings.login_link_minutes)
        self.s.store.create_login(nonce, staff.email, expires)
        token = self.s.signer.sign(
            LOGIN_PURPOSE, {"n": nonce, "r": staff.email, "x": int(expires.timestamp())}
        )
        mail = self._mail(staff, self.s.links.login(token), now)
        self.s.store.add_mail(mail, now + LEASE)
        self.s.mailer.send_fresh([mail])
        log_event("sign-in link sent", action="login")

    def _mail(self, staff: Staff, url: str, now: datetime) -> OutgoingMail:
        minutes = self.s.settings.login_link_minutes
        content = MailContent(
            greeting=t("mail.greeting", name=staff.name),
            paragraphs=[t("mail.login.intro", minutes=minutes)],
            link=(t("mail.link.login"), url),
            footer=t("mail.footer", unit=self.s.settings.unit_name),
        )
        text, html = self.s.renderer.render(content)
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
            payload = self.s.signer.verify(LOGIN_PURPOSE, token if isinstance(token, str) else "")
            nonce, email, expires = str(payload["n"]), str(payload["r"]), int(payload["x"])
        except (BadToken, KeyError, TypeError, ValueError):
            raise Forbidden(Msg("action.forged")) from None
        now = self.s.now()
        if now.timestamp() > expires:
            raise Expired(Msg("auth.expired"))
        if self.s.store.consume_login(nonce, now) is None:
            raise Conflict(Msg("auth.used"))
        staff = self.s.store.get_staff(email)
        if staff is None or not staff.active:
            raise Forbidden(Msg("action.wrong_recipient"))
        self.s.store.record_signin(staff.email, now, client)
        log_event("signed in", action="signin", role=staff.role)
        return staff

    def current(self, email: str | None) -> Staff | None:
        """The staff member behind a session, if still active (a removed member is out)."""
        if not email:
            return None
        staff = self.s.store.get_staff(email)
        return staff if staff and staff.active else None
