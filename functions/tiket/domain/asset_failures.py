"""Devices that keep failing (PRODUCT.md §15): the *berulang* flag and the per-location ranking.
Pure: plain values in, plain values out; the clock is an argument.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

REPEAT_WINDOW_DAYS = 90
REPEAT_THRESHOLD = 3


def recent_tickets(created: Iterable[datetime], now: datetime, window_days: int) -> int:
    """How many of these ticket times fall in the ``window_days`` days up to ``now``
    (``now - window < t <= now``; later times, e.g. tickets filed after a report's date, are
    not counted). Times must be timezone-aware."""
    start = now - timedelta(days=window_days)
    return sum(1 for instant in created if start < instant <= now)


def repeat_flag(
    created: Iterable[datetime],
    now: datetime,
    window_days: int = REPEAT_WINDOW_DAYS,
    threshold: int = REPEAT_THRESHOLD,
) -> bool:
    """*Berulang*: the device has ``threshold`` or more tickets in the ``window_days`` days up
    to ``now``. ``created`` holds the creation times of all the device's tickets, the ticket
    being judged included (so the third ticket in 90 days is the first flagged)."""
    return recent_tickets(created, now, window_days) >= threshold


@dataclass(frozen=True)
class DeviceFailures:
    tag: str
    tickets: int
    last: datetime
    categories: tuple[tuple[str, int], ...]  # most frequent first


@dataclass(frozen=True)
class LocationFailures:
    location: str
    tickets: int
    devices: tuple[DeviceFailures, ...]  # most tickets first, at most ``limit``
    categories: tuple[tuple[str, int], ...]  # most frequent first, over all its devices


def failures_by_location(
    tickets: Iterable[tuple[str, str, str, datetime]],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 10,
) -> tuple[LocationFailures, ...]:
    """Rank devices by their tickets, per location. ``tickets`` are ``(tag, location, category,
    created_at)`` of tickets filed about a device; those outside ``since <= created_at <
    until`` are left out. Locations come most tickets first; ties are broken by name, devices'
    by their latest ticket (recent first) then tag, so the order is stable."""
    per_device: dict[tuple[str, str], list[tuple[str, datetime]]] = defaultdict(list)
    for tag, location, category, created in tickets:
        if (since is None or created >= since) and (until is None or created < until):
            per_device[(location, tag)].append((category, created))
    per_location: dict[str, list[DeviceFailures]] = defaultdict(list)
    for (location, tag), entries in per_device.items():
        per_location[location].append(
            DeviceFailures(
                tag=tag,
                tickets=len(entries),
                last=max(created for _, created in entries),
                categories=_ranked(Counter(category for category, _ in entries)),
            )
        )
    ranking = []
    for location, devices in per_location.items():
        devices.sort(key=lambda d: (-d.tickets, -d.last.timestamp(), d.tag))
        categories: Counter[str] = Counter()
        for device in devices:
            categories.update(dict(device.categories))
        ranking.append(
            LocationFailures(
                location=location,
                tickets=sum(device.tickets for device in devices),
                devices=tuple(devices[:limit]),
                categories=_ranked(categories),
            )
        )
    ranking.sort(key=lambda entry: (-entry.tickets, entry.location))
    return tuple(ranking)


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
