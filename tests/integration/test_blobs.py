"""The files bucket through a real HTTP S3 (moto's server on loopback): the browser's
presigned POST, reads bounded in size, signed downloads, and S3 trouble as 503.

moto's server does not evaluate POST policies nor presigned signatures, so what S3 would
enforce is read from the signed policy itself (and its signature checked)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests
from botocore.stub import Stubber
from moto.server import ThreadedMotoServer

from tiket.adapters.blobs import Blobs, content_disposition, s3_client
from tiket.domain.attachments import (
    MAX_BYTES,
    MAX_DOWNLOAD_SECONDS,
    UPLOAD_POST_SECONDS,
    AttachmentRejected,
    attachment_key,
    new_upload_id,
    thumbnail_key,
    upload_key,
)
from tiket.domain.errors import Unavailable
from tiket.services.ports import BlobInfo, BlobMissing, BlobTooLarge

REGION = "ap-southeast-3"
BUCKET = "tiket-files-test"
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4


@pytest.fixture(scope="module")
def endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def blobs(endpoint) -> Blobs:
    client = s3_client(REGION, endpoint)
    bucket = f"{BUCKET}-{new_upload_id().lower().replace('_', '0')[:12]}"
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return Blobs(client, bucket)


def browser_upload(post: dict, data: bytes, content_type: str = "image/jpeg") -> requests.Response:
    """What the site does: a multipart POST of the fields, then the file, to the URL."""
    return requests.post(
        post["url"],
        data=post["fields"],
        files={"file": ("foto.jpg", data, content_type)},
        timeout=10,
    )


def test_a_presigned_post_round_trip(blobs):
    key = upload_key(new_upload_id())
    name = "Proyektor — ruang rapat 2.jpg"
    post = blobs.presigned_post(
        key, "image/jpeg", MAX_BYTES, UPLOAD_POST_SECONDS, metadata={"name": name}
    )
    assert set(post) == {"url", "fields"}
    response = browser_upload(post, JPEG)
    assert response.status_code == 204, response.text
    assert blobs.head(key) == BlobInfo(len(JPEG), "image/jpeg", {"name": name})
    assert blobs.get(key, MAX_BYTES) == JPEG


def test_the_signed_policy_binds_key_type_size_and_a_short_expiry(blobs):
    key = upload_key(new_upload_id())
    before = datetime.now(UTC).replace(microsecond=0)
    fields = blobs.presigned_post(key, "image/png", 1234, 300, {"name": "layar 1.png"})["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"key": key} in conditions
    assert {"bucket": blobs.bucket} in conditions
    assert {"Content-Type": "image/png"} in conditions
    assert {"x-amz-meta-name": "layar%201.png"} in conditions
    assert ["content-length-range", 1, 1234] in conditions
    assert not any(c[0] == "starts-with" for c in conditions if isinstance(c, list))
    assert (fields["key"], fields["Content-Type"]) == (key, "image/png")
    expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert before + timedelta(seconds=299) <= expiration <= before + timedelta(seconds=302)
    # S3 enforces what is signed: the signature must be that policy's (SigV4, the test keys).
    assert fields["x-amz-signature"] == sigv4(fields["policy"], fields["x-amz-credential"])


def sigv4(string_to_sign: str, credential: str) -> str:
    _, day, region, service, _ = credential.split("/")
    key = ("AWS4" + os.environ["AWS_SECRET_ACCESS_KEY"]).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("expires_s", [0, -1, MAX_DOWNLOAD_SECONDS + 1, 3600])
def test_a_long_lived_presigned_post_is_refused(blobs, expires_s):
    with pytest.raises(ValueError, match="expiry"):
        blobs.presigned_post(upload_key(new_upload_id()), "image/jpeg", MAX_BYTES, expires_s)


def test_keys_come_only_from_server_made_parts():
    upload_id = new_upload_id()
    assert upload_key(upload_id) == f"uploads/{upload_id}"
    assert (
        attachment_key("TIK-2026-000123", upload_id) == f"attachments/TIK-2026-000123/{upload_id}"
    )
    assert thumbnail_key("TIK-2026-000123", upload_id) == f"thumbs/TIK-2026-000123/{upload_id}"
    with pytest.raises(AttachmentRejected):
        upload_key("../attachments/TIK-2026-000001/x")
    for ticket in ("../x", "TIK/1", "", "a" * 65):
        with pytest.raises(ValueError, match="ticket"):
            attachment_key(ticket, upload_id)


def test_reads_are_bounded_and_missing_objects_say_so(blobs):
    key = attachment_key("TIK-2026-000001", new_upload_id())
    blobs.put(key, JPEG, "image/jpeg")
    assert blobs.get(key, len(JPEG)) == JPEG
    with pytest.raises(BlobTooLarge) as caught:
        blobs.get(key, len(JPEG) - 1)
    assert caught.value.size == len(JPEG)
    missing = upload_key(new_upload_id())
    assert blobs.head(missing) is None
    with pytest.raises(BlobMissing):
        blobs.get(missing, MAX_BYTES)


def test_delete_removes_what_exists_and_ignores_the_rest(blobs):
    keys = [attachment_key("TIK-2026-000002", new_upload_id()) for _ in range(3)]
    for key in keys[:2]:
        blobs.put(key, JPEG, "image/jpeg")
    blobs.delete(keys)
    assert [blobs.head(k) for k in keys] == [None, None, None]
    blobs.delete([])


def test_a_signed_download_works_names_the_file_and_lives_at_most_15_minutes(blobs):
    key = attachment_key("TIK-2026-000003", new_upload_id())
    blobs.put(key, JPEG, "image/jpeg")
    url = blobs.signed_get_url(key, "Layar error — ruang rapat.jpg", "image/jpeg")
    query = parse_qs(urlsplit(url).query)
    assert int(query["X-Amz-Expires"][0]) == MAX_DOWNLOAD_SECONDS <= 900
    assert query["X-Amz-Signature"][0]
    response = requests.get(url, timeout=10)
    assert response.status_code == 200 and response.content == JPEG
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["Content-Disposition"] == content_disposition(
        "Layar error — ruang rapat.jpg"
    )
    for expires_s in (0, MAX_DOWNLOAD_SECONDS + 1):
        with pytest.raises(ValueError, match="expiry"):
            blobs.signed_get_url(key, "a.jpg", "image/jpeg", expires_s)


@pytest.mark.parametrize(
    "name",
    [
        "foto.jpg",
        'kata "kutip"; dan\\garing.pdf',
        "Layar error — ruang rapat.jpg",
        "图片.png",
        "%41%0d%0a.jpg",
        "...",
    ],
)
def test_content_disposition_is_one_safe_header_that_keeps_the_exact_name(name):
    header = content_disposition(name)
    assert header.isascii() and header.isprintable()
    kind, plain, exact = header.split("; ")
    assert kind == "attachment"
    fallback = plain.removeprefix('filename="').removesuffix('"')
    assert fallback and not set(fallback) & set('"\\;')
    assert unquote(exact.removeprefix("filename*=UTF-8''")) == name
    assert content_disposition(name, inline=True).startswith("inline; ")


def test_the_client_for_aws_presigns_on_the_regional_endpoint():
    # The global s3.amazonaws.com does not serve buckets in opt-in regions (ap-southeast-3).
    post = Blobs(s3_client(REGION), "tiket-files").presigned_post("uploads/x", "image/png", 10, 60)
    assert post["url"] == f"https://tiket-files.s3.{REGION}.amazonaws.com/"


@pytest.mark.parametrize(("code", "status"), [("SlowDown", 503), ("InternalError", 500)])
def test_s3_trouble_is_unavailable(blobs, code, status):
    with Stubber(blobs.client) as stub:
        stub.add_client_error("head_object", service_error_code=code, http_status_code=status)
        with pytest.raises(Unavailable):
            blobs.head("uploads/x")


def test_a_refusal_that_is_not_trouble_is_not_hidden(blobs):
    with Stubber(blobs.client) as stub:
        stub.add_client_error("put_object", service_error_code="AccessDenied", http_status_code=403)
        with pytest.raises(Exception, match="AccessDenied"):
            blobs.put("uploads/x", b"x", "image/png")


def test_an_unreachable_s3_is_unavailable():
    blobs = Blobs(s3_client(REGION, "http://127.0.0.1:9"), BUCKET)  # nothing listens on 9
    with pytest.raises(Unavailable):
        blobs.get("uploads/x", 10)
