"""Structured logs and metrics (PRODUCT.md §9, issue 6): one JSON line per request and per
sweep, CloudWatch EMF documents for the counters the alarms watch, and nothing in any line
that a reader of the logs must not have: no token, no email address, no ticket text.

The lines are taken from the handlers ``configure_logging`` installs, i.e. exactly what
Lambda would send to CloudWatch from stdout."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from tests.support import SIGNING_KEY, VALID_TICKET, action_tokens, token_for, track_token
from tiket.adapters.observability import LOGGER_NAME, METRICS_LOGGER, configure_logging
from tiket.services.ports import PermanentMailError

NAME = "Wibisana Kertajaya"
EMAIL = "wibisana.kertajaya@example.go.id"
SUBJECT = "Layar monitor berkedip ungu-XQ7"
DESCRIPTION = "Monitor di meja resepsionis berkedip ungu-XQ7 sejak pagi."
SECRET_TEXT = (NAME, EMAIL, SUBJECT, DESCRIPTION, "ungu-XQ7", VALID_TICKET["location"])
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


class Captured(io.StringIO):
    @property
    def lines(self) -> list[str]:
        return self.getvalue().splitlines()


@pytest.fixture
def log(app):
    """Everything the tiket loggers write to stdout while the test runs (the handlers
    ``configure_logging`` installs; pytest may attach capture handlers beside them)."""
    configure_logging()
    captured = Captured()
    handlers = [
        handler
        for name in (LOGGER_NAME, METRICS_LOGGER)
        for handler in logging.getLogger(name).handlers
        if type(handler) is logging.StreamHandler
    ]
    previous = [handler.setStream(captured) for handler in handlers]
    yield captured
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def parsed(lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in lines]


def emf(documents: list[dict]) -> dict[str, list[dict]]:
    """EMF documents by metric name."""
    found: dict[str, list[dict]] = {}
    for doc in documents:
        if "_aws" in doc:
            for directive in doc["_aws"]["CloudWatchMetrics"]:
                for metric in directive["Metrics"]:
                    found.setdefault(metric["Name"], []).append(doc)
    return found


@pytest.fixture
def journey(client, services, transport, clock, log):
    """A requester files a ticket (one email bounces), staff open and use their link, the
    requester tracks it; a second ticket is left alone until the sweep finds it overdue."""
    transport.fail_next.append(PermanentMailError("MessageRejected"))
    filed = client.post(
        "/api/tickets",
        json={
            **VALID_TICKET,
            "name": NAME,
            "email": EMAIL,
            "subject": SUBJECT,
            "description": DESCRIPTION,
        },
    )
    assert filed.status_code == 201
    number = filed.get_json()["number"]
    track = filed.get_json()["track_token"]

    staff_mail = next(mail for mail in transport.sent if mail.kind == "new_ticket")
    ack = token_for(services, staff_mail, "acknowledge")
    assert client.get(f"/actions/{ack}").status_code == 200
    done = client.post(f"/actions/{ack}", json={}, headers={"Accept": "application/json"})
    assert done.status_code == 200
    assert client.get(f"/api/track/{track}").status_code == 200

    other = client.post("/api/tickets", json=VALID_TICKET).get_json()["number"]
    clock.advance(minutes=7)  # past the second ticket's 5-minute standard
    report = services.sweep.run()
    assert report.breaches == 1

    tokens = {track, *(t for mail in transport.sent for t in action_tokens(mail))}
    tokens |= {track_token(m) for m in transport.sent if m.kind == "confirmation"}
    return {"number": number, "other": other, "tokens": tokens}


def test_one_json_line_per_request(journey, log):
    requests = [doc for doc in parsed(log.lines) if doc.get("message") == "request"]
    number = journey["number"]
    assert [(r["method"], r["route"], r["status"], r["ticket"], r["action"]) for r in requests] == [
        ("POST", "/api/tickets", 201, number, None),
        ("GET", "/actions/<token>", 200, number, "acknowledge"),
        ("POST", "/actions/<token>", 200, number, "acknowledge"),
        ("GET", "/api/track/<token>", 200, number, None),
        ("POST", "/api/tickets", 201, journey["other"], None),
    ]
    for line in requests:
        assert line["level"] == "INFO"
        assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
        assert isinstance(line["latency_ms"], int | float) and line["latency_ms"] >= 0
    assert len({r["request_id"] for r in requests}) == len(requests)


def test_one_json_line_per_sweep(journey, log):
    (sweep,) = [doc for doc in parsed(log.lines) if doc.get("message") == "sweep"]
    assert sweep["action"] == "sweep"
    assert sweep["breaches"] == 1
    assert sweep["due_tickets"] >= 1
    assert {"emails_sent", "emails_failed", "duration_ms", "at"} <= set(sweep)


def test_every_line_is_json(journey, log):
    assert log.lines
    for line in log.lines:
        assert isinstance(json.loads(line), dict), line


def test_metrics_are_emf_documents_in_the_tiket_namespace(journey, log):
    metrics = emf(parsed(log.lines))
    assert {"TicketsCreated", "Actions", "Breaches", "EmailsSent", "EmailsFailed"} <= set(metrics)
    assert len(metrics["TicketsCreated"]) == 2
    assert [doc["action"] for doc in metrics["Actions"]] == ["acknowledge"]
    assert len(metrics["EmailsFailed"]) == 1
    for name, documents in metrics.items():
        for doc in documents:
            (directive,) = doc["_aws"]["CloudWatchMetrics"]
            assert directive["Namespace"] == "TIKet"
            assert directive["Dimensions"] == [["Stage"]]
            assert doc["Stage"] == "test"
            assert doc[name] == 1
            assert isinstance(doc["_aws"]["Timestamp"], int)


def test_no_token_email_address_or_ticket_text_in_any_line(journey, log):
    text = log.getvalue()
    assert len(journey["tokens"]) >= 5
    for token in journey["tokens"]:
        assert token not in text
    for secret in (*SECRET_TEXT, SIGNING_KEY):
        assert secret not in text
    assert EMAIL_ADDRESS.findall(text) == []


def test_a_rejected_email_does_not_log_the_recipient(client, transport, log):
    transport.fail_next.append(
        PermanentMailError(
            "MessageRejected: Email address is not verified. The following identities failed "
            f"the check in region AP-SOUTHEAST-3: {EMAIL}"
        )
    )
    assert client.post("/api/tickets", json={**VALID_TICKET, "email": EMAIL}).status_code == 201
    assert EMAIL not in log.getvalue()


def test_lines_carry_no_secret_after_a_failure_either(client, services, transport, clock, log):
    """An expired link and an unknown token: the error paths log the same way."""
    client.post("/api/tickets", json={**VALID_TICKET, "email": EMAIL, "subject": SUBJECT})
    ack = token_for(services, transport.to("tik1@example.go.id")[0], "acknowledge")
    clock.advance(hours=services.settings.action_link_hours + 1)
    assert client.post(f"/actions/{ack}", json={}).status_code == 410
    assert client.get("/api/track/not-a-real-token-XQ7").status_code == 404
    text = log.getvalue()
    assert ack not in text and "not-a-real-token-XQ7" not in text
    assert EMAIL not in text and SUBJECT not in text
