"""Estimate presets (PRODUCT.md §12): the handling estimates staff pick most, in working
minutes of the unit's calendar.

"1 hari" is the shortest office day of the configured hours (Mon–Thu 07:30–16:00 = 510
minutes with the defaults; Friday's longer day does not stretch it, so a day's estimate
never promises more working time than any single day holds); "½ hari" is half of it, rounded
down; "2 hari kerja" twice it (the default handling cap). Presets above the cap are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time

PRESET_CODES = ("min30", "hour1", "half_day", "day1", "days2")


def office_day_minutes(office_hours: Mapping[int, tuple[time, time]]) -> int:
    """The length of the shortest office day, in minutes."""
    day = datetime(2000, 1, 1)
    return min(
        int((datetime.combine(day, end) - datetime.combine(day, start)).total_seconds() // 60)
        for start, end in office_hours.values()
    )


def estimate_presets(office_hours: Mapping[int, tuple[time, time]], cap: int) -> dict[str, int]:
    """Preset code → working minutes, in the order shown, those within ``cap``."""
    day = office_day_minutes(office_hours)
    minutes = dict(zip(PRESET_CODES, (30, 60, day // 2, day, 2 * day), strict=True))
    return {code: value for code, value in minutes.items() if value <= cap}
