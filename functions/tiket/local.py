"""The local stack behind ``make run``: production code against a moto server on loopback.

- moto serves DynamoDB and SES on ``127.0.0.1`` (address printed; the AWS CLI can use it);
- the table is created and the demo staff seeded; signing keys are generated once;
- data survives restarts: moto keeps nothing on disk, so the table is snapshotted to
  ``var/dynamodb.json`` shortly after every change and on exit, and restored at start;
- emails go through SES on moto and are also written to ``var/outbox/*.eml``;
- a timer runs the sweep every minute; Ctrl-C stops everything started here.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import threading
import time
from dataclasses import replace
from pathlib import Path

import boto3
from flask import request
from werkzeug.serving import make_server

from tiket import config
from tiket.domain.model import Staff
from tiket.domain.vocabulary import Role
from tiket.local_moto import patch_moto
from tiket.log import log_event
from tiket.services.bootstrap import Services, build_services
from tiket.web.app import create_app

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT_EVERY_S = 2.0
SWEEP_EVERY_S = 60.0
MAIL_EVERY_S = 2.0
# moto's dummy credentials: the local stack never talks to AWS.
LOCAL_CREDENTIALS = dict.fromkeys(
    ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"), "testing"
)


def free_port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]


def local_settings(var: Path, port: int, aws_endpoint: str) -> config.Settings:
    keys_file = var / "signing-keys"
    if not keys_file.exists():
        keys_file.write_text(secrets.token_urlsafe(48))
        keys_file.chmod(0o600)
    base = config.from_env()
    return replace(
        base,
        env="local",
        stage="local",
        dynamodb_endpoint=aws_endpoint,
        ses_endpoint=aws_endpoint,
        region=base.region,
        public_url=f"http://127.0.0.1:{port}",
        mail_transport="ses+outbox",
        outbox_dir=var / "outbox",
        signing_keys=base.signing_keys or (keys_file.read_text().strip(),),
        seed_staff=base.seed_staff or config.DEMO_STAFF,
        dev_routes=True,
        site_dir=REPO / "site",
    )


def prepare(services: Services, snapshot: Path) -> int:
    """Table, restored data, SES sender identity and demo staff. Returns items restored."""
    settings = services.settings
    services.stores.create_table()
    restored = restore(services, snapshot)
    ses = boto3.client("sesv2", region_name=settings.region, endpoint_url=settings.ses_endpoint)
    sender_domain = settings.mail_sender.rsplit("@", 1)[-1].rstrip(">")
    ses.create_email_identity(EmailIdentity=sender_domain)
    for seed in settings.seed_staff:
        if services.staff.get(seed.email) is None:
            services.staff.put(Staff(seed.email, seed.name, Role(seed.role)))
    return restored


def _client(services: Services):
    return services.stores.table.client  # type: ignore[attr-defined]


def dump(services: Services, snapshot: Path) -> int:
    """Whole-table copy for the local stack only (a Scan: never on a request path)."""
    client = _client(services)
    items, kwargs = [], {"TableName": services.settings.table}
    while True:
        page = client.scan(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    partial = snapshot.with_suffix(".tmp")
    partial.write_text(json.dumps(items))
    partial.replace(snapshot)  # atomic: a crash mid-write never leaves half a snapshot
    return len(items)


def restore(services: Services, snapshot: Path) -> int:
    if not snapshot.exists():
        return 0
    items = json.loads(snapshot.read_text())
    client = _client(services)
    for start in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        client.batch_write_item(RequestItems={services.settings.table: batch})
    return len(items)


class Background(threading.Thread):
    """Runs ``work`` every ``every`` seconds until stopped; errors are logged, not fatal."""

    def __init__(self, name: str, every: float, work):
        super().__init__(name=name, daemon=True)
        self.every, self.work = every, work
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                self.work()
            except Exception as error:  # noqa: BLE001 - keep the local stack running
                log_event(f"{self.name} failed", error=repr(error))


def run(port: int | None = None) -> None:
    from moto.server import ThreadedMotoServer

    patch_moto()
    # werkzeug's access log prints whole URLs, and URLs carry tokens; our own JSON request
    # log names the route pattern instead.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    var = Path(os.environ.get("TIKET_VAR_DIR") or REPO / "var")
    (var / "outbox").mkdir(parents=True, exist_ok=True)
    snapshot = var / "dynamodb.json"
    for name, value in LOCAL_CREDENTIALS.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("AWS_DEFAULT_REGION", "ap-southeast-3")

    aws_port = free_port(int(os.environ.get("TIKET_AWS_PORT", "4566")))
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=aws_port, verbose=False)
    moto.start()
    aws_endpoint = f"http://127.0.0.1:{aws_port}"
    port = port or int(os.environ.get("PORT", "8000"))
    settings = local_settings(var, port, aws_endpoint)
    services = build_services(settings)
    restored = prepare(services, snapshot)

    app = create_app(services=services)
    dirty = threading.Event()

    @app.after_request
    def _mark_dirty(response):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            dirty.set()
        return response

    next_dump = 0.0

    def snapshot_if_dirty() -> None:
        # A dump reads the whole table and holds moto while it does: as the table grows,
        # dump less often, so that snapshots never take more than a tenth of the time.
        nonlocal next_dump
        if dirty.is_set() and time.monotonic() >= next_dump:
            dirty.clear()
            started = time.monotonic()
            dump(services, snapshot)
            next_dump = time.monotonic() + 9 * (time.monotonic() - started)

    def sweep() -> None:
        services.sweep.run()
        dirty.set()

    timers = [
        Background("snapshot", SNAPSHOT_EVERY_S, snapshot_if_dirty),
        Background("sweep", SWEEP_EVERY_S, sweep),
        # Sign-in links and other outbox-only mail, sooner than the sweep's minute.
        Background("mail", MAIL_EVERY_S, services.mailer.send_due),
    ]
    server = make_server("127.0.0.1", port, app, threaded=True)

    print(
        f"""
TIKet local stack
  site + API      http://127.0.0.1:{port}/            (API at /api, action pages at /actions)
  outbox          http://127.0.0.1:{port}/_dev/mail   (.eml files in {var / "outbox"})
  DynamoDB + SES  {aws_endpoint}   region {settings.region}, credentials testing/testing
                  e.g. aws --endpoint-url {aws_endpoint} dynamodb scan --table-name {settings.table}
  data            {snapshot} ({restored} items restored)
  staff           {", ".join(f"{s.email} ({s.role})" for s in settings.seed_staff)}
Ctrl-C stops everything.
""",
        flush=True,
    )

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    for timer in timers:
        timer.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for timer in timers:
            timer.stopped.set()
        server.server_close()
        dump(services, snapshot)
        moto.stop()
        print("TIKet local stack stopped; data saved.", flush=True)
