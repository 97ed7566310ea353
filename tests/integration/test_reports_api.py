"""Reports for signed-in staff (PRODUCT.md §6, §7) through the Flask client and moto.

Tickets run through the real lifecycle (intake, action links from the emails, the survey);
staff sign in the way a person does, with the link from their email."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from tests.conftest import WIB
from tests.support import VALID_TICKET, sign_in, token_for

FORMULAS = ('=HYPERLINK("http://x")', "+1", "@SUM(A1)")
ALL_FOURS = {f"u{i}": 4 for i in range(1, 10)}
ALL_THREES = {f"u{i}": 3 for i in range(1, 10)}


def perform(services, transport, number: str, to: str, action: str, **form):
    """Follow the newest ``action`` link about ticket ``number`` in ``to``'s inbox."""
    for mail in reversed(transport.to(to)):
        if mail.ticket != number:
            continue
        try:
            token = token_for(services, mail, action)
        except AssertionError:
            continue
        return services.actions.perform(token, form)
    raise AssertionError(f"no {action} link for {number} in {to}'s emails")


@pytest.fixture
def period_data(services, transport, clock):
    """Four tickets, Monday 30 November 2026 (the clock starts at 08:00 WIB):

    1. filed 08:00, acknowledged by tik1 08:03, handled, resolved 08:30, survey all 4;
    2. filed 08:30, acknowledged by tik2 08:45 (late: due 08:35), referred 08:50, accepted by
       rt1 09:00, resolved 09:30, survey all 3;
    3. filed 09:30 and still new at 10:00 (acknowledge due 09:35: open past due);
    and one filed in October, outside the month.
    """
    october = clock.now()
    clock.set(datetime(2026, 10, 30, 10, 0, tzinfo=WIB))
    services.intake.file({**VALID_TICKET, "subject": "Bulan lalu"})
    clock.set(october)

    first = services.intake.file({**VALID_TICKET, "subject": FORMULAS[0]})
    clock.advance(minutes=3)
    perform(services, transport, first.number, "tik1@example.go.id", "acknowledge")
    clock.advance(minutes=7)
    perform(
        services, transport, first.number, "tik1@example.go.id", "diagnose",
        diagnosis="Driver rusak", decision="handle", estimate_minutes=30,
    )  # fmt: skip
    clock.advance(minutes=20)
    perform(services, transport, first.number, "tik1@example.go.id", "resolve", resolution="OK")
    services.tracking.submit_survey(first.track_token, {"answers": ALL_FOURS})

    second = services.intake.file({**VALID_TICKET, "subject": FORMULAS[1], "category": "network"})
    clock.advance(minutes=15)
    perform(services, transport, second.number, "tik2@example.go.id", "acknowledge")
    clock.advance(minutes=5)
    perform(
        services, transport, second.number, "tik2@example.go.id", "diagnose",
        diagnosis="Kabel putus", decision="refer",
    )  # fmt: skip
    clock.advance(minutes=10)
    perform(services, transport, second.number, "rt1@example.go.id", "accept", estimate_minutes=60)
    clock.advance(minutes=30)
    perform(services, transport, second.number, "rt1@example.go.id", "resolve", resolution="OK")
    services.tracking.submit_survey(second.track_token, {"answers": ALL_THREES, "suggestion": "-"})

    services.intake.file({**VALID_TICKET, "subject": FORMULAS[2], "unit": "Keuangan"})
    clock.advance(minutes=30)


def by_code(rows: list[dict]) -> dict:
    return {row["code"]: row["count"] for row in rows}


