"""Files of a reporting period: the ticket list and the SKM recap as tables (written by
``tiket.adapters.table_files``: CSV for Excel with Indonesian settings, XLSX), and the
printable SOP monitoring sheet (openpyxl).

Ticket text is typed by requesters, so every text cell that a spreadsheet could read as a
formula (starting with ``= + - @``, tab or CR) is prefixed with ``'``, and XLSX text cells
are written as strings, never formulas.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from tiket.adapters.table_files import (
    CSV_MIMETYPE,
    XLSX_MIMETYPE,
    Cell,
    Row,
    csv_bytes,
    neutralise,
    sheet_title,
    xlsx_bytes,
)
from tiket.domain.aggregates import resolve_minutes, step_minutes
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.model import Ticket
from tiket.domain.reporting import Report
from tiket.domain.skm import UNSUR
from tiket.domain.vocabulary import STEP_ORDER, Step
from tiket.messages import (
    CATEGORIES,
    MONITORING,
    PATHS,
    SKM_CATEGORIES,
    SKM_UNSUR,
    STATUS,
    STEPS,
    format_number,
    label,
    t,
)

__all__ = ["CSV_MIMETYPE", "XLSX_MIMETYPE", "csv_bytes", "xlsx_bytes"]

# Widths of the ticket list's columns in an XLSX written row by row (no sample to size from).
_WIDE, _DATE, _NUMBER = 40, 17, 12


# --- tables -------------------------------------------------------------------------------


def ticket_header(calendar: WorkingCalendar, now: datetime, lang: str) -> list[Cell]:
    zone_name = now.astimezone(calendar.zone).tzname()
    return [
        t("export.col.number", lang),
        t("export.col.created", lang, zone=zone_name),
        t("export.col.status", lang),
        t("export.col.category", lang),
        t("export.col.unit", lang),
        t("export.col.location", lang),
        t("export.col.requester", lang),
        t("export.col.subject", lang),
        t("export.col.path", lang),
        t("export.col.assignee", lang),
        t("export.col.repair_assignee", lang),
        t("export.col.acknowledged", lang, zone=zone_name),
        t("export.col.diagnosed", lang, zone=zone_name),
        t("export.col.diagnosis", lang),
        t("export.col.resolved", lang, zone=zone_name),
        t("export.col.resolution", lang),
        *(t("export.col.step_minutes", lang, step=label(STEPS, s, lang)) for s in STEP_ORDER),
        t("export.col.resolve_minutes", lang),
        t("export.col.breaches", lang),
        t("export.col.open_late", lang),
        *(f"{code} {SKM_UNSUR[code][0]}" for code in UNSUR),
        t("export.col.suggestion", lang),
    ]


def ticket_widths(header: Sequence[Cell]) -> list[float]:
    kinds = [18, _DATE, 18, 20, 26, 22, 24, _WIDE, 16, 22, 22, _DATE, _DATE, _WIDE, _DATE, _WIDE]
    kinds += [_NUMBER] * (len(STEP_ORDER) + 1) + [30, 30] + [_NUMBER] * len(UNSUR) + [_WIDE]
    return [
        min(50, max(kind, len(str(title)) + 2)) for kind, title in zip(kinds, header, strict=True)
    ]


def ticket_row(ticket: Ticket, calendar: WorkingCalendar, now: datetime, lang: str) -> list[Cell]:
    """One ticket as a row of the list; times in the unit's zone."""
    zone = calendar.zone

    def local(instant: datetime | None) -> datetime | None:
        return None if instant is None else instant.astimezone(zone)

    def done(step: Step) -> datetime | None:
        record = ticket.step(step)
        return None if record is None else local(record.done_at)

    def steps(codes: Iterable[Step]) -> str:
        return ", ".join(label(STEPS, s, lang) for s in STEP_ORDER if s in set(codes))

    records = ticket.steps_with_dispatch()
    minutes = step_minutes(ticket, calendar, now)
    answers = ticket.survey.answers if ticket.survey else {}
    requester = ticket.requester
    running_late = [r.step for r in records if ticket.open and r.open and r.late_at(now)]
    return [
        ticket.number,
        local(ticket.created_at),
        label(STATUS, ticket.status, lang),
        label(CATEGORIES, ticket.category, lang),
        requester.unit,
        requester.location,
        requester.name,
        ticket.subject,
        label(PATHS, ticket.path or "none", lang),
        ticket.assignee_name,
        ticket.repair_assignee_name,
        done(Step.ACKNOWLEDGE),
        done(Step.DIAGNOSE),
        ticket.diagnosis,
        local(ticket.resolved_at),
        ticket.resolution,
        *(_minutes(minutes.get(step)) for step in STEP_ORDER),
        _minutes(resolve_minutes(ticket, calendar)),
        steps(ticket.late_steps(now, records)),
        steps(running_late),
        *(answers.get(code) for code in UNSUR),
        ticket.survey.suggestion if ticket.survey else None,
    ]


