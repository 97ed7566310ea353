"""Devices of the state's asset register (Barang Milik Negara, BMN), PRODUCT.md §15. Pure.

A device is identified by its *kode barang* (the 10-digit BMN classification code: golongan 1,
bidang 2, kelompok 2, sub-kelompok 2, sub-sub-kelompok 3 digits; SIMAK-BMN and SAKTI print it
plain, ``3100102001``, or dotted, ``3.10.01.02.001``) and its *NUP* (nomor urut pendaftaran,
the register's sequence number within that code). Its tag is ``<kode barang>.<NUP>`` in one
canonical spelling, ``3100102001.12``: ten digits, a dot, the NUP without leading zeros, so
the same device gets the same tag whichever export or hand it came from.

``read_assets`` turns the rows of an export (from ``tiket.adapters.spreadsheets``) into an
``ImportReport``: the header row is found under any title rows and mapped tolerantly, each row
is accepted as an ``Asset`` or refused with a reason code and its parameters (the texts live
in the message catalogue). A file that cannot be read as an asset list at all raises
``ImportRefused``. Repeat failures (``repeat_flag``) and the devices that fail most per
location (``failures_by_location``) live in ``tiket.domain.asset_failures``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import TypeAlias


@dataclass(frozen=True)
class Formula:
    """A spreadsheet cell holding a formula: carried as its text, never evaluated."""

    text: str


Cell: TypeAlias = str | int | float | bool | datetime | date | time | Formula | None
SheetRow: TypeAlias = tuple[int, Sequence[Cell]]  # (row number as the sheet shows it, cells)
Param: TypeAlias = str | int | tuple[str, ...]

KODE_DIGITS = 10
KODE_GROUPS = (1, 2, 2, 2, 3)  # golongan, bidang, kelompok, sub-kelompok, sub-sub-kelompok
# The NUP is a sequence number within one kode barang; six digits leave room for the largest
# registers and still catch a number pasted from another column (a NIP, a price).
NUP_MAX = 999_999
# Bounds each asset item (seven short fields) and what a label or a page has to show.
TEXT_MAX = 250
# Title rows above the header in SIMAK/SAKTI exports are a handful; 30 leaves ample room.
HEADER_SEARCH_ROWS = 30

FIELDS = ("kode_barang", "nup", "name", "brand_type", "location", "holder")
REQUIRED = ("kode_barang", "nup", "name")
TEXT_FIELDS = ("name", "brand_type", "location", "holder")

# Header names as asset systems write them, reduced by ``header_key``; within a field the
# first name found in the header row wins (``Lokasi`` over ``Ruangan``, ``Pemegang`` over
# ``Pengguna``). ``brand`` and ``type`` are read only when no combined ``Merk/Type`` column
# exists, and are then joined. Regional registers (BMD) call the NUP "No. Register".
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    field: tuple(names.split())
    for field, names in {
        "kode_barang": "kodebarang kdbrg kdbarang kodebrg kodebarangbmn kode",
        "nup": "nup nourutpendaftaran nomorurutpendaftaran noaset nomoraset noregister noreg",
        "name": "namabarang nmbrg namabrg uraianbarang namaaset",
        "brand_type": "merktype merktipe merektype merektipe merkdantype merktypebrg",
        "brand": "merk merek brand",
        "type": "type tipe model",
        "location": "lokasi ruangan namaruangan namaruang ruang nmruang lokasibarang",
        "holder": "pemegang namapemegang penanggungjawab pengguna namapengguna pemakai",
    }.items()
}


class RowRefusal(StrEnum):
    """Why a row was not imported (its texts are in the message catalogue)."""

    FORMULA = "formula"  # field, column
    WRONG_TYPE = "wrong_type"  # field, column: a date or a true/false where text is expected
    KODE_BARANG_MISSING = "kode_barang_missing"  # column
    NUP_MISSING = "nup_missing"  # column
    NAME_MISSING = "name_missing"  # column
    KODE_BARANG_INVALID = "kode_barang_invalid"  # column, value
    NUP_INVALID = "nup_invalid"  # column, value
    TOO_LONG = "too_long"  # field, column, max
    DUPLICATE_TAG = "duplicate_tag"  # tag, first_row


class FileRefusal(StrEnum):
    """Why a whole file was refused (raised as ``ImportRefused``)."""

    EMPTY_FILE = "empty_file"
    HEADER_NOT_FOUND = "header_not_found"  # missing (fields), searched (rows)
    NOT_A_SPREADSHEET = "not_a_spreadsheet"
    MARKUP_EXPORT = "markup_export"  # an HTML/XML table named .xls
    LEGACY_XLS = "legacy_xls"  # Excel 97-2003
    ENCRYPTED = "encrypted"  # a password-protected workbook
    DAMAGED = "damaged"
    FILE_TOO_LARGE = "file_too_large"  # max_mb
    TOO_MANY_ROWS = "too_many_rows"  # max_rows


@dataclass(frozen=True)
class Asset:
    tag: str
    kode_barang: str
    nup: int
    name: str
    brand_type: str = ""
    location: str = ""
    holder: str = ""  # a person's name: personal data, never shown to the public


@dataclass(frozen=True)
class Refusal:
    """One row that was not imported. ``row`` is the row number the spreadsheet shows."""

    row: int
    code: RowRefusal
    params: Mapping[str, Param] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportReport:
    assets: tuple[Asset, ...]
    refused: tuple[Refusal, ...]
    header_row: int
    columns: Mapping[str, str]  # field -> the header text it was read from
    ignored_rows: int  # totals, signatures, column numbers, the header repeated on each page

    @property
    def ok(self) -> bool:
        return not self.refused


class ImportRefused(Exception):
    """The whole file is refused (nothing of it may be imported): a code and its parameters."""

    def __init__(self, code: FileRefusal, **params: Param) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


class InvalidValue(ValueError):
    """A kode barang or NUP that cannot be read; ``code`` names the reason."""

    def __init__(self, code: RowRefusal) -> None:
        super().__init__(code)
        self.code = code


# --- the tag ---------------------------------------------------------------------------------


def normalise_kode_barang(value: object) -> str:
    """Ten digits. Accepts ``3100102001``, ``3.10.01.02.001``, ``3 10 01 02 001``, a whole
    number from a numeric cell, and dotted groups missing their leading zeros
    (``3.10.1.2.1``: each group's width is fixed, so padding is unambiguous)."""
    if isinstance(value, bool) or value is None:
        raise InvalidValue(RowRefusal.KODE_BARANG_INVALID)
    if isinstance(value, float):
        if not value.is_integer():
            raise InvalidValue(RowRefusal.KODE_BARANG_INVALID)
        value = int(value)
    text = str(value).strip()
    groups = re.split(r"[.\s\-/]+", text)
    if len(groups) == len(KODE_GROUPS) and all(
        g.isascii() and g.isdigit() and len(g) <= width
        for g, width in zip(groups, KODE_GROUPS, strict=True)
    ):
        text = "".join(g.zfill(width) for g, width in zip(groups, KODE_GROUPS, strict=True))
    else:
        text = "".join(groups)
    if not (len(text) == KODE_DIGITS and text.isascii() and text.isdigit()) or text[0] == "0":
        raise InvalidValue(RowRefusal.KODE_BARANG_INVALID)
    return text


def normalise_nup(value: object) -> int:
    """A whole number from 1 to ``NUP_MAX``: ``12``, ``"0012"``, ``12.0`` from a numeric cell."""
    if isinstance(value, bool) or value is None:
        raise InvalidValue(RowRefusal.NUP_INVALID)
    if isinstance(value, float):
        if not value.is_integer():
            raise InvalidValue(RowRefusal.NUP_INVALID)
        value = int(value)
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        raise InvalidValue(RowRefusal.NUP_INVALID)
    nup = int(text)
    if not 1 <= nup <= NUP_MAX:
        raise InvalidValue(RowRefusal.NUP_INVALID)
    return nup


def asset_tag(kode_barang: object, nup: object) -> str:
    return f"{normalise_kode_barang(kode_barang)}.{normalise_nup(nup)}"


def normalise_tag(text: str) -> str | None:
    """The canonical tag of a tag as typed or scanned (``3.10.01.02.001.0012`` →
    ``3100102001.12``); ``None`` when it is not one (the form then shows it as unknown)."""
    kode, dot, nup = text.strip().rpartition(".")
    if not dot:
        return None
    try:
        return asset_tag(kode, nup)
    except InvalidValue:
        return None


def format_kode_barang(kode_barang: str) -> str:
    """The dotted spelling people read on BMN documents: ``3.10.01.02.001``."""
    parts, start = [], 0
    for width in KODE_GROUPS:
        parts.append(kode_barang[start : start + width])
        start += width
    return ".".join(parts)


# --- the header --------------------------------------------------------------------------------


def header_key(text: object) -> str:
    """``"Merk / Type (Barang)"`` → ``"merktype"``: accents, case, spacing, punctuation and any
    parenthesised remark dropped."""
    folded = unicodedata.normalize("NFKD", str(text)).casefold()
    folded = re.sub(r"\([^)]*\)", "", folded)
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def map_header(cells: Sequence[Cell]) -> dict[str, int]:
    """Field → column index for the fields this row names (a partial map if it is not the
    header). Where several columns carry names of one field, the preferred name wins, then
    the leftmost column."""
    keys = [header_key(cell) if isinstance(cell, str) else "" for cell in cells]
    columns: dict[str, int] = {}
    for name, synonyms in HEADER_NAMES.items():
        for synonym in synonyms:
            if synonym in keys:
                columns[name] = keys.index(synonym)
                break
    if "brand_type" in columns:
        columns.pop("brand", None)
        columns.pop("type", None)
    return columns


def _blank(cells: Sequence[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _find_header(
    rows: Iterable[SheetRow], search: int
) -> tuple[int, Sequence[Cell], dict[str, int]]:
    seen = 0
    missing: tuple[str, ...] = REQUIRED
    for number, cells in rows:
        if _blank(cells):
            continue
        columns = map_header(cells)
        lacking = tuple(name for name in REQUIRED if name not in columns)
        if not lacking:
            return number, cells, columns
        if len(lacking) < len(missing):
            missing = lacking
        seen += 1
        if seen >= search:
            break
    if not seen:
        raise ImportRefused(FileRefusal.EMPTY_FILE)
    raise ImportRefused(FileRefusal.HEADER_NOT_FOUND, missing=missing, searched=search)


# --- the rows ------------------------------------------------------------------------------------


def read_assets(
    rows: Iterable[SheetRow], *, header_search: int = HEADER_SEARCH_ROWS
) -> ImportReport:
    """Validate every row of an export. Raises ``ImportRefused`` when no header is found in the
    first ``header_search`` non-blank rows, or when the row source refuses the file (it may do
    so mid-way, e.g. over its row cap): nothing is returned for a refused file."""
    stream = iter(rows)
    header_row, header, columns = _find_header(stream, header_search)
    names = {name: _text(header[index]) for name, index in columns.items()}
    assets: list[Asset] = []
    refused: list[Refusal] = []
    first_row: dict[str, int] = {}
    ignored = 0
    for number, cells in stream:
        if _blank(cells):
            continue
        values = {name: cells[i] if i < len(cells) else None for name, i in columns.items()}
        repeated_header = all(_text(values[name]) == names[name] for name in REQUIRED)
        if repeated_header or _not_a_device(values) or _column_numbers(cells):
            ignored += 1
            continue
        outcome = _asset(values, names)
        if isinstance(outcome, tuple):
            code, params = outcome
            refused.append(Refusal(number, code, params))
        elif outcome.tag in first_row:
            params = {"tag": outcome.tag, "first_row": first_row[outcome.tag]}
            refused.append(Refusal(number, RowRefusal.DUPLICATE_TAG, params))
        else:
            first_row[outcome.tag] = number
            assets.append(outcome)
    return ImportReport(
        assets=tuple(assets),
        refused=tuple(refused),
        header_row=header_row,
        columns=names,
        ignored_rows=ignored,
    )


def _asset(values: Mapping[str, Cell], names: Mapping[str, str]) -> Asset | tuple[RowRefusal, dict]:
    """An asset, or the first reason (code, params) to refuse the row, in field order."""
    for name, value in values.items():
        if isinstance(value, Formula):
            return RowRefusal.FORMULA, {"field": _field(name), "column": names[name]}
        if isinstance(value, bool | datetime | date | time):
            return RowRefusal.WRONG_TYPE, {"field": _field(name), "column": names[name]}
    for name in REQUIRED:
        if _empty(values[name]):
            return RowRefusal(f"{name}_missing"), {"column": names[name]}
    try:
        kode = normalise_kode_barang(values["kode_barang"])
        nup = normalise_nup(values["nup"])
    except InvalidValue as error:
        source = "kode_barang" if error.code is RowRefusal.KODE_BARANG_INVALID else "nup"
        return error.code, {"column": names[source], "value": _text(values[source])[:40]}
    texts = {name: _text(values.get(name)) for name in ("name", "location", "holder")}
    texts["brand_type"] = _text(values.get("brand_type")) or " ".join(
        part for part in (_text(values.get("brand")), _text(values.get("type"))) if part
    )
    for name in TEXT_FIELDS:
        if len(texts[name]) > TEXT_MAX:
            return RowRefusal.TOO_LONG, {
                "field": name,
                "column": _column_of(name, names),
                "max": TEXT_MAX,
            }
    return Asset(tag=f"{kode}.{nup}", kode_barang=kode, nup=nup, **texts)


def _field(column_field: str) -> str:
    """``brand``/``type`` columns feed the ``brand_type`` field."""
    return "brand_type" if column_field in ("brand", "type") else column_field


def _column_of(name: str, names: Mapping[str, str]) -> str:
    if name in names:
        return names[name]
    return " + ".join(names[part] for part in ("brand", "type") if part in names)


def _not_a_device(values: Mapping[str, Cell]) -> bool:
    """Totals, notes and signature lines under the list: no kode barang, no NUP, and at most
    one other text. A device line missing both still has its name, brand, room: refused."""
    if not (_empty(values["kode_barang"]) and _empty(values["nup"])):
        return False
    return sum(not _empty(value) for value in values.values()) <= 1


def _empty(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Cell) -> str:
    """Cell text on one line: whitespace runs (line breaks, tabs, NBSP) become one space and
    control characters go; whole numbers read from numeric cells lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "".join(ch for ch in str(value) if ch.isprintable() or ch.isspace())
    return " ".join(text.split())


def _column_numbers(cells: Sequence[Cell]) -> bool:
    """The row of column numbers (1, 2, 3, … or (1), (2), …) government reports put under
    their header."""
    numbers = []
    for cell in cells:
        if _empty(cell):
            continue
        text = _text(cell).strip("()")
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


# --- re-import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportPlan:
    """What an import changes: a re-import writes only ``added`` and ``changed`` and never
    duplicates a device; devices absent from the new file are left to the caller (they keep
    their tickets)."""

    added: tuple[Asset, ...]
    changed: tuple[Asset, ...]
    unchanged: int
    absent: tuple[str, ...]  # tags known before and not in this file


def plan_import(existing: Mapping[str, Asset], incoming: Iterable[Asset]) -> ImportPlan:
    added: list[Asset] = []
    changed: list[Asset] = []
    unchanged = 0
    seen: set[str] = set()
    for asset in incoming:
        seen.add(asset.tag)
        before = existing.get(asset.tag)
        if before is None:
            added.append(asset)
        elif before != asset:
            changed.append(asset)
        else:
            unchanged += 1
    absent = tuple(sorted(set(existing) - seen))
    return ImportPlan(tuple(added), tuple(changed), unchanged, absent)
