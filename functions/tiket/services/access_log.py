"""Who read which ticket's personal data, when, on which page (PRODUCT.md §14): recorded on
every staff read, kept as long as the personal data itself (TTL), read by ``admin`` by
ticket, by staff member or by day (never a Scan)."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from typing_extensions import TypedDict

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.errors import ValidationFailed
from tiket.domain.model import Staff
from tiket.domain.privacy import RetentionPolicy, add_months
from tiket.domain.text import Msg
from tiket.messages import t
from tiket.services import exports
from tiket.services.ports import Clock
from tiket.services.privacy_ports import MAX_LOG_DAYS, AccessEntry, PrivacyStore
from tiket.services.views import iso

VIEWS = ("staff_ticket", "action_page", "device_history", "export")
# An export of the ticket list is logged once, under this word and its period (or job id),
# not once per ticket: the staff member's and the day's partitions find it.
EXPORT_ENTRY = "ekspor"


class AccessRow(TypedDict):
    at: str | None
    staff: str
    role: str
    ticket: str
    view: str
    view_label: str


class AccessLogView(TypedDict):
    entries: list[AccessRow]
    count: int


class AccessLog:
    def __init__(
        self,
        privacy: PrivacyStore,
        clock: Clock,
        calendar: WorkingCalendar,
        policy: RetentionPolicy,
    ):
        self.privacy = privacy
        self.clock = clock
        self.calendar = calendar
        self.policy = policy

    def record(self, staff: Staff, numbers: list[str], view: str) -> None:
        """One entry per ticket read (``view`` one of ``VIEWS``)."""
        now = self.clock.now()
        # Kept as long as a closed ticket keeps its personal data, and then some.
        expires = add_months(now, self.policy.months + 1)
        for number in numbers:
            self.privacy.log_access(
                AccessEntry(uuid.uuid4().hex, now, staff.email, staff.role, number, view, expires)
            )

    def entries(
        self,
        lang: str,
        ticket: str | None = None,
        staff: str | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> AccessLogView:
        too_long = {
            name: Msg("field.too_long", {"max": cap})
            for name, value, cap in (("ticket", ticket, 32), ("staff", staff, 254))
            if value is not None and len(value) > cap
        }
        if too_long:
            raise ValidationFailed(too_long)
        first, last = self._period(start, end, whole=ticket is not None or staff is not None)
        found = self.privacy.access_log(
            first, last, ticket=ticket or None, staff=(staff or "").strip().lower() or None
        )
        zone = self.calendar.zone
        rows: list[AccessRow] = [
            {
                "at": iso(e.at, zone),
                "staff": e.staff,
                "role": e.role,
                "ticket": e.number,
                "view": e.view,
                "view_label": t(f"access.view.{e.view}", lang) if e.view in VIEWS else e.view,
            }
            for e in found
        ]
        return {"entries": rows, "count": len(rows)}

    def csv(self, view: AccessLogView, lang: str) -> bytes:
        """The entries as the ticket exports write CSV (for Excel, formula-safe)."""
        header = t("access.csv.header", lang).split(";")
        rows = [
            [row["at"], row["staff"], row["role"], row["ticket"], row["view_label"]]
            for row in view["entries"]
        ]
        return exports.csv_bytes([header, *rows])

    def _period(self, start: str | None, end: str | None, whole: bool) -> tuple[datetime, datetime]:
        """Days in the unit's time zone; by default the last 7 days. Without a ticket or a
        staff member, at most ``MAX_LOG_DAYS`` days (each day is one Query)."""
        zone = self.calendar.zone
        today = self.clock.now().astimezone(zone).date()
        fields: dict[str, Msg] = {}
        days = {}
        for name, value in (("from", start), ("to", end)):
            if value:
                try:
                    days[name] = datetime.strptime(value, "%Y-%m-%d").date()
                except ValueError:
                    fields[name] = Msg("access.date")
        if fields:
            raise ValidationFailed(fields)
        last = days.get("to", today)
        first = days.get("from", last - timedelta(days=6))
        if first > last or (not whole and (last - first).days > MAX_LOG_DAYS):
            raise ValidationFailed({"from": Msg("access.period", {"days": MAX_LOG_DAYS})})
        return (
            datetime.combine(first, time.min, zone),
            datetime.combine(last, time.max, zone),
        )