def ticket_table(
    tickets: Iterable[Ticket], calendar: WorkingCalendar, now: datetime, lang: str
) -> list[Row]:
    """One row per ticket (oldest first), with a header row."""
    rows: list[Row] = [ticket_header(calendar, now, lang)]
    for ticket in sorted(tickets, key=lambda item: item.created_at):
        rows.append(ticket_row(ticket, calendar, now, lang))
    return rows


def skm_table(report: Report, lang: str) -> list[Row]:
    """NRR per unsur, then the index, its grade and the sample."""
    figures = report.skm
    result = figures.result
    rows: list[Row] = [
        [t("skm.col.code", lang), t("skm.col.unsur", lang), t("skm.col.nrr", lang)],
        *([code, SKM_UNSUR[code][0], result.nrr[code]] for code in UNSUR),
        [],
        [t("skm.ikm", lang), None, result.ikm],
        [t("skm.converted", lang), None, result.converted],
        [t("skm.category", lang), None, _grade(result.category, lang)],
        [t("skm.respondents", lang), None, result.respondents],
        [t("skm.population", lang), None, figures.population],
        [t("skm.sample", lang), None, figures.sample],
        [t("skm.adequate", lang), None, _yes_no(figures.adequate, lang)],
    ]
    return rows


def _yes_no(value: bool | None, lang: str) -> str | None:
    return None if value is None else t("report.yes" if value else "report.no", lang)


def _grade(category: str | None, lang: str) -> str | None:
    return None if category is None else f"{category} ({label(SKM_CATEGORIES, category, lang)})"


def threshold_text(percent: float, lang: str) -> str:
    """``80`` rather than ``80,0``; a fractional threshold keeps its decimal."""
    return format_number(percent, lang, 0 if percent == int(percent) else 1)


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# --- the monitoring sheet (openpyxl: merged cells, borders, print setup) -----------------

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="EAF3EE")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _set(cell, value: Cell) -> None:
    """Typed values as such; text neutralised and forced to a string cell."""
    if isinstance(value, datetime):
        # Excel has no time zones: write the unit's wall time (the header names the zone).
        cell.value = value.replace(tzinfo=None)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, str):
        cell.value = neutralise(value)
        cell.data_type = "s"
    else:
        cell.value = value


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def monitoring_xlsx(
    rows: Sequence[dict],
    *,
    unit_name: str,
    period_label: str,
    threshold_percent: float,
    generated: str,
    lang: str,
) -> bytes:
    """The monitoring sheet of PermenPANRB 35/2012 (Tabel 7), ready to print on A4
    landscape: the assessment in two ticked columns, Paraf left for the reviewer."""
    workbook = Workbook()
    sheet = workbook.create_sheet(index=0)
    workbook.remove(workbook.worksheets[1])  # the default empty sheet
    sheet.title = sheet_title(t("export.sheet.monitoring", lang))
    last_column = 7
    good, bad = label(MONITORING, "good", lang), label(MONITORING, "bad", lang)

    def line(row: int, text: str, font: Font | None = None) -> None:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        cell = sheet.cell(row, 1)
        _set(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font is not None:
            cell.font = font

    line(1, t("monitoring.title", lang).upper(), Font(bold=True, size=14))
    line(2, f"{t('monitoring.sop_name', lang)}: {t('monitoring.sop', lang)}")
    line(3, f"{t('monitoring.unit', lang)}: {unit_name}")
    line(4, f"{t('monitoring.period', lang)}: {period_label}")
    line(5, t("monitoring.rule", lang, percent=threshold_text(threshold_percent, lang)))
    sheet.row_dimensions[5].height = 30

    head, sub = 7, 8
    titles = {
        1: t("monitoring.col.no", lang),
        2: t("monitoring.col.procedure", lang),
        3: t("monitoring.col.assessment", lang),
        5: t("monitoring.col.note", lang),
        6: t("monitoring.col.action", lang),
        7: t("monitoring.col.initials", lang),
    }
    for column in range(1, last_column + 1):
        for row in (head, sub):
            cell = sheet.cell(row, column)
            cell.border = BORDER
            cell.font = BOLD
            cell.fill = HEADER_FILL
            cell.alignment = CENTER
    for column, text in titles.items():
        _set(sheet.cell(head, column), text)
        if column != 3:
            sheet.merge_cells(start_row=head, start_column=column, end_row=sub, end_column=column)
    sheet.merge_cells(start_row=head, start_column=3, end_row=head, end_column=4)
    _set(sheet.cell(sub, 3), good)
    _set(sheet.cell(sub, 4), bad)

    for offset, entry in enumerate(rows, start=1):
        row = sub + offset
        values = [
            entry["no"],
            entry["procedure"],
            "\u2713" if entry["assessment"] == "good" else "",
            "\u2713" if entry["assessment"] == "bad" else "",
            entry["note"],
            entry["action"],
            "",
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column)
            _set(cell, value)
            cell.border = BORDER
            cell.alignment = CENTER if column in (1, 3, 4) else WRAP
    line(sub + len(rows) + 2, generated, Font(italic=True, size=9))

    for column, width in enumerate((5, 40, 13, 13, 45, 40, 12), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{head}:{sub}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    return _save(workbook)
