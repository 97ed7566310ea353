"""The local stack's files bucket: S3 on the same moto server as DynamoDB and SES, as the
browser sees it in production (CORS for the site's origin only), kept across restarts.

moto holds objects in memory only. Like the table, the bucket is copied to disk
(``var/files/``): each object once, as a file named by the hash of its key, with a manifest
of keys, types and metadata; objects gone from the bucket leave the copy. Objects are
never rewritten under the same key (every key ends in a fresh upload id), so a key already
on disk is not read again: a snapshot costs one listing plus what is new.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


def prepare_bucket(client: Any, bucket: str, region: str, site_origin: str) -> None:
    """The bucket as ``infra/tiket.yaml`` declares it, as far as a browser can tell."""
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region}
        )
    client.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": [site_origin],
                    "AllowedMethods": ["POST"],
                    "AllowedHeaders": ["*"],
                    "MaxAgeSeconds": 600,
                }
            ]
        },
    )


def _keys(client: Any, bucket: str) -> dict[str, str]:
    """Every key of the bucket with its ETag."""
    found: dict[str, str] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = item["ETag"]
    return found


def _file_name(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def dump_files(client: Any, bucket: str, directory: Path) -> int:
    """Brings ``directory`` up to the bucket's objects; returns how many there are."""
    directory.mkdir(parents=True, exist_ok=True)
    manifest_path = directory / MANIFEST
    manifest: dict[str, dict[str, Any]] = (
        json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    )
    current = _keys(client, bucket)
    for key in set(manifest) - set(current):
        (directory / manifest.pop(key)["file"]).unlink(missing_ok=True)
    for key, etag in current.items():
        if manifest.get(key, {}).get("etag") == etag:
            continue
        got = client.get_object(Bucket=bucket, Key=key)
        name = _file_name(key)
        (directory / name).write_bytes(got["Body"].read())
        manifest[key] = {
            "file": name,
            "etag": etag,
            "content_type": got.get("ContentType", "application/octet-stream"),
            "metadata": got.get("Metadata", {}),
        }
    partial = manifest_path.with_suffix(".tmp")
    partial.write_text(json.dumps(manifest))
    partial.replace(manifest_path)  # atomic, like the table's snapshot
    return len(manifest)


def restore_files(client: Any, bucket: str, directory: Path) -> int:
    manifest_path = directory / MANIFEST
    if not manifest_path.exists():
        return 0
    manifest: dict[str, dict[str, Any]] = json.loads(manifest_path.read_text())
    restored = 0
    for key, entry in manifest.items():
        path = directory / entry["file"]
        if not path.exists():
            continue
        client.put_object(
            Bucket=bucket,
            Key=key,
            Body=path.read_bytes(),
            ContentType=entry["content_type"],
            Metadata=entry["metadata"],
        )
        restored += 1
    return restored
