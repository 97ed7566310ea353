"""Where inbound mail comes from: the raw messages SES stored in S3 (production), and the
reader that turns raw bytes into an ``InboundMail`` and judges it as mail.

The parsing modules (``inbound``, ``reply_text``: lxml, the reply parser) are imported when a
mail is first read, not when this module is: the web app's cold start need not pay for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from botocore.config import Config
from botocore.exceptions import ClientError

from tiket.config import Settings

if TYPE_CHECKING:
    from tiket.services.inbound_ports import InboundMessage

MAX_BYTES = 10 * 1024 * 1024  # PRODUCT.md §10: an inbound mail over 10 MB is dropped
PREFIX = "inbound/"  # infra/inbound.yaml: the receipt rule's ObjectKeyPrefix
S3_CLIENT = Config(
    retries={"mode": "standard", "total_max_attempts": 3}, connect_timeout=5, read_timeout=20
)


class InboundTooLarge(ValueError):
    """Over the size limit: refused before reading it (raised by ``S3Inbox`` and the reader)."""


class MissingMail(ValueError):
    """SES said it stored a message that is not there (or no longer: the lifecycle expired it)."""


class S3Inbox:
    """The raw messages the SES receipt rule stored under ``inbound/<SES message id>``."""

    def __init__(self, client: Any, bucket: str, max_bytes: int = MAX_BYTES):
        self.client = client
        self.bucket = bucket
        self.max_bytes = max_bytes

    def read(self, message_id: str) -> bytes:
        """The raw message; ``InboundTooLarge`` or ``MissingMail`` when it cannot be had.
        Other S3 errors (throttling, an outage) propagate, so that the event is retried."""
        key = PREFIX + message_id
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=key)
            if int(head.get("ContentLength", 0)) > self.max_bytes:
                raise InboundTooLarge(f"{head['ContentLength']} bytes")
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
            raw = body.read(self.max_bytes + 1)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in ("404", "NoSuchKey", "NotFound"):
                raise MissingMail(code) from error
            raise
        if len(raw) > self.max_bytes:  # the object grew between the two calls
            raise InboundTooLarge(f"over {self.max_bytes} bytes")
        return bytes(raw)


def s3_inbox(settings: Settings) -> S3Inbox:
    if not settings.inbound_bucket:
        raise ValueError("Replies by email need TIKET_INBOUND_BUCKET (infra/inbound.yaml)")
    from botocore.session import get_session  # botocore, not boto3: see transports.py

    client = get_session().create_client(
        "s3", region_name=settings.inbound_region or settings.region, config=S3_CLIENT
    )
    return S3Inbox(client, settings.inbound_bucket)


class InboundReader:
    """``MailReader`` (``tiket.services.ports``) on ``tiket.adapters.mail.inbound``."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes

    def read(self, raw: bytes) -> InboundMessage:
        if len(raw) > self.max_bytes:
            raise InboundTooLarge(f"{len(raw)} bytes")
        from tiket.adapters.mail.inbound import parse_inbound

        return parse_inbound(raw, max_bytes=self.max_bytes)

    def automatic(self, mail: InboundMessage) -> bool:
        from tiket.adapters.mail.inbound import InboundMail, auto_reply

        if not isinstance(mail, InboundMail):
            raise TypeError("automatic() judges what read() returned")
        return auto_reply(mail)

    def verdict(self, receipt: Mapping[str, Any] | None, mail: InboundMessage) -> tuple[bool, str]:
        from tiket.adapters.mail.inbound import verdicts_ok

        return verdicts_ok(receipt, mail.headers)
