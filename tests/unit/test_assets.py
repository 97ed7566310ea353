"""Devices (BMN), the pure rules: the tag, the header, the rows, the re-import plan, repeat
failures and the per-location ranking (PRODUCT.md §15)."""

from __future__ import annotations

import string
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiket.domain.asset_failures import failures_by_location, recent_tickets, repeat_flag
from tiket.domain.assets import (
    FIELDS,
    HEADER_SEARCH_ROWS,
    NUP_MAX,
    TEXT_MAX,
    Asset,
    FileRefusal,
    Formula,
    ImportRefused,
    InvalidValue,
    RowRefusal,
    asset_tag,
    format_kode_barang,
    header_key,
    map_header,
    normalise_kode_barang,
    normalise_nup,
    normalise_tag,
    plan_import,
    read_assets,
)
from tiket.messages.assets import ENTRIES

WIB = ZoneInfo("Asia/Jakarta")
HEADER = ["No", "Kode Barang", "NUP", "Nama Barang", "Merk/Type", "Nama Ruangan", "Pemegang"]


def numbered(*rows):
    return list(enumerate(rows, start=1))


def report_of(*data_rows, header=HEADER):
    return read_assets(numbered(header, *data_rows))


# --- the tag ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kode", "nup"),
    [
        ("3100102001", "12"),
        ("3.10.01.02.001", "0012"),
        ("  3.10.01.02.001 ", 12),
        ("3 10 01 02 001", "000012"),
        ("3-10-01-02-001", 12.0),
        ("3.10.1.2.1", "12"),  # groups missing their leading zeros
        (3100102001, 12),  # numeric cells
        (3100102001.0, 12.0),
    ],
)
def test_the_same_device_always_gets_the_same_tag(kode, nup):
    assert asset_tag(kode, nup) == "3100102001.12"


@pytest.mark.parametrize(
    "kode",
    [
        "310010200",
        "31001020011",
        "0100102001",
        "3.10.01.02.0a1",
        "3.100.1.2.1",
        "",
        "３100102001",
        3100102001.5,
        True,
        None,
    ],
)
def test_a_kode_barang_is_ten_digits(kode):
    with pytest.raises(InvalidValue) as refused:
        normalise_kode_barang(kode)
    assert refused.value.code is RowRefusal.KODE_BARANG_INVALID


@pytest.mark.parametrize("nup", ["0", 0, -1, "1a", "1,5", 1.5, NUP_MAX + 1, "", True, "١"])
def test_a_nup_is_a_whole_number_from_one(nup):
    with pytest.raises(InvalidValue) as refused:
        normalise_nup(nup)
    assert refused.value.code is RowRefusal.NUP_INVALID


@given(
    st.text(alphabet=string.digits, min_size=9, max_size=9).map(lambda s: "3" + s),
    st.integers(min_value=1, max_value=NUP_MAX),
)
def test_every_spelling_of_a_device_reads_back_to_its_tag(kode, nup):
    tag = asset_tag(kode, nup)
    assert asset_tag(format_kode_barang(kode), str(nup).zfill(6)) == tag
    assert asset_tag(int(kode), float(nup)) == tag
    assert normalise_tag(tag) == tag
    assert normalise_tag(f"{format_kode_barang(kode)}.{nup:04d}") == tag


@pytest.mark.parametrize("text", ["", "abc", "3100102001", "3100102001.", "3100102001.0", "x.1"])
def test_a_link_with_no_valid_tag_reads_as_unknown(text):
    assert normalise_tag(text) is None


# --- the header -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Kode Barang", "kode_barang"),
        ("KD_BRG", "kode_barang"),
        ("kode_barang", "kode_barang"),
        ("  KODE  BARANG ", "kode_barang"),
        ("Kode Barang (10 digit)", "kode_barang"),
        ("NUP", "nup"),
        ("No. Urut Pendaftaran", "nup"),
        ("NO_ASET", "nup"),
        ("Nama Barang", "name"),
        ("NAMA-BARANG", "name"),
        ("Merk/Type", "brand_type"),
        ("Merek / Tipe", "brand_type"),
        ("merk type", "brand_type"),
        ("Lokasi", "location"),
        ("Ruangan", "location"),
        ("Nama Ruangan", "location"),
        ("Pemegang", "holder"),
        ("Penanggung Jawab", "holder"),
        ("PENGGUNA", "holder"),
    ],
)
def test_header_names_are_read_as_asset_systems_write_them(header, field):
    assert map_header(["No", header, "Keterangan"]).get(field) == 1


def test_header_keys_ignore_case_spacing_punctuation_accents_and_remarks():
    assert header_key(" Mérk / Type (barang) ") == "merktype"
    assert header_key("No. Urut\nPendaftaran") == "nourutpendaftaran"


def test_where_two_columns_name_one_field_the_preferred_name_wins():
    columns = map_header(["Pengguna", "Ruangan", "Pemegang", "Lokasi", "Merk", "Merk/Type"])
    assert columns["holder"] == 2
    assert columns["location"] == 3
    assert columns["brand_type"] == 5
    assert "brand" not in columns


