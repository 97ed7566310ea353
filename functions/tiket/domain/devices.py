"""The unit's devices as TIKet keeps them (PRODUCT.md §15): a BMN ``Asset`` with its place in
the register (active or retired) and the locations they are grouped by. Pure.

An import (``tiket.domain.assets.read_assets``) says what the asset list holds now; ``plan_devices``
turns it into the writes that bring the register there: new and changed devices are put,
devices missing from a full list are retired (kept, with their tickets, never deleted), a
retired device listed again comes back, and every location gets its device count again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from tiket.domain.assets import Asset, normalise_tag, plan_import

# The key of a device without a location: "_" is never a slug (slugs hold [a-z0-9-] only).
NO_LOCATION = "_"


def is_device_tag(text: str | None) -> bool:
    """A tag in its canonical spelling (``3100102001.12``): what a ticket is indexed by."""
    return bool(text) and normalise_tag(text or "") == text


def location_key(text: str) -> str:
    """The key a location is grouped and linked by: ``"Ruang Rapat 2"`` → ``"ruang-rapat-2"``.
    Case, accents, spacing and punctuation do not split a room in two. A name with no
    latin letter or digit keys by a digest of its folded text."""
    folded = unicodedata.normalize("NFKD", " ".join(text.split())).casefold()
    if not folded:
        return NO_LOCATION
    slug = re.sub(r"[^a-z0-9]+", "-", folded.encode("ascii", "ignore").decode()).strip("-")
    return slug or "x-" + hashlib.sha256(folded.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Device:
    """An asset of the register. ``retired_at``: when an import found it missing from the list."""

    asset: Asset
    updated_at: datetime
    retired_at: datetime | None = None

    @property
    def tag(self) -> str:
        return self.asset.tag

    @property
    def location_key(self) -> str:
        return location_key(self.asset.location)

    @property
    def active(self) -> bool:
        return self.retired_at is None


@dataclass(frozen=True)
class Location:
    key: str
    name: str  # the spelling most of its devices carry ("" for devices without a location)
    devices: int  # active devices; 0 once the last one moved away or was retired


@dataclass(frozen=True)
class DevicePlan:
    """What an import writes. Counts are of devices (tags); ``puts`` holds every device item to
    write and ``locations`` every location item, those left empty with 0 devices."""

    added: int
    changed: int
    restored: int  # retired devices listed again
    unchanged: int
    retired: int
    puts: tuple[Device, ...]
    locations: tuple[Location, ...]

    @property
    def writes(self) -> int:
        return len(self.puts) + len(self.locations)


def plan_devices(
    known: Mapping[str, Device],
    incoming: Sequence[Asset],
    now: datetime,
    previous_locations: Iterable[Location],
    *,
    retire_absent: bool,
) -> DevicePlan:
    """``known``: every device of the register by tag, retired ones included; ``incoming``:
    the accepted assets of the file. ``retire_absent`` is for a complete list only: a partial
    import (rows refused and skipped) must not retire the devices of its refused rows."""
    active = {tag: device.asset for tag, device in known.items() if device.active}
    plan = plan_import(active, incoming)
    restored = [asset for asset in plan.added if asset.tag in known]
    retire = plan.absent if retire_absent else ()
    puts = [Device(asset, now) for asset in (*plan.added, *plan.changed)]
    puts += [replace(known[tag], retired_at=now, updated_at=now) for tag in retire]
    after = {tag: asset for tag, asset in active.items() if tag not in retire}
    after.update((asset.tag, asset) for asset in incoming)
    locations = _locations(after.values(), previous_locations)
    return DevicePlan(
        added=len(plan.added) - len(restored),
        changed=len(plan.changed),
        restored=len(restored),
        unchanged=plan.unchanged,
        retired=len(retire),
        puts=tuple(puts),
        locations=locations,
    )


def _locations(assets: Iterable[Asset], previous: Iterable[Location]) -> tuple[Location, ...]:
    spellings: dict[str, Counter[str]] = {}
    for asset in assets:
        spellings.setdefault(location_key(asset.location), Counter())[asset.location] += 1
    found = {
        key: Location(key, _most_common(names), sum(names.values()))
        for key, names in spellings.items()
    }
    emptied = {
        old.key: Location(old.key, old.name, 0)
        for old in previous
        if old.key not in found and old.devices
    }
    return tuple(sorted((*found.values(), *emptied.values()), key=lambda loc: loc.key))


def _most_common(names: Counter[str]) -> str:
    """The most frequent spelling; ties go to the first in text order, so the name is stable."""
    return min(names.items(), key=lambda item: (-item[1], item[0]))[0]


def matches(asset: Asset, words: Sequence[str]) -> bool:
    """Every word of a search appears in the device's name, brand/type or tag (the holder is
    never searched: it is not shown to the public)."""
    haystack = fold(f"{asset.name} {asset.brand_type} {asset.tag}")
    return all(word in haystack for word in words)


def search_words(text: str) -> list[str]:
    return fold(text).split()


def fold(text: str) -> str:
    """Case- and accent-blind text for searching."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
