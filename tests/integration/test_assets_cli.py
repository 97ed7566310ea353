"""``tiket assets``: importing the BMN list, listing locations and writing a label sheet from a
terminal, with only the table (like the staff commands)."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest

from tests.fixtures.bmn.files import HERE, SAMPLE_CSV, generated_csv
from tiket import cli
from tiket.adapters.dynamodb import connect

TABLE = "tiket-cli"


@pytest.fixture
def table(aws, monkeypatch):
    stores = connect(TABLE, None, "ap-southeast-3", ZoneInfo("Asia/Jakarta"))
    stores.create_table()
    monkeypatch.setenv("TIKET_TABLE", TABLE)
    monkeypatch.setenv("TIKET_PUBLIC_URL", "https://helpdesk.example.go.id")
    return stores


def test_import_prints_the_report_and_a_second_run_changes_nothing(table, capsys):
    assert cli.main(["assets", "import", str(SAMPLE_CSV)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Impor selesai. Daftar perangkat sudah diperbarui."
    assert out[1].startswith("18 perangkat diterima (18 baru, 0 berubah")
    assert out[2] == (
        "Kolom yang dibaca dari baris judul 6: Kode Barang ← 'Kode Barang', NUP ← 'NUP', "
        "Nama Barang ← 'Nama Barang', Merk/Tipe ← 'Merk/Type', Lokasi/Ruangan ← 'Nama Ruangan', "
        "Pemegang ← 'Pemegang'"
    )
    assert cli.main(["assets", "import", str(SAMPLE_CSV), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["unchanged"], report["added"]) == (18, 0)


def test_a_refused_file_exits_1_and_names_each_row(table, capsys):
    assert cli.main(["assets", "import", str(HERE / "bmn_duplicate_tags.csv")]) == 1
    out = capsys.readouterr().out
    assert "Impor dibatalkan" in out
    assert "  baris 4: Perangkat 3100203003.1 sudah ada di baris 2." in out
    assert "Tidak ada data yang disimpan." in out
    assert table.assets.locations() == []


def test_50000_rows_are_refused_whole(table, tmp_path, capsys):
    big = tmp_path / "besar.csv"
    big.write_bytes(generated_csv(50_000))
    assert cli.main(["assets", "import", str(big), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("The file has more than 20000 rows.")
    assert table.assets.locations() == []


def test_check_writes_nothing(table, capsys):
    assert cli.main(["assets", "import", str(SAMPLE_CSV), "--check"]) == 0
    assert capsys.readouterr().out.startswith("Pemeriksaan saja")
    assert table.assets.locations() == []


def test_locations_and_a_label_sheet(table, tmp_path, capsys):
    assert cli.main(["assets", "import", str(SAMPLE_CSV)]) == 0
    capsys.readouterr()
    assert cli.main(["assets", "locations"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "ruang-rapat-2\t3\tRuang Rapat 2" in lines and len(lines) == 9
    target = tmp_path / "label.pdf"
    assert cli.main(["assets", "labels", "ruang-server", "-o", str(target)]) == 0
    assert len(pdfium.PdfDocument(target.read_bytes())) == 1
    assert cli.main(["assets", "labels", "nowhere"]) == 1
    assert capsys.readouterr().err.strip().endswith("Lokasi ini tidak memiliki perangkat aktif.")
    assert cli.main(["assets", "import", str(tmp_path / "missing.csv")]) == 2
