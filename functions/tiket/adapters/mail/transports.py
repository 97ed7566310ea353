"""Email transports behind one interface: ``send(mail) -> message id``.

- ``SesTransport``: Amazon SES v2 ``SendEmail`` with the raw MIME message (production, and
  the moto server on the local stack).
- ``OutboxTransport``: writes each message as an RFC 5322 ``.eml`` file (local stack).
- ``FanoutTransport``: both, for the local stack (SES is the source of truth for errors).

Errors are sorted for the retry policy: ``TransientMailError`` (throttling, outage: try
again later) and ``PermanentMailError`` (rejected address or content: never retry).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from email import policy
from pathlib import Path
from typing import Protocol

from botocore.exceptions import BotoCoreError, ClientError

from tiket.adapters.mail.message import OutgoingMail

PERMANENT_SES_ERRORS = {
    "MessageRejected",
    "MailFromDomainNotVerifiedException",
    "BadRequestException",
    "NotFoundException",
}


class TransientMailError(Exception):
    pass


class PermanentMailError(Exception):
    pass


class Transport(Protocol):
    def send(self, mail: OutgoingMail) -> str: ...


class SesTransport:
    def __init__(self, client, sender: str, configuration_set: str | None = None):
        self.client = client
        self.sender = sender
        self.configuration_set = configuration_set

    def send(self, mail: OutgoingMail) -> str:
        raw = mail.to_mime(self.sender).as_bytes(policy=policy.SMTP)
        kwargs = {
            "FromEmailAddress": self.sender,
            "Destination": {"ToAddresses": [mail.to]},
            "Content": {"Raw": {"Data": raw}},
        }
        if self.configuration_set:
            kwargs["ConfigurationSetName"] = self.configuration_set
        try:
            return self.client.send_email(**kwargs)["MessageId"]
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            message = f"{code}: {error.response.get('Error', {}).get('Message', '')}"
            if code in PERMANENT_SES_ERRORS:
                raise PermanentMailError(message) from error
            raise TransientMailError(message) from error
        except BotoCoreError as error:  # connection errors, timeouts
            raise TransientMailError(type(error).__name__) from error


class OutboxTransport:
    """Writes ``var/outbox/<time>-<ticket>-<kind>-<id>.eml``; the dev mail page lists them."""

    def __init__(self, directory: Path, sender: str):
        self.directory = Path(directory)
        self.sender = sender

    def send(self, mail: OutgoingMail) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = mail.created_at.strftime("%Y%m%dT%H%M%S")
        name = "-".join(
            _slug(part) for part in (stamp, mail.ticket or "tiket", mail.kind, mail.id[:12])
        )
        path = self.directory / f"{name}.eml"
        path.write_bytes(mail.to_mime(self.sender).as_bytes(policy=policy.SMTP))
        return path.name


class FanoutTransport:
    def __init__(self, transports: Sequence[Transport]):
        self.transports = list(transports)

    def send(self, mail: OutgoingMail) -> str:
        ids = [transport.send(mail) for transport in self.transports]
        return ids[0]


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", value)
