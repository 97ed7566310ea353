"""`make deploy` rehearsed against an AWS emulator (issue 13).

``tools.deploy`` runs whole against a moto server on loopback, as an operator would run it
against AWS, from a stage file: stacks, SecureStrings, Zappa, the site, the first
administrator. What moto cannot create (``EMULATED``: CloudFront, WAF, SES identities,
alarms, …) is left out of the templates there and checked instead by cfn-lint and the
template tests (tests/integration/test_infra*.py). The person's part is played here too:
SES identities are verified (DNS), which no deploy can do.

Then the deployed function is used through its handler: its code (the zip whose SHA-256
Lambda reports) runs with the environment Lambda holds for it, gets API Gateway events,
files a ticket and signs in the first administrator by the emailed link. A second deploy
changes nothing; an update, a paused sweep kept paused, a rollback and a destroy follow.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import boto3
import pytest
from moto.cloudformation.parsing import get_model_map
from moto.server import ThreadedMotoServer
from tools import package
from tools.deploy.__main__ import main as deploy_main

from tests.artifact import runtime
from tests.artifact.test_package import HOST_ARCH
from tests.support import VALID_TICKET

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("deploy")]

ROOT = Path(__file__).resolve().parents[2]
REGION = "ap-southeast-3"
STAGE = "rehearse"
ADMIN = "admin@example.go.id"
STAGE_FILE = {
    "stage": STAGE,
    "account": "123456789012",
    "region": REGION,
    "unit_name": "Unit Uji Coba",
    "sender": "TIKet <tiket@example.go.id>",
    "alarm_email": "ops@example.go.id",
    "first_admin": {"email": ADMIN, "name": "Admin Uji"},
    "site_domain": "tiket.example.go.id",
    "site_certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000",
    "architecture": HOST_ARCH,  # so the deployed zip can run on this machine
    "reply_domain": "balas.example.go.id",
    "inbound_region": "us-east-1",
}
# What moto's CloudFormation cannot create, and where each is checked instead.
EMULATED = {
    "AWS::ApiGateway::Account": "test_infra_ops.py::test_access_logs_role_is_api_gateways",
    "AWS::Backup::BackupPlan": "test_infra_ops.py::test_backup_plan",
    "AWS::Backup::BackupSelection": "test_infra_ops.py::test_backup_plan",
    "AWS::Backup::BackupVault": "test_infra_ops.py::test_backup_plan",
    "AWS::CloudFront::Distribution": "test_infra.py::test_distribution_*",
    "AWS::CloudFront::OriginAccessControl": "cfn-lint",
    "AWS::CloudFront::ResponseHeadersPolicy": "cfn-lint",
    "AWS::CloudWatch::Alarm": "test_infra_ops.py::test_alarms_*",
    "AWS::Logs::MetricFilter": "test_infra_ops.py::test_sweep_metric_filters_match_the_sweep_line",
    "AWS::Logs::QueryDefinition": "test_infra_ops.py::test_saved_queries_*",
    "AWS::S3::BucketPolicy": "test_infra_storage.py::test_buckets_*",
    "AWS::SES::ConfigurationSet": "cfn-lint; created below as the app needs it",
    "AWS::SES::ConfigurationSetEventDestination": "cfn-lint",
    "AWS::SES::EmailIdentity": "cfn-lint; verified below (a person's DNS step)",
    "AWS::SES::ReceiptRule": "test_infra_storage.py::test_inbound_*",
    "AWS::SES::ReceiptRuleSet": "test_infra_storage.py::test_inbound_*",
    "AWS::SNS::TopicPolicy": "cfn-lint",
    "AWS::WAFv2::LoggingConfiguration": "test_infra_storage.py::test_waf_logs_*",
    "AWS::WAFv2::WebACL": "test_infra.py::test_waf_*",
}
SIGNIN_LINK = re.compile(r"/staff/signin\.html#([A-Za-z0-9_.\-]+)")


def template_types() -> set[str]:
    from cfnlint.decode import decode

    types: set[str] = set()
    for path in (ROOT / "infra").glob("*.yaml"):
        template, _ = decode(str(path))
        types |= {r["Type"] for r in template["Resources"].values()}
    return types


def unsupported() -> list[str]:
    return sorted(template_types() - set(get_model_map()))


class Rehearsal:
    def __init__(self, endpoint: str, work: Path, calls: list[tuple[str, str]]):
        self.endpoint = endpoint
        self.work = work
        self.calls = calls
        self.stage_file = work / f"{STAGE}.json"
        self.stage_file.write_text(json.dumps(STAGE_FILE))
        self.recording = False

    def client(self, service: str, region: str = REGION):
        return boto3.client(service, region_name=region, endpoint_url=self.endpoint)

    def run(self, command: str, *extra: str) -> dict:
        report = self.work / "report.json"
        report.unlink(missing_ok=True)
        argv = [command, STAGE, "--stage-file", str(self.stage_file)]
        argv += ["--emulated-types", ",".join(unsupported()), "--report", str(report), *extra]
        self.recording = True
        try:
            assert deploy_main(argv) == 0
        finally:
            self.recording = False
        return json.loads(report.read_text()) if report.exists() else {}

    def function(self) -> dict:
        return self.client("lambda").get_function_configuration(FunctionName=f"tiket-{STAGE}")


@pytest.fixture(scope="module")
def zip_path() -> Path:
    return package.build(STAGE, HOST_ARCH)


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory, zip_path):
    from botocore.client import BaseClient

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    calls: list[tuple[str, str]] = []
    real = BaseClient._make_api_call
    rehearsal: Rehearsal | None = None

    def recording(self, operation, params):
        if rehearsal and rehearsal.recording:  # what tools.deploy calls, not the test
            calls.append((self.meta.service_model.service_name, operation))
        return real(self, operation, params)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL", f"http://{host}:{port}")
        patch.setattr(BaseClient, "_make_api_call", recording)
        rehearsal = Rehearsal(f"http://{host}:{port}", tmp_path_factory.mktemp("rehearsal"), calls)
        yield rehearsal
    server.stop()


@pytest.fixture(scope="module")
def first(rehearsal):
    return rehearsal.run("deploy")


@pytest.fixture(scope="module")
def second(rehearsal, first):
    return rehearsal.run("deploy")


def test_what_the_emulator_cannot_create_is_known_and_checked_elsewhere():
    assert unsupported() == sorted(EMULATED)


def changes(report: dict) -> dict[str, set[str]]:
    """Each step's changes (a step may run twice: the infra stack before and after the API)."""
    found: dict[str, set[str]] = {}
    for step in report["steps"]:
        found.setdefault(step["step"], set()).add(step["change"])
    return found


