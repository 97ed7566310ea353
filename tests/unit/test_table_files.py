"""Tables as files (``tiket.adapters.table_files``): the CSV dialect for Excel with
Indonesian settings, and the streamed XLSX — well-formed parts, a valid ZIP, what openpyxl
reads back, and a file continued from a checkpoint's state equal to one written at once."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from tiket.adapters.table_files import (
    CsvStream,
    XlsxStream,
    column_letter,
    csv_bytes,
    widths_of,
    xlsx_bytes,
)

HEADER = ["Nomor", "Judul", "Diajukan", "Menit", "NRR"]
ROWS = [
    ["T-1", '=HYPERLINK("http://x")', datetime(2026, 11, 30, 8, 5), 30.5, Decimal("3.500")],
    ["T-2", 'Printer <macet> & "berisik"\x0b', None, 12, None],
    ["T-3", "Ruang 'Rapat' ; kedua\nbaris dua", datetime(2026, 12, 1, 16, 30), 0.0, 4],
]


def test_csv_for_excel_with_indonesian_settings() -> None:
    data = csv_bytes([HEADER, *ROWS])
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the BOM
    assert not data.decode("utf-8-sig").startswith("sep=")
    assert data.count(b"\r\n") >= 4
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == HEADER
    assert rows[1] == ["T-1", "'" + ROWS[0][1], "2026-11-30 08:05", "30,5", "3,500"]
    assert rows[2][2:] == ["", "12", ""]
    assert rows[3][1] == "Ruang 'Rapat' ; kedua\nbaris dua"  # quoted, kept whole


def parts(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return {name: archive.read(name) for name in archive.namelist()}


def test_xlsx_parts_are_well_formed_and_read_back() -> None:
    data = xlsx_bytes("Tiket: November/2026", [HEADER, *ROWS])
    for xml in parts(data).values():
        ElementTree.fromstring(xml)  # noqa: S314 - our own output
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Tiket November2026"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"
    assert [c.value for c in sheet[1]] == HEADER
    assert all(c.font.b for c in sheet[1])
    assert sheet["B2"].value == "'" + ROWS[0][1]
    assert sheet["B2"].data_type == "s"
    assert sheet["B3"].value == 'Printer <macet> & "berisik"'  # no character XML cannot hold
    assert sheet["C2"].value == datetime(2026, 11, 30, 8, 5)
    assert sheet["C2"].number_format == "yyyy-mm-dd hh:mm"
    assert (sheet["D2"].value, sheet["E2"].value, sheet["C3"].value) == (30.5, 3.5, None)
    workbook = parts(data)["xl/workbook.xml"].decode()
    assert "'Tiket November2026'!$A$1:$E$4" in workbook


@pytest.mark.parametrize("cut", [0, 1, 2])
def test_an_xlsx_continued_from_its_state_reads_as_one_written_at_once(cut: int) -> None:
    widths = widths_of([HEADER, *ROWS])
    first = XlsxStream("Tiket", widths)
    data = first.begin(HEADER) + first.rows(ROWS[:cut])
    held, state = first.checkpoint()
    data += held
    later = XlsxStream.resume(json.loads(json.dumps(state)))  # another process
    data += later.rows(ROWS[cut:]) + later.end()
    whole = xlsx_bytes("Tiket", [HEADER, *ROWS])

    def cells(xlsx: bytes) -> list[list]:
        sheet = load_workbook(io.BytesIO(xlsx)).active
        return [[cell.value for cell in row] for row in sheet.iter_rows()]

    assert parts(data)["xl/worksheets/sheet1.xml"] == parts(whole)["xl/worksheets/sheet1.xml"]
    assert cells(data) == cells(whole)


def test_csv_pieces_need_no_state() -> None:
    stream = CsvStream()
    pieces = stream.begin(HEADER) + stream.rows(ROWS[:1]) + stream.checkpoint()[0]
    assert pieces + CsvStream().rows(ROWS[1:]) + stream.end() == csv_bytes([HEADER, *ROWS])


@pytest.mark.parametrize(("index", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (38, "AL")])
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters
