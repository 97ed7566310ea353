"""The HTTP contract fuzzed from outside, as an independent reviewer does it: the schemathesis
CLI with every check (`--checks all`: answers as documented, schema-valid input accepted,
schema-violating input refused, 405 with `Allow` for undeclared methods, auth not ignored…)
against the real local stack, signed in as a supervisor for the staff operations."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.stack import LocalStack

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("contract")]
CONFIG = Path(__file__).with_name("schemathesis.toml")
SIGNIN = re.compile(r"/staff/signin\.html#([A-Za-z0-9_.\-]+)")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = LocalStack(tmp_path_factory.mktemp("fuzz") / "var").start()
    yield stack
    stack.stop()


def _session_cookie(stack: LocalStack, email: str) -> str:
    assert stack.request("POST", "/api/auth/login", {"email": email})[0] == 202
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # the local stack's mail timer sends the link
        links = [SIGNIN.search(link) for mail in stack.mails() for link in mail["links"]]
        tokens = [match.group(1) for match in links if match]
        if tokens:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("no sign-in link")
    import http.client
    import json

    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
    connection.request(
        "POST",
        "/api/auth/signin",
        json.dumps({"token": tokens[-1]}),
        {"Content-Type": "application/json"},
    )
    response = connection.getresponse()
    assert response.status == 200, response.read()
    cookie = response.getheader("Set-Cookie")
    assert cookie
    return cookie.split(";", 1)[0].split("=", 1)[1]


def test_the_contract_holds_under_every_check(stack):
    session = _session_cookie(stack, "supervisor@example.go.id")
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(CONFIG),
        "run",
        f"{stack.url}/api/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        "30",
        "--seed",
        "1",
        "--no-color",
    ]
    env = {**os.environ, "TIKET_FUZZ_SESSION": session}
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
