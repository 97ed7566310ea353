"""The Lambda package as Lambda runs it (issue 6).

``tools/package.py`` builds the zip (reused when it is newer than every source). It is
unpacked to a folder standing for ``/var/task`` and imported by a bare interpreter
(``python -I -S``) that sees only that folder, the standard library and the boto3 that the
Lambda runtime provides. Zappa's ``handler.lambda_handler`` then gets API Gateway and
EventBridge events, with AWS on a moto server, as one warm execution environment would.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import boto3
import pytest
from moto.server import ThreadedMotoServer
from tools import package

from tests.support import VALID_TICKET
from tiket.adapters.dynamodb import DynamoStores, connect
from tiket.domain.model import Staff
from tiket.domain.vocabulary import Role

pytestmark = [pytest.mark.artifact, pytest.mark.slow, pytest.mark.xdist_group("artifact")]

STAGE = "dev"
RUNTIME = package.stage_settings(STAGE)["runtime"]  # python3.11
VERSION = int(RUNTIME.removeprefix("python").replace(".", ""))  # 311
CACHE_TAG = f"cpython-{VERSION}"
REGION = "ap-southeast-3"
PUBLIC_URL = "https://tiket.example.go.id"
SENDER = "tiket@example.go.id"
SUBJECT = "Proyektor ruang rapat mati total"
SWEEP_RULE = f"arn:aws:events:{REGION}:123456789012:rule/tiket-{STAGE}-tiket.jobs.sweep"

# Runs inside the bare interpreter. argv: the task folder, the runtime's SDK folder, the
# events file, the results file. Prints nothing itself: stdout and stderr are the logs.
CHILD = """
import json, os, sys

task, sdk, events_file, results_file = sys.argv[1:]
sys.path.insert(0, task)
sys.path.append(sdk)  # the runtime's own boto3 comes after the function's code, as on Lambda
os.chdir(task)


class Context:
    function_name = "tiket-dev"
    memory_limit_in_mb = "512"

    def __init__(self, n):
        self.aws_request_id = f"00000000-0000-4000-8000-{n:012d}"

    def get_remaining_time_in_millis(self):
        return 30000


import handler  # noqa: E402  Lambda's init; Zappa loads tiket.wsgi.app on the first event

events = json.load(open(events_file))
results = []
for n, event in enumerate(events):
    if event.get("path", "").endswith("{track_token}"):
        token = json.loads(results[-1]["body"])["track_token"]
        event["path"] = event["path"].replace("{track_token}", token)
    results.append(handler.lambda_handler(event, Context(n)))

