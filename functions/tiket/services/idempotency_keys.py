"""The ``Idempotency-Key`` header every writing route takes (PRODUCT.md §7): plain text up
to 200 characters; the OpenAPI document states the same pattern."""

from __future__ import annotations

import re

from tiket.domain.errors import BadRequest
from tiket.domain.text import Msg

MAX_KEY_LENGTH = 200
# A key is text: no control characters (C0, DEL, C1).
KEY_REFUSED = re.compile(r"[\x00-\x1f\x7f-\x9f]")
KEY_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"


def checked_key(key: object) -> str | None:
    """The key, ``None`` when absent or empty, or a clear 400 (a form's hidden field may
    arrive as any JSON value)."""
    if key is None or key == "":
        return None
    if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH or KEY_REFUSED.search(key):
        raise BadRequest(Msg("error.idempotency_key", {"max": MAX_KEY_LENGTH}))
    return key
