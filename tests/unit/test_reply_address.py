"""Signed reply addresses: format, binding, expiry, forgery, case changes, key rotation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tiket.adapters.mail.reply_address import (
    LOCAL_PART_LENGTH,
    ExpiredAddress,
    ForgedAddress,
    MalformedAddress,
    ReplyAddresses,
)

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)
EXPIRES = NOW + timedelta(days=30)
OLD_KEY = "old-root-key-0123456789abcdef"
NEW_KEY = "new-root-key-fedcba9876543210"
DOMAIN = "balas.tiket.example.go.id"
ANA = "ana.putri@example.go.id"
NUMBER = "TIK-2026-000123"
BASE32 = set("abcdefghijklmnopqrstuvwxyz234567")


@pytest.fixture
def replies() -> ReplyAddresses:
    return ReplyAddresses([NEW_KEY, OLD_KEY], DOMAIN)


def test_round_trip_gives_ticket_expiry_and_recipient(replies):
    claim = replies.verify(replies.address(NUMBER, ANA, EXPIRES), NOW)
    assert claim.number == NUMBER
    assert claim.expires_at == EXPIRES
    assert claim.matches(ANA)
    assert claim.matches("  Ana.Putri@Example.GO.ID ")  # as typed on the ticket, or by MTAs
    assert not claim.matches("budi.santoso@example.go.id")
    assert not claim.matches("ana.putri@example.go.id.evil.test")


def test_format_is_a_short_lowercase_base32_local_part_on_the_reply_domain(replies):
    address = replies.address(NUMBER, ANA, EXPIRES)
    local, domain = address.split("@")
    assert domain == DOMAIN
    assert len(local) == LOCAL_PART_LENGTH <= 64
    assert set(local) <= BASE32
    assert len(address) <= 254


def test_address_is_opaque(replies):
    address = replies.address(NUMBER, ANA, EXPIRES)
    decoded = base64.b32decode(address.split("@")[0].upper())
    for secret in (ANA, "ana.putri", "ana", "000123", "2026"):
        assert secret not in address
        assert secret.encode() not in decoded
    # Nor in binary: the year, the serial and the expiry are encrypted, not just packed.
    expires = int(EXPIRES.timestamp()).to_bytes(4, "big")
    for packed in ((2026).to_bytes(2, "big"), (123).to_bytes(4, "big"), expires):
        assert packed not in decoded


def test_large_serials_round_trip(replies):
    address = replies.address("TIK-2026-1234567", ANA, EXPIRES)
    assert replies.verify(address, NOW).number == "TIK-2026-1234567"


def test_each_ticket_and_recipient_gets_its_own_address(replies):
    addresses = {
        replies.address(NUMBER, ANA, EXPIRES),
        replies.address("TIK-2026-000124", ANA, EXPIRES),
        replies.address(NUMBER, "budi@example.go.id", EXPIRES),
        replies.address(NUMBER, ANA, EXPIRES + timedelta(seconds=1)),
    }
    assert len(addresses) == 4


def test_expired_address_is_refused_with_its_claim(replies):
    address = replies.address(NUMBER, ANA, EXPIRES)
    assert replies.verify(address, EXPIRES - timedelta(seconds=1)).number == NUMBER
    with pytest.raises(ExpiredAddress) as caught:
        replies.verify(address, EXPIRES)
    assert caught.value.claim.number == NUMBER
    with pytest.raises(ExpiredAddress):
        replies.verify(address, EXPIRES.astimezone(UTC) + timedelta(days=1))


def test_every_single_character_change_is_a_forgery(replies):
    address = replies.address(NUMBER, ANA, EXPIRES)
    local = address.split("@")[0]
    for position, char in enumerate(local):
        other = "a" if char != "a" else "b"
        altered = f"{local[:position]}{other}{local[position + 1 :]}@{DOMAIN}"
        with pytest.raises(ForgedAddress):
            replies.verify(altered, NOW)


def test_made_up_and_foreign_key_addresses_are_forgeries(replies):
    with pytest.raises(ForgedAddress):
        replies.verify("a" * LOCAL_PART_LENGTH + "@" + DOMAIN, NOW)
    stranger = ReplyAddresses(["someone-elses-key-000000000"], DOMAIN)
    with pytest.raises(ForgedAddress):
        replies.verify(stranger.address(NUMBER, ANA, EXPIRES), NOW)


def test_case_changed_addresses_still_verify(replies):
    address = replies.address(NUMBER, ANA, EXPIRES)
    for changed in (address.upper(), address.title(), f"  {address.swapcase()} "):
        claim = replies.verify(changed, NOW)
        assert claim.number == NUMBER
        assert claim.matches(ANA)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda a: a.replace("@", "x@", 1),  # one character too long
        lambda a: a[1:],  # one character too short
        lambda a: "q" * 65 + "@" + DOMAIN,  # over the 64-octet limit
        lambda a: a.split("@")[0] + "@balas.example.com",  # another domain
        lambda a: a.split("@")[0] + "@sub." + DOMAIN,
        lambda a: a.split("@")[0],  # no domain
        lambda a: "0189" + a[4:],  # not base32
        lambda a: "reply+" + a,  # a subaddress form is not this format
        lambda a: "",
    ],
)
def test_malformed_addresses_are_refused(replies, mangle):
    with pytest.raises(MalformedAddress):
        replies.verify(mangle(replies.address(NUMBER, ANA, EXPIRES)), NOW)


def test_rotation_newest_signs_every_key_verifies():
    before = ReplyAddresses([OLD_KEY], DOMAIN)
    during = ReplyAddresses([NEW_KEY, OLD_KEY], DOMAIN)
    after = ReplyAddresses([NEW_KEY], DOMAIN)

    old_address = before.address(NUMBER, ANA, EXPIRES)
    new_address = during.address(NUMBER, ANA, EXPIRES)
    assert new_address != old_address
    assert during.verify(old_address, NOW).matches(ANA)  # replies to old mail keep working
    assert after.verify(new_address, NOW).matches(ANA)  # the newest key signed it
    with pytest.raises(ForgedAddress):
        before.verify(new_address, NOW)
    with pytest.raises(ForgedAddress):
        after.verify(old_address, NOW)  # the old key is gone


def test_the_root_key_never_seals_directly(replies):
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV

    token = base64.b32decode(replies.address(NUMBER, ANA, EXPIRES).split("@")[0].upper())
    for key in (NEW_KEY, OLD_KEY):
        raw = hashlib.sha512(key.encode()).digest()  # the root key stretched to 64 bytes
        with pytest.raises(InvalidTag):
            AESSIV(raw).decrypt(token[1:], [token[:1]])


def _version_1(root: str, number_year: int, serial: int, expires: datetime, email: str) -> str:
    """A version 1 address, built as the code before version 2 built it."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    def derive(info: bytes) -> bytes:
        hkdf = HKDF(hashes.SHA256(), 32, b"tiket reply address", info)
        return hkdf.derive(root.encode())

    digest = hmac.new(derive(b"reply-address/v1/recipient"), email.encode(), "sha256")
    payload = struct.pack(
        ">BHII8s", 1, number_year, serial, int(expires.timestamp()), digest.digest()[:8]
    )
    mac = hmac.new(derive(b"reply-address/v1/mac"), payload, "sha256").digest()[:16]
    return base64.b32encode(payload + mac).decode().lower() + "@" + DOMAIN


