"""Every user-facing text of the server side, Bahasa Indonesia first, English second.

Code refers to texts by key; the web layer and the mail renderer turn keys into text in the
reader's language. The domain builds ``Msg`` values (key + parameters, vocabulary codes
among them) and stays free of any language choice: ``render`` labels the codes.

The catalogue is kept in one module per area (``errors``, ``pages``, ``mail``, ``reports``,
``attachments``, ``assets``…);
labels of codes in ``labels``; dates and numbers in ``formatting``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from tiket.domain.text import Msg, WorkingMinutes
from tiket.domain.vocabulary import Action, Role, Status, Step
from tiket.messages import (
    assets,
    attachments,
    conversation,
    errors,
    mail,
    mail_fences,
    message_files,
    pages,
    privacy,
    report_figures,
    reports,
    workflow,
)
from tiket.messages.formatting import (
    DEFAULT_LANGUAGE,
    MONTH_NAMES,
    format_datetime,
    format_minutes,
    format_number,
    zone_abbreviation,
)
from tiket.messages.labels import (
    ACTIONS,
    AGE_BUCKETS,
    CATEGORIES,
    DURATIONS,
    MONITORING,
    PATHS,
    REPORT_CHARTS,
    ROLES,
    SKM_CATEGORIES,
    SKM_QUESTIONS,
    SKM_UNSUR,
    SOP_PROCEDURES,
    STATUS,
    STEPS,
)

LANGUAGES = ("id", "en")
Labels = Mapping[str, tuple[str, str]]


def _merge(*parts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        if clash:
            raise ValueError(f"Catalogue keys defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


CATALOGUE = _merge(
    errors.ENTRIES,
    pages.ENTRIES,
    mail.ENTRIES,
    reports.ENTRIES,
    attachments.ENTRIES,
    assets.ENTRIES,
    conversation.ENTRIES,
    report_figures.ENTRIES,
    workflow.ENTRIES,
    mail_fences.ENTRIES,
    message_files.ENTRIES,
    privacy.ENTRIES,
)

# Vocabulary codes inside a ``Msg`` are shown by their label.
_CODE_LABELS: tuple[tuple[type, Labels], ...] = (
    (Status, STATUS),
    (Step, STEPS),
    (Role, ROLES),
    (Action, ACTIONS),
)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    entry = CATALOGUE[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


def render(msg: Msg, lang: str = DEFAULT_LANGUAGE, zone: tzinfo | None = None) -> str:
    """``msg`` in ``lang``: codes by their label, durations as "1 jam 30 menit", times in
    ``zone`` (required when the message carries a time)."""
    params = {name: _shown(value, lang, zone) for name, value in msg.params.items()}
    return t(msg.key, lang, **params)


def _shown(value: Any, lang: str, zone: tzinfo | None) -> Any:
    for kind, table in _CODE_LABELS:
        if isinstance(value, kind):
            return label(table, value, lang)
    if isinstance(value, WorkingMinutes):
        return format_minutes(value.minutes, lang)
    if isinstance(value, datetime):
        if zone is None:
            raise ValueError(f"{value!r} needs a time zone to be shown")
        return format_datetime(value, zone, lang)
    if isinstance(value, tuple | frozenset | list) and value:
        return " / ".join(str(_shown(item, lang, zone)) for item in _sorted(value))
    return value


def _sorted(values: Iterable[Any]) -> list[Any]:
    return sorted(values, key=str)


def label(table: Labels, code: object, lang: str = DEFAULT_LANGUAGE) -> str:
    pair = table.get(str(code))
    if pair is None:
        return str(code)
    return pair[1] if lang == "en" else pair[0]


def pick_language(accept_language: str | None, explicit: str | None = None) -> str:
    """``?lang=`` wins, then the first supported tag of Accept-Language, else Indonesian."""
    if explicit in LANGUAGES:
        return explicit
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


__all__ = [
    "ACTIONS",
    "AGE_BUCKETS",
    "CATALOGUE",
    "CATEGORIES",
    "DEFAULT_LANGUAGE",
    "DURATIONS",
    "LANGUAGES",
    "MONITORING",
    "MONTH_NAMES",
    "PATHS",
    "REPORT_CHARTS",
    "ROLES",
    "SKM_CATEGORIES",
    "SKM_QUESTIONS",
    "SKM_UNSUR",
    "SOP_PROCEDURES",
    "STATUS",
    "STEPS",
    "Msg",
    "format_datetime",
    "format_minutes",
    "format_number",
    "label",
    "pick_language",
    "render",
    "t",
    "zone_abbreviation",
]
