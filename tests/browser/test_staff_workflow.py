"""The staff workflow in a real browser against the real local stack (PRODUCT.md §12), as a
new user would try it on a phone: tik1 takes a ticket by email and is absent; the supervisor
reassigns it to tik2 from the staff page; tik2 diagnoses with the "1 hari" preset and refers;
rt returns it with a reason; tik2 handles and resolves; a second ticket left untouched climbs
the escalation ladder over simulated days. Then the same-origin guard against a page on
another origin (same site: the session cookie goes along, the Origin check refuses)."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.test_staff import address, new_signin_link, sign_in, signin_links
from tests.support import VALID_TICKET
from tiket.domain.calendar import WorkingCalendar

PHONE = {"width": 390, "height": 844}
TIK1, TIK2, RT1 = "tik1@example.go.id", "tik2@example.go.id", "rt1@example.go.id"
SUPERVISOR, ADMIN = "supervisor@example.go.id", "admin@example.go.id"


def file(stack, subject: str, **extra) -> str:
    status, body = stack.request(
        "POST", "/api/tickets", {**VALID_TICKET, "subject": subject, **extra}
    )
    assert status == 201, body
    return body["number"]


def action_link(stack, number: str, email: str, action: str) -> str:
    for mail in reversed(stack.mails()):
        if mail["ticket"] == number and address(mail) == email:
            for link in mail["links"]:
                if "/actions/" in link:
                    status, view = stack.request(
                        "GET", link.replace(stack.url, ""), headers={"Accept": "application/json"}
                    )
                    if status == 200 and view["action"] == action:
                        return link
    raise AssertionError(f"no {action} link for {email} on {number}")


def detail(stack, page, number: str) -> dict:
    response = page.request.get(f"{stack.url}/api/staff/tickets/{number}")
    assert response.status == 200
    return response.json()


def fits_the_phone(page) -> None:
    """No sideways scrolling of the page itself on a 390-px phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def person(browser):
    """Another person's phone: a fresh browser context each."""
    contexts = []

    def open_phone():
        context = browser.new_context(viewport=PHONE, locale="id-ID")
        contexts.append(context)
        other = context.new_page()
        errors: list[str] = []
        other.on("pageerror", lambda error: errors.append(str(error)))
        other.errors = errors
        return other

    yield open_phone
    for context in contexts:
        context.close()


def open_ticket(stack, page, number: str, status: str) -> None:
    url = f"{stack.url}/staff/ticket.html#{number}"
    if page.url == url:
        page.reload()  # the same address again would only move to its fragment
    else:
        page.goto(url)
    expect(page.locator("#t-status")).to_have_text(status)


