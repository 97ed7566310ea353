"""An outbox email as an RFC 5322 message (text + HTML alternatives, UTF-8)."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from tiket.services.ports import OutgoingMail


def header_safe(value: str) -> str:
    """Header values never carry line breaks (no header injection): fold them to spaces."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def to_mime(mail: OutgoingMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = header_safe(sender)
    message["To"] = formataddr((header_safe(mail.to_name), header_safe(mail.to)))
    message["Subject"] = header_safe(mail.subject)
    message["Date"] = formatdate(mail.created_at.timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(idstring=mail.id, domain=_domain(sender))
    if mail.ticket:
        message["X-TIKet-Ticket"] = header_safe(mail.ticket)
    if mail.reply_to:
        message["Reply-To"] = header_safe(mail.reply_to)
    # Machine mail (RFC 3834): out-of-office responders must not answer it, or their answers
    # would come back through the Reply-To (inbound drops them too).
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "OOF, AutoReply"
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


# Headers up to RFC 5322's hard limit before folding: Python folds a header that just
# overflows 78 columns by moving its whole value to a continuation line, which readers then
# show with a leading space ("Subject:\r\n [TIK-…").
WIRE = policy.SMTP.clone(max_line_length=998)


def to_bytes(mail: OutgoingMail, sender: str) -> bytes:
    """The message as it goes on the wire (SES) or to disk (the local outbox)."""
    return to_mime(mail, sender).as_bytes(policy=WIRE)


def _domain(sender: str) -> str:
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    return header_safe(address.rsplit("@", 1)[-1]) or "tiket.local"
