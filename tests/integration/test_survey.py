"""The SKM survey on the tracking link (PRODUCT.md §5, §7): one response per ticket, only
once resolved; every bad input a clear 400 that changes nothing."""

from __future__ import annotations

import pytest

from tests.support import VALID_TICKET, latest, resolve, track_token

ANSWERS = {f"u{i}": 4 for i in range(1, 10)}


@pytest.fixture
def resolved(client, services, transport):
    """A ticket taken through path A to resolved; returns its tracking token."""
    client.post("/api/tickets", json=VALID_TICKET)
    resolve(services, transport)
    return track_token(latest(transport, VALID_TICKET["email"], "resolved"))


def survey(client, token, **body):
    return client.post(f"/api/track/{token}/survey", json={"answers": ANSWERS, **body})


def test_survey_closes_the_ticket_and_only_once(client, services, resolved):
    response = survey(client, resolved, suggestion="Cepat dan ramah, terima kasih.")
    assert response.status_code == 201
    assert response.get_json()["status"] == "closed"
    view = client.get(f"/api/track/{resolved}").get_json()
    assert view["status"] == "closed" and view["survey"] == {
        "open": False,
        "submitted": True,
        "closes_at": None,
    }
    ticket = services.tickets.get(view["number"])
    assert ticket.survey.answers == ANSWERS
    assert ticket.survey.suggestion == "Cepat dan ramah, terima kasih."
    assert services.tickets.history(view["number"])[-1].action == "survey"

    again = survey(client, resolved)
    assert again.status_code == 409
    assert again.get_json()["message"] == "Survei untuk tiket ini sudah diisi. Terima kasih."


def test_survey_before_resolution_is_409(client, transport):
    client.post("/api/tickets", json=VALID_TICKET)
    token = track_token(latest(transport, VALID_TICKET["email"], "confirmation"))
    response = survey(client, token)
    assert response.status_code == 409
    assert "setelah permohonan selesai" in response.get_json()["message"]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({**ANSWERS, "u3": 5}, "answers.u3"),
        ({**ANSWERS, "u3": 0}, "answers.u3"),
        ({**ANSWERS, "u1": "4"}, "answers.u1"),
        ({**ANSWERS, "u2": 3.5}, "answers.u2"),
        ({**ANSWERS, "u9": True}, "answers.u9"),
        ({**ANSWERS, "u4": None}, "answers.u4"),
        ({k: v for k, v in ANSWERS.items() if k != "u7"}, "answers.u7"),
        ({**ANSWERS, "u10": 4}, "answers.u10"),
        ([4] * 9, "answers"),
    ],
)
def test_bad_answers_are_400_and_change_nothing(client, services, resolved, answers, field):
    response = client.post(f"/api/track/{resolved}/survey", json={"answers": answers})
    assert response.status_code == 400
    assert field in response.get_json()["fields"]
    assert client.get(f"/api/track/{resolved}").get_json()["status"] == "resolved"


def test_suggestion_limit(client, resolved):
    assert survey(client, resolved, suggestion="s" * 1001).status_code == 400
    assert survey(client, resolved, suggestion="s" * 1000).status_code == 201


def test_missing_answers_and_non_json(client, resolved):
    assert client.post(f"/api/track/{resolved}/survey", json={}).status_code == 400
    response = client.post(f"/api/track/{resolved}/survey", data="u1=4", content_type="text/plain")
    assert response.status_code == 415


def test_survey_with_unknown_token_is_404(client):
    assert survey(client, "no-such-token").status_code == 404