def test_done_when_walkthrough(stack, page, person):
    long_subject = "Komputer_tidak_menyala_" + "x" * 97  # 120 characters, one word
    number = file(stack, long_subject, phone="0812 3456 7890")

    late_link = action_link(stack, number, TIK2, "acknowledge")
    # tik1 takes it from the email link, on the phone, then is absent.
    tik1 = person()
    tik1.goto(action_link(stack, number, TIK1, "acknowledge"))
    fits_the_phone(tik1)
    expect(tik1.locator("a[data-contact='whatsapp']")).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/6281234567890\?text=")
    )
    tik1.click("form.action-form button[type=submit]")
    expect(tik1.locator(".alert-success")).to_contain_text("Diterima")

    # tik2's own link came too late: the page says who took it and leads to the staff page.
    tik2 = person()
    tik2.goto(late_link)
    expect(tik2.locator(".alert-error")).to_contain_text("sudah diterima oleh Andi Pratama")
    expect(tik2.locator(".lead-last")).to_contain_text("oleh Andi Pratama (Pengelola TIK) pada")
    fits_the_phone(tik2)
    tik2.click("a[data-staff-page]")
    tik2.wait_for_url("**/staff/index.html")  # not signed in yet: sign in, then back
    before = set(signin_links(stack, TIK2))
    tik2.fill("#login-email", TIK2)
    tik2.click("#login-submit")
    expect(tik2.locator("#login-sent")).to_be_visible()
    tik2.goto(new_signin_link(stack, TIK2, before))  # sent by the outbox timer
    tik2.click("#signin-button")
    tik2.wait_for_url(f"**/staff/ticket.html#{number}")
    expect(tik2.locator("#t-status")).to_have_text("Diterima")
    # tik1 holds it: nothing for tik2 but cancelling, which stays folded away.
    expect(tik2.locator("#t-actions summary")).to_have_text(["Batalkan"])
    expect(tik2.locator("#t-actions form[data-action='cancel']")).to_be_hidden()

    # The supervisor reassigns it to tik2 from the staff page.
    sign_in(stack, page, SUPERVISOR)
    open_ticket(stack, page, number, "Diterima")
    actions = page.locator("#t-actions")
    expect(actions.locator("h3")).to_have_text("Alihkan ke petugas lain")
    page.select_option("#act-reassign-email", TIK2)
    actions.locator("form[data-action='reassign'] button[type=submit]").click()
    expect(page.locator("#t-acted")).to_contain_text("Berhasil")
    expect(page.locator("#t-handling dd[data-field='holder']")).to_contain_text("Siti Rahmawati")
    expect(page.locator("#t-history li[data-action='reassign'] .note")).to_have_text(
        "Dialihkan dari Andi Pratama kepada Siti Rahmawati."
    )
    # The page is the ticket as it is now: it could go back to tik1, the one not holding it.
    expect(page.locator("#act-reassign-email option")).to_have_text(
        ["— Pilih petugas —", "Andi Pratama (Pengelola TIK)"]
    )
    fits_the_phone(page)

    # tik2 diagnoses from the staff page: picks "1 hari" (510 working minutes), then refers.
    open_ticket(stack, tik2, number, "Diterima")
    form = tik2.locator("form[data-action='diagnose']")
    form.locator("textarea[name=diagnosis]").fill("Catu daya rusak, perlu teknisi gedung")
    form.locator("label.choice", has_text="1 hari").click()
    expect(form.locator("input[name=estimate_minutes]")).to_have_value("510")
    form.locator("input[name=decision][value=refer]").check()
    form.locator("button[type=submit]").click()
    expect(tik2.locator("#t-status")).to_have_text("Diteruskan ke Rumah Tangga")
    fits_the_phone(tik2)

    # rt returns it with a reason.
    rt = person()
    sign_in(stack, rt, RT1)
    open_ticket(stack, rt, number, "Diteruskan ke Rumah Tangga")
    rt.locator("#t-actions summary", has_text="Kembalikan ke Pengelola TIK").click()
    back = rt.locator("form[data-action='return']")
    back.locator("button[type=submit]").click()  # no reason yet: said beside the field
    expect(back.locator("[data-error-for='reason']")).not_to_be_empty()
    back.locator("textarea[name=reason]").fill("Bukan kerusakan gedung: kabel daya PC putus")
    back.locator("button[type=submit]").click()
    expect(rt.locator("#t-status")).to_have_text("Diterima")
    fits_the_phone(rt)

    # tik2 handles it (1 hari) and resolves it.
    tik2.click("#refresh")
    form = tik2.locator("form[data-action='diagnose']")
    form.locator("textarea[name=diagnosis]").fill("Kabel daya diganti sendiri")
    form.locator("input[name=decision][value=handle]").check()
    form.locator("label.choice", has_text="1 hari").click()
    form.locator("button[type=submit]").click()
    expect(tik2.locator("#t-status")).to_have_text("Dalam Penanganan")
    expect(tik2.locator("#t-handling dd[data-field='estimate']")).to_have_text("8 jam 30 menit")
    resolve = tik2.locator("form[data-action='resolve']")
    resolve.locator("textarea[name=resolution]").fill("Kabel daya baru terpasang, PC menyala")
    resolve.locator("button[type=submit]").click()
    expect(tik2.locator("#t-status")).to_have_text("Selesai")

    history = [entry["action"] for entry in detail(stack, page, number)["history"]]
    assert history[-5:] == ["reassign", "diagnose", "return", "diagnose", "resolve"]
    kinds = {
        (m["ticket"], address(m), m["subject"].split("]")[1].split(":")[0].strip())
        for m in stack.mails()
        if m["ticket"] == number
    }
    assert (number, TIK2, "Dialihkan kepada Anda") in kinds
    assert (number, TIK1, "Dialihkan") in kinds
    assert (number, TIK2, "Dikembalikan oleh Rumah Tangga") in kinds
    for other in (tik1, tik2, rt):
        assert other.errors == []