def test_first_deploy_creates_the_stage(rehearsal, first, zip_path):
    made = changes(first)
    for stack in ("edge", "infra", "inbound", "ops"):
        assert "created" in made[f"stack tiket-{STAGE}-{stack}"]
    assert "created" in made[f"function tiket-{STAGE}"]
    assert made["first administrator"] == {"created"}
    config = rehearsal.function()
    assert config["Runtime"] == "python3.13" and config["Handler"] == "tiket.handler.lambda_handler"
    assert config["MemorySize"] == 1024 and config["Timeout"] == 60
    assert (
        config["CodeSha256"]
        == base64.b64encode(hashlib.sha256(zip_path.read_bytes()).digest()).decode()
    )
    env = config["Environment"]["Variables"]
    assert env["TIKET_PUBLIC_URL"] == "https://tiket.example.go.id"
    assert (
        env["TIKET_INBOUND_REGION"] == "us-east-1"
        and env["TIKET_REPLY_DOMAIN"] == "balas.example.go.id"
    )
    assert not [k for k, v in env.items() if "emulated" in v or re.search(r"<[a-z ]+>", v)]
    rule = rehearsal.client("events").describe_rule(Name=f"tiket-{STAGE}-tiket.jobs.sweep")
    assert rule["State"] == "ENABLED" and rule["ScheduleExpression"] == "rate(1 minute)"
    for name in ("signing-keys", "origin-secret"):
        parameter = rehearsal.client("ssm").get_parameter(Name=f"/tiket/{STAGE}/{name}")
        assert parameter["Parameter"]["Type"] == "SecureString"


