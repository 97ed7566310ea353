"""Links to reach a requester: encoded so that an address cannot smuggle in a Cc, phone
numbers as dialable digits, WhatsApp only for an Indonesian mobile number."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tiket.services.contact import contact_links, mailto_link, tel_link, whatsapp_number

HOSTILE = "x?cc=attacker%40evil.com@example.go.id"


def test_a_hostile_address_stays_one_address():
    link = mailto_link(HOSTILE, "[TIK-2026-000001] Printer & scanner?")
    address, _, query = link.removeprefix("mailto:").partition("?")
    assert unquote(address) == HOSTILE
    assert "?" not in address and "=" not in address and "&" not in address
    assert parse_qs(query) == {"subject": ["[TIK-2026-000001] Printer & scanner?"]}


def test_a_plain_address_keeps_its_at_sign():
    assert mailto_link("ana.lestari@example.go.id") == "mailto:ana.lestari@example.go.id"
    assert mailto_link("  ") is None and mailto_link(None) is None


@pytest.mark.parametrize(
    ("phone", "tel", "whatsapp"),
    [
        ("+62 812 3456 7890", "tel:+6281234567890", "6281234567890"),
        ("0812-3456-7890", "tel:081234567890", "6281234567890"),
        ("62 812 3456 7890", "tel:6281234567890", "6281234567890"),
        ("812 3456 7890", "tel:81234567890", "6281234567890"),
        ("(021) 555 1234", "tel:0215551234", None),  # a landline: no WhatsApp
        ("+1 202 555 0100", "tel:+12025550100", None),
        ("ext. 12", None, None),
        ("", None, None),
    ],
)
def test_phone_numbers(phone, tel, whatsapp):
    assert tel_link(phone) == tel
    assert whatsapp_number(phone) == whatsapp


def test_the_whatsapp_link_names_the_ticket():
    links = contact_links("a@b.go.id", "0812 3456 7890", "TIK-2026-000001", "Printer #2 & co")
    url = urlsplit(links["whatsapp"])
    assert (url.scheme, url.netloc, url.path) == ("https", "wa.me", "/6281234567890")
    assert parse_qs(url.query) == {"text": ["[TIK-2026-000001] Printer #2 & co"]}
