"""The port of the device register (PRODUCT.md §15): devices, their locations, the import
lock, and the tickets filed about a device. DynamoDB: ``tiket.adapters.dynamodb.assets``;
in memory: ``tiket.adapters.memory_assets``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from tiket.domain.devices import Device, Location
from tiket.domain.model import Ticket


class AssetStore(Protocol):
    def get(self, tag: str) -> Device | None:
        """A device by its canonical tag, retired or not."""
        ...

    def get_many(self, tags: Iterable[str]) -> dict[str, Device]:
        """The devices of these tags that exist, by tag."""
        ...

    def locations(self) -> list[Location]:
        """Locations holding at least one active device, by key."""
        ...

    def in_location(self, key: str) -> list[Device]:
        """The active devices of a location, by tag."""
        ...

    def retired(self) -> list[Device]: ...

    def write(self, devices: Sequence[Device], locations: Sequence[Location]) -> None:
        """Put these devices and locations as they are given (an import's plan). Written in
        chunks: a failure part-way leaves every item either as before or as given, and
        running the same import again completes it."""
        ...

    def lock(self, holder: str, now: datetime, until: datetime) -> bool:
        """Take the import lock until ``until``; False while another holder has it."""
        ...

    def unlock(self, holder: str) -> None: ...

    def tickets_of(
        self,
        tag: str,
        *,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[Ticket]:
        """Tickets filed about the device (canonical tag), newest first, those created after
        ``since`` only when it is given, through the ``asset`` index."""
        ...
