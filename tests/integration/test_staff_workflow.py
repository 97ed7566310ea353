"""Acting from the staff ticket page (PRODUCT.md §12): the email links' rules through the
same service, the version the page showed, same-origin only; return and reassign."""

from __future__ import annotations

import pytest

from tests.support import PUBLIC_URL, VALID_TICKET, follow, latest, sign_in, token_for
from tiket.domain.model import Staff
from tiket.domain.vocabulary import Role

TIK1, TIK2, RT1 = "tik1@example.go.id", "tik2@example.go.id", "rt1@example.go.id"
SUPERVISOR, ADMIN = "supervisor@example.go.id", "admin@example.go.id"
SAME_SITE = {"Origin": PUBLIC_URL}


def filed(services) -> str:
    return services.intake.file(dict(VALID_TICKET)).number


def page(client, number: str) -> dict:
    response = client.get(f"/api/staff/tickets/{number}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def act(client, number: str, action: str, headers=SAME_SITE, **fields):
    if "version" not in fields:
        fields["version"] = page(client, number)["version"]
    return client.post(
        f"/api/staff/tickets/{number}/actions/{action}", json=fields, headers=headers
    )


def stored(services, number: str):
    return services.tickets.get(number), len(services.tickets.history(number))


def test_the_holder_diagnoses_from_the_staff_page_with_a_preset(client, services, transport):
    number = filed(services)
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    sign_in(client, transport, TIK1)
    before = page(client, number)
    assert [a["action"] for a in before["actions"]] == ["diagnose", "cancel"]
    assert [p["code"] for p in before["estimate_presets"]] == [
        *("min30", "hour1", "half_day", "day1", "days2")
    ]
    assert before["estimate_presets"][3] == {"code": "day1", "label": "1 hari", "minutes": 510}

    response = act(
        client,
        number,
        "diagnose",
        diagnosis="Driver rusak",
        decision="handle",
        estimate_preset="day1",
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["ok"] is True and body["action"] == "diagnose"
    assert body["ticket"]["status"] == "in_progress" and body["ticket"]["estimate_minutes"] == 510
    assert [a["action"] for a in body["ticket"]["actions"]] == ["resolve", "hold", "cancel"]
    ticket = services.tickets.get(number)
    assert ticket.step("handle").standard_minutes == 510
    # The same history and emails as from the email link.
    assert services.tickets.history(number)[-1].actor.email == TIK1
    token_for(services, latest(transport, TIK1, "next_steps"), "resolve")


def test_a_typed_estimate_wins_over_a_preset(client, services, transport):
    number = filed(services)
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    sign_in(client, transport, TIK1)
    response = act(
        client,
        number,
        "diagnose",
        diagnosis="x",
        decision="handle",
        estimate_preset="day1",
        estimate_minutes="45",
    )
    assert response.get_json()["ticket"]["estimate_minutes"] == 45


@pytest.mark.parametrize(
    ("who", "action", "fields", "status"),
    [
        # Wrong role (the ticket is not referred: rt cannot open its page for the version).
        (RT1, "diagnose", {"diagnosis": "x", "decision": "refer", "version": 2}, 403),
        (TIK2, "diagnose", {"diagnosis": "x", "decision": "refer"}, 403),  # not the holder
        (TIK1, "accept", {"estimate_minutes": 30}, 409),  # not in this status
        (TIK1, "diagnose", {"decision": "handle"}, 400),  # fields missing
        (TIK1, "diagnose", {"diagnosis": "x", "decision": "handle", "estimate_preset": "3h"}, 400),
        (TIK1, "survey", {}, 404),  # not a staff action
        (TIK1, "nonsense", {}, 404),
        (TIK1, "diagnose", {"diagnosis": "x", "decision": "refer", "version": "2"}, 400),
        (TIK1, "diagnose", {"diagnosis": "x", "decision": "refer", "version": True}, 400),
        (TIK1, "diagnose", {"diagnosis": "x", "decision": "refer", "version": 1}, 409),  # stale
        (SUPERVISOR, "reassign", {"email": RT1}, 409),  # wrong role for ICT work
        (SUPERVISOR, "reassign", {"email": "nobody@example.go.id"}, 400),
        (SUPERVISOR, "reassign", {"email": TIK1}, 409),  # already holds it
        (SUPERVISOR, "reassign", {"email": "not an address"}, 400),
        (TIK2, "reassign", {"email": TIK2}, 403),  # ICT staff do not reassign
    ],
)
def test_bad_actions_change_nothing(client, services, transport, who, action, fields, status):
    number = filed(services)
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    sign_in(client, transport, who)
    before = stored(services, number)
    transport.clear()
    response = act(client, number, action, **fields)
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["message"] and body["error"]
    assert stored(services, number) == before
    assert transport.sent == []
    if status == 409 and "version" in fields:
        assert body["current_status"] == "acknowledged"
        assert "Muat ulang" in body["message"]


def test_a_stale_page_gets_409_with_the_current_state(client, services, transport):
    number = filed(services)
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    sign_in(client, transport, TIK1)
    shown = page(client, number)["version"]
    follow(services, transport, TIK1, "next_steps", "diagnose", diagnosis="x", decision="refer")
    before = stored(services, number)
    response = act(client, number, "cancel", reason="ganda", version=shown)
    assert response.status_code == 409
    assert response.get_json()["current_status"] == "referred"
    assert response.get_json()["status_label"] == "Diteruskan ke Rumah Tangga"
    assert stored(services, number) == before


CROSS_SITE = [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "https://portal.example.go.id"},  # allowed for CORS, still not the site itself
    {"Referer": "https://evil.example/attack.html"},
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_cross_site_fetch_is_refused(client, services, transport, headers):
    number = filed(services)
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    sign_in(client, transport, TIK1)
    before = stored(services, number)
    response = act(client, number, "cancel", headers=headers, reason="x")
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"
    assert "halaman TIKet sendiri" in response.get_json()["message"]
    assert stored(services, number) == before


def test_a_cross_site_form_post_is_refused(client, services, transport):
    """What a foreign page's <form method=post> sends: a form body, its own Origin."""
    number = filed(services)
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    sign_in(client, transport, TIK1)
    before = stored(services, number)
    response = client.post(
        f"/api/staff/tickets/{number}/actions/cancel",
        data={"reason": "x", "version": "2"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert stored(services, number) == before
    # Same site, a form body: refused too (the staff API takes JSON only).
    response = client.post(
        f"/api/staff/tickets/{number}/actions/cancel",
        data={"reason": "x", "version": "2"},
        headers=SAME_SITE,
    )
    assert response.status_code == 415
    assert stored(services, number) == before


def test_acting_needs_a_session(client, services):
    number = filed(services)
    response = client.post(
        f"/api/staff/tickets/{number}/actions/acknowledge", json={"version": 1}, headers=SAME_SITE
    )
    assert response.status_code == 401


def test_without_origin_or_referer_a_script_may_act(client, services, transport):
    number = filed(services)
    sign_in(client, transport, TIK2)
    response = act(client, number, "acknowledge", headers={})
    assert response.status_code == 200
    assert services.tickets.get(number).assignee == TIK2


def test_the_supervisor_reassigns_held_work(client, services, transport, clock):
    number = filed(services)
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    old_link = token_for(services, latest(transport, TIK1, "next_steps"), "diagnose")
    due = services.tickets.get(number).step("diagnose").due_at
    sign_in(client, transport, SUPERVISOR)
    shown = page(client, number)
    assert [a["action"] for a in shown["actions"]] == ["reassign"]
    assert [c["email"] for c in shown["reassign_to"]] == [TIK2]  # active ICT staff but tik1
    transport.clear()
    clock.advance(minutes=3)

    response = act(client, number, "reassign", email=TIK2)
    assert response.status_code == 200, response.get_json()
    ticket = services.tickets.get(number)
    assert (ticket.status, ticket.assignee, ticket.assignee_name) == (
        "acknowledged",
        TIK2,
        "Siti Rahmawati",
    )
    assert ticket.step("diagnose").due_at == due  # the clock keeps running
    assert sorted(transport.kinds()) == [
        ("reassigned", TIK2),
        ("reassigned_away", TIK1),
        ("reassigned_requester", VALID_TICKET["email"]),
    ]
    to_new = latest(transport, TIK2, "reassigned")
    assert "Dr. Rina Wulandari mengalihkan penanganan tiket" in to_new.text
    assert "sebelumnya: Andi Pratama" in to_new.text
    token_for(services, to_new, "diagnose")
    assert "Siti Rahmawati" in latest(transport, TIK1, "reassigned_away").text
    assert (
        "kini ditangani oleh Siti Rahmawati"
        in latest(transport, VALID_TICKET["email"], "reassigned_requester").text
    )
    entry = services.tickets.history(number)[-1]
    assert (entry.action, entry.actor.email) == ("reassign", SUPERVISOR)
    detail = page(client, number)
    assert detail["history"][-1]["note"] == "Dialihkan dari Andi Pratama kepada Siti Rahmawati."
    assert (detail["assignee"], detail["assignee_name"]) == (TIK2, "Siti Rahmawati")
    # tik1's links no longer work: the ticket moved on.
    with pytest.raises(Exception) as refused:
        services.actions.perform(old_link, {"diagnosis": "x", "decision": "refer"})
    assert type(refused.value).__name__ == "Conflict"


def test_reassigning_a_repair_goes_to_facilities_staff_only(client, services, transport):
    services.staff.put(Staff("rt2@example.go.id", "Dewi Lestari", Role.RT))
    services.staff.put(Staff("rt3@example.go.id", "Joko Susilo", Role.RT, active=False))
    number = filed(services)
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    follow(services, transport, TIK1, "next_steps", "diagnose", diagnosis="AC", decision="refer")
    follow(services, transport, RT1, "referral", "accept", estimate_minutes=120)
    sign_in(client, transport, ADMIN)
    shown = page(client, number)
    assert (shown["assignee"], shown["assignee_role"], shown["tik_assignee"]) == (RT1, "rt", TIK1)
    assert [c["email"] for c in shown["reassign_to"]] == ["rt2@example.go.id"]
    inactive = act(client, number, "reassign", email="rt3@example.go.id")
    assert inactive.status_code == 409 and "tidak aktif" in inactive.get_json()["message"]
    wrong = act(client, number, "reassign", email=TIK2)
    assert wrong.status_code == 409 and "Pengelola Rumah Tangga" in wrong.get_json()["message"]
    assert act(client, number, "reassign", email="RT2@example.go.id").status_code == 200
    ticket = services.tickets.get(number)
    assert (ticket.repair_assignee, ticket.assignee) == ("rt2@example.go.id", TIK1)
    token_for(services, latest(transport, "rt2@example.go.id", "reassigned"), "resolve")


def test_a_ticket_nobody_holds_cannot_be_reassigned(client, services, transport):
    number = filed(services)
    sign_in(client, transport, SUPERVISOR)
    assert page(client, number)["actions"] == []
    response = act(client, number, "reassign", email=TIK2)
    assert response.status_code == 409
    assert "belum dipegang siapa pun" in response.get_json()["message"]


def test_facilities_returns_a_referral_with_a_reason(client, services, transport, clock):
    number = filed(services)
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    follow(services, transport, TIK1, "next_steps", "diagnose", diagnosis="AC", decision="refer")
    referral = latest(transport, RT1, "referral")
    token_for(services, referral, "return")  # offered in the email too
    clock.advance(minutes=20)
    sign_in(client, transport, RT1)
    assert [a["action"] for a in page(client, number)["actions"]] == ["accept", "return"]
    assert act(client, number, "return").status_code == 400  # a reason is required
    transport.clear()
    response = act(client, number, "return", reason="Bukan kerusakan, perlu instal ulang")
    assert response.status_code == 200, response.get_json()
    ticket = services.tickets.get(number)
    assert (ticket.status, ticket.assignee, ticket.path) == ("acknowledged", TIK1, None)
    assert ticket.step("rt_accept").done_at == clock.now()
    diagnose = ticket.step("diagnose")
    assert diagnose.open and diagnose.started_at == clock.now()  # diagnosed afresh
    back = latest(transport, TIK1, "returned")
    assert "Budi Santoso (Pengelola Rumah Tangga) mengembalikan" in back.text
    assert "Bukan kerusakan, perlu instal ulang" in back.text
    token_for(services, back, "diagnose")
    latest(transport, VALID_TICKET["email"], "returned_requester")
    entry = services.tickets.history(number)[-1]
    assert (entry.action, entry.note) == ("return", "Bukan kerusakan, perlu instal ulang")
    sign_in(client, transport, TIK2)
    assert act(client, number, "return", reason="x").status_code == 409  # not referred now


def test_only_facilities_staff_return(client, services, transport):
    number = filed(services)
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    follow(services, transport, TIK1, "next_steps", "diagnose", diagnosis="AC", decision="refer")
    sign_in(client, transport, TIK2)
    assert act(client, number, "return", reason="x").status_code == 403


def test_the_staff_view_names_the_holder_as_assignee(client, services, transport):
    number = filed(services)
    sign_in(client, transport, TIK1)
    assert page(client, number)["assignee"] is None  # in the pool
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    detail = page(client, number)
    assert (detail["assignee"], detail["assignee_name"], detail["assignee_role"]) == (
        TIK1,
        "Andi Pratama",
        "tik",
    )
    follow(services, transport, TIK1, "next_steps", "diagnose", diagnosis="AC", decision="refer")
    detail = page(client, number)
    assert (detail["assignee"], detail["tik_assignee"], detail["tik_assignee_name"]) == (
        None,
        TIK1,
        "Andi Pratama",
    )


def test_the_staff_page_links_the_requester(client, services, transport):
    number = services.intake.file({**VALID_TICKET, "phone": "0812 3456 7890"}).number
    sign_in(client, transport, TIK1)
    contact = page(client, number)["contact"]
    assert contact["tel"] == "tel:081234567890"
    assert contact["whatsapp"].startswith("https://wa.me/6281234567890?text=")
    assert contact["mailto"].startswith("mailto:ana.lestari@example.go.id?subject=")


def test_each_action_is_described_in_words_with_its_standard(client, services, transport):
    number = filed(services)
    sign_in(client, transport, TIK1)
    (acknowledge,) = [a for a in page(client, number)["actions"] if a["action"] == "acknowledge"]
    assert "{" not in acknowledge["description"]
    assert "mutu baku 10 menit kerja" in acknowledge["description"]  # SOP step 4
