"""Photos and files through the HTTP API (PRODUCT.md §11), on moto's S3 and DynamoDB: the
browser's presigned POST, attaching at filing, every bad file of issue 12 refused with a
400 that names it and leaves nothing behind, and links that work only signed.

moto intercepts the test's own HTTP requests to S3 (``requests``) as the browser's would
reach S3. It does not enforce POST policies nor signatures' validity or expiry: what S3
would refuse at upload is what the attach-time checks must still catch, and the expiry is
read from the signed links themselves.
"""

from __future__ import annotations

import base64
import io
import json
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from tests.support import (
    FILES_BUCKET,
    VALID_TICKET,
    file_ticket,
    latest,
    sign_in,
    token_for,
)
from tests.unit.test_file_inspection import (
    GPS_IFD,
    HTML,
    encoded,
    phone_photo,
    png_header_only,
    two_halves,
)
from tiket.adapters.blobs import s3_client
from tiket.domain.attachments import MAX_BYTES, MAX_DOWNLOAD_SECONDS, new_upload_id
from tiket.domain.errors import ValidationFailed
from tiket.messages import CATALOGUE

TIK = "tik1@example.go.id"
JSON = {"Accept": "application/json"}


def pdf(script: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if script:
        writer.add_open_action(JavaScript(script))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = pdf()


def s3():
    return s3_client("ap-southeast-3")


def keys(prefix: str = "") -> list[str]:
    listed = s3().list_objects_v2(Bucket=FILES_BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def presign(client, name="foto.jpg", content_type="image/jpeg", size=1000):
    return client.post(
        "/api/uploads", json={"filename": name, "content_type": content_type, "size": size}
    )


def upload(client, data: bytes, name="foto.jpg", content_type="image/jpeg") -> str:
    """What the site does: ask for a presigned POST, send the fields and the file to S3."""
    answer = presign(client, name, content_type, max(1, min(len(data), MAX_BYTES)))
    assert answer.status_code == 201, answer.get_json()
    post = answer.get_json()
    sent = requests.post(
        post["upload"]["url"],
        data=post["upload"]["fields"],
        files={"file": (name, data, content_type)},
        timeout=30,
    )
    assert sent.status_code == 204
    return post["id"]


def fetch(url: str) -> requests.Response:
    return requests.get(url, timeout=30)


# --- the presigned POST ------------------------------------------------------------------


def test_an_upload_is_a_presigned_post_bound_to_its_key_type_size_and_name(client):
    answer = presign(client, "Proyektor rusak.jpg", "image/jpeg", 2_000_000)
    assert answer.status_code == 201
    body = answer.get_json()
    assert set(body) == {"id", "upload"} and set(body["upload"]) == {"url", "fields"}
    fields = body["upload"]["fields"]
    assert fields["key"] == f"uploads/{body['id']}"
    assert fields["Content-Type"] == "image/jpeg"
    assert fields["x-amz-meta-name"] == "Proyektor%20rusak.jpg"
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 1, MAX_BYTES] in conditions
    assert {"key": fields["key"]} in conditions
    assert {"Content-Type": "image/jpeg"} in conditions
    assert urlsplit(body["upload"]["url"]).path.strip("/") in ("", FILES_BUCKET)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"filename": "a.gif", "content_type": "image/gif", "size": 10}, "content_type"),
        ({"filename": "a.html", "content_type": "text/html", "size": 10}, "content_type"),
        ({"filename": "a.jpg", "content_type": "image/jpeg", "size": MAX_BYTES + 1}, "size"),
        ({"filename": "a.jpg", "content_type": "image/jpeg", "size": 0}, "size"),
        ({"filename": "a.jpg", "content_type": "image/jpeg", "size": "12"}, "size"),
        ({"filename": "../../etc/passwd", "content_type": "image/jpeg", "size": 10}, "filename"),
        ({"filename": "a\\b.jpg", "content_type": "image/jpeg", "size": 10}, "filename"),
        ({"filename": "foto\x00.jpg", "content_type": "image/jpeg", "size": 10}, "filename"),
        ({"filename": "gpj.\u202eexe", "content_type": "image/jpeg", "size": 10}, "filename"),
        ({"filename": "a" * 296 + ".jpg", "content_type": "image/jpeg", "size": 10}, "filename"),
        ({"filename": "", "content_type": "image/jpeg", "size": 10}, "filename"),
        ({"content_type": "image/jpeg", "size": 10}, "filename"),
    ],
)
def test_an_upload_of_another_type_size_or_name_is_refused(client, body, field):
    answer = client.post("/api/uploads", json=body)
    assert answer.status_code == 400
    error = answer.get_json()
    assert error["error"] == "validation" and set(error["fields"]) == {field}
    assert keys() == []


