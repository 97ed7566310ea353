"""A stand-in for one Lambda execution environment, for the artifact and deploy tests.

The zip is unpacked to a folder standing for ``/var/task``; a bare interpreter of the
runtime's Python version (``python3.X -I -S``) sees only that folder, the standard library
and the boto3 the Lambda runtime provides (linked from this virtualenv, after the code, as
on Lambda). It imports the configured ``lambda_handler`` once (the init phase) and then
serves events one at a time, keeping its state between them like a warm environment.
Events go in as JSON lines on stdin, results come back on a pipe of their own; the
function's logs (stdout and stderr) are collected in a file.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

from tools import package, pythons, zappa_config

CHILD = r"""
import importlib, json, os, sys

task, sdk, handler_path, results_fd = sys.argv[1:]
sys.path.insert(0, task)
sys.path.append(sdk)
os.chdir(task)
results = os.fdopen(int(results_fd), "w")


class Context:
    function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "tiket")
    memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")

    def __init__(self, n):
        self.aws_request_id = f"00000000-0000-4000-8000-{n:012d}"

    def get_remaining_time_in_millis(self):
        return 30000


module, _, name = handler_path.rpartition(".")
handler = getattr(importlib.import_module(module), name)  # the init phase

for n, line in enumerate(sys.stdin):
    if not line.strip():
        break
    result = handler(json.loads(line), Context(n))
    results.write(json.dumps({"result": result}) + "\n")
    results.flush()

stdlib = os.path.dirname(os.__file__)
outside = sorted(
    module.__file__
    for module in list(sys.modules.values())
    if getattr(module, "__file__", None)
    and module.__file__ != __file__
    and not module.__file__.startswith((task, sdk))
    and (not module.__file__.startswith(stdlib) or "site-packages" in module.__file__)
)
results.write(json.dumps({"outside": outside}) + "\n")
results.flush()
"""


def unpack(zip_file: Path, folder: Path) -> Path:
    with zipfile.ZipFile(zip_file) as archive:
        archive.extractall(folder)
    return folder


def runtime_sdk(task: Path, folder: Path) -> Path:
    """boto3 and its dependencies, which the Lambda runtime provides outside the zip."""
    return package.runtime_sdk(Path(sysconfig.get_paths()["purelib"]), task, folder)


def lambda_environment(variables: dict[str, str], endpoint: str, function: str) -> dict[str, str]:
    """What Lambda sets: the function's variables, the runtime's own, the role's (here
    dummy) credentials, and every AWS client pointed at the moto server."""
    runtime = zappa_config.common()["runtime"]
    return {
        **variables,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_REGION": variables.get("AWS_REGION", "ap-southeast-3"),
        "AWS_DEFAULT_REGION": variables.get("AWS_REGION", "ap-southeast-3"),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_LAMBDA_FUNCTION_NAME": function,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{runtime}",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
    }


class LambdaProcess:
    """One warm execution environment: ``invoke(event)`` returns the handler's result."""

    def __init__(self, task: Path, sdk: Path, env: dict[str, str], handler: str, logs: Path):
        python = pythons.require(package.runtime_version())
        read, write = os.pipe()
        self.logs = logs
        self._log_file = logs.open("w")
        self._process = subprocess.Popen(
            [python, "-I", "-S", "-c", CHILD, str(task), str(sdk), handler, str(write)],
            env=env,
            cwd=task,
            stdin=subprocess.PIPE,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            text=True,
            pass_fds=(write,),
        )
        os.close(write)
        self._results = os.fdopen(read)
        self.outside: list[str] | None = None

    def invoke(self, event: dict[str, Any]) -> Any:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(event) + "\n")
        self._process.stdin.flush()
        line = self._results.readline()
        assert line, f"the function died:\n{self.log_text()}"
        return json.loads(line)["result"]

    def close(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.write("\n")
            self._process.stdin.flush()
            line = self._results.readline()
            self.outside = json.loads(line)["outside"] if line else None
            self._process.wait(timeout=60)
        self._results.close()
        self._log_file.close()

    def log_text(self) -> str:
        if not self._log_file.closed:
            self._log_file.flush()
        return self.logs.read_text()


def http_event(
    method: str, path: str, body: str | None = None, *, stage: str = "dev", **headers: str
) -> dict[str, Any]:
    """An API Gateway REST API proxy event, as CloudFront + API Gateway deliver it. With
    binary support on, API Gateway passes every request body base64-encoded."""
    headers = {
        "Host": "abc123defg.execute-api.ap-southeast-3.amazonaws.com",
        "User-Agent": "Amazon CloudFront",
        "X-Forwarded-For": "198.51.100.7, 130.176.0.1",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Port": "443",
        "Accept": "application/json",
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
            "path": f"/{stage}{path}",
            "stage": stage,
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "identity": {"sourceIp": "130.176.0.1", "userAgent": "Amazon CloudFront"},
        },
        "body": base64.b64encode(body.encode()).decode() if body else None,
        "isBase64Encoded": body is not None,
    }


def scheduled_event(rule_arn: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": rule_arn.split(":")[4],
        "time": "2026-11-30T01:00:00Z",
        "region": rule_arn.split(":")[3],
        "resources": [rule_arn],
        "detail": {},
    }
