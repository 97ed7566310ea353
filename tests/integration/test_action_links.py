"""Staff act from email links (PRODUCT.md §3, §7 /actions): both SOP paths end to end through
HTTP, following the links found in the emails, and every way a link can be wrong."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest

from tests.support import VALID_TICKET, file_ticket, latest, token_for, track_token
from tiket.services.links import ACTION_PURPOSE, LOGIN_PURPOSE

JSON = {"Accept": "application/json"}
REQUESTER = VALID_TICKET["email"]


def act(client, token: str, **form):
    return client.post(f"/actions/{token}", json=form, headers=JSON)


@pytest.fixture
def filed(client, services, transport):
    body = file_ticket(client).get_json()
    return body["number"]


def ack_token(services, transport, who="tik1@example.go.id"):
    return token_for(services, latest(transport, who, "new_ticket"), "acknowledge")


def test_path_a_handled_by_ict_staff(client, services, transport, clock, filed):
    ack = ack_token(services, transport)
    clock.advance(minutes=3)
    response = act(client, ack)
    assert response.status_code == 200
    assert response.get_json()["ticket"]["status"] == "acknowledged"
    assert response.get_json()["ticket"]["assignee"] == "tik1@example.go.id"
    assert "diagnose" in response.get_json()["next"]
    assert latest(transport, REQUESTER, "acknowledged").subject.startswith(f"[{filed}] Diterima")

    diagnose = token_for(
        services, latest(transport, "tik1@example.go.id", "next_steps"), "diagnose"
    )
    clock.advance(minutes=5)
    response = act(
        client, diagnose, diagnosis="Driver printer rusak", decision="handle", estimate_minutes=30
    )
    assert response.status_code == 200 and response.get_json()["ticket"]["status"] == "in_progress"

    steps_mail = latest(transport, "tik1@example.go.id", "next_steps")
    assert "Batas waktu Penanganan / perbaikan" in steps_mail.text
    hold = token_for(services, steps_mail, "hold")
    assert act(client, hold, reason="Menunggu toner").status_code == 200
    assert latest(transport, REQUESTER, "on_hold")
    resume = token_for(services, latest(transport, "tik1@example.go.id", "next_steps"), "resume")
    clock.advance(minutes=20)
    assert act(client, resume).get_json()["ticket"]["status"] == "in_progress"
    resolve = token_for(services, latest(transport, "tik1@example.go.id", "next_steps"), "resolve")
    response = act(client, resolve, resolution="Driver dipasang ulang, printer normal")
    assert response.get_json()["ticket"]["status"] == "resolved"

    resolved = latest(transport, REQUESTER, "resolved")
    assert "Survei Kepuasan Masyarakat" in resolved.text
    track = client.get(f"/api/track/{track_token(resolved)}").get_json()
    assert track["status"] == "resolved" and track["survey"]["open"] is True
    assert [h["action"] for h in track["history"]] == [
        "create",
        "dispatch",
        "acknowledge",
        "diagnose",
        "hold",
        "resume",
        "resolve",
    ]
    handle = next(s for s in track["steps"] if s["step"] == "handle")
    assert handle["paused_minutes"] == 20.0 and handle["breached"] is False


def test_path_b_referred_to_facilities(client, services, transport, clock, filed):
    act(client, ack_token(services, transport))
    diagnose = token_for(
        services, latest(transport, "tik1@example.go.id", "next_steps"), "diagnose"
    )
    response = act(client, diagnose, diagnosis="Kabel LAN putus di dinding", decision="refer")
    assert response.get_json()["ticket"]["status"] == "referred"
    assert latest(transport, REQUESTER, "referred")

    referral = latest(transport, "rt1@example.go.id", "referral")
    assert "Kabel LAN putus di dinding" in referral.text
    accept = token_for(services, referral, "accept")
    page = client.get(f"/actions/{accept}")
    assert page.status_code == 200 and "Perkiraan waktu penanganan" in page.get_data(as_text=True)
    response = act(client, accept, estimate_minutes=120)
    assert response.get_json()["ticket"]["status"] == "in_repair"
    assert response.get_json()["ticket"]["repair_assignee"] == "rt1@example.go.id"
    assert latest(transport, "tik1@example.go.id", "repair_accepted")

    resolve = token_for(services, latest(transport, "rt1@example.go.id", "next_steps"), "resolve")
    assert act(client, resolve, resolution="Kabel diganti").status_code == 200
    assert latest(transport, "tik1@example.go.id", "repair_done")
    ticket = services.tickets.get(filed)
    assert ticket.status == "resolved" and ticket.path == "rt"
    assert [s.step for s in ticket.steps] == [
        "notify",
        "acknowledge",
        "diagnose",
        "rt_accept",
        "handle",
    ]


def test_html_form_flow_and_result_page_offers_next_step(client, services, transport, filed):
    ack = ack_token(services, transport)
    page = client.get(f"/actions/{ack}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Konfirmasi: Terima dan tindak lanjuti" in html
    assert VALID_TICKET["description"] in html
    result = client.post(f"/actions/{ack}", data={})
    html = result.get_data(as_text=True)
    assert result.status_code == 200
    assert "Berhasil" in html and 'name="diagnosis"' in html
    # The inline diagnose form posts to a fresh link for the new version.
    (next_token,) = {
        t for t in action_tokens_in(html) if t != ack and _action(services, t) == "diagnose"
    }
    response = client.post(
        f"/actions/{next_token}",
        data={"diagnosis": "Ganti kabel", "decision": "handle", "estimate_minutes": "15"},
    )
    assert response.status_code == 200
    assert services.tickets.get(filed).status == "in_progress"


def action_tokens_in(html: str) -> set[str]:
    return set(re.findall(r"/actions/([A-Za-z0-9_.\-]+)\"", html))


def _action(services, token: str) -> str:
    return services.signer.verify(ACTION_PURPOSE, token)["a"]


def test_gets_and_head_change_nothing(client, services, transport, filed):
    ack = ack_token(services, transport)
    before = services.tickets.get(filed)
    for _ in range(5):
        assert client.get(f"/actions/{ack}").status_code == 200
    assert client.get(f"/actions/{ack}", headers=JSON).get_json()["action"] == "acknowledge"
    assert client.head(f"/actions/{ack}").status_code == 200
    assert services.tickets.get(filed) == before
    assert [h.action for h in services.tickets.history(filed)] == ["create", "dispatch"]
    assert act(client, ack).status_code == 200  # the token is still good


def test_two_staff_acknowledge_at_once_exactly_one_wins(app, services, transport, filed):
    tokens = [
        ack_token(services, transport, who) for who in ("tik1@example.go.id", "tik2@example.go.id")
    ]
    before = len(transport.sent)
    results: list[tuple[int, dict]] = []
    barrier = threading.Barrier(2)

    def click(token: str) -> None:
        with app.test_client() as own:
            barrier.wait()
            response = own.post(f"/actions/{token}", json={}, headers=JSON)
            results.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=click, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for code, _ in results) == [200, 409]
    loser = next(body for code, body in results if code == 409)
    winner = services.tickets.get(filed)
    assert winner.assignee_name in loser["message"]
    assert loser["current_status"] == "acknowledged"
    assert [h.action for h in services.tickets.history(filed)] == [
        "create",
        "dispatch",
        "acknowledge",
    ]
    new_mails = transport.sent[before:]
    assert sorted(m.kind for m in new_mails) == ["acknowledged", "next_steps"]


def test_replayed_link_is_409_with_current_status(client, services, transport, filed):
    ack = ack_token(services, transport)
    assert act(client, ack).status_code == 200
    again = act(client, ack)
    assert again.status_code == 409
    assert again.get_json()["current_status"] == "acknowledged"
    page = client.post(f"/actions/{ack}", data={})
    assert page.status_code == 409 and "Diterima" in page.get_data(as_text=True)
    assert len(services.tickets.history(filed)) == 3  # create, dispatch, acknowledge


def test_the_other_staff_link_is_409_and_names_the_winner(client, services, transport, filed):
    act(client, ack_token(services, transport, "tik1@example.go.id"))
    other = client.get(f"/actions/{ack_token(services, transport, 'tik2@example.go.id')}")
    assert other.status_code == 409
    assert "Andi Pratama" in other.get_data(as_text=True)


def test_tampered_link_is_403(client, services, transport, filed):
    ack = ack_token(services, transport)
    for i in (5, len(ack) // 2, len(ack) - 3):
        flipped = ack[:i] + ("A" if ack[i] != "A" else "B") + ack[i + 1 :]
        for response in (client.get(f"/actions/{flipped}"), act(client, flipped)):
            assert response.status_code == 403
    assert client.get(f"/actions/{ack[:-10]}", headers=JSON).get_json()["error"] == "forbidden"
    assert services.tickets.get(filed).status == "new"


def test_link_for_one_ticket_does_not_work_on_another(client, services, transport):
    file_ticket(client)
    first = ack_token(services, transport)
    file_ticket(client, subject="Kedua")
    second = ack_token(services, transport)
    assert first != second
    # Splice: the sealed payload of ticket B with the tag (last 16 bytes) of ticket A's link.
    spliced = second[:-22] + first[-22:]
    assert client.get(f"/actions/{spliced}").status_code == 403
    assert act(client, spliced).status_code == 403
    # A token signed for another purpose (a sign-in link) is refused too.
    login = services.signer.sign(LOGIN_PURPOSE, {"t": "TIK-2026-000002", "a": "acknowledge"})
    assert client.get(f"/actions/{login}").status_code == 403
    assert [services.tickets.get(n).status for n in ("TIK-2026-000001", "TIK-2026-000002")] == [
        "new",
        "new",
    ]


def test_deactivated_staff_link_is_403(client, services, transport, filed):
    from tiket.domain.model import Staff

    ack = ack_token(services, transport)
    services.staff.put(Staff("tik1@example.go.id", "Andi Pratama", "tik", active=False))
    assert act(client, ack).status_code == 403


def test_expired_link_is_410_and_a_fresh_one_can_be_sent(client, services, transport, clock, filed):
    ack = ack_token(services, transport)
    clock.advance(hours=72, seconds=1)
    page = client.get(f"/actions/{ack}")
    html = page.get_data(as_text=True)
    assert page.status_code == 410
    assert "Kirim tautan baru" in html and f"/actions/{ack}/resend" in html
    assert act(client, ack).status_code == 410
    before = len(transport.sent)
    resent = client.post(f"/actions/{ack}/resend")
    assert resent.status_code == 202
    (fresh_mail,) = transport.sent[before:]
    assert fresh_mail.kind == "fresh_link" and fresh_mail.to == "tik1@example.go.id"
    assert fresh_mail.subject.startswith(f"[{filed}] Tautan baru")
    fresh = token_for(services, fresh_mail, "acknowledge")
    assert act(client, fresh).status_code == 200
    assert services.tickets.get(filed).assignee == "tik1@example.go.id"


def test_resend_of_a_forged_link_is_403(client, services, transport, filed):
    ack = ack_token(services, transport)
    assert client.post(f"/actions/{ack[:-2]}xx/resend").status_code == 403


@pytest.mark.parametrize(
    ("form", "fields"),
    [
        ({}, {"diagnosis", "decision"}),
        ({"diagnosis": "x", "decision": "handle"}, {"estimate_minutes"}),
        ({"diagnosis": "x", "decision": "handle", "estimate_minutes": 0}, {"estimate_minutes"}),
        ({"diagnosis": "x", "decision": "handle", "estimate_minutes": 99999}, {"estimate_minutes"}),
        ({"diagnosis": "x", "decision": "handle", "estimate_minutes": "abc"}, {"estimate_minutes"}),
        ({"diagnosis": "x", "decision": "fix"}, {"decision"}),
        ({"diagnosis": "x" * 2001, "decision": "refer"}, {"diagnosis"}),
        ({"diagnosis": ["x"], "decision": "refer"}, {"diagnosis"}),
    ],
)
def test_invalid_fields_are_400_and_change_nothing(
    client, services, transport, filed, form, fields
):
    act(client, ack_token(services, transport))
    diagnose = token_for(
        services, latest(transport, "tik1@example.go.id", "next_steps"), "diagnose"
    )
    before = services.tickets.get(filed)
    response = act(client, diagnose, **form)
    assert response.status_code == 400
    assert set(response.get_json()["fields"]) == fields
    assert services.tickets.get(filed) == before
    # The HTML form shows the messages beside the fields, and the link still works.
    if all(isinstance(v, str | int) for v in form.values()):
        page = client.post(f"/actions/{diagnose}", data={k: str(v) for k, v in form.items()})
        assert 'class="field-error"' in page.get_data(as_text=True)
    ok = act(client, diagnose, diagnosis="ok", decision="refer")
    assert ok.status_code == 200


def test_ticket_text_is_escaped_on_action_pages(client, services, transport):
    file_ticket(
        client, subject="<script>alert(1)</script>", description="<img src=x onerror=alert(2)>"
    )
    page = client.get(f"/actions/{ack_token(services, transport)}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_action_pages_send_security_headers(client, services, transport, filed):
    response = client.get(f"/actions/{ack_token(services, transport)}")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_cancel_by_ict_staff_tells_the_requester(client, services, transport, filed):
    cancel = token_for(services, latest(transport, "tik2@example.go.id", "new_ticket"), "cancel")
    response = act(client, cancel, reason="Permohonan ganda")
    assert response.get_json()["ticket"]["status"] == "cancelled"
    mail = latest(transport, REQUESTER, "cancelled")
    assert "Permohonan ganda" in mail.text
    assert services.tickets.open_tickets() == []


def test_links_use_the_configured_public_url_never_the_host_header(client, services, transport):
    client.post(
        "/api/tickets",
        json=VALID_TICKET,
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    for mail in transport.sent:
        assert "evil.example" not in mail.text and "evil.example" not in mail.html
        assert "https://tiket.example.go.id/" in mail.text


def test_step_deadline_is_in_staff_emails(client, services, transport, clock, filed):
    mail = latest(transport, "tik1@example.go.id", "new_ticket")
    assert (
        "Batas waktu Tindak lanjut oleh Pengelola TIK: Senin, 30 November 2026 pukul 08.05 WIB"
        in mail.text
    )
    assert (
        clock.now() + timedelta(minutes=5) == services.tickets.get(filed).step("acknowledge").due_at
    )
