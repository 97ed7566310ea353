"""Devices after an import: what the public form may see, label sheets, tickets filed about a
device (the tag recorded, the *berulang* flag in the staff email and the queue), the staff
ticket page's device history, and the devices that fail most per location."""

from __future__ import annotations

import json
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
import zxingcpp

from tests.fixtures.bmn.files import SAMPLE_CSV
from tests.support import PUBLIC_URL, VALID_TICKET, file_ticket, latest, sign_in

PRINTER = "3100203003.3"  # HP LaserJet Pro MFP M428fdw, Ruang Rapat 2, no holder
PC = "3100102001.1"  # Lenovo ThinkCentre, Ruang Tata Usaha, held by Siti Rahmawati (contoh)


@pytest.fixture
def imported(services):
    with SAMPLE_CSV.open("rb") as stream:
        assert services.assets.import_file(stream).written
    return services


def signed_in(app, transport, email: str):
    client = app.test_client()
    sign_in(client, transport, email)
    return client


# --- the public side ----------------------------------------------------------------------


def test_a_label_tag_names_its_device_without_its_holder(imported, client):
    for spelling in (PC, "3.10.01.02.001.1", "3100102001.0001"):
        answer = client.get(f"/api/assets/{spelling}")
        assert answer.status_code == 200
        assert answer.get_json() == {
            "tag": PC,
            "name": "P.C Unit",
            "brand_type": "Lenovo ThinkCentre M70q Gen 3",
            "location": "Ruang Tata Usaha",
            "location_key": "ruang-tata-usaha",
            "retired": False,
        }
        assert "Siti" not in answer.get_data(as_text=True)


@pytest.mark.parametrize("tag", ["3100102001.77", "12345", "3.10.01.02.001.x"])
def test_an_unknown_tag_answers_404_naming_it(imported, client, tag):
    answer = client.get(f"/api/assets/{tag}")
    assert answer.status_code == 404
    assert answer.get_json()["message"] == f"Perangkat {tag} tidak dikenal"


def test_the_form_searches_a_location_never_lists_holders(imported, client):
    rooms = client.get("/api/assets/locations").get_json()["locations"]
    assert {"key": "ruang-rapat-2", "name": "Ruang Rapat 2", "devices": 3} in rooms
    answer = client.get("/api/assets?location=ruang-keuangan&q=printer")
    assert [d["tag"] for d in answer.get_json()["devices"]] == ["3100203003.2"]
    everything = client.get("/api/assets?location=ruang-tata-usaha")
    assert everything.get_json()["count"] == 3
    for body in (answer, everything):
        assert "holder" not in body.get_data(as_text=True)
        assert "(contoh)" not in body.get_data(as_text=True)
    # By holder: nothing (the holder is not searched).
    assert client.get("/api/assets?location=ruang-tata-usaha&q=siti").get_json()["count"] == 0
    refused = client.get("/api/assets?q=printer")
    assert refused.status_code == 400
    assert refused.get_json()["fields"] == {"location": "Pilih lokasi terlebih dahulu."}


def test_public_lookups_are_rate_limited(imported, services, client):
    from tiket.config import RateLimit

    services.rate_limiter.limits = {"assets": RateLimit(2, 60)}
    assert client.get(f"/api/assets/{PC}").status_code == 200
    assert client.get("/api/assets/locations").status_code == 200
    assert client.get(f"/api/assets/{PC}").status_code == 429


# --- labels ---------------------------------------------------------------------------------


def test_a_locations_label_sheet_opens_the_form_for_each_device(imported, app, transport):
    tik = signed_in(app, transport, "tik1@example.go.id")
    answer = tik.get("/api/staff/assets/labels.pdf?location=ruang-rapat-2")
    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    assert 'filename="label-bmn-ruang-rapat-2.pdf"' in answer.headers["Content-Disposition"]
    (page,) = pdfium.PdfDocument(answer.data)
    image = page.render(scale=4).to_pil().convert("L")
    found = {code.text for code in zxingcpp.read_barcodes(image)}
    assert found == {
        f"{PUBLIC_URL}/request.html?asset={tag}"
        for tag in ("3060102046.1", "3100102001.5", "3100203003.3")
    }


def test_label_sheet_refusals(imported, app, transport):
    admin = signed_in(app, transport, "admin@example.go.id")
    assert admin.get("/api/staff/assets/labels.pdf?location=nowhere").status_code == 404
    bad = admin.get("/api/staff/assets/labels.pdf?location=gudang&layout=a5")
    assert bad.status_code == 400 and "a4-24, l7160" in bad.get_json()["fields"]["layout"]
    assert admin.get("/api/staff/assets/labels.pdf?location=gudang&skip=24").status_code == 400
    skipped = admin.get("/api/staff/assets/labels.pdf?location=gudang&layout=l7160&skip=20")
    assert skipped.status_code == 200
    supervisor = signed_in(app, transport, "supervisor@example.go.id")
    assert supervisor.get("/api/staff/assets/labels.pdf?location=gudang").status_code == 403


# --- tickets about a device -------------------------------------------------------------


def file_about(client, tag: str, **changes):
    answer = file_ticket(client, asset_tag=tag, **changes)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["number"]


