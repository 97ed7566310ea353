"""The OpenAPI document (``GET /api/openapi.json``) against the app it describes.

schemathesis reads the document (the one the app serves: checked first) and drives the app
in-process (WSGI) over moto: every operation, unauthenticated and as a signed-in supervisor, with generated
input (no 5xx, and every answer conforms to the document: status, content type, headers,
body), then stateful sequences that follow the document's links from a filed ticket to its
tracking page and survey."""

from __future__ import annotations

import copy
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import CHECKS as CHECKS_REGISTRY

from tests.support import VALID_TICKET, empty_table, settings_for_tests, sign_in
from tiket.web.openapi import build_document

# Every check schemathesis has (the independent fuzz of issue 16 ran with `--checks all`).
CHECKS = CHECKS_REGISTRY.get_all()
BOUNDED = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
SIGNED_IN = {"security": [{"session": []}]}


@pytest.fixture
def served(app, services, transport):
    """The app with a few tickets in it, and the session cookie of a signed-in supervisor."""
    for subject in ("Printer macet", "Jaringan putus"):
        services.intake.file({**VALID_TICKET, "subject": subject})
    client = app.test_client()
    sign_in(client, transport, "supervisor@example.go.id")
    return {"tiket_session": client.get_cookie("tiket_session").value}


# Loaded at import so that pytest lists one test per operation; the first test checks that
# it is the very document the app serves.
DOCUMENT = build_document(settings_for_tests())
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_app_serves_a_valid_openapi_3_1_document(client):
    document = client.get("/api/openapi.json").get_json()
    assert document == DOCUMENT
    validate(document)
    assert document["openapi"] == "3.1.0"
    ticket_form = document["components"]["schemas"]["TicketForm"]
    assert set(ticket_form["required"]) == {
        "name",
        "email",
        "unit",
        "location",
        "category",
        "subject",
        "description",
    }
    assert ticket_form["properties"]["category"]["enum"][0] == "hardware"


def _rule_paths(app) -> set[tuple[str, str]]:
    """Every (path, method) the app routes, in OpenAPI's path template syntax."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((path, method.lower()))
    return found


def test_every_route_is_documented_and_nothing_else(app, client):
    document = client.get("/api/openapi.json").get_json()
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    # The reports file route names its parameter "fmt"; the document calls it "format".
    routed = {(p.replace("{fmt}", "{format}"), m) for p, m in _rule_paths(app)}
    assert documented == routed


@schema.parametrize()
@BOUNDED
def test_every_operation_answers_as_documented(case, app, served):
    case.call_and_validate(app=app, checks=CHECKS)
    if case.operation.definition.raw.get("security") == SIGNED_IN["security"]:
        case.call_and_validate(app=app, cookies=served, checks=CHECKS)


def without_files(document: dict) -> schemathesis.schemas.BaseSchema:
    """The document with tickets filed without files: an attachment id must name an upload
    the client made (``POST /api/uploads`` then S3), which a generated sequence cannot do."""
    changed = copy.deepcopy(document)
    changed["components"]["schemas"]["TicketForm"]["properties"]["attachments"]["maxItems"] = 0
    return schemathesis.openapi.from_dict(changed)


def test_stateful_links_from_a_filed_ticket(app, services):
    answered: set[tuple[str, int]] = set()

    class Workflow(without_files(DOCUMENT).as_state_machine()):
        def setup(self):
            # Each scenario on an empty table: the same steps get the same answers, as
            # Hypothesis needs to replay and shrink them.
            empty_table(services)

        def get_call_kwargs(self, case):
            return {"app": app}

        def after_call(self, response, case):
            answered.add((case.operation.label, response.status_code))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Workflow.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=5,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            # One fixed sequence of scenarios: with 45 operations a random draw does not
            # always pass through a filed ticket's links.
            derandomize=True,
        )
    )
    # The links were followed: a fresh ticket's token opens its tracking page and reaches
    # its survey (refused, as the ticket is not resolved, or for the generated answers).
    assert ("GET /api/track/{token}", 200) in answered
    assert {code for op, code in answered if op == "POST /api/track/{token}/survey"} & {400, 409}