def test_version_1_addresses_still_verify_until_they_expire(replies):
    old = _version_1(OLD_KEY, 2026, 123, EXPIRES, ANA)
    claim = replies.verify(old, NOW)
    assert claim.number == NUMBER and claim.matches(ANA)
    assert not claim.matches("budi.santoso@example.go.id")
    with pytest.raises(ExpiredAddress):
        replies.verify(old, EXPIRES)
    with pytest.raises(ForgedAddress):
        replies.verify(_version_1("another-root-key-0123456789", 2026, 123, EXPIRES, ANA), NOW)
    assert not replies.address(NUMBER, ANA, EXPIRES).startswith(old[:2])  # none made any more


@pytest.mark.parametrize(
    ("keys", "domain"),
    [
        ([], DOMAIN),
        (["short"], DOMAIN),
        ([NEW_KEY], ""),
        ([NEW_KEY], "not a domain"),
        ([NEW_KEY], "user@" + DOMAIN),
        ([NEW_KEY], "x" * 200 + ".go.id"),
    ],
)
def test_bad_configuration_is_refused(keys, domain):
    with pytest.raises(ValueError):
        ReplyAddresses(keys, domain)


@pytest.mark.parametrize(
    ("number", "recipient", "expires"),
    [
        ("TIK-2026-123", ANA, EXPIRES),
        ("TIK-26-000123", ANA, EXPIRES),
        ("TIK-2026-0000123", ANA, EXPIRES),  # not how TIKet writes numbers
        ("tik-2026-000123", ANA, EXPIRES),
        (NUMBER, "  ", EXPIRES),
        (NUMBER, ANA, datetime(2026, 12, 30, 8, 0)),  # no time zone
        (NUMBER, ANA, datetime(2200, 1, 1, tzinfo=UTC)),  # past what the format holds
    ],
)
def test_bad_inputs_make_no_address(replies, number, recipient, expires):
    with pytest.raises(ValueError):
        replies.address(number, recipient, expires)