def test_separate_brand_and_type_columns_are_joined():
    header = ["Kode Barang", "NUP", "Nama Barang", "Merk", "Tipe"]
    report = report_of(["3100203003", "1", "Printer", "HP", "LaserJet M404dn"], header=header)
    assert report.assets[0].brand_type == "HP LaserJet M404dn"
    assert report.columns["brand"] == "Merk"


def test_the_header_is_found_under_title_rows_and_extra_columns_are_ignored():
    rows = numbered(
        ["KEMENTERIAN CONTOH"],
        ["DAFTAR BARANG RUANGAN", None, None],
        [],
        ["Kode Satker", "Kode Barang", "NUP", "Nama Barang", "Nilai Perolehan", "Kondisi"],
        ["999001", "3100102001", "1", "P.C Unit", "14.350.000", "Baik"],
    )
    report = read_assets(rows)
    assert report.header_row == 4
    assert report.assets == (Asset("3100102001.1", "3100102001", 1, "P.C Unit"),)
    assert set(report.columns) == {"kode_barang", "nup", "name"}


def test_a_file_without_a_required_column_is_refused_naming_it():
    with pytest.raises(ImportRefused) as refused:
        read_assets(numbered(["Kode Barang", "Nama Barang"], ["3100102001", "P.C Unit"]))
    assert refused.value.code is FileRefusal.HEADER_NOT_FOUND
    assert refused.value.params["missing"] == ("nup",)


def test_the_header_is_searched_for_in_the_first_rows_only():
    titles = [[f"judul {n}"] for n in range(HEADER_SEARCH_ROWS)]
    with pytest.raises(ImportRefused) as refused:
        read_assets(numbered(*titles, HEADER))
    assert refused.value.code is FileRefusal.HEADER_NOT_FOUND
    assert read_assets(numbered(*titles[1:], HEADER)).header_row == HEADER_SEARCH_ROWS


def test_a_file_with_only_blank_rows_is_empty():
    with pytest.raises(ImportRefused) as refused:
        read_assets(numbered([], [None, "  "]))
    assert refused.value.code is FileRefusal.EMPTY_FILE


# --- the rows -----------------------------------------------------------------------------------


def test_rows_are_accepted_with_their_text_on_one_line():
    report = report_of(
        [
            "1",
            "3.10.02.03.003",
            "0002",
            " Printer\n(Peralatan  Personal Komputer) ",
            "Epson\tL3210",
            "Ruang\xa0Rapat 2",
            None,
        ]
    )
    assert report.ok
    assert report.assets == (
        Asset(
            tag="3100203003.2",
            kode_barang="3100203003",
            nup=2,
            name="Printer (Peralatan Personal Komputer)",
            brand_type="Epson L3210",
            location="Ruang Rapat 2",
            holder="",
        ),
    )


KODE, NUP, NAME, BRAND = "Kode Barang", "NUP", "Nama Barang", "Merk/Type"


@pytest.mark.parametrize(
    ("row", "code", "params"),
    [
        (
            ["1", "31001", "1", "PC"],
            RowRefusal.KODE_BARANG_INVALID,
            {"column": KODE, "value": "31001"},
        ),
        (
            ["1", "3100102001", "satu", "PC"],
            RowRefusal.NUP_INVALID,
            {"column": NUP, "value": "satu"},
        ),
        (["1", None, "1", "PC", "Lenovo"], RowRefusal.KODE_BARANG_MISSING, {"column": KODE}),
        (["1", "3100102001", " ", "PC", "Lenovo"], RowRefusal.NUP_MISSING, {"column": NUP}),
        (["1", "3100102001", "1", None], RowRefusal.NAME_MISSING, {"column": NAME}),
        (
            ["1", "3100102001", Formula("=1+0"), "PC"],
            RowRefusal.FORMULA,
            {"field": "nup", "column": NUP},
        ),
        (
            ["1", "3100102001", "1", "PC", True],
            RowRefusal.WRONG_TYPE,
            {"field": "brand_type", "column": BRAND},
        ),
        (["1", "3100102001", datetime(2026, 1, 5), "PC"], RowRefusal.WRONG_TYPE, {"field": "nup"}),
        (
            ["1", "3100102001", "1", "x" * (TEXT_MAX + 1)],
            RowRefusal.TOO_LONG,
            {"column": NAME, "max": TEXT_MAX},
        ),
    ],
)
def test_a_bad_row_is_refused_with_its_row_number_reason_and_column(row, code, params):
    good = ["2", "3100102001", "9", "P.C Unit"]
    report = report_of(good, row, [*good[:2], "10", *good[3:]])
    assert [asset.nup for asset in report.assets] == [9, 10]
    (refusal,) = report.refused
    assert (refusal.row, refusal.code) == (3, code)
    assert params.items() <= refusal.params.items()
    assert not report.ok


