"""Photos and files (PRODUCT.md §11): the rules, as plain values.

A requester or staff member uploads a file straight to storage under a random upload id
that the server chose (the client never names a storage key), then attaches up to
``MAX_PER_MESSAGE`` ids to a ticket, a message or a reply. Only JPEG, PNG, WebP and PDF, at
most ``MAX_BYTES`` each; the real type comes from the bytes, never from the name. Errors
carry a stable ``code`` and parameters, no text: the catalogue
(``tiket.messages.attachments``) words them.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class FileType(StrEnum):
    """The accepted kinds, by their media type."""

    JPEG = "image/jpeg"
    PNG = "image/png"
    WEBP = "image/webp"
    PDF = "application/pdf"


_TYPES = frozenset(t.value for t in FileType)
IMAGE_TYPES = frozenset({FileType.JPEG, FileType.PNG, FileType.WEBP})
MAX_BYTES = 10 * 1024 * 1024
MAX_PER_MESSAGE = 5
MAX_NAME_CHARS = 200
# The name travels as S3 metadata, percent-encoded, and S3 takes 2 KB of metadata: 600 bytes
# of UTF-8 (200 characters of most scripts; fewer of emoji) stay well within it.
MAX_NAME_BYTES = 600
# A few KB can claim 100k x 100k pixels: the pixels a picture may have depend on what its
# decoder needs, so that the function stays well within its memory (see bench/upload).
# A baseline JPEG may have a phone's 48-50 MP: libjpeg decodes it at 1/2 scale for little.
MAX_PIXELS = 50_000_000
# PNG and progressive JPEG (whose decoder holds every coefficient) are decoded whole.
MAX_DECODED_PIXELS = 24_000_000
# Pillow decodes WebP through libwebp's animation decoder: about 16 bytes a pixel.
MAX_WEBP_PIXELS = 12_000_000
# Stored pictures are scaled down to this long side: a 12 MP photo (4000 x 3000) is kept as
# it is, and a 50 MP one does not cost storage and memory for detail nobody needs here.
MAX_IMAGE_SIDE = 4096
THUMBNAIL_SIDE = 320
# The browser asks for a presigned POST right before sending the file.
UPLOAD_POST_SECONDS = 300
# PRODUCT.md §11: download links live at most 15 minutes.
MAX_DOWNLOAD_SECONDS = 900
# An upload id, once attached, is claimed for good: a second attach of it (another ticket, a
# twin request) loses. The claim is kept well past the day after which the bucket's
# lifecycle has removed the uploaded object itself (see tiket.adapters.blobs).
UPLOAD_CLAIM_KEEP = timedelta(days=7)

# 16 random bytes, base64url without padding (``secrets.token_urlsafe(16)``).
_UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{22}")
UPLOAD_ID_PATTERN = "^[A-Za-z0-9_-]{22}$"  # the same, for JSON Schema
_TICKET = re.compile(r"[A-Za-z0-9-]{1,64}")
_COPY = re.compile(r"[0-9a-f]{8}")
_SEPARATORS = frozenset("/\\")
# Joiners shape emoji and Indic/Persian script; every other format character (bidi
# overrides and isolates, zero-width space, BOM, ...) can disguise a name.
_ALLOWED_FORMAT_CHARS = frozenset("\u200c\u200d")


class Rejection(StrEnum):
    TYPE = "type"  # not one of FileType, or the bytes are not what was declared
    SIZE = "size"  # over MAX_BYTES
    EMPTY = "empty"  # zero bytes
    NAME = "name"  # params: reason = empty | separator | control | length
    COUNT = "count"  # more than MAX_PER_MESSAGE
    DUPLICATE = "duplicate"  # the same upload twice in one list
    UPLOAD_ID = "upload_id"  # not an id this server could have issued
    MISSING = "missing"  # never uploaded, already attached elsewhere, or expired
    BOMB = "bomb"  # more pixels than its kind may have; params: max_megapixels
    IMAGE_BROKEN = "image_broken"
    POLYGLOT = "polyglot"  # HTML or script hidden in a picture's metadata or after its end
    PDF_BROKEN = "pdf_broken"
    PDF_ENCRYPTED = "pdf_encrypted"
    PDF_SCRIPT = "pdf_script"  # params: feature (JavaScript, Launch, XFA, ...)
    PDF_EMBEDDED = "pdf_embedded"  # embedded files or file-attachment annotations


class AttachmentRejected(Exception):
    """A file or a list of files that cannot be attached; ``code`` is stable for clients."""

    def __init__(self, code: Rejection, **params: object):
        super().__init__(code.value, params)
        self.code = code
        self.params: dict[str, object] = dict(params)


@dataclass(frozen=True)
class UploadRequest:
    """What the browser says it is about to upload; bound into the presigned POST."""

    name: str
    content_type: FileType
    size: int


@dataclass(frozen=True)
class StoredAttachment:
    """A file kept with a ticket: filed with it (``message_id`` None) or with one of its
    messages. ``key`` and ``thumbnail_key`` name the objects in the files bucket."""

    id: str
    name: str
    content_type: FileType
    size: int
    key: str
    thumbnail_key: str | None = None
    message_id: str | None = None

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES


def new_upload_id() -> str:
    return secrets.token_urlsafe(16)


def check_upload_id(value: object) -> str:
    if not isinstance(value, str) or not _UPLOAD_ID.fullmatch(value):
        raise AttachmentRejected(Rejection.UPLOAD_ID)
    return value


def check_upload_ids(values: Sequence[object]) -> tuple[str, ...]:
    """The ``attachments`` list of a ticket, message or reply: ≤ 5 distinct well-formed ids.
    A bad entry's rejection carries its ``index`` (from 0)."""
    if len(values) > MAX_PER_MESSAGE:
        raise AttachmentRejected(Rejection.COUNT, max=MAX_PER_MESSAGE, count=len(values))
    ids: list[str] = []
    for index, value in enumerate(values):
        if not isinstance(value, str) or not _UPLOAD_ID.fullmatch(value):
            raise AttachmentRejected(Rejection.UPLOAD_ID, index=index)
        if value in ids:
            raise AttachmentRejected(Rejection.DUPLICATE, index=index)
        ids.append(value)
    return tuple(ids)


