"""Test helpers: a recording mail transport, services on moto, and request helpers."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tiket.adapters.mail.message import OutgoingMail
from tiket.adapters.mail.transports import PermanentMailError, TransientMailError
from tiket.config import DEMO_STAFF, RateLimit, Settings
from tiket.domain.model import Staff
from tiket.services.context import Services, build_services

PUBLIC_URL = "https://tiket.example.go.id"
ALLOWED_ORIGIN = "https://portal.example.go.id"
SIGNING_KEY = "test-signing-key-0123456789abcdef"
ACTION_LINK = re.compile(re.escape(PUBLIC_URL) + r"/actions/([A-Za-z0-9_.\-]+)")
TRACK_LINK = re.compile(re.escape(PUBLIC_URL) + r"/track\.html#([A-Za-z0-9_\-]+)")

VALID_TICKET = {
    "name": "Ana Lestari",
    "email": "ana.lestari@example.go.id",
    "nip": "198701012010012001",
    "phone": "+62 812 3456 7890",
    "unit": "Subbagian Tata Usaha",
    "location": "Gedung A, Ruang 101",
    "category": "hardware",
    "asset_tag": "BMN-2019-0042",
    "subject": "Printer tidak bisa mencetak",
    "description": "Printer di ruang 101 menampilkan pesan paper jam.",
}


class MemoryTransport:
    """Records what would be sent; can be told to fail the next sends."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []
        self.fail_next: list[Exception] = []

    def send(self, mail: OutgoingMail) -> str:
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.sent.append(mail)
        return mail.id

    def throttle(self, times: int = 1) -> None:
        self.fail_next += [TransientMailError("TooManyRequestsException")] * times

    def reject(self, times: int = 1) -> None:
        self.fail_next += [PermanentMailError("MessageRejected")] * times

    def to(self, address: str) -> list[OutgoingMail]:
        return [mail for mail in self.sent if mail.to == address]

    def kinds(self) -> list[tuple[str, str]]:
        return [(mail.kind, mail.to) for mail in self.sent]

    def clear(self) -> None:
        self.sent.clear()


def settings_for_tests(**changes: Any) -> Settings:
    base = Settings(
        env="test",
        stage="test",
        table="tiket-test",
        region="ap-southeast-3",
        public_url=PUBLIC_URL,
        mail_sender="TIKet <tiket@example.go.id>",
        allowed_origins=(ALLOWED_ORIGIN,),
        signing_keys=(SIGNING_KEY,),
        rate_limits={
            "tickets": RateLimit(0, 60),
            "login": RateLimit(0, 60),
            "resend": RateLimit(0, 60),
        },
        seed_staff=DEMO_STAFF,
    )
    return replace(base, **changes)


def make_services(clock, transport, **settings_changes: Any) -> Services:
    services = build_services(
        settings_for_tests(**settings_changes), clock=clock, transport=transport
    )
    services.store.create_table()
    for seed in services.settings.seed_staff:
        services.store.put_staff(Staff(seed.email, seed.name, seed.role))
    return services


def action_tokens(mail: OutgoingMail) -> list[str]:
    return ACTION_LINK.findall(mail.text)


def token_for(services: Services, mail: OutgoingMail, action: str) -> str:
    """The token of ``mail``'s link for ``action`` (links are signed payloads)."""
    from tiket.services.links import ACTION_PURPOSE

    for token in action_tokens(mail):
        if services.signer.verify(ACTION_PURPOSE, token)["a"] == action:
            return token
    raise AssertionError(f"no {action} link in {mail.kind} to {mail.to}")


def track_token(mail: OutgoingMail) -> str:
    (token,) = set(TRACK_LINK.findall(mail.text))
    return token


def file_ticket(client, **changes: Any):
    body = {**VALID_TICKET, **changes}
    return client.post("/api/tickets", json=body)


class ApiCalls:
    """Records every AWS API call (service, operation) made through botocore."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def operations(self, service: str = "dynamodb") -> list[str]:
        return [op for svc, op in self.calls if svc == service]

    def clear(self) -> None:
        self.calls.clear()
