"""Devices (BMN) as a new user meets them, in a real browser against the local stack: the admin
imports the sample export and downloads a room's label sheet (rendered and its QR codes read
back), a phone opens a label's address, files requests about the printer, and the fourth is
flagged *berulang* for staff; an unknown tag and the search by location still give a working
form. Screenshots at 390 px and 1280 px go to ``var/screens/`` for a person to judge."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from playwright.sync_api import expect

from tests.browser.test_staff import address, no_csp_violations, sign_in
from tests.fixtures.bmn.files import SAMPLE_CSV
from tests.support import VALID_TICKET

__all__ = ["no_csp_violations"]  # the fixture, used here too

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"
PRINTER = "3100203003.3"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
IMPORT = 60_000  # ms


def shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="id-ID", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture
def imported(stack, browser):
    """The sample export in the register (the first test imports it through the page; a test
    run on its own does the same)."""
    if stack.get("/api/assets/locations")["locations"]:
        return
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    admin = context.new_page()
    sign_in(stack, admin, "admin@example.go.id")
    admin.goto(f"{stack.url}/staff/assets.html")
    admin.set_input_files("#a-file", str(SAMPLE_CSV))
    admin.click("#a-import")
    expect(admin.locator("#a-report-message")).to_contain_text("Impor selesai", timeout=IMPORT)
    context.close()


def fill_request(page, subject: str) -> str:
    """Fill what the label did not, send, and return the ticket number."""
    for field in ("name", "email", "unit", "description"):
        page.fill(f"#{field}", VALID_TICKET[field])
    page.select_option("#category", "hardware")
    page.fill("#subject", subject)
    page.click("#submit")
    expect(page.locator("#success")).to_be_visible()
    return page.inner_text("#ticket-number").strip()


def test_import_print_scan_file_and_the_fourth_is_flagged(stack, desktop, page, browser):
    # --- the admin imports the unit's export, checking it first --------------------------
    sign_in(stack, desktop, "admin@example.go.id")
    expect(desktop.locator("#nav-assets")).to_be_visible()
    desktop.click("#nav-assets")
    expect(desktop.locator("#import-section")).to_be_visible()
    desktop.set_input_files("#a-file", str(SAMPLE_CSV))
    desktop.click("#a-check")
    # The whole file is read and checked before the answer: allow for a slow machine.
    expect(desktop.locator("#a-report-message")).to_contain_text("Pemeriksaan saja", timeout=IMPORT)
    expect(desktop.locator("#a-report-summary")).to_contain_text("18 perangkat diterima")
    desktop.click("#a-import")
    expect(desktop.locator("#a-report-message")).to_contain_text("Impor selesai", timeout=IMPORT)
    expect(desktop.locator("#a-columns")).to_contain_text("Nama Ruangan")
    row = desktop.locator("#l-body tr", has_text="Ruang Rapat 2").first
    expect(row).to_contain_text("3")
    shot(desktop, "assets-admin-1280")
    desktop.set_viewport_size(PHONE)
    shot(desktop, "assets-admin-390")
    desktop.set_viewport_size(DESKTOP)

    # --- the label sheet of Ruang Rapat 2: a PDF whose QR codes open the form ----------------
    with desktop.expect_download() as download:
        row.locator("a").click()
    pdf = Path(download.value.path()).read_bytes()
    image = pdfium.PdfDocument(pdf)[0].render(scale=3).to_pil()
    SCREENS.mkdir(parents=True, exist_ok=True)
    image.save(SCREENS / "labels-ruang-rapat-2.png")
    urls = {code.text for code in zxingcpp.read_barcodes(image.convert("L"))}
    label = f"{stack.url}/request.html?asset={PRINTER}"
    assert label in urls and len(urls) == 3

    # --- a phone opens the printer's label and files four requests -------------------------
    numbers = []
    for n in range(4):
        page.goto(label)
        box = page.locator("#device-box")
        expect(box).to_contain_text(
            "Perangkat: Printer (Peralatan Personal Komputer) HP LaserJet Pro MFP M428fdw, "
            "Ruang Rapat 2"
        )
        expect(page.locator("#location")).to_have_value("Ruang Rapat 2")
        expect(page.locator("#asset_tag")).to_have_value(PRINTER)
        if n == 0:
            shot(page, "request-from-label-390")
        numbers.append(fill_request(page, f"Printer macet ({n + 1})"))

    # The staff emails: the third and the fourth say the printer fails repeatedly.
    flagged = {
        mail["ticket"]: "Perangkat berulang" in mail["text"]
        for mail in stack.mails()
        if mail["ticket"] in numbers
        and mail["subject"].startswith(f"[{mail['ticket']}]")
        and address(mail) == "tik1@example.go.id"
        and "Ada permohonan layanan" in mail["text"]
    }
    assert [flagged[number] for number in numbers] == [False, False, True, True]

    # --- staff see it in the queue and on the ticket page --------------------------------------
    staff = browser.new_context(viewport=DESKTOP, locale="id-ID").new_page()
    sign_in(stack, staff, "tik1@example.go.id")
    fourth = staff.locator(f'li.q-item[data-number="{numbers[3]}"]')
    expect(fourth.locator(".badge-repeat")).to_have_text("Berulang")
    expect(staff.locator(f'li.q-item[data-number="{numbers[0]}"] .badge-repeat')).to_have_count(0)
    fourth.scroll_into_view_if_needed()
    shot(staff, "queue-1280")
    staff.goto(f"{stack.url}/staff/ticket.html#{numbers[3]}")
    device = staff.locator("#t-device")
    expect(device).to_be_visible()
    expect(device.locator("#d-flag")).to_contain_text("Berulang")
    expect(device.locator("#d-info")).to_contain_text("HP LaserJet Pro MFP M428fdw")
    for earlier in numbers[:3]:
        expect(device.locator("#d-tickets")).to_contain_text(earlier)
    shot(staff, "ticket-device-1280")
    staff.set_viewport_size(PHONE)
    shot(staff, "ticket-device-390")

    # --- the reports page ranks the printer first in its room ------------------------------
    supervisor = browser.new_context(viewport=DESKTOP, locale="id-ID").new_page()
    sign_in(stack, supervisor, "supervisor@example.go.id")
    supervisor.goto(f"{stack.url}/staff/reports.html")
    section = supervisor.locator("#devices-report")
    first_room = section.locator("caption").first
    expect(first_room).to_contain_text("Ruang Rapat 2: 4 permohonan")
    expect(section.locator("tbody tr").first).to_contain_text(PRINTER)
    section.scroll_into_view_if_needed()
    shot(supervisor, "reports-devices-1280")
    supervisor.set_viewport_size(PHONE)
    shot(supervisor, "reports-devices-390")


def test_an_unknown_tag_keeps_the_form_working(stack, page, imported):
    page.goto(f"{stack.url}/request.html?asset=3100102001.777")
    box = page.locator("#device-box")
    expect(box).to_contain_text("Perangkat 3100102001.777 tidak dikenal")
    expect(page.locator("#asset_tag")).to_have_value("3100102001.777")
    shot(page, "request-unknown-390")
    page.fill("#location", "Ruang Arsip")
    number = fill_request(page, "Scanner tidak terdeteksi")
    assert number.startswith("TIK-")


def test_a_device_is_found_by_its_location(stack, page, imported):
    page.goto(f"{stack.url}/request.html")
    search = page.locator("#device-search")
    expect(search).to_be_hidden()  # the device code loads when the form reaches the device
    page.focus("#location")
    expect(search).to_be_visible()
    search.locator("summary").click()
    page.select_option("#ds-location", "ruang-keuangan")
    page.fill("#ds-q", "epson")
    result = page.locator("#ds-results li")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("Epson L3210")
    expect(page.locator("#ds-results")).not_to_contain_text("Dewi")  # never the holder
    shot(page, "request-search-390")
    result.locator("button").click()
    expect(page.locator("#asset_tag")).to_have_value("3100203003.2")
    expect(page.locator("#location")).to_have_value("Ruang Keuangan")
    expect(page.locator("#device-box")).to_contain_text("Epson L3210, Ruang Keuangan")
    page.set_viewport_size(DESKTOP)
    shot(page, "request-search-1280")
