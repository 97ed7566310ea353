"""The requester's own page and erasure, as people do it in a real browser against the real
local stack: two requests filed, "Permohonan saya" opened from the emailed link, both seen,
the data downloaded, erasure asked; the admin approves from the email; the tickets show
[dihapus]; the admin's access log lists who read what."""

from __future__ import annotations

import json
import time

from playwright.sync_api import expect

from tests.browser.test_requester_and_links import fill_request
from tests.browser.test_staff import address, sign_in

EMAIL = "rina.pemohon@example.go.id"


def link_in_mail(stack, to: str, part: str) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        links = [
            link
            for mail in stack.mails()
            if address(mail) == to
            for link in mail["links"]
            if part in link
        ]
        if links:
            return links[-1]
        time.sleep(0.2)
    raise AssertionError(f"no {part} link for {to}")


def file_request(page, stack, subject: str) -> str:
    page.goto(stack.url + "/request.html")
    expect(page.locator(".privacy-notice a[href='privasi.html']")).to_be_visible()
    fill_request(page, email=EMAIL, name="Rina Pemohon", subject=subject)
    page.click("#submit")
    page.wait_for_selector("#success", state="visible")
    return page.text_content("#ticket-number").strip()


def test_own_page_download_erasure_and_access_log(stack, browser, page, tmp_path):
    numbers = {file_request(page, stack, s) for s in ("Printer macet", "Wi-Fi putus")}

    # A staff member reads one ticket's personal data.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(stack, staff, "tik1@example.go.id")
    first = sorted(numbers)[0]
    staff.goto(f"{stack.url}/staff/ticket.html#{first}")
    expect(staff.locator("#t-requester")).to_contain_text("Rina Pemohon")

    page.goto(stack.url + "/saya.html")
    expect(page.locator("#me-login")).to_be_visible()
    page.fill("#me-email", EMAIL)
    page.click("#me-login-form button[type=submit]")
    expect(page.locator("#me-sent")).to_be_visible()
    page.goto(link_in_mail(stack, EMAIL, "/saya.html#"))
    # Opening the link uses nothing up (mail scanners open links): a person presses the button.
    expect(page.locator("#me-open")).to_be_visible()
    expect(page.locator("#me-mine")).to_be_hidden()
    page.click("#me-open-button")
    expect(page.locator("#me-mine")).to_be_visible()
    expect(page.locator("#me-list > li")).to_have_count(2)
    for number in numbers:
        expect(page.locator("#me-list")).to_contain_text(number)
    assert "#" not in page.url  # the token left the address bar

    with page.expect_download() as download:
        page.click("#me-export")
    saved = tmp_path / "data.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert {t["number"] for t in data["tickets"]} == numbers
    assert {t["requester"]["name"] for t in data["tickets"]} == {"Rina Pemohon"}

    page.fill("#me-reason", "Sudah pindah tugas")
    page.click("#me-erase-form button[type=submit]")
    expect(page.locator("#me-erase-pending")).to_be_visible()
    expect(page.locator("#me-erase-form")).to_be_hidden()
    page.reload()
    expect(page.locator("#me-erase-pending")).to_be_visible()  # still pending, not a second

    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    admin.goto(link_in_mail(stack, "admin@example.go.id", "/erasure/"))
    expect(admin.locator("main")).to_contain_text(EMAIL)
    admin.click("button:has-text('Setujui dan hapus')")
    expect(admin.locator(".alert-success")).to_contain_text("2 tiket")
    told = {m["subject"] for m in stack.mails() if address(m) == EMAIL}
    assert "Data pribadi Anda dihapus" in told

    staff.goto(f"{stack.url}/staff/ticket.html#{first}")
    staff.reload()
    expect(staff.locator("#t-requester")).to_contain_text("[dihapus]")
    expect(staff.locator("#t-requester")).not_to_contain_text("Rina")

    sign_in(stack, admin, "admin@example.go.id")
    admin.goto(f"{stack.url}/staff/privacy.html")
    expect(admin.locator("#p-none")).to_be_visible()
    admin.fill("#p-ticket", first)
    admin.click("#p-log-form button[type=submit]")
    expect(admin.locator("#p-log tr").first).to_contain_text("tik1@example.go.id")
    expect(admin.locator("#p-log")).to_contain_text("Halaman tiket petugas")
