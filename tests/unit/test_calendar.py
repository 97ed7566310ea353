"""Working calendar: worked SOP cases on the 2026 Indonesian calendar, plus properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiket.domain.calendar import (
    DEFAULT_OFFICE_HOURS,
    EXTRA_CLOSED_DAY,
    WorkingCalendar,
    indonesian_holidays,
)

WIB = ZoneInfo("Asia/Jakarta")
CAL = WorkingCalendar()
PLAIN = WorkingCalendar(holiday_source=None)


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


# --- holidays as the `holidays` package lists them -------------------------------------------


def test_indonesian_holidays_2026_lists_the_days_the_cases_rely_on() -> None:
    days = indonesian_holidays(2026)
    assert days[date(2026, 3, 18)] == "Cuti Bersama Hari Suci Nyepi"
    assert days[date(2026, 3, 19)] == "Hari Suci Nyepi"
    assert days[date(2026, 3, 20)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert days[date(2026, 3, 21)] == "Hari Raya Idul Fitri"
    assert days[date(2026, 3, 22)] == "Hari kedua dari Hari Raya Idul Fitri"
    assert days[date(2026, 3, 23)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert days[date(2026, 3, 24)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert days[date(2026, 12, 24)] == "Cuti Bersama Hari Raya Natal"
    assert days[date(2026, 12, 25)] == "Hari Raya Natal"
    # Cached per year.
    assert indonesian_holidays(2026) is days


# --- worked cases -----------------------------------------------------------------------------


def test_friday_late_request_rolls_over_the_weekend() -> None:
    due = CAL.add_working_minutes(wib(2026, 11, 27, 16, 28), 5)
    assert due == wib(2026, 11, 30, 7, 33)
    assert due.tzinfo == WIB


def test_filed_at_night_starts_next_morning() -> None:
    assert CAL.add_working_minutes(wib(2026, 11, 24, 21, 0), 5) == wib(2026, 11, 25, 7, 35)
    assert CAL.add_working_minutes(wib(2026, 11, 24, 21, 0), 0) == wib(2026, 11, 25, 7, 30)
    # Before opening on the same day.
    assert CAL.add_working_minutes(wib(2026, 11, 25, 6, 0), 10) == wib(2026, 11, 25, 7, 40)


def test_filed_on_saturday_starts_monday_morning() -> None:
    assert CAL.add_working_minutes(wib(2026, 11, 28, 10, 0), 0) == wib(2026, 11, 30, 7, 30)
    assert CAL.add_working_minutes(wib(2026, 11, 28, 10, 0), 60) == wib(2026, 11, 30, 8, 30)


def test_filed_on_christmas_eve_cuti_bersama_starts_after_christmas() -> None:
    # Thu 24 Dec (cuti bersama) and Fri 25 Dec are closed, then the weekend.
    assert not CAL.is_working_day(date(2026, 12, 24))
    assert not CAL.is_working_day(date(2026, 12, 25))
    assert CAL.closed_reason(date(2026, 12, 24)) == "Cuti Bersama Hari Raya Natal"
    due = CAL.add_working_minutes(wib(2026, 12, 24, 9, 0), 5)
    assert due == wib(2026, 12, 28, 7, 35)


def test_idul_fitri_2026_and_its_cuti_bersama_are_skipped() -> None:
    # Nyepi (18-19 Mar) runs straight into Idul Fitri (20-24 Mar), so Tue 17 Mar is the
    # working day before the block and Wed 25 Mar the first one after it.
    assert CAL.is_working_day(date(2026, 3, 17))
    for offset in range(7):
        assert not CAL.is_working_day(date(2026, 3, 18) + timedelta(days=offset))
    assert CAL.is_working_day(date(2026, 3, 25))
    # 60 minutes left on Tuesday, the other 60 on Wednesday after the holidays.
    assert CAL.add_working_minutes(wib(2026, 3, 17, 15, 0), 120) == wib(2026, 3, 25, 8, 30)
    assert CAL.add_working_minutes(wib(2026, 3, 17, 15, 58), 5) == wib(2026, 3, 25, 7, 33)
    assert CAL.working_minutes_between(wib(2026, 3, 17, 15, 0), wib(2026, 3, 25, 8, 30)) == 120


def test_extra_closed_day_is_skipped() -> None:
    closed = date(2026, 11, 30)
    cal = WorkingCalendar(closed_days=[closed])
    assert not cal.is_working_day(closed)
    assert cal.closed_reason(closed) == EXTRA_CLOSED_DAY
    assert cal.add_working_minutes(wib(2026, 11, 27, 16, 28), 5) == wib(2026, 12, 1, 7, 33)


def test_without_holiday_source_only_weekends_are_closed() -> None:
    assert PLAIN.is_working_day(date(2026, 12, 24))
    assert PLAIN.is_working_day(date(2026, 12, 25))
    assert not PLAIN.is_working_day(date(2026, 12, 26))
    assert not PLAIN.is_working_day(date(2026, 12, 27))
    assert PLAIN.closed_reason(date(2026, 12, 25)) is None
    # Mon-Thu 8.5 h, Fri 9 h.
    week = PLAIN.working_minutes_between(wib(2026, 12, 21), wib(2026, 12, 28))
    assert week == 4 * 510 + 540


def test_closed_reason() -> None:
    assert CAL.closed_reason(date(2026, 3, 21)) == "Hari Raya Idul Fitri"  # a Saturday holiday
    assert CAL.closed_reason(date(2026, 11, 28)) is None  # plain Saturday
    assert CAL.closed_reason(date(2026, 11, 27)) is None  # working day


def test_friday_closes_later_than_monday_to_thursday() -> None:
    assert CAL.add_working_minutes(wib(2026, 11, 27, 16, 20), 5) == wib(2026, 11, 27, 16, 25)
    assert CAL.add_working_minutes(wib(2026, 11, 26, 15, 58), 5) == wib(2026, 11, 27, 7, 33)
    assert CAL.add_working_minutes(wib(2026, 11, 23, 15, 58), 5) == wib(2026, 11, 24, 7, 33)


def test_result_exactly_at_closing_stays_at_closing() -> None:
    assert CAL.add_working_minutes(wib(2026, 11, 23, 15, 55), 5) == wib(2026, 11, 23, 16, 0)
    assert CAL.add_working_minutes(wib(2026, 11, 27, 16, 25), 5) == wib(2026, 11, 27, 16, 30)


def test_office_hours_are_half_open() -> None:
    assert CAL.is_working_instant(wib(2026, 11, 23, 7, 30))
    assert not CAL.is_working_instant(wib(2026, 11, 23, 7, 30) - timedelta(microseconds=1))
    assert CAL.is_working_instant(wib(2026, 11, 23, 16, 0) - timedelta(microseconds=1))
    assert not CAL.is_working_instant(wib(2026, 11, 23, 16, 0))
    assert CAL.is_working_instant(wib(2026, 11, 27, 16, 15))
    assert not CAL.is_working_instant(wib(2026, 11, 28, 10, 0))
    assert CAL.next_working_instant(wib(2026, 11, 23, 16, 0)) == wib(2026, 11, 24, 7, 30)
    assert CAL.next_working_instant(wib(2026, 11, 23, 9, 1)) == wib(2026, 11, 23, 9, 1)


def test_between_across_a_weekend() -> None:
    start, end = wib(2026, 11, 27, 16, 0), wib(2026, 11, 30, 8, 0)
    assert CAL.working_minutes_between(start, end) == 60
    assert CAL.working_minutes_between(end, start) == 0
    assert CAL.working_minutes_between(start, start) == 0


def test_other_zones_are_converted_and_results_come_back_in_wib() -> None:
    # 09:28 UTC = 16:28 WIB.
    filed = datetime(2026, 11, 27, 9, 28, tzinfo=UTC)
    due = CAL.add_working_minutes(filed, 5)
    assert due == wib(2026, 11, 30, 7, 33)
    assert due.tzinfo == WIB
    assert due.utcoffset() == timedelta(hours=7)


def test_fractional_minutes_keep_their_precision() -> None:
    start = wib(2026, 11, 23, 8, 0)
    assert CAL.add_working_minutes(start, 0.5) == start + timedelta(seconds=30)
    assert CAL.add_working_minutes(start, 1.25) == start + timedelta(seconds=75)
    end = start + timedelta(seconds=90, microseconds=6)
    assert CAL.working_minutes_between(start, end) == pytest.approx(1.5000001, abs=1e-9)
    # Partial minute before closing, remainder carried to the next morning.
    due = CAL.add_working_minutes(wib(2026, 11, 23, 15, 59), 1.5)
    assert due == wib(2026, 11, 24, 7, 30) + timedelta(seconds=30)


def test_ten_thousand_minutes() -> None:
    start = wib(2026, 1, 5, 7, 30)
    due = CAL.add_working_minutes(start, 10_000)
    assert CAL.working_minutes_between(start, due) == 10_000


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 11, 27, 16, 28)
    with pytest.raises(ValueError, match="naive"):
        CAL.add_working_minutes(naive, 5)
    with pytest.raises(ValueError, match="naive"):
        CAL.next_working_instant(naive)
    with pytest.raises(ValueError, match="naive"):
        CAL.is_working_instant(naive)
    with pytest.raises(ValueError, match="naive"):
        CAL.working_minutes_between(naive, wib(2026, 11, 30))
    with pytest.raises(ValueError, match="naive"):
        CAL.working_minutes_between(wib(2026, 11, 20), naive)


def test_bad_arguments_are_rejected() -> None:
    start = wib(2026, 11, 23, 8, 0)
    with pytest.raises(ValueError):
        CAL.add_working_minutes(start, -1)
    with pytest.raises(ValueError):
        CAL.add_working_minutes(start, float("nan"))
    with pytest.raises(ValueError):
        CAL.add_working_minutes(start, float("inf"))
    with pytest.raises(TypeError):
        CAL.add_working_minutes(start, "5")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CAL.is_working_day(start)  # a datetime would silently miss every holiday
    with pytest.raises(ValueError):
        WorkingCalendar(office_hours={0: (time(16, 0), time(7, 30))})
    with pytest.raises(ValueError):
        WorkingCalendar(office_hours={7: (time(7, 30), time(16, 0))})


def test_calendar_without_working_days_raises_instead_of_looping() -> None:
    never = WorkingCalendar(office_hours={})
    with pytest.raises(ValueError):
        never.next_working_instant(wib(2026, 1, 1))
    with pytest.raises(ValueError):
        never.add_working_minutes(wib(2026, 1, 1), 5)
    assert never.working_minutes_between(wib(2026, 1, 1), wib(2026, 2, 1)) == 0
    # Working days that run out later are caught too.
    everything_closed_from_2027 = WorkingCalendar(
        holiday_source=lambda year: (
            {}
            if year < 2027
            else {date(year, 1, 1) + timedelta(days=n): "closed" for n in range(366)}
        )
    )
    with pytest.raises(ValueError):
        everything_closed_from_2027.add_working_minutes(wib(2026, 12, 31, 8, 0), 1000)


def test_default_office_hours_are_read_only() -> None:
    assert DEFAULT_OFFICE_HOURS[4] == (time(7, 30), time(16, 30))
    assert 5 not in DEFAULT_OFFICE_HOURS and 6 not in DEFAULT_OFFICE_HOURS
    with pytest.raises(TypeError):
        DEFAULT_OFFICE_HOURS[5] = (time(8, 0), time(12, 0))  # type: ignore[index]


def test_dst_zone_counts_real_elapsed_minutes() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    night_shift = {weekday: (time(0, 0), time(6, 0)) for weekday in range(7)}
    cal = WorkingCalendar(tz="Europe/Berlin", office_hours=night_shift, holiday_source=None)

    def day(d: date) -> tuple[datetime, datetime]:
        return datetime.combine(d, time(0), berlin), datetime.combine(d, time(12), berlin)

    # Clocks jump 02:00 -> 03:00 on 29 Mar 2026 and fall back 03:00 -> 02:00 on 25 Oct 2026.
    assert cal.working_minutes_between(*day(date(2026, 3, 29))) == 5 * 60
    assert cal.working_minutes_between(*day(date(2026, 10, 25))) == 7 * 60
    assert cal.add_working_minutes(datetime(2026, 3, 29, 1, 30, tzinfo=berlin), 60) == datetime(
        2026, 3, 29, 3, 30, tzinfo=berlin
    )


# --- properties -------------------------------------------------------------------------------

ZONES = st.sampled_from([WIB, UTC, ZoneInfo("Asia/Makassar"), ZoneInfo("Europe/Berlin")])
INSTANTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31, 23, 59), timezones=ZONES
)
MINUTES = st.integers(min_value=0, max_value=5000)
PROPERTY = settings(max_examples=200, deadline=None)


@PROPERTY
@given(instant=INSTANTS, first=MINUTES, second=MINUTES)
def test_adding_in_two_steps_equals_adding_once(instant: datetime, first: int, second: int) -> None:
    midway = CAL.add_working_minutes(instant, first)
    if second:
        assert CAL.add_working_minutes(midway, second) == CAL.add_working_minutes(
            instant, first + second
        )
    else:
        # Adding 0 moves a result parked at closing time to the next opening; that is the
        # same working position, just not the same instant.
        assert CAL.add_working_minutes(midway, 0) == CAL.next_working_instant(midway)


@PROPERTY
@given(instant=INSTANTS, minutes=MINUTES)
def test_between_measures_what_add_added(instant: datetime, minutes: int) -> None:
    due = CAL.add_working_minutes(instant, minutes)
    assert abs(CAL.working_minutes_between(instant, due) - minutes) < 1e-6


@PROPERTY
@given(instant=INSTANTS, minutes=st.integers(min_value=1, max_value=5000))
def test_add_lands_in_working_time_or_exactly_at_closing(instant: datetime, minutes: int) -> None:
    due = CAL.add_working_minutes(instant, minutes)
    assert due.tzinfo == WIB
    assert CAL.is_working_instant(due) or CAL.is_working_instant(due - timedelta(microseconds=1))


@PROPERTY
@given(instant=INSTANTS)
def test_next_working_instant_is_working_and_not_before(instant: datetime) -> None:
    nxt = CAL.next_working_instant(instant)
    assert CAL.is_working_instant(nxt)
    assert nxt >= instant
    # Nothing working is skipped on the way.
    assert CAL.working_minutes_between(instant, nxt) == 0


@PROPERTY
@given(instants=st.lists(INSTANTS, min_size=3, max_size=3))
def test_between_is_additive(instants: list[datetime]) -> None:
    a, b, c = sorted(instants)
    whole = CAL.working_minutes_between(a, c)
    assert abs(CAL.working_minutes_between(a, b) + CAL.working_minutes_between(b, c) - whole) < 1e-6
