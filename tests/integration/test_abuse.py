"""Abuse (issue 7): rate limits that hold across Lambda instances and cannot be dodged by
spoofing X-Forwarded-For, the security headers of every answer, CORS by exact origin, the
staff session, and the honeypot as the site fills it.

Covered elsewhere, not repeated here: CORS for unknown, ``null`` and look-alike origins on
the ticket and options routes, the honeypot storing nothing (test_intake_api.py); the
headers of one action page (test_action_links.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import (
    ALLOWED_ORIGIN,
    SIGNIN_LINK,
    VALID_TICKET,
    file_ticket,
    latest,
    make_services,
    sign_in,
    table_items,
    token_for,
)
from tiket import config
from tiket.config import RateLimit
from tiket.domain.model import Staff
from tiket.local import local_settings
from tiket.web.app import create_app
from tiket.web.security import client_address

JSON = {"Accept": "application/json"}
TIK = "tik1@example.go.id"
SITE = Path(__file__).resolve().parents[2] / "site"
LIMITS = {"tickets": RateLimit(3, 60), "login": RateLimit(3, 60), "resend": RateLimit(2, 60)}


def limited(clock, transport, **changes):
    """Services with low limits on, and their app (one Lambda instance)."""
    services = make_services(clock=clock, transport=transport, rate_limits=LIMITS, **changes)
    return services, create_app(services=services).test_client()


def from_address(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def assert_limited(response, seconds: int = 60) -> None:
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(seconds)
    body = response.get_json()
    assert body["error"] == "rate_limited"
    assert f"{seconds} detik" in body["message"]


# --- rate limits ------------------------------------------------------------------------


def test_filing_past_the_limit_is_429_and_stores_nothing(aws, clock, transport):
    services, client = limited(clock, transport)
    assert file_ticket(client).status_code == 201
    # A body that parses counts before it is validated: probing the rules costs the same.
    assert file_ticket(client, email="bukan-email").status_code == 400
    clock.advance(seconds=20)
    assert file_ticket(client).status_code == 201
    sent = len(transport.sent)
    assert_limited(file_ticket(client), seconds=40)
    assert len(services.tickets.open_tickets()) == 2 and len(transport.sent) == sent
    # Another address has its own allowance; the window ends and the limit lifts.
    assert (
        client.post("/api/tickets", json=VALID_TICKET, **from_address("192.0.2.9")).status_code
        == 201
    )
    clock.advance(seconds=40)
    assert file_ticket(client).status_code == 201


def test_sign_in_requests_past_the_limit_are_429_and_send_nothing(aws, clock, transport):
    services, client = limited(clock, transport)
    for _ in range(3):
        assert client.post("/api/auth/login", json={"email": TIK}).status_code == 202
    assert_limited(client.post("/api/auth/login", json={"email": TIK}))
    # Unknown addresses count the same: the limit tells nothing about who is staff.
    assert_limited(client.post("/api/auth/login", json={"email": "x@example.com"}))
    services.mailer.send_due()  # sign-in mail leaves through the outbox
    assert len(transport.sent) == 3


def test_resend_past_the_limit_is_429_before_any_email(aws, clock, transport):
    services, client = limited(clock, transport)
    file_ticket(client)
    ack = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    clock.advance(hours=73)  # the link has expired: resending is what its page offers
    for _ in range(2):
        assert client.post(f"/actions/{ack}/resend", headers=JSON).status_code == 202
    before, sent = table_items(services), len(transport.sent)
    assert_limited(client.post(f"/actions/{ack}/resend", headers=JSON))
    # Counted per recipient (their inbox is what it protects): another address is refused too.
    page = client.post(f"/actions/{ack}/resend", **from_address("192.0.2.9"))
    assert page.status_code == 429 and page.mimetype == "text/html"
    assert page.headers["Retry-After"] == "60"
    rate_items = {key for key in table_items(services) if key[0].startswith("RATE#")}
    assert set(table_items(services)) - rate_items == set(before) - rate_items
    assert len(transport.sent) == sent


def test_two_lambda_instances_share_one_limit(aws, clock, transport):
    """Two apps over two sets of services on the same table: two Lambda instances."""
    _, first = limited(clock, transport)
    _, second = limited(clock, transport)
    assert first.post("/api/tickets", json=VALID_TICKET).status_code == 201
    assert second.post("/api/tickets", json=VALID_TICKET).status_code == 201
    assert first.post("/api/tickets", json=VALID_TICKET).status_code == 201
    assert_limited(second.post("/api/tickets", json=VALID_TICKET))
    assert_limited(first.post("/api/tickets", json=VALID_TICKET))


@pytest.mark.parametrize("hops", [0, 1, 2])
def test_spoofed_forwarded_for_entries_do_not_dodge_the_limit(aws, clock, transport, hops):
    _, client = limited(clock, transport, trusted_proxy_hops=hops)
    proxies = ["203.0.113.7", "10.0.0.1"][:hops]  # what the trusted proxies append

    def post(claimed: str, proxied=proxies):
        forwarded = ", ".join([claimed, *proxied]) if hops else claimed
        return client.post(
            "/api/tickets", json=VALID_TICKET, headers={"X-Forwarded-For": forwarded}
        )

    for i in range(3):
        assert post(f"198.51.100.{i}").status_code == 201
    assert_limited(post("198.51.100.200"))
    if hops:  # another client, as the proxies saw it, has its own allowance
        assert post("198.51.100.201", ["203.0.113.8", "10.0.0.1"][:hops]).status_code == 201


def test_client_address_reads_only_what_trusted_proxies_appended(app):
    cases = [
        (0, "1.1.1.1, 2.2.2.2", "127.0.0.9"),
        (1, "1.1.1.1, 2.2.2.2", "2.2.2.2"),
        (2, "1.1.1.1, 2.2.2.2, 3.3.3.3", "2.2.2.2"),
        (1, " , 2.2.2.2 ,", "2.2.2.2"),
        (2, "2.2.2.2", "127.0.0.9"),  # fewer entries than proxies: not from them
        (1, "", "127.0.0.9"),
    ]
    for hops, forwarded, expected in cases:
        with app.test_request_context(
            headers={"X-Forwarded-For": forwarded}, environ_base={"REMOTE_ADDR": "127.0.0.9"}
        ):
            from flask import request

            assert client_address(request, hops) == expected, (hops, forwarded)


def test_the_local_stack_has_the_limits_on_and_they_are_configurable(tmp_path, monkeypatch):
    on = local_settings(tmp_path, 8000, "http://127.0.0.1:4566").rate_limits
    assert on == config.Settings().rate_limits
    assert {scope: limit.requests for scope, limit in on.items()} == {
        "tickets": 60,
        "login": 20,
        "resend": 20,
        "login_to": 5,
        "messages": 20,
        "lookup": 5,
        "lookup_ip": 30,
        "uploads": 120,
        "assets": 120,
        "me_login_to": 5,  # own-page links per requester address (PRODUCT.md §14)
    }
    monkeypatch.setenv("TIKET_RATE_LIMITS", '{"tickets": [100000, 60], "login": [0, 60]}')
    changed = local_settings(tmp_path, 8000, "http://127.0.0.1:4566").rate_limits
    assert changed["tickets"] == RateLimit(100000, 60) and changed["login"].requests == 0
    assert changed["resend"] == on["resend"]


# --- headers of every answer --------------------------------------------------------------


def assert_secure_headers(response, token_page: bool) -> None:
    headers = response.headers
    label = f"{response.request.method} {response.request.path[:40]} {response.status_code}"
    assert headers["X-Content-Type-Options"] == "nosniff", label
    assert headers["Referrer-Policy"] == "no-referrer", label
    assert headers["X-Frame-Options"] == "DENY", label
    assert headers["X-Request-Id"], label
    directives = dict(
        part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
    )
    assert directives["frame-ancestors"] == "'none'", label
    scripts = directives.get("script-src", directives["default-src"])
    assert "unsafe-inline" not in scripts and "unsafe-eval" not in scripts, label
    if response.mimetype == "text/html":
        assert "unsafe-inline" not in headers["Content-Security-Policy"], label
    if token_page:
        assert headers["Cache-Control"] == "no-store", label


def test_every_page_and_api_answer_carries_the_security_headers(
    client, services, transport, monkeypatch
):
    filed = file_ticket(client)
    track = filed.get_json()["track_token"]
    ack = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    token_pages = [
        client.get(f"/actions/{ack}"),
        client.get(f"/actions/{ack}", headers=JSON),
        client.post(f"/actions/{ack}", data={}),
        client.post(f"/actions/{ack}", data={}),  # 409 page
        client.get(f"/actions/{ack[:-4]}"),  # 403 page
        client.get(f"/api/track/{track}"),
        client.get("/api/track/unknown"),
    ]
    others = [
        filed,
        client.get("/api/health"),
        client.get("/api/options"),
        client.get("/api/openapi.json"),
        file_ticket(client, email="x"),
        client.post("/api/tickets", data="x", content_type="text/plain"),
        client.post("/api/tickets", data="x" * 70_000, content_type="application/json"),
        client.delete("/api/tickets"),
        client.get("/api/nothing-here"),
        client.get("/nothing-here"),
        client.options("/api/tickets", headers={"Origin": "null"}),
        client.get("/api/staff/queue"),
    ]
    sign_in(client, transport, "supervisor@example.go.id")
    others += [client.get("/api/staff/queue"), client.get("/api/reports/summary")]
    monkeypatch.setattr(services.actions, "inspect", _fail)
    token_pages.append(client.get(f"/actions/{ack}"))  # 500 page
    assert {r.status_code for r in token_pages + others} >= {200, 201, 400, 403, 404, 409, 500}
    for response in token_pages:
        assert_secure_headers(response, token_page=True)
    for response in others:
        assert_secure_headers(response, token_page=False)


def _fail(*args, **kwargs):
    raise RuntimeError("unexpected")


def test_production_adds_hsts_and_a_secure_session_cookie(aws, clock, transport):
    services = make_services(clock=clock, transport=transport, env="production")
    client = create_app(services=services).test_client()
    assert "max-age=" in client.get("/api/health").headers["Strict-Transport-Security"]
    cookie = _signed_in_cookie(client, transport)
    assert cookie.secure and cookie.http_only and cookie.same_site == "Lax"


def _signed_in_cookie(client, transport, email: str = "supervisor@example.go.id"):
    sign_in(client, transport, email)
    return client.get_cookie("tiket_session")


# --- CORS ---------------------------------------------------------------------------------

FOREIGN = ("https://evil.example", "null", "https://PORTAL.example.go.id", ALLOWED_ORIGIN + "/")


def test_cors_refuses_foreign_origins_on_every_api_route(client):
    for origin in FOREIGN:
        for path in ("/api/auth/login", "/api/auth/signin", "/api/staff/queue", "/api/track/x"):
            refused = client.options(
                path, headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
            )
            assert refused.status_code == 403, (origin, path)
            assert refused.get_json()["error"] == "forbidden"
            assert refused.headers["X-Request-Id"]  # logged like any other answer
            assert "Access-Control-Allow-Origin" not in refused.headers


def test_cors_never_shares_credentials_or_the_action_pages(client, services, transport):
    file_ticket(client)
    ack = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    allowed = {"Origin": ALLOWED_ORIGIN}
    api = client.get("/api/options", headers=allowed)
    assert api.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "Origin" in api.headers.get_all("Vary")
    assert "Access-Control-Allow-Credentials" not in api.headers
    for page in (client.get(f"/actions/{ack}", headers=allowed), client.get("/", headers=allowed)):
        assert "Access-Control-Allow-Origin" not in page.headers


# --- the staff session ----------------------------------------------------------------------


def test_staff_routes_take_json_only(client, transport):
    """With SameSite=Lax the cookie does not go with a cross-site POST; and a cross-site
    form (no preflight) cannot send JSON, which every state-changing staff route demands."""
    cookie = _signed_in_cookie(client, transport)
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure  # test: http
    for path in ("/api/auth/login", "/api/auth/signin", "/api/auth/logout"):
        for content_type in ("application/x-www-form-urlencoded", "text/plain"):
            response = client.post(path, data="email=x", content_type=content_type)
            assert response.status_code == 415, (path, content_type)
    assert client.get("/api/auth/me").status_code == 200  # still signed in
    assert client.post("/api/auth/logout", json={}).status_code == 204
    assert client.get("/api/auth/me").status_code == 401


def test_signing_in_starts_a_new_session(client, services, transport):
    before = _signed_in_cookie(client, transport, TIK).value
    after = _signed_in_cookie(client, transport, "supervisor@example.go.id").value
    assert before != after
    assert client.get("/api/auth/me").get_json()["email"] == "supervisor@example.go.id"
    # A session of a member since removed opens nothing.
    services.staff.put(Staff("supervisor@example.go.id", "Dr. Rina", "supervisor", False))
    assert client.get("/api/auth/me").status_code == 401


# --- the honeypot ---------------------------------------------------------------------------


def test_the_honeypot_is_the_field_the_site_fills(client, services):
    """The request form's hidden field and the key its script sends are the server's
    honeypot; a bot that fills it gets an answer shaped like a real one."""
    form = (SITE / "request.html").read_text()
    script = (SITE / "js" / "request.js").read_text()
    assert re.search(r'<input id="website" name="website"[^>]*tabindex="-1"', form)
    assert "body.website = $('website').value" in script
    real = file_ticket(client).get_json()
    decoy = file_ticket(client, website="http://spam.example").get_json()
    assert set(decoy) == set(real)
    assert re.fullmatch(r"TIK-2026-\d{6}", decoy["number"])
    assert len(decoy["track_token"]) == len(real["track_token"])
    assert [t.number for t in services.tickets.open_tickets()] == [real["number"]]


# --- sign-in links, signing keys, local-only routes ------------------------------------------


def test_sign_in_links_work_once_and_for_fifteen_minutes(client, services, transport, clock):
    def link() -> str:
        assert client.post("/api/auth/login", json={"email": TIK}).status_code == 202
        services.mailer.send_due()  # sign-in mail leaves through the outbox
        (token,) = SIGNIN_LINK.findall(latest(transport, TIK, "login").text)
        return token

    token = link()
    assert client.post("/api/auth/signin", json={"token": token}).status_code == 200
    assert client.post("/api/auth/signin", json={"token": token}).status_code == 409
    late = link()
    clock.advance(minutes=15, seconds=1)
    assert client.post("/api/auth/signin", json={"token": late}).status_code == 410
    file_ticket(client)
    action = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    for forged in (late[:-2] + "xx", action):  # altered, or made for another purpose
        assert client.post("/api/auth/signin", json={"token": forged}).status_code == 403


def test_a_rotated_signing_key_keeps_old_links_until_it_is_dropped(aws, clock, transport):
    old, new = "old-signing-key-0123456789", "new-signing-key-0123456789"
    before = make_services(clock=clock, transport=transport, signing_keys=(old,))
    file_ticket(create_app(services=before).test_client())
    ack = token_for(before, latest(transport, TIK, "new_ticket"), "acknowledge")
    dropped = make_services(clock=clock, transport=transport, signing_keys=(new,))
    assert create_app(services=dropped).test_client().get(f"/actions/{ack}").status_code == 403
    rotated = make_services(clock=clock, transport=transport, signing_keys=(new, old))
    assert create_app(services=rotated).test_client().get(f"/actions/{ack}").status_code == 200


def test_local_only_routes_can_never_be_on_in_production(aws, clock, transport):
    with pytest.raises(ValueError, match="never"):
        config.from_env({"TIKET_ENV": "production", "TIKET_DEV_ROUTES": "1"})
    # Even settings built by hand that ask for them: the app does not register them.
    services = make_services(clock=clock, transport=transport, env="production", dev_routes=True)
    client = create_app(services=services).test_client()
    assert client.post("/_dev/sweep").status_code == 404
    assert client.get("/_dev/mail").status_code == 404
