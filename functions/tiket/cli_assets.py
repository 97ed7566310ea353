"""``tiket assets``: the device register from a terminal (PRODUCT.md §15).

    tiket assets import FILE [--check] [--skip-refused] [--keep-absent] [--json]
    tiket assets locations
    tiket assets labels LOCATION [--layout a4-24|l7160] [--skip N] [--output FILE]

Like the staff commands it needs only the table (``TIKET_TABLE``, credentials, and for the
local stack ``TIKET_DYNAMODB_ENDPOINT`` as ``make run`` prints it). ``import`` prints the
report and exits 1 when nothing could be imported.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tiket.config import Settings

LANGUAGES = ("id", "en")


def add_commands(commands: Any) -> None:
    assets = commands.add_parser("assets", help="the device register (BMN list, QR labels)")
    sub = assets.add_subparsers(dest="assets_command", required=True)
    imports = sub.add_parser("import", help="import the BMN list (.xlsx or .csv)")
    imports.add_argument("file", type=Path)
    imports.add_argument("--check", action="store_true", help="report only; write nothing")
    imports.add_argument(
        "--skip-refused", action="store_true", help="import the good rows; retire nothing"
    )
    imports.add_argument(
        "--keep-absent", action="store_true", help="a partial list: retire nothing"
    )
    imports.add_argument("--json", action="store_true", help="the report as JSON")
    imports.add_argument("--lang", choices=LANGUAGES, default="id")
    sub.add_parser("locations", help="locations and their active devices")
    labels = sub.add_parser("labels", help="the QR label sheet (PDF) of a location")
    labels.add_argument("location", help="a location key (see `tiket assets locations`)")
    labels.add_argument("--layout", default=None, help="a4-24 (default) or l7160")
    labels.add_argument("--skip", default="0", help="positions already used on the first sheet")
    labels.add_argument("--output", "-o", type=Path, help="default: label-bmn-<location>.pdf")


def run(args: argparse.Namespace, stores: Any, settings: Settings) -> int:
    from tiket.adapters.asset_files import LabelSheets, read_sheet
    from tiket.adapters.clock import SystemClock
    from tiket.domain.errors import TiketError
    from tiket.messages import render
    from tiket.services.assets import AssetService

    labels = LabelSheets(settings.public_url, settings.unit_name)
    service = AssetService(stores.assets, SystemClock(), read_sheet, labels)
    try:
        if args.assets_command == "import":
            return _import(service, args)
        if args.assets_command == "locations":
            for location in service.locations():
                print(f"{location.key}\t{location.devices}\t{location.name}")
            return 0
        sheet = service.labels(args.location, args.layout, args.skip)
        target = args.output or Path(sheet.filename)
        target.write_bytes(sheet.body)
        print(f"{target} ({len(sheet.body):,} bytes)")
        return 0
    except TiketError as error:
        fields = getattr(error, "fields", {})
        texts = [render(msg) for msg in fields.values()] or [render(error.msg)]
        print("\n".join(texts), file=sys.stderr)
        return 1


def _import(service: Any, args: argparse.Namespace) -> int:
    from tiket.services.asset_views import import_view

    if not args.file.is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    with args.file.open("rb") as stream:
        result = service.import_file(
            stream,
            skip_refused=args.skip_refused,
            keep_absent=args.keep_absent,
            dry_run=args.check,
        )
    view = import_view(result, args.lang)
    if args.json:
        print(json.dumps(view, ensure_ascii=False, indent=2))
    else:
        print(report_text(view, args.lang))
    return 0 if result.plan is not None else 1


def report_text(view: Any, lang: str) -> str:
    from tiket.messages import t

    lines = [view["message"]]
    if view["summary"]:
        lines.append(view["summary"])
    lines += view["notes"]
    if view["columns"]:
        columns = ", ".join(
            f"{_field(field, lang)} ← '{header}'" for field, header in view["columns"].items()
        )
        lines.append(t("assets.report.header", lang, row=view["header_row"], columns=columns))
    for row in view["refused"]:
        lines.append("  " + t("assets.report.row", lang, row=row["row"], message=row["message"]))
    return "\n".join(lines)


def _field(name: str, lang: str) -> str:
    from tiket.messages import CATALOGUE, t

    key = f"assets.field.{name}"
    return t(key if key in CATALOGUE else "assets.field.brand_type", lang)