# --- attach at filing --------------------------------------------------------------------


def test_a_phone_photo_is_kept_upright_without_gps_and_shown_to_requester_and_staff(
    client, services, transport
):
    photo = phone_photo()  # 60 x 40, orientation 6, EXIF GPS, comment, XMP
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_IFD)
    photo_id = upload(client, photo, "Proyektor mati.jpg")
    pdf_id = upload(client, PDF, "Berita acara.pdf", "application/pdf")
    filed = file_ticket(client, attachments=[photo_id, pdf_id])
    assert filed.status_code == 201
    number = filed.get_json()["number"]

    # Kept: the re-encoded photo, its thumbnail, the PDF; the uploads themselves are gone.
    assert keys() == sorted(
        [
            f"attachments/{number}/{photo_id}",
            f"attachments/{number}/{pdf_id}",
            f"thumbs/{number}/{photo_id}",
        ]
    )

    view = client.get(f"/api/track/{filed.get_json()['track_token']}").get_json()
    photo_view, pdf_view = view["attachments"]
    assert photo_view["id"] == photo_id and photo_view["name"] == "Proyektor mati.jpg"
    assert photo_view["content_type"] == "image/jpeg"
    assert pdf_view == {
        "id": pdf_id,
        "name": "Berita acara.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "url": pdf_view["url"],
    }
    kept = fetch(photo_view["url"])
    assert kept.status_code == 200 and kept.headers["Content-Type"] == "image/jpeg"
    picture = Image.open(io.BytesIO(kept.content))
    assert picture.size == (40, 60)  # turned upright
    assert len(picture.getexif()) == 0 and b"GPS" not in kept.content
    assert photo_view["size"] == len(kept.content)
    thumb = Image.open(io.BytesIO(fetch(photo_view["thumbnail_url"]).content))
    assert thumb.format == "JPEG" and max(thumb.size) <= 320
    assert fetch(pdf_view["url"]).content == PDF

    # The ICT staff: in the email (a count and a link, never the file), the action page
    # (JSON and HTML) and the staff ticket page.
    mail = latest(transport, TIK, "new_ticket")
    assert "Lampiran: 2 berkas" in mail.text
    assert "amazonaws.com" not in mail.text and FILES_BUCKET not in mail.text
    token = token_for(services, mail, "acknowledge")
    page_json = client.get(f"/actions/{token}", headers=JSON).get_json()
    assert [f["id"] for f in page_json["ticket"]["attachments"]] == [photo_id, pdf_id]
    page = client.get(f"/actions/{token}").get_data(as_text=True)
    assert 'class="file-thumb" src="' in page and "Proyektor mati.jpg" in page
    assert page.count('target="_blank" rel="noopener noreferrer"') == 2
    sign_in(client, transport, TIK)
    staff = client.get(f"/api/staff/tickets/{number}").get_json()
    assert [f["name"] for f in staff["attachments"]] == ["Proyektor mati.jpg", "Berita acara.pdf"]


