"""Staff pages in a real browser against the real local stack: sign-in through the emailed
link, the queue, a ticket's detail, the reports page, and what an ``rt`` member may not see.

The stack is shared by all browser tests: tickets are picked out by the numbers made here."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.support import VALID_TICKET

WIB = ZoneInfo("Asia/Jakarta")
JSON = {"Accept": "application/json"}
SIGNIN_LINK = "/staff/signin.html#"
MONTHS_ID = (
    *("Januari", "Februari", "Maret", "April", "Mei", "Juni"),
    *("Juli", "Agustus", "September", "Oktober", "November", "Desember"),
)


@pytest.fixture(autouse=True)
def no_csp_violations(page):
    """The page fixture fails on JavaScript errors; CSP refusals only reach the console."""
    refused: list[str] = []
    page.on(
        "console",
        lambda m: (
            refused.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )
    yield
    assert refused == [], refused


def address(mail: dict) -> str:
    return mail["to"].split("<")[-1].rstrip(">").strip()


def signin_links(stack, email: str) -> list[str]:
    return [
        link
        for mail in stack.mails()
        if address(mail) == email
        for link in mail["links"]
        if SIGNIN_LINK in link
    ]


def new_signin_link(stack, email: str, before: set[str]) -> str:
    """The sign-in link sent after ``before`` was read: the local stack's mail timer sends
    the outbox every few seconds (sign-in mail never goes out inside the request)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        fresh = [link for link in signin_links(stack, email) if link not in before]
        if fresh:
            return fresh[0]
        time.sleep(0.2)
    raise AssertionError(f"no sign-in link for {email}")


def sign_in(stack, page, email: str) -> None:
    """Ask for a link on /staff/, open the newest one from the outbox, press Masuk."""
    before = set(signin_links(stack, email))
    page.goto(stack.url + "/staff/")
    expect(page.locator("#signin-section")).to_be_visible()
    expect(page.locator("#queue-section")).to_be_hidden()
    page.fill("#login-email", email)
    page.click("#login-submit")
    expect(page.locator("#login-sent")).to_be_visible()
    expect(page.locator("#login-sent")).to_contain_text("15 menit")
    link = new_signin_link(stack, email, before)

    page.goto(link)
    expect(page.locator("#signin-ready")).to_be_visible()
    page.click("#signin-button")  # nothing happens before this press
    page.wait_for_url("**/staff/index.html")
    expect(page.locator("#queue-section")).to_be_visible()
    expect(page.locator("#staff-nav")).to_be_visible()


def shown_width(image) -> int:
    """The natural width of an <img> once the browser has it: 0 if it failed to load. Scrolls
    to it first, as a reader would (thumbnails load lazily: one below the fold is not fetched
    yet), and waits for a picture still on its way, which `complete` alone would not."""
    image.scroll_into_view_if_needed()
    return image.evaluate(
        "img => img.complete && img.naturalWidth ? img.naturalWidth"
        " : img.decode().then(() => img.naturalWidth, () => 0)"
    )


def first_link(stack, number: str, email: str) -> str:
    mail = next(m for m in stack.mails() if m["ticket"] == number and address(m) == email)
    return mail["links"][0]


def act(stack, url: str, body: dict | None = None) -> dict:
    status, done = stack.request("POST", url.replace(stack.url, ""), body or {}, JSON)
    assert status == 200, done
    return done


@pytest.fixture(scope="module")
def tickets(stack):
    """Three tickets through the lifecycle by the emailed links, then a sweep far enough
    ahead that the one nobody took is late:

    * ``resolved``: acknowledged by tik1, handled, resolved, survey answered;
    * ``repair``: acknowledged by tik2, referred, accepted by rt1 (in repair);
    * ``late``: never acknowledged (late at the acknowledge step).
    """

    def file(subject: str, **extra) -> dict:
        status, body = stack.request(
            "POST", "/api/tickets", {**VALID_TICKET, "subject": subject, **extra}
        )
        assert status == 201, body
        return body

    resolved = file("Monitor berkedip <b>tebal</b>")
    done = act(stack, first_link(stack, resolved["number"], "tik1@example.go.id"))
    done = act(
        stack,
        done["next"]["diagnose"],
        {"diagnosis": "Kabel VGA longgar", "decision": "handle", "estimate_minutes": 20},
    )
    done = act(stack, done["next"]["resolve"], {"resolution": "Kabel diganti"})
    assert done["ticket"]["status"] == "resolved"
    answers = {f"u{i}": 4 if i % 2 else 3 for i in range(1, 10)}
    status, _ = stack.request(
        "POST",
        f"/api/track/{resolved['track_token']}/survey",
        {"answers": answers, "suggestion": "Cepat dan ramah"},
    )
    assert status == 201

    repair = file("Stop kontak ruang rapat rusak", category="other", unit="Bagian Umum")
    done = act(stack, first_link(stack, repair["number"], "tik2@example.go.id"))
    done = act(
        stack, done["next"]["diagnose"], {"diagnosis": "Perlu tukang listrik", "decision": "refer"}
    )
    done = act(
        stack, first_link(stack, repair["number"], "rt1@example.go.id"), {"estimate_minutes": 60}
    )
    assert done["ticket"]["status"] == "in_repair"

    late = file("Laptop tidak mau menyala", unit="Subbagian Keuangan")
    # Two weeks ahead: past the 5 working minutes even across a long holiday.
    at = (datetime.now(WIB) + timedelta(days=14)).isoformat(timespec="seconds")
    status, report = stack.request("POST", f"/_dev/sweep?at={quote(at)}")
    assert status == 200 and report["breaches"] >= 1, report
    return {"resolved": resolved["number"], "repair": repair["number"], "late": late["number"]}


