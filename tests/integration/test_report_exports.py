"""Export jobs (PRODUCT.md §13) end to end on moto: DynamoDB for the job and the tickets, S3
for the file (multipart, with moto holding parts to S3's 5 MiB minimum), the API as staff
use it, and a job continued over several invocations."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
import requests
from openpyxl import load_workbook

from tests.conftest import WIB
from tests.integration.test_reports_api import FORMULAS
from tests.support import VALID_TICKET, make_services, sign_in
from tiket.adapters import job_starters
from tiket.adapters.export_files import ensure_bucket
from tiket.services import export_jobs

BUCKET = "tiket-exports-test"
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


class Recorded:
    """A starter that only notes the job: the test runs it when it wants."""

    def __init__(self) -> None:
        self.started: list[str] = []

    def start(self, job_id: str) -> None:
        self.started.append(job_id)


@pytest.fixture
def services(aws, clock, transport):
    services = make_services(clock, transport, exports_bucket=BUCKET)
    ensure_bucket(boto3.client("s3", region_name="ap-southeast-3"), BUCKET, "ap-southeast-3")
    services.exports.starter = Recorded()
    return services


@pytest.fixture
def filed(services, clock):
    for n, subject in enumerate((*FORMULAS, "Printer macet")):
        services.intake.file({**VALID_TICKET, "subject": subject, "unit": f"Unit {n}"})
        clock.advance(minutes=7)
    clock.set(datetime(2026, 10, 30, 10, 0, tzinfo=WIB))
    services.intake.file({**VALID_TICKET, "subject": "Bulan lalu"})
    clock.set(datetime(2026, 11, 30, 11, 0, tzinfo=WIB))


def run_started(services) -> None:
    while services.exports.starter.started:
        services.exports.run(services.exports.starter.started.pop(0))


def download(url: str) -> bytes:
    """The signed link, fetched as a browser would (moto answers for S3)."""
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    return response.content


@pytest.mark.usefixtures("filed")
def test_a_csv_export_from_the_staff_api(client, transport, services):
    sign_in(client, transport, "supervisor@example.go.id")
    started = client.post("/api/reports/exports", json={**NOVEMBER, "format": "csv"})
    assert started.status_code == 202
    job_id = started.get_json()["id"]
    queued = client.get(f"/api/reports/exports/{job_id}").get_json()
    assert (queued["status"], queued["rows"], queued["progress"]) == ("queued", 0, 0.0)
    assert "url" not in queued

    run_started(services)
    done = client.get(f"/api/reports/exports/{job_id}")
    assert done.headers["Cache-Control"] == "no-store"
    body = done.get_json()
    assert (body["status"], body["rows"], body["progress"]) == ("done", 4, 100.0)
    assert body["filename"] == "tiket-tickets-2026-11-01_2026-11-30.csv"
    query = parse_qs(urlparse(body["url"]).query)
    assert int(query["X-Amz-Expires"][0]) <= 900  # a short-lived link
    assert query["response-content-disposition"][0].startswith("attachment;")
    data = download(body["url"])
    # The same file as the direct download of the same period, row for row.
    direct = client.get("/api/reports/tickets.csv?from=2026-11-01&to=2026-11-30")
    assert data == direct.data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [row[rows[0].index("Judul")] for row in rows[1:]] == [
        *("'" + text for text in FORMULAS),
        "Printer macet",
    ]


@pytest.mark.usefixtures("filed")
def test_an_xlsx_export_has_a_filter_a_frozen_header_and_the_texts(client, transport, services):
    sign_in(client, transport, "admin@example.go.id")
    job_id = client.post("/api/reports/exports", json={**NOVEMBER, "format": "xlsx"}).get_json()[
        "id"
    ]
    run_started(services)
    body = client.get(f"/api/reports/exports/{job_id}").get_json()
    data = download(body["url"])
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    sheet = load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in next(sheet.iter_rows())]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}5"
    assert {"Diagnosa", "Penyelesaian", "Masih terbuka melewati batas waktu"} <= set(header)
    direct = load_workbook(
        io.BytesIO(client.get("/api/reports/tickets.xlsx?period=2026-11").data)
    ).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        [c.value for c in row] for row in direct.iter_rows()
    ]


def small_parts(monkeypatch, part_bytes: int) -> None:
    """Parts of a few kilobytes, S3's rule scaled down alike (moto enforces it)."""
    from moto.s3 import models as s3_models

    monkeypatch.setattr(export_jobs, "PART_BYTES", part_bytes)
    monkeypatch.setattr(s3_models, "S3_UPLOAD_PART_MIN_SIZE", part_bytes)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_job_continues_over_invocations_into_one_file(services, clock, monkeypatch, fmt):
    for n in range(60):
        services.intake.file({**VALID_TICKET, "subject": f"Kendala nomor {n}"})
        clock.advance(minutes=3)
    staff = services.staff.get("supervisor@example.go.id")
    body = {**NOVEMBER, "format": fmt}

    whole = services.exports.start(staff, body, "id")["id"]
    run_started(services)

    small_parts(monkeypatch, 4_000)
    monkeypatch.setattr(export_jobs, "PROGRESS_SECONDS", 0)
    parts = services.exports.start(staff, body, "id")["id"]
    invocations = []
    while services.exports.starter.started:
        # Each invocation "has" 25 rows' time before it must hand over.
        budget = iter(range(25, -1, -1))
        invocations.append(services.exports.starter.started.pop(0))
        services.exports.run(invocations[-1], lambda budget=budget: next(budget, 0) + 0.5)
    assert len(invocations) > 2
    job = services.stores.exports.get(parts)
    assert (job.status, job.rows, job.pending) == ("done", 60, False)

    files = boto3.client("s3", region_name="ap-southeast-3")
    keys = {o["Key"] for o in files.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert f"exports/{parts}/pending" not in keys
    head = files.head_object(Bucket=BUCKET, Key=job.key)
    assert head["ContentType"].startswith({"csv": "text/csv", "xlsx": "application/vnd"}[fmt])
    assert "-" in head["ETag"]  # a multipart object
    one = files.get_object(Bucket=BUCKET, Key=services.stores.exports.get(whole).key)
    many = files.get_object(Bucket=BUCKET, Key=job.key)["Body"].read()
    if fmt == "csv":
        assert many == one["Body"].read()
    else:  # the same cells (the compressed bytes differ where each invocation flushed)
        assert zipfile.ZipFile(io.BytesIO(many)).testzip() is None
        assert cells(many) == cells(one["Body"].read())


def cells(data: bytes) -> list[list]:
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]


