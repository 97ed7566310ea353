"""The origin secret and signing keys as production reads them (SSM), and the operator's
CLI commands that need nothing but the table (the first administrator)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import boto3
import pytest

from tests.conftest import MONDAY_8
from tests.support import VALID_TICKET, make_services
from tiket import cli
from tiket.adapters import secrets
from tiket.adapters.clock import FixedClock
from tiket.adapters.dynamodb import connect
from tiket.adapters.dynamodb.staff import DynamoStaff
from tiket.domain.model import Staff
from tiket.domain.vocabulary import Role
from tiket.web.app import create_app

KEYS_PARAM = "/tiket/test/signing-keys"
ORIGIN_PARAM = "/tiket/test/origin-secret"
NEW, OLD = "origin-new-0123456789abcdefghijklmnop", "origin-old-0123456789abcdefghijklmnop"


def _put(name: str, value: str) -> None:
    boto3.client("ssm", region_name="ap-southeast-3").put_parameter(
        Name=name, Type="SecureString", Value=value, Overwrite=True
    )


@pytest.fixture
def ssm_calls(monkeypatch):
    calls: list[tuple[str, list[str]]] = []
    real = secrets.get_session

    def session():
        made_session = real()
        create = made_session.create_client

        def create_client(service, **kwargs):
            made = create(service, **kwargs)
            made.meta.events.register("provide-client-params.ssm.GetParameters", record)
            return made

        made_session.create_client = create_client
        return made_session

    def record(params, **_):
        calls.append(("GetParameters", list(params.get("Names", []))))

    monkeypatch.setattr(secrets, "get_session", session)
    return calls


def test_both_origin_values_are_accepted_while_the_secret_rotates(aws, transport, ssm_calls):
    _put(KEYS_PARAM, "signing-key-new-0123456789abcdef,signing-key-old-0123456789abcdef")
    _put(ORIGIN_PARAM, f"{NEW},{OLD}")
    services = make_services(
        clock=FixedClock(MONDAY_8),
        transport=transport,
        signing_keys=(),
        signing_keys_param=KEYS_PARAM,
        origin_secret_param=ORIGIN_PARAM,
    )
    client = create_app(services=services).test_client()
    # One GetParameters call at start serves both the keys and the origin secret.
    assert ssm_calls == [("GetParameters", [KEYS_PARAM, ORIGIN_PARAM])]
    for value in (NEW, OLD):
        answer = client.post("/api/tickets", json=VALID_TICKET, headers={"X-Tiket-Origin": value})
        assert answer.status_code == 201, answer.get_json()
    for value in ("", "origin-other-0123456789abcdefghijklm", f"{NEW},{OLD}"):
        answer = client.post("/api/tickets", json=VALID_TICKET, headers={"X-Tiket-Origin": value})
        assert answer.status_code == 403
    assert client.get("/api/health").status_code == 200


def test_production_behind_proxies_refuses_to_start_without_an_origin_secret(aws, transport):
    services = make_services(clock=FixedClock(MONDAY_8), transport=transport)
    from dataclasses import replace

    services.settings = replace(services.settings, env="production", trusted_proxy_hops=2)
    with pytest.raises(ValueError, match="Refusing to start"):
        create_app(services=services)
    # Directly reachable (no proxies): nothing to bypass, it starts.
    services.settings = replace(services.settings, trusted_proxy_hops=0)
    assert create_app(services=services)


def test_a_missing_parameter_is_named(aws):
    settings = make_settings(origin_secret_param="/tiket/test/nothing-here")
    with pytest.raises(ValueError, match="nothing-here"):
        secrets.load_origin_secrets(settings)


def make_settings(**changes):
    from tests.support import settings_for_tests

    return settings_for_tests(**changes)


def test_first_admin_needs_only_the_table(aws, monkeypatch, capsys):
    """The deploy's first-admin step: `tiket staff add` with the table and credentials only
    (it stopped with `Set TIKET_SIGNING_KEYS` before), and a second run writes nothing."""
    connect("tiket-first", None, "ap-southeast-3", ZoneInfo("Asia/Jakarta")).create_table()
    monkeypatch.setenv("TIKET_ENV", "production")
    monkeypatch.setenv("TIKET_TABLE", "tiket-first")
    argv = [
        "staff",
        "add",
        "--email",
        "Admin@Unit.go.id",
        "--name",
        "Nama Admin",
        "--role",
        "admin",
    ]
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.strip() == "admin@unit.go.id is admin"
    stores = connect("tiket-first", None, "ap-southeast-3", ZoneInfo("Asia/Jakarta"))
    admin = Staff("admin@unit.go.id", "Nama Admin", Role.ADMIN)
    assert stores.staff.get("admin@unit.go.id") == admin
    writes = []
    monkeypatch.setattr(DynamoStaff, "put", lambda self, member: writes.append(member))
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.strip() == "admin@unit.go.id is admin (unchanged)"
    assert writes == []
