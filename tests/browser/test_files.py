"""Photos in a real browser (phone viewport) against the real local stack, whose S3 is the
moto server: a requester photographs the broken device, sees it upload, removes a wrong
pick, sends, and sees it on the tracking page; the ICT manager sees the thumbnail on the
action page and the staff page and opens the full picture, which carries no GPS."""

from __future__ import annotations

import io
import re

import pytest
import requests
from PIL import Image
from playwright.sync_api import expect

from tests.browser.test_requester_and_links import fill_request
from tests.browser.test_staff import address, shown_width, sign_in
from tests.unit.test_file_inspection import GPS_IFD, phone_exif

TIK = "tik1@example.go.id"


def camera_photo() -> bytes:
    """What a phone's camera gives: a big JPEG, taken sideways, with GPS in its EXIF."""
    picture = Image.new("RGB", (2000, 1500), (200, 30, 30))
    picture.paste((30, 30, 200), (1000, 0, 2000, 1500))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=phone_exif(orientation=6))
    return out.getvalue()


@pytest.fixture(autouse=True)
def no_csp_violations(page):
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield
    assert refused == [], refused


def test_photograph_attach_send_then_the_ict_manager_opens_it_without_gps(stack, page):
    photo = camera_photo()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_IFD)
    page.goto(stack.url + "/request.html")
    fill_request(page, subject="Proyektor ruang rapat mati")
    expect(page.locator("#files")).to_be_visible()
    assert page.get_attribute("#file-camera", "capture") == "environment"
    assert page.get_attribute("#file-camera", "accept") == "image/*"

    # "Ambil foto": the camera's picture, then a wrong pick from the gallery, removed again.
    page.set_input_files(
        "#file-camera", files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    page.set_input_files(
        "#file-pick",
        files=[{"name": "catatan.txt", "mimeType": "text/plain", "buffer": b"bukan foto"}],
    )
    rows = page.locator("#upload-list li")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator(".upload-state")).to_have_text("Terunggah")
    expect(rows.nth(0).locator("progress")).to_have_attribute("value", "100")
    expect(rows.nth(0).locator("img.file-thumb")).to_have_attribute("src", re.compile("^blob:"))
    expect(rows.nth(1).locator(".upload-error")).to_contain_text("Jenis berkas tidak didukung")
    page.click("#submit")  # refused while a failed file is listed
    expect(page.locator("#form-alert")).to_contain_text("Tunggu hingga semua berkas")
    rows.nth(1).locator("button").click()
    expect(rows).to_have_count(1)
    expect(page.locator("#upload-status")).to_have_text("catatan.txt dihapus.")

    page.click("#submit")
    # Filing re-encodes the photo and writes it to S3: give a loaded machine time.
    expect(page.locator("#success")).to_be_visible(timeout=30_000)
    number = page.text_content("#ticket-number").strip()
    expect(page.locator("#upload-list li")).to_have_count(0)

    # The requester's tracking page shows it too.
    page.goto(page.get_attribute("#track-link", "href"))
    expect(page.locator("#t-files img.file-thumb")).to_be_visible()
    expect(page.locator("#t-files .file-name")).to_have_text("IMG_0001.jpg")

    # The ICT manager's email says there is a file and links to the ticket; the action
    # page shows the thumbnail and opens the full picture.
    mail = next(m for m in stack.mails() if m["ticket"] == number and address(m) == TIK)
    assert "Lampiran: 1 berkas" in mail["text"]
    page.goto(mail["links"][0])
    thumb = page.locator(".files img.file-thumb")
    expect(thumb).to_be_visible()
    assert shown_width(thumb) > 0
    with page.expect_popup() as opened:
        page.click(".files a")
    full = opened.value
    full.wait_for_load_state()
    assert full.evaluate("document.contentType") == "image/jpeg"
    downloaded = requests.get(full.url, timeout=30).content
    kept = Image.open(io.BytesIO(downloaded))
    assert kept.size == (1500, 2000)  # upright
    assert len(kept.getexif()) == 0 and b"GPS" not in downloaded
    full.close()

    # The staff ticket page, signed in.
    sign_in(stack, page, TIK)
    page.goto(f"{stack.url}/staff/ticket.html#{number}")
    expect(page.locator("#files-card")).to_be_visible()
    staff_thumb = page.locator("#t-files img.file-thumb")
    expect(staff_thumb).to_be_visible()
    assert shown_width(staff_thumb) > 0
    expect(page.locator("#t-files .file-name")).to_have_text("IMG_0001.jpg")
