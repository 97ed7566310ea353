"""The files of a reply email (PRODUCT.md §10 and §11): every attached or inline part that is
not the body's text, with its name and bytes. What they are is judged later, by their bytes
(``AttachmentService.received``): the declared type and name are never trusted here.

Forwarded messages (message/rfc822) are not the sender's files: their parts are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage, MIMEPart

# More parts than this are not even read: the message takes at most 5 files, and a mail
# of hundreds of tiny parts should cost nothing.
MAX_PARTS = 20


@dataclass(frozen=True)
class MailFile:
    name: str  # as the sender's client named it ("" when it gave none); checked later
    data: bytes


def mail_files(message: EmailMessage) -> tuple[MailFile, ...]:
    """The mail's files in their order, the body's text parts left out."""
    body = message.get_body(preferencelist=("plain", "html"))
    found: list[MailFile] = []
    for part in _leaves(message):
        if len(found) == MAX_PARTS:
            break
        if part is body or _is_text(part):
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload:
            found.append(MailFile(part.get_filename() or "", payload))
    return tuple(found)


def _leaves(part: MIMEPart):
    if part.get_content_type() == "message/rfc822":
        return
    if part.is_multipart():
        for child in part.iter_parts():
            yield from _leaves(child)
    else:
        yield part


def _is_text(part: MIMEPart) -> bool:
    """Text that is part of the mail itself (the other half of an alternative, a signature
    block): text without a name, not offered as an attachment."""
    return (
        part.get_content_maintype() == "text"
        and part.get_content_disposition() != "attachment"
        and not part.get_filename()
    )
