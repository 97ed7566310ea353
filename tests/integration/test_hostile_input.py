"""Hostile input (issue 7): whatever a requester, a staff member or a stranger sends is
answered with a clear error or stored harmlessly, never a 500. Markup is stored as typed and
escaped wherever it is shown; header fields carry no line breaks; links never come from the
request; every unknown token looks the same.

Covered elsewhere, not repeated here: the basic validation rules, malformed JSON, a big
ticket body and text/plain to POST /api/tickets (test_intake_api.py); header injection
through name, subject and email in the first emails (test_intake_api.py); markup on the
confirmation page (test_action_links.py); formula-like subjects in exports
(test_reports_api.py)."""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from markupsafe import escape
from openpyxl import load_workbook

from tests.support import (
    VALID_TICKET,
    file_ticket,
    follow,
    latest,
    make_services,
    resolve,
    sign_in,
    table_items,
    token_for,
    track_token,
)
from tiket.adapters.mail.message import to_bytes
from tiket.adapters.mail.transports import OutboxTransport
from tiket.adapters.table_files import FORMULA_STARTS
from tiket.config import Settings
from tiket.web.app import create_app

JSON = {"Accept": "application/json"}
TIK, TIK2, RT = "tik1@example.go.id", "tik2@example.go.id", "rt1@example.go.id"
REQUESTER = VALID_TICKET["email"]
SITE = Path(__file__).resolve().parents[2] / "site"

MARKUP = "<script>alert(1)</script><img src=x onerror=alert(1)><details open ontoggle=alert(1)>"
SHORT_MARKUP = "<img src=x onerror=alert(1)>"  # asset tags are 64 characters at most
# What must never appear in a page or an email as markup (a page may have its own <details>).
RAW = ("<script", "<img", "<details open", "<svg")
TICKET_TEXT = ("name", "unit", "location", "subject", "description")


def marked(field: str) -> str:
    return SHORT_MARKUP if field == "asset_tag" else f"{field}: {MARKUP}"[:100]


MARKED_TICKET = {
    **VALID_TICKET,
    **{field: marked(field) for field in (*TICKET_TEXT, "asset_tag")},
}
STAFF_TEXT = {
    "diagnosis": marked("diagnosis"),
    "resolution": marked("resolution"),
    "reason": marked("reason"),
}
SUGGESTION = marked("suggestion")


def assert_escaped(html: str, *typed: str) -> None:
    assert not [raw for raw in RAW if raw in html], html
    for value in typed:
        assert str(escape(value)) in html


def in_progress(client, services, transport, **ticket) -> None:
    """A fresh ticket, acknowledged and diagnosed by tik1 (its next links in their inbox)."""
    file_ticket(client, **ticket)
    follow(services, transport, TIK, "new_ticket", "acknowledge")
    follow(
        services,
        transport,
        TIK,
        "next_steps",
        "diagnose",
        diagnosis=STAFF_TEXT["diagnosis"],
        decision="handle",
        estimate_minutes=30,
    )


@pytest.fixture
def lifecycle(client, services, transport, clock):
    """Markup in every text field a person can type, through the whole lifecycle: a ticket
    handled, held, resumed, resolved and rated; one cancelled; one referred to facilities."""
    in_progress(client, services, transport, **MARKED_TICKET)
    number = services.tickets.open_tickets()[0].number
    follow(services, transport, TIK, "next_steps", "hold", reason=STAFF_TEXT["reason"])
    follow(services, transport, TIK, "next_steps", "resume")
    resolution = STAFF_TEXT["resolution"]
    follow(services, transport, TIK, "next_steps", "resolve", resolution=resolution)
    token = track_token(latest(transport, REQUESTER, "resolved"))
    survey = {"answers": {f"u{i}": 4 for i in range(1, 10)}, "suggestion": SUGGESTION}
    assert client.post(f"/api/track/{token}/survey", json=survey).status_code == 201

    cancelled = file_ticket(client, **MARKED_TICKET).get_json()["number"]
    follow(services, transport, TIK2, "new_ticket", "cancel", reason=STAFF_TEXT["reason"])
    referred = file_ticket(client, **MARKED_TICKET).get_json()["number"]
    follow(services, transport, TIK, "new_ticket", "acknowledge")
    diagnosis = STAFF_TEXT["diagnosis"]
    follow(
        services, transport, TIK, "next_steps", "diagnose", diagnosis=diagnosis, decision="refer"
    )
    return number, cancelled, referred


