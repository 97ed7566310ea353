"""The report summary as JSON (``GET /api/reports/summary``): its shapes as ``TypedDict``s
(the OpenAPI document takes its schemas from them) and the shaping of a ``Report``: codes
with their labels in the reader's language, minutes rounded to 0.1.

Activity: every history entry of the period's tickets is counted by action and by the role
of who made it (``tiket.domain.aggregates``), so a new kind of change shows here as soon as
its ``Action`` exists. ``RATES`` are shares of some actions to others: issue 11's
reopen rate is one line, ``("reopen", (Action.REOPEN,), (Action.RESOLVE,))``, once
``Action.REOPEN`` exists;
its messages and issue 15's returns and reassignments appear in ``activity`` by themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Literal

from typing_extensions import TypedDict

from tiket.domain.reporting import Report
from tiket.domain.skm import UNSUR
from tiket.domain.text import Msg
from tiket.domain.vocabulary import STAFF_ROLES, Action, Role, Step
from tiket.messages import (
    ACTIONS,
    AGE_BUCKETS,
    CATEGORIES,
    DURATIONS,
    MONITORING,
    PATHS,
    ROLES,
    SKM_CATEGORIES,
    SKM_UNSUR,
    SOP_PROCEDURES,
    STATUS,
    STEPS,
    format_number,
    label,
    t,
)
from tiket.services.periods import Period, PeriodView
from tiket.services.views import IsoTime

# (name, actions counted, actions they are a share of): in percent of the second.
RATES: tuple[tuple[str, tuple[Action, ...], tuple[Action, ...]], ...] = (
    ("cancel", (Action.CANCEL,), (Action.CREATE, Action.IMPORT)),
)


class CountRow(TypedDict):
    code: str
    label: str
    count: int


class UnitRow(TypedDict):
    unit: str
    count: int


class Volume(TypedDict):
    by_status: list[CountRow]
    by_category: list[CountRow]
    by_path: list[CountRow]
    by_unit: list[UnitRow]  # most tickets first


class ComplianceRow(TypedDict):
    step: Step
    label: str
    completed: int  # done
    on_time: int  # done by the due time
    late: int  # done after it
    open_overdue: int  # still running past it: not within the standard either
    measured: int  # completed + open_overdue: the percentage's base
    breaches: int
    percent: float | None  # on_time ÷ measured


class DurationRow(TypedDict):
    measure: str
    label: str
    count: int
    median_minutes: float | None
    p90_minutes: float | None


class Backlog(TypedDict):
    total: int
    by_status: list[CountRow]
    by_age: list[CountRow]


class StaffRow(TypedDict):
    email: str
    name: str
    role: Role
    role_label: str
    acknowledged: int
    resolved: int
    breaches: int
    open_overdue: int
    median_resolve_minutes: float | None


class NrrRow(TypedDict):
    code: str
    name: str
    nrr: float | None


class SkmView(TypedDict):
    respondents: int
    population: int
    sample: int
    adequate: bool | None
    nrr: list[NrrRow]
    ikm: float | None
    converted: float | None
    category: str | None
    category_label: str | None


class MonitoringView(TypedDict):
    no: int
    procedure: str
    assessment: Literal["good", "bad"] | None
    assessment_label: str | None
    note: str
    action: str
    initials: str


class ActivityRow(TypedDict):
    action: Action
    label: str
    count: int
    by_role: dict[str, int]  # requester | tik | rt | supervisor | admin | system


class RateRow(TypedDict):
    rate: str
    label: str
    count: int
    of: int
    percent: float | None


class ReportSummary(TypedDict):
    period: PeriodView
    generated_at: IsoTime
    unit_name: str
    threshold_percent: float
    tickets: int
    volume: Volume
    compliance: list[ComplianceRow]
    durations: list[DurationRow]
    backlog: Backlog
    staff: list[StaffRow]
    skm: SkmView
    monitoring: list[MonitoringView]
    activity: list[ActivityRow]
    rates: list[RateRow]


def summary_of(
    report: Report, period: Period, lang: str, *, now: datetime, zone: tzinfo, unit_name: str
) -> ReportSummary:
    return {
        "period": period.as_json(lang),
        "generated_at": now.astimezone(zone).isoformat(timespec="seconds"),
        "unit_name": unit_name,
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
                "measured": figures.measured,
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
                "role": Role(person.role),
                "role_label": label(ROLES, person.role, lang),
                "acknowledged": person.acknowledged,
                "resolved": person.resolved,
                "breaches": person.breaches,
                "open_overdue": person.open_overdue,
                "median_resolve_minutes": _round(person.median_resolve),
            }
            for person in report.staff
        ],
        "skm": _skm(report, lang),
        "monitoring": monitoring_rows(report, lang),
        "activity": _activity(report.activity, lang),
        "rates": _rates(report.activity, lang),
    }


def _skm(report: Report, lang: str) -> SkmView:
    skm = report.skm
    result = skm.result
    return {
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
        "category_label": label(SKM_CATEGORIES, result.category, lang) if result.category else None,
    }


def monitoring_rows(report: Report, lang: str) -> list[MonitoringView]:
    rows: list[MonitoringView] = []
    for row in report.monitoring:
        assessment: Literal["good", "bad"] | None = (
            "good" if row.status == "good" else "bad" if row.status == "bad" else None
        )
        rows.append(
            {
                "no": row.sop_step,
                "procedure": label(SOP_PROCEDURES, str(row.sop_step), lang),
                "assessment": assessment,
                "assessment_label": label(MONITORING, row.status, lang) if row.status else None,
                "note": " ".join(render_note(note, lang) for note in row.notes),
                "action": render_note(row.action, lang) if row.action else "",
                "initials": "",
            }
        )
    return rows


def _activity(activity: Mapping[str, Mapping[str, int]], lang: str) -> list[ActivityRow]:
    roles = (Role.REQUESTER, *STAFF_ROLES, Role.SYSTEM)
    return [
        {
            "action": action,
            "label": label(ACTIONS, action, lang),
            "count": sum(activity[action].values()),
            "by_role": {role: activity[action].get(role, 0) for role in roles},
        }
        for action in Action
        if sum(activity.get(action, {}).values())
    ]


def _rates(activity: Mapping[str, Mapping[str, int]], lang: str) -> list[RateRow]:
    rows: list[RateRow] = []

    def total(actions: tuple[Action, ...]) -> int:
        return sum(sum(activity.get(action, {}).values()) for action in actions)

    for name, counted, base in RATES:
        count, of = total(counted), total(base)
        rows.append(
            {
                "rate": name,
                "label": t(f"report.rate.{name}", lang),
                "count": count,
                "of": of,
                "percent": _round(count * 100 / of) if of else None,
            }
        )
    return rows


def _counts(counts: Mapping[str, int], table, lang: str) -> list[CountRow]:
    return [
        {"code": code, "label": label(table, code, lang), "count": count}
        for code, count in counts.items()
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def render_note(msg: Msg, lang: str) -> str:
    """A note with its numbers in the reader's notation (``85,7`` in Indonesian)."""
    return t(msg.key, lang, **{key: _localised(v, lang) for key, v in msg.params.items()})


def _localised(value: object, lang: str) -> object:
    if isinstance(value, Decimal):  # already rounded: keep its places (IKM 82,50)
        exponent = value.as_tuple().exponent
        return format_number(float(value), lang, -exponent if isinstance(exponent, int) else 2)
    if isinstance(value, float):
        return format_number(value, lang)
    return value
