"""Signed reply addresses: the ``Reply-To`` of every TIKet email, turned back into a ticket.

Format (plain local part on a dedicated reply domain, no ``+`` subaddress)::

    <56 characters of lowercase base32, no padding>@<reply domain>

The local part decodes to 35 bytes: ``version 2 | AES-SIV(year 2 | serial 4 | expiry 4 |
recipient digest 8)`` (16 bytes of synthetic IV, which authenticates, then 18 encrypted).

- A plain local part, not ``reply+<token>@…``: some senders' forms and MTAs mangle or drop
  ``+`` subaddresses, and a dedicated subdomain (for instance ``balas.unit.go.id``) lets one
  SES receipt rule take the whole domain, so nothing else needs to share it.
- Base32 uses only ``a-z2-7``: an atom every MTA accepts, and an MTA that changes the case of
  the local part changes nothing (decoding is case-insensitive). 56 characters fit the
  64-octet limit of RFC 5321 with room to spare.
- Opaque: ticket number, expiry and recipient are encrypted (AES-SIV: deterministic, needs
  no nonce, so it fits the 64 octets); the recipient is bound by a keyed digest so the caller
  checks ``claim.matches(sender)``.
- Keys: the configured root keys (newest first, as for action links) are never used
  directly; HKDF (RFC 5869, SHA-256) derives one sealing key and one digest key per root key
  for this purpose only. The newest key seals; every key opens, so rotation keeps old
  replies working until the old key is removed.
- Version 1 addresses (ticket and expiry in clear, MAC only) went out before version 2;
  they are still accepted until they expire (``reply_address_days``), so a reply to an
  older email is not lost. None is made any more.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = 2
LOCAL_PART_LENGTH = 56
_PLAIN = struct.Struct(">HII8s")  # year, serial, expires, recipient digest
_V1 = struct.Struct(">BHII8s")  # version 1: the same, in clear, after the version
_MAC_BYTES = 16
_NUMBER = re.compile(r"TIK-(\d{4})-(\d{6,10})")
_LOCAL = re.compile(r"[a-z2-7]{56}")
_DOMAIN = re.compile(r"(?=.{1,190}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_SALT = b"tiket reply address"


class ReplyAddressError(ValueError):
    """Base of the reasons an inbound reply address is refused (log the class name)."""


class MalformedAddress(ReplyAddressError):
    """Not a reply address of this domain and format (wrong length, alphabet or domain)."""


class ForgedAddress(ReplyAddressError):
    """Well-formed, but no key signed it: made up, altered, or signed by a removed key."""


class ExpiredAddress(ReplyAddressError):
    """Genuine, but past its expiry."""

    def __init__(self, claim: ReplyClaim):
        super().__init__(f"reply address of {claim.number} expired at {claim.expires_at}")
        self.claim = claim


@dataclass(frozen=True)
class ReplyClaim:
    """What a verified reply address says: which ticket, for whom, until when."""

    number: str
    recipient_digest: bytes
    expires_at: datetime
    _digest_key: bytes = field(repr=False, compare=False, default=b"")

    def matches(self, sender_email: str) -> bool:
        """Whether ``sender_email`` is the address this reply address was sent to."""
        digest = _recipient_digest(self._digest_key, sender_email)
        return hmac.compare_digest(digest, self.recipient_digest)


@dataclass(frozen=True)
class _Keys:
    seal: AESSIV
    digest: bytes
    v1_mac: bytes
    v1_digest: bytes


class ReplyAddresses:
    """Makes and verifies the signed ``Reply-To`` addresses of one reply domain."""

    def __init__(self, keys: Sequence[str], domain: str):
        if not keys or any(len(key) < 16 for key in keys):
            raise ValueError("Reply addresses need at least one key of 16+ characters")
        domain = domain.strip().lower()
        if not _DOMAIN.fullmatch(domain):
            raise ValueError(f"Not a mail domain: {domain!r}")
        self.domain = domain
        self._keys = [_derive(key) for key in keys]  # newest first, like LinkSigner

    def address(self, number: str, recipient_email: str, expires_at: datetime) -> str:
        """The reply address for ``recipient_email`` about ticket ``number``."""
        match = _NUMBER.fullmatch(number)
        if not match or f"TIK-{match[1]}-{int(match[2]):06d}" != number:
            raise ValueError(f"Not a ticket number: {number!r}")
        if expires_at.tzinfo is None:
            raise ValueError("expires_at needs a time zone")
        expires = int(expires_at.timestamp())
        serial = int(match[2])
        if not 0 < expires < 2**32 or serial >= 2**32:
            raise ValueError("expiry or serial out of range")
        if not _normalise(recipient_email):
            raise ValueError("No recipient address")
        keys = self._keys[0]
        plain = _PLAIN.pack(
            int(match[1]), serial, expires, _recipient_digest(keys.digest, recipient_email)
        )
        token = bytes([VERSION]) + keys.seal.encrypt(plain, [bytes([VERSION])])
        local = base64.b32encode(token).decode("ascii").lower()
        return f"{local}@{self.domain}"

    def verify(self, address: str, now: datetime) -> ReplyClaim:
        """The claim of a genuine, unexpired address; raises a ReplyAddressError otherwise."""
        local, _, domain = address.strip().lower().rpartition("@")
        if domain != self.domain:
            raise MalformedAddress("not the reply domain")
        if not _LOCAL.fullmatch(local):
            raise MalformedAddress("not a reply token (length or alphabet)")
        token = base64.b32decode(local.upper())  # 56 base32 characters always decode
        opened = self._open(token) if token[0] == VERSION else self._open_v1(token)
        if opened is None:
            raise ForgedAddress("no key signed this address")
        (year, serial, expires, digest), digest_key = opened
        claim = ReplyClaim(
            number=f"TIK-{year:04d}-{serial:06d}",
            recipient_digest=digest,
            expires_at=datetime.fromtimestamp(expires, UTC),
            _digest_key=digest_key,
        )
        if now >= claim.expires_at:
            raise ExpiredAddress(claim)
        return claim

    def _open(self, token: bytes) -> tuple[tuple[int, int, int, bytes], bytes] | None:
        for keys in self._keys:
            try:
                plain = keys.seal.decrypt(token[1:], [token[:1]])
            except InvalidTag:
                continue
            return _PLAIN.unpack(plain), keys.digest
        return None

    def _open_v1(self, token: bytes) -> tuple[tuple[int, int, int, bytes], bytes] | None:
        payload, mac = token[: _V1.size], token[_V1.size :]
        if payload[0] != 1:
            return None  # no version this code ever made: a forgery like any other
        for keys in self._keys:
            if hmac.compare_digest(_mac(keys.v1_mac, payload), mac):
                return _V1.unpack(payload)[1:], keys.v1_digest
        return None


def _normalise(email: str) -> bytes:
    # Addresses are compared case-insensitively: the address stored on a ticket is typed by
    # a person, and mail systems treat local parts as case-insensitive in practice.
    return email.strip().lower().encode("utf-8")


def _recipient_digest(key: bytes, email: str) -> bytes:
    return hmac.new(key, _normalise(email), hashlib.sha256).digest()[:8]


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()[:_MAC_BYTES]


def _hkdf(material: bytes, info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=_SALT, info=info).derive(material)


def _derive(root: str) -> _Keys:
    material = root.encode("utf-8")
    return _Keys(
        seal=AESSIV(_hkdf(material, b"reply-address/v2/seal", 64)),
        digest=_hkdf(material, b"reply-address/v2/recipient"),
        v1_mac=_hkdf(material, b"reply-address/v1/mac"),
        v1_digest=_hkdf(material, b"reply-address/v1/recipient"),
    )
