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
from pathlib import Path

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.session import get_session

from tiket.adapters.mail.message import to_bytes
from tiket.config import Settings
from tiket.services.ports import (
    MailTransport,
    OutgoingMail,
    PermanentMailError,
    TransientMailError,
)

# The address or the content is refused: sending again cannot help. Everything else (throttling,
# outages, an account paused until an operator acts) is retried for days.
PERMANENT_SES_ERRORS = {
    "MessageRejected",
    "InvalidParameterValue",
    "MailFromDomainNotVerifiedException",
    "BadRequestException",
    "NotFoundException",
}


class SesTransport:
    def __init__(self, client, sender: str, configuration_set: str | None = None):
        self.client = client
        self.sender = sender
        self.configuration_set = configuration_set

    def send(self, mail: OutgoingMail) -> str:
        raw = to_bytes(mail, self.sender)
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
        path.write_bytes(to_bytes(mail, self.sender))
        return path.name


class FanoutTransport:
    def __init__(self, transports: Sequence[MailTransport]):
        self.transports = list(transports)

    def send(self, mail: OutgoingMail) -> str:
        ids = [transport.send(mail) for transport in self.transports]
        return ids[0]


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", value)


# Emails are sent inside requests (three for a new ticket) and one that fails waits in the
# outbox for the sweep, so a send gives up quickly, whatever botocore the Lambda runtime
# carries: its defaults (60 s timeouts; older versions retry five times, ~15 s) could hold a
# request past API Gateway's 29 s.
SES_CLIENT = Config(
    retries={"mode": "standard", "total_max_attempts": 3}, connect_timeout=5, read_timeout=10
)


def build_transport(settings: Settings) -> MailTransport:
    """``ses``, ``outbox`` or ``ses+outbox`` (the local stack: SES on moto and a copy on disk)."""
    kinds = settings.mail_transport.split("+")
    transports: list[MailTransport] = []
    if "ses" in kinds:
        # botocore, not boto3: importing boto3 costs every cold start ~170 ms (bench/coldstart).
        client = get_session().create_client(
            "sesv2",
            region_name=settings.region,
            endpoint_url=settings.ses_endpoint,
            config=SES_CLIENT,
        )
        transports.append(
            SesTransport(client, settings.mail_sender, settings.ses_configuration_set)
        )
    if "outbox" in kinds:
        if settings.outbox_dir is None:
            raise ValueError("The outbox transport needs TIKET_OUTBOX_DIR")
        transports.append(OutboxTransport(settings.outbox_dir, settings.mail_sender))
    if not transports:
        raise ValueError(f"Unknown mail transport {settings.mail_transport!r}")
    return transports[0] if len(transports) == 1 else FanoutTransport(transports)