def upload_key(upload_id: str) -> str:
    """Where the browser's presigned POST puts the bytes (``tiket.adapters.blobs`` explains
    the layout). Every segment of every key comes from the server, never from a name."""
    return f"uploads/{check_upload_id(upload_id)}"


def attachment_key(ticket: str, upload_id: str, copy: str | None = None) -> str:
    """``copy``: set for a message's files (``new_copy_id``): two requests that send the same
    upload with one message (a double click) each keep their own objects, so the one that
    loses deletes its copies without touching the winner's."""
    return f"attachments/{_ticket(ticket)}/{check_upload_id(upload_id)}{_copy(copy)}"


def thumbnail_key(ticket: str, upload_id: str, copy: str | None = None) -> str:
    return f"thumbs/{_ticket(ticket)}/{check_upload_id(upload_id)}{_copy(copy)}"


def new_copy_id() -> str:
    return secrets.token_hex(4)


def _copy(copy: str | None) -> str:
    if copy is None:
        return ""
    if not _COPY.fullmatch(copy):
        raise ValueError(f"not a copy id: {copy!r}")
    return f"-{copy}"


def _ticket(ticket: str) -> str:
    if not _TICKET.fullmatch(ticket):
        raise ValueError(f"not a ticket number: {ticket!r}")
    return ticket


def check_type(content_type: object) -> FileType:
    if isinstance(content_type, str) and content_type in _TYPES:
        return FileType(content_type)
    raise AttachmentRejected(Rejection.TYPE, declared=str(content_type)[:100])


def check_size(size: int) -> int:
    if size <= 0:
        raise AttachmentRejected(Rejection.EMPTY)
    if size > MAX_BYTES:
        raise AttachmentRejected(Rejection.SIZE, max_mb=MAX_BYTES // 2**20, size=size)
    return size


def check_pixels(width: int, height: int, limit: int = MAX_PIXELS) -> None:
    """Refuses a picture before its pixels are decoded (``limit``: one of the three
    ``MAX_*PIXELS``)."""
    if width * height > limit:
        raise too_many_pixels(limit, width * height)


def too_many_pixels(limit: int, pixels: int | None = None) -> AttachmentRejected:
    return AttachmentRejected(Rejection.BOMB, max_megapixels=limit // 1_000_000, pixels=pixels)


def check_filename(name: object) -> str:
    """A name safe to show and to offer as a download name, or ``AttachmentRejected(NAME)``.

    It is only ever a label: storage keys never derive from it.
    """
    if not isinstance(name, str):
        raise AttachmentRejected(Rejection.NAME, reason="empty")
    text = unicodedata.normalize("NFC", name).strip()
    if not text.strip("."):
        raise AttachmentRejected(Rejection.NAME, reason="empty")
    if any(c in _SEPARATORS for c in text):
        raise AttachmentRejected(Rejection.NAME, reason="separator")
    for char in text:
        if _is_control(char):
            raise AttachmentRejected(Rejection.NAME, reason="control", char=f"U+{ord(char):04X}")
    if len(text) > MAX_NAME_CHARS or len(text.encode()) > MAX_NAME_BYTES:
        raise AttachmentRejected(Rejection.NAME, reason="length", max=MAX_NAME_CHARS)
    return text


def check_upload_request(name: object, content_type: object, size: object) -> UploadRequest:
    """The body of ``POST /api/uploads``; the first problem found is raised."""
    if isinstance(size, bool) or not isinstance(size, int):
        raise AttachmentRejected(Rejection.SIZE, max_mb=MAX_BYTES // 2**20)
    return UploadRequest(check_filename(name), check_type(content_type), check_size(size))


def sniff(data: bytes) -> FileType | None:
    """The type the bytes are, by their signature; ``None`` for anything else.

    Stricter than readers are: a PDF must start with its header (no leading junk).
    """
    if data.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return FileType.WEBP
    if data.startswith(b"%PDF-"):
        return FileType.PDF
    return None


def _is_control(char: str) -> bool:
    category = unicodedata.category(char)
    if category == "Cf":
        return char not in _ALLOWED_FORMAT_CHARS
    # Cc: C0/C1 controls and DEL; Cs: lone surrogates; Zl/Zp: line and paragraph separators.
    return category in ("Cc", "Cs", "Zl", "Zp")
