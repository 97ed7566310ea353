"""An inbound email (a reply to a TIKet email) read into plain values, and the checks that
decide whether it may become a message at all.

- ``parse_inbound(raw)``: the raw RFC 5322 bytes (the S3 object SES wrote, or the local
  inbox file) to an ``InboundMail``: who sent it, to which addresses, and the new text only.
- ``auto_reply(mail)``: out-of-office replies and other machine mail, never a message.
- ``verdicts_ok(receipt, headers)``: SES's spam, virus, SPF, DKIM and DMARC verdicts.

Nothing here knows tickets: the service verifies the reply address among ``recipients``
(see ``reply_address``), checks that ``sender`` may write on that ticket, and drops the mail
with a log line otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from email import policy
from email.errors import MessageError
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesParser
from email.utils import collapse_rfc2231_value, getaddresses
from types import MappingProxyType
from typing import Any

from inscriptis import get_text  # type: ignore[import-untyped]

from tiket.adapters.mail.inbound_files import MailFile, mail_files
from tiket.adapters.mail.reply_text import new_text

MAX_BYTES = 10 * 1024 * 1024
MAX_TEXT = 2000  # a message's text limit (PRODUCT.md §10)
# The new text is at the top; converting megabytes of HTML to find it is wasted work.
MAX_HTML_CHARS = 200_000
_RECIPIENT_HEADERS = ("to", "cc", "delivered-to", "x-original-to")


class InboundError(ValueError):
    """Base of the reasons a raw inbound mail cannot be read."""


class InboundTooLarge(InboundError):
    """Over the size limit: refused before parsing."""


class InboundMalformed(InboundError):
    """Not a readable mail: no parseable From address, or headers that do not parse."""


@dataclass(frozen=True)
class InboundMail:
    sender: str  # the From address, lower case: what DMARC aligns and what the service checks
    sender_name: str
    # Logged, never trusted for identity: Return-Path is the envelope sender ('' for the null
    # sender <> of bounces and auto-replies), Sender the agent that sent for From.
    return_path: str | None
    sender_header: str | None
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To; lower case, unique
    subject: str
    message_id: str | None
    text: str  # the new text only; '' when the reply adds nothing
    truncated: bool  # the new text was longer than MAX_TEXT and was cut
    headers: Mapping[str, tuple[str, ...]]  # every header, lower-case name -> values
    files: tuple[MailFile, ...] = ()  # attached and inline files, judged by the service


def parse_inbound(
    raw: bytes, *, max_bytes: int = MAX_BYTES, max_text: int = MAX_TEXT
) -> InboundMail:
    """Read a raw RFC 5322 message; InboundTooLarge / InboundMalformed when it cannot be."""
    if len(raw) > max_bytes:
        raise InboundTooLarge(f"{len(raw)} bytes, over the limit of {max_bytes}")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        headers = _headers(message)
    except (MessageError, ValueError, TypeError, IndexError, AttributeError) as error:
        # The parser is lenient, but some malformed headers still raise while decoding.
        raise InboundMalformed(f"headers do not parse: {error}") from error
    senders = _addresses(headers.get("from", ()))
    if len(senders) != 1:
        raise InboundMalformed(f"need exactly one From address, found {len(senders)}")
    (sender_name, sender), *_ = senders
    text = new_text(_body(message))
    truncated = len(text) > max_text
    if truncated:
        text = text[: max_text - 1].rstrip() + "…"
    return InboundMail(
        sender=sender,
        sender_name=" ".join(sender_name.split()),
        return_path=_return_path(headers),
        sender_header=next((a for _, a in _addresses(headers.get("sender", ()))), None),
        recipients=tuple(
            dict.fromkeys(
                address
                for name in _RECIPIENT_HEADERS
                for _, address in _addresses(headers.get(name, ()))
            )
        ),
        subject=" ".join(_first(headers, "subject").split())[:300],
        message_id=_first(headers, "message-id").strip()[:998] or None,
        text=text,
        truncated=truncated,
        headers=MappingProxyType(headers),
        files=mail_files(message),
    )


def _headers(message: Message) -> dict[str, tuple[str, ...]]:
    collected: dict[str, list[str]] = {}
    for name, value in message.items():
        collected.setdefault(name.lower(), []).append(str(value))
    return {name: tuple(values) for name, values in collected.items()}


def _first(headers: Mapping[str, tuple[str, ...]], name: str) -> str:
    values = headers.get(name, ())
    return values[0] if values else ""


def _addresses(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, address) pairs of plausible addresses, address in lower case."""
    return [
        (name, address.lower())
        for name, address in getaddresses(list(values))
        if re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", address)
    ]


def _return_path(headers: Mapping[str, tuple[str, ...]]) -> str | None:
    if "return-path" not in headers:
        return None
    value = _first(headers, "return-path").strip()
    if value in ("<>", ""):
        return ""
    found = _addresses((value,))
    return found[0][1] if found else value[:254]


