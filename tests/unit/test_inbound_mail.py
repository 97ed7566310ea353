"""Inbound mail: the new text of real replies from common clients, machine mail, SES verdicts,
and bad input (oversize, malformed, odd charsets, over-long text)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiket.adapters.mail.inbound import (
    InboundError,
    InboundMalformed,
    InboundTooLarge,
    auto_reply,
    parse_inbound,
    verdicts_ok,
)
from tiket.adapters.mail.reply_address import ReplyAddresses
from tiket.adapters.mail.reply_text import new_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "inbound"
# The fixtures' reply addresses were made with this key and domain (see the README there).
REPLY_KEY = "tiket-test-reply-key-0001-abcdef"
REPLY_DOMAIN = "balas.tiket.example.go.id"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

NEW_TEXT = {
    "gmail_id.eml": (
        'Pesan error-nya "Windows tidak dapat terhubung ke printer" – kode 0x0000011b.\n'
        "Laptop sudah saya bawa ke ruang 2, lantai 3."
    ),
    "gmail_en.eml": (
        'Hi, the error says "The trust relationship between this workstation and\n'
        'the primary domain failed". I restarted twice.'
    ),
    "outlook_id_html.eml": (
        "Baik, Pak. Besok pagi pukul 08.00 laptopnya saya antar ke ruang TIK.\n\n"
        "Mohon dicek juga baterainya, sering mati mendadak (± 20% langsung padam)."
    ),
    "outlook_en_html.eml": (
        "Hello,\n\nI tried what you suggested:\n\n"
        "* Restarted the print spooler\n* Reinstalled the driver\n\n"
        'The printer still shows "offline".'
    ),
    "thunderbird.eml": (
        "Sudah saya nyalakan ulang dua kali, tetapi layar tetap biru dengan tulisan "
        "CRITICAL_PROCESS_DIED. Komputer ada di meja saya, ruang 4.01."
    ),
    "apple_mail.eml": (
        "Yes, it’s the Dell monitor on desk 12. The screen flickers every few seconds."
    ),
    "iphone_id.eml": "Oke Pak, saya ke ruang TIK jam 10.00 bawa laptopnya.",
    "samsung_id.eml": ("Siap pak, sudah bisa login lagi setelah password direset. Terima kasih."),
    "forwarded.eml": (
        "Pak, ini email dari TIKet yang saya terima kemarin, mohon dicek\napakah sudah ditangani."
    ),
    "attachments.eml": "Terlampir tangkapan layar dan log printernya.",
}
MACHINE = {"auto_reply_en.eml", "ooo_id.eml"}


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_every_fixture_is_covered():
    assert {p.name for p in FIXTURES.glob("*.eml")} == set(NEW_TEXT) | MACHINE


@pytest.mark.parametrize("name", sorted(NEW_TEXT))
def test_each_client_reply_yields_exactly_the_new_text(name):
    mail = parse_inbound(read(name))
    assert mail.text == NEW_TEXT[name]
    assert not mail.truncated
    assert not auto_reply(mail)


@pytest.mark.parametrize("name", sorted(NEW_TEXT) + sorted(MACHINE))
def test_fixture_reply_address_names_the_ticket_and_binds_the_sender(name):
    mail = parse_inbound(read(name))
    replies = ReplyAddresses([REPLY_KEY], REPLY_DOMAIN)
    claim = replies.verify(mail.recipients[0], NOW)
    assert claim.number == "TIK-2026-000123"
    assert claim.matches(mail.sender)


def test_headers_are_read_into_plain_values():
    mail = parse_inbound(read("gmail_id.eml"))
    assert mail.sender == "ana.putri.kemen@example.com"
    assert mail.sender_name == "Ana Putri"
    assert mail.return_path == "ana.putri.kemen@example.com"
    assert mail.sender_header is None
    assert mail.subject == "Re: [TIK-2026-000123] Pertanyaan tentang permohonan Anda"
    assert mail.message_id == "<CAJx9p=5QmGz0rXq1n+Yk2vV8o9uZ4Wc@mail.gmail.com>"
    assert mail.headers["x-ses-spam-verdict"] == ("PASS",)


def test_recipients_come_from_to_cc_delivered_to_and_x_original_to():
    raw = (
        b"From: Ana <Ana@Example.go.id>\r\n"
        b"Sender: Sekretariat <sekretariat@example.go.id>\r\n"
        b"To: TIKet <A@balas.example.go.id>, b@example.go.id\r\n"
        b"Cc: c@example.go.id, TIKet <a@balas.example.go.id>\r\n"
        b"Delivered-To: d@example.go.id\r\n"
        b"X-Original-To: e@example.go.id\r\n"
        b"Bcc: never@example.go.id\r\n"
        b"Subject: Re: x\r\n\r\nHalo\r\n"
    )
    mail = parse_inbound(raw)
    assert mail.sender == "ana@example.go.id"
    assert mail.sender_header == "sekretariat@example.go.id"
    assert mail.return_path is None
    assert mail.recipients == (
        "a@balas.example.go.id",
        "b@example.go.id",
        "c@example.go.id",
        "d@example.go.id",
        "e@example.go.id",
    )


def test_attachments_are_ignored():
    mail = parse_inbound(read("attachments.eml"))
    assert "SECRET-SHOULD-NOT-APPEAR" not in mail.text
    assert "spooler" not in mail.text


@pytest.mark.parametrize("name", sorted(MACHINE))
def test_out_of_office_replies_are_machine_mail(name):
    assert auto_reply(parse_inbound(read(name)))


def _mail(headers: str, body: str = "Halo") -> bytes:
    return (
        f"From: Ana <ana@example.go.id>\r\nTo: t@balas.example.go.id\r\n{headers}\r\n{body}\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("headers", "machine"),
    [
        ("Subject: Re: printer\r\n", False),
        ("Auto-Submitted: no\r\nSubject: Re: x\r\n", False),
        ("Auto-Submitted: auto-replied\r\n", True),
        ("Auto-Submitted: auto-generated; owner-email=it@example.go.id\r\n", True),
        ("X-Autoreply: yes\r\n", True),
        ("X-Autorespond: Out of office\r\n", True),
        ("Precedence: bulk\r\n", True),
        ("Precedence: junk\r\n", True),
        ("Precedence: auto_reply\r\n", True),
        ("X-Auto-Response-Suppress: All\r\n", True),
        ("X-Auto-Response-Suppress: OOF, AutoReply\r\n", True),
        ("X-Auto-Response-Suppress: DR, RN, NRN\r\n", False),
        ("Return-Path: <>\r\n", True),
        ("Return-Path: <ana@example.go.id>\r\n", False),
        ("Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n", True),
        ("Subject: Out of Office: [TIK-2026-000123] x\r\n", True),
        ("Subject: Automatic reply: [TIK-2026-000123] x\r\n", True),
        ("Subject: Balasan Otomatis: [TIK-2026-000123] x\r\n", True),
        ("Subject: Sedang cuti\r\n", True),
        ("Subject: Di luar kantor sampai 4 Desember\r\n", True),
        ("Subject: Re: [TIK-2026-000123] Out of office tidak jalan\r\n", False),
        ("Subject: Re: di luar kantor wifi mati\r\n", False),
    ],
)
def test_machine_mail_signals(headers, machine):
    assert auto_reply(parse_inbound(_mail(headers))) is machine


def _receipt(spam="PASS", virus="PASS", spf="PASS", dkim="PASS", dmarc="PASS"):
    """The receipt object of an SES receiving event (Records[0].ses.receipt)."""
    receipt = {
        "timestamp": "2026-11-30T01:14:22.512Z",
        "processingTimeMillis": 604,
        "recipients": ["aed6uaaaab5wwncx@balas.tiket.example.go.id"],
        "action": {
            "type": "Lambda",
            "functionArn": "arn:aws:lambda:ap-southeast-3:123456789012:function:tiket-prod",
            "invocationType": "Event",
        },
    }
    for name, status in (
        ("spamVerdict", spam),
        ("virusVerdict", virus),
        ("spfVerdict", spf),
        ("dkimVerdict", dkim),
        ("dmarcVerdict", dmarc),
    ):
        if status is not None:
            receipt[name] = {"status": status}
    return receipt


CLEAN = {"x-ses-spam-verdict": ("PASS",), "x-ses-virus-verdict": ("PASS",)}


@pytest.mark.parametrize(
    ("receipt", "headers", "expected"),
    [
        (_receipt(), CLEAN, (True, "ok")),
        (_receipt(), {}, (True, "ok")),
        (_receipt(spam="FAIL"), CLEAN, (False, "spam")),
        (_receipt(virus="FAIL"), CLEAN, (False, "virus")),
        (_receipt(spam="FAIL", virus="FAIL"), CLEAN, (False, "virus")),
        (_receipt(), {"x-ses-spam-verdict": ("FAIL",)}, (False, "spam")),
        (_receipt(), {"x-ses-virus-verdict": ("fail",)}, (False, "virus")),
        (_receipt(), {"x-ses-spam-verdict": ("PASS", "FAIL")}, (False, "spam")),
        (_receipt(spam="GRAY", virus="GRAY"), CLEAN, (True, "ok")),
        (_receipt(spf="FAIL"), CLEAN, (True, "ok")),
        (_receipt(dkim="FAIL"), CLEAN, (True, "ok")),
        (_receipt(spf="GRAY", dkim="PASS"), CLEAN, (True, "ok")),
        (_receipt(spf="FAIL", dkim="FAIL"), CLEAN, (False, "unauthenticated")),
        (_receipt(spf="GRAY", dkim="PROCESSING_FAILED"), CLEAN, (False, "unauthenticated")),
        (_receipt(spf=None, dkim=None), CLEAN, (False, "unauthenticated")),
        (_receipt(dmarc="FAIL"), CLEAN, (False, "dmarc")),
        (_receipt(spf="FAIL", dmarc="FAIL"), CLEAN, (False, "dmarc")),
        (_receipt(dmarc="GRAY"), CLEAN, (True, "ok")),
        (_receipt(dmarc=None), CLEAN, (True, "ok")),
        (_receipt(dmarc="PROCESSING_FAILED"), CLEAN, (True, "ok")),
        (None, CLEAN, (True, "unchecked-local")),
        (None, {}, (True, "unchecked-local")),
        (None, {"x-ses-spam-verdict": ("FAIL",)}, (False, "spam")),
        ({"spamVerdict": "FAIL", "spfVerdict": {}}, CLEAN, (False, "unauthenticated")),
    ],
)
def test_ses_verdicts(receipt, headers, expected):
    assert verdicts_ok(receipt, headers) == expected


def test_verdict_headers_of_a_stored_message_count():
    mail = parse_inbound(read("gmail_id.eml").replace(b"Spam-Verdict: PASS", b"Spam-Verdict: FAIL"))
    assert verdicts_ok(_receipt(), mail.headers) == (False, "spam")


def test_oversize_is_refused_before_parsing():
    # Not even a mail: the size alone decides, so the parser never sees it.
    with pytest.raises(InboundTooLarge):
        parse_inbound(b"x" * (10 * 1024 * 1024 + 1))
    raw = _mail("Subject: x\r\n")
    with pytest.raises(InboundTooLarge):
        parse_inbound(raw, max_bytes=len(raw) - 1)
    assert parse_inbound(raw, max_bytes=len(raw)).text == "Halo"


def test_a_reply_with_a_large_attachment_over_the_limit_is_refused():
    raw = read("attachments.eml")
    padded = raw.replace(
        b"\r\n--------------Xy7Zq2Lm9Pn4Rt6Vw8Ab3Cd--",
        b"A" * 76 * 140_000 + b"\r\n--------------Xy7Zq2Lm9Pn4Rt6Vw8Ab3Cd--",
    )
    assert len(padded) > 10 * 1024 * 1024
    with pytest.raises(InboundTooLarge):
        parse_inbound(padded)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"To: t@balas.example.go.id\r\nSubject: x\r\n\r\nHalo\r\n",
        b"From: Ana\r\nTo: t@balas.example.go.id\r\n\r\nHalo\r\n",
        b"From: a@example.go.id, b@example.go.id\r\n\r\nHalo\r\n",
        b"From: <>\r\n\r\nHalo\r\n",
    ],
)
def test_mail_without_one_sender_is_malformed(raw):
    with pytest.raises(InboundMalformed):
        parse_inbound(raw)


def test_unknown_charset_is_read_not_refused():
    raw = _mail(
        "Content-Type: text/plain; charset=x-unknown-8bit\r\nContent-Transfer-Encoding: 8bit\r\n",
        "Printer mati",
    )
    assert parse_inbound(raw).text == "Printer mati"


def test_new_text_is_capped():
    mail = parse_inbound(_mail("Subject: x\r\n", "kata " * 1000))
    assert mail.truncated
    assert len(mail.text) == 2000
    assert mail.text.endswith("…")
    assert parse_inbound(_mail("", "a" * 2000)).text == "a" * 2000


def test_line_breaks_and_invisible_characters_are_normalised():
    body = (
        "Baris satu\r\nBaris dua\rBaris tiga\u2028Baris\xa0empat\u200b   \r\n\r\n\r\n\r\n\x07Akhir"
    )
    raw = _mail("Content-Type: text/plain; charset=utf-8\r\n", body)
    assert parse_inbound(raw).text == "Baris satu\nBaris dua\nBaris tiga\nBaris empat\n\nAkhir"


def test_html_only_mail_becomes_plain_text_with_markup_kept_as_text():
    html = (
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
        "<p>Muncul tulisan &lt;b&gt;Access denied&lt;/b&gt; di layar.</p></body></html>"
    )
    raw = _mail("Content-Type: text/html; charset=utf-8\r\n", html)
    assert parse_inbound(raw).text == "Muncul tulisan <b>Access denied</b> di layar."


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # What the library's English rules would cut: valedictions mid-line, "Warning:".
        (
            "Halo Pak,\nThanks, sudah saya coba restart.\n",
            "Halo Pak,\nThanks, sudah saya coba restart.",
        ),
        (
            "Warning: email gagal dikirim dari Outlook.\n",
            "Warning: email gagal dikirim dari Outlook.",
        ),
        (
            "Printer normal.\nTerima kasih.\nNanti saya kabari.\n",
            "Printer normal.\nTerima kasih.\nNanti saya kabari.",
        ),
        ("- layar biru\n- kipas bunyi\n", "- layar biru\n- kipas bunyi"),
        # Signatures.
        ("Printer normal.\n\nTerima kasih,\nAna Putri\nSubbag Umum\n", "Printer normal."),
        ("Printer normal.\n\nHormat saya,\nAna\n", "Printer normal."),
        ("Sudah.\n\n-- \nAna Putri\n0812-0000-0000\n", "Sudah."),
        ("Sudah.\n\nSent from my iPhone\n", "Sudah."),
        ("Sudah.\n\nDikirim dari ponsel Samsung\n", "Sudah."),
        ("Sudah.\n\nGet Outlook for Android\n", "Sudah."),
        # Reply headers.
        ("Ya.\n\nOn Mon, Nov 30, 2026 at 8:00 AM Ana <a@b.id> wrote:\n> q\n", "Ya."),
        ("Ya.\n\nPada Sen, 30 Nov 2026 pukul 08.00, Ana <a@b.id> menulis:\n> q\n", "Ya."),
        ("Ya.\n\nOn 30/11/2026 08.00, Ana wrote:\n> q\n", "Ya."),
        ("Ya.\n\n-----Original Message-----\nFrom: a\nSent: b\n\nold\n", "Ya."),
        ("Ya.\n\n-----Pesan Asli-----\nDari: a\nDikirim: b\n\nold\n", "Ya."),
        ("Ya.\n\nDari: TIKet <t@x.id>\nDikirim: Senin\nKepada: Ana\nSubjek: x\n\nold\n", "Ya."),
        ("Ya.\n\nFrom: TIKet <t@x.id>\nSent: Monday\nTo: Ana\nSubject: x\n\nold\n", "Ya."),
        ("Lihat ini.\n\nBegin forwarded message:\n\nFrom: a\nDate: b\n\nold\n", "Lihat ini."),
        ("Lihat ini.\n\n---------- Forwarded message ---------\nFrom: a\nDate: b\n", "Lihat ini."),
        # Quoting with '>': inline and bottom answers, nothing new.
        (
            "Halo,\n> Apa errornya?\nLayar biru.\n> Di mana?\nRuang 2.\n",
            "Halo,\nLayar biru.\nRuang 2.",
        ),
        (
            "On 30/11/2026 08.00, Ana wrote:\n> q\n> > On Sun, B wrote:\n> > older\n\nJawaban\n",
            "Jawaban",
        ),
        ("On 30/11/2026 08.00, Ana wrote:\n> q\n", ""),
        ("From: TIKet <t@x.id>\nSent: Monday\nTo: Ana\nSubject: x\n\nold\n", ""),
        ("> hanya kutipan\n", ""),
        ("", ""),
        ("   \n\n", ""),
    ],
)
def test_quotes_and_signatures(body, expected):
    assert new_text(body) == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(NEW_TEXT) + sorted(MACHINE)),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.sampled_from([b"", b"=?utf-8?b?", b"?=", b'"', b"\r\n\r\n", b"--", b";", b"\xff"]),
            st.integers(0, 40),
        ),
        max_size=12,
    ),
)
def test_damaged_mail_is_read_or_refused_never_a_crash(name, edits):
    raw = bytearray(read(name))
    for where, insert, cut in edits:
        at = int(where * len(raw))
        raw[at : at + cut] = insert
    try:
        mail = parse_inbound(bytes(raw))
    except InboundError:
        return
    auto_reply(mail)
    assert len(mail.text) <= 2000
