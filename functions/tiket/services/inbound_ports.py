"""The ports of replies by email (PRODUCT.md §10): a received mail as plain values, its
reader, and the signed Reply-To addresses (``adapters/mail/``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol


class InboundMessage(Protocol):
    """A received email read into plain values (``adapters.mail.inbound.InboundMail``)."""

    @property
    def sender(self) -> str: ...
    @property
    def recipients(self) -> tuple[str, ...]: ...
    @property
    def text(self) -> str: ...
    @property
    def message_id(self) -> str | None: ...
    @property
    def headers(self) -> Mapping[str, tuple[str, ...]]: ...
    @property
    def files(self) -> Sequence[MailFileView]: ...


class MailFileView(Protocol):
    """A file of a received email: a name to check and bytes to judge, nothing trusted."""

    @property
    def name(self) -> str: ...
    @property
    def data(self) -> bytes: ...


class MailReader(Protocol):
    """Reads raw inbound mail and judges it as mail (not yet as a message of a ticket)."""

    def read(self, raw: bytes) -> InboundMessage:
        """Raises ``ValueError`` for mail too large or unreadable."""
        ...

    def automatic(self, mail: InboundMessage) -> bool:
        """Sent by a machine on its own (out-of-office, bounces, bulk)."""
        ...

    def verdict(self, receipt: Mapping[str, Any] | None, mail: InboundMessage) -> tuple[bool, str]:
        """The receiving server's spam, virus, SPF, DKIM and DMARC verdicts: (ok, reason)."""
        ...


class ReplyClaimView(Protocol):
    @property
    def number(self) -> str: ...


class ReplyAddressBook(Protocol):
    """Signed Reply-To addresses (``adapters.mail.reply_address.ReplyAddresses``)."""

    @property
    def domain(self) -> str: ...

    def address(self, number: str, recipient_email: str, expires_at: datetime) -> str: ...

    def verify(self, address: str, now: datetime) -> ReplyClaimView:
        """Raises ``ValueError`` (its class names why) for a malformed, forged or expired one."""
        ...
