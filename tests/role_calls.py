"""The execution role kept in step with the code (issue 16): every AWS call the test suite's
flows make through botocore is recorded, as the IAM actions it needs and the resources it
touches, and at the end of a whole run compared with what ``infra/tiket.yaml`` grants the
function. A call the role does not grant fails the run (production would answer
AccessDenied); so does a grant no flow ever used (the role is exactly what the code calls),
unless ``UNREACHED`` names it with the reason tests cannot reach it.

Recorded: ``BaseClient._make_api_call`` (every operation, PynamoDB's included), presigned
URLs and POSTs (signed with the role, used by the browser later: what they need is granted
to the role, not to the browser). Transactions are split per item, as IAM authorises them.
Under pytest-xdist each worker hands its record to the controller, which checks the union.
The check runs only on a whole run (``pytest`` with no narrowing, as ``make test``), or when
``ROLE_CALLS_CHECK=1`` says the chosen tests hold every flow (``pytest tests/integration
tests/deploy``); ``tests/integration/test_role_calls.py`` checks the comparison itself and a
ticket's whole life on every run."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from types import FrameType
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Grants no test flow reaches, each with its reason: (IAM action, resource pattern).
UNREACHED: dict[tuple[str, str], str] = {
    ("ses:SendEmail", "configuration-set/${MailConfigurationSet}"): (
        "SES authorises the configuration set the call names as well as the identity; the "
        "call names it (adapters/mail/transports.py), moto does not tell them apart"
    ),
    ("lambda:InvokeFunction", "function:tiket-${Stage}"): (
        "an export job starts itself with an asynchronous Invoke; the tests replace the "
        "Lambda client (test_report_exports.py), as moto would need Docker to run it; API "
        "Gateway, assuming this role, invokes the function too"
    ),
    ("lambda:InvokeFunction", "function:tiket-${Stage}:*"): "as above, for a published version",
}

# Calls only a test makes through the function's code, each with its reason.
TEST_ONLY: dict[tuple[str, str], str] = {
    ("ssm:GetParameters", "parameter/tiket/${Stage}/nothing-here"): (
        "tests/deploy/test_secrets_and_cli.py configures a parameter that does not exist, to "
        "see the error; production reads only the two names tools/deploy creates"
    ),
}

# Operation -> IAM action, for the operations that map one to one.
_SIMPLE = {
    ("dynamodb", "GetItem"): "dynamodb:GetItem",
    ("dynamodb", "Query"): "dynamodb:Query",
    ("dynamodb", "PutItem"): "dynamodb:PutItem",
    ("dynamodb", "UpdateItem"): "dynamodb:UpdateItem",
    ("dynamodb", "DeleteItem"): "dynamodb:DeleteItem",
    ("dynamodb", "Scan"): "dynamodb:Scan",
    ("dynamodb", "BatchGetItem"): "dynamodb:BatchGetItem",
    ("dynamodb", "DescribeTable"): "dynamodb:DescribeTable",
    ("dynamodb", "CreateTable"): "dynamodb:CreateTable",
    ("s3", "GetObject"): "s3:GetObject",
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "PutObject"): "s3:PutObject",
    ("s3", "CreateMultipartUpload"): "s3:PutObject",
    ("s3", "UploadPart"): "s3:PutObject",
    ("s3", "CompleteMultipartUpload"): "s3:PutObject",
    ("s3", "AbortMultipartUpload"): "s3:AbortMultipartUpload",
    ("s3", "DeleteObject"): "s3:DeleteObject",
    ("sesv2", "SendEmail"): "ses:SendEmail",
    ("ssm", "GetParameters"): "ssm:GetParameters",
    ("ssm", "GetParameter"): "ssm:GetParameter",
    ("lambda", "Invoke"): "lambda:InvokeFunction",
}
_TRANSACT = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
}
_BATCH_WRITE = {"PutRequest": "dynamodb:PutItem", "DeleteRequest": "dynamodb:DeleteItem"}
# Set up by tests and the local stack with an operator's credentials, never by the function.
OPERATOR_ONLY = frozenset(
    {
        ("dynamodb", "DescribeTable"),
        ("dynamodb", "CreateTable"),
        ("dynamodb", "UpdateTimeToLive"),
        ("dynamodb", "UpdateContinuousBackups"),
        ("s3", "CreateBucket"),
        ("s3", "PutBucketCors"),
        ("s3", "PutBucketLifecycleConfiguration"),
        ("s3", "ListObjectsV2"),
        ("s3", "ListBuckets"),  # export_files.ensure_bucket: the local stack and tests only
        ("ses", "VerifyDomainIdentity"),
        ("ses", "VerifyEmailIdentity"),
        ("sesv2", "CreateEmailIdentity"),
        ("sesv2", "CreateConfigurationSet"),
        ("ssm", "PutParameter"),
        ("lambda", "CreateFunction"),
        ("iam", "CreateRole"),
        ("sts", "GetCallerIdentity"),
    }
)


def needs(service: str, operation: str, params: dict) -> set[tuple[str, str]]:
    """(IAM action, resource) pairs one call needs; resource in the template's terms."""
    if service == "dynamodb" and operation == "TransactWriteItems":
        found = set()
        for item in params.get("TransactItems", []):
            ((kind, body),) = item.items()
            found.add((_TRANSACT[kind], _table(body)))
        return found
    if service == "dynamodb" and operation == "TransactGetItems":
        # Authorised per item as GetItem, like the writes above (no action of its own).
        return {
            ("dynamodb:GetItem", _table(item["Get"])) for item in params.get("TransactItems", [])
        }
    if service == "dynamodb" and operation == "BatchWriteItem":
        return {
            (_BATCH_WRITE[next(iter(request))], "${Table.Arn}")
            for requests in params.get("RequestItems", {}).values()
            for request in requests
        }
    if service == "s3" and operation == "DeleteObjects":
        return {
            ("s3:DeleteObject", _object(params["Bucket"], item["Key"]))
            for item in params.get("Delete", {}).get("Objects", [])
        }
    action = _SIMPLE.get((service, operation), f"{service}:{operation}")
    if service == "dynamodb":
        return {(action, _table(params))}
    if service == "s3":
        return {(action, _object(params.get("Bucket", ""), params.get("Key", "")))}
    if service == "sesv2":
        return {(action, "identity/${SenderDomain}")}
    if service == "ssm":
        names = params.get("Names") or [params.get("Name", "")]
        return {(action, "parameter/tiket/${Stage}/" + n.rsplit("/", 1)[-1]) for n in names}
    if service == "lambda":
        return {(action, "function:tiket-${Stage}")}
    return {(action, "*")}