stdlib = os.path.dirname(os.__file__)
outside = sorted(
    module.__file__
    for module in list(sys.modules.values())
    if getattr(module, "__file__", None)
    and module.__file__ != __file__
    and not module.__file__.startswith((task, sdk))
    and (not module.__file__.startswith(stdlib) or "site-packages" in module.__file__)
)
json.dump({"results": results, "outside": outside}, open(results_file, "w"))
"""


ORIGIN_SECRET = "artifact-origin-secret-0123456789abcdefghij"


def http_event(method: str, path: str, body: str | None = None, **headers: str) -> dict:
    """An API Gateway REST API proxy event, as CloudFront + API Gateway deliver it. With
    binary support on, API Gateway passes every request body base64-encoded."""
    headers = {
        "Host": "abc123defg.execute-api.ap-southeast-3.amazonaws.com",
        "User-Agent": "Amazon CloudFront",
        "X-Forwarded-For": "198.51.100.7, 130.176.0.1",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Port": "443",
        "Accept": "application/json",
        "X-Tiket-Origin": ORIGIN_SECRET,  # CloudFront's origin header (infra/tiket.yaml)
        **headers,
    }
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": f"/{STAGE}{path}",
            "stage": STAGE,
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "identity": {"sourceIp": "130.176.0.1", "userAgent": "Amazon CloudFront"},
        },
        "body": base64.b64encode(body.encode()).decode() if body else None,
        "isBase64Encoded": body is not None,
    }


SCHEDULED_EVENT = {
    "version": "0",
    "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "account": "123456789012",
    "time": "2026-11-30T01:00:00Z",
    "region": REGION,
    "resources": [SWEEP_RULE],
    "detail": {},
}


@dataclass
class Run:
    results: list[dict]
    outside: list[str]
    logs: str
    ticket: object


@pytest.fixture(scope="module")
def zip_path() -> Path:
    return package.build(STAGE)


@pytest.fixture(scope="module")
def task(zip_path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("task")
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    return folder


@pytest.fixture(scope="module")
def runtime_sdk(task, tmp_path_factory) -> Path:
    """boto3 and its dependencies, which the Lambda runtime provides outside the zip."""
    return package.runtime_sdk(package.site_packages(), task, tmp_path_factory.mktemp("sdk"))


def _child_environment(endpoint: str) -> dict[str, str]:
    """Only what Lambda would set: the stage's variables (placeholders filled, endpoints on
    moto), the runtime's own variables and the role's (here dummy) credentials."""
    env = dict(package.stage_settings(STAGE)["aws_environment_variables"])
    filled = {
        "TIKET_PUBLIC_URL": PUBLIC_URL,
        "TIKET_ALLOWED_ORIGINS": PUBLIC_URL,
        "TIKET_MAIL_SENDER": f"TIKet <{SENDER}>",
        "TIKET_UNIT_NAME": "Unit Uji",
        "TIKET_ORIGIN_SECRET": ORIGIN_SECRET,
    }
    assert {k for k, v in env.items() if "<" in v} <= set(filled), "an unfilled placeholder"
    env.update(filled)
    env.update(
        TIKET_DYNAMODB_ENDPOINT=endpoint,
        TIKET_SES_ENDPOINT=endpoint,
        TIKET_SSM_ENDPOINT=endpoint,
        AWS_REGION=REGION,
        AWS_DEFAULT_REGION=REGION,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_LAMBDA_FUNCTION_NAME=f"tiket-{STAGE}",
        AWS_EXECUTION_ENV=f"AWS_Lambda_{RUNTIME}",
        LANG="en_US.UTF-8",
        TZ=":UTC",
        PATH="/usr/local/bin:/usr/bin:/bin",
    )
    return env


def _seed(endpoint: str, env: dict[str, str]) -> DynamoStores:
    store = connect(env["TIKET_TABLE"], endpoint, REGION, ZoneInfo("Asia/Jakarta"))
    store.create_table()
    store.staff.put(Staff("tik1@example.go.id", "Andi Pratama", Role.TIK))
    ses = boto3.client("sesv2", region_name=REGION, endpoint_url=endpoint)
    ses.create_email_identity(EmailIdentity=SENDER.split("@")[1])
    ses.create_configuration_set(ConfigurationSetName=env["TIKET_SES_CONFIGURATION_SET"])
    boto3.client("ssm", region_name=REGION, endpoint_url=endpoint).put_parameter(
        Name=env["TIKET_SIGNING_KEYS_PARAM"],
        Type="SecureString",
        Value="artifact-test-signing-key-0123456789abcdef",
    )
    return store


@pytest.fixture(scope="module")
def run(task, runtime_sdk, tmp_path_factory) -> Run:
    """One execution environment: a cold start, then health, a new ticket, its tracking
    page and the scheduled sweep."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        env = _child_environment(endpoint)
        store = _seed(endpoint, env)
        work = tmp_path_factory.mktemp("invoke")
        events = [
            http_event("GET", "/api/health"),
            http_event(
                "POST",
                "/api/tickets",
                json.dumps({**VALID_TICKET, "subject": SUBJECT}),
                **{"Content-Type": "application/json"},
            ),
            http_event("GET", "/api/track/{track_token}"),
            SCHEDULED_EVENT,
        ]
        (work / "events.json").write_text(json.dumps(events))
        (work / "child.py").write_text(CHILD)
        python = package.VENV / "bin" / "python"
        inputs = (work / "events.json", work / "results.json")
        done = subprocess.run(
            [python, "-I", "-S", work / "child.py", task, runtime_sdk, *inputs],
            env=env,
            cwd=task,
            capture_output=True,
            text=True,
            timeout=120,
        )
        logs = done.stdout + done.stderr
        assert done.returncode == 0, logs
        output = json.loads((work / "results.json").read_text())
        filed = json.loads(output["results"][1]["body"])
        return Run(output["results"], output["outside"], logs, store.tickets.get(filed["number"]))
    finally:
        server.stop()


def test_the_child_saw_only_the_package_the_sdk_and_the_standard_library(run):
    assert run.outside == []


def test_health(run):
    health = run.results[0]
    assert health["statusCode"] == 200
    assert json.loads(health["body"]) == {"status": "ok"}
    assert health["headers"]["Content-Type"] == "application/json"