def test_a_duplicate_tag_is_refused_naming_the_first_row():
    report = report_of(
        ["1", "3.10.02.03.003", "1", "Printer"],
        ["2", "3100203003", "2", "Printer"],
        ["3", "3100203003", "0001", "Printer"],
        ["4", "3.10.2.3.3", "2", "Printer"],
    )
    assert [asset.tag for asset in report.assets] == ["3100203003.1", "3100203003.2"]
    assert [(r.row, r.code, r.params) for r in report.refused] == [
        (4, RowRefusal.DUPLICATE_TAG, {"tag": "3100203003.1", "first_row": 2}),
        (5, RowRefusal.DUPLICATE_TAG, {"tag": "3100203003.2", "first_row": 3}),
    ]


def test_column_numbers_totals_signatures_and_repeated_headers_are_ignored_not_refused():
    report = report_of(
        ["1", "2", "3", "4", "5", "6", "7"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["1", "3100102001", "1", "P.C Unit"],
        [None, None, None, "Jumlah", None, None, None, "14.350.000"],
        [None, None, None, None, None, "Jakarta, 5 Januari 2027"],
        [],
        HEADER,  # printed reports repeat the header on each page
        ["1", "3100102001", "2", "P.C Unit"],
    )
    assert len(report.assets) == 2
    assert report.ok
    assert report.ignored_rows == 5


def test_a_device_line_missing_both_identifiers_is_refused_not_ignored():
    report = report_of(["1", None, None, "P.C Unit", "Lenovo", "Ruang TU"])
    assert [r.code for r in report.refused] == [RowRefusal.KODE_BARANG_MISSING]


def test_every_refusal_has_texts_in_both_languages():
    for code in RowRefusal:
        assert {"id", "en"} <= ENTRIES[f"assets.row.{code}"].keys()
    for code in FileRefusal:
        assert {"id", "en"} <= ENTRIES[f"assets.file.{code}"].keys()
    for field in FIELDS:
        assert f"assets.field.{field}" in ENTRIES


# --- re-import ------------------------------------------------------------------------------


def test_a_re_import_adds_and_changes_devices_and_never_duplicates_them():
    pc = Asset("3100102001.1", "3100102001", 1, "P.C Unit", "Lenovo", "Ruang TU")
    printer = Asset("3100203003.1", "3100203003", 1, "Printer", "HP", "Ruang TU")
    laptop = Asset("3100102002.1", "3100102002", 1, "Lap Top", "Dell", "Ruang Kepala")
    moved = Asset("3100203003.1", "3100203003", 1, "Printer", "HP", "Ruang Rapat 2")
    plan = plan_import({pc.tag: pc, printer.tag: printer, laptop.tag: laptop}, [pc, moved])
    assert plan.added == ()
    assert plan.changed == (moved,)
    assert plan.unchanged == 1
    assert plan.absent == (laptop.tag,)
    new = Asset("3100102001.2", "3100102001", 2, "P.C Unit")
    assert plan_import({pc.tag: pc}, [pc, new]).added == (new,)


# --- repeat failures ----------------------------------------------------------------------------

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)


def days_ago(*days: float) -> list[datetime]:
    return [NOW - timedelta(days=d) for d in days]


def test_a_third_ticket_in_ninety_days_flags_the_device_as_berulang():
    assert not repeat_flag(days_ago(0, 40), NOW)
    assert repeat_flag(days_ago(0, 40, 89.9), NOW)
    assert repeat_flag(days_ago(0, 1, 2, 3), NOW)


def test_tickets_outside_the_window_do_not_count():
    assert not repeat_flag(days_ago(0, 40, 90), NOW)  # exactly 90 days before: outside
    assert not repeat_flag(days_ago(0, 40, -1), NOW)  # filed after the moment judged
    assert recent_tickets(days_ago(0, 10, 20, 95, 200), NOW, 90) == 3
    assert repeat_flag(days_ago(0, 5), NOW, window_days=7, threshold=2)


# --- the devices that fail most, per location -------------------------------------------------


def test_devices_are_ranked_per_location_with_their_categories():
    t = days_ago
    tickets = [
        ("3100203003.1", "Ruang TU", "hardware", t(1)[0]),
        ("3100203003.1", "Ruang TU", "hardware", t(2)[0]),
        ("3100203003.1", "Ruang TU", "network", t(3)[0]),
        ("3100102001.1", "Ruang TU", "software", t(4)[0]),
        ("3100102001.2", "Ruang TU", "software", t(5)[0]),
        ("3060102046.1", "Ruang Rapat 2", "meeting_av", t(6)[0]),
        ("3100102001.9", "Ruang Rapat 2", "hardware", t(200)[0]),  # before the period
    ]
    ranking = failures_by_location(tickets, since=NOW - timedelta(days=90), until=NOW, limit=2)
    assert [(loc.location, loc.tickets) for loc in ranking] == [
        ("Ruang TU", 5),
        ("Ruang Rapat 2", 1),
    ]
    office = ranking[0]
    assert [(d.tag, d.tickets) for d in office.devices] == [
        ("3100203003.1", 3),
        ("3100102001.1", 1),
    ]
    assert office.devices[0].categories == (("hardware", 2), ("network", 1))
    assert office.devices[0].last == t(1)[0]
    assert office.categories == (("hardware", 2), ("software", 2), ("network", 1))
    assert failures_by_location([]) == ()