def _table(params: dict) -> str:
    return "${Table.Arn}/index/*" if params.get("IndexName") else "${Table.Arn}"


def _object(bucket: str, key: str) -> str:
    """The template's resource for an object: the files bucket's prefix, or inbound mail."""
    prefix = key.split("/", 1)[0]
    if prefix == "inbound":
        return "arn:${AWS::Partition}:s3:::${InboundBucketName}/inbound/*"
    return "${FilesBucket.Arn}/" + prefix + "/*"


class Recorder:
    def __init__(self) -> None:
        self.seen: set[tuple[str, str]] = set()
        self.operator: set[tuple[str, str]] = set()

    def record(self, service: str, operation: str, params: dict) -> None:
        if (service, operation) in OPERATOR_ONLY or not _from_function_code():
            return
        try:
            self.seen |= needs(service, operation, params)
        except (KeyError, ValueError, TypeError, AttributeError):
            self.seen.add((f"{service}:{operation}", "?"))

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from botocore.client import BaseClient
        from botocore.signers import RequestSigner, S3PostPresigner

        call, presign, post = (
            BaseClient._make_api_call,
            RequestSigner.generate_presigned_url,
            S3PostPresigner.generate_presigned_post,
        )
        recorder = self

        def recording_call(client, operation_name, api_params):
            recorder.record(client.meta.service_model.service_name, operation_name, api_params)
            return call(client, operation_name, api_params)

        def recording_presign(signer, request_dict, operation_name, *args, **kwargs):
            if not _probing_the_origin():
                key = _presigned_key(request_dict)
                recorder.record("s3", operation_name, {"Bucket": "", "Key": key})
            return presign(signer, request_dict, operation_name, *args, **kwargs)

        def recording_post(presigner, request_dict, fields=None, conditions=None, **kwargs):
            key = (fields or {}).get("key", "")
            recorder.record("s3", "PutObject", {"Bucket": "", "Key": key})
            return post(presigner, request_dict, fields, conditions, **kwargs)

        monkeypatch.setattr(BaseClient, "_make_api_call", recording_call)
        monkeypatch.setattr(RequestSigner, "generate_presigned_url", recording_presign)
        monkeypatch.setattr(S3PostPresigner, "generate_presigned_post", recording_post)


_CODE = str(ROOT / "functions" / "tiket") + "/"
# What runs with an operator's credentials (the CLI) or only on a laptop (the local stack).
_OPERATOR = {
    _CODE + name
    for name in ("cli.py", "cli_assets.py", "local.py", "local_moto.py", "local_files.py")
}