def test_markup_is_stored_as_typed(services, lifecycle):
    number, cancelled, referred = lifecycle
    ticket = services.tickets.get(number)
    assert ticket.status == "closed"
    r = ticket.requester
    typed = (r.name, r.unit, r.location, ticket.subject, ticket.description, ticket.asset_tag)
    assert typed == tuple(MARKED_TICKET[f] for f in (*TICKET_TEXT, "asset_tag"))
    assert (ticket.diagnosis, ticket.resolution) == (
        STAFF_TEXT["diagnosis"],
        STAFF_TEXT["resolution"],
    )
    assert ticket.survey.suggestion == SUGGESTION
    assert services.tickets.get(cancelled).cancel_reason == STAFF_TEXT["reason"]
    assert services.tickets.get(referred).diagnosis == STAFF_TEXT["diagnosis"]


def test_markup_is_escaped_in_every_email(transport, lifecycle):
    kinds = {mail.kind for mail in transport.sent}
    assert kinds >= {"confirmation", "new_ticket", "next_steps", "resolved", "cancelled"}
    assert kinds >= {"referral", "referred", "acknowledged", "on_hold"}
    for mail in transport.sent:
        assert_escaped(mail.html, MARKED_TICKET["subject"])
        assert MARKED_TICKET["subject"] in mail.text  # the text part: as typed
    staff_mail = latest(transport, TIK, "new_ticket")
    assert_escaped(staff_mail.html, *(MARKED_TICKET[f] for f in (*TICKET_TEXT, "asset_tag")))
    assert_escaped(latest(transport, REQUESTER, "resolved").html, STAFF_TEXT["resolution"])
    assert_escaped(latest(transport, REQUESTER, "cancelled").html, STAFF_TEXT["reason"])
    assert_escaped(latest(transport, REQUESTER, "on_hold").html, STAFF_TEXT["reason"])
    assert_escaped(latest(transport, RT, "referral").html, STAFF_TEXT["diagnosis"])


@pytest.mark.usefixtures("lifecycle")
def test_markup_is_escaped_on_every_action_page(client, services, transport):
    # The confirmation page of a link, with the ticket's own words and the diagnosis.
    accept = token_for(services, latest(transport, RT, "referral"), "accept")
    page = client.get(f"/actions/{accept}").get_data(as_text=True)
    assert_escaped(page, STAFF_TEXT["diagnosis"], *(MARKED_TICKET[f] for f in TICKET_TEXT))
    # A form sent back with errors shows what was typed, escaped, in its fields.
    in_progress(client, services, transport, **MARKED_TICKET)
    hold = token_for(services, latest(transport, TIK, "next_steps"), "hold")
    again = client.post(f"/actions/{hold}", data={"reason": "x" * 501 + MARKUP})
    assert again.status_code == 400
    assert_escaped(again.get_data(as_text=True), "x" * 501 + MARKUP)
    # The result page, then the error page of the same link used again.
    done = client.post(f"/actions/{accept}", data={"estimate_minutes": "60"})
    assert done.status_code == 200
    assert_escaped(done.get_data(as_text=True), MARKED_TICKET["subject"])
    used = client.post(f"/actions/{accept}", data={"estimate_minutes": "60"})
    assert used.status_code == 409
    assert_escaped(used.get_data(as_text=True))


def test_json_views_carry_markup_as_typed_and_never_as_html(client, transport, lifecycle):
    number, _, _ = lifecycle
    token = track_token(latest(transport, REQUESTER, "resolved"))
    track = client.get(f"/api/track/{token}")
    sign_in(client, transport, "supervisor@example.go.id")
    staff = client.get(f"/api/staff/tickets/{number}")
    for response in (track, staff):
        assert response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.get_json()["subject"] == MARKED_TICKET["subject"]
    assert staff.get_json()["survey"]["suggestion"] == SUGGESTION


