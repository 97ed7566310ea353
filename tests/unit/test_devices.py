"""The device register's pure rules: location keys, canonical tags, what a re-import writes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tiket.adapters.asset_files import PER_PAGE
from tiket.adapters.labels import LAYOUTS
from tiket.domain.assets import Asset
from tiket.domain.devices import (
    NO_LOCATION,
    Device,
    Location,
    is_device_tag,
    location_key,
    matches,
    plan_devices,
    search_words,
)

WIB = ZoneInfo("Asia/Jakarta")
BEFORE = datetime(2026, 10, 1, 9, 0, tzinfo=WIB)
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)


def asset(nup: int, location: str = "Ruang Rapat 2", name: str = "Printer", **more) -> Asset:
    return Asset(
        tag=f"3100203003.{nup}",
        kode_barang="3100203003",
        nup=nup,
        name=name,
        location=location,
        **more,
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Ruang Rapat 2", "ruang-rapat-2"),
        ("  ruang  RAPAT 2 ", "ruang-rapat-2"),
        ("Ruang-Rapat 2.", "ruang-rapat-2"),
        ("Ruang Rapat Utama – Sayap Barat", "ruang-rapat-utama-sayap-barat"),
        ("Ruang Kepala Bagian (Lt. 3)", "ruang-kepala-bagian-lt-3"),
        ("Ruáng Rápat 2", "ruang-rapat-2"),
        ("", NO_LOCATION),
        ("   ", NO_LOCATION),
    ],
)
def test_location_key_does_not_split_a_room_by_its_spelling(text, key):
    assert location_key(text) == key


def test_a_name_without_latin_letters_keys_by_a_digest():
    key = location_key("会议室")
    assert key.startswith("x-") and key == location_key(" 会议室 ")
    assert key != location_key("办公室")


def test_only_the_canonical_spelling_is_a_device_tag():
    assert is_device_tag("3100203003.3")
    assert not is_device_tag("3.10.02.03.003.3")  # a spelling of it, to be normalised first
    assert not is_device_tag("3100203003.03")
    assert not is_device_tag("BMN-2019-0042")
    assert not is_device_tag("")
    assert not is_device_tag(None)


def known(*devices: Device) -> dict[str, Device]:
    return {device.tag: device for device in devices}


def test_first_import_adds_everything_and_counts_locations():
    incoming = [asset(1), asset(2), asset(3, location="ruang rapat 2"), asset(4, "Gudang")]
    plan = plan_devices({}, incoming, NOW, (), retire_absent=True)
    assert (plan.added, plan.changed, plan.restored, plan.unchanged, plan.retired) == (
        4,
        0,
        0,
        0,
        0,
    )
    assert [device.asset for device in plan.puts] == incoming
    assert all(device.updated_at == NOW and device.active for device in plan.puts)
    # The room's name is the spelling most devices carry.
    assert plan.locations == (
        Location("gudang", "Gudang", 1),
        Location("ruang-rapat-2", "Ruang Rapat 2", 3),
    )


def test_reimport_writes_only_what_changed_and_retires_what_is_gone():
    old = known(
        Device(asset(1), BEFORE),
        Device(asset(2), BEFORE),
        Device(asset(3, "Gudang"), BEFORE),
        Device(asset(4), BEFORE, retired_at=BEFORE),
    )
    moved = asset(2, "Ruang Server")
    back = asset(4)
    plan = plan_devices(
        old,
        [asset(1), moved, back, asset(5)],
        NOW,
        [Location("ruang-rapat-2", "Ruang Rapat 2", 2), Location("gudang", "Gudang", 1)],
        retire_absent=True,
    )
    assert (plan.added, plan.changed, plan.restored, plan.unchanged, plan.retired) == (
        1,
        1,
        1,
        1,
        1,
    )
    puts = {device.tag: device for device in plan.puts}
    assert set(puts) == {"3100203003.2", "3100203003.4", "3100203003.5", "3100203003.3"}
    assert puts["3100203003.2"].asset == moved
    assert puts["3100203003.4"].active  # listed again: back in use
    retired = puts["3100203003.3"]
    assert retired.asset == old["3100203003.3"].asset and retired.retired_at == NOW
    assert plan.locations == (
        Location("gudang", "Gudang", 0),  # emptied: kept with no device
        Location("ruang-rapat-2", "Ruang Rapat 2", 3),
        Location("ruang-server", "Ruang Server", 1),
    )


def test_a_list_that_is_not_complete_retires_nothing():
    old = known(Device(asset(1), BEFORE), Device(asset(2, "Gudang"), BEFORE))
    plan = plan_devices(old, [asset(3)], NOW, [], retire_absent=False)
    assert plan.retired == 0
    assert [device.tag for device in plan.puts] == ["3100203003.3"]
    assert {loc.key: loc.devices for loc in plan.locations} == {"gudang": 1, "ruang-rapat-2": 2}


def test_the_same_list_again_writes_no_device():
    old = known(Device(asset(1), BEFORE), Device(asset(2), BEFORE))
    plan = plan_devices(
        old,
        [asset(1), asset(2)],
        NOW + timedelta(days=1),
        [Location("ruang-rapat-2", "Ruang Rapat 2", 2)],
        retire_absent=True,
    )
    assert plan.puts == () and plan.unchanged == 2
    assert plan.locations == (Location("ruang-rapat-2", "Ruang Rapat 2", 2),)


def test_search_matches_every_word_in_name_brand_or_tag_never_the_holder():
    printer = asset(3, brand_type="HP LaserJet Pro MFP M428fdw", holder="Siti Rahmawati")
    assert matches(printer, search_words("laserjet PRINTER"))
    assert matches(printer, search_words("3100203003.3"))
    assert matches(printer, search_words(""))
    assert not matches(printer, search_words("siti"))
    assert not matches(printer, search_words("laserjet epson"))
    assert matches(replace(printer, name="Pérangkat"), search_words("perangkat"))


def test_label_sheet_sizes_known_without_reportlab_match_the_layouts():
    assert {name: layout.per_page for name, layout in LAYOUTS.items()} == PER_PAGE
    assert next(iter(PER_PAGE)) == next(iter(LAYOUTS))
