"""Files with messages in a real browser against the real local stack (S3 on the moto
server): on a phone, the requester photographs the device and sends it with a message from
the tracking page; the ICT member sees the thumbnail in the staff page's thread, opens the
full picture (no GPS) and answers with a PDF from the same picker. Screenshots of both pages
at 390 and 1280 px go to var/screens/ (for people to judge; not asserted)."""

from __future__ import annotations

import io
from pathlib import Path

import requests
from PIL import Image
from playwright.sync_api import expect

from tests.browser.test_files import camera_photo, no_csp_violations  # noqa: F401
from tests.browser.test_staff import address, shown_width, sign_in
from tests.integration.test_files_api import PDF
from tests.support import VALID_TICKET
from tests.unit.test_file_inspection import GPS_IFD

TIK = "tik1@example.go.id"
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def screenshots(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(200)
        page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})


def test_a_photo_sent_with_a_message_reaches_the_staff_thread_without_gps(stack, page):
    photo = camera_photo()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_IFD)
    _, filed = stack.request("POST", "/api/tickets", {**VALID_TICKET, "subject": "Proyektor"})
    number = filed["number"]

    # The requester, on a phone: the message form has the request form's picker.
    page.goto(filed["track_url"])
    expect(page.locator("#message-files")).to_be_visible()
    assert page.get_attribute("#message-camera", "capture") == "environment"
    page.fill("#message-text", "Ini foto proyektornya, lampu indikator merah.")
    page.set_input_files(
        "#message-camera",
        files=[{"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": photo}],
    )
    rows = page.locator("#message-uploads li")
    expect(rows).to_have_count(1)
    expect(rows.nth(0).locator(".upload-state")).to_have_text("Terunggah", timeout=30_000)
    page.click("#message-submit")
    # Sending re-encodes the photo and writes it to S3: give a loaded machine time.
    expect(page.locator("#message-status")).to_have_text("Pesan terkirim.", timeout=30_000)
    expect(rows).to_have_count(0)
    mine = page.locator("#thread li.msg-requester")
    expect(mine.locator(".msg-files img.file-thumb")).to_be_visible()
    expect(mine.locator(".msg-files .file-name")).to_have_text("IMG_0002.jpg")
    expect(page.locator("#files-card")).to_be_hidden()  # the filing had no files

    # The ICT member: the thumbnail in the staff page's thread, then the full picture.
    sign_in(stack, page, TIK)
    page.goto(f"{stack.url}/staff/ticket.html#{number}")
    thumb = page.locator("#thread .msg-files img.file-thumb")
    expect(thumb).to_be_visible()
    assert shown_width(thumb) > 0
    with page.expect_popup() as opened:
        page.click("#thread .msg-files a")
    full = opened.value
    full.wait_for_load_state()
    assert full.evaluate("document.contentType") == "image/jpeg"
    downloaded = requests.get(full.url, timeout=30).content
    kept = Image.open(io.BytesIO(downloaded))
    assert kept.size == (1500, 2000)  # upright
    assert len(kept.getexif()) == 0 and b"GPS" not in downloaded
    full.close()

    # ...and answers with a PDF from the staff page's picker.
    page.fill("#message-text", "Mohon isi berita acara terlampir.")
    page.set_input_files(
        "#message-pick",
        files=[{"name": "Berita acara.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    expect(page.locator("#message-uploads .upload-state")).to_have_text("Terunggah")
    page.click("#message-submit")
    staff_files = page.locator("#thread li.msg-staff .msg-files .file-name")
    expect(staff_files).to_have_text("Berita acara.pdf", timeout=30_000)
    screenshots(page, "staff-ticket-thread-files")

    page.goto(filed["track_url"])
    expect(page.locator("#thread li.msg-staff .msg-files .file-name")).to_have_text(
        "Berita acara.pdf"
    )
    expect(page.locator("#thread li.msg-requester .msg-files img.file-thumb")).to_be_visible()
    screenshots(page, "track-thread-files")

    # The reply link's page (no script needed): the thread with its thumbnails, and where
    # to go to send files.
    mail = next(
        m
        for m in stack.mails()
        if m["ticket"] == number and "Pesan dari" in m["subject"] and address(m) == TIK
    )
    assert "Pesan ini disertai 1 lampiran" in mail["text"]
    reply = next(link for link in mail["links"] if "/actions/" in link and _is_reply(page, link))
    page.goto(reply)
    expect(page.locator(".thread .msg-files img.file-thumb")).to_be_visible()
    expect(page.locator(f'a[href$="/staff/ticket.html#{number}"]')).to_be_visible()
    screenshots(page, "reply-page-thread-files")


def _is_reply(page, link: str) -> bool:
    page.goto(link)
    return page.locator('form textarea[name="text"]').count() == 1