def test_markup_and_formulas_are_plain_text_in_exports(client, services, transport):
    formulas = {
        "name": '=HYPERLINK("http://evil.example","klik")',
        "unit": "+cmd|' /C calc'!A0",
        "location": "-2+3",
        "subject": "@SUM(A1:A9)",
        "description": "=1+1",
    }
    file_ticket(client, **MARKED_TICKET)
    file_ticket(client, **formulas)
    resolve(services, transport)
    token = track_token(latest(transport, REQUESTER, "resolved"))
    survey = {"answers": {f"u{i}": 3 for i in range(1, 10)}, "suggestion": "=cmd()"}
    assert client.post(f"/api/track/{token}/survey", json=survey).status_code == 201
    sign_in(client, transport, "supervisor@example.go.id")

    csv_file = client.get("/api/reports/tickets.csv?period=2026-11")
    text = csv_file.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    xlsx_file = client.get("/api/reports/tickets.xlsx?period=2026-11")
    sheet = load_workbook(io.BytesIO(xlsx_file.data)).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    for table in (rows, cells):
        texts = [value for row in table[1:] for value in row if isinstance(value, str)]
        assert not [text for text in texts if text.startswith(FORMULA_STARTS)]
        for value in (*formulas.values(), "=cmd()"):
            if value != formulas["description"]:  # the description is not exported
                assert "'" + value in texts
        assert MARKED_TICKET["subject"] in texts  # markup is harmless text in a cell


def test_markup_is_escaped_in_the_dev_outbox(aws, clock, tmp_path):
    outbox = tmp_path / "outbox"
    local = make_services(
        clock=clock,
        transport=OutboxTransport(outbox, "TIKet <tiket@example.go.id>"),
        dev_routes=True,
        outbox_dir=outbox,
    )
    client = create_app(services=local).test_client()
    file_ticket(client, **MARKED_TICKET)
    listing = client.get("/_dev/mail")
    assert listing.status_code == 200
    assert_escaped(listing.get_data(as_text=True), MARKED_TICKET["subject"])
    (name, *_) = sorted(path.name for path in outbox.glob("*.eml"))
    mail = client.get(f"/_dev/mail/{name}")
    assert_escaped(mail.get_data(as_text=True), MARKED_TICKET["subject"])
    assert "script-src" not in mail.headers["Content-Security-Policy"]  # default-src 'none'


