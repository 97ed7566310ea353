"""Link tokens: sealed (nothing readable when decoded), one derived key per purpose, key
rotation, and the previous (readable) format refused."""

from __future__ import annotations

import base64
import hashlib

import pytest
from itsdangerous import URLSafeSerializer

from tiket.adapters.signer import BadToken, LinkSigner, derive_key

OLD = "old-master-key-0123456789abcdef"
NEW = "new-master-key-fedcba9876543210"
PAYLOAD = {
    "t": "TIK-2026-000123",
    "a": "acknowledge",
    "r": "andi.pratama@example.go.id",
    "v": 3,
    "n": "nonce-123",
    "x": 1_800_000_000,
}


def _decoded(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


def test_round_trip():
    signer = LinkSigner([NEW])
    assert signer.verify("tiket.action", signer.sign("tiket.action", PAYLOAD)) == PAYLOAD


def test_payload_is_unreadable_when_decoded():
    token = LinkSigner([NEW]).sign("tiket.action", PAYLOAD)
    decoded = _decoded(token)
    for secret in ("andi.pratama", "example.go.id", "TIK-2026", "000123", "acknowledge"):
        assert secret not in token
        assert secret.encode() not in decoded
    # Two tokens of one payload differ (a fresh nonce each): nothing to compare either.
    assert LinkSigner([NEW]).sign("tiket.action", PAYLOAD) != token


def test_a_token_opens_only_for_its_purpose():
    signer = LinkSigner([NEW])
    token = signer.sign("tiket.action", PAYLOAD)
    for other in ("tiket.login", "tiket.me.login", "tiket.session", "tiket.action "):
        with pytest.raises(BadToken):
            signer.verify(other, token)


def test_each_purpose_has_its_own_key_and_none_is_the_master():
    keys = {purpose: derive_key(NEW, purpose) for purpose in ("a", "b", "tiket.session")}
    assert len(set(keys.values())) == 3
    assert NEW.encode() not in keys.values()
    assert hashlib.sha256(NEW.encode()).digest() not in keys.values()
    assert LinkSigner([NEW, OLD]).keys_for("tiket.session") == [
        derive_key(NEW, "tiket.session"),
        derive_key(OLD, "tiket.session"),
    ]
    # A new purpose (one added by another feature) gets a key of its own with no change.
    signer = LinkSigner([NEW])
    token = signer.sign("tiket.new-purpose", PAYLOAD)
    assert signer.verify("tiket.new-purpose", token) == PAYLOAD


def test_rotation_newest_seals_every_key_opens():
    before, during, after = LinkSigner([OLD]), LinkSigner([NEW, OLD]), LinkSigner([NEW])
    old_token = before.sign("p", PAYLOAD)
    new_token = during.sign("p", PAYLOAD)
    assert during.verify("p", old_token) == PAYLOAD
    assert after.verify("p", new_token) == PAYLOAD  # sealed with the newest key
    with pytest.raises(BadToken):
        after.verify("p", old_token)  # the old key is gone
    with pytest.raises(BadToken):
        before.verify("p", new_token)


def test_any_change_is_refused():
    signer = LinkSigner([NEW])
    token = signer.sign("p", PAYLOAD)
    for i in range(0, len(token) - 1, 7):
        altered = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
        with pytest.raises(BadToken):
            signer.verify("p", altered)
    for bad in ("", token[:-5], token + "AAAA", "A" * 2000, "!!!", "e30", "AgAA"):
        with pytest.raises(BadToken):
            signer.verify("p", bad)


def test_the_previous_readable_format_is_refused():
    legacy = URLSafeSerializer([NEW], salt="tiket.action").dumps(PAYLOAD)
    with pytest.raises(BadToken):
        LinkSigner([NEW]).verify("tiket.action", legacy)


def test_short_or_missing_keys_are_refused():
    for keys in ([], ["short"], [NEW, "short"]):
        with pytest.raises(ValueError):
            LinkSigner(keys)
