"""What is kept of an uploaded picture: re-encoded clean and upright, within its limits."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms, features
from PIL.PngImagePlugin import PngInfo

from tiket.adapters.file_inspection import inspect, jpeg_reduction
from tiket.domain.attachments import (
    MAX_BYTES,
    MAX_IMAGE_SIDE,
    THUMBNAIL_SIDE,
    AttachmentRejected,
    FileType,
    Rejection,
)

RED, BLUE = (220, 20, 20), (20, 20, 220)
GPS_IFD = 0x8825
ORIENTATION = 0x0112
SECRET = "Jl. Rahasia 7"  # what must not survive: in EXIF, comments, XMP, PNG text


def two_halves(size=(60, 40)) -> Image.Image:
    """Left half red, right half blue: shows how the picture was turned."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    return image


def phone_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = SECRET  # Software
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)})
    return exif


def xmp() -> bytes:
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-'
        b'rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        b'exif:GPSLatitude="6,10.5S">'
        + SECRET.encode()
        + b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def phone_photo() -> bytes:
    return encoded(
        two_halves(),
        "JPEG",
        exif=phone_exif(),
        comment=SECRET.encode(),
        xmp=xmp(),
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def close_to(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def assert_no_metadata(data: bytes) -> None:
    image = opened(data)
    assert len(image.getexif()) == 0
    for key in ("exif", "comment", "xmp", "XML:com.adobe.xmp", "icc_profile", "Comment"):
        assert key not in image.info
    for marker in (b"Exif\x00\x00", b"PhoneMaker", SECRET.encode(), b"adobe:ns:meta", b"GPS"):
        assert marker not in data


def rejected(data: bytes, declared: str) -> AttachmentRejected:
    with pytest.raises(AttachmentRejected) as caught:
        inspect(data, declared)
    return caught.value


# --- pictures ---------------------------------------------------------------------------


@pytest.mark.parametrize("feature", ["jpg", "zlib", "webp", "littlecms2"])
def test_pillow_carries_the_codecs_attachments_need(feature):
    # A Pillow whose WebP or colour-management library failed to load would refuse every
    # WebP as broken, or fail on colour profiles.
    assert features.check(feature)


def test_a_phone_photo_loses_gps_and_exif_and_is_turned_upright():
    upload = phone_photo()
    assert opened(upload).getexif().get_ifd(GPS_IFD)  # the sample really carries GPS
    kept = inspect(upload, "image/jpeg")
    assert kept.content_type is FileType.JPEG
    assert_no_metadata(kept.data)
    picture = opened(kept.data)
    assert picture.format == "JPEG"
    # Orientation 6 means "turn 90° clockwise to view": the left (red) edge becomes the top.
    assert picture.size == (40, 60) == (kept.width, kept.height)
    assert close_to(picture.getpixel((20, 5)), RED)
    assert close_to(picture.getpixel((20, 55)), BLUE)


def test_a_thumbnail_is_a_small_clean_jpeg_of_the_upright_picture():
    upload = encoded(two_halves((1200, 800)), "JPEG", exif=phone_exif(), comment=SECRET.encode())
    kept = inspect(upload, "image/jpeg")
    assert kept.thumbnail is not None and kept.thumbnail_type is FileType.JPEG
    thumb = opened(kept.thumbnail)
    assert thumb.format == "JPEG"
    assert thumb.size == (213, THUMBNAIL_SIDE)
    assert close_to(thumb.getpixel((100, 10)), RED)
    assert_no_metadata(kept.thumbnail)


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def png_with_text(text: str) -> bytes:
    info = PngInfo()
    info.add_text("Comment", text)
    return encoded(two_halves(), "PNG", pnginfo=info)


@pytest.mark.parametrize(
    ("upload", "declared"),
    [
        (encoded(two_halves(), "JPEG", comment=HTML) + HTML, "image/jpeg"),
        (encoded(two_halves(), "JPEG", comment=b"<svg onload=alert(1)>"), "image/jpeg"),
        (encoded(two_halves(), "JPEG") + b"<!DOCTYPE html><p>hi", "image/jpeg"),
        (png_with_text("<script>alert(1)</script>"), "image/png"),
        (encoded(two_halves(), "PNG") + HTML, "image/png"),
        (encoded(two_halves(), "WEBP", exif=HTML), "image/webp"),
        (encoded(two_halves(), "WEBP") + HTML, "image/webp"),
    ],
    ids=[
        "jpeg",
        "jpeg-svg-comment",
        "jpeg-trailer",
        "png-text",
        "png-trailer",
        "webp-exif",
        "webp-trailer",
    ],
)
def test_a_polyglot_picture_html_is_refused(upload, declared):
    assert opened(upload).size == (60, 40)  # a valid picture to any viewer, and HTML too
    assert rejected(upload, declared).code is Rejection.POLYGLOT


def test_markup_like_bytes_inside_the_pixels_do_not_count():
    from tiket.adapters.polyglot import hidden_markup
    from tiket.domain.attachments import FileType

    clean = encoded(two_halves(), "JPEG")
    scan = clean.index(b"\xff\xda")
    # The same bytes inside the compressed pixels: a picture may hold any bytes by chance.
    inside = clean[: scan + 20] + b"<html>" + clean[scan + 20 :]
    assert not hidden_markup(inside, FileType.JPEG)
    assert hidden_markup(clean + b"<html>", FileType.JPEG)
    assert not hidden_markup(png_with_text("Foto ruang <rapat> 2"), FileType.PNG)


def test_a_png_keeps_its_transparency_and_loses_its_text():
    image = Image.new("RGBA", (50, 30), (0, 0, 0, 0))
    image.paste((*BLUE, 255), (0, 0, 25, 30))
    text = PngInfo()
    text.add_text("Comment", SECRET)
    text.add_itxt("XML:com.adobe.xmp", xmp().decode())
    kept = inspect(encoded(image, "PNG", pnginfo=text, exif=phone_exif(1)), "image/png")
    assert kept.content_type is FileType.PNG
    assert_no_metadata(kept.data)
    picture = opened(kept.data)
    assert (picture.format, picture.mode, picture.size) == ("PNG", "RGBA", (50, 30))
    assert picture.getpixel((40, 10))[3] == 0
    thumb = opened(kept.thumbnail)  # JPEG: transparent areas on white
    assert close_to(thumb.getpixel((40, 10)), (255, 255, 255))
    assert close_to(thumb.getpixel((5, 10)), BLUE)


def test_a_palette_png_with_a_transparent_colour_becomes_rgba():
    image = Image.new("P", (20, 20), 0)
    image.putpalette([255, 255, 255, 0, 0, 255] + [0] * 762)
    image.paste(1, (0, 0, 10, 20))
    kept = inspect(encoded(image, "PNG", transparency=0), "image/png")
    picture = opened(kept.data)
    assert picture.mode == "RGBA"
    assert picture.getpixel((15, 5))[3] == 0 and picture.getpixel((5, 5)) == (0, 0, 255, 255)


def test_a_16_bit_grey_png_is_scaled_not_clipped():
    image = Image.new("I;16", (4, 1))
    image.putdata([0, 16384, 32768, 65535])
    picture = opened(inspect(encoded(image, "PNG"), "image/png").data)
    assert picture.mode == "L"
    assert [picture.getpixel((x, 0)) for x in range(4)] == [0, 64, 128, 255]


def test_a_webp_is_reencoded_as_webp_without_exif():
    upload = encoded(two_halves(), "WEBP", exif=phone_exif(), xmp=xmp(), quality=90)
    kept = inspect(upload, "image/webp")
    assert kept.content_type is FileType.WEBP
    assert_no_metadata(kept.data)
    picture = opened(kept.data)
    assert (picture.format, picture.size) == ("WEBP", (40, 60))
    assert close_to(picture.getpixel((20, 5)), RED)


def test_only_the_first_frame_of_an_animation_is_kept():
    frames = [Image.new("RGB", (30, 30), RED), Image.new("RGB", (30, 30), BLUE)]
    upload = encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    assert getattr(opened(upload), "n_frames", 1) == 2
    picture = opened(inspect(upload, "image/webp").data)
    assert getattr(picture, "n_frames", 1) == 1
    assert close_to(picture.getpixel((15, 15)), RED)


@pytest.mark.parametrize(("mode", "colour"), [("CMYK", (0, 255, 255, 0)), ("L", 128)])
def test_cmyk_and_grey_jpegs_become_browser_friendly(mode, colour):
    picture = opened(inspect(encoded(Image.new(mode, (16, 16), colour), "JPEG"), "image/jpeg").data)
    assert picture.mode == ("RGB" if mode == "CMYK" else "L")


def red_and_blue_swapped() -> bytes:
    """An RGB colour profile whose red primary is sRGB's blue, and the other way round."""
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = struct.unpack_from(">I", icc, 128)[0]
    tags = {bytes(icc[132 + 12 * i : 136 + 12 * i]): 136 + 12 * i for i in range(count)}
    red, blue = tags[b"rXYZ"], tags[b"bXYZ"]
    icc[red : red + 8], icc[blue : blue + 8] = icc[blue : blue + 8], icc[red : red + 8]
    return bytes(icc)


def test_colours_are_converted_to_srgb_before_the_profile_is_dropped():
    upload = encoded(
        Image.new("RGB", (16, 16), (255, 0, 0)), "JPEG", icc_profile=red_and_blue_swapped()
    )
    picture = opened(inspect(upload, "image/jpeg").data)
    assert "icc_profile" not in picture.info
    assert close_to(picture.getpixel((8, 8)), (0, 0, 255))  # what the profile says it is


def test_a_broken_colour_profile_is_dropped_not_refused():
    upload = encoded(two_halves(), "JPEG", icc_profile=b"not a profile" * 10)
    kept = inspect(upload, "image/jpeg")
    assert "icc_profile" not in opened(kept.data).info


def test_a_big_jpeg_is_decoded_at_a_reduced_scale_and_kept_at_most_4096_wide():
    upload = encoded(two_halves((9000, 600)), "JPEG", quality=50)
    kept = inspect(upload, "image/jpeg")
    assert (kept.width, kept.height) == (MAX_IMAGE_SIDE, 273)
    picture = opened(kept.data)
    assert close_to(picture.getpixel((100, 100)), RED) and close_to(
        picture.getpixel((4000, 100)), BLUE
    )


@pytest.mark.parametrize(
    ("size", "reduction"),
    [
        ((4000, 3000), 1),  # 12 MP: whole
        ((5000, 3750), 1),  # 18.75 MP: whole, then scaled to 4096
        ((8000, 6000), 2),  # 48 MP: 4000 x 3000 covers nearly 4096 and fits
        ((6000, 6000), 2),  # 36 MP: 3000 x 3000, as whole it would not fit 24 MP
        ((16384, 1000), 4),
        ((60_000, 60_000), 8),
    ],
)
def test_a_jpeg_is_decoded_at_the_scale_it_needs(size, reduction):
    assert jpeg_reduction(*size) == reduction


def test_a_12_megapixel_webp_is_decoded():
    upload = flat_webp(4000, 3000)
    assert len(upload) < 200  # a bomb's shape, but within the limit
    kept = inspect(upload, "image/webp")
    assert (kept.width, kept.height) == (4000, 3000)


# --- bad pictures -----------------------------------------------------------------------


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims ``width`` x ``height`` pixels: a decompression bomb's shape."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


def jpeg_header_only(width: int, height: int, *, progressive: bool = False) -> bytes:
    """A JPEG's markers up to its first scan, with no image data behind them."""

    def segment(marker: int, body: bytes) -> bytes:
        return struct.pack(">HH", marker, len(body) + 2) + body

    components = b"".join(bytes([n, 0x11, 0]) for n in (1, 2, 3))
    frame = struct.pack(">BHHB", 8, height, width, 3) + components
    scan = bytes([3, 1, 0, 2, 0, 3, 0, 0, 63, 0])
    return (
        b"\xff\xd8"
        + segment(0xFFC2 if progressive else 0xFFC0, frame)
        + segment(0xFFDA, scan)
        + b"\xff\xd9"
    )


def flat_webp(width: int, height: int) -> bytes:
    """A real lossless WebP of one colour: a few dozen bytes, any number of pixels."""
    return encoded(Image.new("RGB", (width, height), RED), "WEBP", lossless=True, method=0)


@pytest.mark.parametrize(
    ("upload", "declared", "limit"),
    [
        (png_header_only(6000, 4001), "image/png", 24),
        (png_header_only(100_000, 100_000), "image/png", 24),
        (jpeg_header_only(8000, 6251), "image/jpeg", 50),
        (jpeg_header_only(6000, 4001, progressive=True), "image/jpeg", 24),
        (jpeg_header_only(60_000, 60_000), "image/jpeg", 50),
        (flat_webp(4000, 3001), "image/webp", 12),
    ],
    ids=["png", "png-gigapixels", "jpeg", "progressive-jpeg", "jpeg-gigapixels", "webp"],
)
def test_a_decompression_bomb_is_refused_before_decoding(upload, declared, limit):
    assert len(upload) < 200
    error = rejected(upload, declared)
    assert (error.code, error.params["max_megapixels"]) == (Rejection.BOMB, limit)


@pytest.mark.parametrize(
    ("upload", "declared"),
    [
        (png_header_only(6000, 4000), "image/png"),
        (jpeg_header_only(8000, 6250), "image/jpeg"),  # decoded at 1/2 scale
        (jpeg_header_only(6000, 4000, progressive=True), "image/jpeg"),
    ],
    ids=["png", "jpeg", "progressive-jpeg"],
)
def test_a_picture_within_the_pixel_limits_gets_decoded(upload, declared):
    # Only a header: the decoder is reached, and finds nothing to decode.
    assert rejected(upload, declared).code is Rejection.IMAGE_BROKEN


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        (encoded(two_halves(), "PNG"), "image/jpeg"),  # lying: a PNG said to be a JPEG
        (encoded(two_halves(), "JPEG"), "image/png"),
        (encoded(two_halves(), "JPEG"), "application/pdf"),
        (b"%PDF-1.7\n", "image/jpeg"),
        (b"<html><script>alert(1)</script></html>", "image/jpeg"),
        (encoded(two_halves(), "GIF"), "image/gif"),  # real but not accepted
        (encoded(two_halves(), "GIF"), "image/png"),
        (encoded(two_halves(), "BMP"), "image/jpeg"),
        (encoded(two_halves(), "JPEG"), "text/html"),
    ],
)
def test_the_type_is_read_from_the_bytes_and_must_match(data, declared):
    assert rejected(data, declared).code is Rejection.TYPE


def test_zero_bytes_are_refused():
    assert rejected(b"", "image/jpeg").code is Rejection.EMPTY


def test_ten_megabytes_and_one_byte_are_refused():
    error = rejected(b"\xff\xd8\xff" + bytes(MAX_BYTES - 2), "image/jpeg")
    assert (error.code, error.params["size"]) == (Rejection.SIZE, MAX_BYTES + 1)


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_picture_is_refused(kind):
    whole = encoded(two_halves((300, 300)).effect_spread(20), kind)
    assert rejected(whole[: len(whole) // 2], Image.MIME[kind]).code is Rejection.IMAGE_BROKEN


def test_a_signature_with_nothing_behind_it_is_refused():
    assert rejected(b"\xff\xd8\xff\xe0garbage", "image/jpeg").code is Rejection.IMAGE_BROKEN
