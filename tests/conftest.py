"""Shared fixtures: AWS through moto, a fixed clock, the services and the Flask test client.

The default instant is Monday 30 November 2026, 08:00 WIB: a working day, office hours."""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="ap-southeast-3",
)
for name in [n for n in os.environ if n.startswith("TIKET_")]:
    del os.environ[name]

from moto import mock_aws  # noqa: E402

from tests.support import MemoryTransport, make_services  # noqa: E402
from tiket.adapters.clock import FixedClock  # noqa: E402
from tiket.local_moto import patch_moto  # noqa: E402

patch_moto()

# The execution role checked against every AWS call the suite makes (issue 16).
pytest_plugins = ["tests.role_calls"]

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)


@pytest.fixture
def aws():
    with mock_aws():
        yield


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_8)


@pytest.fixture
def transport() -> MemoryTransport:
    return MemoryTransport()


@pytest.fixture
def services(aws, clock, transport):
    return make_services(clock=clock, transport=transport)


@pytest.fixture
def api_calls(monkeypatch):
    """Every botocore call of the test; the sweep and request paths must never Scan."""
    from botocore.client import BaseClient

    from tests.support import ApiCalls

    recorded = ApiCalls()
    original = BaseClient._make_api_call

    def recording(self, operation_name, api_params):
        recorded.calls.append((self.meta.service_model.service_name, operation_name))
        return original(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", recording)
    return recorded


@pytest.fixture
def faults(monkeypatch):
    """AWS errors answered in moto's place (``tests.support.Faults``), under botocore's
    retry handler; its backoff sleeps are skipped, its attempt counts are not."""
    from botocore.client import BaseClient
    from botocore.retries.standard import ExponentialBackoff
    from moto.core.botocore_stubber import BotocoreStubber

    from tests.support import Faults

    injected = Faults()
    make_api_call = BaseClient._make_api_call
    moto_answer = BotocoreStubber.__call__

    def faulty_call(self, operation_name, api_params):
        return injected.around(
            operation_name, api_params, lambda: make_api_call(self, operation_name, api_params)
        )

    def faulty_answer(self, event_name, request, **kwargs):
        return injected.answer(request) or moto_answer(self, event_name, request, **kwargs)

    monkeypatch.setattr(BaseClient, "_make_api_call", faulty_call)
    monkeypatch.setattr(BotocoreStubber, "__call__", faulty_answer)
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
    return injected


@pytest.fixture
def app(services):
    from tiket.web.app import create_app

    app = create_app(services=services)
    app.testing = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()
