"""The unit's working calendar: office hours, holidays and working-time arithmetic.

Pure domain code: standard library plus ``holidays`` only, and no clock access. Callers pass
the instants in; every instant must be timezone-aware.

Arithmetic runs on UTC instants while days are laid out in the calendar zone's wall time, so
working minutes are real elapsed minutes even across a DST change (Asia/Jakarta has none,
but an admin may configure another zone).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "EXTRA_CLOSED_DAY",
    "WorkingCalendar",
    "indonesian_holidays",
]

# Perpres 21/2023 pattern: 37.5 hours a week, Friday runs 30 minutes longer for the prayer break.
DEFAULT_OFFICE_HOURS: Mapping[int, tuple[time, time]] = MappingProxyType(
    {
        0: (time(7, 30), time(16, 0)),
        1: (time(7, 30), time(16, 0)),
        2: (time(7, 30), time(16, 0)),
        3: (time(7, 30), time(16, 0)),
        4: (time(7, 30), time(16, 30)),
    }
)

EXTRA_CLOSED_DAY = "Hari libur tambahan unit"

# Give up looking for working time after this many consecutive closed days, so a calendar
# with no working day at all raises instead of looping forever.
_MAX_CLOSED_RUN_DAYS = 3 * 366

_ONE_DAY = timedelta(days=1)
_ONE_MINUTE = timedelta(minutes=1)


@functools.lru_cache(maxsize=32)
def indonesian_holidays(year: int) -> dict[date, str]:
    """National holidays plus cuti bersama for ``year``. Cached: treat the result as read-only."""
    return dict(
        holidays.country_holidays(
            "ID", categories=("public", "government"), years=year, language="id"
        )
    )


class WorkingCalendar:
    """Working days and hours of a unit, with working-time arithmetic.

    A day is a working day when it has office hours, is not a holiday of ``holiday_source``
    and is not in ``closed_days``. Office hours are half-open: start inclusive, end exclusive.
    """

    def __init__(
        self,
        tz: str = "Asia/Jakarta",
        office_hours: Mapping[int, tuple[time, time]] = DEFAULT_OFFICE_HOURS,
        closed_days: Iterable[date] = (),
        holiday_source: Callable[[int], Mapping[date, str]] | None = indonesian_holidays,
    ) -> None:
        self.zone = ZoneInfo(tz)
        self.office_hours: Mapping[int, tuple[time, time]] = MappingProxyType(
            {weekday: _checked_hours(weekday, hours) for weekday, hours in office_hours.items()}
        )
        self.closed_days: frozenset[date] = frozenset(_checked_day(day) for day in closed_days)
        self._holiday_source = holiday_source
        # Per-instance cache as well, because a custom source need not be cached itself.
        self._holidays_by_year: dict[int, Mapping[date, str]] = {}

    # --- days -------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        day = _checked_day(day)
        return (
            day.weekday() in self.office_hours
            and day not in self.closed_days
            and day not in self._holidays(day.year)
        )

    def closed_reason(self, day: date) -> str | None:
        """Why ``day`` is closed, for display: the holiday name or "extra closed day".

        None for a working day and for a regular weekly day off (e.g. a plain Saturday).
        """
        day = _checked_day(day)
        name = self._holidays(day.year).get(day)
        if name:
            return name
        if day in self.closed_days:
            return EXTRA_CLOSED_DAY
        return None

    # --- instants ---------------------------------------------------------------------------

    def is_working_instant(self, instant: datetime) -> bool:
        moment = self._to_utc(instant)
        span = self._span_utc(self._local_date(moment))
        return span is not None and span[0] <= moment < span[1]

    def next_working_instant(self, instant: datetime) -> datetime:
        """``instant`` itself if it is working time, else the next opening."""
        return self._to_local(self._next_working_utc(self._to_utc(instant)))

    def add_working_minutes(self, instant: datetime, minutes: float) -> datetime:
        """The instant after ``minutes`` of working time, counted from ``instant``.

        Zero minutes gives the next working instant (a request filed at night starts its clock
        at the next opening). A result that falls exactly at closing time stays there rather
        than jumping to the next opening.
        """
        remaining = _checked_minutes(minutes)
        cursor = self._next_working_utc(self._to_utc(instant))
        if not remaining:
            return self._to_local(cursor)
        day = self._local_date(cursor)
        closed_run = 0
        while True:
            span = self._span_utc(day)
            if span is not None and cursor < span[1]:
                closed_run = 0
                start = max(cursor, span[0])
                available = span[1] - start
                if remaining <= available:
                    return self._to_local(start + remaining)
                remaining -= available
            else:
                closed_run += 1
                if closed_run > _MAX_CLOSED_RUN_DAYS:
                    raise ValueError("the calendar has no working time left to add minutes")
            day += _ONE_DAY

    def working_minutes_between(self, start: datetime, end: datetime) -> float:
        """Working minutes within [start, end); 0 when ``end <= start``."""
        lower = self._to_utc(start)
        upper = self._to_utc(end)
        if upper <= lower:
            return 0.0
        total = timedelta(0)
        day = self._local_date(lower)
        last_day = self._local_date(upper)
        while day <= last_day:
            span = self._span_utc(day)
            if span is not None:
                overlap = min(span[1], upper) - max(span[0], lower)
                if overlap > timedelta(0):
                    total += overlap
            day += _ONE_DAY
        return total / _ONE_MINUTE

    # --- internals --------------------------------------------------------------------------

    def _holidays(self, year: int) -> Mapping[date, str]:
        if self._holiday_source is None:
            return {}
        found = self._holidays_by_year.get(year)
        if found is None:
            found = self._holidays_by_year[year] = self._holiday_source(year)
        return found

    def _span_utc(self, day: date) -> tuple[datetime, datetime] | None:
        """Office hours of ``day`` as a UTC [open, close) pair, or None when closed."""
        if not self.is_working_day(day):
            return None
        opens, closes = self.office_hours[day.weekday()]
        # Wall time -> UTC through ZoneInfo, so DST gaps and folds resolve like any other
        # local time (fold=0) instead of by naive wall-clock subtraction.
        open_utc = datetime.combine(day, opens, tzinfo=self.zone).astimezone(UTC)
        close_utc = datetime.combine(day, closes, tzinfo=self.zone).astimezone(UTC)
        if close_utc <= open_utc:
            # Only possible when both ends straddle a DST gap oddly: no working time then.
            return None
        return open_utc, close_utc

    def _next_working_utc(self, moment: datetime) -> datetime:
        day = self._local_date(moment)
        for _ in range(_MAX_CLOSED_RUN_DAYS + 1):
            span = self._span_utc(day)
            if span is not None and moment < span[1]:
                return max(moment, span[0])
            day += _ONE_DAY
        raise ValueError("the calendar has no working day within three years")

    def _local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def _to_local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    @staticmethod
    def _to_utc(instant: datetime) -> datetime:
        if not isinstance(instant, datetime):
            raise TypeError(f"expected a datetime, got {type(instant).__name__}")
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("naive datetime: working-time arithmetic needs an aware instant")
        return instant.astimezone(UTC)


def _checked_day(day: date) -> date:
    # datetime is a date subclass but never equals a date, so it would silently miss holidays.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day


def _checked_hours(weekday: int, hours: tuple[time, time]) -> tuple[time, time]:
    if weekday not in range(7):
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday!r}")
    opens, closes = hours
    if opens.tzinfo is not None or closes.tzinfo is not None:
        raise ValueError("office hours are wall times of the calendar zone: no tzinfo")
    if not opens < closes:
        raise ValueError(f"office hours of weekday {weekday} must open before they close")
    return opens, closes


def _checked_minutes(minutes: float) -> timedelta:
    if isinstance(minutes, bool) or not isinstance(minutes, int | float):
        raise TypeError(f"minutes must be int or float, got {type(minutes).__name__}")
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError(f"minutes must be a finite, non-negative number, got {minutes!r}")
    return timedelta(minutes=minutes)