def test_reports_need_a_session_and_a_reporting_role(client, transport):
    urls = [
        "/api/reports/summary?period=2026-11",
        "/api/reports/tickets.csv",
        "/api/reports/skm.xlsx",
        "/api/reports/monitoring.xlsx",
        "/api/reports/charts/category.svg",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.get_json()["error"] == "unauthenticated"
    sign_in(client, transport, "rt1@example.go.id")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.get_json()["error"] == "forbidden"
    sign_in(client, transport, "tik1@example.go.id")
    assert client.get(urls[0]).status_code == 200


def test_summary_of_the_month(client, transport, period_data, api_calls):
    sign_in(client, transport, "supervisor@example.go.id")
    api_calls.clear()
    response = client.get("/api/reports/summary?period=2026-11")
    assert response.status_code == 200
    body = response.get_json()
    # The month's counters (one Query) and the tickets past due (one Query), never a Scan;
    # the GetItem is the session's staff member.
    assert api_calls.operations() == ["GetItem", "Query", "Query"]

    assert body["period"] == {
        "kind": "month",
        "key": "2026-11",
        "from": "2026-11-01",
        "to": "2026-11-30",
        "label": "November 2026",
    }
    assert body["tickets"] == 3
    volume = body["volume"]
    assert by_code(volume["by_status"])["closed"] == 2
    assert by_code(volume["by_status"])["new"] == 1
    assert by_code(volume["by_category"])["hardware"] == 2
    assert by_code(volume["by_category"])["network"] == 1
    assert by_code(volume["by_path"]) == {"tik": 1, "rt": 1, "none": 1}
    assert volume["by_unit"] == [
        {"unit": "Subbagian Tata Usaha", "count": 2},
        {"unit": "Keuangan", "count": 1},
    ]

    compliance = {row["step"]: row for row in body["compliance"]}
    ack = compliance["acknowledge"]
    assert (ack["completed"], ack["on_time"], ack["late"], ack["open_overdue"]) == (2, 1, 1, 1)
    # The third ticket, still unacknowledged past due, counts as not within the standard.
    assert (ack["measured"], ack["percent"]) == (3, 33.3)
    assert compliance["notify"]["percent"] == 100.0
    assert compliance["rt_accept"]["on_time"] == 1

    durations = {row["measure"]: row for row in body["durations"]}
    # Acknowledged after 3 and 15 working minutes; resolved after 30 and 60 (read from
    # buckets 1% wide).
    assert durations["acknowledge"]["median_minutes"] == pytest.approx(9.0, rel=0.01)
    assert durations["resolve"]["median_minutes"] == pytest.approx(45.0, rel=0.01)
    assert durations["diagnose"]["count"] == 2

    assert body["backlog"]["total"] == 1
    assert by_code(body["backlog"]["by_age"])["d0"] == 1

    staff = {row["email"]: row for row in body["staff"]}
    assert staff["tik1@example.go.id"]["acknowledged"] == 1
    assert staff["tik1@example.go.id"]["resolved"] == 1
    assert staff["tik2@example.go.id"]["breaches"] == 1
    assert staff["tik2@example.go.id"]["open_overdue"] == 0
    assert staff["rt1@example.go.id"]["resolved"] == 1
    assert staff["rt1@example.go.id"]["role_label"] == "Pengelola Rumah Tangga"

    skm = body["skm"]
    assert (skm["respondents"], skm["population"], skm["sample"]) == (2, 2, 2)
    assert (skm["converted"], skm["category"], skm["category_label"]) == (87.5, "B", "Baik")
    assert skm["nrr"][0] == {"code": "u1", "name": "Persyaratan", "nrr": 3.5}

    monitoring = {row["no"]: row for row in body["monitoring"]}
    assert monitoring[4]["assessment"] == "bad"
    assert monitoring[4]["assessment_label"] == "Tidak berjalan dengan baik"
    assert monitoring[4]["note"] == (
        "1 dari 2 langkah tepat waktu (50,0%). 1 langkah masih terbuka melewati batas waktu. "
        "Langkah yang masih terbuka melewati batas waktu dihitung tidak tepat waktu: "
        "1 dari 3 langkah dalam mutu baku (33,3%)."
    )
    assert monitoring[4]["action"].startswith("Pastikan Pengelola TIK")
    assert monitoring[3]["assessment_label"] == "Berjalan dengan baik"
    assert monitoring[7]["note"].endswith("IKM 87,50 (mutu pelayanan B).")
    assert monitoring[1]["assessment"] is None
    assert "Tidak dapat diukur" in monitoring[1]["note"]

    activity = {row["action"]: row for row in body["activity"]}
    assert activity["create"]["count"] == 3
    assert activity["create"]["by_role"]["requester"] == 3
    assert activity["survey"]["count"] == 2
    assert activity["accept"]["by_role"]["rt"] == 1
    assert activity["dispatch"]["by_role"]["system"] == 3
    assert body["rates"] == [
        {"rate": "cancel", "label": "Permohonan dibatalkan", "count": 0, "of": 3, "percent": 0.0}
    ]


def test_summary_in_english_and_by_quarter_and_range(client, transport, period_data):
    sign_in(client, transport, "admin@example.go.id")
    quarter = client.get("/api/reports/summary?period=2026-q4&lang=en").get_json()
    assert quarter["period"]["label"] == "Q4 2026"
    assert quarter["period"]["key"] == "2026-Q4"
    assert quarter["tickets"] == 4  # October's ticket too
    assert quarter["monitoring"][3]["note"].startswith("1 of 2 steps on time (50.0%).")
    ranged = client.get("/api/reports/summary?from=2026-10-30&to=2026-10-30").get_json()
    assert ranged["tickets"] == 1
    assert ranged["period"]["label"] == "30 Oktober 2026 s.d. 30 Oktober 2026"
    semester = client.get("/api/reports/summary?period=2026-S2").get_json()
    assert semester["period"]["label"] == "Semester II 2026"


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("period=2026-13", {"period"}),
        ("period=2026-Q5", {"period"}),
        ("period=abc", {"period"}),
        ("period=1999", {"period"}),
        ("from=2026-11-31&to=2026-12-01", {"from"}),
        ("from=2026-11-01", {"to"}),
        ("from=30-11-2026&to=tomorrow", {"from", "to"}),
        ("from=2026-12-01&to=2026-11-01", {"to"}),
        ("from=2020-01-01&to=2026-01-01", {"to"}),
        ("period=2026-11&from=2026-11-01&to=2026-11-30", {"period"}),
    ],
)
def test_bad_periods_are_400_with_fields(client, transport, query, fields):
    sign_in(client, transport, "supervisor@example.go.id")
    for path in ("summary", "tickets.csv"):
        response = client.get(f"/api/reports/{path}?{query}")
        assert response.status_code == 400
        body = response.get_json()
        assert body["error"] == "validation"
        assert set(body["fields"]) == fields


