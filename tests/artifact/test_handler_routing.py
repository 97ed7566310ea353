"""tiket.handler routes each Lambda event without importing what it does not need (the
package runs it end to end in test_package.py; here the routing, in-process)."""

from __future__ import annotations

import sys

import pytest

from tests.artifact.runtime import http_event, scheduled_event
from tiket import handler

RULE = "arn:aws:events:ap-southeast-3:123456789012:rule/tiket-prod-tiket.jobs.sweep"
SES_EVENT = {
    "Records": [
        {
            "eventSource": "aws:ses",
            "eventVersion": "1.0",
            "ses": {
                "mail": {"messageId": "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1"},
                "receipt": {},
            },
        }
    ]
}


@pytest.fixture
def called(monkeypatch):
    calls: list[tuple[str, dict]] = []

    def fake(path: str):
        return lambda event, context: calls.append((path, event)) or {"ran": path}

    monkeypatch.setattr(handler, "_function", fake)
    return calls


def test_http_events_are_recognised():
    assert handler.is_http(http_event("GET", "/api/health"))
    assert handler.is_http({"version": "2.0", "requestContext": {"http": {"method": "GET"}}})
    assert not handler.is_http(scheduled_event(RULE))
    assert not handler.is_http(SES_EVENT)


def test_scheduled_events_run_the_function_their_rule_names(called):
    assert handler.lambda_handler(scheduled_event(RULE), None) == {"ran": "tiket.jobs.sweep"}
    assert called[0][0] == "tiket.jobs.sweep"


def test_only_tiket_functions_are_run_from_a_rule_name():
    other = scheduled_event("arn:aws:events:ap-southeast-3:123456789012:rule/tiket-prod-os.system")
    assert handler.scheduled_function(other) is None


def test_ses_receipt_events_go_to_the_inbound_mail_job(called):
    handler.lambda_handler(SES_EVENT, None)
    assert called == [(handler.INBOUND_MAIL, SES_EVENT)]


def test_a_scheduled_event_does_not_load_the_web_app(called, monkeypatch):
    monkeypatch.delitem(sys.modules, "tiket.wsgi", raising=False)
    monkeypatch.delitem(sys.modules, "apig_wsgi", raising=False)
    handler.lambda_handler(scheduled_event(RULE), None)
    assert "tiket.wsgi" not in sys.modules and "apig_wsgi" not in sys.modules
