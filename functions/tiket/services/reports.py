"""Reports of a period (PRODUCT.md §6, §13): the figures as JSON, the files and the charts.

The figures come from the monthly counters the unit of work keeps as tickets change
(``ReportFigures.month``): a year reads a few dozen items, whatever its number of tickets.
A month the period only cuts into (a date range) is counted afresh from its tickets (read
through the ``month`` index, never a Scan), its history entries from the counters by day.
Steps late at the time of reading that no counter holds yet are added from the few tickets
the ``due`` index holds past due (``aggregates.unswept``). The list of tickets, read ticket by
ticket, is a direct download for short periods only; longer ones go through an export job
(``tiket.services.export_jobs``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from tiket.domain import reporting
from tiket.domain.aggregates import Tally, contribution, unswept
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.errors import NotFound, ValidationFailed
from tiket.domain.model import Ticket
from tiket.domain.reporting import Report
from tiket.domain.text import Msg
from tiket.messages import format_datetime, t
from tiket.services.periods import Period, month_end, parse_period
from tiket.services.ports import Clock, ReportFigures, TicketQueries
from tiket.services.report_views import ReportSummary, monitoring_rows, summary_of

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


# A direct download of the ticket list reads every ticket within one request (API Gateway
# answers within 29 s): up to this many; more go through an export job.
DIRECT_ROWS = 5_000


@dataclass(frozen=True)
class Download:
    filename: str
    mimetype: str
    body: bytes


class ReportService:
    def __init__(
        self,
        queries: TicketQueries,
        stored: ReportFigures,
        clock: Clock,
        calendar: WorkingCalendar,
        categories: tuple[str, ...],
        threshold_percent: float,
        unit_name: str,
    ):
        self.queries = queries
        self.stored = stored
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

    def within(self, ticket: Ticket, period: Period) -> bool:
        return period.start <= ticket.created_at.astimezone(self.zone).date() <= period.end

    def tickets(self, period: Period) -> list[Ticket]:
        """Tickets filed within ``period``, through the month index."""
        return [
            ticket
            for year, month in period.months()
            for ticket in self.queries.of_month(year, month)
            if self.within(ticket, period)
        ]

    def tally(self, period: Period) -> Tally:
        """The counters of the period's tickets as of now (see the module's doc)."""
        now = self.clock.now()
        total: Tally = Counter()
        for year, month in period.months():
            stored = self.stored.month(f"{year:04d}-{month:02d}")
            if period.whole(year, month):
                total.update(stored)
                continue
            first = max(period.start, date(year, month, 1))
            last = min(period.end, month_end(year, month))
            days = {f"{day:02d}" for day in range(first.day, last.day + 1)}
            total.update({k: n for k, n in stored.items() if k[0] == "event" and k[3] in days})
            for ticket in self.queries.of_month(year, month):
                if self.within(ticket, period):
                    total.update(contribution(ticket, self.calendar))
        for ticket in self.stored.past_due(now):
            if self.within(ticket, period):
                total.update(unswept(ticket, now))
        return total

    def figures(self, period: Period) -> Report:
        return reporting.figures(
            self.tally(period),
            self.calendar,
            self.clock.now(),
            threshold_percent=self.threshold_percent,
            categories=self.categories,
        )

    # --- output -------------------------------------------------------------------------

    def summary(self, period: Period, lang: str = "id") -> ReportSummary:
        return summary_of(
            self.figures(period),
            period,
            lang,
            now=self.clock.now(),
            zone=self.zone,
            unit_name=self.unit_name,
        )

    def download(self, name: str, fmt: str, period: Period, lang: str = "id") -> Download:
        if (name, fmt) not in DOWNLOADS:
            raise NotFound(Msg("error.not_found"))
        exports = _exports()
        filename = f"tiket-{name}-{period.key}.{fmt}"
        if name == "tickets":
            count = self.tally(period)["tickets",]
            if count > DIRECT_ROWS:
                raise ValidationFailed(
                    {"period": Msg("export.direct.too_many", {"count": count, "max": DIRECT_ROWS})}
                )
            rows = exports.ticket_table(self.tickets(period), self.calendar, self.clock.now(), lang)
            return self._table(filename, fmt, t("export.sheet.tickets", lang), rows)
        report = self.figures(period)
        if name == "skm":
            rows = exports.skm_table(report, lang)
            return self._table(filename, fmt, t("export.sheet.skm", lang), rows)
        body = exports.monitoring_xlsx(
            monitoring_rows(report, lang),
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
        svg = charts.chart_svg(name, self.figures(period), lang, narrow)
        return Download(f"tiket-{name}-{period.key}.svg", charts.SVG_MIMETYPE, svg.encode())


def _exports():
    """openpyxl and pygal add about 0.1 s to every cold start; only files need them."""
    from tiket.services import exports

    return exports
