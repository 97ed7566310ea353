"""The device register (PRODUCT.md §15): importing the unit's BMN list, label sheets per
location, and what the public request form may know of a device.

An import reads the whole file and validates every row before anything is written: a file
that cannot be read, or (by default) any refused row, writes nothing and answers the report.
A re-import puts only new and changed devices (a device is its tag: never duplicated),
retires the devices a complete list no longer holds (kept with their tickets), and counts the
locations again. One import runs at a time (a lock in the store).

Reading files and drawing labels are adapters, handed in (``tiket.adapters.asset_files``:
``read_sheet`` and ``LabelSheets``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO, Protocol

from tiket.domain.assets import (
    Asset,
    ImportRefused,
    ImportReport,
    SheetRow,
    normalise_tag,
    read_assets,
)
from tiket.domain.devices import Device, DevicePlan, Location, matches, plan_devices, search_words
from tiket.domain.errors import Conflict, NotFound, ValidationFailed
from tiket.domain.text import Msg
from tiket.messages import t
from tiket.services.asset_ports import AssetStore
from tiket.services.ports import Clock

# Longer than any import takes; a lock left by a crashed run frees itself after it.
LOCK_TIME = timedelta(minutes=15)
SEARCH_LIMIT = 50
QUERY_MAX = 100


class LabelDrawer(Protocol):
    @property
    def per_page(self) -> Mapping[str, int]:
        """Labels per sheet of each layout, by name; the first is the default."""
        ...

    def draw(
        self, assets: Sequence[Asset], layout: str, *, caption: str, skip: int, title: str
    ) -> bytes: ...


@dataclass(frozen=True)
class ImportResult:
    """What an import did. ``refusal``: the whole file refused (nothing else is set);
    ``plan``: what was (or, for a check, would be) written, None when rows refused it."""

    written: bool
    dry_run: bool
    refusal: ImportRefused | None = None
    report: ImportReport | None = None
    plan: DevicePlan | None = None
    skipped_refused: bool = False
    kept_absent: bool = False
    empty: bool = False  # a header and no device row: refused like a bad file


@dataclass(frozen=True)
class LabelSheet:
    filename: str
    body: bytes


class AssetService:
    def __init__(
        self,
        store: AssetStore,
        clock: Clock,
        read_rows: Callable[[BinaryIO], Iterable[SheetRow]],
        labels: LabelDrawer,
    ):
        self.store = store
        self.clock = clock
        self.read_rows = read_rows
        self.labels_of = labels

    # --- import ------------------------------------------------------------------------------

    def import_file(
        self,
        stream: BinaryIO,
        *,
        skip_refused: bool = False,
        keep_absent: bool = False,
        dry_run: bool = False,
    ) -> ImportResult:
        """Validate the whole file, then write its plan (unless ``dry_run``). Rows refused:
        nothing written, unless ``skip_refused`` (then nothing is retired either).
        ``keep_absent``: a partial list, whose missing devices stay active."""
        holder = uuid.uuid4().hex
        now = self.clock.now()
        if not self.store.lock(holder, now, now + LOCK_TIME):
            raise Conflict(Msg("assets.import.busy"))
        try:
            try:
                report = read_assets(self.read_rows(stream))
            except ImportRefused as refused:
                return ImportResult(written=False, dry_run=dry_run, refusal=refused)
            if not report.assets:
                return ImportResult(written=False, dry_run=dry_run, report=report, empty=True)
            if report.refused and not skip_refused:
                return ImportResult(written=False, dry_run=dry_run, report=report)
            plan = plan_devices(
                self.known(),
                report.assets,
                now,
                self.store.locations(),
                retire_absent=not (report.refused or keep_absent),
            )
            if not dry_run:
                self.store.write(plan.puts, plan.locations)
            return ImportResult(
                written=not dry_run,
                dry_run=dry_run,
                report=report,
                plan=plan,
                skipped_refused=bool(report.refused),
                kept_absent=keep_absent,
            )
        finally:
            self.store.unlock(holder)

    def known(self) -> dict[str, Device]:
        """Every device of the register, retired ones included, by tag."""
        devices = {d.tag: d for d in self.store.retired()}
        for location in self.store.locations():
            devices.update((d.tag, d) for d in self.store.in_location(location.key))
        return devices

    # --- locations and labels ----------------------------------------------------------------

    def locations(self) -> list[Location]:
        return self.store.locations()

    def in_location(self, key: str) -> tuple[Location, list[Device]]:
        location = next((loc for loc in self.store.locations() if loc.key == key), None)
        devices = self.store.in_location(key) if location is not None else []
        if location is None or not devices:
            raise NotFound(Msg("assets.location.unknown"))
        return location, devices

    def labels(self, key: str, layout: str | None = None, skip: int | str | None = 0) -> LabelSheet:
        """One PDF sheet (or several pages) of QR labels for the active devices of a location."""
        per_page = self.labels_of.per_page
        chosen = layout or next(iter(per_page))
        if chosen not in per_page:
            choices = ", ".join(per_page)
            raise ValidationFailed({"layout": Msg("assets.label.layout", {"choices": choices})})
        first = self._skip(skip, per_page[chosen])
        location, devices = self.in_location(key)
        name = location.name or t("assets.location.none")
        body = self.labels_of.draw(
            [device.asset for device in devices],
            chosen,
            caption=t("assets.label.caption"),
            skip=first,
            title=t("assets.label.title", location=name),
        )
        return LabelSheet(f"label-bmn-{location.key}.pdf", body)

    @staticmethod
    def _skip(value: int | str | None, per_page: int) -> int:
        text = str(value if value is not None else 0).strip() or "0"
        if not (text.isascii() and text.isdigit()) or int(text) >= per_page:
            raise ValidationFailed({"skip": Msg("assets.label.skip", {"max": per_page - 1})})
        return int(text)

    # --- the public side: a device by its tag, and a search for the form ----------------------

    def lookup(self, typed: str) -> Device:
        """The device a label's tag (or a typed one, in any BMN spelling) names."""
        tag = normalise_tag(typed[:QUERY_MAX])
        device = self.store.get(tag) if tag else None
        if device is None:
            raise NotFound(Msg("assets.unknown", {"tag": typed[:QUERY_MAX]}))
        return device

    def search(self, location: str | None, text: str | None) -> list[Device]:
        """Active devices of one location whose name, brand/type or tag hold every word of
        ``text``. A location is required: the register is read per location (one Query),
        never as a whole."""
        if not location:
            raise ValidationFailed({"location": Msg("assets.location.required")})
        words = search_words((text or "")[:QUERY_MAX])
        devices = self.store.in_location(location[:QUERY_MAX])
        return [d for d in devices if matches(d.asset, words)][:SEARCH_LIMIT]
