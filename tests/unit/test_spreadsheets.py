"""Reading an uploaded asset list: CSV and XLSX as exported, and everything that is not one."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile

import pytest

from tests.fixtures.bmn import files
from tiket.adapters import spreadsheets
from tiket.adapters.spreadsheets import MAX_ROWS, sheet_rows
from tiket.domain.assets import FileRefusal, Formula, ImportRefused, RowRefusal, read_assets

FIXTURES = files.HERE


def report(data: bytes, **limits):
    return read_assets(sheet_rows(io.BytesIO(data), **limits))


def refusal(data: bytes, **limits) -> ImportRefused:
    with pytest.raises(ImportRefused) as refused:
        report(data, **limits)
    return refused.value


@pytest.fixture(scope="module")
def sample():
    """The sample export as SIMAK-BMN/Excel writes it: cp1252, ';', title rows."""
    return report(files.SAMPLE_CSV.read_bytes())


def test_the_sample_export_is_read_whole(sample):
    assert sample.ok
    assert len(sample.assets) == files.SAMPLE_ASSETS
    assert sample.header_row == files.SAMPLE_HEADER_ROW
    assert sample.ignored_rows == 4  # column numbers, totals, place and date, signature
    wide = next(a for a in sample.assets if a.tag == "3060102046.2")
    assert wide.location == "Ruang Rapat Utama Lantai 3 Gedung A – Sayap Barat"  # cp1252 dash
    assert wide.holder == ""
    assert sample.columns["location"] == "Nama Ruangan"


def test_the_same_export_as_xlsx_gives_the_same_devices(sample):
    from_xlsx = report(files.sample_xlsx())
    assert from_xlsx.assets == sample.assets
    assert from_xlsx.header_row == sample.header_row


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ";"), ("utf-8", ","), ("utf-16", "\t"), ("cp1252", "\t"), ("utf-8", ";")],
)
def test_csv_encodings_and_delimiters_are_recognised(sample, encoding, delimiter):
    text = files.SAMPLE_CSV.read_bytes().decode("cp1252")
    rows = [line.split(";") for line in text.splitlines()]
    body = "\r\n".join(delimiter.join(f'"{c}"' if "," in c else c for c in r) for r in rows)
    assert report(body.encode(encoding)).assets == sample.assets


def test_utf8_is_recognised_even_when_its_first_non_ascii_letter_comes_late():
    data = files.generated_csv(3000) + "9;3100102001;99999;Kamera;Sony α7;Ruang Humas;\r\n".encode()
    assert len(data) > spreadsheets.SNIFF_BYTES
    assert report(data).assets[-1].brand_type == "Sony α7"


def test_excel_sep_line_sets_the_delimiter_and_is_not_a_row():
    data = b"sep=,\r\nKode Barang,NUP,Nama Barang\r\n3100102001,1,P.C Unit;Lenovo\r\n"
    result = report(data)
    assert result.header_row == 1
    assert result.assets[0].name == "P.C Unit;Lenovo"


def test_csv_rows_keep_the_numbers_the_spreadsheet_shows():
    data = b'Kode Barang;NUP;Nama Barang\r\n\r\n3100102001;1;"P.C\nUnit"\r\n3100102001;x;PC\r\n'
    result = report(data)
    assert result.assets[0].name == "P.C Unit"
    assert [(r.row, r.code) for r in result.refused] == [(4, RowRefusal.NUP_INVALID)]


def test_a_cell_starting_with_equals_in_a_csv_is_a_formula():
    rows = list(sheet_rows(io.BytesIO(b'a;b;c\r\n1;=HYPERLINK("x");3\r\n')))
    assert rows[1] == (2, ["1", Formula('=HYPERLINK("x")'), "3"])


def test_xlsx_formula_cells_are_refused_never_evaluated():
    result = report(files.formula_xlsx())
    first = files.SAMPLE_HEADER_ROW + 2
    assert [(r.row, r.code, r.params["field"]) for r in result.refused] == [
        (first, RowRefusal.FORMULA, "nup"),
        (first + 2, RowRefusal.FORMULA, "name"),
    ]
    assert len(result.assets) == files.SAMPLE_ASSETS - 2


def test_xlsx_numbers_dates_and_row_numbers_are_read_as_the_sheet_shows_them():
    from datetime import datetime

    rows = [["Daftar"], [], ["Kode Barang", "NUP", "Nama Barang", "Merk/Type"]]
    rows += [[3100102001, 1, "P.C Unit", 2035], [3100102001, 2.0, datetime(2026, 1, 5), "HP"]]
    result = report(files.xlsx_bytes(rows))
    assert result.header_row == 3
    assert result.assets[0].brand_type == "2035"
    assert [(r.row, r.code) for r in result.refused] == [(5, RowRefusal.WRONG_TYPE)]


def test_an_xlsx_whose_recorded_size_is_wrong_is_still_read_whole():
    """Some exporters record ``A1`` as the sheet's size; openpyxl would stop there."""

    def understate(content: bytes) -> bytes:
        content, changed = re.subn(
            rb'<dimension ref="A1:G53" ?/>', b'<dimension ref="A1"/>', content
        )
        assert changed == 1
        return content

    data = _rewritten(files.generated_xlsx(50), "xl/worksheets/sheet1.xml", understate)
    assert len(report(data).assets) == 50


