"""Reports of a period (PRODUCT.md §6): the figures as JSON, the exports and the charts.

Tickets are read month by month through the ``month`` index (``Store.tickets_of_month``),
never by a Scan, and kept when filed within the period (dates in Asia/Jakarta, the zone of
that index). The figures themselves come from ``tiket.domain.reporting``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.errors import NotFound, ValidationFailed
from tiket.domain.model import Ticket
from tiket.domain.reporting import Report, compile_report
from tiket.domain.skm import UNSUR
from tiket.domain.text import Msg
from tiket.messages import (
    AGE_BUCKETS,
    CATEGORIES,
    DURATIONS,
    MONITORING,
    MONTH_NAMES,
    PATHS,
    ROLES,
    SKM_CATEGORIES,
    SKM_UNSUR,
    SOP_PROCEDURES,
    STATUS,
    STEPS,
    format_datetime,
    format_number,
    label,
    t,
)
from tiket.services.ports import Clock, TicketQueries
from tiket.services.views import iso

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
# Downloads by (name, format); the monitoring sheet is a printed form: XLSX only.
DOWNLOADS = frozenset(
    {
        ("tickets", "csv"),
        ("tickets", "xlsx"),
        ("skm", "csv"),
        ("skm", "xlsx"),
        ("monitoring", "xlsx"),
    }
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

    def as_json(self, lang: str) -> dict:
        return {
            "kind": self.kind,
            "key": self.key,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "label": self.title(lang),
        }


def _day(day: date, lang: str) -> str:
    return f"{day.day} {MONTH_NAMES[lang][day.month - 1]} {day.year}"


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def parse_period(value: str | None, start: str | None, end: str | None, today: date) -> Period:
    """``value`` (month, quarter, semester or year) or ``start``/``end`` dates; neither:
    the current month. Invalid input raises ``ValidationFailed`` naming the fields."""
    if value and (start or end):
        raise ValidationFailed({"period": Msg("report.period.one_kind")})
    if start or end:
        return _range(start, end)
    if not value:
        value = f"{today:%Y-%m}"
    match = PERIOD.fullmatch(value.strip())
    year = int(match["year"]) if match else 0
    if match is None or year not in YEARS:
        raise ValidationFailed({"period": Msg("report.period.invalid")})
    if match["month"]:
        month = int(match["month"])
        return Period("month", f"{year}-{month:02d}", date(year, month, 1), _month_end(year, month))
    for kind, size, letter in SPANS:
        if match[kind]:
            number = int(match[kind])
            first = (number - 1) * size + 1
            last = _month_end(year, first + size - 1)
            return Period(kind, f"{year}-{letter}{number}", date(year, first, 1), last)
    return Period("year", str(year), date(year, 1, 1), date(year, 12, 31))


def _range(start: str | None, end: str | None) -> Period:
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


@dataclass(frozen=True)
class Download:
    filename: str
    mimetype: str
    body: bytes


class ReportService:
    def __init__(
        self,
        queries: TicketQueries,
        clock: Clock,
        calendar: WorkingCalendar,
        categories: tuple[str, ...],
        threshold_percent: float,
        unit_name: str,
    ):
        self.queries = queries
        self.clock = clock
        self.calendar = calendar
        self.zone = calendar.zone
        self.categories = categories
        self.threshold_percent = threshold_percent
        self.unit_name = unit_name

    # --- input --------------------------------------------------------------------------

    def period(
        self, value: str | None = None, start: str | None = None, end: str | None = None
    ) -> Period:
        return parse_period(value, start, end, self.clock.now().astimezone(self.zone).date())

    def tickets(self, period: Period) -> list[Ticket]:
        """Tickets filed within ``period``, through the month index."""
        found = []
        for year, month in period.months():
            for ticket in self.queries.of_month(year, month):
                if period.start <= ticket.created_at.astimezone(self.zone).date() <= period.end:
                    found.append(ticket)
        return found

    def figures(self, tickets: list[Ticket]) -> Report:
        return compile_report(
            tickets,
            self.calendar,
            self.clock.now(),
            threshold_percent=self.threshold_percent,
            categories=self.categories,
        )

    # --- output -------------------------------------------------------------------------

    def summary(self, period: Period, lang: str = "id") -> dict:
        return self.summary_of(self.figures(self.tickets(period)), period, lang)

    def summary_of(self, report: Report, period: Period, lang: str) -> dict:
        """The figures as JSON: codes with their labels, minutes rounded to 0.1."""
        skm = report.skm
        result = skm.result
        return {
            "period": period.as_json(lang),
            "generated_at": iso(self.clock.now(), self.zone),
            "unit_name": self.unit_name,
            "threshold_percent": report.threshold_percent,
            "tickets": report.tickets,
            "volume": {
                "by_status": _counts(report.by_status, STATUS, lang),
                "by_category": _counts(report.by_category, CATEGORIES, lang),
                "by_path": _counts(report.by_path, PATHS, lang),
                "by_unit": [{"unit": unit, "count": count} for unit, count in report.by_unit],
            },
            "compliance": [
                {
                    "step": step,
                    "label": label(STEPS, step, lang),
                    "completed": figures.completed,
                    "on_time": figures.on_time,
                    "late": figures.late,
                    "open_overdue": figures.open_overdue,
                    "breaches": figures.breaches,
                    "percent": _round(figures.percent),
                }
                for step, figures in report.compliance.items()
            ],
            "durations": [
                {
                    "measure": measure,
                    "label": label(DURATIONS, measure, lang),
                    "count": spread.count,
                    "median_minutes": _round(spread.median),
                    "p90_minutes": _round(spread.p90),
                }
                for measure, spread in report.durations.items()
            ],
            "backlog": {
                "total": sum(report.backlog_by_status.values()),
                "by_status": _counts(report.backlog_by_status, STATUS, lang),
                "by_age": _counts(report.backlog_by_age, AGE_BUCKETS, lang),
            },
            "staff": [
                {
                    "email": person.email,
                    "name": person.name,
                    "role": person.role,
                    "role_label": label(ROLES, person.role, lang),
                    "acknowledged": person.acknowledged,
                    "resolved": person.resolved,
                    "breaches": person.breaches,
                    "median_resolve_minutes": _round(person.median_resolve),
                }
                for person in report.staff
            ],
            "skm": {
                "respondents": result.respondents,
                "population": skm.population,
                "sample": skm.sample,
                "adequate": skm.adequate,
                "nrr": [
                    {"code": code, "name": SKM_UNSUR[code][0], "nrr": _number(result.nrr[code])}
                    for code in UNSUR
                ],
                "ikm": _number(result.ikm),
                "converted": _number(result.converted),
                "category": result.category,
                "category_label": label(SKM_CATEGORIES, result.category, lang)
                if result.category
                else None,
            },
            "monitoring": self.monitoring_rows(report, lang),
        }

    def monitoring_rows(self, report: Report, lang: str) -> list[dict]:
        return [
            {
                "no": row.sop_step,
                "procedure": label(SOP_PROCEDURES, str(row.sop_step), lang),
                "assessment": row.status,
                "assessment_label": label(MONITORING, row.status, lang) if row.status else None,
                "note": " ".join(_render(note, lang) for note in row.notes),
                "action": _render(row.action, lang) if row.action else "",
                "initials": "",
            }
            for row in report.monitoring
        ]

    def download(self, name: str, fmt: str, period: Period, lang: str = "id") -> Download:
        if (name, fmt) not in DOWNLOADS:
            raise NotFound(Msg("error.not_found"))
        exports = _exports()
        tickets = self.tickets(period)
        filename = f"tiket-{name}-{period.key}.{fmt}"
        if name == "tickets":
            rows = exports.ticket_table(tickets, self.calendar, self.clock.now(), lang)
            return self._table(filename, fmt, t("export.sheet.tickets", lang), rows)
        report = self.figures(tickets)
        if name == "skm":
            rows = exports.skm_table(report, lang)
            return self._table(filename, fmt, t("export.sheet.skm", lang), rows)
        body = exports.monitoring_xlsx(
            self.monitoring_rows(report, lang),
            unit_name=self.unit_name,
            period_label=period.title(lang),
            threshold_percent=report.threshold_percent,
            generated=t(
                "monitoring.generated",
                lang,
                at=format_datetime(self.clock.now(), self.zone, lang),
            ),
            lang=lang,
        )
        return Download(filename, exports.XLSX_MIMETYPE, body)

    @staticmethod
    def _table(filename: str, fmt: str, title: str, rows: list) -> Download:
        exports = _exports()
        if fmt == "csv":
            return Download(filename, exports.CSV_MIMETYPE, exports.csv_bytes(rows))
        return Download(filename, exports.XLSX_MIMETYPE, exports.xlsx_bytes(title, rows))

    def chart(self, name: str, period: Period, lang: str = "id", narrow: bool = False) -> Download:
        """An SVG chart (shown inline, so the file name only names it); ``narrow``: drawn
        for a phone's width."""
        from tiket.services import charts  # pygal loads only for charts (see _exports)

        if name not in charts.CHARTS:
            raise NotFound(Msg("error.not_found"))
        svg = charts.chart_svg(name, self.figures(self.tickets(period)), lang, narrow)
        return Download(f"tiket-{name}-{period.key}.svg", charts.SVG_MIMETYPE, svg.encode())


def _exports():
    """openpyxl and pygal add about 0.1 s to every cold start; only files need them."""
    from tiket.services import exports

    return exports


def _counts(counts, table, lang: str) -> list[dict]:
    return [
        {"code": code, "label": label(table, code, lang), "count": count}
        for code, count in counts.items()
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _render(msg: Msg, lang: str) -> str:
    """A note with its numbers in the reader's notation (``85,7`` in Indonesian)."""
    return t(msg.key, lang, **{key: _localised(v, lang) for key, v in msg.params.items()})


def _localised(value: object, lang: str) -> object:
    if isinstance(value, Decimal):  # already rounded: keep its places (IKM 82,50)
        exponent = value.as_tuple().exponent
        return format_number(float(value), lang, -exponent if isinstance(exponent, int) else 2)
    if isinstance(value, float):
        return format_number(value, lang)
    return value