def test_supervisor_signs_in_through_the_emailed_link(stack, page):
    sign_in(stack, page, "supervisor@example.go.id")
    expect(page.locator("#staff-who")).to_contain_text("Ketua Tim / Kepala")
    expect(page.locator("#nav-reports")).to_be_visible()
    expect(page.locator("#queue-count")).to_have_text(re.compile(r"^\d+ permohonan$"))

    page.click("#signout")
    page.wait_for_url("**/staff/index.html")
    expect(page.locator("#signin-section")).to_be_visible()
    assert page.request.get(stack.url + "/api/auth/me").status == 401


def test_a_used_or_forged_signin_link_says_so(stack, page):
    email = "admin@example.go.id"
    before = set(signin_links(stack, email))
    assert stack.request("POST", "/api/auth/login", {"email": email})[0] == 202
    link = new_signin_link(stack, email, before)
    token = link.split("#", 1)[1]
    assert stack.request("POST", "/api/auth/signin", {"token": token})[0] == 200

    page.goto(link)  # already used (by the request above)
    page.click("#signin-button")
    expect(page.locator("#signin-error")).to_be_visible()
    expect(page.locator("#signin-error-title")).to_have_text("Tautan masuk sudah dipakai")
    expect(page.locator("#signin-new-link")).to_have_attribute("href", "index.html")
    expect(page.locator("#signin-ready")).to_be_hidden()

    page.goto(stack.url + "/staff/signin.html#forged.token")
    page.click("#signin-button")
    expect(page.locator("#signin-error-title")).to_have_text("Tautan masuk tidak sah")


def test_queue_shows_late_tickets_and_opens_a_ticket(stack, page, tickets):
    sign_in(stack, page, "supervisor@example.go.id")
    late = page.locator(f"#queue-list li[data-number='{tickets['late']}']")
    expect(late).to_be_visible()
    expect(late.locator(".badge-late")).to_have_text("Terlambat")
    expect(late).to_contain_text("Laptop tidak mau menyala")
    expect(late).to_contain_text("Subbagian Keuangan")
    expect(late).to_contain_text("Belum diambil")
    repair = page.locator(f"#queue-list li[data-number='{tickets['repair']}']")
    expect(repair).to_contain_text("Dalam Perbaikan")
    expect(repair).to_contain_text("Budi Santoso")  # rt1 holds it
    # Resolved tickets leave the queue.
    expect(page.locator(f"#queue-list li[data-number='{tickets['resolved']}']")).to_have_count(0)

    # Filters live in the URL and survive a reload.
    page.check("#f-late")
    page.select_option("#f-assignee", "pool")
    page.wait_for_url(re.compile(r"assignee=pool&late=1$"))
    expect(repair).to_have_count(0)  # rt1 holds it: not in the pool
    page.reload()
    expect(page.locator("#f-late")).to_be_checked()
    expect(page.locator("#f-assignee")).to_have_value("pool")
    expect(late).to_be_visible()
    for item in page.locator("#queue-list li").all():
        expect(item.locator(".badge-late")).to_have_count(1)

    late.locator("a.q-number").click()
    page.wait_for_url(f"**/staff/ticket.html#{tickets['late']}")
    expect(page.locator("#ticket")).to_be_visible()
    expect(page.locator("#t-number")).to_have_text(tickets["late"])
    expect(page.locator("#t-status")).to_have_text("Baru")
    expect(page.locator("#t-late")).to_be_visible()
    step = page.locator("#t-steps-body tr[data-step='acknowledge']")
    expect(step.locator(".badge-late")).to_have_text("Terlambat")
    expect(page.locator("#t-requester")).to_contain_text(VALID_TICKET["email"])
    # Back to the queue keeps its filters.
    expect(page.locator("#back-to-queue")).to_have_attribute(
        "href", "index.html?assignee=pool&late=1"
    )

    page.goto(f"{stack.url}/staff/ticket.html#{tickets['resolved']}")
    expect(page.locator("#t-number")).to_have_text(tickets["resolved"])
    expect(page.locator("#t-subject")).to_have_text("Monitor berkedip <b>tebal</b>")  # as typed
    expect(page.locator("#t-handling")).to_contain_text("Kabel VGA longgar")
    diagnose = page.locator("#t-history li[data-action='diagnose']")
    expect(diagnose).to_contain_text("Andi Pratama")
    expect(diagnose).to_contain_text("tik1@example.go.id")
    expect(diagnose.locator(".note")).to_have_text("Kabel VGA longgar")
    expect(page.locator("#t-survey")).to_be_visible()
    expect(page.locator("#t-survey-body tr[data-unsur='u4']")).to_contain_text("3 — Murah")
    expect(page.locator("#t-suggestion")).to_have_text("Cepat dan ramah")


