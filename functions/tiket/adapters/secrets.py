"""Link-signing keys: from SSM Parameter Store (SecureString) in production.

The parameter holds a comma-separated list of keys, newest first (see docs/deploy.md for
rotation). It is read once per Lambda instance, at start.
"""

from __future__ import annotations

import boto3

from tiket.config import Settings


def load_signing_keys(settings: Settings) -> tuple[str, ...]:
    if not settings.signing_keys_param:
        raise ValueError("Set TIKET_SIGNING_KEYS (local) or TIKET_SIGNING_KEYS_PARAM (AWS)")
    client = boto3.client("ssm", region_name=settings.region, endpoint_url=settings.ssm_endpoint)
    value = client.get_parameter(Name=settings.signing_keys_param, WithDecryption=True)
    keys = tuple(k.strip() for k in value["Parameter"]["Value"].split(",") if k.strip())
    if not keys:
        raise ValueError(f"No signing key in {settings.signing_keys_param}")
    return keys
