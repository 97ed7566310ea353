"""Tables as files, written a piece at a time: CSV for Excel with Indonesian regional
settings, and XLSX. Memory stays flat in the number of rows, and a file can be continued in
another process from a small JSON-able state (an export job spread over several Lambda
invocations: ``tiket.services.export_jobs``).

CSV. Excel opens a CSV with the list separator and decimal sign of the PC's regional
settings; Indonesian ones use ``;`` and ``,``. So the file uses ``;`` between cells, a
decimal comma (``30,5``), CRLF line ends and a UTF-8 byte-order mark (Excel reads UTF-8
only with it). A ``sep=`` first line is not used: Excel then ignores the byte-order mark and
garbles every non-ASCII letter.

XLSX. One worksheet in SpreadsheetML, strings inline, the header row bold, frozen and with
an autofilter, date-times as real date cells. The ZIP is streamed: the worksheet is one
deflate stream that can be cut at a full flush (a byte boundary where the compressor has
forgotten everything) and continued by a fresh compressor, its CRC and sizes carried in the
state; the workbook part and the central directory, which need the final row count and
offsets, come last. No library writes a ZIP that another process can continue.

Text is typed by requesters: cells a spreadsheet would read as a formula (starting with
``= + - @``, tab or CR) get a leading ``'``; characters XML cannot hold are dropped.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from html import escape
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | Decimal | datetime | None
Row = Sequence[Cell]
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
MAX_CELL = 32_767  # characters an Excel cell holds
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def neutralise(value: str) -> str:
    """Text a spreadsheet would take for a formula, made plain text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# --- CSV ----------------------------------------------------------------------------------


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        raise TypeError("no boolean cells")
    return str(value).replace(".", ",")


class CsvStream:
    """``begin`` once, then ``rows`` as often as needed; nothing to carry between pieces."""

    def begin(self, header: Row) -> bytes:
        return (BOM + self._text([header])).encode("utf-8")

    def rows(self, rows: Iterable[Row]) -> bytes:
        return self._text(rows).encode("utf-8")

    @staticmethod
    def _text(rows: Iterable[Row]) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerows([csv_cell(value) for value in row] for row in rows)
        return buffer.getvalue()

    def checkpoint(self) -> tuple[bytes, dict[str, Any]]:
        return b"", {}

    def end(self) -> bytes:
        return b""


def csv_bytes(rows: Sequence[Row]) -> bytes:
    stream = CsvStream()
    return stream.begin(rows[0]) + stream.rows(rows[1:])


# --- XLSX ---------------------------------------------------------------------------------

SHEET = "xl/worksheets/sheet1.xml"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STATIC = {
    "[Content_Types].xml": _HEAD
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": _HEAD + f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/_rels/workbook.xml.rels": _HEAD + f'<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
    # Cell styles: 0 plain, 1 bold (header), 2 date-time.
    "xl/styles.xml": _HEAD + f'<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt '
    'numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts><fonts count="2"><font>'
    '<sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/>'
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/>'
    '<right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" '
    'fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" '
    'fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>",
}
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (1900 date system)
_DOS_TIME = (0, 33)  # 1980-01-01 00:00: entries carry no meaningful time
_MIN_WIDTH, _MAX_WIDTH = 8, 50


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\ .
    return "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet1"


def _text(value: str) -> str:
    """XML character data (``html.escape`` writes the same entities XML has)."""
    return escape(_NOT_XML.sub("", value)[:MAX_CELL], quote=False)


