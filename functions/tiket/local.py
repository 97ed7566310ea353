"""The local stack behind ``make run``: production code against a moto server on loopback.

- moto serves DynamoDB, SES and S3 on ``127.0.0.1`` (address printed; the AWS CLI can use
  it); the browser uploads files and loads thumbnails straight from it, as from S3;
- the table and the files bucket are created and the demo staff seeded; signing keys are
  generated once;
- data survives restarts: moto keeps nothing on disk, so the table is snapshotted to
  ``var/dynamodb.json`` and the files to ``var/files/`` shortly after every change and on
  exit, and restored at start;
- emails go through SES on moto and are also written to ``var/outbox/*.eml``;
- report exports are written to S3 on moto (not kept across restarts) by a thread;
- a timer runs the sweep every minute; Ctrl-C stops everything started here;
- replies by email: emails carry a Reply-To on ``balas.tiket.test`` (unless
  ``TIKET_REPLY_DOMAIN`` says otherwise); a raw reply dropped into ``var/inbox/`` (or posted
  to ``/_dev/inbound``) is taken within seconds and moved to ``var/inbox/done/`` or
  ``var/inbox/dropped/``.
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
from functools import cache
from pathlib import Path

import boto3
from flask import request
from werkzeug.serving import make_server

from tiket import config
from tiket.adapters.blobs import s3_client
from tiket.adapters.export_files import ensure_bucket
from tiket.domain.model import Staff
from tiket.domain.vocabulary import Role
from tiket.local_files import dump_files, prepare_bucket, restore_files
from tiket.local_moto import install_fault_switch, patch_moto
from tiket.log import log_event
from tiket.services.bootstrap import Services, build_services
from tiket.web.app import create_app
from tiket.web.dev import SWEEPING

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT_EVERY_S = 2.0
SWEEP_EVERY_S = 60.0
MAIL_EVERY_S = 2.0
INBOX_EVERY_S = 3.0
LOCAL_REPLY_DOMAIN = "balas.tiket.test"  # .test is reserved: it never reaches anyone
FILES_BUCKET = "tiket-files"
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
        s3_endpoint=aws_endpoint,
        files_bucket=base.files_bucket or FILES_BUCKET,
        # Report exports go to the files bucket's exports/ prefix, as in production.
        exports_bucket=base.exports_bucket or base.files_bucket or FILES_BUCKET,
        region=base.region,
        public_url=f"http://127.0.0.1:{port}",
        mail_transport="ses+outbox",
        outbox_dir=var / "outbox",
        signing_keys=base.signing_keys or (keys_file.read_text().strip(),),
        seed_staff=base.seed_staff or config.DEMO_STAFF,
        reply_domain=base.reply_domain or LOCAL_REPLY_DOMAIN,
        dev_routes=True,
        site_dir=REPO / "site",
    )


def _files(settings: config.Settings):
    return _s3(settings.region, settings.s3_endpoint)


@cache
def _s3(region: str, endpoint: str | None):
    return s3_client(region, endpoint)


def prepare(services: Services, snapshot: Path) -> int:
    """Table, files bucket, restored data, SES sender identity and demo staff. Returns items
    restored (table items and files)."""
    settings = services.settings
    services.stores.create_table()
    restored = restore(services, snapshot)
    if settings.files_bucket:
        site = settings.public_url.rstrip("/")
        prepare_bucket(_files(settings), settings.files_bucket, settings.region, site)
        restored += restore_files(_files(settings), settings.files_bucket, files_dir(snapshot))
    ses = boto3.client("sesv2", region_name=settings.region, endpoint_url=settings.ses_endpoint)
    sender_domain = settings.mail_sender.rsplit("@", 1)[-1].rstrip(">")
    ses.create_email_identity(EmailIdentity=sender_domain)
    if settings.exports_bucket:
        s3 = s3_client(settings.region, settings.s3_endpoint)
        ensure_bucket(s3, settings.exports_bucket, settings.region)
    for seed in settings.seed_staff:
        if services.staff.get(seed.email) is None:
            services.staff.put(Staff(seed.email, seed.name, Role(seed.role)))
    return restored


def files_dir(snapshot: Path) -> Path:
    return snapshot.parent / "files"


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
    settings = services.settings
    if settings.files_bucket:
        dump_files(_files(settings), settings.files_bucket, files_dir(snapshot))
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


def take_inbox(services: Services, inbox: Path) -> int:
    """Every mail file in ``inbox`` becomes a message or is dropped, as a reply by email
    would; then it moves to ``done/`` or ``dropped/``. Returns how many were taken. A store
    error leaves the file where it is, for the next round."""
    taken = 0
    for path in sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")):
        result = services.inbound.receive(path.read_bytes(), receipt=None)
        target = inbox / ("done" if result.posted or result.reason == "duplicate" else "dropped")
        target.mkdir(exist_ok=True)
        path.replace(target / path.name)
        taken += 1
    return taken


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

    # CORS as the bucket's own rules say (S3's behaviour), not moto's allow-all default: read
    # when moto's server module is first imported, by patch_moto.
    os.environ.setdefault("MOTO_DISABLE_GLOBAL_CORS", "true")
    patch_moto()
    install_fault_switch()  # off until /_dev/faults turns an outage on (bench/load)
    # werkzeug's access log prints whole URLs, and URLs carry tokens; our own JSON request
    # log names the route pattern instead.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    var = Path(os.environ.get("TIKET_VAR_DIR") or REPO / "var")
    (var / "outbox").mkdir(parents=True, exist_ok=True)
    (var / "inbox").mkdir(parents=True, exist_ok=True)
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
        with SWEEPING:
            services.sweep.run()
        dirty.set()

    def send_mail() -> None:
        with SWEEPING:
            services.mailer.send_due()

    def inbox() -> None:
        with SWEEPING:
            taken = take_inbox(services, var / "inbox")
        if taken:
            dirty.set()

    timers = [
        Background("snapshot", SNAPSHOT_EVERY_S, snapshot_if_dirty),
        Background("sweep", SWEEP_EVERY_S, sweep),
        # Sign-in links and other outbox-only mail, sooner than the sweep's minute.
        Background("mail", MAIL_EVERY_S, send_mail),
        Background("inbox", INBOX_EVERY_S, inbox),
    ]
    server = make_server("127.0.0.1", port, app, threaded=True)

    print(
        f"""
TIKet local stack
  site + API      http://127.0.0.1:{port}/            (API at /api, action pages at /actions)
  outbox          http://127.0.0.1:{port}/_dev/mail   (.eml files in {var / "outbox"})
  inbox           replies dropped into {var / "inbox"} (or POST /_dev/inbound)
  DynamoDB, SES   {aws_endpoint}   region {settings.region}, credentials testing/testing
  and S3          e.g. aws --endpoint-url {aws_endpoint} dynamodb scan --table-name {settings.table}
                       aws --endpoint-url {aws_endpoint} s3 ls s3://{settings.files_bucket}/
  data            {snapshot} and {files_dir(snapshot)} ({restored} items restored)
  staff           {", ".join(f"{s.email} ({s.role})" for s in settings.seed_staff)}
Ctrl-C stops everything.
""",
        flush=True,
    )

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    # Started from a background job or nohup, a process begins with SIGINT ignored and Python
    # then leaves it so: Ctrl-C (or a test's SIGINT) would not stop the stack.
    signal.signal(signal.SIGINT, stop)
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