def test_an_untouched_ticket_climbs_the_ladder_over_simulated_days(stack, page):
    number = file(stack, "Proyektor ruang rapat mati")
    sign_in(stack, page, SUPERVISOR)
    steps = {s["step"]: s for s in detail(stack, page, number)["steps"]}
    due = datetime.fromisoformat(steps["acknowledge"]["due_at"])
    calendar = WorkingCalendar()
    minute = timedelta(minutes=1)
    levels = []
    for instant in (
        due + minute,  # the breach
        calendar.add_working_minutes(due, 5) + minute,  # one more standard: level 2
        calendar.add_working_minutes(due, 10) + minute,  # and another: level 3, admins too
        due + timedelta(days=3),  # days later: the top was reached, nothing more
    ):
        status, _ = stack.request("POST", f"/_dev/sweep?at={quote(instant.isoformat())}")
        assert status == 200
        step = next(s for s in detail(stack, page, number)["steps"] if s["step"] == "acknowledge")
        levels.append(step["escalation_level"])
    assert levels == [1, 2, 3, 3]
    escalations = [
        address(m)
        for m in stack.mails()
        if m["ticket"] == number and "Masih melewati" in m["subject"]
    ]
    assert sorted(escalations).count(ADMIN) == 1 and escalations.count(SUPERVISOR) == 2

    page.goto(f"{stack.url}/staff/index.html")
    item = page.locator(f"#queue-list li[data-number='{number}']")
    expect(item.locator(".badge-level")).to_have_text("Eskalasi tingkat 3")
    fits_the_phone(page)

    # Closed tickets too: search by words, then open it by number.
    page.fill("#s-q", "proyektor ruang rapat")
    page.click("#s-submit")
    expect(page.locator(f"#s-results li[data-number='{number}']")).to_be_visible()
    fits_the_phone(page)


def test_long_words_wrap_in_emails_on_a_phone(stack, page):
    number = file(stack, "Tautan_" + "y" * 113, description="https://" + "z" * 300)
    mail = next(m for m in stack.mails() if m["ticket"] == number)
    page.goto(f"{stack.url}/_dev/mail/{mail['name']}")
    fits_the_phone(page)


class _Attacker(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def attacker(tmp_path):
    """A page on another origin of the same site (another port of 127.0.0.1): the browser
    sends the SameSite=Lax session cookie with its requests, so only the Origin check stands."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Attacker, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def refused_in_log(stack, number: str) -> int:
    route = "/api/staff/tickets/<number>/actions/<action>"
    lines = [
        json.loads(line) for line in stack.log.read_text().splitlines() if line.startswith("{")
    ]
    return sum(
        1
        for line in lines
        if line.get("route") == route and line.get("ticket") is None and line.get("status") == 403
    )


def test_cross_site_form_post_and_fetch_change_nothing(stack, page, attacker):
    directory, origin = attacker
    number = file(stack, "Wifi lantai 3 putus")
    sign_in(stack, page, TIK1)
    version = detail(stack, page, number)["version"]
    target = f"{stack.url}/api/staff/tickets/{number}/actions/cancel"
    (directory / "attack.html").write_text(
        f'<!doctype html><form method="post" action="{target}">'
        f'<input name="reason" value="dibatalkan penyerang"><input name="version" value="{version}">'
        '<button id="go">Klik</button></form>'
    )
    before = refused_in_log(stack, number)

    page.goto(f"{origin}/attack.html")
    page.click("#go")  # a cross-site form post, with the session cookie
    page.wait_for_load_state()
    assert "halaman TIKet sendiri" in page.content()

    page.goto(f"{origin}/attack.html")
    # A "simple" cross-site fetch (no preflight), credentials included: the server refuses it.
    page.evaluate(
        """([url, version]) => fetch(url, {method: 'POST', mode: 'no-cors', credentials: 'include',
            headers: {'Content-Type': 'text/plain'},
            body: JSON.stringify({reason: 'x', version})}).catch(() => null)""",
        [target, version],
    )
    # A JSON fetch needs a preflight, which a foreign origin does not pass: never sent.
    outcome = page.evaluate(
        """([url, version]) => fetch(url, {method: 'POST', credentials: 'include',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({reason: 'x', version})}).then(() => 'sent', () => 'blocked')""",
        [target, version],
    )
    assert outcome == "blocked"
    page.wait_for_timeout(300)
    assert refused_in_log(stack, number) - before >= 2
    assert detail(stack, page, number)["status"] == "new"
    history = [entry["action"] for entry in detail(stack, page, number)["history"]]
    assert "cancel" not in history
