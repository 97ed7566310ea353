"""The conversation in the browser (PRODUCT.md §10) against the real local stack: the thread
on a phone, a double click, the staff's reply page and ticket page, the lost-link form, and
issue 11's walk-through from filing to the survey with a question, answers on the page and
by email, a reopening and a second resolution. Screenshots go to var/screens/."""

from __future__ import annotations

import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_requester_and_links import fill_request
from tests.browser.test_staff import address, sign_in
from tests.support import VALID_TICKET

JSON = {"Accept": "application/json"}
TIK1 = "tik1@example.go.id"
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def mails(stack, number: str, to: str, kind_words: str = "") -> list[dict]:
    return [
        m
        for m in stack.mails()
        if m["ticket"] == number and address(m) == to and kind_words in (m["subject"] or "")
    ]


def link_for(stack, mail: dict, action: str) -> str:
    """The mail's link for ``action`` (a GET of a link changes nothing)."""
    for url in mail["links"]:
        if "/actions/" in url:
            _, shown = stack.request("GET", url.replace(stack.url, ""), headers=JSON)
            if isinstance(shown, dict) and shown.get("action") == action:
                return url
    raise AssertionError(f"no {action} link in {mail['subject']}")


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_the_thread_on_a_phone_and_a_double_click_makes_one_message(stack, page):
    _, filed = stack.request("POST", "/api/tickets", {**VALID_TICKET, "subject": "Monitor kedip"})
    number, token = filed["number"], filed["track_token"]
    (new,) = mails(stack, number, TIK1, "Permohonan baru")
    reply = link_for(stack, new, "reply")
    status, _ = stack.request(
        "POST", reply.replace(stack.url, ""), {"text": "<b>Apa</b> merek monitornya?"}, JSON
    )
    assert status == 200

    page.goto(f"{stack.url}/track.html#{token}")
    staff = page.locator("#thread li.msg-staff")
    expect(staff).to_have_count(1)
    expect(staff.locator(".msg-head")).to_contain_text("Andi Pratama (Pengelola TIK)")
    expect(staff.locator(".msg-text")).to_have_text("<b>Apa</b> merek monitornya?")
    assert staff.locator("b").count() == 0  # markup shown as text, never as markup

    page.fill("#message-text", "Merek Dell, di meja 12.")
    page.dblclick("#message-submit")
    expect(page.locator("#message-status")).to_have_text("Pesan terkirim.")
    expect(page.locator("#thread li.msg-requester")).to_have_count(1)
    expect(page.locator("#message-text")).to_have_value("")
    view = stack.get(f"/api/track/{token}")
    assert [m["from"] for m in view["messages"]] == ["staff", "requester"]
    no_sideways_scroll(page)
    shot(page, "track-thread-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "track-thread-1280")

    # An empty message is refused on the page, and nothing is sent.
    page.click("#message-submit")
    expect(page.locator("#message-error")).to_have_text("Wajib diisi.")
    assert len(stack.get(f"/api/track/{token}")["messages"]) == 2


def test_the_lost_link_form_answers_the_same_for_everyone(stack, page):
    page.goto(f"{stack.url}/track.html")
    expect(page.locator("#lookup-form")).to_be_visible()
    page.fill("#lookup-number", "TIK-2026-999999")
    page.fill("#lookup-email", "siapa@example.go.id")
    page.click("#lookup-submit")
    expect(page.locator("#lookup-status")).to_contain_text(
        "Jika nomor tiket dan alamat email cocok"
    )
    no_sideways_scroll(page)
    shot(page, "track-lookup-390")


def test_staff_read_and_write_the_thread_on_the_ticket_page(stack, page):
    _, filed = stack.request("POST", "/api/tickets", {**VALID_TICKET, "subject": "Wifi putus"})
    number = filed["number"]
    stack.request("POST", f"/api/track/{filed['track_token']}/messages", {"text": "Di lantai 3."})
    sign_in(stack, page, "supervisor@example.go.id")
    page.goto(f"{stack.url}/staff/ticket.html#{number}")
    expect(page.locator("#thread li.msg-requester .msg-text")).to_have_text("Di lantai 3.")
    page.fill("#message-text", "Tim kami segera ke lantai 3.")
    page.click("#message-submit")
    expect(page.locator("#thread li.msg-staff .msg-text")).to_have_text(
        "Tim kami segera ke lantai 3."
    )
    expect(page.locator("#thread li.msg-staff .msg-head")).to_contain_text("Ketua Tim / Kepala")
    assert mails(stack, number, VALID_TICKET["email"], "Pesan dari Dr. Rina Wulandari")
    no_sideways_scroll(page)
    shot(page, "staff-ticket-thread-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "staff-ticket-thread-1280")


def reply_by_email(stack, number: str, text: str) -> None:
    """The requester answers the staff's email from their mail client (Gmail, Indonesian):
    the raw reply is dropped into the local inbox, which the stack takes within seconds."""
    outbox = stack.var_dir / "outbox"
    newest = max(
        (p for p in outbox.glob(f"*{number}-staff_message-*.eml")), key=lambda p: p.stat().st_mtime
    )
    original = BytesParser(policy=policy.default).parsebytes(newest.read_bytes())
    quoted = "\r\n".join(
        f"> {line}" for line in original.get_body(("plain",)).get_content().splitlines()
    )
    raw = (
        f"From: {VALID_TICKET['name']} <{VALID_TICKET['email']}>\r\n"
        f"To: TIKet <{original['Reply-To']}>\r\n"
        f"Subject: Re: {original['Subject']}\r\n"
        f"Message-ID: <balasan-{number}@mail.example.go.id>\r\n"
        f"In-Reply-To: {original['Message-ID']}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{text}\r\n\r\nPada Sen, 30 Nov 2026 pukul 09.00 TIKet <tiket@example.go.id>\r\n"
        f"menulis:\r\n\r\n{quoted}\r\n"
    ).encode()
    inbox = stack.var_dir / "inbox"
    (inbox / f"{number}.eml").write_bytes(raw)
    deadline = time.monotonic() + 30
    while not (inbox / "done" / f"{number}.eml").exists():
        assert not (inbox / "dropped" / f"{number}.eml").exists(), "the reply was dropped"
        assert time.monotonic() < deadline, "the local inbox did not take the reply"
        time.sleep(0.3)


def test_the_walk_through_of_issue_11(stack, page):
    # 1. A new user files a request.
    page.goto(stack.url + "/request.html")
    fill_request(page, subject="Printer lantai 2 macet")
    page.click("#submit")
    page.wait_for_selector("#success", state="visible")
    number = page.text_content("#ticket-number").strip()
    track = page.get_attribute("#track-link", "href")
    token = track.split("#", 1)[1]
    (confirmation,) = mails(stack, number, VALID_TICKET["email"], "Permohonan Anda diterima")
    assert track in confirmation["links"]

    # 2. The ICT manager takes it and asks a question from the email link.
    (new,) = mails(stack, number, TIK1, f"Permohonan baru dari {VALID_TICKET['name']}")
    page.goto(link_for(stack, new, "acknowledge"))
    page.click("form.action-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("Diterima")
    page.goto(link_for(stack, new, "reply"))
    page.fill("textarea[name=text]", "Apa pesan error di layar printer?")
    page.click("form.action-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("Pesan terkirim ke Pemohon")
    expect(page.locator("ol.thread li")).to_have_count(1)
    shot(page, "reply-page-390")
    asked = mails(stack, number, VALID_TICKET["email"], "Pesan dari Andi Pratama")
    assert asked and "Apa pesan error di layar printer?" in asked[0]["text"]

    # 3. The requester answers on the tracking page...
    page.goto(track)
    expect(page.locator("#thread li.msg-staff")).to_have_count(1)
    page.fill("#message-text", "Tertulis paper jam di baki 2.")
    page.click("#message-submit")
    expect(page.locator("#thread li.msg-requester")).to_have_count(1)
    # ...and by replying to the email.
    reply_by_email(stack, number, "Sudah saya buka bakinya, kertasnya tidak ada yang nyangkut.")
    page.click("#refresh")
    expect(page.locator("#thread li.msg-requester")).to_have_count(2)
    expect(page.locator("#thread li.msg-requester").nth(1)).to_contain_text("lewat email")
    assert "menulis" not in page.text_content("#thread")  # the quote was stripped
    to_manager = mails(stack, number, TIK1, "Pesan dari Ana Lestari")
    assert len(to_manager) == 2

    # 4. The manager diagnoses (the requester is told the expected time) and resolves.
    page.goto(link_for(stack, to_manager[0], "diagnose"))
    expect(page.locator("ol.thread li")).to_have_count(3)  # the thread on the action page
    page.fill("textarea[name=diagnosis]", "Sensor kertas kotor")
    page.check("input[name=decision][value=handle]")
    page.fill("input[name=estimate_minutes]", "60")
    page.click("form.action-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("Dalam Penanganan")
    (estimate,) = mails(stack, number, VALID_TICKET["email"], "Sedang ditangani")
    assert "perkiraan selesai" in estimate["text"] and "pukul" in estimate["text"]
    page.fill("textarea[name=resolution]", "Sensor dibersihkan")
    page.click("form.action-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("Selesai")

    # 5. The tracking page opens on the survey and the reopen choice: the requester reopens.
    page.goto(track)
    expect(page.locator("#survey")).to_be_visible()
    expect(page.locator("#reopen")).to_be_visible()
    shot(page, "track-resolved-390")
    page.click("#reopen-details summary")
    page.fill("#reopen-reason", "Masih macet setelah 3 lembar.")
    page.click("#reopen-submit")
    expect(page.locator("#t-status")).to_have_text("Dalam Penanganan")
    expect(page.locator("#reopen")).to_be_hidden()
    expect(page.locator("#t-handling_due_at")).to_be_visible()

    # 6. Resolved again from the manager's "reopened" email, then surveyed.
    (reopened,) = mails(stack, number, TIK1, "Dibuka kembali oleh Pemohon")
    assert "Masih macet setelah 3 lembar." in reopened["text"]
    page.goto(link_for(stack, reopened, "resolve"))
    page.fill("textarea[name=resolution]", "Roller diganti")
    page.click("form.action-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("Selesai")
    page.goto(track)
    page.wait_for_selector("#survey-form", state="visible")
    for i in range(1, 10):
        page.check(f"#u{i}-4")
    page.click("#survey-submit")
    page.wait_for_selector("#survey-done", state="visible")
    expect(page.locator("#t-status")).to_have_text("Ditutup")
    expect(page.locator("#message-form")).to_be_hidden()

    # Every step is in the requester's view and in both sides' emails.
    view = stack.get(f"/api/track/{token}")
    actions = [entry["action"] for entry in view["history"]]
    for expected in ("create", "acknowledge", "message", "diagnose", "resolve", "reopen", "survey"):
        assert expected in actions, (expected, actions)
    assert actions.count("message") == 3 and actions.count("resolve") == 2
    requester_subjects = [m["subject"] for m in mails(stack, number, VALID_TICKET["email"])]
    assert sum("Selesai" in s for s in requester_subjects) == 2
    assert sum("Sedang ditangani" in s for s in requester_subjects) == 2  # and after reopening
