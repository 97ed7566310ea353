"""Devices as JSON (PRODUCT.md §15), each answer a ``TypedDict`` the OpenAPI document takes
its schema from. The public views never carry the holder: a device is shown to anonymous
users as its label shows it (name, brand/type, location, tag)."""

from __future__ import annotations

from datetime import tzinfo
from typing import NotRequired  # pydantic reads it on Python 3.11

from typing_extensions import TypedDict  # pydantic reads it on Python 3.11

from tiket.domain.assets import FileRefusal, ImportRefused, Refusal
from tiket.domain.devices import Device, Location
from tiket.messages import CATEGORIES, label, t
from tiket.services.assets import ImportResult
from tiket.services.device_history import DeviceRecord, FailureReport
from tiket.services.views import IsoTime, TicketSummary, iso, ticket_summary


class DeviceView(TypedDict):
    tag: str
    name: str
    brand_type: str
    location: str
    location_key: str
    retired: bool


class StaffDeviceView(DeviceView):
    kode_barang: str
    nup: int
    holder: str


class LocationView(TypedDict):
    key: str
    name: str
    devices: int


class LocationList(TypedDict):
    locations: list[LocationView]


class DeviceList(TypedDict):
    devices: list[DeviceView]
    count: int


class RefusedRow(TypedDict):
    row: int
    code: str
    message: str


class FileProblem(TypedDict):
    code: str
    message: str


class ImportView(TypedDict):
    error: NotRequired[str]  # "import_refused" on a 422: nothing could be imported
    imported: bool  # the register was written
    dry_run: bool
    message: str  # what happened, in one sentence
    summary: str | None  # the counts, in words
    notes: list[str]
    file_error: FileProblem | None
    header_row: int | None
    columns: dict[str, str]  # field -> the column header it was read from
    ignored_rows: int
    accepted: int
    added: int
    changed: int
    restored: int
    unchanged: int
    retired: int
    locations: int
    refused: list[RefusedRow]


class DeviceHistoryView(TypedDict):
    tag: str | None  # the ticket's device tag (canonical), None when it names none
    device: StaffDeviceView | None  # None: a tag the register does not know
    repeat_count: int | None  # the flag as it stood when the ticket was filed
    repeat: bool  # a repeat failure now
    recent: int  # its tickets in the window now
    window_days: int
    threshold: int
    tickets: list[TicketSummary]  # its other tickets, newest first
    more: bool


class CategoryCount(TypedDict):
    code: str
    label: str
    count: int


class FailingDevice(TypedDict):
    tag: str
    name: str | None  # None: not in the register
    brand_type: str | None
    tickets: int
    last: IsoTime | None
    categories: list[CategoryCount]


class FailingLocation(TypedDict):
    key: str
    name: str
    tickets: int
    devices: list[FailingDevice]
    categories: list[CategoryCount]


# The period as the reports' summary shows it ("from" is a keyword: the functional form).
PeriodView = TypedDict(
    "PeriodView", {"kind": str, "key": str, "from": str, "to": str, "label": str}
)


class DeviceFailures(TypedDict):
    period: PeriodView
    tickets: int
    locations: list[FailingLocation]


def device_view(device: Device, lang: str) -> DeviceView:
    asset = device.asset
    return {
        "tag": asset.tag,
        "name": asset.name,
        "brand_type": asset.brand_type,
        "location": asset.location or t("assets.location.none", lang),
        "location_key": device.location_key,
        "retired": not device.active,
    }


def staff_device_view(device: Device, lang: str) -> StaffDeviceView:
    asset = device.asset
    return {
        **device_view(device, lang),
        "kode_barang": asset.kode_barang,
        "nup": asset.nup,
        "holder": asset.holder,
    }


def location_view(location: Location, lang: str) -> LocationView:
    name = location.name or t("assets.location.none", lang)
    return {"key": location.key, "name": name, "devices": location.devices}


def _file_error(refusal: ImportRefused, lang: str) -> FileProblem:
    params = dict(refusal.params)
    if refusal.code is FileRefusal.HEADER_NOT_FOUND:
        missing = params.get("missing", ())
        fields = missing if isinstance(missing, tuple) else (str(missing),)
        params["missing"] = ", ".join(t(f"assets.field.{name}", lang) for name in fields)
    return {"code": refusal.code, "message": t(f"assets.file.{refusal.code}", lang, **params)}


