"""Dates, durations and numbers written the way Indonesian readers expect."""

from __future__ import annotations

from datetime import datetime, tzinfo

DEFAULT_LANGUAGE = "id"

DAY_NAMES = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTH_NAMES = {
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


# Indonesia's three zones by their Indonesian names; elsewhere the zone's own abbreviation.
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_abbreviation(zone: tzinfo, at: datetime) -> str:
    key = getattr(zone, "key", None)
    return ZONE_NAMES.get(key or "", "") or at.astimezone(zone).tzname() or str(zone)


def format_datetime(instant: datetime, zone: tzinfo, lang: str = DEFAULT_LANGUAGE) -> str:
    """``Jumat, 27 November 2026 pukul 16.28 WIB`` (Indonesian style: a dot between hour and
    minute); ``Friday, 27 November 2026 at 16:28 WIB``."""
    local = instant.astimezone(zone)
    names = DAY_NAMES.get(lang, DAY_NAMES["id"])
    months = MONTH_NAMES.get(lang, MONTH_NAMES["id"])
    clock = f"pukul {local:%H.%M}" if lang == "id" else f"at {local:%H:%M}"
    day = f"{names[local.weekday()]}, {local.day} {months[local.month - 1]} {local.year}"
    return f"{day} {clock} {zone_abbreviation(zone, instant)}"


def format_minutes(minutes: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """Working minutes for people: ``95`` → ``1 jam 35 menit``."""
    total = round(minutes)
    hours, rest = divmod(total, 60)
    words = ("jam", "menit") if lang == "id" else ("h", "min")
    if hours and rest:
        return f"{hours} {words[0]} {rest} {words[1]}"
    if hours:
        return f"{hours} {words[0]}"
    return f"{rest} {words[1]}"


def format_number(value: float, lang: str = DEFAULT_LANGUAGE, places: int = 1) -> str:
    """``85.714`` → ``85,7`` (Indonesian decimal comma) or ``85.7``; thousands grouped."""
    text = f"{value:,.{places}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