def test_the_site_never_writes_html_from_data():
    """The site's scripts build the DOM with textContent only (ticket text is shown
    there too), never an HTML sink."""
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(")
    scripts = sorted(SITE.rglob("*.js"))
    assert scripts
    assert [str(p) for p in scripts if sinks.search(p.read_text())] == []


# --- header injection -------------------------------------------------------------------

SEPARATORS = ("\r\n", "\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")


@pytest.mark.parametrize("separator", SEPARATORS)
def test_no_kind_of_line_break_reaches_an_email_header(client, services, transport, separator):
    injected = f"Rusak{separator}Bcc: victim@example.com{separator}X-Evil: 1"
    response = file_ticket(client, name=f"Ana{separator}Bcc: victim@example.com", subject=injected)
    assert response.status_code == 201
    resolve(services, transport)
    ticket = services.tickets.get(response.get_json()["number"])
    assert ticket.subject == "Rusak Bcc: victim@example.com X-Evil: 1"  # folded when stored
    for mail in transport.sent:
        # As SES and the outbox get it: the bytes of the message, parsed back.
        raw = to_bytes(mail, "TIKet <tiket@example.go.id>")
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert message["Bcc"] is None and message["X-Evil"] is None
        assert set(message.keys()) <= {
            "From",
            "To",
            "Subject",
            "Date",
            "Message-ID",
            "X-TIKet-Ticket",
            "Reply-To",
            "Auto-Submitted",
            "X-Auto-Response-Suppress",
            "MIME-Version",
            "Content-Type",
        }
        assert message["To"].addresses[0].addr_spec == mail.to


# --- wrong types, NUL bytes, invalid UTF-8 ----------------------------------------------

WRONG_TYPES = ([MARKUP], {"x": MARKUP}, 12345, 1.5, True, False)


def test_wrong_json_types_in_a_ticket_are_400_per_field(client, services, transport):
    for field in (*TICKET_TEXT, "email", "nip", "phone", "category", "asset_tag"):
        for value in WRONG_TYPES:
            response = file_ticket(client, **{field: value})
            assert response.status_code == 400, (field, value)
            assert response.get_json()["fields"] == {field: "Harus berupa teks."}
        required = field not in ("nip", "phone", "asset_tag")
        assert file_ticket(client, **{field: None}).status_code == (400 if required else 201)
    assert len(services.tickets.open_tickets()) == 3  # only the three optional nulls
    assert client.post("/api/tickets", json={"answers": 1}).status_code == 400


def test_wrong_json_types_elsewhere_are_clear_errors(client, services, transport):
    number = file_ticket(client).get_json()["number"]
    resolve(services, transport)
    track = services.tickets.get(number).track_token
    for answers in ([4] * 9, "4", None, {"u1": "4"}, {"u1": True}, {"u1": 4.0}, {"u1": None}):
        survey = client.post(f"/api/track/{track}/survey", json={"answers": answers})
        assert survey.status_code == 400, answers
    for suggestion in WRONG_TYPES:
        body = {"answers": {f"u{i}": 4 for i in range(1, 10)}, "suggestion": suggestion}
        assert client.post(f"/api/track/{track}/survey", json=body).status_code == 400
    for value in (*WRONG_TYPES, None):
        # Not text at all: a clear error (the schema says a string). Any text, known or
        # not, well-formed or not, gets the same 202: no account enumeration.
        assert client.post("/api/auth/login", json={"email": value}).status_code == 400
        assert client.post("/api/auth/signin", json={"token": value}).status_code == 400
    assert client.post("/api/auth/login", json=[TIK]).status_code == 400
    for text in ("nobody@example.go.id", "not an address", TIK):
        assert client.post("/api/auth/login", json={"email": text}).status_code == 202


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("decision", ["handle"]),
        ("decision", True),
        ("estimate_minutes", True),
        ("estimate_minutes", 1.5),
        ("estimate_minutes", "²"),  # a digit to str.isdigit(), not to int()
        ("estimate_minutes", "9" * 5000),  # more digits than int() takes
        ("estimate_minutes", [30]),
        ("estimate_minutes", {"minutes": 30}),
        ("diagnosis", {"x": 1}),
        ("diagnosis", 42),
        ("diagnosis", "a\x00b"),
    ],
)
def test_wrong_action_fields_are_400(client, services, transport, field, value):
    file_ticket(client)
    follow(services, transport, TIK, "new_ticket", "acknowledge")
    diagnose = token_for(services, latest(transport, TIK, "next_steps"), "diagnose")
    form = {"diagnosis": "Kabel", "decision": "handle", "estimate_minutes": 30, field: value}
    response = client.post(f"/actions/{diagnose}", json=form, headers=JSON)
    assert response.status_code == 400
    assert field in response.get_json()["fields"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name": "Ana\x00"}',  # a raw NUL inside a JSON string
        b'{"name": "\xc3\x28"}',  # invalid UTF-8
        b'{"name": "\xed\xa0\x80"}',  # an encoded surrogate
        b'{"name": "Ana \\ud800"}',  # an escaped lone surrogate
        b"\x00",
        b"[" * 20_000 + b"]" * 20_000,  # deeper than the parser goes
    ],
)
def test_nul_bytes_and_invalid_text_in_json_bodies_are_400(client, services, transport, raw):
    file_ticket(client)
    resolve(services, transport)
    track = services.tickets.get("TIK-2026-000001").track_token
    file_ticket(client, subject="Kedua")
    ack = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    for path in (
        "/api/tickets",
        f"/api/track/{track}/survey",
        "/api/auth/login",
        "/api/auth/signin",
        f"/actions/{ack}",
    ):
        response = client.post(path, data=raw, content_type="application/json", headers=JSON)
        assert response.status_code == 400, path
        assert response.get_json()["error"] in ("bad_request", "validation")
    assert services.tickets.get("TIK-2026-000002").status == "new"