def _rewritten(data: bytes, member: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            content = source.read(item)
            out.writestr(item, change(content) if item.filename == member else content)
    return target.getvalue()


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_xml_entity_tricks_in_an_xlsx_are_refused_not_expanded(member):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )

    def inject(content: bytes) -> bytes:
        content = re.sub(rb"^<\?xml[^>]*\?>", b"", content)
        return bomb + content.replace(b"P.C Unit", b"&b;", 1)

    data = _rewritten(files.generated_xlsx(3), member, inject)
    assert refusal(data).code is FileRefusal.DAMAGED


# --- what is not an asset list -------------------------------------------------------------


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 4
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", FileRefusal.EMPTY_FILE),
        (PNG, FileRefusal.NOT_A_SPREADSHEET),
        (PDF, FileRefusal.NOT_A_SPREADSHEET),
        (bytes(range(256)) * 64, FileRefusal.NOT_A_SPREADSHEET),
        ((FIXTURES / "not_a_spreadsheet.txt").read_bytes(), FileRefusal.NOT_A_SPREADSHEET),
        (_zip(["word/document.xml", "[Content_Types].xml"]), FileRefusal.NOT_A_SPREADSHEET),
        (b"<html><body><table><tr><td>Kode Barang</td></tr></table>", FileRefusal.MARKUP_EXPORT),
        (b'\xef\xbb\xbf<?xml version="1.0"?><Workbook/>', FileRefusal.MARKUP_EXPORT),
        (OLE2, FileRefusal.LEGACY_XLS),
        (OLE2 + "EncryptionInfo".encode("utf-16-le"), FileRefusal.ENCRYPTED),
        (files.sample_xlsx()[:3000], FileRefusal.DAMAGED),
        (_zip(["xl/workbook.xml"]), FileRefusal.DAMAGED),
        ((FIXTURES / "bmn_missing_columns.csv").read_bytes(), FileRefusal.HEADER_NOT_FOUND),
    ],
)
def test_what_is_not_an_asset_list_is_refused_by_its_content(data, code):
    assert refusal(data).code is code


def test_the_bad_fixtures_report_each_refused_row():
    wrong = report((FIXTURES / "bmn_wrong_types.csv").read_bytes())
    assert [a.nup for a in wrong.assets] == [1, 11]
    assert [r.code.value for r in wrong.refused] == [
        "kode_barang_invalid",
        "nup_invalid",
        "nup_invalid",
        "nup_invalid",
        "nup_invalid",
        "name_missing",
        "kode_barang_missing",
        "nup_missing",
        "too_long",
        "formula",
    ]
    duplicates = report((FIXTURES / "bmn_duplicate_tags.csv").read_bytes())
    assert [(r.row, r.params["first_row"]) for r in duplicates.refused] == [(4, 2), (5, 3)]


# --- caps ------------------------------------------------------------------------------------


def test_a_file_over_the_row_cap_is_refused_whole():
    """The issue's 50,000 rows: refused as soon as row MAX_ROWS + 1 is read."""
    error = refusal(files.generated_csv(50_000))
    assert error.code is FileRefusal.TOO_MANY_ROWS
    assert error.params == {"max_rows": MAX_ROWS}


@pytest.mark.parametrize("make", [files.generated_csv, files.generated_xlsx])
def test_the_row_cap_counts_the_rows_that_hold_something(make):
    data = make(7)  # a title, a blank row, the header and 7 devices: 9 rows with content
    assert len(report(data, max_rows=9).assets) == 7
    assert refusal(data, max_rows=8).code is FileRefusal.TOO_MANY_ROWS


def test_a_file_over_the_size_cap_is_refused():
    error = refusal(files.generated_csv(2000), max_bytes=64 * 1024)
    assert (error.code, error.params) == (FileRefusal.FILE_TOO_LARGE, {"max_mb": 0})


def test_an_xlsx_that_inflates_past_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNZIPPED", 20_000)
    assert refusal(files.generated_xlsx(500)).code is FileRefusal.FILE_TOO_LARGE


@pytest.mark.parametrize(
    "make", [files.generated_csv, pytest.param(files.generated_xlsx, marks=pytest.mark.slow)]
)
def test_memory_does_not_grow_with_the_rows_read(make):
    """Rows are streamed: reading 3,000 more rows adds to the peak memory a small part of what
    holding them adds. (Compared with held rows rather than a fixed ratio: the peak of a few
    hundred KB moves by a tenth from run to run with the allocator and the collector.)"""

    def peak(rows: int, hold: bool) -> int:
        data = make(rows)
        tracemalloc.start()
        read = sheet_rows(io.BytesIO(data))
        kept = list(read) if hold else None
        if not hold:
            for _ in read:
                pass
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        del kept
        return size

    streamed = peak(4000, hold=False) - peak(1000, hold=False)
    held = peak(4000, hold=True) - peak(1000, hold=True)
    assert held > 1_000_000, held  # the comparison means something
    assert streamed < held / 4, (streamed, held)
