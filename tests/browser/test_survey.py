"""SOP step 7 in the browser: the requester fills the SKM survey on the tracking page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support import VALID_TICKET


def resolve_through_links(stack, number: str) -> None:
    """Acknowledge, diagnose and resolve by posting the emailed links, as staff would."""

    def link(to: str) -> str:
        mail = next(m for m in stack.mails() if m["ticket"] == number and to in m["to"])
        return mail["links"][0]

    json = {"Accept": "application/json"}
    ack = link("tik1@example.go.id")
    _, done = stack.request("POST", ack.replace(stack.url, ""), {}, json)
    diagnose = done["next"]["diagnose"]
    _, done = stack.request(
        "POST",
        diagnose.replace(stack.url, ""),
        {"diagnosis": "Kabel longgar", "decision": "handle", "estimate_minutes": 20},
        json,
    )
    _, done = stack.request(
        "POST",
        done["next"]["resolve"].replace(stack.url, ""),
        {"resolution": "Kabel dipasang"},
        json,
    )
    assert done["ticket"]["status"] == "resolved"


def test_requester_fills_the_survey_on_the_tracking_page(stack, page):
    _, filed = stack.request("POST", "/api/tickets", {**VALID_TICKET, "subject": "Monitor gelap"})
    resolve_through_links(stack, filed["number"])

    page.goto(filed["track_url"])
    page.wait_for_selector("#survey-form", state="visible")
    assert page.text_content("#t-status").strip() == "Selesai"
    legends = page.locator("#survey-form legend").all_text_contents()
    assert any("Persyaratan" in text for text in legends)
    assert page.locator("#q-u4 label", has_text="Gratis").count() == 1

    page.click("#survey-submit")  # nothing chosen yet: the server's messages show
    page.wait_for_selector("#u1-error:not(:empty)")
    for i in range(1, 10):
        page.check(f"#u{i}-{4 if i != 3 else 3}")
    page.fill("#saran", "Petugas sigap.")
    page.click("#survey-submit")
    page.wait_for_selector("#survey-done", state="visible")
    expect(page.locator("#t-status")).to_have_text("Ditutup")

    view = stack.get(f"/api/track/{filed['track_token']}")
    assert view["status"] == "closed" and view["survey"]["submitted"] is True