def test_nul_bytes_and_invalid_utf8_in_action_forms(client, services, transport):
    in_progress(client, services, transport)
    hold = token_for(services, latest(transport, TIK, "next_steps"), "hold")
    form = "application/x-www-form-urlencoded"
    nul = client.post(f"/actions/{hold}", data=b"reason=a%00b", content_type=form)
    assert nul.status_code == 400 and nul.mimetype == "text/html"
    # Bytes that are not UTF-8: raw, the field is dropped (a clear "required"); escaped,
    # they stay escaped (harmless text).
    raw = client.post(f"/actions/{hold}", data=b"reason=Menunggu\xff\xfe", content_type=form)
    assert raw.status_code == 400 and "Wajib diisi" in raw.get_data(as_text=True)
    escaped = client.post(f"/actions/{hold}", data=b"reason=Menunggu%ff%fe", content_type=form)
    assert escaped.status_code == 200
    assert services.tickets.get("TIK-2026-000001").hold_reason == "Menunggu%FF%FE"


# --- path segments ----------------------------------------------------------------------

SEGMENTS = (
    "A" * 10_000,
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%252f..%252fetc%252fpasswd",
    "%2e%2e",
    "..",
    "%00",
    "%ff%fe",
    "TIK-2026-000001%00",
)


def test_long_ids_and_path_traversal_in_path_segments(client, services, transport):
    file_ticket(client)
    sign_in(client, transport, "supervisor@example.go.id")
    for segment in SEGMENTS:
        for method, path in (
            ("GET", f"/api/track/{segment}"),
            ("POST", f"/api/track/{segment}/survey"),
            ("GET", f"/api/staff/tickets/{segment}"),
        ):
            response = client.open(path, method=method, json={})
            assert response.status_code in (400, 404, 405), (path, response.status_code)
            assert response.get_json()["error"]
        for method, path in (
            ("GET", f"/actions/{segment}"),
            ("POST", f"/actions/{segment}"),
            ("POST", f"/actions/{segment}/resend"),
        ):
            response = client.open(path, method=method, data={})
            assert response.status_code in (403, 404, 405), (path, response.status_code)
            assert response.mimetype in ("text/html", "application/json")
    assert "root:" not in client.get("/api/track/../../etc/passwd").get_data(as_text=True)


def test_path_traversal_on_the_local_only_routes(aws, clock, transport, tmp_path):
    (tmp_path / "outbox").mkdir()
    (tmp_path / "signing-keys").write_text("secret-signing-key")
    local = make_services(
        clock=clock,
        transport=transport,
        dev_routes=True,
        outbox_dir=tmp_path / "outbox",
        site_dir=SITE,
    )
    client = create_app(services=local).test_client()
    for path in (
        "/_dev/mail/..%2fsigning-keys",
        "/_dev/mail/../signing-keys",
        "/_dev/mail/%2e%2e%2fsigning-keys.eml",
        "/..%2f..%2fpyproject.toml",
        "/%2e%2e/%2e%2e/pyproject.toml",
        "/css/..%2f..%2fpyproject.toml",
        "/" + "a" * 10_000,
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        body = response.get_data(as_text=True)
        assert "secret-signing-key" not in body and "[project]" not in body


# --- sizes and media types --------------------------------------------------------------

BIG = 70_000  # over the 64 KiB cap


def test_oversized_bodies_are_413_on_every_post_before_any_work(aws, clock, transport):
    on = Settings().rate_limits  # limits on: a refused body must not count against them
    local = make_services(clock=clock, transport=transport, rate_limits=on)
    client = create_app(services=local).test_client()
    number = file_ticket(client).get_json()["number"]
    ack = token_for(local, latest(transport, TIK, "new_ticket"), "acknowledge")
    track = local.tickets.get(number).track_token
    before = table_items(local)
    posts = [
        "/api/tickets",
        f"/api/track/{track}/survey",
        "/api/auth/login",
        "/api/auth/signin",
        "/api/auth/logout",
        f"/actions/{ack}",
        f"/actions/{ack}/resend",
    ]
    for path in posts:
        for content_type, body in (
            ("application/json", json.dumps({"x": "y" * BIG})),
            ("application/x-www-form-urlencoded", "reason=" + "y" * BIG),
            ("text/plain", "y" * BIG),
        ):
            response = client.post(path, data=body, content_type=content_type, headers=JSON)
            assert response.status_code == 413, (path, content_type)
            assert response.get_json()["error"] == "too_large"
    page = client.post(f"/actions/{ack}", data={"reason": "y" * BIG})
    assert page.status_code == 413 and page.mimetype == "text/html"
    assert table_items(local) == before
    assert local.tickets.get(number).status == "new"


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("text/plain", json.dumps({"email": TIK})),
        ("application/x-www-form-urlencoded", f"email={TIK}"),
        (
            "multipart/form-data; boundary=x",
            f'--x\r\nContent-Disposition: form-data; name="email"\r\n\r\n{TIK}\r\n--x--\r\n',
        ),
        ("application/json-patch+json", json.dumps({"email": TIK})),
    ],
)
def test_other_media_types_to_json_endpoints_are_415(client, transport, content_type, data):
    """A cross-site form can send these without a CORS preflight: refused before any work."""
    sent = len(transport.sent)
    for path in (
        "/api/auth/login",
        "/api/auth/signin",
        "/api/track/unknown/survey",
        "/api/tickets",
    ):
        response = client.post(path, data=data, content_type=content_type)
        assert response.status_code == 415, path
        assert response.get_json()["error"] == "unsupported_media_type"
    assert len(transport.sent) == sent


