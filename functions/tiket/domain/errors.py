"""Errors the product can answer with. Each carries its HTTP status, a stable code for
clients, and the text (a ``Msg``) shown to people; the web layer only renders them."""

from __future__ import annotations

from tiket.messages import Msg


class TiketError(Exception):
    status = 500
    code = "internal"

    def __init__(self, msg: Msg, **details):
        super().__init__(msg.key)
        self.msg = msg
        self.details = details


class ValidationFailed(TiketError):
    status = 400
    code = "validation"

    def __init__(self, fields: dict[str, Msg], msg: Msg | None = None):
        super().__init__(msg or Msg("error.validation"))
        self.fields = fields


class BadRequest(TiketError):
    status = 400
    code = "bad_request"


class Unauthenticated(TiketError):
    status = 401
    code = "unauthenticated"


class Forbidden(TiketError):
    status = 403
    code = "forbidden"


class NotFound(TiketError):
    status = 404
    code = "not_found"


class Conflict(TiketError):
    """The request is understood but the ticket is not where it would need to be."""

    status = 409
    code = "conflict"


class Expired(TiketError):
    status = 410
    code = "expired"


class UnsupportedMediaType(TiketError):
    status = 415
    code = "unsupported_media_type"


class IdempotencyMismatch(TiketError):
    status = 422
    code = "idempotency_mismatch"


class RateLimited(TiketError):
    status = 429
    code = "rate_limited"

    def __init__(self, retry_after: int):
        super().__init__(Msg("error.rate_limited", {"seconds": retry_after}))
        self.retry_after = retry_after


class Unavailable(TiketError):
    """A dependency is throttling or down; nothing was half-written. Try again."""

    status = 503
    code = "unavailable"

    def __init__(self, retry_after: int = 2):
        super().__init__(Msg("error.unavailable"))
        self.retry_after = retry_after


class WriteConflict(Exception):
    """A conditional write lost: the ticket changed since it was read, or a once-only
    record (nonce, breach, idempotency key) already exists. Services turn it into 409."""

    def __init__(self, reasons: list[str] | None = None):
        super().__init__(", ".join(reasons or []))
        self.reasons = reasons or []
