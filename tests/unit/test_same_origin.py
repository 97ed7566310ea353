"""The same-origin guard of state-changing staff routes (PRODUCT.md §12)."""

from __future__ import annotations

import pytest
from flask import Flask

from tiket.web.security import cross_site, origin_of

OWN = "https://tiket.example.go.id"


@pytest.mark.parametrize(
    ("headers", "foreign"),
    [
        ({"Origin": OWN}, False),
        ({"Origin": "HTTPS://TIKET.example.go.id"}, False),
        ({"Origin": "https://evil.example"}, True),
        ({"Origin": "null"}, True),
        ({"Origin": "http://tiket.example.go.id"}, True),  # another scheme is another origin
        ({"Origin": "https://tiket.example.go.id:8443"}, True),
        ({"Origin": "https://tiket.example.go.id.evil.example"}, True),
        ({"Referer": OWN + "/staff/ticket.html#TIK-2026-000001"}, False),
        ({"Referer": "https://evil.example/page?x=" + OWN}, True),
        ({"Referer": "not a url"}, True),
        # Origin wins over Referer: a same-origin Referer does not excuse a foreign Origin.
        ({"Origin": "https://evil.example", "Referer": OWN + "/staff/"}, True),
        ({}, False),  # neither header: a script, not a browser's cross-site request
    ],
)
def test_cross_site(headers, foreign):
    app = Flask(__name__)
    with app.test_request_context("/api/x", method="POST", headers=headers) as ctx:
        assert cross_site(ctx.request, origin_of(OWN + "/")) is foreign


def test_origin_of_drops_path_and_case():
    assert origin_of("https://Tiket.Example.go.id/staff/x?y=1") == OWN