def test_the_third_ticket_in_90_days_is_flagged_berulang(imported, client, transport, clock):
    """PRODUCT.md §15: a device with ≥ 3 tickets in 90 days is *berulang*, the ticket being
    filed counted: the third is the first flagged, and the fourth is too."""
    start = clock.now()
    flags = []
    for day in (0, 30, 60, 61):
        clock.at = start + timedelta(days=day)
        number = file_about(client, "3.10.02.03.003.3")
        mail = latest(transport, "tik1@example.go.id", "new_ticket")
        assert mail.ticket == number
        flags.append("Perangkat berulang" in mail.text)
        ticket = imported.tickets.get(number)
        assert ticket.asset_tag == PRINTER
    assert flags == [False, False, True, True]
    assert "Perangkat berulang: 4 tiket untuk perangkat ini dalam 90 hari terakhir" in mail.text
    assert "berulang" not in latest(transport, VALID_TICKET["email"], "confirmation").text


def test_tickets_older_than_the_window_do_not_count(imported, client, transport, clock):
    start = clock.now()
    for day in (0, 45, 91):  # the first is 91 days before the third
        clock.at = start + timedelta(days=day)
        number = file_about(client, PRINTER)
    assert imported.tickets.get(number).repeat_count is None


def test_the_queue_shows_the_flag(imported, app, client, transport):
    numbers = [file_about(client, PRINTER) for _ in range(3)]
    other = file_about(client, "printer lantai 2")
    tik = signed_in(app, transport, "tik1@example.go.id")
    rows = {r["number"]: r for r in tik.get("/api/staff/queue").get_json()["tickets"]}
    assert [rows[n]["repeat_count"] for n in numbers] == [None, None, 3]
    assert rows[numbers[0]]["asset_tag"] == PRINTER
    assert rows[other]["asset_tag"] == "printer lantai 2" and rows[other]["repeat_count"] is None
    detail = tik.get(f"/api/staff/tickets/{numbers[2]}").get_json()
    assert detail["repeat_count"] == 3


def test_the_staff_ticket_page_lists_the_devices_other_tickets(imported, app, client, transport):
    first = file_about(client, PRINTER)
    second = file_about(client, PRINTER, subject="Kertas macet lagi")
    file_about(client, PC)  # another device
    tik = signed_in(app, transport, "tik1@example.go.id")
    answer = tik.get(f"/api/staff/tickets/{second}/device")
    assert answer.status_code == 200
    view = answer.get_json()
    assert view["tag"] == PRINTER
    assert view["device"]["name"] == "Printer (Peralatan Personal Komputer)"
    assert view["device"]["location"] == "Ruang Rapat 2"
    assert [t["number"] for t in view["tickets"]] == [first]
    assert (view["recent"], view["repeat"], view["window_days"], view["threshold"]) == (
        2,
        False,
        90,
        3,
    )
    # Staff see who holds a device.
    pc_ticket = file_about(client, PC)
    holder = tik.get(f"/api/staff/tickets/{pc_ticket}/device").get_json()["device"]["holder"]
    assert holder == "Siti Rahmawati (contoh)"


def test_a_ticket_without_a_known_device(imported, app, client, transport):
    free = file_about(client, "BMN-2019-0042")
    unknown = file_about(client, "3100102001.777")
    tik = signed_in(app, transport, "tik1@example.go.id")
    none = tik.get(f"/api/staff/tickets/{free}/device").get_json()
    assert (none["tag"], none["device"], none["tickets"]) == (None, None, [])
    not_registered = tik.get(f"/api/staff/tickets/{unknown}/device").get_json()
    assert (not_registered["tag"], not_registered["device"]) == ("3100102001.777", None)
    assert tik.get("/api/staff/tickets/TIK-2026-999999/device").status_code == 404


# --- reports --------------------------------------------------------------------------------


def test_devices_that_fail_most_per_location(imported, app, client, transport, api_calls):
    for _ in range(3):
        file_about(client, PRINTER)
    file_about(client, PRINTER, category="network")
    file_about(client, "3100203003.1")  # the HP LaserJet Pro M404dn, Ruang Tata Usaha
    file_about(client, "3100102001.5")  # a PC of Ruang Rapat 2
    file_about(client, "3100102001.777", location="Ruang Arsip")  # not in the register
    file_about(client, "printer lantai 2")  # no device
    supervisor = signed_in(app, transport, "supervisor@example.go.id")
    api_calls.clear()
    answer = supervisor.get("/api/reports/devices?period=2026-11")
    assert "Scan" not in api_calls.operations()
    assert answer.status_code == 200
    report = answer.get_json()
    assert report["period"]["label"] == "November 2026"
    assert report["tickets"] == 7
    places = {p["key"]: p for p in report["locations"]}
    assert [p["key"] for p in report["locations"]] == [
        "ruang-rapat-2",
        "ruang-arsip",
        "ruang-tata-usaha",
    ]
    meeting = places["ruang-rapat-2"]
    assert meeting["tickets"] == 5
    assert [(d["tag"], d["tickets"]) for d in meeting["devices"]] == [
        (PRINTER, 4),
        ("3100102001.5", 1),
    ]
    assert [(c["code"], c["count"]) for c in meeting["devices"][0]["categories"]] == [
        ("hardware", 3),
        ("network", 1),
    ]
    assert [(c["code"], c["count"]) for c in meeting["categories"]] == [
        ("hardware", 4),
        ("network", 1),
    ]
    assert places["ruang-arsip"]["devices"][0] == {
        **places["ruang-arsip"]["devices"][0],
        "tag": "3100102001.777",
        "name": None,
    }
    assert "holder" not in json.dumps(report)
    other_month = supervisor.get("/api/reports/devices?period=2026-10").get_json()
    assert other_month["locations"] == [] and other_month["tickets"] == 0
    assert supervisor.get("/api/reports/devices?period=2026-13").status_code == 400
    rt = signed_in(app, transport, "rt1@example.go.id")
    assert rt.get("/api/reports/devices").status_code == 403
