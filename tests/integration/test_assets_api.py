"""Importing the BMN list over HTTP (admin): the sample export, re-imports, every kind of bad
file (a clear report, nothing written), who may import, the body cap, same-origin only."""

from __future__ import annotations

import io

import pytest

from tests.fixtures.bmn.files import (
    HERE,
    SAMPLE_ASSETS,
    SAMPLE_CSV,
    formula_xlsx,
    generated_csv,
    sample_rows,
    sample_xlsx,
)
from tests.support import PUBLIC_URL, sign_in
from tiket.web.assets import IMPORT_MAX_BYTES

IMPORT = "/api/staff/assets/import"
SAMPLE_LOCATIONS = 9


@pytest.fixture
def admin(app, transport):
    client = app.test_client()
    sign_in(client, transport, "admin@example.go.id")
    return client


def upload(client, content: bytes, name: str = "bmn.csv", **form):
    data = {"file": (io.BytesIO(content), name), **form}
    return client.post(IMPORT, data=data, content_type="multipart/form-data")


def register(services) -> dict[str, tuple[str, bool]]:
    """Every device of the register: tag -> (location, active)."""
    return {
        tag: (device.asset.location, device.active)
        for tag, device in services.assets.known().items()
    }


def csv_of(rows: list[list[str]]) -> bytes:
    return "\r\n".join(";".join(row) for row in rows).encode("cp1252")


def test_the_sample_export_imports_and_a_second_time_changes_nothing(admin, services):
    answer = upload(admin, SAMPLE_CSV.read_bytes(), "Daftar BMN.csv")
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    assert report["imported"] is True
    assert (report["accepted"], report["added"], report["refused"]) == (SAMPLE_ASSETS, 18, [])
    assert report["header_row"] == 6
    assert report["columns"]["location"] == "Nama Ruangan"
    assert report["locations"] == SAMPLE_LOCATIONS
    assert report["summary"].startswith("18 perangkat diterima (18 baru")
    assert len(register(services)) == SAMPLE_ASSETS
    # The same list as XLSX: the same devices, nothing to write.
    again = upload(admin, sample_xlsx(), "Daftar BMN.xlsx").get_json()
    assert (again["added"], again["changed"], again["unchanged"], again["retired"]) == (
        0,
        0,
        18,
        0,
    )
    assert len(register(services)) == SAMPLE_ASSETS
    rooms = {loc.key: loc.devices for loc in services.assets.locations()}
    assert rooms["ruang-rapat-2"] == 3 and sum(rooms.values()) == SAMPLE_ASSETS


def test_reimport_updates_moves_and_retires_never_duplicates(admin, services):
    assert upload(admin, SAMPLE_CSV.read_bytes()).status_code == 200
    rows = sample_rows()
    first = 7  # the first device row (after the header and its row of column numbers)
    rows[first][8] = "Ruang Server"  # 3100102001.1 moved
    del rows[first + 1]  # 3100102001.2 gone
    report = upload(admin, csv_of(rows)).get_json()
    assert (report["changed"], report["retired"], report["unchanged"]) == (1, 1, 16)
    devices = register(services)
    assert len(devices) == SAMPLE_ASSETS  # the retired one is kept
    assert devices["3100102001.1"] == ("Ruang Server", True)
    assert devices["3100102001.2"] == ("Ruang Tata Usaha", False)
    tata_usaha = [d.tag for d in services.assets.in_location("ruang-tata-usaha")[1]]
    assert "3100102001.2" not in tata_usaha and "3100102001.1" not in tata_usaha
    # Listed again: back in use.
    back = upload(admin, SAMPLE_CSV.read_bytes()).get_json()
    assert (back["restored"], back["changed"], back["added"]) == (1, 1, 0)
    assert register(services)["3100102001.2"] == ("Ruang Tata Usaha", True)


