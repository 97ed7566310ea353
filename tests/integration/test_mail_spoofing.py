"""Content spoofing in emails (issue 16, item 10): whatever people type — the request, a
message, a reason, a resolution, a diagnosis — comes after every TIKet button and link,
fenced and headed by who wrote it; bidi and other format characters never reach a body;
typed links are never clickable in HTML. Every kind of email of a ticket's life is checked,
with text written to pass for TIKet's own."""

from __future__ import annotations

import re
import unicodedata
from email import policy
from email.parser import BytesParser

import pytest

from tests.support import PUBLIC_URL, VALID_TICKET, file_ticket, follow, latest, token_for
from tests.support import track_token as tracking_token_of
from tiket.adapters.mail.message import to_bytes
from tiket.messages import t

JSON = {"Accept": "application/json"}
TIK, TIK2, RT = "tik1@example.go.id", "tik2@example.go.id", "rt1@example.go.id"
REQUESTER = VALID_TICKET["email"]
FENCE = t("mail.fence.note")

# Multi-line text shaped like a TIKet email: a fake button label with a link under it, a
# fake call to action, a fake header, and bidi tricks (a right-to-left override making the
# stored "fdp.exe" read as "exe.pdf", isolates, marks).
LINES = (
    "Terima:",
    "https://evil.example/actions/palsu",
    "Klik di sini untuk menyetujui: www.evil.example/ok",
    "From: Kepala TIK <kepala@evil.example>",
    "lampiran \u202efdp.exe\u202c \u2066x\u2069 \u200f\u061c\u200e",
)
HOSTILE = "\n".join(LINES)
ONE_LINE = "Klik di sini untuk menyetujui: https://evil.example/ok \u202etxt.exe"
# The requester's name shows in TIKet's own sentences ("… (Pemohon) menyatakan …"), so it
# carries no fake link text here; its bidi override and URL are checked all the same.
NAME = "Budi \u202eSantoso name-url.example"
CF_SEEN = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\ufeff]")
MARKERS = ("evil.example", "Klik di sini", "Kepala TIK")


