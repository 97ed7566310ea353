"""The operations of devices (PRODUCT.md §15): the public lookup and search, the import, the
label sheets, a ticket's device and the devices that fail most."""

from __future__ import annotations

from tiket.web.assets import IMPORT_MAX_BYTES
from tiket.web.openapi.helpers import STRING, ok, operation, path_param, ref

# A tag as printed or typed: digits with dots (3100102001.12, 3.10.01.02.001.12).
TAG = {"type": "string", "pattern": "^[0-9][0-9.]{0,99}$", "minLength": 1, "maxLength": 100}
# Longer keys than any location are read as their first 100 characters (no such location).
LOCATION_KEY = {"type": "string", "minLength": 1}


def asset_paths(period: list[dict]) -> dict[str, dict]:
    devices = ("devices",)
    location = {
        "name": "location",
        "in": "query",
        "required": True,
        "schema": LOCATION_KEY,
        "description": "A location key, from `GET /api/assets/locations`",
    }
    return {
        "/api/assets/locations": {
            "get": operation(
                "assetLocations",
                "Locations holding active devices (for the request form and the labels)",
                {200: ok("The locations", ref("LocationList"))},
                (429,),
                tags=devices,
            )
        },
        "/api/assets": {
            "get": operation(
                "searchAssets",
                "Active devices of one location whose name, brand/type or tag hold every "
                "word of `q` (at most 50; never the holder)",
                {200: ok("The devices", ref("DeviceList"))},
                (400, 429),
                parameters=[
                    location,
                    {"name": "q", "in": "query", "required": False, "schema": STRING},
                ],
                tags=devices,
            )
        },
        "/api/assets/{tag}": {
            "get": operation(
                "asset",
                "The device a QR label (or a typed tag, in any BMN spelling) names, as its "
                "label shows it",
                {200: ok("The device", ref("DeviceView"))},
                (404, 429),
                parameters=[path_param("tag", TAG, "The asset tag", example="3100203003.1")],
                tags=devices,
            )
        },
        "/api/staff/assets/import": {
            "post": operation(
                "importAssets",
                "Import the unit's BMN list (admin). Every row is checked first: a file that "
                "cannot be read, or any refused row (unless `skip_refused`), writes nothing "
                f"and answers 422 with the report. At most {IMPORT_MAX_BYTES // 2**20} MB; "
                "use `tiket assets import FILE` for bigger files.",
                {
                    200: ok("Imported, or (mode=check) what importing would do", ref("ImportView")),
                    422: ok("Nothing could be imported: the report says why", ref("ImportView")),
                },
                (400, 409, 413, 415),
                body={
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {
                                    "file": {
                                        "type": "string",
                                        "format": "binary",
                                        "description": "The list as .xlsx or .csv",
                                    },
                                    "mode": {"type": "string", "enum": ["import", "check"]},
                                    "skip_refused": {"type": "string", "enum": ["0", "1"]},
                                    "keep_absent": {
                                        "type": "string",
                                        "enum": ["0", "1"],
                                        "description": "A partial list: devices it lacks "
                                        "stay active (else they are retired)",
                                    },
                                },
                            }
                        }
                    },
                },
                signed_in=True,
                tags=devices,
            )
        },
        "/api/staff/assets/labels.pdf": {
            "get": operation(
                "assetLabels",
                "The QR label sheet (PDF) of a location's active devices (admin, tik)",
                {
                    200: {
                        "description": "The PDF, as a download",
                        "content": {"application/pdf": {"schema": STRING}},
                    }
                },
                (400, 404),
                signed_in=True,
                parameters=[
                    location,
                    {
                        "name": "layout",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["a4-24", "l7160"]},
                        "description": "A4 24 labels 70 × 37 mm (default), or Avery L7160",
                    },
                    {
                        "name": "skip",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "pattern": "^[0-9]{1,2}$"},
                        "description": "Positions already used on the first sheet",
                    },
                ],
                tags=devices,
            )
        },
        "/api/staff/tickets/{number}/device": {
            "get": operation(
                "ticketDevice",
                "The ticket's device, its other tickets and whether it fails repeatedly",
                {200: ok("The device", ref("DeviceHistoryView"))},
                (404,),
                signed_in=True,
                parameters=[
                    path_param("number", STRING, "The ticket number", example="TIK-2026-000001")
                ],
                tags=devices,
            )
        },
        "/api/reports/devices": {
            "get": operation(
                "reportDevices",
                "The devices and categories that fail most, per location, in a period",
                {200: ok("The ranking", ref("DeviceFailures"))},
                (400,),
                signed_in=True,
                parameters=period,
                tags=("reports",),
            )
        },
    }
