"""The action pages lead on (PRODUCT.md §12): a link that came too late says who did what
when and leads to the staff page and what is possible now; estimates come with presets;
the requester is one tap away (encoded links)."""

from __future__ import annotations

import re
from html import unescape

from tests.support import PUBLIC_URL, VALID_TICKET, follow, latest, token_for
from tiket.services.contact import mailto_link

TIK1, TIK2, RT1 = "tik1@example.go.id", "tik2@example.go.id", "rt1@example.go.id"
HOSTILE = "x?cc=attacker%40evil.com@example.go.id"
PLUS = "ana+tik@example.go.id"


def html(response) -> str:
    return response.get_data(as_text=True)


def hrefs(page: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', page)]


def test_someone_else_took_it_names_who_and_when_and_leads_on(client, services, transport, clock):
    number = services.intake.file(dict(VALID_TICKET)).number
    mine = token_for(services, latest(transport, TIK2, "new_ticket"), "acknowledge")
    clock.advance(minutes=2)
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    for response in (client.get(f"/actions/{mine}"), client.post(f"/actions/{mine}")):
        assert response.status_code == 409
        page = html(response)
        assert "Tiket ini sudah diterima oleh Andi Pratama" in page
        assert (
            "Perubahan terakhir: \u201cTerima dan tindak lanjuti\u201d oleh Andi Pratama "
            "(Pengelola TIK) pada Senin, 30 November 2026 pukul 08.02 WIB." in page
        )
        links = hrefs(page)
        assert f"{PUBLIC_URL}/staff/ticket.html#{number}" in links
        # Nothing else for tik2 now (cancelling is never offered as the way on).
        assert "Tidak ada tindakan lain untuk Anda" in page
        assert not [link for link in links if "?act=" in link]
    assert services.tickets.get(number).assignee == TIK1


def test_a_used_link_leads_to_the_next_step(client, services, transport):
    number = services.intake.file(dict(VALID_TICKET)).number
    token = token_for(services, latest(transport, TIK1, "new_ticket"), "acknowledge")
    assert client.post(f"/actions/{token}").status_code == 200
    again = client.get(f"/actions/{token}")
    assert again.status_code == 409
    page = html(again)
    assert "Tautan ini sudah digunakan" in page
    assert f"{PUBLIC_URL}/staff/ticket.html?act=diagnose#{number}" in hrefs(page)
    assert "Diagnosa di halaman petugas" in page
    # JSON clients keep the plain error body.
    body = client.get(f"/actions/{token}", headers={"Accept": "application/json"}).get_json()
    assert body["error"] == "conflict" and body["current_status"] == "acknowledged"


def test_a_forged_link_gets_no_ticket_details(client, services):
    services.intake.file(dict(VALID_TICKET))
    response = client.get("/actions/not-a-token")
    assert response.status_code == 403
    assert "staff/ticket.html" not in html(response)


def test_action_pages_offer_presets_and_take_them(client, services, transport):
    number = services.intake.file(dict(VALID_TICKET)).number
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    diagnose = token_for(services, latest(transport, TIK1, "next_steps"), "diagnose")
    page = html(client.get(f"/actions/{diagnose}"))
    presets = re.findall(r'name="estimate_preset" value="([a-z0-9_]+)" data-minutes="(\d+)"', page)
    assert presets == [
        ("min30", "30"),
        ("hour1", "60"),
        ("half_day", "255"),
        ("day1", "510"),
        ("days2", "1020"),
    ]
    assert "½ hari = 4 jam 15 menit, 1 hari = 8 jam 30 menit kerja" in page
    assert "<script" not in page  # the form works without a script: a typed number wins
    response = client.post(
        f"/actions/{diagnose}",
        data={"diagnosis": "Ganti kabel", "decision": "handle", "estimate_preset": "half_day"},
    )
    assert response.status_code == 200
    assert services.tickets.get(number).estimate_minutes == 255


def test_an_unknown_preset_is_a_field_error(client, services, transport):
    services.intake.file(dict(VALID_TICKET))
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    diagnose = token_for(services, latest(transport, TIK1, "next_steps"), "diagnose")
    response = client.post(
        f"/actions/{diagnose}",
        data={"diagnosis": "x", "decision": "handle", "estimate_preset": "week"},
    )
    assert response.status_code == 400
    assert 'id="diagnose-estimate-error"' in html(response)


def test_the_requester_is_linked_safely(client, services, transport):
    # Intake refuses an address like HOSTILE; the link must be safe for any stored one.
    assert mailto_link(HOSTILE, "x").split("?")[0] == (
        "mailto:x%3Fcc%3Dattacker%2540evil.com@example.go.id"
    )
    services.intake.file({**VALID_TICKET, "email": PLUS, "phone": "0812 3456 7890"})
    page = html(
        client.get(
            f"/actions/{token_for(services, latest(transport, TIK1, 'new_ticket'), 'acknowledge')}"
        )
    )
    links = hrefs(page)
    mailto = next(link for link in links if link.startswith("mailto:"))
    address = mailto.removeprefix("mailto:").split("?")[0]
    assert address == "ana%2Btik@example.go.id"
    assert "cc=" not in mailto.split("?", 1)[1]
    assert "tel:081234567890" in links
    assert any(link.startswith("https://wa.me/6281234567890?text=") for link in links)