BAD_FILES = {
    "missing columns": ((HERE / "bmn_missing_columns.csv").read_bytes(), "header_not_found"),
    "not a spreadsheet": ((HERE / "not_a_spreadsheet.txt").read_bytes(), "not_a_spreadsheet"),
    # Short rows, so that the file passes the upload cap and the row cap refuses it.
    "50,000 rows": (
        b"Kode Barang;NUP;Nama Barang\r\n"
        + b"".join(b"3100102001;%d;PC\r\n" % n for n in range(1, 50_001)),
        "too_many_rows",
    ),
    "empty": (b"", "empty_file"),
    "a header and nothing": (b"Kode Barang;NUP;Nama Barang\r\n", "no_devices"),
    "legacy xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "legacy_xls"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=BAD_FILES)
def test_a_bad_file_is_refused_whole_with_a_clear_report(admin, services, case):
    assert upload(admin, SAMPLE_CSV.read_bytes()).status_code == 200
    before = register(services)
    content, code = BAD_FILES[case]
    answer = upload(admin, content, "daftar.csv")
    assert answer.status_code == 422
    report = answer.get_json()
    assert report["error"] == "import_refused" and report["imported"] is False
    assert report["file_error"]["code"] == code
    assert "Tidak ada data yang disimpan." in report["message"]
    assert register(services) == before  # nothing retired, nothing added


BAD_ROWS = {
    "wrong types": (
        (HERE / "bmn_wrong_types.csv").read_bytes(),
        {"kode_barang_invalid", "nup_invalid", "name_missing", "too_long", "formula"},
    ),
    "duplicate tags": ((HERE / "bmn_duplicate_tags.csv").read_bytes(), {"duplicate_tag"}),
    "formulas": (formula_xlsx(), {"formula"}),
}


@pytest.mark.parametrize("case", BAD_ROWS, ids=BAD_ROWS)
def test_refused_rows_stop_the_import_and_each_says_why(admin, services, case):
    content, codes = BAD_ROWS[case]
    name = "daftar.xlsx" if content.startswith(b"PK") else "daftar.csv"
    answer = upload(admin, content, name)
    assert answer.status_code == 422
    report = answer.get_json()
    assert report["imported"] is False and report["file_error"] is None
    assert report["message"].startswith("Impor dibatalkan")
    assert codes <= {row["code"] for row in report["refused"]}
    assert all(row["row"] > 0 and row["message"] for row in report["refused"])
    assert register(services) == {}


def test_missing_columns_report_names_them_in_words(admin):
    report = upload(admin, (HERE / "bmn_missing_columns.csv").read_bytes()).get_json()
    assert report["file_error"]["message"].endswith("Kolom wajib yang tidak ada: NUP.")


def test_skipping_refused_rows_imports_the_rest_and_retires_nothing(admin, services):
    assert upload(admin, SAMPLE_CSV.read_bytes()).status_code == 200
    content = (HERE / "bmn_duplicate_tags.csv").read_bytes()
    report = upload(admin, content, "daftar.csv", skip_refused="1").get_json()
    assert report["imported"] is True
    # Its two printers are the sample's, under other names and rooms.
    assert (report["changed"], report["retired"], len(report["refused"])) == (2, 0, 2)
    assert report["notes"] == [
        "Baris yang ditolak dilewati; karena daftar tidak lengkap, tidak ada perangkat yang "
        "dipensiunkan."
    ]
    assert all(active for _, active in register(services).values())


def test_a_partial_list_can_keep_the_devices_it_lacks(admin, services):
    assert upload(admin, SAMPLE_CSV.read_bytes()).status_code == 200
    one_room = csv_of(sample_rows()[:9])  # title, header, numbers, two devices
    report = upload(admin, one_room, keep_absent="1").get_json()
    assert (report["unchanged"], report["retired"]) == (2, 0)
    assert all(active for _, active in register(services).values())


def test_a_check_reports_and_writes_nothing(admin, services):
    answer = upload(admin, SAMPLE_CSV.read_bytes(), mode="check")
    assert answer.status_code == 200
    report = answer.get_json()
    assert (report["imported"], report["dry_run"], report["added"]) == (False, True, 18)
    assert report["message"].startswith("Pemeriksaan saja")
    assert register(services) == {} and services.assets.locations() == []


def test_only_an_admin_imports(app, client, transport, services):
    assert upload(client, SAMPLE_CSV.read_bytes()).status_code == 401
    for email in ("tik1@example.go.id", "supervisor@example.go.id", "rt1@example.go.id"):
        staff = app.test_client()
        sign_in(staff, transport, email)
        assert upload(staff, SAMPLE_CSV.read_bytes()).status_code == 403
    assert register(services) == {}


def test_a_foreign_page_cannot_import(admin, services):
    for header in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/x"}):
        answer = admin.post(
            IMPORT,
            data={"file": (io.BytesIO(SAMPLE_CSV.read_bytes()), "bmn.csv")},
            content_type="multipart/form-data",
            headers=header,
        )
        assert answer.status_code == 403
    assert register(services) == {}
    own = admin.post(
        IMPORT,
        data={"file": (io.BytesIO(SAMPLE_CSV.read_bytes()), "bmn.csv")},
        content_type="multipart/form-data",
        headers={"Origin": PUBLIC_URL},
    )
    assert own.status_code == 200


def test_the_upload_cap_is_the_import_routes_own(admin, services):
    # Far over the API's 64 KB cap for JSON, well under the import's own.
    big = generated_csv(1_000)
    assert 64 * 1024 < len(big) < IMPORT_MAX_BYTES
    assert upload(admin, big).get_json()["added"] == 1_000
    too_big = b"x" * (IMPORT_MAX_BYTES + 1)
    answer = upload(admin, too_big)
    assert answer.status_code == 413
    assert answer.get_json()["error"] == "too_large"
    # Other routes keep the small cap.
    assert admin.post("/api/tickets", data=b"x" * (65 * 1024)).status_code == 413


def test_what_is_not_an_upload_is_refused(admin):
    assert admin.post(IMPORT, json={"file": "a"}).status_code == 415
    answer = admin.post(IMPORT, data={"mode": "check"}, content_type="multipart/form-data")
    assert answer.status_code == 400
    assert answer.get_json()["message"].startswith("Pilih berkas")


def test_one_import_at_a_time(admin, services, clock):
    from datetime import timedelta

    assert services.stores.assets.lock("someone", clock.now(), clock.now() + timedelta(minutes=5))
    answer = upload(admin, SAMPLE_CSV.read_bytes())
    assert answer.status_code == 409
    assert answer.get_json()["message"].startswith("Impor lain sedang berjalan")
    assert register(services) == {}