def test_only_its_owner_sees_a_job_and_only_while_its_file_is_kept(
    client, transport, services, clock
):
    sign_in(client, transport, "supervisor@example.go.id")
    job_id = client.post("/api/reports/exports", json={**NOVEMBER, "format": "csv"}).get_json()[
        "id"
    ]
    other = client.application.test_client()
    sign_in(other, transport, "admin@example.go.id")
    assert other.get(f"/api/reports/exports/{job_id}").status_code == 404
    assert client.get("/api/reports/exports/no-such-job").status_code == 404
    assert client.get(f"/api/reports/exports/{'x' * 500}").status_code == 404
    clock.advance(days=1, minutes=1)
    sign_in(client, transport, "supervisor@example.go.id")  # a session lasts 10 hours at most
    assert client.get(f"/api/reports/exports/{job_id}").status_code == 404


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({**NOVEMBER, "format": "pdf"}, {"format"}),
        ({"from": "2026-11-31", "to": "2026-12-01", "format": "csv"}, {"from"}),
        ({"from": "2026-12-01", "to": "2026-11-01", "format": "csv"}, {"to"}),
        ({"from": "2020-01-01", "to": "2026-01-01", "format": "csv"}, {"to"}),
        ({"to": "2026-11-30"}, {"from", "format"}),
        ({"from": 20261101, "to": "2026-11-30", "format": "csv"}, {"from"}),
    ],
)
def test_bad_export_requests_are_400_and_start_nothing(client, transport, services, body, fields):
    sign_in(client, transport, "supervisor@example.go.id")
    response = client.post("/api/reports/exports", json=body)
    assert response.status_code == 400
    assert set(response.get_json()["fields"]) == fields
    assert services.exports.starter.started == []


def test_exports_need_a_reporting_role_and_a_bucket(aws, clock, transport):
    services = make_services(clock, transport)  # a stage without an exports bucket
    from tiket.web.app import create_app

    client = create_app(services=services).test_client()
    assert (
        client.post("/api/reports/exports", json={**NOVEMBER, "format": "csv"}).status_code == 401
    )
    sign_in(client, transport, "rt1@example.go.id")
    assert (
        client.post("/api/reports/exports", json={**NOVEMBER, "format": "csv"}).status_code == 403
    )
    sign_in(client, transport, "tik1@example.go.id")
    response = client.post("/api/reports/exports", json={**NOVEMBER, "format": "csv"})
    assert response.status_code == 409
    assert "belum disiapkan" in response.get_json()["message"]