def _refused_row(refusal: Refusal, lang: str) -> RefusedRow:
    text = t(f"assets.row.{refusal.code}", lang, **refusal.params)
    return {"row": refusal.row, "code": refusal.code, "message": text}


def import_view(result: ImportResult, lang: str) -> ImportView:
    report, plan = result.report, result.plan
    refused = [_refused_row(r, lang) for r in report.refused] if report else []
    accepted = len(report.assets) if report else 0
    added, changed, restored, unchanged, retired = (
        (plan.added, plan.changed, plan.restored, plan.unchanged, plan.retired)
        if plan
        else (0, 0, 0, 0, 0)
    )
    file_error = None
    if result.refusal is not None:
        file_error = _file_error(result.refusal, lang)
    elif result.empty:
        file_error = {"code": "no_devices", "message": t("assets.import.no_devices", lang)}
    if file_error is not None:
        message = f"{file_error['message']} {t('assets.import.nothing_written', lang)}"
    elif plan is None:
        message = t("assets.import.rows_refused", lang)
    elif result.dry_run:
        message = t("assets.import.checked", lang)
    else:
        message = t("assets.import.done", lang)
    notes = []
    if result.skipped_refused:
        notes.append(t("assets.import.skipped", lang))
    if result.kept_absent:
        notes.append(t("assets.import.kept_absent", lang))
    if not result.written and plan is None:
        notes.append(t("assets.import.nothing_written", lang))
    summary = None
    if report is not None and not result.empty:
        summary = t(
            "assets.import.summary",
            lang,
            accepted=accepted,
            added=added,
            changed=changed,
            restored=restored,
            unchanged=unchanged,
            retired=retired,
            refused=len(refused),
        )
    return {
        "imported": result.written,
        "dry_run": result.dry_run,
        "message": message,
        "summary": summary,
        "notes": notes if file_error is None else [],
        "file_error": file_error,
        "header_row": report.header_row if report else None,
        "columns": dict(report.columns) if report else {},
        "ignored_rows": report.ignored_rows if report else 0,
        "accepted": accepted,
        "added": added,
        "changed": changed,
        "restored": restored,
        "unchanged": unchanged,
        "retired": retired,
        "locations": sum(1 for loc in plan.locations if loc.devices) if plan else 0,
        "refused": refused,
    }


def history_view(record: DeviceRecord, zone: tzinfo, lang: str) -> DeviceHistoryView:
    return {
        "tag": record.tag,
        "device": staff_device_view(record.device, lang) if record.device else None,
        "repeat_count": record.ticket.repeat_count,
        "repeat": record.repeat,
        "recent": record.recent,
        "window_days": record.window_days,
        "threshold": record.threshold,
        "tickets": [ticket_summary(other, zone, lang) for other in record.others],
        "more": record.more,
    }


def _categories(counts: tuple[tuple[str, int], ...], lang: str) -> list[CategoryCount]:
    return [
        {"code": code, "label": label(CATEGORIES, code, lang), "count": count}
        for code, count in counts
    ]


def failures_view(report: FailureReport, zone: tzinfo, lang: str) -> DeviceFailures:
    period = report.period
    locations: list[FailingLocation] = []
    for place in report.locations:
        devices: list[FailingDevice] = []
        for entry in place.devices:
            known = report.devices.get(entry.tag)
            devices.append(
                {
                    "tag": entry.tag,
                    "name": known.asset.name if known else None,
                    "brand_type": known.asset.brand_type if known else None,
                    "tickets": entry.tickets,
                    "last": iso(entry.last, zone),
                    "categories": _categories(entry.categories, lang),
                }
            )
        name = report.names.get(place.location, "") or t("assets.location.none", lang)
        locations.append(
            {
                "key": place.location,
                "name": name,
                "tickets": place.tickets,
                "devices": devices,
                "categories": _categories(place.categories, lang),
            }
        )
    return {
        "period": {
            "kind": period.kind,
            "key": period.key,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "label": period.title(lang),
        },
        "tickets": report.tickets,
        "locations": locations,
    }
