"""Benchmark: the sweep's cost must follow the due tickets, not the size of the table.

Loads N closed tickets, 200 open ones of which 20 are overdue, runs one sweep, and prints
the DynamoDB calls it made and the items it read; then again with ten times the closed
tickets. Run: ``.venv/bin/python bench/sweep/run.py`` (about two minutes, moto in-process).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.update(
    AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="ap-southeast-3"
)

from botocore.client import BaseClient
from moto import mock_aws
from tests.support import VALID_TICKET, MemoryTransport, make_services

from tiket.adapters.clock import FixedClock
from tiket.domain import lifecycle
from tiket.domain.model import Requester
from tiket.local_moto import patch_moto

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=WIB)
OPEN, OVERDUE = 200, 20


class Meter:
    """Counts DynamoDB calls and the items they returned."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.items_read = 0
        self.on = False

    def install(self) -> None:
        original = BaseClient._make_api_call
        meter = self

        def metered(client, operation, params):
            response = original(client, operation, params)
            if meter.on and client.meta.service_model.service_name == "dynamodb":
                meter.calls[operation] += 1
                meter.items_read += response.get("Count", 1 if response.get("Item") else 0)
            return response

        BaseClient._make_api_call = metered


def ticket(number: int, created: datetime, services):
    requester = Requester(VALID_TICKET["name"], VALID_TICKET["email"], "TU", "R101")
    return lifecycle.open_ticket(
        number=f"TIK-2026-{number:06d}",
        requester=requester,
        category="hardware",
        subject=f"Kendala {number}",
        description="bench",
        asset_tag=None,
        now=created,
        clock=services.step_clock,
    ).ticket


def load(services, closed: int) -> None:
    def rows():
        for n in range(1, closed + 1):
            created = NOW - timedelta(days=30 + n % 300)
            yield replace(ticket(n, created, services), status="closed", closed_at=created)
        for n in range(closed + 1, closed + OPEN + 1):
            overdue = n <= closed + OVERDUE
            created = NOW - timedelta(minutes=30 if overdue else 0)
            yield replace(ticket(n, created, services), notified_at=created)

    services.uow.import_tickets(rows())


def run(closed: int, meter: Meter) -> dict:
    with mock_aws():
        services = make_services(clock=FixedClock(NOW), transport=MemoryTransport())
        started = time.monotonic()
        load(services, closed)
        loaded = time.monotonic() - started
        meter.calls.clear()
        meter.items_read = 0
        meter.on = True
        started = time.monotonic()
        report = services.sweep.run()
        elapsed = time.monotonic() - started
        meter.on = False
        return {
            "closed": closed,
            "load_s": loaded,
            "breaches": report.breaches,
            "calls": sum(meter.calls.values()),
            "by_op": dict(meter.calls),
            "items_read": meter.items_read,
            "sweep_s": elapsed,
        }


def main() -> None:
    logging.getLogger("tiket").setLevel(logging.ERROR)  # figures only
    patch_moto()
    meter = Meter()
    meter.install()
    results = [run(closed, meter) for closed in (10_000, 100_000)]
    print(f"open tickets {OPEN}, overdue {OVERDUE}; one sweep at {NOW.isoformat()}")
    print(
        f"{'closed':>8} {'breaches':>8} {'ddb calls':>9} {'items read':>10} {'sweep s':>8}  calls"
    )
    for r in results:
        print(
            f"{r['closed']:>8} {r['breaches']:>8} {r['calls']:>9} {r['items_read']:>10} "
            f"{r['sweep_s']:>8.2f}  {r['by_op']}"
        )
    small, big = results
    print(
        f"ratio 100k/10k: calls {big['calls'] / small['calls']:.2f}, "
        f"items read {big['items_read'] / small['items_read']:.2f} (flat = 1.00)"
    )


if __name__ == "__main__":
    main()
