"""Signed, purpose-bound tokens for email links (actions, sign-in) with key rotation.

The signature covers the whole payload, so a token cannot be moved to another ticket,
action, recipient or version. ``purpose`` is the itsdangerous salt: a token made for one
purpose never verifies for another. Keys are listed newest first; tokens are signed with the
newest and verified against all, so a new key can be added while old links still work.
Expiry travels in the payload (``x``) and is checked by the caller against its own clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer


class BadToken(ValueError):
    """Forged, altered, truncated, or made for another purpose."""


class LinkSigner:
    def __init__(self, keys: Sequence[str]):
        if not keys or any(len(key) < 16 for key in keys):
            raise ValueError("Link signing needs at least one key of 16+ characters")
        # itsdangerous signs with the last key and verifies with any.
        self._keys = list(reversed(keys))

    def sign(self, purpose: str, payload: dict[str, Any]) -> str:
        return URLSafeSerializer(self._keys, salt=purpose).dumps(payload)

    def verify(self, purpose: str, token: str) -> dict[str, Any]:
        if not token or len(token) > 1024:
            raise BadToken("no token or too long")
        try:
            payload = URLSafeSerializer(self._keys, salt=purpose).loads(token)
        except (BadSignature, UnicodeError, ValueError) as error:
            raise BadToken(str(error)) from error
        if not isinstance(payload, dict):
            raise BadToken("payload is not an object")
        return payload