def test_every_link_is_signed_for_at_most_15_minutes_and_none_works_unsigned(client):
    filed = file_ticket(client, attachments=[upload(client, phone_photo())])
    (shown,) = client.get(f"/api/track/{filed.get_json()['track_token']}").get_json()["attachments"]
    for url in (shown["url"], shown["thumbnail_url"]):
        query = parse_qs(urlsplit(url).query)
        assert int(query["X-Amz-Expires"][0]) <= MAX_DOWNLOAD_SECONDS == 900
        assert query["X-Amz-Signature"][0]
        assert fetch(url).status_code == 200
        assert fetch(url.split("?")[0]).status_code == 403  # the object is private
    # Each view signs anew: the links of an earlier view are not reused.
    again = client.get(f"/api/track/{filed.get_json()['track_token']}").get_json()
    assert again["attachments"][0]["id"] == shown["id"]


def test_the_same_idempotency_key_again_answers_the_same_ticket_with_its_files(client):
    photo_id = upload(client, phone_photo())
    body = {**VALID_TICKET, "attachments": [photo_id]}
    headers = {"Idempotency-Key": "retry-1"}
    first = client.post("/api/tickets", json=body, headers=headers)
    again = client.post("/api/tickets", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["number"] == again.get_json()["number"]
    assert len(keys("attachments/")) == 1
    # Other files under the same key: another request (422); no files and an empty list:
    # the same one, whichever the client sends.
    other = {**body, "attachments": [upload(client, phone_photo())]}
    assert client.post("/api/tickets", json=other, headers=headers).status_code == 422
    plain = client.post("/api/tickets", json=VALID_TICKET, headers={"Idempotency-Key": "k2"})
    empty = {**VALID_TICKET, "attachments": []}
    same = client.post("/api/tickets", json=empty, headers={"Idempotency-Key": "k2"})
    assert same.status_code == 200 and same.get_json()["number"] == plain.get_json()["number"]


# --- bad files: a 400 naming the file, nothing stored --------------------------------------


def jpeg(size=(60, 40)) -> bytes:
    return encoded(two_halves(size), "JPEG")


BAD_FILES = {
    "lying type": (encoded(two_halves(), "PNG"), "image/jpeg", "type"),
    "html said to be a jpeg": (b"<html><script>alert(1)</script>", "image/jpeg", "type"),
    "zero bytes": (b"", "image/jpeg", "empty"),
    "10 MB + 1": (jpeg() + b"\0" * (MAX_BYTES + 1 - len(jpeg())), "image/jpeg", "size"),
    "decompression bomb": (png_header_only(100_000, 100_000), "image/png", "bomb"),
    "polyglot": (encoded(two_halves(), "JPEG", comment=HTML) + HTML, "image/jpeg", "polyglot"),
    "truncated": (jpeg()[:200], "image/jpeg", "image_broken"),
    "pdf with javascript": (pdf("app.alert(1)"), "application/pdf", "pdf_script"),
}


def assert_nothing_attached(services, transport) -> None:
    assert keys("attachments/") == [] and keys("thumbs/") == []
    assert transport.sent == []
    assert services.tickets.get("TIK-2026-000001") is None


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_a_bad_file_is_refused_naming_it_and_nothing_is_stored(client, services, transport, case):
    data, content_type, code = BAD_FILES[case]
    good = upload(client, jpeg(), "baik.jpg")
    bad = upload(client, data, "rusak.bin", content_type)
    answer = file_ticket(client, attachments=[good, bad])
    assert answer.status_code == 400, answer.get_json()
    error = answer.get_json()
    assert error["message"] == "Berkas “rusak.bin” tidak dapat dilampirkan."
    assert set(error["fields"]) == {"attachments.1"}
    why = CATALOGUE[f"attachment.{code}"]["id"].split("{")[0]
    assert error["fields"]["attachments.1"].startswith(why)
    assert_nothing_attached(services, transport)
    # The uploads stay: the requester may remove the bad file and send again.
    assert keys("uploads/") == sorted([f"uploads/{good}", f"uploads/{bad}"])
    again = file_ticket(client, attachments=[good])
    assert again.status_code == 201 and again.get_json()["number"] == "TIK-2026-000001"


def test_six_files_a_twice_listed_a_malformed_and_a_never_uploaded_id_are_refused(
    client, services, transport
):
    ids = [upload(client, jpeg(), f"f{n}.jpg") for n in range(6)]
    six = file_ticket(client, attachments=ids)
    assert six.status_code == 400
    assert six.get_json()["fields"] == {"attachments": "Paling banyak 5 berkas per pesan."}
    twice = file_ticket(client, attachments=[ids[0], ids[0]]).get_json()
    assert set(twice["fields"]) == {"attachments.1"}
    for bad in ("../uploads/x", "uploads/" + ids[0], "x" * 22 + "/", 42, None):
        refused = file_ticket(client, attachments=[ids[0], bad])
        assert refused.status_code == 400, bad
    never = file_ticket(client, attachments=[new_upload_id()]).get_json()
    assert never["message"] == "Lampiran ke-1 tidak dapat dilampirkan."
    assert "belum selesai diunggah" in never["fields"]["attachments.0"]
    assert file_ticket(client, attachments="abc").status_code == 400
    assert_nothing_attached(services, transport)


def test_an_upload_attached_to_one_ticket_cannot_be_attached_to_another(client):
    photo_id = upload(client, jpeg(), "foto.jpg")
    assert file_ticket(client, attachments=[photo_id]).status_code == 201
    other = file_ticket(client, subject="Lain", attachments=[photo_id])
    assert other.status_code == 400
    assert set(other.get_json()["fields"]) == {"attachments.0"}
    assert keys("attachments/") == [f"attachments/TIK-2026-000001/{photo_id}"]


def test_of_two_concurrent_attaches_of_one_upload_one_wins_and_the_other_leaves_nothing(
    services, client
):
    photo_id = upload(client, jpeg(), "foto.jpg")
    # Both requests check the upload and keep their copies before either commits.
    both_kept = threading.Barrier(2)
    commit = services.uow.commit

    def commit_together(before, *args, **kwargs):
        if before is None:  # the filing (recording the emails' dispatch commits too)
            both_kept.wait(timeout=30)
        return commit(before, *args, **kwargs)

    services.uow.commit = commit_together
    results: list[object] = []

    def file(subject: str) -> None:
        try:
            results.append(
                services.intake.file(
                    {**VALID_TICKET, "subject": subject, "attachments": [photo_id]}
                )
            )
        except ValidationFailed as error:
            results.append(error)

    threads = [threading.Thread(target=file, args=(s,)) for s in ("Satu", "Dua")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (won,) = [r for r in results if not isinstance(r, ValidationFailed)]
    (lost,) = [r for r in results if isinstance(r, ValidationFailed)]
    assert lost.fields["attachments.0"].key == "attachment.missing"
    assert keys("attachments/") == [f"attachments/{won.number}/{photo_id}"]
    assert keys("thumbs/") == [f"thumbs/{won.number}/{photo_id}"]
    assert services.tickets.upload_claimed(photo_id) == won.number


def test_a_commit_that_fails_leaves_no_copy_behind_and_the_upload_for_a_retry(client, faults):
    photo_id = upload(client, jpeg(), "foto.jpg")
    faults.throttle("TransactWriteItems")
    assert file_ticket(client, attachments=[photo_id]).status_code == 503
    assert keys() == [f"uploads/{photo_id}"]
    faults.clear()
    assert file_ticket(client, attachments=[photo_id]).status_code == 201


def test_a_copy_that_fails_half_way_leaves_nothing_behind(client, faults):
    first, second = upload(client, jpeg(), "a.jpg"), upload(client, jpeg(), "b.jpg")
    faults.add(
        "PutObject",
        "SlowDown",
        status=503,
        when=lambda params: params["Key"].startswith("thumbs/") and second in params["Key"],
    )
    assert file_ticket(client, attachments=[first, second]).status_code == 503
    assert keys() == sorted([f"uploads/{first}", f"uploads/{second}"])
