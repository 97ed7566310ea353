"""The emails of personal-data handling (own-page links, erasure requests and answers):
rendered once, put in the outbox, sent at once (what fails waits for the sweep)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from tiket.messages import t
from tiket.services.mailer import Mailer
from tiket.services.ports import MailContent, MailRenderer, Outbox, OutgoingMail
from tiket.services.unit_of_work import LEASE


@dataclass(frozen=True)
class PrivacyMail:
    renderer: MailRenderer
    outbox: Outbox
    mailer: Mailer
    unit_name: str

    def compose(
        self,
        kind: str,
        to: str,
        subject: str,
        paragraphs: list[str],
        now: datetime,
        *,
        name: str = "",
        details: list[tuple[str, str]] | None = None,
        actions: list[tuple[str, str]] | None = None,
        link: tuple[str, str] | None = None,
    ) -> OutgoingMail:
        content = MailContent(
            greeting=t("mail.greeting", name=name or to),
            paragraphs=paragraphs,
            details=details or [],
            actions=actions or [],
            link=link,
            footer=t("mail.footer", unit=self.unit_name),
        )
        text, html = self.renderer.render(content)
        return OutgoingMail(
            id=uuid.uuid4().hex,
            ticket=None,
            kind=kind,
            to=to,
            to_name=name,
            subject=subject,
            text=text,
            html=html,
            created_at=now,
        )

    def send(self, mails: list[OutgoingMail], now: datetime) -> None:
        for mail in mails:
            self.outbox.add(mail, now + LEASE)  # sent now; the sweep only if that fails
        if mails:
            self.mailer.send_fresh(mails)

    def decoy(self, mail: OutgoingMail) -> None:
        """The same outbox write as a real email, never sent (no telling addresses apart)."""
        self.outbox.add(mail, None)
