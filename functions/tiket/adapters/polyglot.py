"""HTML or script hidden in a picture: in its metadata (EXIF, XMP, comments, text chunks) or
after its last byte. Such a file is a picture to an image viewer and a page to a browser that
sniffs it; it is refused rather than quietly cleaned, so that whoever made it learns it does
not pass. Only the parts outside the compressed pixels are read: pixel data is random
enough to hold any few bytes by chance.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator

from tiket.domain.attachments import FileType

# The tags by which browsers sniff HTML (WHATWG MIME Sniffing §7.1), SVG and embedding
# elements, each followed by what ends a tag name.
_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|frame|object|embed|svg|style|title"
    rb"|div|table|font|form|img|h1|a|b|br|p)[\s/>]",
    re.IGNORECASE,
)
# WebP chunks holding pixels (the rest is metadata: EXIF, XMP, ICCP, unknown chunks).
_WEBP_PIXELS = frozenset({b"VP8 ", b"VP8L", b"ALPH", b"ANMF"})


def hidden_markup(data: bytes, kind: FileType) -> bool:
    return any(_MARKUP.search(part) for part in _outside_pixels(data, kind))


def _outside_pixels(data: bytes, kind: FileType) -> Iterator[bytes]:
    if kind is FileType.JPEG:
        yield from _jpeg(data)
    elif kind is FileType.PNG:
        yield from _png(data)
    elif kind is FileType.WEBP:
        yield from _webp(data)


def _jpeg(data: bytes) -> Iterator[bytes]:
    """The segments before the first scan, and what follows the end-of-image marker (inside
    scans every 0xFF byte is stuffed, so the first FFD9 after the first scan is the end)."""
    scan = data.find(b"\xff\xda")
    if scan < 0:
        yield data
        return
    yield data[:scan]
    end = data.find(b"\xff\xd9", scan)
    if end >= 0:
        yield data[end + 2 :]


def _png(data: bytes) -> Iterator[bytes]:
    position = 8
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if kind != b"IDAT":
            yield data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IEND":
            break
    yield data[position:]


def _webp(data: bytes) -> Iterator[bytes]:
    (size,) = struct.unpack("<I", data[4:8])
    end = min(len(data), 8 + size)
    position = 12
    while position + 8 <= end:
        kind, length = (
            data[position : position + 4],
            struct.unpack("<I", data[position + 4 : position + 8])[0],
        )
        if kind not in _WEBP_PIXELS:
            yield data[position + 8 : position + 8 + length]
        position += 8 + length + (length & 1)
    yield data[end:]
