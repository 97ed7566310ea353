"""The reports page after issue 14, in a real browser against the real local stack: overdue
work shown as late, the activity of the period, and an export job started from the page,
followed to its download link, on a phone and on a desktop (screenshots in var/)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_staff import sign_in, tickets  # noqa: F401 - a fixture

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.parametrize("width", [390, 1280])
def test_export_from_the_reports_page(stack, browser, tickets, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(stack, page, "supervisor@example.go.id")
    page.click("#nav-reports")
    page.wait_for_url("**/staff/reports.html")
    expect(page.locator("#report")).to_be_visible()

    # The ticket nobody acknowledged is overdue: it counts against the percentage.
    expect(page.locator("#compliance-note")).to_contain_text("melewati batas waktu")
    late = page.locator("#compliance-body tr[data-step='acknowledge'] td").nth(3)
    assert int(late.inner_text()) >= 1
    expect(page.locator("#activity-body tr[data-action='create']")).to_contain_text(
        "Permohonan diajukan"
    )
    expect(page.locator("#activity-rates li[data-rate='cancel']")).to_contain_text("dari")

    page.check("#export-form input[value='csv']")
    page.click("#export-start")
    expect(page.locator("#export-job")).to_be_visible()
    link = page.locator("#export-link")
    expect(link).to_be_visible(timeout=30_000)
    expect(link).to_have_text(
        re.compile(r"^Unduh tiket-tickets-\d{4}-\d{2}-01_\d{4}-\d{2}-\d{2}\.csv$")
    )
    expect(page.locator("#export-state")).to_have_text(re.compile(r"^Berkas siap: \d+ baris\.$"))
    assert page.locator("#export-bar").evaluate("bar => bar.value") == 100
    expect(page.locator("#export-start")).to_be_enabled()

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#export-title").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"reports-export-{width}.png"))
    page.screenshot(path=str(SHOTS / f"reports-full-{width}.png"), full_page=True)

    download = page.request.get(link.get_attribute("href"))
    assert download.status == 200
    body = download.body()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Nomor tiket", "Diajukan (WIB)"]
    assert tickets["late"] in {row[0] for row in rows[1:]}
    context.close()
    assert errors == []
