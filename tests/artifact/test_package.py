"""The Lambda package as Lambda runs it (issues 6 and 13).

``tools/package.py`` builds the zip (reused while its inputs hash the same). The package for
this machine's architecture runs in a stand-in execution environment (``runtime.py``: a bare
interpreter of the runtime's Python version that sees only the unpacked zip, the standard
library and the runtime's boto3), through the configured ``lambda_handler``, with AWS on a
moto server. The package of the configured architecture (arm64) is checked for its compiled
extensions; both are built from the same inputs.
"""

from __future__ import annotations

import contextlib
import json
import platform
import zipfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import boto3
import pytest
from moto.server import ThreadedMotoServer
from tools import package, zappa_config

from tests.artifact import runtime
from tests.support import VALID_TICKET
from tiket.adapters.dynamodb import DynamoStores, connect
from tiket.domain.model import Staff
from tiket.domain.vocabulary import Role

pytestmark = [pytest.mark.artifact, pytest.mark.slow, pytest.mark.xdist_group("artifact")]

STAGE = "dev"
SETTINGS = zappa_config.stage_settings(STAGE)
RUNTIME = SETTINGS["runtime"]  # python3.13
VERSION = int(RUNTIME.removeprefix("python").replace(".", ""))  # 313
CACHE_TAG = f"cpython-{VERSION}"
HOST_ARCH = {"x86_64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}[platform.machine()]
ELF = {"x86_64": (0x3E, "x86_64"), "arm64": (0xB7, "aarch64")}
REGION = "ap-southeast-3"
PUBLIC_URL = "https://tiket.example.go.id"
SENDER = "tiket@example.go.id"
SUBJECT = "Proyektor ruang rapat mati total"
SWEEP_RULE = f"arn:aws:events:{REGION}:123456789012:rule/tiket-{STAGE}-tiket.jobs.sweep"
ORIGIN_SECRET = "artifact-origin-secret-0123456789abcdefghij"
VARIABLES = {
    "TIKET_ENV": "production",
    "TIKET_STAGE": STAGE,
    "TIKET_TABLE": f"tiket-{STAGE}",
    "TIKET_PUBLIC_URL": PUBLIC_URL,
    "TIKET_ALLOWED_ORIGINS": PUBLIC_URL,
    "TIKET_MAIL_SENDER": f"TIKet <{SENDER}>",
    "TIKET_SES_CONFIGURATION_SET": f"tiket-{STAGE}",
    "TIKET_SIGNING_KEYS_PARAM": f"/tiket/{STAGE}/signing-keys",
    "TIKET_UNIT_NAME": "Unit Uji",
    "TIKET_TRUSTED_PROXY_HOPS": "2",
    "TIKET_ORIGIN_SECRET": ORIGIN_SECRET,
}


def event(method: str, path: str, body: str | None = None, **headers: str) -> dict:
    return runtime.http_event(method, path, body, stage=STAGE, **headers)


def json_lines(logs: str) -> list[dict]:
    """The function's JSON log lines (Zappa's handler also prints Python reprs)."""
    lines = []
    for line in logs.splitlines():
        with contextlib.suppress(ValueError):
            lines.append(json.loads(line))
    return [line for line in lines if isinstance(line, dict)]


@dataclass
class Run:
    results: list
    outside: list[str]
    logs: str
    ticket: object


@pytest.fixture(scope="module")
def zip_path() -> Path:
    """The package this machine can run (the same inputs as the configured one)."""
    return package.build(STAGE, HOST_ARCH)


@pytest.fixture(scope="module")
def lambda_zip() -> Path:
    """The package of the configured architecture, as deployed."""
    return package.build(STAGE)


@pytest.fixture(scope="module")
def task(zip_path, tmp_path_factory) -> Path:
    return runtime.unpack(zip_path, tmp_path_factory.mktemp("task"))


def _seed(endpoint: str) -> DynamoStores:
    store = connect(VARIABLES["TIKET_TABLE"], endpoint, REGION, ZoneInfo("Asia/Jakarta"))
    store.create_table()
    store.staff.put(Staff("tik1@example.go.id", "Andi Pratama", Role.TIK))
    ses = boto3.client("sesv2", region_name=REGION, endpoint_url=endpoint)
    ses.create_email_identity(EmailIdentity=SENDER.split("@")[1])
    ses.create_configuration_set(ConfigurationSetName=VARIABLES["TIKET_SES_CONFIGURATION_SET"])
    boto3.client("ssm", region_name=REGION, endpoint_url=endpoint).put_parameter(
        Name=VARIABLES["TIKET_SIGNING_KEYS_PARAM"],
        Type="SecureString",
        Value="artifact-test-signing-key-0123456789abcdef",
    )
    return store


@pytest.fixture(scope="module")
def run(task, tmp_path_factory) -> Run:
    """One execution environment: a cold start, then health, a new ticket, its tracking
    page and the scheduled sweep."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    work = tmp_path_factory.mktemp("invoke")
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        store = _seed(endpoint)
        env = runtime.lambda_environment(VARIABLES, endpoint, f"tiket-{STAGE}")
        sdk = runtime.runtime_sdk(task, work / "sdk")
        function = runtime.LambdaProcess(task, sdk, env, SETTINGS["lambda_handler"], work / "log")
        origin = {"X-Tiket-Origin": ORIGIN_SECRET}  # CloudFront's origin header
        try:
            results = [function.invoke(event("GET", "/api/health"))]
            body = json.dumps({**VALID_TICKET, "subject": SUBJECT})
            json_type = {"Content-Type": "application/json"}
            results.append(
                function.invoke(event("POST", "/api/tickets", body, **json_type, **origin))
            )
            token = json.loads(results[1]["body"])["track_token"]
            results.append(function.invoke(event("GET", f"/api/track/{token}", **origin)))
            results.append(function.invoke(runtime.scheduled_event(SWEEP_RULE)))
            # What tiket.handler does not route itself goes to Zappa's handler in the zip:
            # `zappa invoke dev tiket.jobs.sweep` sends this.
            results.append(function.invoke({"command": "tiket.jobs.sweep"}))
        finally:
            function.close()
        filed = json.loads(results[1]["body"])
        return Run(
            results, function.outside or [], function.log_text(), store.tickets.get(filed["number"])
        )
    finally:
        server.stop()


def test_the_function_saw_only_the_package_the_sdk_and_the_standard_library(run):
    assert run.outside == []


def test_health(run):
    health = run.results[0]
    assert health["statusCode"] == 200
    assert json.loads(health["body"]) == {"status": "ok"}
    assert health["multiValueHeaders"]["Content-Type"] == ["application/json"]


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
    lines = json_lines(run.logs)
    assert [line for line in lines if line.get("message") == "sweep"]
    requests = [line for line in lines if line.get("message") == "request"]
    assert [r["route"] for r in requests] == [
        "/api/health",
        "/api/tickets",
        "/api/track/<token>",
    ]


def test_other_events_reach_zappas_handler(run):
    assert set(run.results[4]) >= {"due_tickets", "breaches", "emails_sent", "duration_ms"}
    assert "Result of tiket.jobs.sweep:" in run.logs


def test_both_architectures_hold_the_same_files(zip_path, lambda_zip):
    def names(path: Path) -> set[str]:
        """Pure-Python files; compiled ones (``.so``, and the shared libraries auditwheel
        vendors as ``<package>.libs/<name>-<hash>.so.<version>``) differ by architecture."""
        with zipfile.ZipFile(path) as archive:
            return {
                n
                for n in archive.namelist()
                if not n.endswith(".so") and ".libs/" not in n and ".so." not in n
            }

    assert names(zip_path) == names(lambda_zip)


def test_package_carries_bytecode_for_tiket_and_dependencies(lambda_zip):
    with zipfile.ZipFile(lambda_zip) as archive:
        names = set(archive.namelist())
        header = archive.read(f"tiket/__pycache__/wsgi.{CACHE_TAG}.pyc")[:16]
    for module in (
        "tiket/wsgi",
        "tiket/handler",
        "flask/app",
        "pynamodb/models",
        "apig_wsgi/__init__",
    ):
        folder, _, name = module.rpartition("/")
        assert f"{folder}/__pycache__/{name}.{CACHE_TAG}.pyc" in names
    # Hash-based and unchecked: no source stat, and never stale for a zip's arbitrary dates.
    assert int.from_bytes(header[4:8], "little") == 0b01
    assert not [n for n in names if "__pycache__" in n and not n.endswith(f".{CACHE_TAG}.pyc")]


def test_package_holds_only_runtime_code(lambda_zip):
    with zipfile.ZipFile(lambda_zip) as archive:
        names = archive.namelist()
    tops = {name.split("/")[0] for name in names}
    for absent in ("boto3", "botocore", "s3transfer", "troposphere", "pip", "setuptools", "bin"):
        assert absent not in tops
    for repo_path in ("tests", "site", "infra", "bench", "docs", "tools", "functions", "var"):
        assert repo_path not in tops
    assert not [t for t in tops if t.endswith((".md", ".toml", ".json"))]
    assert {"zappa_settings.py", "tiket", "zappa", "durationpy", "apig_wsgi"} <= tops
    # The local stack's modules stay out of the zip (issue 10 item 9).
    for local in ("tiket/local.py", "tiket/local_moto.py", "tiket/web/dev.py"):
        assert local not in names
    assert not [n for n in names if "/test/" in n or "/tests/" in n]


def test_holidays_keeps_only_indonesia(lambda_zip):
    with zipfile.ZipFile(lambda_zip) as archive:
        names = archive.namelist()
    countries = {
        n.split("/")[-1] for n in names if n.startswith("holidays/countries/") and n.endswith(".py")
    }
    assert countries == {"__init__.py", "indonesia.py"}
    translations = {
        n.split("/")[-1] for n in names if n.startswith("holidays/locale/") and n.endswith(".mo")
    }
    assert translations == {"ID.mo"}


def test_zappa_settings_baked_into_the_package(task):
    baked = (task / "zappa_settings.py").read_text()
    assert f"API_STAGE='{STAGE}'" in baked
    # DEBUG would log whole events (paths with tokens, bodies with addresses) and answer an
    # escaped exception with its traceback.
    assert "DEBUG=False" in baked
    assert "LOG_LEVEL='INFO'" in baked


def test_runtime_settings():
    assert RUNTIME == "python3.13"
    assert SETTINGS["architecture"] == "arm64"
    assert SETTINGS["memory_size"] == 1024 and SETTINGS["timeout_seconds"] == 60
    assert SETTINGS["lambda_handler"] == "tiket.handler.lambda_handler"


@pytest.mark.parametrize("arch", ["x86_64", "arm64"])
def test_compiled_extensions_match_the_runtime(arch, zip_path, lambda_zip):
    machine, triplet = ELF[arch]
    path = zip_path if arch == HOST_ARCH else lambda_zip
    assert arch in (HOST_ARCH, SETTINGS["architecture"])
    with zipfile.ZipFile(path) as archive:
        extensions = [n for n in archive.namelist() if n.endswith((".so", ".pyd", ".dylib"))]
        assert extensions, "pydantic_core at least is compiled"
        for name in extensions:
            assert name.endswith((f".{CACHE_TAG}-{triplet}-linux-gnu.so", ".abi3.so")), name
            elf = archive.read(name)[:20]
            # ELF, 64-bit, little-endian, the architecture's machine number.
            assert elf[:4] == b"\x7fELF" and elf[4] == 2 and elf[5] == 1, name
            assert int.from_bytes(elf[18:20], "little") == machine, name
        wheels = [n for n in archive.namelist() if n.endswith(".dist-info/WHEEL")]
        for wheel in wheels:
            for line in archive.read(wheel).decode().splitlines():
                if line.startswith("Tag: "):
                    python, abi, platform_tag = line.removeprefix("Tag: ").split("-")
                    version = int(python.removeprefix("cp")) if python.startswith("cp3") else 0
                    cpython = abi == f"cp{VERSION}" and version == VERSION
                    stable_abi = abi == "abi3" and 32 <= version <= VERSION
                    linux = platform_tag.startswith("manylinux") and platform_tag.endswith(triplet)
                    assert platform_tag == "any" or ((cpython or stable_abi) and linux), line
