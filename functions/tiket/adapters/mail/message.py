"""An outbox email as an RFC 5322 message (text + HTML alternatives, UTF-8)."""

from __future__ import annotations

import unicodedata
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from tiket.services.ports import OutgoingMail


def header_safe(value: str) -> str:
    """Header values never carry line breaks (no header injection) nor invisible format
    characters such as bidi overrides (no spoofed names): both become spaces."""
    visible = "".join(" " if unicodedata.category(ch) == "Cf" else ch for ch in value)
    return " ".join(visible.replace("\r", " ").replace("\n", " ").split())


# Headers are never folded (RFC 5322 allows lines of 998 characters): CPython's folder
# drops the quotes of a long display name with commas when it folds it, which turns one
# recipient into several (gh-80222) and makes SES refuse the message.
POLICY = policy.SMTP.clone(max_line_length=998)
MAX_NAME = 200


def address(name: str, email: str) -> Address:
    """One mailbox, whatever the name holds: the header registry quotes and encodes it."""
    return Address(display_name=header_safe(name)[:MAX_NAME], addr_spec=email)


def to_bytes(mail: OutgoingMail, sender: str) -> bytes:
    """The message as it is sent and as the local outbox keeps it."""
    return to_mime(mail, sender).as_bytes(policy=POLICY)


def to_mime(mail: OutgoingMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    sender_name, sender_email = parseaddr(sender)
    message["From"] = address(sender_name, sender_email)
    message["To"] = address(mail.to_name, mail.to)
    message["Subject"] = header_safe(mail.subject)
    message["Date"] = formatdate(mail.created_at.timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(idstring=mail.id, domain=_domain(sender))
    if mail.ticket:
        message["X-TIKet-Ticket"] = header_safe(mail.ticket)
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


def _domain(sender: str) -> str:
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    return header_safe(address.rsplit("@", 1)[-1]) or "tiket.local"
