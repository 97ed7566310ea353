"""The files bucket (private, PRODUCT.md §11): presigned uploads, reads, signed downloads.

Key layout (the client never chooses a key; every segment comes from the server; the key
builders are ``tiket.domain.attachments.upload_key``, ``attachment_key``, ``thumbnail_key``):

- ``uploads/<upload id>``: where the browser's presigned POST lands, with the display name
  bound as metadata (``presigned_post(..., metadata={"name": ...})``, read back by ``head``).
  Read once, when the id is attached, then deleted; never attached ones expire by the
  bucket's lifecycle (1 day).
- ``attachments/<ticket number>/<upload id>``: the kept file (pictures re-encoded); a
  message's files end in ``-<copy id>`` (``attachment_key``: twins of one message never
  share an object).
- ``thumbs/<ticket number>/<upload id>``: its JPEG thumbnail (pictures only), the same way.

The ticket number leads so that everything of one ticket can be listed and erased together
(§14), and the lifecycle can expire attachments and thumbnails by prefix (12 months).

Nothing here is public: reads go through the function, downloads through URLs signed for at
most ``MAX_DOWNLOAD_SECONDS``. S3 throttling, 5xx answers, timeouts and lost connections
raise ``Unavailable`` (HTTP 503, "try again"); a missing object raises ``BlobMissing``.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.session import get_session

from tiket.domain.attachments import MAX_DOWNLOAD_SECONDS
from tiket.domain.errors import Unavailable
from tiket.services.ports import BlobInfo, BlobMissing, BlobTooLarge

# Give up quickly when S3 hangs (botocore waits 60 s per read by default): a request must
# answer within API Gateway's 29 s.
CLIENT_CONFIG = Config(
    signature_version="s3v4",
    retries={"mode": "standard", "total_max_attempts": 3},
    connect_timeout=2,
    read_timeout=5,
)
_TRANSIENT = frozenset(
    {
        "SlowDown",
        "ServiceUnavailable",
        "InternalError",
        "RequestTimeout",
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
    }
)
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})
_META = "x-amz-meta-"


def s3_client(region: str, endpoint_url: str | None = None) -> Any:
    """An S3 client whose presigned URLs name the region's endpoint (virtual-hosted);
    the global endpoint boto3 otherwise uses does not serve buckets in opt-in regions such
    as ap-southeast-3. A local endpoint (moto) gets path-style URLs."""
    style = "path" if endpoint_url else "virtual"
    config = CLIENT_CONFIG.merge(Config(s3={"addressing_style": style}))  # type: ignore[arg-type]
    # botocore's own session: boto3 would add its import (and s3transfer's) to every cold start.
    return get_session().create_client(
        "s3", region_name=region, endpoint_url=endpoint_url, config=config
    )


class Blobs:
    def __init__(self, client: Any, bucket: str):
        self._client = client
        self._connect: Callable[[], Any] | None = None
        self._lock = threading.Lock()
        self.bucket = bucket
        self._origin: str | None = None

    @classmethod
    def on_demand(cls, bucket: str, region: str, endpoint_url: str | None = None) -> Blobs:
        """The client is made at first use: a cold start that serves no file does not pay
        for it (about 0.1 s)."""
        blobs = cls(None, bucket)
        blobs._connect = partial(s3_client, region, endpoint_url)
        return blobs

    @property
    def client(self) -> Any:
        if self._client is None and self._connect is not None:
            with self._lock:  # boto3 makes clients unsafely across threads
                if self._client is None:
                    self._client = self._connect()
        return self._client

    def origin(self) -> str:
        """The scheme and host browsers reach the bucket at (uploads, thumbnails, downloads):
        the pages' Content-Security-Policy allows it. Signing is local: no request to S3."""
        if self._origin is None:
            url = self.client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": "x"}, ExpiresIn=1
            )
            parts = urlsplit(url)
            self._origin = f"{parts.scheme}://{parts.netloc}"
        return self._origin

    def presigned_post(
        self,
        key: str,
        content_type: str,
        max_bytes: int,
        expires_s: int,
        metadata: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """``{"url", "fields"}``: a multipart POST of ``fields`` plus ``file`` to ``url``
        stores 1..max_bytes bytes under exactly ``key`` with exactly ``content_type`` and
        exactly ``metadata`` (e.g. the display name, read back by ``head``)."""
        _check_expiry(expires_s)
        fields = {"Content-Type": content_type}
        # S3 metadata travels in HTTP headers: ASCII only, so values are percent-encoded.
        fields |= {_META + name: quote(value, safe="") for name, value in (metadata or {}).items()}
        with _s3_errors():
            post = self.client.generate_presigned_post(
                Bucket=self.bucket,
                Key=key,  # boto3 binds it: {"key": key} in the policy
                Fields=fields,
                Conditions=[
                    *({name: value} for name, value in fields.items()),
                    ["content-length-range", 1, max_bytes],
                ],
                ExpiresIn=expires_s,
            )
        return {"url": post["url"], "fields": dict(post["fields"])}

    def head(self, key: str) -> BlobInfo | None:
        try:
            with _s3_errors():
                response = self.client.head_object(Bucket=self.bucket, Key=key)
        except BlobMissing:
            return None
        return BlobInfo(
            int(response["ContentLength"]),
            str(response.get("ContentType", "")),
            {k: unquote(v) for k, v in response.get("Metadata", {}).items()},
        )

    def get(self, key: str, max_bytes: int) -> bytes:
        """The object's bytes; ``BlobTooLarge`` rather than reading more than ``max_bytes``."""
        with _s3_errors():
            response = self.client.get_object(Bucket=self.bucket, Key=key)
            body = response["Body"]
            try:
                if int(response["ContentLength"]) > max_bytes:
                    raise BlobTooLarge(int(response["ContentLength"]))
                data: bytes = body.read(max_bytes + 1)
            finally:
                body.close()
        if len(data) > max_bytes:
            raise BlobTooLarge(len(data))
        return data

    def put(self, key: str, data: bytes, content_type: str) -> None:
        with _s3_errors():
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def delete(self, keys: Sequence[str]) -> None:
        """Deletes ``keys`` (missing ones are fine); ``Unavailable`` if S3 refused some for
        a transient reason, ``RuntimeError`` for any other refusal."""
        for start in range(0, len(keys), 1000):  # DeleteObjects takes 1000 keys at most
            batch = [{"Key": k} for k in keys[start : start + 1000]]
            with _s3_errors():
                response = self.client.delete_objects(
                    Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
                )
            codes = {e.get("Code", "") for e in response.get("Errors", [])}
            if codes and codes <= _TRANSIENT:
                raise Unavailable()
            if codes:
                raise RuntimeError(f"S3 refused to delete objects: {sorted(codes)}")

    def signed_get_url(
        self,
        key: str,
        filename: str,
        content_type: str,
        expires_s: int = MAX_DOWNLOAD_SECONDS,
        *,
        inline: bool = False,
    ) -> str:
        """A link that downloads the object as ``filename`` (or shows it, ``inline``) for
        ``expires_s`` ≤ 15 minutes; S3 answers with the given Content-Type."""
        _check_expiry(expires_s)
        return signed_get(self.client, self.bucket, key, filename, content_type, expires_s, inline)


def signed_get(
    client: Any,
    bucket: str,
    key: str,
    filename: str,
    content_type: str,
    expires_s: int,
    inline: bool = False,
) -> str:
    """A presigned GET that S3 answers with this name, type and no caching (files, exports)."""
    with _s3_errors():
        url: str = client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": bucket,
                "Key": key,
                "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition(filename, inline=inline),
                "ResponseCacheControl": "private, no-store",
            },
            ExpiresIn=expires_s,
        )
    return url


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266: a plain-ASCII ``filename`` for old clients and the exact name as
    ``filename*`` (RFC 5987, UTF-8, percent-encoded); neither can break the header."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = "".join(c if c.isprintable() and c not in '"\\;' else "_" for c in ascii_name)
    fallback = fallback.strip(" .") or "file"
    encoded = quote(filename, safe="")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def _check_expiry(expires_s: int) -> None:
    """Presigned POSTs and GETs alike live at most 15 minutes."""
    if not 0 < expires_s <= MAX_DOWNLOAD_SECONDS:
        raise ValueError(f"expiry must be 1..{MAX_DOWNLOAD_SECONDS} s, not {expires_s}")


@contextmanager
def _s3_errors() -> Iterator[None]:
    try:
        yield
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
        if code in _MISSING:
            raise BlobMissing(code) from error
        if code in _TRANSIENT or status >= 500:
            raise Unavailable() from error
        raise
    except (BotoConnectionError, HTTPClientError) as error:
        # Connect/read timeouts, refused or dropped connections, a body cut short.
        raise Unavailable() from error