@pytest.mark.usefixtures("filed")
def test_a_failing_job_says_so_and_leaves_no_upload(client, transport, services, monkeypatch):
    sign_in(client, transport, "supervisor@example.go.id")
    job_id = client.post("/api/reports/exports", json={**NOVEMBER, "format": "csv"}).get_json()[
        "id"
    ]

    def broken(self, *args):
        raise RuntimeError("S3 said no")

    monkeypatch.setattr(type(services.exports.files), "complete", broken)
    run_started(services)
    body = client.get(f"/api/reports/exports/{job_id}").get_json()
    assert body["status"] == "failed"
    assert body["error"].startswith("Ekspor tidak dapat diselesaikan")
    uploads = boto3.client("s3", region_name="ap-southeast-3").list_multipart_uploads(Bucket=BUCKET)
    assert uploads.get("Uploads", []) == []


def test_a_leased_job_is_not_taken_and_a_dead_one_shows_failed(client, transport, services, clock):
    sign_in(client, transport, "supervisor@example.go.id")
    job_id = client.post("/api/reports/exports", json={**NOVEMBER, "format": "csv"}).get_json()[
        "id"
    ]
    jobs = services.stores.exports
    now = clock.now()
    assert jobs.claim(job_id, "first", now, now + timedelta(seconds=90)) is not None
    assert jobs.claim(job_id, "second", now, now + timedelta(seconds=90)) is None
    assert not jobs.save(jobs.get(job_id), "second")
    # The first runner died: its lease lapses, the job shows failed after a while...
    clock.advance(minutes=11)
    assert client.get(f"/api/reports/exports/{job_id}").get_json()["status"] == "failed"
    # ...and a retried invocation (Lambda retries failed async ones) takes it over.
    services.exports.run(job_id)
    assert client.get(f"/api/reports/exports/{job_id}").get_json()["status"] == "done"


def test_the_local_stack_runs_jobs_in_a_thread(services, clock):
    services.exports.starter = job_starters.ThreadStarter(services.exports.run)
    services.intake.file(dict(VALID_TICKET))
    staff = services.staff.get("tik1@example.go.id")
    job_id = services.exports.start(staff, {**NOVEMBER, "format": "xlsx"}, "id")["id"]
    for _ in range(100):
        if services.stores.exports.get(job_id).status == "done":
            break
        time.sleep(0.05)
    assert services.exports.status(staff, job_id, "id")["rows"] == 1


def test_on_lambda_a_job_is_an_asynchronous_invocation_of_the_function(monkeypatch):
    calls = []

    class Client:
        def invoke(self, **request):
            calls.append(request)

    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "tiket-prod")

    class Session:
        def create_client(self, service, **options):
            assert service == "lambda"
            return Client()

    monkeypatch.setattr(job_starters, "get_session", Session)
    starter = job_starters.starter_for(lambda job_id: None, "ap-southeast-3")
    starter.start("abc")
    assert calls == [
        {
            "FunctionName": "tiket-prod",
            "InvocationType": "Event",
            "Payload": b'{"tiket_job": "export", "id": "abc"}',
        }
    ]
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
    assert isinstance(job_starters.starter_for(print, "x"), job_starters.ThreadStarter)


def test_the_handler_routes_job_events_to_the_runner(monkeypatch):
    from tiket import handler, jobs

    ran = []

    class Context:
        def get_remaining_time_in_millis(self):
            return 42_000

    class Exports:
        def run(self, job_id, remaining):
            ran.append((job_id, remaining()))

    monkeypatch.setattr(jobs, "shared_services", lambda: type("S", (), {"exports": Exports()}))
    assert handler.lambda_handler({"tiket_job": "export", "id": "abc"}, Context()) == {"id": "abc"}
    assert ran == [("abc", 42.0)]


def test_a_job_that_cannot_hand_over_fails_cleanly(services, clock, monkeypatch):
    for n in range(5):
        services.intake.file({**VALID_TICKET, "subject": f"Kendala {n}"})
    monkeypatch.setattr(export_jobs, "PROGRESS_SECONDS", 0)
    staff = services.staff.get("supervisor@example.go.id")
    job_id = services.exports.start(staff, {**NOVEMBER, "format": "csv"}, "id")["id"]

    class Down:
        def start(self, job_id):
            raise RuntimeError("Lambda refused the invocation")

    services.exports.starter = Down()
    services.exports.run(job_id, lambda: 0.0)  # no time left: it must hand over at once
    assert services.stores.exports.get(job_id).status == "failed"
    files = boto3.client("s3", region_name="ap-southeast-3")
    assert files.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []
    assert files.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
