"""The execution role against the calls the code makes (``tests/role_calls.py``): how a
call maps to IAM actions, that the comparison catches both kinds of drift, and, on every
run, that a ticket's whole life only calls what the role grants. The whole suite's record is
compared at the end of a whole run (``make test``)."""

from __future__ import annotations

import pytest

from tests.integration.test_infra import MAIN, PRODUCTION_CONDITIONS, load
from tests.role_calls import UNREACHED, Recorder, compare, granted, needs
from tests.support import VALID_TICKET, file_ticket, latest, resolve, sign_in, track_token

TABLE = "${Table.Arn}"
FILES = "${FilesBucket.Arn}/"


@pytest.fixture(scope="module")
def grants() -> set[tuple[str, str]]:
    return granted(load(MAIN), PRODUCTION_CONDITIONS)


def test_a_transaction_needs_each_item_s_action():
    items = [
        {"Put": {"TableName": "t", "Item": {}}},
        {"Update": {"TableName": "t", "Key": {}}},
        {"Delete": {"TableName": "t", "Key": {}}},
        {"ConditionCheck": {"TableName": "t", "Key": {}}},
    ]
    assert needs("dynamodb", "TransactWriteItems", {"TransactItems": items}) == {
        ("dynamodb:PutItem", TABLE),
        ("dynamodb:UpdateItem", TABLE),
        ("dynamodb:DeleteItem", TABLE),
        ("dynamodb:ConditionCheckItem", TABLE),
    }
    assert needs("dynamodb", "Query", {"TableName": "t", "IndexName": "due"}) == {
        ("dynamodb:Query", TABLE + "/index/*")
    }
    assert needs("s3", "HeadObject", {"Bucket": "b", "Key": "uploads/x"}) == {
        ("s3:GetObject", FILES + "uploads/*")
    }
    delete = {"Bucket": "b", "Delete": {"Objects": [{"Key": "thumbs/a"}, {"Key": "uploads/b"}]}}
    assert needs("s3", "DeleteObjects", delete) == {
        ("s3:DeleteObject", FILES + "thumbs/*"),
        ("s3:DeleteObject", FILES + "uploads/*"),
    }


def test_the_comparison_catches_a_call_not_granted_and_a_grant_never_used(grants):
    everything = {grant for grant in grants if grant not in UNREACHED}
    assert compare(everything, grants) == ([], [])
    scan = ("dynamodb:Scan", TABLE)
    other_prefix = ("s3:GetObject", FILES + "private/*")
    missing, unused = compare({*everything, scan, other_prefix}, grants)
    assert missing == sorted([scan, other_prefix])
    assert unused == []
    dropped = sorted(everything)[0]
    assert compare(everything - {dropped}, grants) == ([], [dropped])


def test_the_role_grants_every_call_of_a_ticket_s_life(monkeypatch, client, services, transport):
    recorder = Recorder()
    recorder.install(monkeypatch)
    assert file_ticket(client).status_code == 201
    resolve(services, transport)
    token = track_token(latest(transport, VALID_TICKET["email"], "resolved"))
    assert client.get(f"/api/track/{token}").status_code == 200
    sign_in(client, transport, "supervisor@example.go.id")
    assert client.get("/api/reports/summary").status_code == 200
    grants = granted(load(MAIN), PRODUCTION_CONDITIONS)
    missing, _ = compare(recorder.seen, grants)
    assert recorder.seen and missing == []
    actions = {action for action, _ in recorder.seen}
    assert {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"} <= actions
    assert "dynamodb:UpdateItem" in actions  # (mail goes to a memory transport here)
