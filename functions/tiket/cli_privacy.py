"""``tiket privacy backfill``: the requester look-up and retention entries of tickets stored
before issue 17 (PRODUCT.md §14), month by month through the month index."""

from __future__ import annotations

from datetime import date
from typing import Any

from tiket.config import Settings
from tiket.domain.privacy import RetentionPolicy
from tiket.services.privacy_index import backfill


def add_commands(commands: Any) -> None:
    privacy = commands.add_parser("privacy", help="personal data (PRODUCT.md §14)")
    sub = privacy.add_subparsers(dest="privacy_command", required=True)
    fill = sub.add_parser(
        "backfill", help="look-up and retention entries for tickets filed before they existed"
    )
    fill.add_argument("--since", default="2020-01", help="first month, YYYY-MM (default 2020-01)")


def months(since: str, today: date) -> list[tuple[int, int]]:
    try:
        year, month = (int(part) for part in since.split("-"))
        date(year, month, 1)
    except ValueError:
        raise SystemExit(f"--since wants YYYY-MM, not {since!r}") from None
    found = []
    while (year, month) <= (today.year, today.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def run(args: Any, stores: Any, settings: Settings) -> int:
    policy = RetentionPolicy(settings.retention_months, settings.file_retention_months)
    count = backfill(stores.tickets, stores.privacy, policy, months(args.since, date.today()))
    print(f"{count} ticket(s) listed for the requester page and retention")
    return 0
