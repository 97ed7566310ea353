"""The device register's store, held to the same rules on DynamoDB (moto) and in memory:
devices and locations as written, the import lock, and a device's tickets through the
``asset`` index (canonical tags only, newest first, never a Scan)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support import VALID_TICKET, MemoryTransport, make_services
from tiket.adapters.clock import FixedClock
from tiket.adapters.memory import memory_stores
from tiket.domain.assets import Asset
from tiket.domain.devices import Device, Location

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)


@pytest.fixture(params=["dynamodb", "memory"])
def backend(request, aws):
    clock = FixedClock(NOW)
    stores = memory_stores(WIB) if request.param == "memory" else None
    return make_services(clock, MemoryTransport(), stores=stores)


def device(kode: str, nup: int, location: str, retired: bool = False) -> Device:
    asset = Asset(f"{kode}.{nup}", kode, nup, f"Perangkat {nup}", "Merk", location, "Pemegang")
    return Device(asset, NOW, NOW if retired else None)


def test_devices_and_locations_read_back_as_written(backend):
    store = backend.stores.assets
    devices = [
        device("3100102001", 10, "Ruang Rapat 2"),
        device("3100102001", 2, "Ruang Rapat 2"),
        device("3060102046", 1, "ruang rapat 2"),
        device("3100102001", 3, "Gudang", retired=True),
    ]
    locations = [Location("ruang-rapat-2", "Ruang Rapat 2", 3), Location("gudang", "Gudang", 0)]
    store.write(devices, locations)
    assert store.get("3100102001.10") == devices[0]
    assert store.get("3100102001.99") is None
    # Register order: kode barang, then NUP as a number.
    assert [d.tag for d in store.in_location("ruang-rapat-2")] == [
        "3060102046.1",
        "3100102001.2",
        "3100102001.10",
    ]
    assert store.in_location("gudang") == []
    assert store.retired() == [devices[3]]
    assert store.locations() == [Location("ruang-rapat-2", "Ruang Rapat 2", 3)]


def test_many_devices_in_chunks(backend):
    """More items than one transaction holds (100) are written and read back whole."""
    store = backend.stores.assets
    devices = [device("3100102001", n, "Ruang Server") for n in range(1, 251)]
    store.write(devices, [Location("ruang-server", "Ruang Server", 250)])
    assert len(store.in_location("ruang-server")) == 250
    tags = [d.tag for d in devices] + ["3100102001.999"]
    assert store.get_many(tags) == {d.tag: d for d in devices}


def test_one_import_lock_at_a_time(backend):
    store = backend.stores.assets
    until = NOW + timedelta(minutes=15)
    assert store.lock("a", NOW, until)
    assert not store.lock("b", NOW, until)
    store.unlock("b")  # not b's: stays taken
    assert not store.lock("b", NOW + timedelta(minutes=1), until)
    assert store.lock("b", until + timedelta(seconds=1), until + timedelta(minutes=15))  # expired
    store.unlock("a")  # a's expired lock was taken over: a cannot release b's
    assert not store.lock("c", until + timedelta(seconds=2), until + timedelta(minutes=20))
    store.unlock("b")
    assert store.lock("c", until + timedelta(seconds=2), until + timedelta(minutes=20))


def test_a_devices_tickets_through_the_asset_index(backend, api_calls):
    intake, clock = backend.intake, backend.clock
    numbers = []
    for days_ago in (100, 40, 10, 0):
        clock.at = NOW - timedelta(days=days_ago)
        numbers.append(intake.file({**VALID_TICKET, "asset_tag": "3.10.02.03.003.1"}).number)
    clock.at = NOW
    intake.file({**VALID_TICKET, "asset_tag": "3100203003.2"})  # another device
    intake.file({**VALID_TICKET, "asset_tag": "printer lantai 2"})  # free text: no device
    store = backend.stores.assets
    api_calls.clear()
    assert [t.number for t in store.tickets_of("3100203003.1")] == numbers[::-1]
    assert [t.number for t in store.tickets_of("3100203003.1", limit=2)] == numbers[:1:-1]
    since = store.tickets_of("3100203003.1", since=NOW - timedelta(days=90))
    assert [t.number for t in since] == numbers[:0:-1]
    # A ticket created at ``since`` itself is not after it.
    assert store.tickets_of("3100203003.1", since=NOW) == []
    assert store.tickets_of("printer lantai 2") == []
    assert "Scan" not in api_calls.operations()