def test_site_is_published_with_types_and_cache_headers(rehearsal, first):
    bucket = first["outputs"]["SiteBucketName"]
    s3 = rehearsal.client("s3")
    page = s3.head_object(Bucket=bucket, Key="index.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page["CacheControl"] == "no-cache"
    script = s3.head_object(Bucket=bucket, Key="js/common.js")
    assert script["ContentType"] == "text/javascript; charset=utf-8"
    assert script["CacheControl"] == "public, max-age=300"
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert keys == {
        p.relative_to(ROOT / "site").as_posix() for p in (ROOT / "site").rglob("*") if p.is_file()
    }


def test_a_second_deploy_changes_nothing(second):
    assert [s for s in second["steps"] if s["change"] not in ("unchanged", "skipped")] == []


def _deployed_function(rehearsal, zip_path, work: Path) -> runtime.LambdaProcess:
    config = rehearsal.function()
    deployed = base64.b64decode(config["CodeSha256"]).hex()
    assert deployed == hashlib.sha256(zip_path.read_bytes()).hexdigest(), "not the deployed code"
    task = runtime.unpack(zip_path, work / "task")
    sdk = runtime.runtime_sdk(task, work / "sdk")
    env = runtime.lambda_environment(
        config["Environment"]["Variables"], rehearsal.endpoint, config["FunctionName"]
    )
    env["AWS_REGION"] = env["AWS_DEFAULT_REGION"] = REGION
    return runtime.LambdaProcess(task, sdk, env, config["Handler"], work / "log")


def _verify_sender(rehearsal) -> None:
    """The person's step (DNS), and what CloudFormation would have made in SES."""
    ses = rehearsal.client("sesv2")
    with contextlib.suppress(ses.exceptions.AlreadyExistsException):
        ses.create_email_identity(EmailIdentity="example.go.id")
    with contextlib.suppress(ses.exceptions.AlreadyExistsException):
        ses.create_configuration_set(ConfigurationSetName=f"tiket-{STAGE}")


def _sent_to(address: str) -> list[str]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sent = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
    return [m.raw_data for m in sent if address in getattr(m, "destinations", [])]


def test_the_deployed_function_files_a_ticket_and_signs_in_the_first_admin(
    rehearsal, second, zip_path, tmp_path
):
    _verify_sender(rehearsal)
    origin = rehearsal.client("ssm").get_parameter(
        Name=f"/tiket/{STAGE}/origin-secret", WithDecryption=True
    )
    header = {"X-Tiket-Origin": origin["Parameter"]["Value"].split(",")[0]}
    json_type = {"Content-Type": "application/json"}
    function = _deployed_function(rehearsal, zip_path, tmp_path)
    try:

        def call(method, path, body=None, **headers):
            headers = {**header, **headers}
            body = json.dumps(body) if body else None
            return function.invoke(runtime.http_event(method, path, body, stage=STAGE, **headers))

        assert call("POST", "/api/tickets", VALID_TICKET, **json_type)["statusCode"] == 201
        assert (
            call("POST", "/api/tickets", VALID_TICKET, **json_type, **{"X-Tiket-Origin": "x"})[
                "statusCode"
            ]
            == 403
        )
        assert call("POST", "/api/auth/login", {"email": ADMIN}, **json_type)["statusCode"] == 202
        # Sign-in mail goes through the outbox only: the scheduled sweep sends it.
        sweep_rule = f"arn:aws:events:{REGION}:123456789012:rule/tiket-{STAGE}-tiket.jobs.sweep"
        function.invoke(runtime.scheduled_event(sweep_rule))
        (mail,) = _sent_to(ADMIN)
        token = SIGNIN_LINK.search(mail.replace("=\r\n", "").replace("=\n", "")).group(1)
        signed_in = call("POST", "/api/auth/signin", {"token": token}, **json_type)
        assert signed_in["statusCode"] == 200, signed_in["body"]
        cookie = signed_in["multiValueHeaders"]["Set-Cookie"][0].split(";")[0]
        me = call("GET", "/api/auth/me", Cookie=cookie)
        assert me["statusCode"] == 200
        assert json.loads(me["body"])["role"] == "admin"
    finally:
        function.close()


def test_an_update_keeps_a_paused_sweep_paused_and_a_rollback_returns(
    rehearsal, second, zip_path, tmp_path
):
    original = rehearsal.function()["CodeSha256"]
    changed = tmp_path / "changed.zip"
    shutil.copy(zip_path, changed)
    with zipfile.ZipFile(changed, "a") as archive:
        archive.writestr("tiket/RELEASE", "rehearsal update\n")
    events = rehearsal.client("events")
    rule = f"tiket-{STAGE}-tiket.jobs.sweep"
    events.disable_rule(Name=rule)  # a restore in progress (runbook)
    report = rehearsal.run("deploy", "--zip", str(changed))
    assert "updated" in changes(report)[f"function tiket-{STAGE}"]
    assert rehearsal.function()["CodeSha256"] != original
    assert events.describe_rule(Name=rule)["State"] == "DISABLED"
    events.enable_rule(Name=rule)
    rehearsal.run("rollback")
    assert rehearsal.function()["CodeSha256"] == original


# IAM prefixes of the services tools.deploy (and Zappa within it) calls.
IAM_PREFIX = {"sesv2": "ses"}


def allowed(action: str, policy: dict) -> bool:
    import fnmatch

    return any(
        fnmatch.fnmatchcase(action, pattern)
        for statement in policy["Statement"]
        for pattern in statement["Action"]
    )


def test_the_deployer_policy_allows_every_call_the_deploy_makes(rehearsal, second):
    policy = json.loads((ROOT / "infra" / "deployer-policy.json").read_text())
    assert rehearsal.calls
    missing = set()
    for service, operation in set(rehearsal.calls):
        prefix = IAM_PREFIX.get(service, service)
        if service == "apigateway":  # IAM authorises API Gateway by HTTP method
            wanted = [f"apigateway:{m}" for m in ("GET", "POST", "PUT", "PATCH", "DELETE")]
            ok = any(allowed(a, policy) for a in wanted)
        else:
            ok = allowed(f"{prefix}:{operation}", policy) or allowed(f"{prefix}:*", policy)
        if not ok:
            missing.add(f"{prefix}:{operation}")
    assert not missing


def test_destroy_keeps_the_data(rehearsal, second, tmp_path):
    # Runs last in this module (pytest keeps definition order).
    outputs = second["outputs"]
    rehearsal.run("destroy")
    lam = rehearsal.client("lambda")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=f"tiket-{STAGE}")
    stacks = rehearsal.client("cloudformation").list_stacks(
        StackStatusFilter=["CREATE_COMPLETE", "UPDATE_COMPLETE"]
    )
    assert not [s for s in stacks["StackSummaries"] if s["StackName"].startswith(f"tiket-{STAGE}")]
    tables = rehearsal.client("dynamodb").list_tables()["TableNames"]
    assert outputs["TableName"] in tables
    assert rehearsal.client("ssm").get_parameter(Name=f"/tiket/{STAGE}/signing-keys")
    assert ADMIN  # the table with its staff stays: a new deploy finds it
