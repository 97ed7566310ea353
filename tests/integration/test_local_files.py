"""The local stack's copy of its files bucket (``tiket.local_files``): what a restart finds,
each object read once, removals followed."""

from __future__ import annotations

import json

from tiket.adapters.blobs import s3_client
from tiket.local_files import dump_files, prepare_bucket, restore_files

BUCKET = "tiket-files-local"
SITE = "http://127.0.0.1:8000"


def test_the_bucket_is_copied_to_disk_object_by_object_and_restored(aws, tmp_path, api_calls):
    s3 = s3_client("ap-southeast-3")
    prepare_bucket(s3, BUCKET, "ap-southeast-3", SITE)
    prepare_bucket(s3, BUCKET, "ap-southeast-3", SITE)  # a restart: already there
    (rule,) = s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"]
    assert (rule["AllowedOrigins"], rule["AllowedMethods"]) == ([SITE], ["POST"])
    s3.put_object(
        Bucket=BUCKET,
        Key="uploads/a",
        Body=b"one",
        ContentType="image/jpeg",
        Metadata={"name": "foto%20a.jpg"},
    )
    s3.put_object(Bucket=BUCKET, Key="attachments/T/b", Body=b"two", ContentType="application/pdf")
    assert dump_files(s3, BUCKET, tmp_path) == 2

    api_calls.clear()
    s3.delete_object(Bucket=BUCKET, Key="uploads/a")
    assert dump_files(s3, BUCKET, tmp_path) == 1
    assert api_calls.operations("s3").count("GetObject") == 0  # nothing new to read
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert list(manifest) == ["attachments/T/b"]
    assert len(list(tmp_path.iterdir())) == 2  # the manifest and one object

    s3.delete_object(Bucket=BUCKET, Key="attachments/T/b")
    assert restore_files(s3, BUCKET, tmp_path) == 1
    got = s3.get_object(Bucket=BUCKET, Key="attachments/T/b")
    assert got["Body"].read() == b"two" and got["ContentType"] == "application/pdf"
    assert restore_files(s3, BUCKET, tmp_path / "nothing") == 0
