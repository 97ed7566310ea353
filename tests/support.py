"""Test helpers: a recording mail transport, services on moto, and request helpers."""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from tiket.adapters.blobs import s3_client
from tiket.adapters.memory_blobs import MemoryBlobs
from tiket.config import DEMO_STAFF, RateLimit, Settings
from tiket.domain.model import Staff
from tiket.domain.vocabulary import Role
from tiket.services.bootstrap import Services, build_services
from tiket.services.ports import OutgoingMail, PermanentMailError, TransientMailError

PUBLIC_URL = "https://tiket.example.go.id"
ALLOWED_ORIGIN = "https://portal.example.go.id"
SIGNING_KEY = "test-signing-key-0123456789abcdef"
REPLY_DOMAIN = "balas.tiket.example.go.id"
FILES_BUCKET = "tiket-files-test"
ACTION_LINK = re.compile(re.escape(PUBLIC_URL) + r"/actions/([A-Za-z0-9_.\-]+)")
TRACK_LINK = re.compile(re.escape(PUBLIC_URL) + r"/track\.html#([A-Za-z0-9_\-]+)")
SIGNIN_LINK = re.compile(r"/staff/signin\.html#([A-Za-z0-9_.\-]+)")
THROTTLED = "ProvisionedThroughputExceededException"

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
        reply_domain=REPLY_DOMAIN,
        files_bucket=FILES_BUCKET,
    )
    return replace(base, **changes)


def make_services(clock, transport, stores=None, blobs=None, **settings_changes: Any) -> Services:
    """Services on moto's DynamoDB and S3 (the ``aws`` fixture), or on ``stores`` (e.g. in
    memory, with the files bucket in memory too unless ``blobs`` says otherwise)."""
    if stores is not None and blobs is None:
        blobs = MemoryBlobs()
    services = build_services(
        settings_for_tests(**settings_changes),
        clock=clock,
        transport=transport,
        stores=stores,
        blobs=blobs,
    )
    _table_with_staff(services)
    if stores is None and services.settings.files_bucket:
        _files_bucket(services.settings)
    return services


def _files_bucket(settings: Settings) -> None:
    s3 = s3_client(settings.region)
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(
            Bucket=settings.files_bucket,
            CreateBucketConfiguration={"LocationConstraint": settings.region},
        )


def _table_with_staff(services: Services) -> None:
    services.stores.create_table()
    for seed in services.settings.seed_staff:
        services.staff.put(Staff(seed.email, seed.name, Role(seed.role)))


def empty_table(services: Services) -> None:
    """Start over: a new, empty table with only the staff in it."""
    services.stores.table.client.delete_table(TableName=services.settings.table)
    _table_with_staff(services)


def action_tokens(mail: OutgoingMail) -> list[str]:
    return ACTION_LINK.findall(mail.text)


def token_for(services: Services, mail: OutgoingMail, action: str) -> str:
    """The token of ``mail``'s link for ``action`` (links are signed payloads)."""
    from tiket.services.links import ACTION_PURPOSE

    for token in action_tokens(mail):
        if services.signer.verify(ACTION_PURPOSE, token)["a"] == action:
            return token
    raise AssertionError(f"no {action} link in {mail.kind} to {mail.to}")


def latest(transport: MemoryTransport, to: str, kind: str) -> OutgoingMail:
    mails = [mail for mail in transport.sent if mail.to == to and mail.kind == kind]
    assert mails, f"no {kind} email to {to}: {transport.kinds()}"
    return mails[-1]


def follow(services: Services, transport, to: str, kind: str, action: str, **form):
    """Do ``action`` from its link in the newest ``kind`` email to ``to``."""
    return services.actions.perform(token_for(services, latest(transport, to, kind), action), form)


def resolve(services: Services, transport, tik: str = "tik1@example.go.id", **texts: str):
    """Take the newest ticket along path A (acknowledge, diagnose, resolve) by ``tik``."""
    follow(services, transport, tik, "new_ticket", "acknowledge")
    follow(
        services,
        transport,
        tik,
        "next_steps",
        "diagnose",
        diagnosis=texts.get("diagnosis", "Driver rusak"),
        decision="handle",
        estimate_minutes=30,
    )
    return follow(
        services, transport, tik, "next_steps", "resolve", resolution=texts.get("resolution", "OK")
    )


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


def sign_in(client, transport, email: str) -> None:
    """Sign ``client`` in as ``email`` the way a person does: the link from the email, which
    the sweep sends (sign-in mail goes through the outbox only)."""
    assert client.post("/api/auth/login", json={"email": email}).status_code == 202
    client.application.extensions["tiket"].mailer.send_due()
    mail = transport.sent[-1]
    assert mail.to == email
    (token,) = SIGNIN_LINK.findall(mail.text)
    assert client.post("/api/auth/signin", json={"token": token}).status_code == 200


@dataclass
class Fault:
    """AWS answers ``code`` to calls of ``operation`` whose parameters satisfy ``when``, for
    the next ``times`` HTTP attempts (botocore's retries included); ``attempts`` counts
    the attempts it answered."""

    operation: str
    code: str
    status: int = 400
    times: int = 1_000  # in effect: every attempt
    when: Callable[[dict], bool] = lambda params: True
    body: dict = field(default_factory=dict)
    attempts: int = 0

    def response(self, url: str):
        from botocore.awsrequest import AWSResponse

        self.attempts += 1
        payload = json.dumps({"__type": self.code, "message": self.code, **self.body}).encode()
        headers = {"x-amzn-ErrorType": self.code, "Content-Type": "application/x-amz-json-1.0"}
        return AWSResponse(url, self.status, headers, _Raw(payload))


class _Raw:
    def __init__(self, payload: bytes) -> None:
        self.payload = payload

    def stream(self, **_):
        yield self.payload


class Faults:
    """Fault injection where AWS answers: a planned fault answers a matching call instead
    of moto, as an HTTP error response, so botocore parses it and retries it as it would a
    real one. Installed by the ``faults`` fixture."""

    def __init__(self) -> None:
        self.planned: list[Fault] = []
        self._armed = threading.local()

    def add(self, operation: str, code: str, **options: Any) -> Fault:
        fault = Fault(operation, code, **options)
        self.planned.append(fault)
        return fault

    def throttle(self, operation: str, code: str = THROTTLED, **options: Any) -> Fault:
        return self.add(operation, code, **options)

    def clear(self) -> None:
        self.planned.clear()

    def around(self, operation: str, params: dict, call):
        """Around ``BaseClient._make_api_call``: arms the fault this call matches, if any,
        for every HTTP attempt botocore makes of it."""
        self._armed.fault = next(
            (f for f in self.planned if f.operation == operation and f.when(params)), None
        )
        try:
            return call()
        finally:
            self._armed.fault = None

    def answer(self, request):
        """Around moto's answer to one HTTP attempt: the armed fault's, while it lasts."""
        fault = getattr(self._armed, "fault", None)
        if fault is None or fault.attempts >= fault.times:
            return None
        return fault.response(request.url)


def table_items(services: Services) -> dict[tuple[str, str], dict]:
    """Every item of the table by key (tests only: a Scan)."""
    client = services.stores.table.client
    items = client.scan(TableName=services.settings.table, ConsistentRead=True)["Items"]
    return {(item["pk"]["S"], item["sk"]["S"]): item for item in items}
