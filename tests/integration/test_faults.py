"""What the requester and staff see when AWS misbehaves (issue 7): faults are injected under
botocore's retry handler (the ``faults`` fixture), so botocore parses and retries them as
real answers, and the table is read back afterwards: a throttled write is retried a bounded
number of times, then answered 503 with Retry-After, and nothing of it is left behind.

Two sweeps at once recording one breach: tests/integration/test_sweep.py."""

from __future__ import annotations

import threading
from email.utils import parseaddr

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from tests.support import (
    VALID_TICKET,
    file_ticket,
    latest,
    make_services,
    resolve,
    table_items,
    token_for,
    track_token,
)
from tiket.adapters.mail.transports import build_transport
from tiket.web.app import create_app

JSON = {"Accept": "application/json"}
TIK = "tik1@example.go.id"
REQUESTER = VALID_TICKET["email"]
THROTTLES = ("ProvisionedThroughputExceededException", "ThrottlingException")
# PynamoDB's botocore client: standard retry mode, one attempt and three retries.
DYNAMODB_ATTEMPTS = 4
ANSWERS = {f"u{i}": 3 for i in range(1, 10)}


def on_counter(params: dict) -> bool:
    return params.get("Key", {}).get("pk", {}).get("S", "").startswith("COUNTER#")


def assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) >= 1
    if response.mimetype == "application/json":
        body = response.get_json()
        assert body["error"] == "unavailable"
        assert body["message"].startswith("Layanan sedang sibuk")
    else:
        assert "Layanan sedang sibuk" in response.get_data(as_text=True)


def without_counter(items: dict) -> dict:
    return {key: item for key, item in items.items() if not key[0].startswith("COUNTER#")}


@pytest.fixture
def filed(client, transport) -> str:
    return file_ticket(client).get_json()["number"]


@pytest.mark.parametrize("code", THROTTLES)
def test_throttled_ticket_transaction_is_503_and_leaves_nothing(
    client, services, transport, faults, code
):
    before = table_items(services)
    fault = faults.throttle("TransactWriteItems", code)
    headers = {"Idempotency-Key": "retry-me"}
    response = client.post("/api/tickets", json=VALID_TICKET, headers=headers)
    assert_unavailable(response)
    assert fault.attempts == DYNAMODB_ATTEMPTS
    # Only the counter moved (a number is skipped); no ticket, history, tracking link,
    # idempotency record or outbox email.
    assert without_counter(table_items(services)) == without_counter(before)
    assert transport.sent == []

    faults.clear()
    again = client.post("/api/tickets", json=VALID_TICKET, headers=headers)
    assert again.status_code == 201
    assert len(services.tickets.open_tickets()) == 1
    assert len(transport.sent) == 3


@pytest.mark.parametrize("code", THROTTLES)
def test_throttled_counter_is_503_and_changes_nothing(client, services, transport, faults, code):
    before = table_items(services)
    fault = faults.throttle("UpdateItem", code, when=on_counter)
    assert_unavailable(file_ticket(client))
    assert fault.attempts == DYNAMODB_ATTEMPTS
    assert table_items(services) == before
    assert transport.sent == []


@pytest.mark.parametrize("code", THROTTLES)
def test_throttled_action_commit_is_503_and_the_link_still_works(
    client, services, transport, faults, filed, code
):
    ack = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    before, sent = table_items(services), len(transport.sent)
    fault = faults.throttle("TransactWriteItems", code)
    assert_unavailable(client.post(f"/actions/{ack}", json={}, headers=JSON))
    assert_unavailable(client.post(f"/actions/{ack}", data={}))  # the HTML form
    assert fault.attempts == 2 * DYNAMODB_ATTEMPTS
    assert table_items(services) == before  # status, history, nonce, outbox: untouched
    assert len(transport.sent) == sent

    faults.clear()
    done = client.post(f"/actions/{ack}", json={}, headers=JSON)
    assert done.status_code == 200 and done.get_json()["ticket"]["status"] == "acknowledged"


@pytest.mark.parametrize("code", THROTTLES)
def test_throttled_survey_commit_is_503_and_can_be_sent_again(
    client, services, transport, faults, filed, code
):
    resolve(services, transport)
    token = track_token(latest(transport, REQUESTER, "resolved"))
    before = table_items(services)
    fault = faults.throttle("TransactWriteItems", code)
    response = client.post(f"/api/track/{token}/survey", json={"answers": ANSWERS})
    assert_unavailable(response)
    assert fault.attempts == DYNAMODB_ATTEMPTS
    assert table_items(services) == before

    faults.clear()
    assert client.post(f"/api/track/{token}/survey", json={"answers": ANSWERS}).status_code == 201
    assert services.tickets.get(filed).status == "closed"


