"""Rows of an uploaded asset list, CSV or XLSX, for ``tiket.domain.assets.read_assets``.

``sheet_rows(stream)`` looks at the content (never the file name), refuses what it cannot read
with ``ImportRefused`` (a ``FileRefusal``: not a spreadsheet, an HTML table named .xls, Excel
97-2003, encrypted, damaged, too large, too many rows) and yields ``(row number, cells)`` one
row at a time: memory stays bounded by one row plus the XLSX shared-string table.

- CSV: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else cp1252
  (Excel's "CSV" on Indonesian Windows). The delimiter (``;`` ``,`` tab) is sniffed from the
  first lines, or taken from Excel's ``sep=`` line. Cells are text; one starting with ``=`` is
  a formula for Excel, so it is handed on as a ``Formula`` to be refused.
- XLSX: openpyxl in read-only mode, with formulas kept as formulas: a formula cell is handed
  on as a ``Formula`` (and refused), never evaluated nor read from its cached value. With
  defusedxml installed, openpyxl refuses entity tricks (a ``damaged`` file here).

Row numbers are those the spreadsheet program shows. Over ``max_rows`` non-blank rows the
iterator raises ``too_many_rows`` mid-way; ``read_assets`` reads the whole file before it
returns, so a caller that writes only its report never writes part of a refused file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, BinaryIO

from defusedxml.ElementTree import ParseError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from tiket.domain.assets import Cell, FileRefusal, Formula, ImportRefused, SheetRow

# A work unit's whole BMN list (furniture included) is a few thousand rows; 20,000 leaves
# room for the largest while a validation pass stays around a few seconds within one
# request (see bench/assets_import). Over it the file is refused whole.
MAX_ROWS = 20_000
# 20,000 rows of a 40-column export stay well under this; a bigger upload is not an asset list.
MAX_BYTES = 16 * 1024 * 1024
# A DTD can only come before an XML document's root element (its prolog), and no exporter
# writes a long prolog.
PROLOG_BYTES = 64 * 1024
ROOT_TAG = re.compile(rb"<[A-Za-z_]")
# Uncompressed XLSX parts: guards against a small zip that inflates into gigabytes.
MAX_UNZIPPED = 128 * 1024 * 1024
# Columns read per row: exports have a few dozen; a sheet wider than this is cut, not loaded.
MAX_COLUMNS = 256
DELIMITERS = (";", "\t", ",")  # order breaks ties: ";" is what Indonesian Excel writes
SNIFF_BYTES = 64 * 1024

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and encrypted OOXML
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


def sheet_rows(
    stream: BinaryIO, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES
) -> Iterator[SheetRow]:
    """The rows of a seekable binary stream holding a CSV or XLSX file. The file's kind and
    size are checked now; rows are read as the iterator is consumed."""
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    if size == 0:
        raise ImportRefused(FileRefusal.EMPTY_FILE)
    if size > max_bytes:
        raise ImportRefused(FileRefusal.FILE_TOO_LARGE, max_mb=max_bytes // (1024 * 1024))
    head = stream.read(len(_OLE2))
    stream.seek(0)
    if head.startswith(_ZIP):
        return _capped(_xlsx_rows(_open_workbook(stream)), max_rows)
    if head.startswith(_OLE2):
        encrypted = _ENCRYPTED in stream.read()
        raise ImportRefused(FileRefusal.ENCRYPTED if encrypted else FileRefusal.LEGACY_XLS)
    return _capped(_csv_rows(stream), max_rows)


def _capped(rows: Iterator[SheetRow], max_rows: int) -> Iterator[SheetRow]:
    counted = 0
    for number, cells in rows:
        if any(cell is not None for cell in cells):
            counted += 1
            if counted > max_rows:
                raise ImportRefused(FileRefusal.TOO_MANY_ROWS, max_rows=max_rows)
        yield number, cells


# --- XLSX ------------------------------------------------------------------------------------


def _open_workbook(stream: BinaryIO) -> Workbook:
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unzipped = sum(member.file_size for member in members)
            if "xl/workbook.xml" not in names:  # a .docx, an .ods, any other zip
                raise ImportRefused(FileRefusal.NOT_A_SPREADSHEET)
            if unzipped > MAX_UNZIPPED:
                raise ImportRefused(FileRefusal.FILE_TOO_LARGE, max_mb=MAX_BYTES // (1024 * 1024))
            if any(_declares_entities(archive, m) for m in members if m.filename.endswith(".xml")):
                raise ImportRefused(FileRefusal.DAMAGED)
    except zipfile.BadZipFile as error:
        raise ImportRefused(FileRefusal.DAMAGED) from error
    stream.seek(0)
    try:
        return load_workbook(stream, read_only=True, data_only=False, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportRefused(FileRefusal.DAMAGED) from error


def _declares_entities(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """No spreadsheet program writes a DTD; one in an uploaded part is an entity trick. Checked
    before any XML parser sees it (with lxml installed, openpyxl may not go through defusedxml)."""
    with archive.open(member) as part:
        head = part.read(PROLOG_BYTES)
    root = ROOT_TAG.search(head)
    prolog = head if root is None else head[: root.start()]
    # No root element within the first bytes: padding meant to hide a DTD further on.
    return root is None or b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog


def _xlsx_rows(workbook: Workbook) -> Iterator[SheetRow]:
    """The active sheet (the one Excel opens on), one row at a time. Its recorded dimensions
    are ignored: some exporters write them wrong, and openpyxl would stop reading there."""
    try:
        active: Any = workbook.active
        # A chart sheet has no rows: then the first worksheet.
        sheet: Any = (
            active if hasattr(active, "iter_rows") else next(iter(workbook.worksheets), None)
        )
        if sheet is None:
            raise ImportRefused(FileRefusal.EMPTY_FILE)
        sheet.reset_dimensions()
        # openpyxl fills rows missing from the file, so counting gives the row number.
        for number, row in enumerate(sheet.iter_rows(), start=1):
            yield number, [_xlsx_value(cell) for cell in row[:MAX_COLUMNS]]
    except (ParseError, ValueError, KeyError) as error:
        raise ImportRefused(FileRefusal.DAMAGED) from error
    finally:
        workbook.close()


def _xlsx_value(cell: Any) -> Cell:
    """A read-only cell's value; a formula is kept as its text, never evaluated."""
    value = cell.value
    if cell.data_type == "f":
        return Formula(str(getattr(value, "text", value)))  # ArrayFormula keeps it in .text
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, str | int | float | bool | datetime | date | time):
        return value
    return str(value)  # rich text, durations: their text