def test_reports_page_for_this_month(stack, page, tickets):
    sign_in(stack, page, "supervisor@example.go.id")
    page.click("#nav-reports")
    page.wait_for_url("**/staff/reports.html")
    expect(page.locator("#report")).to_be_visible()
    today = datetime.now(WIB)
    expect(page.locator("#r-period")).to_have_text(f"{MONTHS_ID[today.month - 1]} {today.year}")
    expect(page.locator("#p-kind")).to_have_value("month")
    expect(page.locator("#p-month")).to_have_value(str(today.month))

    expect(page.locator("#fig-ikm")).to_have_text(re.compile(r"^\d{2,3},\d{2}$"))
    expect(page.locator("#fig-ikm-category")).to_have_text(
        re.compile(r"^[ABCD] — (Sangat Baik|Baik|Kurang Baik|Tidak Baik)$")
    )
    expect(page.locator("#fig-adequacy")).to_have_text(re.compile(r"^(Memadai|Belum memadai)$"))
    acknowledge = page.locator("#compliance-body tr[data-step='acknowledge']")
    expect(acknowledge).to_contain_text("Tindak lanjut oleh Pengelola TIK")
    expect(acknowledge).to_contain_text("%")
    expect(page.locator("#skm-body tr")).to_have_count(9)
    monitoring = page.locator("#monitoring-body tr")
    expect(monitoring).to_have_count(7)
    expect(monitoring.nth(3)).to_contain_text("Menerima notifikasi")
    expect(monitoring.nth(6)).to_contain_text("IKM")

    chart = page.locator("#chart-compliance")
    expect(chart).to_have_attribute("src", re.compile(r"/api/reports/charts/compliance\.svg\?"))
    expect(chart).to_have_attribute("alt", re.compile(r"Tindak lanjut oleh Pengelola TIK"))
    assert shown_width(chart) > 0
    response = page.request.get(stack.url + chart.get_attribute("src"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")

    monitoring_file = page.request.get(
        stack.url + page.get_attribute("#dl-monitoring-xlsx", "href")
    )
    assert monitoring_file.status == 200
    assert "spreadsheetml" in monitoring_file.headers["content-type"]

    # Another period from the picker: the URL carries it.
    page.select_option("#p-kind", "year")
    page.click("#period-submit")
    page.wait_for_url(re.compile(rf"\?period={today.year}$"))
    expect(page.locator("#r-period")).to_have_text(re.compile(str(today.year)))


def test_rt_staff_has_no_reports(stack, page):
    sign_in(stack, page, "rt1@example.go.id")
    expect(page.locator("#staff-who")).to_contain_text("Pengelola Rumah Tangga")
    expect(page.locator("#nav-reports")).to_be_hidden()
    assert page.request.get(stack.url + "/api/reports/summary").status == 403

    page.goto(stack.url + "/staff/reports.html")
    expect(page.locator("#r-error")).to_contain_text("Laporan hanya untuk")
    expect(page.locator("#report")).to_be_hidden()


def test_ticket_link_without_a_session_signs_in_then_returns(stack, page, tickets):
    """The link in a staff email opens the ticket; without a session: sign in, then back."""
    email = "tik2@example.go.id"
    page.goto(f"{stack.url}/staff/ticket.html#{tickets['repair']}")
    page.wait_for_url("**/staff/index.html")
    expect(page.locator("#signin-section")).to_be_visible()
    before = set(signin_links(stack, email))
    page.fill("#login-email", email)
    page.click("#login-submit")
    expect(page.locator("#login-sent")).to_be_visible()
    link = new_signin_link(stack, email, before)
    page.goto(link)
    page.click("#signin-button")
    page.wait_for_url(f"**/staff/ticket.html#{tickets['repair']}")
    expect(page.locator("#t-number")).to_have_text(tickets["repair"])
    expect(page.locator("#t-status")).to_have_text("Dalam Perbaikan")