# --- links and tokens -------------------------------------------------------------------

SPOOFED = {
    "Host": "evil.example",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "http",
    "Forwarded": "host=evil.example;proto=http",
    "Origin": "https://evil.example",
}


def test_a_spoofed_host_never_reaches_a_link(client, services, transport, clock):
    filed = client.post("/api/tickets", json=VALID_TICKET, headers=SPOOFED)
    assert filed.get_json()["track_url"].startswith("https://tiket.example.go.id/track.html#")
    ack = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    done = client.post(f"/actions/{ack}", json={}, headers={**SPOOFED, **JSON})
    page = client.post(
        f"/actions/{token_for(services, latest(transport, TIK, 'next_steps'), 'diagnose')}",
        data={"diagnosis": "x", "decision": "handle", "estimate_minutes": "30"},
        headers=SPOOFED,
    )
    assert client.post("/api/auth/login", json={"email": TIK}, headers=SPOOFED).status_code == 202
    services.mailer.send_due()  # sign-in mail leaves through the outbox
    clock.advance(hours=73)
    hold = token_for(services, latest(transport, TIK, "next_steps"), "hold")
    expired = client.get(f"/actions/{hold}", headers=SPOOFED)
    assert expired.status_code == 410
    assert client.post(f"/actions/{hold}/resend", headers=SPOOFED).status_code == 202
    assert {mail.kind for mail in transport.sent} >= {"login", "fresh_link", "next_steps"}
    answers = (filed, done, page, expired)
    for text in [r.get_data(as_text=True) for r in answers] + [
        part for mail in transport.sent for part in (mail.text, mail.html)
    ]:
        assert "evil.example" not in text
    assert "https://tiket.example.go.id/actions/" in page.get_data(as_text=True)


def test_guessed_tracking_tokens_all_get_the_same_404(client):
    real = file_ticket(client).get_json()["track_token"]
    guesses = [
        secrets.token_urlsafe(24),
        real[:-1] + ("A" if real[-1] != "A" else "B"),
        real.upper(),
        "A" * len(real),
        "0" * 31 + "1",
        "0" * 31 + "2",
        "TIK-2026-000001",
        "TIK-2026-000002",
        "2026000001",
        "x",
        "A" * 10_000,
        "%00",
        "%20",
    ]
    answers = {client.get(f"/api/track/{guess}").get_data() for guess in guesses}
    posted = {
        client.post(f"/api/track/{guess}/survey", json={"answers": {}}).get_data()
        for guess in guesses
    }
    assert len(answers) == 1 and answers == posted
    assert json.loads(answers.pop())["error"] == "not_found"
