"""The requester files a request in the browser and follows it; a staff member acts from the
emailed link. Real Chromium against the real local stack."""

from __future__ import annotations

import re

from tests.support import VALID_TICKET

NUMBER = re.compile(r"TIK-\d{4}-\d{6}")


def fill_request(page, **changes):
    values = {**VALID_TICKET, **changes}
    page.wait_for_selector("#category option[value='hardware']", state="attached")
    for field in ("name", "email", "nip", "phone", "unit", "location", "asset_tag", "subject"):
        page.fill(f"#request-form #{field}", values[field])
    page.select_option("#category", values["category"])
    page.fill("#request-form #description", values["description"])


def test_file_a_request_and_open_its_tracking_page(stack, page):
    page.goto(stack.url + "/")
    page.click("#tile-request")
    page.wait_for_url("**/request.html")
    fill_request(page, subject="Layar laptop berkedip")
    page.click("#submit")
    page.wait_for_selector("#success", state="visible")
    number = page.text_content("#ticket-number").strip()
    assert NUMBER.fullmatch(number)
    href = page.get_attribute("#track-link", "href")
    assert "/track.html#" in href

    page.goto(href)
    page.wait_for_selector("#ticket", state="visible")
    assert page.text_content("#t-number").strip() == number
    assert page.text_content("#t-status").strip() == "Baru"
    assert page.text_content("#t-subject").strip() == "Layar laptop berkedip"
    assert page.locator("#t-steps-body tr[data-step='acknowledge']").count() == 1

    mails = [m for m in stack.mails() if m["ticket"] == number]
    assert sorted(m["to"].split("<")[-1].rstrip(">") for m in mails) == sorted(
        [VALID_TICKET["email"], "tik1@example.go.id", "tik2@example.go.id"]
    )


def test_server_messages_appear_beside_the_fields(stack, page):
    page.goto(stack.url + "/request.html")
    fill_request(page, email="bukan-email", nip="123")
    page.click("#submit")
    page.wait_for_selector("#email-error:not(:empty)")
    assert page.text_content("#email-error").strip() == "Alamat email tidak valid."
    assert page.text_content("#nip-error").strip() == "NIP harus 18 digit angka."
    assert page.get_attribute("#request-form #email", "aria-invalid") == "true"
    assert page.is_enabled("#submit")


def test_forged_tracking_link_says_unknown(stack, page):
    page.goto(stack.url + "/track.html#forged-token-123")
    page.wait_for_selector("#track-error", state="visible")
    assert "Tautan pelacakan tidak dikenal" in page.text_content("#track-error")


def test_request_page_stays_within_its_budget(stack, browser):
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(stack.url + "/request.html", wait_until="networkidle")
    page.wait_for_selector("#category option[value='hardware']", state="attached")
    sizes = [r.sizes() for r in responses]
    wire = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
    context.close()
    assert len(responses) <= 6, [r.url for r in responses]
    assert wire <= 40_000, wire


def test_acknowledge_from_the_outbox_then_diagnose(stack, page):
    status, body = stack.request(
        "POST", "/api/tickets", {**VALID_TICKET, "subject": "Proyektor mati"}
    )
    assert status == 201
    mail = next(
        m
        for m in stack.mails()
        if m["ticket"] == body["number"] and "tik1@example.go.id" in m["to"]
    )
    acknowledge = mail["links"][0]
    assert "/actions/" in acknowledge

    page.goto(acknowledge)
    assert "Konfirmasi: Terima dan tindak lanjuti" in page.text_content("h1")
    assert "Proyektor mati" in page.text_content("main")
    page.click("form.action-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "Diterima" in page.text_content(".alert-success")

    form = page.locator("form.action-form").first
    form.locator("textarea[name=diagnosis]").fill("Lampu proyektor putus")
    form.locator("input[name=decision][value=handle]").check()
    form.locator("input[name=estimate_minutes]").fill("45")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")
    assert "Dalam Penanganan" in page.text_content(".alert-success")

    view = stack.get(f"/api/track/{body['track_token']}")
    assert view["status"] == "in_progress" and view["diagnosis"] == "Lampu proyektor putus"

    page.goto(acknowledge)  # the used link: a clear page, nothing changes
    assert "Tindakan tidak dapat dilakukan" in page.text_content("h1")
