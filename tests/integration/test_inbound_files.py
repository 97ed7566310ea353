"""Files of reply emails (PRODUCT.md §10 and §11), on moto's DynamoDB and S3: pictures and
PDFs (at most 5) become the message's files through the inspection of uploads, judged by
their bytes, never by the declared type; anything else is dropped with a log line while the
message is still posted; a retried delivery is the same message and claims nothing again."""

from __future__ import annotations

import io
from email.message import EmailMessage

from PIL import Image

from tests.integration.test_files_api import PDF, fetch
from tests.integration.test_inbound_replies import file_for, passed, reply_to
from tests.support import VALID_TICKET
from tests.unit.test_file_inspection import HTML, phone_photo

REQUESTER = VALID_TICKET["email"]


def reply(to: str, files: list[tuple[str, bytes, str]], text: str = "Ini fotonya.") -> bytes:
    """A reply as mail clients send one: text, then the files with their declared types."""
    message = EmailMessage()
    message["From"] = f"Ana <{REQUESTER}>"
    message["To"] = to
    message["Subject"] = "Re: [TIK-2026-000001] Printer"
    message["Message-ID"] = "<balas-1@example.go.id>"
    message.set_content(text)
    for name, data, declared in files:
        maintype, subtype = declared.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_pictures_and_pdfs_of_a_reply_come_with_its_message(services, transport, caplog):
    number = file_for(services, REQUESTER)
    address = reply_to(services, number, REQUESTER)
    photo = phone_photo()
    files = [
        ("IMG_20261201.jpg", photo, "image/jpeg"),
        ("catatan.txt", b"bukan lampiran", "text/plain"),
        ("foto.jpg", HTML, "image/jpeg"),  # declared a picture, the bytes are HTML
        ("Surat.pdf", PDF, "application/octet-stream"),  # a PDF declared as anything
    ]
    transport.clear()
    result = services.inbound.receive(reply(address, files), passed(address), "ses:files")
    assert (result.posted, result.reason) == (True, "posted")

    (message,) = services.tickets.messages(number)
    ticket = services.tickets.get(number)
    kept = [a for a in ticket.attachments if a.message_id == message.id]
    assert [(a.name, a.content_type) for a in kept] == [
        ("IMG_20261201.jpg", "image/jpeg"),
        ("Surat.pdf", "application/pdf"),
    ]
    assert message.attachments == tuple(a.id for a in kept)
    picture = fetch(services.attachments.view(kept[0])["url"]).content
    assert b"GPS" not in picture and len(Image.open(io.BytesIO(picture)).getexif()) == 0
    assert kept[0].thumbnail_key is not None
    # The others are dropped and logged by their reason; the ICT pool is told of 2 files.
    dropped = [r for r in caplog.records if r.getMessage() == "inbound file dropped"]
    assert sorted(r.fields["reason"] for r in dropped) == ["type", "type"]
    assert all("Pesan ini disertai 2 lampiran" in m.text for m in transport.sent)


def test_at_most_five_files_and_a_retry_claims_nothing_again(services, caplog):
    number = file_for(services, REQUESTER)
    address = reply_to(services, number, REQUESTER)
    raw = reply(address, [(f"foto-{n}.jpg", phone_photo(), "image/jpeg") for n in range(7)])
    first = services.inbound.receive(raw, passed(address), "ses:seven")
    dropped = [r for r in caplog.records if r.getMessage() == "inbound file dropped"]
    assert [r.fields["reason"] for r in dropped] == ["count", "count"]
    again = services.inbound.receive(raw, passed(address), "ses:seven")
    assert (first.reason, again.reason) == ("posted", "duplicate")
    ticket = services.tickets.get(number)
    assert [a.name for a in ticket.attachments] == [f"foto-{n}.jpg" for n in range(5)]
    assert len(services.tickets.messages(number)) == 1


def test_a_reply_without_text_is_dropped_files_and_all(services):
    number = file_for(services, REQUESTER)
    address = reply_to(services, number, REQUESTER)
    raw = reply(address, [("foto.jpg", phone_photo(), "image/jpeg")], text="")
    result = services.inbound.receive(raw, passed(address), "ses:empty")
    assert (result.posted, result.reason) == (False, "empty")
    assert services.tickets.get(number).attachments == ()