# --- CSV ---------------------------------------------------------------------------------------


def _csv_rows(stream: BinaryIO) -> Iterator[SheetRow]:
    """Checks the text now; the returned iterator reads the records."""
    encoding = _encoding(stream)
    stream.seek(0)
    raw = stream.read(SNIFF_BYTES)
    stream.seek(0)
    sample = raw.decode(encoding, errors="replace").lstrip("\ufeff")
    if sample.lstrip().startswith("<"):
        # Web applications' "Excel" downloads are often HTML or XML tables named .xls.
        raise ImportRefused(FileRefusal.MARKUP_EXPORT)
    if not _looks_like_text(sample):
        raise ImportRefused(FileRefusal.NOT_A_SPREADSHEET)
    lines = sample.splitlines()
    if len(raw) == SNIFF_BYTES and len(lines) > 1:
        lines.pop()  # cut short by the sample's end
    first = lines[0].casefold() if lines else ""
    declared = len(first) == 5 and first.startswith("sep=")  # Excel's delimiter line
    delimiter = first[4] if declared else _sniff(lines)
    return _csv_records(stream, encoding, delimiter, skip_first=declared)


def _csv_records(
    stream: BinaryIO, encoding: str, delimiter: str, *, skip_first: bool
) -> Iterator[SheetRow]:
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    try:
        reader = csv.reader(text, delimiter=delimiter)
        if skip_first:
            next(reader, None)  # Excel hides its sep= line: row 1 is the next one
        for number, record in enumerate(reader, start=1):
            yield number, [_csv_value(value) for value in record[:MAX_COLUMNS]]
    except csv.Error as error:  # a NUL byte, a field over csv's size limit
        raise ImportRefused(FileRefusal.NOT_A_SPREADSHEET) from error
    finally:
        if not stream.closed:
            text.detach()  # the caller owns the stream: leave it open


def _looks_like_text(sample: str) -> bool:
    """Binary files decode to control characters or replacement marks; text has almost none."""
    odd = sum(1 for ch in sample if ch == "\ufffd" or (ch < " " and ch not in "\t\r\n"))
    return odd <= len(sample) // 100


def _encoding(stream: BinaryIO) -> str:
    """UTF-16 and UTF-8 by their BOM or, for BOM-less UTF-8, by checking the whole file in
    chunks (an export may be plain ASCII for thousands of rows before its first "é")."""
    head = stream.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(SNIFF_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _sniff(lines: Sequence[str]) -> str:
    """The delimiter that splits most lines into the same number of fields. Unlike
    ``csv.Sniffer`` it is not misled by the title rows above the header. Text in which no two
    lines split alike (a letter, a note) is not a table, unless it is one line (a header)."""
    best, best_score = None, 0
    filled = [line for line in lines if line.strip()]
    for delimiter in DELIMITERS:
        widths = [len(fields) for fields in csv.reader(filled, delimiter=delimiter)]
        widths = [width for width in widths if width > 1]
        if not widths:
            continue
        width = max(set(widths), key=lambda w: (widths.count(w), w))
        if widths.count(width) < 2 and len(filled) > 1:
            continue
        score = width * widths.count(width)
        if score > best_score:
            best, best_score = delimiter, score
    if best is None:
        raise ImportRefused(FileRefusal.NOT_A_SPREADSHEET)
    return best


def _csv_value(value: str) -> Cell:
    if not value.strip():
        return None
    if value.lstrip().startswith("="):
        return Formula(value)
    return value
