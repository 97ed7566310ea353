"""The stage's SecureStrings in SSM: link-signing keys and the origin secret.

Created with a random value when missing, never overwritten by a deploy (rotation is its
own command, docs/deploy.md). Each holds a comma-separated list, newest first; the values
never reach the terminal or a log.
"""

from __future__ import annotations

import secrets

DESCRIPTIONS = {
    "signing-keys": "TIKet link signing keys, newest first, comma-separated",
    "origin-secret": "TIKet X-Tiket-Origin values CloudFront sends, newest first, comma-separated",
}


def new_value() -> str:
    return secrets.token_urlsafe(48)


def ensure(ssm, name: str) -> str:
    """``created`` or ``unchanged``."""
    try:
        ssm.get_parameter(Name=name)
        return "unchanged"
    except ssm.exceptions.ParameterNotFound:
        pass
    ssm.put_parameter(
        Name=name,
        Type="SecureString",
        Value=new_value(),
        Description=DESCRIPTIONS[name.rsplit("/", 1)[-1]],
        Overwrite=False,
    )
    return "created"


def values(ssm, name: str) -> list[str]:
    value = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    return [part.strip() for part in value.split(",") if part.strip()]


def newest(ssm, name: str) -> str:
    return values(ssm, name)[0]


def prepend(ssm, name: str) -> None:
    """Rotation, step 1: a new value first, the current ones still accepted."""
    current = values(ssm, name)
    write(ssm, name, [new_value(), *current[:1]])


def keep_newest(ssm, name: str) -> None:
    """Rotation, last step: only the newest value is accepted."""
    write(ssm, name, values(ssm, name)[:1])


def write(ssm, name: str, parts: list[str]) -> None:
    ssm.put_parameter(Name=name, Type="SecureString", Value=",".join(parts), Overwrite=True)