def _body(message: EmailMessage) -> str:
    """The text of the body part: text/plain preferred, else HTML as text; attachments and
    forwarded message/rfc822 parts are never the body."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = _decoded(part)
    if part.get_content_subtype() == "html":
        content = content[:MAX_HTML_CHARS]
        return get_text(content) if content.strip() else ""
    if _param(part, "format") == "flowed":
        return _unflow(content, delsp=_param(part, "delsp") == "yes")
    return content


def _param(part: MIMEPart, name: str) -> str:
    return collapse_rfc2231_value(part.get_param(name, "")).strip().lower()


def _unflow(text: str, *, delsp: bool) -> str:
    """format=flowed (RFC 3676, Thunderbird's default): join soft line breaks (a line ending
    in a space) within one quote depth, undo space-stuffing; the '-- ' separator stays."""
    lines: list[str] = []
    pending, depth = "", 0
    for raw in text.replace("\r\n", "\n").split("\n"):
        level = len(raw) - len(raw.lstrip(">"))
        line = raw[level:]
        line = line[1:] if line.startswith(" ") else line
        if pending and level != depth:
            lines.append(">" * depth + " " * bool(depth) + pending)
            pending = ""
        depth = level
        if line.endswith(" ") and line != "-- ":
            pending += line[:-1] if delsp else line
            continue
        lines.append(">" * level + " " * bool(level) + pending + line)
        pending = ""
    if pending:
        lines.append(">" * depth + " " * bool(depth) + pending)
    return "\n".join(lines)


def _decoded(part: MIMEPart) -> str:
    try:
        content: Any = part.get_content()  # transfer encoding and charset handled
    except (LookupError, UnicodeError):
        # An unknown or lying charset: keep the bytes readable rather than drop the reply.
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


_OOO_SUBJECT = re.compile(
    r"^\s*(?:out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply"
    r"|balasan otomatis|sedang cuti|di luar kantor)\b",
    re.IGNORECASE,
)
_BULK_PRECEDENCE = {"bulk", "junk", "auto_reply"}
# What X-Auto-Response-Suppress asks of recipients. People's mail clients do not send it;
# Exchange puts it on its own automatic replies and on notices, so it marks machine mail.
_SUPPRESS_MACHINE = {"all", "oof", "autoreply"}


def auto_reply(mail: InboundMail) -> bool:
    """Whether the mail was sent by a machine on its own: out-of-office, auto-responders,
    bulk mail, delivery reports. Such mail is never a message on a ticket."""
    headers = mail.headers
    auto_submitted = _first(headers, "auto-submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if any(name in headers for name in ("x-autoreply", "x-autorespond", "x-autogenerated")):
        return True
    if _first(headers, "precedence").strip().lower() in _BULK_PRECEDENCE:
        return True
    suppress = {
        token.strip().lower() for token in _first(headers, "x-auto-response-suppress").split(",")
    }
    if suppress & _SUPPRESS_MACHINE:
        return True
    if mail.return_path == "" or "multipart/report" in _first(headers, "content-type").lower():
        return True  # the null sender and delivery reports: bounces and notices
    return bool(_OOO_SUBJECT.match(mail.subject))


def verdicts_ok(
    receipt: Mapping[str, Any] | None, headers: Mapping[str, tuple[str, ...]]
) -> tuple[bool, str]:
    """SES's verdicts on an inbound mail: (accepted, reason).

    ``receipt`` is ``event["Records"][0]["ses"]["receipt"]`` of the SES event; ``headers``
    the stored message's, where SES adds ``X-SES-Spam-Verdict`` and ``X-SES-Virus-Verdict``.
    Refused: spam or virus FAIL (in either place); SPF and DKIM both other than PASS; DMARC
    FAIL. ``None`` is the local inbox only, where no receiving server checked anything: the
    result then says so, and production must always pass the receipt.
    """
    spam = {_status(receipt, "spamVerdict"), *_header_statuses(headers, "x-ses-spam-verdict")}
    virus = {_status(receipt, "virusVerdict"), *_header_statuses(headers, "x-ses-virus-verdict")}
    if "FAIL" in virus:
        return False, "virus"
    if "FAIL" in spam:
        return False, "spam"
    if receipt is None:
        return True, "unchecked-local"
    if "PASS" not in (_status(receipt, "spfVerdict"), _status(receipt, "dkimVerdict")):
        return False, "unauthenticated"
    if _status(receipt, "dmarcVerdict") == "FAIL":
        return False, "dmarc"
    return True, "ok"


def _status(receipt: Mapping[str, Any] | None, name: str) -> str:
    verdict = (receipt or {}).get(name)
    status = verdict.get("status") if isinstance(verdict, Mapping) else None
    return status.strip().upper() if isinstance(status, str) else ""


def _header_statuses(headers: Mapping[str, tuple[str, ...]], name: str) -> set[str]:
    # Every copy counts: SES puts its own on top, and a sender's forged FAIL only drops itself.
    return {value.strip().upper() for value in headers.get(name, ())}
