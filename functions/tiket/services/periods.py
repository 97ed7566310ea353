"""Reporting periods (PRODUCT.md §6): a month, quarter, semester or year by key, or a range
of dates, in the unit's calendar. Invalid input raises ``ValidationFailed`` naming fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from typing_extensions import TypedDict

from tiket.domain.errors import ValidationFailed
from tiket.domain.text import Msg
from tiket.messages import MONTH_NAMES, t

PERIOD = re.compile(
    r"(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4])|S(?P<semester>[12])))?",
    re.IGNORECASE | re.ASCII,
)
# Periods of several months: (kind, months in one, letter in the key).
SPANS = (("quarter", 3, "Q"), ("semester", 6, "S"))
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
YEARS = range(2000, 2101)
MAX_RANGE_YEARS = 3
MAX_RANGE_DAYS = MAX_RANGE_YEARS * 366
ROMAN = ("I", "II", "III", "IV")
PeriodView = TypedDict(
    "PeriodView", {"kind": str, "key": str, "from": str, "to": str, "label": str}
)


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | semester | year | range
    key: str  # 2026-11, 2026-Q4, 2026-S2, 2026 or 2026-01-01_2026-03-31 (file names)
    start: date
    end: date  # inclusive

    def months(self) -> Iterator[tuple[int, int]]:
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            yield year, month
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def title(self, lang: str) -> str:
        year = self.start.year
        if self.kind == "month":
            month = MONTH_NAMES[lang][self.start.month - 1]
            return t("report.period.month", lang, month=month, year=year)
        if self.kind in ("quarter", "semester"):
            size = 3 if self.kind == "quarter" else 6
            number = (self.start.month - 1) // size + 1
            roman = ROMAN[number - 1]
            return t(f"report.period.{self.kind}", lang, number=number, roman=roman, year=year)
        if self.kind == "year":
            return t("report.period.year", lang, year=year)
        start, end = _day(self.start, lang), _day(self.end, lang)
        return t("report.period.range", lang, start=start, end=end)

    def whole(self, year: int, month: int) -> bool:
        """Whether the period holds all of that month."""
        return self.start <= date(year, month, 1) and month_end(year, month) <= self.end

    def as_json(self, lang: str) -> PeriodView:
        return {
            "kind": self.kind,
            "key": self.key,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "label": self.title(lang),
        }


def _day(day: date, lang: str) -> str:
    return f"{day.day} {MONTH_NAMES[lang][day.month - 1]} {day.year}"


def month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def parse_period(value: str | None, start: str | None, end: str | None, today: date) -> Period:
    """``value`` (month, quarter, semester or year) or ``start``/``end`` dates; neither:
    the current month. Invalid input raises ``ValidationFailed`` naming the fields."""
    # An empty parameter (``?to=``) is given, and wrong; only an absent one takes a default.
    if value is not None and (start is not None or end is not None):
        raise ValidationFailed({"period": Msg("report.period.one_kind")})
    if start is not None or end is not None:
        return date_range(start, end)
    if value is None:
        value = f"{today:%Y-%m}"
    match = PERIOD.fullmatch(value.strip())
    year = int(match["year"]) if match else 0
    if match is None or year not in YEARS:
        raise ValidationFailed({"period": Msg("report.period.invalid")})
    if match["month"]:
        month = int(match["month"])
        return Period("month", f"{year}-{month:02d}", date(year, month, 1), month_end(year, month))
    for kind, size, letter in SPANS:
        if match[kind]:
            number = int(match[kind])
            first = (number - 1) * size + 1
            last = month_end(year, first + size - 1)
            return Period(kind, f"{year}-{letter}{number}", date(year, first, 1), last)
    return Period("year", str(year), date(year, 1, 1), date(year, 12, 31))


def date_range(start: str | None, end: str | None) -> Period:
    errors: dict[str, Msg] = {}
    days: dict[str, date] = {}
    for field, text in (("from", start), ("to", end)):
        day = _date(text) if text else None
        if day is None:
            errors[field] = Msg("report.period.date" if text else "field.required")
        else:
            days[field] = day
    if errors:
        raise ValidationFailed(errors)
    first, last = days["from"], days["to"]
    if last < first:
        raise ValidationFailed({"to": Msg("report.period.order")})
    if (last - first).days >= MAX_RANGE_DAYS:
        raise ValidationFailed({"to": Msg("report.period.too_long", {"years": MAX_RANGE_YEARS})})
    return Period("range", f"{first}_{last}", first, last)


def _date(text: str) -> date | None:
    """A ``YYYY-MM-DD`` day of a plausible year, else None."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:  # 2026-02-30
        return None
    return day if day.year in YEARS else None
