"""What can go wrong, as the product names it. Each error carries the text (a ``Msg``) shown
to people; the web layer maps the classes to HTTP answers (``tiket.web.errors``)."""

from __future__ import annotations

from typing import Any

from tiket.domain.text import Msg


class TiketError(Exception):
    def __init__(self, msg: Msg, **details: Any):
        super().__init__(msg.key)
        self.msg = msg
        self.details = details


class ValidationFailed(TiketError):
    """Bad input; ``fields`` names each field's problem."""

    def __init__(self, fields: dict[str, Msg], msg: Msg | None = None):
        super().__init__(msg or Msg("error.validation"))
        self.fields = fields


class BadRequest(TiketError):
    pass


class Unauthenticated(TiketError):
    pass


class Forbidden(TiketError):
    pass


class NotFound(TiketError):
    pass


class Conflict(TiketError):
    """The request is understood but the ticket is not where it would need to be."""


class Expired(TiketError):
    pass


class IdempotencyMismatch(TiketError):
    pass


class RateLimited(TiketError):
    def __init__(self, retry_after: int):
        super().__init__(Msg("error.rate_limited", {"seconds": retry_after}))
        self.retry_after = retry_after


class Unavailable(TiketError):
    """A dependency is throttling or down; nothing was half-written. Try again."""

    def __init__(self, retry_after: int = 2):
        super().__init__(Msg("error.unavailable"))
        self.retry_after = retry_after


class WriteConflict(Exception):
    """A conditional write lost: the ticket changed since it was read, or a once-only
    record (nonce, breach, idempotency key) already exists. Services turn it into 409."""

    def __init__(self, reasons: list[str] | None = None):
        super().__init__(", ".join(reasons or []))
        self.reasons = reasons or []
