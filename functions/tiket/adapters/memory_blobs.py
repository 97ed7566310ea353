"""The files bucket in memory (``BlobStore``): presigned POSTs recorded, objects kept with
their metadata, bounded reads, signed-looking links; for service tests without moto."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from tiket.services.ports import BlobInfo, BlobMissing, BlobTooLarge


@dataclass(frozen=True)
class _Object:
    data: bytes
    content_type: str
    metadata: Mapping[str, str]


class MemoryBlobs:
    """The files bucket in memory. ``receive`` plays the browser's presigned POST and holds
    it to what S3 would: the key, content type and metadata bound at signing, and the size
    range. Download URLs are fake (``https://files.invalid/<key>?...``); ``fetch`` opens one."""

    ORIGIN = "https://files.invalid"

    def __init__(self) -> None:
        self.objects: dict[str, _Object] = {}
        self.posts: dict[str, tuple[str, int, dict[str, str]]] = {}
        self.lock = threading.Lock()

    def origin(self) -> str:
        return self.ORIGIN

    def presigned_post(
        self,
        key: str,
        content_type: str,
        max_bytes: int,
        expires_s: int,
        metadata: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        self.posts[key] = (content_type, max_bytes, dict(metadata or {}))
        fields = {"key": key, "Content-Type": content_type}
        fields |= {f"x-amz-meta-{k}": quote(v, safe="") for k, v in (metadata or {}).items()}
        return {"url": f"{self.ORIGIN}/", "fields": fields}

    def receive(self, key: str, data: bytes, content_type: str | None = None) -> bool:
        """The browser's upload: False (nothing stored) where S3 would refuse it."""
        if key not in self.posts:
            return False
        bound_type, max_bytes, metadata = self.posts[key]
        if (content_type or bound_type) != bound_type or not 1 <= len(data) <= max_bytes:
            return False
        self.objects[key] = _Object(data, bound_type, metadata)
        return True

    def head(self, key: str) -> BlobInfo | None:
        found = self.objects.get(key)
        return (
            None if found is None else BlobInfo(len(found.data), found.content_type, found.metadata)
        )

    def get(self, key: str, max_bytes: int) -> bytes:
        found = self.objects.get(key)
        if found is None:
            raise BlobMissing(key)
        if len(found.data) > max_bytes:
            raise BlobTooLarge(len(found.data))
        return found.data

    def put(self, key: str, data: bytes, content_type: str) -> None:
        with self.lock:
            self.objects[key] = _Object(data, content_type, {})

    def delete(self, keys: Sequence[str]) -> None:
        with self.lock:
            for key in keys:
                self.objects.pop(key, None)

    def signed_get_url(
        self,
        key: str,
        filename: str,
        content_type: str,
        expires_s: int = 900,
        *,
        inline: bool = False,
    ) -> str:
        query = {"expires": expires_s, "type": content_type, "name": filename, "inline": inline}
        return f"{self.ORIGIN}/{key}?{urlencode(query)}"

    def fetch(self, url: str) -> tuple[bytes, str]:
        """The bytes and content type a signed URL gives."""
        parts = urlsplit(url)
        if not parse_qs(parts.query).get("expires"):
            raise PermissionError("unsigned")
        found = self.objects.get(parts.path.lstrip("/"))
        if found is None:
            raise BlobMissing(parts.path)
        return found.data, parse_qs(parts.query)["type"][0]
