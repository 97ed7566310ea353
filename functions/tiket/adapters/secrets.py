"""Secrets from SSM Parameter Store (SecureStrings) in production: the link-signing keys
and the origin secret CloudFront sends. Each parameter holds a comma-separated list, newest
first, so either rotates without breaking what is in flight (docs/deploy.md).

They are read once per Lambda instance, at start, in one ``GetParameters`` call: the first
loader fetches every configured parameter and leaves the others' values for their loader
to take once (nothing is cached beyond that, so a new instance always reads fresh values).
"""

from __future__ import annotations

from typing import Any

from botocore.session import get_session

from tiket.config import Settings

_fetched: dict[str, str] = {}


def _names(settings: Settings) -> list[str]:
    names = [settings.signing_keys_param, settings.origin_secret_param]
    return [name for name in names if name]


def _fetch(settings: Settings, name: str) -> str:
    if name in _fetched:
        return _fetched.pop(name)
    names = [n for n in _names(settings) if n == name or n not in _fetched]
    # botocore, not boto3: importing boto3 costs a cold start ~170 ms more (bench/coldstart).
    client: Any = get_session().create_client(
        "ssm", region_name=settings.region, endpoint_url=settings.ssm_endpoint
    )
    answer = client.get_parameters(Names=names, WithDecryption=True)
    if answer.get("InvalidParameters"):
        missing = ", ".join(answer["InvalidParameters"])
        raise ValueError(f"SSM parameter(s) missing: {missing} (make deploy creates them)")
    values = {p["Name"]: p["Value"] for p in answer["Parameters"]}
    _fetched.update({n: v for n, v in values.items() if n != name})
    return values[name]


def split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def load_signing_keys(settings: Settings) -> tuple[str, ...]:
    if not settings.signing_keys_param:
        raise ValueError("Set TIKET_SIGNING_KEYS (local) or TIKET_SIGNING_KEYS_PARAM (AWS)")
    keys = split(_fetch(settings, settings.signing_keys_param))
    if not keys:
        raise ValueError(f"No signing key in {settings.signing_keys_param}")
    return keys


def load_origin_secrets(settings: Settings) -> tuple[str, ...]:
    """Every value X-Tiket-Origin may carry: the configured ones and those in SSM."""
    secrets = split(settings.origin_secret or "")
    if settings.origin_secret_param:
        stored = split(_fetch(settings, settings.origin_secret_param))
        if not stored:
            raise ValueError(f"No origin secret in {settings.origin_secret_param}")
        secrets += stored
    return secrets
