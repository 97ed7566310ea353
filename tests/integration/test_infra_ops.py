"""The ops views of infra/ops.yaml and infra/edge.yaml, checked against what the code does.

The metric filters and the saved Logs Insights queries are run (by the small evaluators
below, for the subset of their syntax these use) against log lines the code really writes
in a session: a ticket filed, an email SES refuses, a request that fails, a sweep.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from cfnlint.decode import decode
from tools import zappa_config

from tests.support import VALID_TICKET
from tiket.adapters.observability import LOGGER_NAME, METRICS_LOGGER, JsonFormatter
from tiket.domain.vocabulary import Role

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> dict:
    template, problems = decode(str(ROOT / "infra" / name))
    assert not problems
    return json.loads(json.dumps(template))


@pytest.fixture(scope="module")
def ops() -> dict:
    return load("ops.yaml")


def resources(template: dict, kind: str) -> dict[str, dict]:
    return {k: v["Properties"] for k, v in template["Resources"].items() if v["Type"] == kind}


# ------------------------------------------------------------------------------------------
# Real log lines
# ------------------------------------------------------------------------------------------


@pytest.fixture
def log_lines(client, services, transport, monkeypatch) -> list[dict]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(LOGGER_NAME), logging.getLogger(METRICS_LOGGER)]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        emails = 1 + len(services.staff.with_role(Role.TIK))  # confirmation + ICT staff
        for subject, fault in (("Pertama", None), ("Kedua", "reject"), ("Ketiga", "throttle")):
            if fault:  # SES refuses every email of the second, throttles those of the third
                getattr(transport, fault)(times=emails)
            filed = client.post("/api/tickets", json={**VALID_TICKET, "subject": subject})
            assert filed.status_code == 201

        def broken(*args, **kwargs):
            raise RuntimeError("injected")

        monkeypatch.setattr(services.tracking, "view", broken)
        assert client.get("/api/track/abcdefghijklmnopqrstuvwxyz012345").status_code == 500
        services.sweep.run()
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    lines = []
    for line in stream.getvalue().splitlines():
        document = json.loads(line)
        # EMF records are logged as their JSON document inside "message".
        lines.append(
            json.loads(document["message"]) if document["logger"] == METRICS_LOGGER else document
        )
    return lines


# ------------------------------------------------------------------------------------------
# Metric filters ({ $.a = "x" && $.b = "y" })
# ------------------------------------------------------------------------------------------


def metric_filter_matches(pattern: str, line: dict) -> bool:
    terms = re.fullmatch(r"\{(.*)\}", pattern.strip()).group(1).split("&&")
    for term in terms:
        field, value = re.fullmatch(r'\s*\$\.(\w+)\s*=\s*"([^"]*)"\s*', term).groups()
        if str(line.get(field)) != value:
            return False
    return True


def test_sweep_metric_filters_match_the_sweep_line(ops, log_lines):
    filters = resources(ops, "AWS::Logs::MetricFilter")
    assert set(filters) == {"SweepRunsMetric", "SweepDurationMetric"}
    for props in filters.values():
        matched = [
            line for line in log_lines if metric_filter_matches(props["FilterPattern"], line)
        ]
        assert len(matched) == 1 and matched[0]["message"] == "sweep"
        (transform,) = props["MetricTransformations"]
        value = transform["MetricValue"]
        if value.startswith("$."):
            assert isinstance(matched[0][value[2:]], int)
    durations = filters["SweepDurationMetric"]["MetricTransformations"][0]
    assert durations["MetricValue"] == "$.duration_ms" and durations["Unit"] == "Milliseconds"


# ------------------------------------------------------------------------------------------
# Saved queries (fields / filter / stats / sort / limit)
# ------------------------------------------------------------------------------------------


def _term(term: str, line: dict) -> bool:
    term = term.strip()
    if match := re.fullmatch(r"ispresent\((\w+)\)", term):
        return match.group(1) in line
    if match := re.fullmatch(r"@message like /(.+)/", term):
        return re.search(match.group(1), json.dumps(line)) is not None
    if match := re.fullmatch(r"(\w+) in \[(.+)\]", term):
        return line.get(match.group(1)) in json.loads(f"[{match.group(2)}]")
    match = re.fullmatch(r'(@?\w+) (=|>=|>|<=|<) ("[^"]*"|[\d.]+)', term)
    assert match, f"unsupported filter term {term!r}"
    field, operator, literal = match.groups()
    if field not in line:
        return False
    wanted = json.loads(literal)
    value = line[field]
    if isinstance(wanted, str):
        return operator == "=" and str(value) == wanted
    number = float(value)
    return {"=": number == wanted, ">=": number >= wanted, ">": number > wanted,
            "<=": number <= wanted, "<": number < wanted}[operator]  # fmt: skip


def query_filter(query: str) -> str:
    (line,) = [p.strip() for p in query.split("\n| ") if p.strip().startswith("filter ")] or [
        p for p in query.splitlines() if p.startswith("filter ")
    ]
    return line.strip().removeprefix("filter ")


def query_matches(query: str, line: dict) -> bool:
    condition = query_filter(query)
    return any(
        all(_term(term, line) for term in alternative.split(" and "))
        for alternative in condition.split(" or ")
    )


def query_fields(query: str) -> Iterator[str]:
    for part in query.replace("\n", " ").split("|"):
        part = part.strip()
        if part.startswith("fields "):
            yield from (f.strip() for f in part.removeprefix("fields ").split(","))
        if part.startswith("stats "):
            yield from re.findall(r"\((\w+)", part)
            yield from re.findall(r"\bby (\w+)", part)


# Which real lines each saved query must find. The Lambda platform's REPORT lines and the
# API Gateway access log are not written by TIKet's code: checked by their field names.
EXPECTED = {
    "ErrorsQuery": lambda line: line.get("level") == "ERROR" or line.get("status", 0) >= 500,
    "SlowRequestsQuery": None,  # nothing in a test session takes a second
    "LatencyQuery": lambda line: line.get("message") == "request",
    "TicketTrailQuery": None,  # a fixed example number, edited before use
    "EmailFailuresQuery": lambda line: str(line.get("message", "")).startswith("email "),
    "SweepRunsQuery": lambda line: line.get("message") == "sweep",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_saved_queries_find_the_lines_the_code_writes(ops, log_lines, name):
    query = resources(ops, "AWS::Logs::QueryDefinition")[name]["QueryString"]
    matched = [line for line in log_lines if query_matches(query, line)]
    expected = EXPECTED[name]
    if expected is not None:
        assert matched, f"{name} finds nothing"
        assert matched == [line for line in log_lines if expected(line)]
    for field in query_fields(query):
        if field.startswith("@"):
            continue
        assert any(field in line for line in matched or log_lines), f"{name}: no line has {field}"


def test_saved_queries_cover_the_runbook(ops):
    queries = resources(ops, "AWS::Logs::QueryDefinition")
    assert set(EXPECTED) | {"InvocationsQuery", "ApiAccess5xxQuery"} == set(queries)
    access = queries["ApiAccess5xxQuery"]["QueryString"]
    from tools.deploy.function import ACCESS_LOG_FORMAT

    logged = set(json.loads(ACCESS_LOG_FORMAT))
    assert set(query_fields(access)) - {"@timestamp"} <= logged
    assert "path" not in logged and "$context.path" not in ACCESS_LOG_FORMAT


# ------------------------------------------------------------------------------------------
# Alarms, backup
# ------------------------------------------------------------------------------------------


def test_alarms_cover_the_sweep_the_api_and_mail(ops):
    alarms = resources(ops, "AWS::CloudWatch::Alarm")
    missing = alarms["SweepMissingAlarm"]
    assert missing["TreatMissingData"] == "breaching"
    assert missing["Period"] * missing["EvaluationPeriods"] == 300
    assert missing["MetricName"] == "SweepRuns"
    schedule = alarms["ScheduleFailedAlarm"]
    (rule,) = schedule["Dimensions"]
    (event,) = zappa_config.common()["events"]
    # Zappa names the rule <project>-<stage>-<function>.
    assert rule["Value"]["Fn::Sub"] == "tiket-${Stage}-" + event["function"]
    assert {a["MetricName"] for a in alarms.values()} >= {
        "5XXError", "Latency", "EmailsFailed", "Errors", "FailedInvocations", "Throttles",
    }  # fmt: skip
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    edge = resources(load("edge.yaml"), "AWS::CloudWatch::Alarm")
    assert edge["Cloudfront5xxAlarm"]["MetricName"] == "5xxErrorRate"


def test_backup_plan_goes_beyond_pitr(ops):
    plan = resources(ops, "AWS::Backup::BackupPlan")["BackupPlan"]["BackupPlan"]
    rules = {r["RuleName"]: r for r in plan["BackupPlanRule"]}
    assert rules["daily"]["Lifecycle"]["DeleteAfterDays"] == 35
    assert rules["monthly"]["Lifecycle"]["DeleteAfterDays"] == {"Ref": "BackupRetentionDays"}
    assert ops["Parameters"]["BackupRetentionDays"]["MinValue"] > 35
    selection = resources(ops, "AWS::Backup::BackupSelection")["BackupSelection"]
    assert selection["BackupSelection"]["Resources"] == [{"Ref": "TableArn"}]
    assert ops["Resources"]["BackupVault"]["DeletionPolicy"] == "Retain"


def test_dashboard_body_is_json_for_every_condition(ops):
    body, variables = ops["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    for choice in (1, 2):  # with and without the API
        values = {k: v["Fn::If"][choice] for k, v in variables.items()}
        text = body
        for key, value in values.items():
            text = text.replace(
                "${" + key + "}", value["Fn::Sub"] if isinstance(value, dict) else value
            )
        text = re.sub(r"\$\{[A-Za-z:]+\}", "x", text)
        widgets = json.loads(text)["widgets"]
        titles = {w["properties"]["title"] for w in widgets}
        assert {"Tickets and SOP breaches", "Emails sent and failed", "Errors"} <= titles


def test_access_logs_role_is_api_gateways(ops):
    account = resources(ops, "AWS::ApiGateway::Account")["ApiGatewayAccount"]
    assert account["CloudWatchRoleArn"] == {"Fn::GetAtt": ["ApiGatewayLogsRole", "Arn"]}
    role = resources(ops, "AWS::IAM::Role")["ApiGatewayLogsRole"]
    (statement,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}
    (policy,) = role["ManagedPolicyArns"]
    assert policy["Fn::Sub"].endswith("AmazonAPIGatewayPushToCloudWatchLogs")
    group = resources(ops, "AWS::Logs::LogGroup")["ApiAccessLogGroup"]
    assert group["LogGroupName"]["Fn::Sub"] == "/aws/apigateway/tiket-${Stage}-access"
