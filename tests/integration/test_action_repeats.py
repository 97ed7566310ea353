"""A link's request sent again with its Idempotency-Key: the answer is the change it made.

A client whose answer was lost (a timeout, a 503 after the commit had landed) repeats the
request; the person must see "done", not "this link was used". Any other request for a used
link is still the 409 of PRODUCT.md §7."""

from __future__ import annotations

import re

from tests.support import file_ticket, latest, token_for

JSON = {"Accept": "application/json"}
TIK1 = "tik1@example.go.id"


def _acknowledge_link(client, services, transport) -> tuple[str, str]:
    number = file_ticket(client).get_json()["number"]
    return number, token_for(services, latest(transport, TIK1, "new_ticket"), "acknowledge")


def test_the_same_key_again_answers_the_change_it_made(client, services, transport):
    number, token = _acknowledge_link(client, services, transport)
    headers = {**JSON, "Idempotency-Key": "click-1"}
    first = client.post(f"/actions/{token}", json={}, headers=headers)
    assert first.status_code == 200
    again = client.post(f"/actions/{token}", json={}, headers=headers)
    assert again.status_code == 200
    assert again.get_json()["ticket"]["status"] == "acknowledged"
    assert set(again.get_json()["next"]) == set(first.get_json()["next"])
    history = services.tickets.history(number)
    assert [e.action for e in history].count("acknowledge") == 1
    # Another key, or none: the link was used.
    other = client.post(f"/actions/{token}", json={}, headers={**JSON, "Idempotency-Key": "x"})
    assert other.status_code == 409
    assert client.post(f"/actions/{token}", json={}, headers=JSON).status_code == 409


def test_a_repeat_racing_its_first_request_answers_the_change(
    client, services, transport, monkeypatch
):
    """The repeat read the ticket before the first request committed: its own commit loses
    on the revision, and the key says whose change won."""
    _, token = _acknowledge_link(client, services, transport)
    before = services.actions.inspect(token)
    services.actions.perform(token, {}, "click-1")
    monkeypatch.setattr(services.actions, "inspect", lambda _token: before)
    done = services.actions.perform(token, {}, "click-1")
    assert done.ticket.status == "acknowledged"
    assert done.next_tokens


def test_the_page_form_carries_a_key_and_a_double_submit_is_one_change(client, services, transport):
    number, token = _acknowledge_link(client, services, transport)
    page = client.get(f"/actions/{token}").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    first = client.post(f"/actions/{token}", data={"idempotency_key": key})
    second = client.post(f"/actions/{token}", data={"idempotency_key": key})
    assert (first.status_code, second.status_code) == (200, 200)
    assert [e.action for e in services.tickets.history(number)].count("acknowledge") == 1


def test_a_bad_key_is_a_400_and_changes_nothing(client, services, transport):
    number, token = _acknowledge_link(client, services, transport)
    for bad in ("a\x01b", "k" * 201):
        answer = client.post(f"/actions/{token}", json={}, headers={**JSON, "Idempotency-Key": bad})
        assert answer.status_code == 400
    answer = client.post(f"/actions/{token}", json={"idempotency_key": 7}, headers=JSON)
    assert answer.status_code == 400
    assert services.tickets.get(number).status == "new"
