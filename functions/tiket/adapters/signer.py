"""Sealed, purpose-bound tokens for links (actions, sign-in, …) with key rotation.

A token is ``base64url(version | nonce | AES-256-GCM(payload JSON))``: the payload is
encrypted and authenticated, so it can be neither read (no staff address or ticket number
for whoever base64-decodes a link) nor altered nor moved to another ticket, action,
recipient or version.

Keys: the configured master keys are never used directly. HKDF (RFC 5869, SHA-256) derives
one key per master key *and purpose*; the purpose is also the AEAD's associated data, so a
token made for one purpose never opens for another, and a purpose added later (requester
sign-in, say) gets its own key with no change here. Master keys are listed newest first:
tokens are sealed with the newest and opened with any, so a key can be added while links
made with the old one still work, until the old key is removed.

Tokens of the previous format (itsdangerous, payload readable) are refused like any forged
token: the clear "link not valid" page; see docs/security.md.
Expiry travels in the payload (``x``) and is checked by the caller against its own clock.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = b"\x02"
_NONCE_BYTES = 12
_SALT = b"tiket purpose keys"
MAX_TOKEN = 1024


class BadToken(ValueError):
    """Forged, altered, truncated, of the old format, or made for another purpose."""


def derive_key(master: str, purpose: str, length: int = 32) -> bytes:
    """The key of ``purpose`` derived from one master key (HKDF-SHA256)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=length, salt=_SALT, info=purpose.encode("utf-8")
    ).derive(master.encode("utf-8"))


class LinkSigner:
    def __init__(self, keys: Sequence[str]):
        if not keys or any(len(key) < 16 for key in keys):
            raise ValueError("Link signing needs at least one key of 16+ characters")
        self._masters = list(keys)  # newest first
        self._ciphers: dict[str, list[AESGCM]] = {}

    def keys_for(self, purpose: str, length: int = 32) -> list[bytes]:
        """The derived keys of ``purpose``, newest first: for a component that signs by
        itself (the session cookie), so it never shares a key with the links."""
        return [derive_key(master, purpose, length) for master in self._masters]

    def sign(self, purpose: str, payload: dict[str, Any]) -> str:
        data = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers_for(purpose)[0].encrypt(nonce, data, purpose.encode("utf-8"))
        return base64.urlsafe_b64encode(VERSION + nonce + sealed).rstrip(b"=").decode("ascii")

    def verify(self, purpose: str, token: str) -> dict[str, Any]:
        if not token or not isinstance(token, str) or len(token) > MAX_TOKEN:
            raise BadToken("no token or too long")
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError) as error:
            raise BadToken("not base64url") from error
        if raw[:1] != VERSION or len(raw) <= 1 + _NONCE_BYTES + 16:
            raise BadToken("unknown format")
        nonce, sealed = raw[1 : 1 + _NONCE_BYTES], raw[1 + _NONCE_BYTES :]
        for cipher in self._ciphers_for(purpose):
            try:
                data = cipher.decrypt(nonce, sealed, purpose.encode("utf-8"))
            except InvalidTag:
                continue
            payload = json.loads(data)
            if not isinstance(payload, dict):
                raise BadToken("payload is not an object")
            return payload
        raise BadToken("no key opens this token")

    def _ciphers_for(self, purpose: str) -> list[AESGCM]:
        if purpose not in self._ciphers:
            self._ciphers[purpose] = [AESGCM(key) for key in self.keys_for(purpose)]
        return self._ciphers[purpose]
