"""Publish ``site/`` to the site bucket: each file with its content type and cache policy,
only what changed, stale objects removed; CloudFront invalidated only for what changed.

Cache policy (files are not fingerprinted, so nothing may be cached for long):
HTML must be revalidated on every view (``no-cache``: a 304 is cheap), scripts, styles
and data five minutes, images and fonts a day. CloudFront's managed CachingOptimized policy
follows these headers; the invalidation after a change refreshes its copies at once.
"""

from __future__ import annotations

import hashlib
import mimetypes
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
}
CACHE = {
    "text/html": "no-cache",
    "text/css": "public, max-age=300",
    "text/javascript": "public, max-age=300",
    "application/json": "public, max-age=300",
    "application/manifest+json": "public, max-age=300",
}
LONG = "public, max-age=86400"  # images, icons, fonts


def content_type(path: Path) -> str:
    return (
        TYPES.get(path.suffix.lower())
        or mimetypes.guess_type(path.name)[0]
        or ("application/octet-stream")
    )


def cache_control(kind: str) -> str:
    return CACHE.get(kind.split(";")[0], LONG)


@dataclass
class SiteResult:
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    invalidation: str | None = None

    @property
    def change(self) -> str:
        return "updated" if self.uploaded or self.deleted else "unchanged"


def _existing(s3, bucket: str) -> dict[str, str]:
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = item["ETag"].strip('"')
    return found


def publish(s3, bucket: str, site: Path = SITE) -> SiteResult:
    result = SiteResult()
    existing = _existing(s3, bucket)
    files = sorted(p for p in site.rglob("*") if p.is_file())
    for path in files:
        key = path.relative_to(site).as_posix()
        body = path.read_bytes()
        kind = content_type(path)
        if existing.get(key) == hashlib.md5(body, usedforsecurity=False).hexdigest():
            head = s3.head_object(Bucket=bucket, Key=key)
            if head.get("ContentType") == kind and head.get("CacheControl") == cache_control(kind):
                continue
        s3.put_object(
            Bucket=bucket, Key=key, Body=body, ContentType=kind, CacheControl=cache_control(kind)
        )
        result.uploaded.append(key)
    wanted = {p.relative_to(site).as_posix() for p in files}
    stale = sorted(set(existing) - wanted)
    for start in range(0, len(stale), 1000):
        batch = [{"Key": key} for key in stale[start : start + 1000]]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
    result.deleted = stale
    return result


def invalidate(cloudfront, distribution: str, result: SiteResult) -> None:
    """One invalidation for the changed paths (``/*`` past 15 paths, which costs the same)."""
    changed = result.uploaded + result.deleted
    if not changed:
        return
    paths = ["/*"] if len(changed) > 15 else sorted({f"/{key}" for key in changed})
    if any(key.endswith("index.html") for key in changed) and paths != ["/*"]:
        paths.append("/")
    answer = cloudfront.create_invalidation(
        DistributionId=distribution,
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": paths},
            "CallerReference": f"tiket-{time.time_ns()}",
        },
    )
    result.invalidation = answer["Invalidation"]["Id"]
