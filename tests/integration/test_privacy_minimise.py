"""Minimisation (PRODUCT.md §14): facilities staff (``rt``) see only the tickets referred to
them, without the requester's email address or NIP (name, unit, location and phone kept:
the repair needs to reach the person and the device)."""

from __future__ import annotations

from tests.support import VALID_TICKET, follow, latest, sign_in, token_for

TIK1, RT1 = "tik1@example.go.id", "rt1@example.go.id"


def test_rt_sees_only_referred_tickets_and_no_email_or_nip(client, services, transport):
    kept = services.intake.file(dict(VALID_TICKET)).number
    referred = services.intake.file({**VALID_TICKET, "subject": "AC bocor"}).number
    follow(services, transport, TIK1, "new_ticket", "acknowledge")  # the newest: `referred`
    follow(services, transport, TIK1, "next_steps", "diagnose", diagnosis="AC", decision="refer")
    assert services.tickets.get(referred).path == "rt"

    sign_in(client, transport, RT1)
    queue = client.get("/api/staff/queue").get_json()
    assert [row["number"] for row in queue["tickets"]] == [referred]
    assert client.get(f"/api/staff/tickets/{kept}").status_code == 404
    assert client.get(f"/api/staff/tickets/{kept}/device").status_code == 404
    found = client.get("/api/staff/tickets?q=" + kept).get_json()
    assert found["tickets"] == []

    page = client.get(f"/api/staff/tickets/{referred}").get_json()
    assert (page["requester_email"], page["requester_nip"]) == ("", None)
    assert page["contact"]["mailto"] is None
    assert (page["requester_name"], page["requester_phone"]) == (
        VALID_TICKET["name"],
        VALID_TICKET["phone"],
    )
    assert VALID_TICKET["email"] not in str(page)
    assert VALID_TICKET["nip"] not in str(page)


def test_ict_staff_still_see_everything(client, services, transport):
    number = services.intake.file(dict(VALID_TICKET)).number
    sign_in(client, transport, TIK1)
    page = client.get(f"/api/staff/tickets/{number}").get_json()
    assert (page["requester_email"], page["requester_nip"]) == (
        VALID_TICKET["email"],
        VALID_TICKET["nip"],
    )


def test_referral_emails_to_facilities_carry_no_email_address_or_nip(services, transport):
    services.intake.file(dict(VALID_TICKET))
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    follow(services, transport, TIK1, "next_steps", "diagnose", diagnosis="AC", decision="refer")
    (referral,) = [m for m in transport.sent if m.to == RT1 and m.kind == "referral"]
    assert VALID_TICKET["name"] in referral.text and VALID_TICKET["phone"] in referral.text
    assert VALID_TICKET["email"] not in referral.text
    assert VALID_TICKET["nip"] not in referral.text
    to_ict = [m for m in transport.sent if m.to == TIK1 and m.kind == "new_ticket"]
    assert VALID_TICKET["nip"] in to_ict[0].text


def test_the_referral_link_page_shows_facilities_no_email_or_nip(client, services, transport):
    services.intake.file(dict(VALID_TICKET))
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    follow(services, transport, TIK1, "next_steps", "diagnose", diagnosis="AC", decision="refer")
    referral = latest(transport, RT1, "referral")
    url = token_for(services, referral, "accept")
    for headers in ({}, {"Accept": "application/json"}):
        shown = client.get(f"/actions/{url}", headers=headers).get_data(as_text=True)
        assert VALID_TICKET["name"] in shown
        assert VALID_TICKET["email"] not in shown and VALID_TICKET["nip"] not in shown
