"""An email as TIKet keeps it: rendered once, stored in the outbox, sent by a transport."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid


def header_safe(value: str) -> str:
    """Header values never carry line breaks (no header injection): fold them to spaces."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


@dataclass(frozen=True)
class OutgoingMail:
    id: str
    ticket: str | None
    kind: str
    to: str
    to_name: str
    subject: str
    text: str
    html: str
    created_at: datetime

    def to_mime(self, sender: str) -> EmailMessage:
        """RFC 5322 multipart/alternative (text + HTML), UTF-8."""
        message = EmailMessage()
        message["From"] = header_safe(sender)
        message["To"] = formataddr((header_safe(self.to_name), header_safe(self.to)))
        message["Subject"] = header_safe(self.subject)
        message["Date"] = formatdate(self.created_at.timestamp(), localtime=False)
        message["Message-ID"] = make_msgid(idstring=self.id, domain=_domain(sender))
        if self.ticket:
            message["X-TIKet-Ticket"] = header_safe(self.ticket)
        message.set_content(self.text)
        message.add_alternative(self.html, subtype="html")
        return message


def _domain(sender: str) -> str:
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    return header_safe(address.rsplit("@", 1)[-1]) or "tiket.local"