class XlsxStream:
    """An XLSX file of one sheet, written as ``begin`` + ``rows``… + ``end``. Between two
    pieces, ``checkpoint`` returns the bytes still held back and a state from which
    ``XlsxStream.resume`` continues the same file (in another process)."""

    def __init__(self, title: str, widths: Sequence[float]):
        self.state: dict[str, Any] = {
            "title": sheet_title(title),
            "columns": len(widths),
            "widths": list(widths),
            "offset": 0,  # bytes of the file written so far
            "entries": [],  # [name, crc, compressed, size, offset] of finished entries
            "sheet": None,  # [crc, compressed, size, offset] of the running worksheet
            "rows": 0,
        }
        self._letters = [column_letter(i) for i in range(1, len(widths) + 1)]
        self._deflate = zlib.compressobj(6, zlib.DEFLATED, -15)

    @classmethod
    def resume(cls, state: dict[str, Any]) -> XlsxStream:
        stream = cls(state["title"], state["widths"])
        stream.state = state
        return stream

    # --- pieces --------------------------------------------------------------------------

    def begin(self, header: Row) -> bytes:
        out = b"".join(self._entry(name, text.encode()) for name, text in _STATIC.items())
        name = SHEET.encode()
        # Sizes and CRC unknown yet: they follow the data (general purpose flag bit 3).
        local = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0x08, 8, *_DOS_TIME, 0, 0, 0, len(name), 0
        )
        self.state["sheet"] = [0, 0, 0, self.state["offset"]]
        self.state["offset"] += len(local) + len(name)
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{width:.1f}" customWidth="1"/>'
            for i, width in enumerate(self.state["widths"], start=1)
        )
        head = (
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView '
            'workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}'
            "</cols><sheetData>"
        )
        return out + local + name + self._sheet(head) + self._sheet(self._row(header, bold=True))

    def rows(self, rows: Iterable[Row]) -> bytes:
        return self._sheet("".join(self._row(row) for row in rows))

    def checkpoint(self) -> tuple[bytes, dict[str, Any]]:
        return self._compressed(self._deflate.flush(zlib.Z_FULL_FLUSH)), self.state

    def end(self) -> bytes:
        letter, rows = column_letter(self.state["columns"]), self.state["rows"]
        tail = self._sheet(f'</sheetData><autoFilter ref="A1:{letter}{rows}"/></worksheet>')
        tail += self._compressed(self._deflate.flush(zlib.Z_FINISH))
        crc, compressed, size, offset = self.state["sheet"]
        tail += struct.pack("<IIII", 0x08074B50, crc, compressed, size)
        self.state["offset"] += 16
        self.state["entries"].append([SHEET, crc, compressed, size, offset])
        title = escape(self.state["title"])  # an attribute value, quotes escaped
        quoted = "'" + self.state["title"].replace("'", "''") + "'"
        workbook = (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/>'
            f'</bookViews><sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets>'
            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
            f'hidden="1">{escape(quoted, quote=False)}!$A$1:${letter}${rows}</definedName>'
            "</definedNames></workbook>"
        )
        tail += self._entry("xl/workbook.xml", workbook.encode())
        return tail + self._directory()

    # --- inside ---------------------------------------------------------------------------

    def _row(self, row: Row, bold: bool = False) -> str:
        self.state["rows"] += 1
        number = self.state["rows"]
        cells = []
        for letter, value in zip(self._letters, row, strict=False):
            ref = f"{letter}{number}"
            if value is None:
                continue
            if isinstance(value, str):
                style = ' s="1"' if bold else ""
                text = _text(neutralise(value))
                cells.append(
                    f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t>'
                    "</is></c>"
                )
            elif isinstance(value, datetime):
                # Excel has no time zones: the unit's wall time (the header names the zone).
                serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86_400
                cells.append(f'<c r="{ref}" s="2"><v>{serial:.10f}</v></c>')
            elif isinstance(value, bool):
                raise TypeError("no boolean cells")
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        return f'<row r="{number}">{"".join(cells)}</row>'

    def _sheet(self, text: str) -> bytes:
        data = text.encode("utf-8")
        sheet = self.state["sheet"]
        sheet[0] = zlib.crc32(data, sheet[0])
        sheet[2] += len(data)
        return self._compressed(self._deflate.compress(data))

    def _compressed(self, data: bytes) -> bytes:
        self.state["sheet"][1] += len(data)
        self.state["offset"] += len(data)
        return data

    def _entry(self, name: str, data: bytes) -> bytes:
        """A whole small entry, deflated, its sizes known."""
        deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = deflate.compress(data) + deflate.flush()
        crc = zlib.crc32(data)
        raw = name.encode()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, *_DOS_TIME,
            crc, len(packed), len(data), len(raw), 0,
        )  # fmt: skip
        self.state["entries"].append([name, crc, len(packed), len(data), self.state["offset"]])
        self.state["offset"] += len(header) + len(raw) + len(packed)
        return header + raw + packed

    def _directory(self) -> bytes:
        start = self.state["offset"]
        records = []
        for name, crc, compressed, size, offset in self.state["entries"]:
            raw = name.encode()
            flags = 0x08 if name == SHEET else 0
            records.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50, 20, 20, flags, 8, *_DOS_TIME, crc, compressed, size,
                    len(raw), 0, 0, 0, 0, 0, offset,
                )
                + raw
            )  # fmt: skip
        directory = b"".join(records)
        count = len(records)
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), start, 0)
        return directory + end


def widths_of(rows: Sequence[Row]) -> list[float]:
    """Column widths from the text of some rows (the header and the first ones)."""
    widths: list[float] = []
    for row in rows:
        for column, value in enumerate(row):
            text = value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value
            size = min(_MAX_WIDTH, max(_MIN_WIDTH, len(str(text or "")) + 2))
            if column == len(widths):
                widths.append(size)
            else:
                widths[column] = max(widths[column], size)
    return widths


def xlsx_bytes(title: str, rows: Sequence[Row]) -> bytes:
    """A whole table (a header row, then data) as one XLSX file in memory."""
    stream = XlsxStream(title, widths_of(rows[:200]))
    return stream.begin(rows[0]) + stream.rows(rows[1:]) + stream.end()