def test_ticket_exports_neutralise_formulas(client, transport, period_data):
    sign_in(client, transport, "supervisor@example.go.id")
    response = client.get("/api/reports/tickets.csv?period=2026-11")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="tiket-tickets-2026-11.csv"'
    )
    # For Excel with Indonesian regional settings: BOM, ";" between cells, decimal comma.
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in response.data
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["Nomor tiket", "Diajukan (WIB)", "Status"]
    subjects = [row[header.index("Judul")] for row in data]
    assert subjects == ["'" + text for text in FORMULAS]
    first = data[0]
    assert first[header.index("Status")] == "Ditutup"
    assert first[header.index("Diajukan (WIB)")] == "2026-11-30 08:00"
    assert first[header.index("Menit kerja hingga selesai")] == "30,0"
    assert first[header.index("Diagnosa")] == "Driver rusak"
    assert first[header.index("Penyelesaian")] == "OK"
    assert first[header.index("u1 Persyaratan")] == "4"
    assert data[1][header.index("Melewati mutu baku")] == "Tindak lanjut oleh Pengelola TIK"
    # The SKM suggestion "-" is text a spreadsheet would read as a formula too.
    assert data[1][header.index("Saran SKM")] == "'-"
    # The third ticket is still waiting past its due time: late, and shown as still open.
    late, still_open = (
        header.index("Melewati mutu baku"),
        header.index("Masih terbuka melewati batas waktu"),
    )
    assert (data[2][late], data[2][still_open]) == ("Tindak lanjut oleh Pengelola TIK",) * 2
    assert data[1][still_open] == ""

    response = client.get("/api/reports/tickets.xlsx?period=2026-11")
    assert response.content_type.startswith("application/vnd.openxmlformats")
    assert "tiket-tickets-2026-11.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    header = [cell.value for cell in next(sheet.iter_rows())]
    column = header.index("Judul")
    subjects = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in subjects] == ["'" + text for text in FORMULAS]
    assert {cell.data_type for cell in subjects} == {"s"}
    created = sheet.cell(2, header.index("Diajukan (WIB)") + 1).value
    assert created == datetime(2026, 11, 30, 8, 0)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}4"
    assert sheet.cell(1, 1).font.b
    assert sheet.cell(2, header.index("Diagnosa") + 1).value == "Driver rusak"


