"""Benchmark of the device register on DynamoDB (moto, in-process): what an import, a ticket
about a device and the failure report cost in DynamoDB calls, and how long they take here.

1. Importing a list of ``--rows`` devices into an empty register, then the same list again
   (nothing to write), then the list with every tenth device moved to another room.
2. Filing a ticket about a device: the one extra Query of the repeat-failure check.
3. The devices that fail most in a month of ``--tickets`` tickets (a third about a device).

moto answers in-process, so the times measure TIKet's own work plus moto's; the call counts
are what DynamoDB would see (its latency is a few milliseconds per call from Lambda).

    .venv/bin/python bench/device_register/run.py [--rows 5000] [--tickets 2000]
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the sample files in tests/
os.environ.update(dict.fromkeys(("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"), "testing"))
os.environ["AWS_DEFAULT_REGION"] = "ap-southeast-3"
for name in [n for n in os.environ if n.startswith("TIKET_")]:
    del os.environ[name]

from botocore.client import BaseClient
from moto import mock_aws
from tests.fixtures.bmn import files
from tests.support import VALID_TICKET, MemoryTransport, make_services

from tiket.adapters.clock import FixedClock
from tiket.domain import lifecycle
from tiket.domain.model import Requester
from tiket.local_moto import patch_moto

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 11, 2, 8, 0, tzinfo=WIB)
calls: Counter[str] = Counter()
_original = BaseClient._make_api_call


def _counting(self, operation_name, api_params):
    calls[operation_name] += 1
    return _original(self, operation_name, api_params)


def run(label: str, work: Callable[[], object]) -> object:
    calls.clear()
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    counted = ", ".join(f"{name} {n}" for name, n in sorted(calls.items()))
    print(f"| {label} | {seconds:.2f} s | {counted} |")
    return result


def moved(rows: list[list[object]]) -> bytes:
    changed = [list(row) for row in rows]
    for index in range(3, len(changed), 10):  # every tenth device (rows 0-2: title, header)
        changed[index][5] = "Ruang Baru"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(changed)
    return buffer.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--tickets", type=int, default=2000)
    args = parser.parse_args()
    patch_moto()
    logging.getLogger("tiket").setLevel(logging.WARNING)
    BaseClient._make_api_call = _counting
    with mock_aws():
        clock = FixedClock(START)
        services = make_services(clock, MemoryTransport())
        data = files.generated_csv(args.rows)
        print("| measure | time | DynamoDB calls |")
        print("|---|---|---|")
        run(
            f"import {args.rows:,} devices, empty register",
            lambda: services.assets.import_file(io.BytesIO(data)),
        )
        run(
            f"the same {args.rows:,} again (nothing to write)",
            lambda: services.assets.import_file(io.BytesIO(data)),
        )
        changed = moved(files.generated_rows(args.rows))
        run(
            f"{args.rows // 10:,} of them moved to another room",
            lambda: services.assets.import_file(io.BytesIO(changed)),
        )
        tag = "3100102001.1"
        run(
            "file a ticket about a device",
            lambda: services.intake.file({**VALID_TICKET, "asset_tag": tag}),
        )
        run(
            "file a ticket without a device",
            lambda: services.intake.file(dict(VALID_TICKET)),
        )
        # A month of tickets, bulk-loaded (the unit of work's import: no emails, no checks).
        tags = [f"{files.KODES[n % 6]}.{n // 6 + 1}" for n in range(args.rows)]
        requester = Requester("Ana", "ana@example.go.id", "TU", "Ruang 1")
        month = [
            lifecycle.open_ticket(
                number=f"TIK-2026-9{n:05d}",
                requester=requester,
                category=("hardware", "network", "software")[n % 3],
                subject="Kendala",
                description="Uraian",
                asset_tag=tags[(n * 7) % len(tags)] if n % 3 == 0 else "BMN lama",
                now=START + timedelta(minutes=10 * n),
                clock=services.step_clock,
            ).ticket
            for n in range(args.tickets)
        ]
        services.uow.import_tickets(month)
        period = services.reports.period("2026-11")
        run(
            f"devices that fail most, a month of {args.tickets:,} tickets",
            lambda: services.devices.failures(period),
        )


if __name__ == "__main__":
    main()