def _file(client, **changes):
    body = {
        "name": NAME,
        "subject": ONE_LINE,
        "unit": ONE_LINE[:100],
        "location": ONE_LINE[:100],
        "description": HOSTILE,
        **changes,
    }
    response = file_ticket(client, **body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


@pytest.fixture
def mails(client, services, transport):
    """Every kind of email of a ticket's life, the typed text hostile throughout."""
    _file(client)
    track = tracking_token_of(latest(transport, REQUESTER, "confirmation"))
    follow(services, transport, TIK, "new_ticket", "acknowledge")
    message = client.post(f"/api/track/{track}/messages", json={"text": HOSTILE})
    assert message.status_code == 201
    reply = token_for(services, latest(transport, TIK, "requester_message"), "reply")
    answer = client.post(f"/actions/{reply}", json={"text": HOSTILE}, headers=JSON)
    assert answer.status_code == 200
    diagnosis = {"diagnosis": HOSTILE, "decision": "handle", "estimate_minutes": 60}
    follow(services, transport, TIK, "next_steps", "diagnose", **diagnosis)
    follow(services, transport, TIK, "next_steps", "hold", reason=HOSTILE)
    follow(services, transport, TIK, "next_steps", "resume")
    follow(services, transport, TIK, "next_steps", "resolve", resolution=HOSTILE)
    reopened = client.post(f"/api/track/{track}/reopen", json={"reason": HOSTILE})
    assert reopened.status_code == 200

    _file(client)
    follow(services, transport, TIK2, "new_ticket", "cancel", reason=HOSTILE)
    _file(client)
    follow(services, transport, TIK, "new_ticket", "acknowledge")
    refer = {"diagnosis": HOSTILE, "decision": "refer"}
    follow(services, transport, TIK, "next_steps", "diagnose", **refer)
    return list(transport.sent)


EXPECTED_KINDS = {
    "confirmation",
    "new_ticket",
    "acknowledged",
    "next_steps",
    "requester_message",
    "staff_message",
    "on_hold",
    "resolved",
    "reopened",
    "cancelled",
    "referral",
    "referred",
}


def test_every_kind_was_rendered_with_hostile_text(mails):
    assert {mail.kind for mail in mails} >= EXPECTED_KINDS


def test_no_format_character_reaches_a_body(mails):
    for mail in mails:
        for body in (mail.text, mail.html):
            assert not CF_SEEN.search(body), (mail.kind, mail.to)
            assert not [ch for ch in body if unicodedata.category(ch) == "Cf" and ch != "\u200d"]
        sent = BytesParser(policy=policy.default).parsebytes(to_bytes(mail, "TIKet <t@x.id>"))
        assert not CF_SEEN.search(str(sent["Subject"]))  # headers: header_safe


def test_text_part_buttons_first_then_typed_text_fenced_and_quoted(mails):
    for mail in mails:
        text = mail.text
        fence = text.find(FENCE)
        links = [m.start() for m in re.finditer(re.escape(PUBLIC_URL), text)]
        assert links and fence > 0, (mail.kind, mail.to)
        assert max(links) < fence, f"a TIKet link after typed text in {mail.kind}"
        for marker in MARKERS:
            assert marker not in text[:fence], (mail.kind, marker)
        after = text[fence:].splitlines()
        # Every line of the multi-line text is a quoted line under a label.
        for line in after:
            if any(line.lstrip("> ").startswith(typed[:12]) for typed in LINES[:4]):
                assert line.startswith("> "), (mail.kind, line)
        # A quote's label names who wrote it, right above it.
        for i, line in enumerate(after):
            if line.startswith("> ") and not after[i - 1].startswith(">"):
                label = after[i - 1]
                assert "ditulis oleh" in label or label.startswith("Pesan dari"), label


def test_html_part_buttons_first_then_typed_text_fenced_and_never_a_link(mails):
    for mail in mails:
        html = mail.html
        fence = html.find('data-typed="fence"')
        anchors = [m.start() for m in re.finditer(r"<a\b", html)]
        assert anchors and fence > 0, (mail.kind, mail.to)
        assert max(anchors) < fence, f"a link after typed text in {mail.kind}"
        hrefs = re.findall(r'href="([^"]*)"', html)
        assert all(href.startswith(PUBLIC_URL + "/") for href in hrefs), hrefs
        # No URL-looking text a mail client could make clickable on its own.
        for bare in ("evil.example", "name-url.example", "https://evil", "www.evil"):
            assert bare not in html, (mail.kind, bare)
        for marker in ("evil[.]example", "Klik di sini", "Kepala TIK"):
            assert marker not in html[:fence], (mail.kind, marker)
        quotes = html.count('data-typed="quote"')
        assert quotes == html[fence:].count("<blockquote"), mail.kind


def test_each_typed_text_is_in_its_email_under_its_label(mails):
    def quoted_in(kind: str, to: str, label: str) -> None:
        mail = next(m for m in reversed(mails) if m.kind == kind and m.to == to)
        text = mail.text
        assert label in text, (kind, label)
        block = text[text.index(label) :]
        assert "> https://evil.example/actions/palsu" in block, kind
        assert "> lampiran fdp.exe x" in block, kind  # no override: it reads as it is stored

    quoted_in("new_ticket", TIK, "Uraian kendala \u2014 ditulis oleh Pemohon")
    quoted_in("requester_message", TIK, "Pesan dari Budi Santoso")
    quoted_in("staff_message", REQUESTER, "Pesan dari")
    quoted_in("on_hold", REQUESTER, "Alasan \u2014 ditulis oleh petugas")
    quoted_in("resolved", REQUESTER, "Penyelesaian \u2014 ditulis oleh petugas")
    quoted_in("reopened", TIK, "Alasan \u2014 ditulis oleh Pemohon")
    quoted_in("cancelled", REQUESTER, "Alasan \u2014 ditulis oleh petugas")
    quoted_in("referral", RT, "Diagnosa \u2014 ditulis oleh petugas")