def test_filing_a_ticket_stores_it_and_mails_through_ses(run):
    created = run.results[1]
    assert created["statusCode"] == 201, created["body"]
    body = json.loads(created["body"])
    assert body["status"] == "new"
    assert body["track_url"].startswith(f"{PUBLIC_URL}/track.html#")
    assert run.ticket.subject == SUBJECT
    assert run.ticket.requester.email == VALID_TICKET["email"]
    assert run.ticket.notified_at is not None  # the new-request email went out via SES


def test_tracking_page_answers_and_no_log_line_carries_the_token(run):
    tracked = run.results[2]
    assert tracked["statusCode"] == 200
    assert json.loads(tracked["body"])["number"] == run.ticket.number
    token = json.loads(run.results[1]["body"])["track_token"]
    assert token not in run.logs
    assert VALID_TICKET["email"] not in run.logs


def test_scheduled_event_runs_the_sweep(run):
    report = run.results[3]
    assert set(report) >= {"due_tickets", "breaches", "emails_sent", "duration_ms"}
    lines = [json.loads(line) for line in run.logs.splitlines() if line.startswith("{")]
    assert [line for line in lines if line.get("message") == "sweep"]
    requests = [line for line in lines if line.get("message") == "request"]
    assert [r["route"] for r in requests] == ["/api/health", "/api/tickets", "/api/track/<token>"]


def test_package_carries_bytecode_for_tiket_and_dependencies(zip_path):
    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
        header = archive.read(f"tiket/__pycache__/wsgi.{CACHE_TAG}.pyc")[:16]
    for module in ("tiket/wsgi", "tiket/web/app", "flask/app", "pynamodb/models", "handler"):
        folder, _, name = module.rpartition("/")
        assert f"{folder + '/' if folder else ''}__pycache__/{name}.{CACHE_TAG}.pyc" in names
    # Hash-based and unchecked: no source stat, and never stale for a zip's arbitrary dates.
    assert int.from_bytes(header[4:8], "little") == 0b01
    assert not [n for n in names if "__pycache__" in n and not n.endswith(f".{CACHE_TAG}.pyc")]


def test_package_holds_only_runtime_code(zip_path):
    with zipfile.ZipFile(zip_path) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
    for absent in ("boto3", "botocore", "s3transfer", "troposphere", "pip", "setuptools"):
        assert absent not in tops
    for repo_path in ("tests", "site", "infra", "bench", "docs", "tools", "functions", "var"):
        assert repo_path not in tops
    assert not [
        t for t in tops if t.endswith((".md", ".toml", ".json")) and t != "package_info.json"
    ]
    assert {"handler.py", "zappa_settings.py", "tiket", "zappa", "durationpy"} <= tops


def test_zappa_settings_baked_into_the_package(task):
    baked = (task / "zappa_settings.py").read_text()
    assert f"API_STAGE='{STAGE}'" in baked
    # DEBUG would log whole events (paths with tokens, bodies with addresses) and answer an
    # escaped exception with its traceback. INFO is safe: tiket.wsgi mutes Zappa's access
    # log (paths and Referer), which the invocation test checks for tokens.
    assert "DEBUG=False" in baked
    assert "LOG_LEVEL='INFO'" in baked


def test_compiled_extensions_match_the_runtime(task):
    extensions = [p for p in task.rglob("*") if p.suffix in (".so", ".pyd", ".dylib", ".dll")]
    assert extensions, "pydantic_core at least is compiled"
    for path in extensions:
        assert path.suffix == ".so", path
        assert path.name.endswith((f".{CACHE_TAG}-x86_64-linux-gnu.so", ".abi3.so")), path
        elf = path.read_bytes()[:20]
        # ELF, 64-bit, little-endian, machine x86-64.
        assert elf[:4] == b"\x7fELF" and elf[4] == 2 and elf[5] == 1, path
        assert int.from_bytes(elf[18:20], "little") == 0x3E, path
    for wheel in task.glob("*.dist-info/WHEEL"):
        for line in wheel.read_text().splitlines():
            if line.startswith("Tag: "):
                python, abi, platform = line.removeprefix("Tag: ").split("-")
                version = int(python.removeprefix("cp")) if python.startswith("cp3") else 0
                cpython = abi == f"cp{VERSION}" and version == VERSION
                stable_abi = abi == "abi3" and 32 <= version <= VERSION
                linux = platform.startswith("manylinux") and platform.endswith("x86_64")
                assert platform == "any" or ((cpython or stable_abi) and linux), line
