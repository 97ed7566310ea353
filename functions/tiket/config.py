"""Settings, read once from the environment, with the SOP's defaults.

Every knob of the product lives here: table and endpoints, public URL, mail sender, CORS
origins, signing keys, categories, time standards, office hours, survey timing, limits.
Lambda gets them as environment variables that ``make deploy`` generates from the stage
file (docs/deploy.md); the local stack from ``tiket.local``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path

from tiket.domain.calendar import DEFAULT_OFFICE_HOURS
from tiket.domain.standards import DEFAULT_STANDARDS, TimeStandards
from tiket.messages.labels import CATEGORIES


@dataclass(frozen=True)
class StaffSeed:
    email: str
    name: str
    role: str


DEMO_STAFF = (
    StaffSeed("tik1@example.go.id", "Andi Pratama", "tik"),
    StaffSeed("tik2@example.go.id", "Siti Rahmawati", "tik"),
    StaffSeed("rt1@example.go.id", "Budi Santoso", "rt"),
    StaffSeed("supervisor@example.go.id", "Dr. Rina Wulandari", "supervisor"),
    StaffSeed("admin@example.go.id", "Admin TIKet", "admin"),
)


@dataclass(frozen=True)
class RateLimit:
    requests: int
    window_seconds: int


@dataclass(frozen=True)
class Settings:
    env: str = "local"  # local | test | production
    stage: str = "local"
    table: str = "tiket"
    region: str = "ap-southeast-3"
    dynamodb_endpoint: str | None = None
    ses_endpoint: str | None = None
    ssm_endpoint: str | None = None
    s3_endpoint: str | None = None  # the buckets' S3 (local stack: the moto server)
    public_url: str = "http://127.0.0.1:8000"
    mail_sender: str = "TIKet <tiket@example.go.id>"
    ses_configuration_set: str | None = None
    # ses | outbox | ses+outbox (local: SES on moto and an .eml copy on disk)
    mail_transport: str = "ses"
    outbox_dir: Path | None = None
    allowed_origins: tuple[str, ...] = ()
    signing_keys: tuple[str, ...] = ()  # newest first
    signing_keys_param: str | None = None
    unit_name: str = "Pusat Standardisasi Instrumen Peternakan dan Kesehatan Hewan"
    categories: tuple[str, ...] = tuple(CATEGORIES)
    timezone: str = "Asia/Jakarta"
    office_hours: Mapping[int, tuple[time, time]] = field(
        default_factory=lambda: dict(DEFAULT_OFFICE_HOURS)
    )
    closed_days: tuple[date, ...] = ()
    standards: TimeStandards = DEFAULT_STANDARDS
    action_link_hours: int = 72
    login_link_minutes: int = 15
    session_hours: int = 10  # absolute: a session ends this long after sign-in
    session_idle_minutes: int = 60  # and after this long without a request
    survey_reminder_working_days: int = 2
    survey_close_working_days: int = 5
    # Share of steps within their standard below which the monitoring sheet says
    # "Tidak berjalan dengan baik".
    monitoring_threshold_percent: float = 80.0
    max_body_bytes: int = 64 * 1024
    rate_limits: Mapping[str, RateLimit] = field(
        default_factory=lambda: {
            "tickets": RateLimit(60, 60),
            "login": RateLimit(20, 60),
            "resend": RateLimit(20, 60),
            # Sign-in emails per staff address: a flood of requests cannot flood a mailbox.
            "login_to": RateLimit(5, 3600),
            # The conversation: messages per ticket (the staff's inbox), lost-link lookups
            # per address asked about and per client address.
            "messages": RateLimit(20, 3600),
            "lookup": RateLimit(5, 3600),
            "lookup_ip": RateLimit(30, 3600),
            # Five files per request, from an office behind one address.
            "uploads": RateLimit(120, 60),
            # The request form's device lookups and searches (public).
            "assets": RateLimit(120, 60),
            # Own-page sign-in links per requester address (PRODUCT.md §14).
            "me_login_to": RateLimit(5, 3600),
        }
    )
    # How many proxies in front of the app append to X-Forwarded-For (CloudFront + API
    # Gateway in production); the client address is that many entries from the right.
    trusted_proxy_hops: int = 0
    # When set, every request but the health check must carry one of these values in
    # X-Tiket-Origin (added by CloudFront), so the API's own URL cannot bypass CloudFront and
    # its WAF. Either given directly (comma-separated, newest first) or read from the SSM
    # SecureString named by origin_secret_param (production), which holds two values while
    # the secret rotates (docs/deploy.md).
    origin_secret: str | None = None
    origin_secret_param: str | None = None
    # Files (issue 12), report exports (issue 14) and replies by email (issue 11): the
    # buckets and domain infra/ creates; empty when a stage has none.
    files_bucket: str | None = None
    exports_bucket: str | None = None
    reply_domain: str | None = None
    reply_address_days: int = 60  # a signed Reply-To address takes replies this long
    inbound_bucket: str | None = None
    inbound_region: str | None = None
    # Personal data (PRODUCT.md §14): how long closed tickets keep the requester's details
    # and files, how long a requester's own-page session lasts, and how many working days
    # an erasure request may wait for admin before the sweep escalates it.
    retention_months: int = 24
    file_retention_months: int = 12
    requester_session_minutes: int = 30
    erasure_working_days: int = 3
    seed_staff: tuple[StaffSeed, ...] = ()
    # Local stack only: dev routes (/_dev/*) and serving site/ from the app.
    dev_routes: bool = False
    site_dir: Path | None = None

    @property
    def production(self) -> bool:
        return self.env == "production"


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _hours(value: str) -> dict[int, tuple[time, time]]:
    """``{"0": ["07:30", "16:00"], ...}`` (weekday 0 = Monday)."""
    return {
        int(day): (time.fromisoformat(start), time.fromisoformat(end))
        for day, (start, end) in json.loads(value).items()
    }


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    base = Settings()

    def get(name: str) -> str:
        return env.get(name) or ""

    changes: dict = {}
    simple = {
        "TIKET_ENV": "env",
        "TIKET_STAGE": "stage",
        "TIKET_TABLE": "table",
        "TIKET_DYNAMODB_ENDPOINT": "dynamodb_endpoint",
        "TIKET_SES_ENDPOINT": "ses_endpoint",
        "TIKET_SSM_ENDPOINT": "ssm_endpoint",
        "TIKET_S3_ENDPOINT": "s3_endpoint",
        "TIKET_PUBLIC_URL": "public_url",
        "TIKET_MAIL_SENDER": "mail_sender",
        "TIKET_SES_CONFIGURATION_SET": "ses_configuration_set",
        "TIKET_MAIL_TRANSPORT": "mail_transport",
        "TIKET_SIGNING_KEYS_PARAM": "signing_keys_param",
        "TIKET_FILES_BUCKET": "files_bucket",
        "TIKET_EXPORTS_BUCKET": "exports_bucket",
        "TIKET_REPLY_DOMAIN": "reply_domain",
        "TIKET_INBOUND_BUCKET": "inbound_bucket",
        "TIKET_INBOUND_REGION": "inbound_region",
        "TIKET_UNIT_NAME": "unit_name",
        "TIKET_TIMEZONE": "timezone",
    }
    for var, attr in simple.items():
        if get(var):
            changes[attr] = get(var)
    # Apart from the names above: bandit reads them as passwords.
    if get("TIKET_ORIGIN_SECRET"):
        changes["origin_secret"] = get("TIKET_ORIGIN_SECRET")
    if get("TIKET_ORIGIN_SECRET_PARAM"):
        changes["origin_secret_param"] = get("TIKET_ORIGIN_SECRET_PARAM")
    region = get("TIKET_REGION") or get("AWS_REGION") or get("AWS_DEFAULT_REGION")
    if region:
        changes["region"] = region
    integers = {
        "TIKET_ACTION_LINK_HOURS": "action_link_hours",
        "TIKET_LOGIN_LINK_MINUTES": "login_link_minutes",
        "TIKET_SURVEY_REMINDER_DAYS": "survey_reminder_working_days",
        "TIKET_SURVEY_CLOSE_DAYS": "survey_close_working_days",
        "TIKET_TRUSTED_PROXY_HOPS": "trusted_proxy_hops",
        "TIKET_REPLY_ADDRESS_DAYS": "reply_address_days",
        "TIKET_RETENTION_MONTHS": "retention_months",
        "TIKET_FILE_RETENTION_MONTHS": "file_retention_months",
        "TIKET_REQUESTER_SESSION_MINUTES": "requester_session_minutes",
        "TIKET_ERASURE_WORKING_DAYS": "erasure_working_days",
    }
    for var, attr in integers.items():
        if get(var):
            changes[attr] = int(get(var))
    if get("TIKET_MONITORING_THRESHOLD"):
        changes["monitoring_threshold_percent"] = float(get("TIKET_MONITORING_THRESHOLD"))
    if get("TIKET_OUTBOX_DIR"):
        changes["outbox_dir"] = Path(get("TIKET_OUTBOX_DIR"))
    if get("TIKET_ALLOWED_ORIGINS"):
        changes["allowed_origins"] = _csv(get("TIKET_ALLOWED_ORIGINS"))
    if get("TIKET_SIGNING_KEYS"):
        changes["signing_keys"] = _csv(get("TIKET_SIGNING_KEYS"))
    if get("TIKET_CATEGORIES"):
        changes["categories"] = _csv(get("TIKET_CATEGORIES"))
    if get("TIKET_CLOSED_DAYS"):
        changes["closed_days"] = tuple(
            date.fromisoformat(d) for d in _csv(get("TIKET_CLOSED_DAYS"))
        )
    if get("TIKET_OFFICE_HOURS"):
        changes["office_hours"] = _hours(get("TIKET_OFFICE_HOURS"))
    if get("TIKET_STANDARDS"):
        changes["standards"] = base.standards.with_overrides(json.loads(get("TIKET_STANDARDS")))
    if get("TIKET_RATE_LIMITS"):
        # {"tickets": [60, 60], ...}: requests per window seconds; [0, 60] switches one off.
        changes["rate_limits"] = {
            **base.rate_limits,
            **{k: RateLimit(*v) for k, v in json.loads(get("TIKET_RATE_LIMITS")).items()},
        }
    if get("TIKET_SITE_DIR"):
        changes["site_dir"] = Path(get("TIKET_SITE_DIR"))
    if get("TIKET_DEV_ROUTES"):
        changes["dev_routes"] = get("TIKET_DEV_ROUTES") == "1"
    settings = replace(base, **changes)
    if settings.production and settings.dev_routes:
        raise ValueError("Local-only routes can never be enabled in production")
    return settings