@pytest.mark.parametrize("code", THROTTLES)
def test_throttled_breach_commit_fails_the_sweep_and_the_next_one_records_it_once(
    aws, clock, transport, faults, code
):
    local = make_services(clock=clock, transport=transport, dev_routes=True)
    client = create_app(services=local).test_client()
    number = file_ticket(client).get_json()["number"]
    clock.advance(minutes=6)  # past the 5-minute acknowledge standard
    before, sent = table_items(local), len(transport.sent)
    fault = faults.throttle("TransactWriteItems", code)
    assert_unavailable(client.post("/_dev/sweep"))
    assert fault.attempts == DYNAMODB_ATTEMPTS
    assert table_items(local) == before  # no breach record, history entry or escalation
    assert len(transport.sent) == sent

    faults.clear()
    assert client.post("/_dev/sweep").get_json()["breaches"] == 1
    assert client.post("/_dev/sweep").get_json()["breaches"] == 0
    assert [h.action for h in local.tickets.history(number)] == ["create", "dispatch", "breach"]
    assert sorted(m.to for m in transport.sent if m.kind == "breach") == [
        "supervisor@example.go.id",
        "tik1@example.go.id",
        "tik2@example.go.id",
    ]


def cancelled(*reasons: str) -> dict:
    return {"CancellationReasons": [{"Code": reason} for reason in reasons]}


def test_cancelled_ticket_transaction_is_409_never_500(client, services, transport, faults):
    # A conflicting transaction in flight on one of the items (not the idempotency key's
    # twin, whose ticket would be the answer): nothing written, send again.
    faults.add(
        "TransactWriteItems",
        "TransactionCanceledException",
        body=cancelled("None", "TransactionConflict", "None"),
    )
    response = file_ticket(client)
    assert response.status_code == 409
    assert response.get_json()["error"] == "conflict"
    assert "kirim ulang" in response.get_json()["message"]
    assert services.tickets.open_tickets() == [] and transport.sent == []


def test_cancelled_action_and_survey_commits_are_409(client, services, transport, faults, filed):
    ack = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    fault = faults.add(
        "TransactWriteItems",
        "TransactionCanceledException",
        body=cancelled("ConditionalCheckFailed", "None", "None"),
    )
    response = client.post(f"/actions/{ack}", json={}, headers=JSON)
    assert response.status_code == 409
    assert response.get_json()["current_status"] == "new"
    assert fault.attempts == 1  # not a transient error: botocore does not retry it
    page = client.post(f"/actions/{ack}", data={})
    assert page.status_code == 409 and page.mimetype == "text/html"

    faults.clear()
    resolve(services, transport)
    token = track_token(latest(transport, REQUESTER, "resolved"))
    faults.add(
        "TransactWriteItems",
        "TransactionCanceledException",
        body=cancelled("ConditionalCheckFailed", "None"),
    )
    survey = client.post(f"/api/track/{token}/survey", json={"answers": ANSWERS})
    assert survey.status_code == 409 and survey.get_json()["current_status"] == "resolved"


def test_transaction_cancelled_for_capacity_is_503(client, services, transport, faults, filed):
    ack = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    faults.add(
        "TransactWriteItems",
        "TransactionCanceledException",
        body=cancelled("None", "ThrottlingError", "None"),
    )
    assert_unavailable(client.post(f"/actions/{ack}", json={}, headers=JSON))
    assert_unavailable(file_ticket(client, subject="Kedua"))
    assert [t.number for t in services.tickets.open_tickets()] == [filed]


@pytest.fixture
def ses(aws, clock):
    """Services mailing through the real SES transport (SES v2 on moto), and moto's record
    of what SES accepted."""
    boto3.client("sesv2", region_name="ap-southeast-3").create_email_identity(
        EmailIdentity="example.go.id"
    )
    local = make_services(clock=clock, transport=None)
    local.transport = build_transport(local.settings)  # settings' mail_transport: ses
    return local, ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"]


