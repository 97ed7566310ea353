"""The stage file: everything about one deployment that is not in the repository.

``stages/<stage>.json`` (untracked; ``stages/example.json`` is the tracked model). Bad or
missing values are refused with the field named, before anything is deployed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from tools import zappa_config

ROOT = Path(__file__).resolve().parents[2]
STAGES = ROOT / "stages"
STAGE_NAME = re.compile(r"^[a-z][a-z0-9]{1,11}$")
DOMAIN = re.compile(r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ACCOUNT = re.compile(r"^\d{12}$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
CERTIFICATE = re.compile(r"^arn:aws:acm:us-east-1:\d{12}:certificate/[0-9a-f-]+$")
ENV_NAME = re.compile(r"^TIKET_[A-Z0-9_]+$")
TABLE = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
# Set by the deploy from the stage file and the stacks; not overridable by "settings".
MANAGED = {
    "TIKET_ENV", "TIKET_STAGE", "TIKET_TABLE", "TIKET_PUBLIC_URL", "TIKET_MAIL_SENDER",
    "TIKET_SES_CONFIGURATION_SET", "TIKET_SIGNING_KEYS_PARAM", "TIKET_ORIGIN_SECRET_PARAM",
    "TIKET_UNIT_NAME", "TIKET_TRUSTED_PROXY_HOPS", "TIKET_FILES_BUCKET", "TIKET_EXPORTS_BUCKET",
    "TIKET_REPLY_DOMAIN", "TIKET_INBOUND_BUCKET", "TIKET_INBOUND_REGION", "TIKET_ORIGIN_SECRET",
    "TIKET_SIGNING_KEYS", "TIKET_DEV_ROUTES",
}  # fmt: skip


class StageFileError(ValueError):
    pass


@dataclass(frozen=True)
class Admin:
    email: str
    name: str


@dataclass(frozen=True)
class Stage:
    stage: str
    account: str
    region: str
    unit_name: str
    sender: str
    alarm_email: str
    first_admin: Admin
    site_domain: str = ""
    site_certificate_arn: str = ""
    ses_sandbox: bool = True
    create_sender_identity: bool = True
    waf: bool = True
    architecture: str = field(default_factory=lambda: zappa_config.common()["architecture"])
    reply_domain: str = ""
    inbound_region: str = ""
    files_retention_days: int = 365
    # Only while the function runs on a table restored from a backup (runbook, Restore).
    restored_table: str = ""
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def sender_domain(self) -> str:
        return parseaddr(self.sender)[1].rpartition("@")[2]

    @property
    def function(self) -> str:
        return f"tiket-{self.stage}"

    @property
    def signing_keys_param(self) -> str:
        return f"/tiket/{self.stage}/signing-keys"

    @property
    def origin_secret_param(self) -> str:
        return f"/tiket/{self.stage}/origin-secret"


def _require(data: dict[str, Any], key: str, pattern: re.Pattern[str] | None = None) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise StageFileError(f"{key}: required")
    if pattern and not pattern.match(value):
        raise StageFileError(f"{key}: {value!r} is not valid")
    return value.strip()


def _optional(data: dict[str, Any], key: str, pattern: re.Pattern[str]) -> str:
    value = data.get(key, "")
    if value and (not isinstance(value, str) or not pattern.match(value)):
        raise StageFileError(f"{key}: {value!r} is not valid")
    return value or ""


def _flag(data: dict[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise StageFileError(f"{key}: true or false")
    return value


def parse(data: dict[str, Any]) -> Stage:
    if not isinstance(data, dict):
        raise StageFileError("the stage file holds one JSON object")
    known = set(Stage.__dataclass_fields__)
    unknown = sorted(set(data) - known - {"$comment"})
    if unknown:
        raise StageFileError(f"unknown keys: {', '.join(unknown)}")
    sender = _require(data, "sender")
    if not EMAIL.match(parseaddr(sender)[1]):
        raise StageFileError(
            f"sender: {sender!r} is not an address such as TIKet <tiket@unit.go.id>"
        )
    admin = data.get("first_admin")
    if not isinstance(admin, dict):
        raise StageFileError('first_admin: {"email": ..., "name": ...} required')
    first_admin = Admin(_require(admin, "email", EMAIL).lower(), _require(admin, "name"))
    site_domain = _optional(data, "site_domain", DOMAIN)
    certificate = _optional(data, "site_certificate_arn", CERTIFICATE)
    if bool(site_domain) != bool(certificate):
        raise StageFileError("site_domain and site_certificate_arn go together (us-east-1 ACM)")
    reply_domain = _optional(data, "reply_domain", DOMAIN)
    inbound_region = _optional(data, "inbound_region", REGION)
    if reply_domain and not inbound_region:
        raise StageFileError("reply_domain needs inbound_region (a region where SES receives)")
    architecture = data.get("architecture", zappa_config.common()["architecture"])
    if architecture not in ("arm64", "x86_64"):
        raise StageFileError("architecture: arm64 or x86_64")
    settings = data.get("settings", {})
    if not isinstance(settings, dict) or not all(
        isinstance(k, str) and ENV_NAME.match(k) and isinstance(v, str) for k, v in settings.items()
    ):
        raise StageFileError('settings: {"TIKET_NAME": "string value", ...}')
    overridden = sorted(set(settings) & MANAGED)
    if overridden:
        raise StageFileError(f"settings: set by the deploy, not here: {', '.join(overridden)}")
    retention = data.get("files_retention_days", 365)
    if not isinstance(retention, int) or retention < 1:
        raise StageFileError("files_retention_days: a whole number of days, at least 1")
    return Stage(
        stage=_require(data, "stage", STAGE_NAME),
        account=_require(data, "account", ACCOUNT),
        region=_require(data, "region", REGION),
        unit_name=_require(data, "unit_name"),
        sender=sender,
        alarm_email=_require(data, "alarm_email", EMAIL),
        first_admin=first_admin,
        site_domain=site_domain,
        site_certificate_arn=certificate,
        ses_sandbox=_flag(data, "ses_sandbox", True),
        create_sender_identity=_flag(data, "create_sender_identity", True),
        waf=_flag(data, "waf", True),
        architecture=architecture,
        reply_domain=reply_domain,
        inbound_region=inbound_region,
        files_retention_days=retention,
        restored_table=_optional(data, "restored_table", TABLE),
        settings=dict(settings),
    )


def load(stage: str, path: Path | None = None) -> Stage:
    path = path or STAGES / f"{stage}.json"
    if not path.exists():
        raise StageFileError(f"{path}: no such stage file (copy stages/example.json)")
    try:
        data = json.loads(path.read_text())
    except ValueError as error:
        raise StageFileError(f"{path}: not JSON ({error})") from error
    parsed = parse(data)
    if parsed.stage != stage:
        raise StageFileError(f"{path}: says stage {parsed.stage!r}, not {stage!r}")
    return parsed
