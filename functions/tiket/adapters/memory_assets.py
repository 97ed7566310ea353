"""The device register in memory, with the DynamoDB store's semantics (``AssetStore``): fast
service tests without moto. Tickets of a device are read from the in-memory ticket store,
indexed by the same rule (a tag in its canonical spelling)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import datetime

from tiket.adapters.memory import MemoryTickets
from tiket.domain.devices import Device, Location, is_device_tag
from tiket.domain.model import Ticket


def _register_order(device: Device) -> tuple[str, int]:
    return device.asset.kode_barang, device.asset.nup


class MemoryAssets:
    def __init__(self, tickets: MemoryTickets):
        self.tickets = tickets
        self.devices: dict[str, Device] = {}
        self.places: dict[str, Location] = {}
        self.lock_state: tuple[str, datetime] | None = None
        self.guard = threading.Lock()

    def get(self, tag: str) -> Device | None:
        return self.devices.get(tag)

    def get_many(self, tags: Iterable[str]) -> dict[str, Device]:
        return {tag: self.devices[tag] for tag in set(tags) if tag in self.devices}

    def locations(self) -> list[Location]:
        return [loc for key, loc in sorted(self.places.items()) if loc.devices]

    def in_location(self, key: str) -> list[Device]:
        found = [d for d in self.devices.values() if d.active and d.location_key == key]
        return sorted(found, key=_register_order)

    def retired(self) -> list[Device]:
        return sorted((d for d in self.devices.values() if not d.active), key=_register_order)

    def write(self, devices: Sequence[Device], locations: Sequence[Location]) -> None:
        with self.guard:
            self.devices.update((device.tag, device) for device in devices)
            self.places.update((loc.key, loc) for loc in locations)

    def lock(self, holder: str, now: datetime, until: datetime) -> bool:
        with self.guard:
            if self.lock_state is not None and not self.lock_state[1] < now:
                return False
            self.lock_state = (holder, until)
            return True

    def unlock(self, holder: str) -> None:
        with self.guard:
            if self.lock_state is not None and self.lock_state[0] == holder:
                self.lock_state = None

    def tickets_of(
        self, tag: str, *, since: datetime | None = None, limit: int | None = None
    ) -> list[Ticket]:
        if not is_device_tag(tag):
            return []
        found = [
            ticket
            for ticket in self.tickets.tickets.values()
            if ticket.asset_tag == tag and (since is None or ticket.created_at > since)
        ]
        found.sort(key=lambda t: (t.created_at, t.number), reverse=True)
        return found[:limit] if limit is not None else found