def delivered(backend) -> list[str]:
    """The addresses SES accepted messages for, one entry per message (moto lists the
    Destination and the To header of a raw message)."""
    return sorted(
        address
        for message in backend.sent_messages
        for address in {parseaddr(to)[1] for to in message.destinations}
    )


def test_ses_throttling_saves_the_ticket_and_the_sweep_sends_each_email_once(ses, clock, faults):
    services, backend = ses
    fault = faults.throttle("SendEmail", "TooManyRequestsException", status=429)
    client = create_app(services=services).test_client()
    number = file_ticket(client).get_json()["number"]
    assert services.tickets.get(number).status == "new"
    assert fault.attempts == 3 * 3  # three emails, three attempts each (SES_CLIENT)
    assert delivered(backend) == []

    faults.clear()
    assert services.sweep.run().mail.sent == 0  # backing off
    clock.advance(minutes=1)
    assert services.sweep.run().mail.sent == 3
    clock.advance(minutes=3)  # still within the 5-minute standard: no breach email
    assert services.sweep.run().mail.sent == 0
    assert delivered(backend) == sorted([REQUESTER, "tik1@example.go.id", "tik2@example.go.id"])
    assert services.tickets.get(number).notified_at is not None


def is_to(item: dict, address: str = REQUESTER) -> bool:
    return item.get("to", {}).get("S") == address


def test_ses_rejection_is_marked_failed_reported_and_never_retried(ses, clock, faults):
    services, backend = ses
    metrics: list[dict] = []
    services.metrics._emit = metrics.append  # type: ignore[attr-defined]
    fault = faults.add(
        "SendEmail",
        "MessageRejected",
        when=lambda params: params["Destination"]["ToAddresses"] == [REQUESTER],
    )
    services.intake.file(VALID_TICKET)
    assert fault.attempts == 1
    assert [m["kind"] for m in metrics if "EmailsFailed" in m] == ["confirmation"]
    (mail_id,) = [item["id"]["S"] for item in table_items(services).values() if is_to(item)]
    record = services.stores.outbox.get(mail_id)
    assert (record.status, record.attempts) == ("failed", 1)
    assert delivered(backend) == ["tik1@example.go.id", "tik2@example.go.id"]

    faults.clear()
    for minutes in (5, 60, 600):
        clock.advance(minutes=minutes)
        services.sweep.run()
    assert fault.attempts == 1
    assert REQUESTER not in delivered(backend)
    assert services.stores.outbox.get(mail_id).status == "failed"


def test_one_link_posted_twice_at_once_changes_the_ticket_once(app, services, transport, filed):
    ack = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    sent = len(transport.sent)
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def click() -> None:
        with app.test_client() as own:
            barrier.wait()
            codes.append(own.post(f"/actions/{ack}", json={}, headers=JSON).status_code)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 409]
    actions = [h.action for h in services.tickets.history(filed)]
    assert actions == ["create", "dispatch", "acknowledge"]
    assert sorted(m.kind for m in transport.sent[sent:]) == ["acknowledged", "next_steps"]


SECRET = "kesalahan-rahasia <script>alert(1)</script>"


def boom(*args, **kwargs):
    raise RuntimeError(SECRET)


def assert_generic_500(response, *, page: bool) -> None:
    request_id = response.headers["X-Request-Id"]
    text = response.get_data(as_text=True)
    assert response.status_code == 500 and len(request_id) >= 16
    assert SECRET not in text and "Traceback" not in text and "RuntimeError" not in text
    if page:
        assert response.mimetype == "text/html"
        assert "Terjadi kesalahan pada sistem" in text and request_id in text
    else:
        body = response.get_json()
        assert body["error"] == "internal"
        assert body["message"].startswith("Terjadi kesalahan pada sistem. Kode permintaan: ")
        assert request_id in body["message"]


def test_unexpected_errors_are_a_generic_500_with_the_request_id(
    client, services, transport, monkeypatch, filed
):
    ack = token_for(services, latest(transport, TIK, "new_ticket"), "acknowledge")
    monkeypatch.setattr(services.intake, "file", boom)
    monkeypatch.setattr(services.actions, "inspect", boom)
    monkeypatch.setattr(services.actions, "perform", boom)
    assert_generic_500(file_ticket(client), page=False)
    assert_generic_500(client.get(f"/actions/{ack}"), page=True)
    assert_generic_500(client.post(f"/actions/{ack}", data={}), page=True)
    assert_generic_500(client.post(f"/actions/{ack}", json={}, headers=JSON), page=False)
