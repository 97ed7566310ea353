"""Export files in S3 (the files bucket's ``exports/`` prefix, which expires objects after a
day): multipart uploads, the pending bytes of a job between two invocations, and signed
download links. Errors are mapped as for attachments (``tiket.adapters.blobs``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tiket.adapters.blobs import _s3_errors, signed_get
from tiket.domain.attachments import MAX_DOWNLOAD_SECONDS


class S3ExportFiles:
    def __init__(self, client: Any, bucket: str, link_seconds: int = MAX_DOWNLOAD_SECONDS):
        self.client = client
        self.bucket = bucket
        self.link_seconds = link_seconds

    def begin(self, key: str, content_type: str) -> str:
        with _s3_errors():
            upload = self.client.create_multipart_upload(
                Bucket=self.bucket, Key=key, ContentType=content_type
            )
        return str(upload["UploadId"])

    def part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        with _s3_errors():
            answer = self.client.upload_part(
                Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data
            )
        return str(answer["ETag"])

    def complete(self, key: str, upload_id: str, etags: Sequence[str]) -> None:
        parts = [{"ETag": etag, "PartNumber": n} for n, etag in enumerate(etags, start=1)]
        with _s3_errors():
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )

    def abort(self, key: str, upload_id: str) -> None:
        with _s3_errors():
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)

    def put(self, key: str, data: bytes) -> None:
        with _s3_errors():
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data)

    def get(self, key: str) -> bytes:
        with _s3_errors():
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
            try:
                data: bytes = body.read()
            finally:
                body.close()
        return data

    def delete(self, key: str) -> None:
        with _s3_errors():
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def link(self, key: str, filename: str, content_type: str) -> str:
        return signed_get(self.client, self.bucket, key, filename, content_type, self.link_seconds)


def ensure_bucket(client: Any, bucket: str, region: str) -> None:
    """Create ``bucket`` when missing (the local stack and tests; production: infra/)."""
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region}
        )