def _from_function_code() -> bool:
    """Whether the function's code made this call (not a test reading the table, not the
    operator's CLI, not the local stack setting itself up)."""
    frame: FrameType | None = sys._getframe(2)
    ours = False
    while frame is not None:
        path = frame.f_code.co_filename
        if path in _OPERATOR:
            return False
        ours = ours or path.startswith(_CODE)
        frame = frame.f_back
    return ours


def _presigned_key(request_dict: dict) -> str:
    """The object key of a presigned URL: its path, less the bucket when the URL names the
    bucket in its path (a custom endpoint such as the local stack's) rather than its host."""
    url = urlsplit(request_dict.get("url") or "")
    path = unquote(url.path or request_dict.get("url_path", "")).lstrip("/")
    virtual_host = ".s3." in (url.hostname or "") and not (url.hostname or "").startswith("s3.")
    return path if virtual_host else path.partition("/")[2]


def _probing_the_origin() -> bool:
    """``Blobs.origin`` presigns a throw-away 1-second URL only to learn the bucket's origin
    (for the pages' CSP): no object is read through it."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "origin" and code.co_filename == _CODE + "adapters/blobs.py":
            return True
        frame = frame.f_back
    return False


def granted(template: dict, conditions: dict) -> set[tuple[str, str]]:
    """(action, resource) pairs the execution role grants, resources in template terms."""
    from tests.integration.test_infra import _as_list, _resource_text, _role_statements

    pairs = set()
    prefix = "arn:${AWS::Partition}:"
    for statement in _role_statements(template, conditions):
        for action in _as_list(statement["Action"]):
            for resource in _as_list(statement["Resource"]):
                text = _resource_text(resource)
                for service in ("ses", "ssm", "lambda"):
                    head = f"{prefix}{service}:${{AWS::Region}}:${{AWS::AccountId}}:"
                    text = text.removeprefix(head)
                pairs.add((action, text))
    return pairs


def compare(
    seen: Iterable[tuple[str, str]], grants: set[tuple[str, str]]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(calls not granted, grants never called), both sorted; the checked services only."""
    checked = ("dynamodb:", "s3:", "ses:", "ssm:", "lambda:")
    seen = {pair for pair in seen if pair[0].startswith(checked)}
    grants = {pair for pair in grants if pair[0].startswith(checked)}
    missing = sorted(pair for pair in seen if pair not in TEST_ONLY and not _covered(pair, grants))
    unused = sorted(
        grant
        for grant in grants
        if grant not in UNREACHED and not any(_covered(pair, {grant}) for pair in seen)
    )
    return missing, unused


def _covered(pair: tuple[str, str], grants: set[tuple[str, str]]) -> bool:
    action, resource = pair
    for granted_action, granted_resource in grants:
        if granted_action != action:
            continue
        if resource == granted_resource or resource.startswith(granted_resource + ":"):
            return True
    return False


# --- pytest wiring ------------------------------------------------------------------------

_RECORDER = Recorder()
_WORKERS: set[tuple[str, str]] = set()


@pytest.fixture(autouse=True)
def _record_aws_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    _RECORDER.install(monkeypatch)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if hasattr(config, "workeroutput"):  # an xdist worker: hand the record over
        config.workeroutput["role_calls"] = json.dumps(sorted(_RECORDER.seen))
        return
    forced = os.environ.get("ROLE_CALLS_CHECK") == "1"  # a chosen subset holding every flow
    finished = exitstatus == 0 and not (session.shouldstop or session.shouldfail)
    if not (forced or _whole_run(config)) or not finished or not (_RECORDER.seen | _WORKERS):
        return
    from tests.integration.test_infra import MAIN, PRODUCTION_CONDITIONS, load

    missing, unused = compare(_RECORDER.seen | _WORKERS, granted(load(MAIN), PRODUCTION_CONDITIONS))
    if missing or unused:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        lines = [f"  called, not granted: {a} on {r}" for a, r in missing]
        lines += [f"  granted, never called: {a} on {r}" for a, r in unused]
        if reporter is not None:
            reporter.write_sep(
                "=", "execution role out of step with the code (tests/role_calls.py)"
            )
            reporter.write_line("\n".join(lines))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # xdist hook: a worker's record
    record = getattr(node, "workeroutput", {}).get("role_calls")
    if record:
        _WORKERS.update(tuple(pair) for pair in json.loads(record))


def _whole_run(config: pytest.Config) -> bool:
    narrowed = (
        config.getoption("keyword") or config.getoption("markexpr") or config.getoption("lf", False)
    )
    paths = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    return not narrowed and all(path in (ROOT, ROOT / "tests") for path in paths)