def test_skm_recap_downloads(client, transport, period_data):
    sign_in(client, transport, "supervisor@example.go.id")
    response = client.get("/api/reports/skm.csv?period=2026-11")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Kode", "Unsur pelayanan", "NRR"]
    assert rows[1] == ["u1", "Persyaratan", "3,500"]
    values = {row[0]: row[2] for row in rows[11:]}
    assert values["IKM konversi (25–100)"] == "87,50"
    assert values["Mutu pelayanan"] == "B (Baik)"
    assert values["Sampel minimal (Krejcie–Morgan)"] == "2"

    response = client.get("/api/reports/skm.xlsx?period=2026-11")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "SKM"
    assert sheet["C2"].value == 3.5
    assert response.headers["Content-Disposition"].endswith('tiket-skm-2026-11.xlsx"')


def test_monitoring_sheet_is_ready_to_print(client, transport, period_data, services):
    sign_in(client, transport, "supervisor@example.go.id")
    response = client.get("/api/reports/monitoring.xlsx?period=2026-11")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="tiket-monitoring-2026-11.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value == "FORMULIR MONITORING PELAKSANAAN SOP"
    assert sheet["A3"].value == f"Unit kerja: {services.settings.unit_name}"
    assert sheet["A4"].value == "Periode: November 2026"
    assert [sheet.cell(7, c).value for c in range(1, 8)] == [
        "No",
        "Prosedur",
        "Penilaian terhadap Penerapan",
        None,  # merged with the column before
        "Catatan Hasil Penilaian",
        "Tindakan yang Harus Diambil",
        "Paraf",
    ]
    assert [sheet.cell(8, c).value for c in (3, 4)] == [
        "Berjalan dengan baik",
        "Tidak berjalan dengan baik",
    ]
    rows = {sheet.cell(r, 1).value: r for r in range(9, 16)}
    assert sorted(rows) == [1, 2, 3, 4, 5, 6, 7]
    ack = rows[4]
    assert (sheet.cell(ack, 3).value, sheet.cell(ack, 4).value) == (None, "✓")
    assert sheet.cell(ack, 5).value.startswith("1 dari 2 langkah tepat waktu (50,0%).")
    assert sheet.cell(ack, 6).value
    assert sheet.cell(ack, 7).value is None  # Paraf: signed on paper
    assert sheet.cell(rows[3], 3).value == "✓"
    assert sheet.cell(ack, 5).alignment.wrap_text
    assert sheet.cell(ack, 5).border.left.style == "thin"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$7:$8"
    assert sheet.column_dimensions["B"].width == 40


def test_charts_are_svg_without_script(client, transport, period_data):
    sign_in(client, transport, "supervisor@example.go.id")
    for name, expected in (
        ("category", "Perangkat keras"),
        ("compliance", "garis ambang 80%"),
        ("skm", "u9 Sarana dan Prasarana"),
    ):
        response = client.get(f"/api/reports/charts/{name}.svg?period=2026-11")
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert "script-src" not in response.headers["Content-Security-Policy"]
        assert b"<script" not in response.data.lower()
        assert b"kozea.github.io" not in response.data
        root = ElementTree.fromstring(response.data)  # noqa: S314 - our own output
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert expected in "".join(root.itertext())


def test_unknown_chart_or_download_is_404(client, transport):
    sign_in(client, transport, "supervisor@example.go.id")
    assert client.get("/api/reports/charts/pie.svg").status_code == 404
    assert client.get("/api/reports/monitoring.csv").status_code == 404
    assert client.get("/api/reports/history.csv").status_code == 404
