"""The Lambda package attaches a photo as the runtime runs it: Pillow's codecs (WebP, JPEG,
zlib, littlecms) and pypdf are in the zip and load there. One execution environment, AWS on
a moto server: the function answers a presigned POST, the test uploads a WebP phone photo
with GPS straight to S3 as a browser would, the function files a ticket with it; what it
kept is a WebP without EXIF and a JPEG thumbnail."""

from __future__ import annotations

import io
import json

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer
from PIL import Image

from tests.artifact import runtime
from tests.artifact.test_package import (  # noqa: F401 - fixtures
    ORIGIN_SECRET,
    REGION,
    SETTINGS,
    STAGE,
    VARIABLES,
    _seed,
    event,
    task,
    zip_path,
)
from tests.support import VALID_TICKET
from tests.unit.test_file_inspection import GPS_IFD, phone_exif, two_halves

pytestmark = [pytest.mark.artifact, pytest.mark.slow, pytest.mark.xdist_group("artifact")]

BUCKET = "tiket-dev-files"


def webp_photo() -> bytes:
    out = io.BytesIO()
    two_halves((600, 400)).save(out, "WEBP", exif=phone_exif(orientation=6))
    return out.getvalue()


@pytest.fixture(scope="module")
def attached(task, tmp_path_factory):  # noqa: F811
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    work = tmp_path_factory.mktemp("invoke-files")
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        # moto's state is the process's: the other module's run may have left its own.
        requests.post(f"{endpoint}/moto-api/reset", timeout=30)
        _seed(endpoint)
        s3 = boto3.client("s3", region_name=REGION, endpoint_url=endpoint)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        variables = {**VARIABLES, "TIKET_FILES_BUCKET": BUCKET, "TIKET_S3_ENDPOINT": endpoint}
        env = runtime.lambda_environment(variables, endpoint, f"tiket-{STAGE}")
        sdk = runtime.runtime_sdk(task, work / "sdk")
        function = runtime.LambdaProcess(task, sdk, env, SETTINGS["lambda_handler"], work / "log")
        headers = {"X-Tiket-Origin": ORIGIN_SECRET, "Content-Type": "application/json"}
        photo = webp_photo()
        try:
            wanted = {"filename": "foto.webp", "content_type": "image/webp", "size": len(photo)}
            presigned = function.invoke(
                event("POST", "/api/uploads", json.dumps(wanted), **headers)
            )
            assert presigned["statusCode"] == 201, presigned["body"]
            post = json.loads(presigned["body"])
            sent = requests.post(
                post["upload"]["url"],
                data=post["upload"]["fields"],
                files={"file": ("foto.webp", photo, "image/webp")},
                timeout=30,
            )
            assert sent.status_code == 204
            body = json.dumps({**VALID_TICKET, "attachments": [post["id"]]})
            filed = function.invoke(event("POST", "/api/tickets", body, **headers))
        finally:
            function.close()
        assert filed["statusCode"] == 201, filed["body"]
        number = json.loads(filed["body"])["number"]
        kept = s3.get_object(Bucket=BUCKET, Key=f"attachments/{number}/{post['id']}")
        thumb = s3.get_object(Bucket=BUCKET, Key=f"thumbs/{number}/{post['id']}")
        outside = function.outside or []
        return kept["Body"].read(), kept["ContentType"], thumb["Body"].read(), outside
    finally:
        requests.post(f"{endpoint}/moto-api/reset", timeout=30)  # leave none of ours either
        server.stop()


def test_the_packaged_function_re_encodes_a_webp_photo_without_gps(attached):
    kept, content_type, thumbnail, outside = attached
    assert outside == []
    assert Image.open(io.BytesIO(webp_photo())).getexif().get_ifd(GPS_IFD)
    picture = Image.open(io.BytesIO(kept))
    assert (picture.format, content_type) == ("WEBP", "image/webp")
    assert picture.size == (400, 600)  # turned upright
    assert len(picture.getexif()) == 0 and b"Exif" not in kept
    assert Image.open(io.BytesIO(thumbnail)).format == "JPEG"
