"""A PDF may be kept when it parses, is not encrypted and carries no active content.

Active content is whatever a reader runs or opens by itself or on a click, beyond moving
within the document and opening a web or mail link: JavaScript (document-level names,
``/JS`` in any action, ``/OpenAction`` and ``/AA`` triggers of the catalog, pages, form
fields and annotations, outline items), ``/Launch``, ``/SubmitForm``, ``/ImportData``,
links to other files (``/GoToR``, ``/GoToE``), rich media, XFA forms, embedded files and
file-attachment annotations. Rather than walking the catalog, pages, annotations, form
fields and outlines one by one (and missing the next place a script can hide), every object
of the cross-reference table is read and each dictionary in it is judged on its own.

An ``/OpenAction`` that is a destination (``[page /XYZ ...]``, as LibreOffice writes) only
sets the opening view and is fine; an ``/OpenAction`` action is judged like any action.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from tiket.domain.attachments import AttachmentRejected, Rejection

# Action types (PDF 32000 §12.6.4) a reader carries out beyond the document itself.
_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/RichMediaExecute",
        "/Movie",
        "/Sound",
    }
)
_ACTIVE_ANNOTATIONS = frozenset({"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})
_LINK_SCHEMES = ("http://", "https://", "mailto:")
# Nesting of direct objects within one object; real files stay far below.
_MAX_DEPTH = 100


def screen_pdf(data: bytes) -> None:
    """Returns quietly when ``data`` is a PDF that may be kept; else ``AttachmentRejected``."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise AttachmentRejected(Rejection.PDF_ENCRYPTED)
        if len(reader.pages) == 0:
            raise AttachmentRejected(Rejection.PDF_BROKEN)
        finding = _first_active(reader)
    except AttachmentRejected:
        raise
    except DependencyError:
        # pypdf needs the optional ``cryptography`` package for AES: only encrypted files
        # get here.
        raise AttachmentRejected(Rejection.PDF_ENCRYPTED) from None
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on malformed input: all mean "does not parse"
        raise AttachmentRejected(Rejection.PDF_BROKEN) from None
    if finding is not None:
        raise AttachmentRejected(finding[0], feature=finding[1])


def _first_active(reader: PdfReader) -> tuple[Rejection, str] | None:
    for obj in _objects(reader):
        for dictionary in _dictionaries(obj):
            finding = _judge(dictionary)
            if finding is not None:
                return finding
    return None


def _objects(reader: PdfReader) -> Iterator[PdfObject | None]:
    """Every object the cross-reference table lists (object streams included)."""
    numbers = {(gen, num) for gen, table in reader.xref.items() for num in table}
    numbers |= {(0, num) for num in reader.xref_objStm}
    for generation, number in sorted(numbers):
        yield reader.get_object(IndirectObject(number, generation, reader))


def _dictionaries(obj: PdfObject | None) -> Iterator[DictionaryObject]:
    """``obj`` and the dictionaries nested directly in it; indirect ones are objects of
    their own, met in ``_objects``."""
    stack: list[tuple[PdfObject | None, int]] = [(obj, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise ValueError("objects nested too deep")
        if isinstance(item, DictionaryObject):
            yield item
            children = list(item.values())
        elif isinstance(item, ArrayObject):
            children = list(item)
        else:
            continue
        stack.extend((child, depth + 1) for child in children)


def _judge(d: DictionaryObject) -> tuple[Rejection, str] | None:
    if "/JS" in d or "/JavaScript" in d:
        return Rejection.PDF_SCRIPT, "JavaScript"
    if "/XFA" in d:
        return Rejection.PDF_SCRIPT, "XFA"
    if "/EmbeddedFiles" in d or "/EF" in d or _name(d, "/Type") == "/EmbeddedFile":
        return Rejection.PDF_EMBEDDED, "EmbeddedFile"
    subtype = _name(d, "/Subtype")
    if subtype == "/FileAttachment":
        return Rejection.PDF_EMBEDDED, "FileAttachment"
    if subtype in _ACTIVE_ANNOTATIONS:
        return Rejection.PDF_SCRIPT, subtype.lstrip("/")
    # Readers run an action whatever its /Type says, so ``/S`` alone decides. (It also names
    # border styles, transparency groups and structure roles, never with these values.)
    action = _name(d, "/S")
    if action in _ACTIVE_ACTIONS:
        return Rejection.PDF_SCRIPT, action.lstrip("/")
    if action == "/URI" and not _plain_link(d.get("/URI")):
        return Rejection.PDF_SCRIPT, "URI"
    return None


def _plain_link(uri: object) -> bool:
    if isinstance(uri, IndirectObject):
        uri = uri.get_object()
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    return isinstance(uri, str) and uri.strip().lower().startswith(_LINK_SCHEMES)


def _name(d: DictionaryObject, key: str) -> str | None:
    value = d.get(key)
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, str) else None
