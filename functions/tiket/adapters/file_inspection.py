"""What an uploaded file really is, and the copy of it that may be kept.

``inspect(data, declared_type)`` trusts neither the file name nor the declared type: the
bytes' signature decides, and a mismatch is refused. Pictures are decoded and encoded anew
from their pixels only, so nothing of the upload survives but the picture: no EXIF (GPS,
camera serial), XMP, comments, colour profile or bytes hidden after the image. The
orientation is applied first, colours are converted to sRGB, and a thumbnail is made. A
picture carrying HTML or script outside its pixels (a JPEG/HTML polyglot) is refused before
that (``tiket.adapters.polyglot``). PDFs are kept as they are (re-writing them would break
their digital signatures) once they parse and carry no active content (see
``tiket.adapters.pdf_screening``).

Memory stays bounded: the header is read before any pixel; a picture with more pixels than
its kind may have (``MAX_PIXELS``, ``MAX_DECODED_PIXELS``, ``MAX_WEBP_PIXELS``) is refused
before decoding; a JPEG larger than needed is decoded at a reduced scale (libjpeg's DCT
scaling, ``Image.draft``); only the first frame of an animation is decoded.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from tiket.adapters.pdf_screening import screen_pdf
from tiket.adapters.polyglot import hidden_markup
from tiket.domain.attachments import (
    MAX_DECODED_PIXELS,
    MAX_IMAGE_SIDE,
    MAX_PIXELS,
    MAX_WEBP_PIXELS,
    THUMBNAIL_SIDE,
    AttachmentRejected,
    FileType,
    Rejection,
    check_pixels,
    check_size,
    check_type,
    sniff,
    too_many_pixels,
)

_PILLOW_FORMAT = {FileType.JPEG: "JPEG", FileType.PNG: "PNG", FileType.WEBP: "WEBP"}
_SAVE_OPTIONS: dict[FileType, dict[str, object]] = {
    FileType.JPEG: {"quality": 85},
    FileType.PNG: {"compress_level": 6},
    # libwebp's fastest method: a third of the default's time for a slightly larger file.
    FileType.WEBP: {"quality": 85, "method": 0},
}
THUMBNAIL_TYPE = FileType.JPEG
# What Pillow raises on truncated or malformed image data.
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, IndexError)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class Inspected:
    """The bytes to store (re-encoded for pictures) and, for pictures, a thumbnail."""

    content_type: FileType
    data: bytes
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def thumbnail_type(self) -> FileType | None:
        return THUMBNAIL_TYPE if self.thumbnail is not None else None


def inspect(data: bytes, declared_type: str) -> Inspected:
    """The file as it may be kept, or ``AttachmentRejected`` saying why it may not."""
    check_size(len(data))
    declared = check_type(declared_type)
    actual = sniff(data)
    if actual != declared:
        raise AttachmentRejected(
            Rejection.TYPE, declared=declared.value, actual=actual.value if actual else None
        )
    if actual is FileType.PDF:
        screen_pdf(data)
        return Inspected(FileType.PDF, data)
    if hidden_markup(data, actual):
        raise AttachmentRejected(Rejection.POLYGLOT)
    return _reencode(data, actual)


def _reencode(data: bytes, kind: FileType) -> Inspected:
    try:
        with Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[kind]]) as opened:
            picture = _clean(_decode(opened, kind), kind)
            return Inspected(
                kind,
                _encode(picture, kind),
                thumbnail=_thumbnail(picture),
                width=picture.width,
                height=picture.height,
            )
    except Image.DecompressionBombError:
        # Pillow's own ceiling (twice Image.MAX_IMAGE_PIXELS), far above ours, hit while
        # reading the header.
        raise too_many_pixels(_pixel_limit(kind, progressive=False)) from None
    except _DECODE_ERRORS:
        raise AttachmentRejected(Rejection.IMAGE_BROKEN) from None


def _decode(image: Image.Image, kind: FileType) -> Image.Image:
    """The first frame's pixels, as few as will do, upright."""
    width, height = image.size
    check_pixels(width, height, _pixel_limit(kind, bool(image.info.get("progressive"))))
    if kind is FileType.JPEG:
        reduction = jpeg_reduction(width, height)
        if reduction > 1:
            image.draft(None, (width // reduction, height // reduction))
    ImageOps.exif_transpose(image, in_place=True)  # loads the pixels
    return image


def _clean(image: Image.Image, kind: FileType) -> Image.Image:
    """sRGB pixels in a mode the output format takes, scaled down if needed, no metadata."""
    image = _to_srgb(image)
    image = _normalise_mode(image, kind)
    if max(image.size) > MAX_IMAGE_SIDE:
        # Bicubic, after a cheap box reduction when shrinking a lot: sharp enough for a
        # photo of a broken projector, and faster than Lanczos.
        image = image.resize(
            _fit(image.size, MAX_IMAGE_SIDE), Image.Resampling.BICUBIC, reducing_gap=2.0
        )
    # Encoders read comments, colour profiles and transparency from ``info``: none of the
    # upload's may reach the output.
    image.info.clear()
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Pixels converted from the embedded colour profile (Display P3 on phones, CMYK in
    print files), so the profile itself can be dropped; a profile that does not parse is
    ignored, as browsers do."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image.convert("RGB") if image.mode == "CMYK" else image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode == "CMYK":
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
            return converted if converted is not None else image
        ImageCms.profileToProfile(image, source, _SRGB, inPlace=True)
        return image
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image.convert("RGB") if image.mode == "CMYK" else image


def _normalise_mode(image: Image.Image, kind: FileType) -> Image.Image:
    mode = image.mode
    if mode.startswith("I"):
        # 16-bit grey (PNG): scale to 8 bits; a plain conversion would clip nearly all to white.
        return image.convert("I").point(lambda v: v / 256).convert("L")
    alpha = kind is not FileType.JPEG and ("transparency" in image.info or "A" in image.getbands())
    grey = mode in ("1", "L", "LA") and kind is not FileType.WEBP
    target = ("LA" if alpha else "L") if grey else ("RGBA" if alpha else "RGB")
    return image if mode == target else image.convert(target)


def _encode(image: Image.Image, kind: FileType) -> bytes:
    out = io.BytesIO()
    image.save(out, format=_PILLOW_FORMAT[kind], **_SAVE_OPTIONS[kind])
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    small = image.resize(
        _fit(image.size, THUMBNAIL_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0
    )
    if small.mode in ("LA", "RGBA"):
        # JPEG has no alpha: transparent areas (screenshots, logos) show as white.
        background = Image.new("RGB", small.size, "white")
        background.paste(small, mask=small.getchannel("A"))
        small = background
    return _encode(small, THUMBNAIL_TYPE)


def _pixel_limit(kind: FileType, progressive: bool) -> int:
    if kind is FileType.WEBP:
        return MAX_WEBP_PIXELS
    if kind is FileType.JPEG and not progressive:
        return MAX_PIXELS
    return MAX_DECODED_PIXELS


def jpeg_reduction(width: int, height: int) -> int:
    """The DCT scaling (1, 1/2, 1/4, 1/8) to decode at: the smallest picture that still
    covers ``MAX_IMAGE_SIDE``, and small enough for ``MAX_DECODED_PIXELS``. A 48 MP photo
    (8000 x 6000) decodes as 12 MP; a 5000 x 3750 one whole, then is scaled to 4096."""
    reduction = 1
    while reduction < 8 and max(width, height) // (reduction * 2) >= MAX_IMAGE_SIDE:
        reduction *= 2
    while reduction < 8 and (width // reduction) * (height // reduction) > MAX_DECODED_PIXELS:
        reduction *= 2
    return reduction


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """``size`` scaled to fit a ``side`` x ``side`` box, never enlarged."""
    width, height = size
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))
