"""What TIKet remembers of a device's troubles (PRODUCT.md §15): the tag a new ticket records
and whether the device has become a repeat failure (*berulang*), the device's tickets for the
staff ticket page, and the devices that fail most, per location, for reports.

Tickets of a device are read through the ``asset`` index, those of a period through the
``month`` index: never a Scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from tiket.domain.asset_failures import (
    REPEAT_THRESHOLD,
    REPEAT_WINDOW_DAYS,
    LocationFailures,
    failures_by_location,
    recent_tickets,
    repeat_flag,
)
from tiket.domain.assets import normalise_tag
from tiket.domain.devices import Device, is_device_tag, location_key
from tiket.domain.model import Ticket
from tiket.services.asset_ports import AssetStore
from tiket.services.ports import Clock, TicketQueries
from tiket.services.reports import Period

HISTORY_LIMIT = 20
# Devices listed per location in the report.
RANKED_DEVICES = 10


@dataclass(frozen=True)
class DeviceRecord:
    """A ticket's device as staff see it: the register's entry (None when the tag is not in
    it), the device's other tickets (newest first) and its tickets in the repeat window now."""

    ticket: Ticket
    tag: str | None
    device: Device | None
    others: tuple[Ticket, ...]
    more: bool  # more tickets than listed
    recent: int
    repeat: bool  # a repeat failure now
    window_days: int
    threshold: int


@dataclass(frozen=True)
class FailureReport:
    period: Period
    locations: tuple[LocationFailures, ...]
    devices: dict[str, Device]  # the register's entries of the ranked tags
    names: dict[str, str]  # location key -> name
    tickets: int


class DeviceHistory:
    def __init__(
        self,
        store: AssetStore,
        queries: TicketQueries,
        clock: Clock,
        zone: tzinfo,
        window_days: int = REPEAT_WINDOW_DAYS,
        threshold: int = REPEAT_THRESHOLD,
    ):
        self.store = store
        self.queries = queries
        self.clock = clock
        self.zone = zone
        self.window_days = window_days
        self.threshold = threshold

    def at_filing(self, typed: str | None, now: datetime) -> tuple[str | None, int | None]:
        """The tag a new ticket records (canonical when the text is a BMN tag, else as typed)
        and, when the device reaches the repeat threshold with this ticket, its tickets in
        the window (this one included): the *berulang* flag, kept on the ticket."""
        if not typed:
            return None, None
        tag = normalise_tag(typed)
        if tag is None:
            return typed, None
        since = now - timedelta(days=self.window_days)
        created = [t.created_at for t in self.store.tickets_of(tag, since=since)] + [now]
        if not repeat_flag(created, now, self.window_days, self.threshold):
            return tag, None
        return tag, recent_tickets(created, now, self.window_days)

    def of_ticket(self, ticket: Ticket) -> DeviceRecord:
        tag = ticket.asset_tag if is_device_tag(ticket.asset_tag) else None
        if tag is None:
            return DeviceRecord(
                ticket, None, None, (), False, 0, False, self.window_days, self.threshold
            )
        now = self.clock.now()
        # One more than shown, and this ticket itself: enough to know whether more exist.
        listed = self.store.tickets_of(tag, limit=HISTORY_LIMIT + 2)
        others = [t for t in listed if t.number != ticket.number]
        window = self.store.tickets_of(tag, since=now - timedelta(days=self.window_days))
        recent = recent_tickets((t.created_at for t in window), now, self.window_days)
        return DeviceRecord(
            ticket,
            tag,
            self.store.get(tag),
            tuple(others[:HISTORY_LIMIT]),
            len(others) > HISTORY_LIMIT,
            recent,
            recent >= self.threshold,
            self.window_days,
            self.threshold,
        )

    def failures(self, period: Period) -> FailureReport:
        """Devices and categories that fail most per location, for tickets filed within
        ``period`` (days in the unit's zone). A device's location is the register's; a tag
        the register does not know is placed where its ticket said."""
        filed = [
            ticket
            for year, month in period.months()
            for ticket in self.queries.of_month(year, month)
            if is_device_tag(ticket.asset_tag)
            and period.start <= ticket.created_at.astimezone(self.zone).date() <= period.end
        ]
        devices = self.store.get_many({t.asset_tag for t in filed if t.asset_tag})
        names = {loc.key: loc.name for loc in self.store.locations()}
        rows = []
        for ticket in filed:
            tag = ticket.asset_tag or ""
            device = devices.get(tag)
            place = device.asset.location if device else ticket.requester.location
            key = location_key(place)
            names.setdefault(key, place)
            rows.append((tag, key, ticket.category, ticket.created_at))
        ranked = failures_by_location(rows, limit=RANKED_DEVICES)
        return FailureReport(period, ranked, devices, names, len(filed))
