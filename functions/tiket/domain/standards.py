"""Time standards (mutu baku) of the SOP, and the per-step clock that runs in working time.

A ticket carries one ``StepRecord`` per SOP step it has reached. A step's due time is fixed
when it starts (its standard added in working minutes), moved later by the working time spent
on hold, and compared with its done time. Nothing here reads a clock: ``now`` is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from tiket.domain.calendar import WorkingCalendar
from tiket.domain.vocabulary import Step


@dataclass(frozen=True)
class TimeStandards:
    """Working minutes allowed per step. ``handle`` has no fixed standard: the estimate
    given at diagnosis (ICT) or acceptance (facilities) is the standard, up to the cap."""

    notify: int = 5
    acknowledge: int = 5
    diagnose: int = 10
    rt_accept: int = 60
    # SOP step 6 is "tentatif"; the cap keeps estimates honest: two working days of 8.5 h.
    handle_cap: int = 2 * 510
    handle_default: int = 2 * 510

    def minutes(self, step: Step) -> int:
        if step == Step.HANDLE:
            return self.handle_default
        return int(getattr(self, step))

    def with_overrides(self, overrides: dict[str, int]) -> TimeStandards:
        unknown = set(overrides) - set(self.__dataclass_fields__)
        if unknown:
            raise ValueError(f"Unknown time standards: {sorted(unknown)}")
        return replace(self, **{k: int(v) for k, v in overrides.items()})


DEFAULT_STANDARDS = TimeStandards()


@dataclass(frozen=True)
class StepRecord:
    step: Step
    started_at: datetime
    due_at: datetime
    standard_minutes: float
    done_at: datetime | None = None
    paused_minutes: float = 0.0
    paused_since: datetime | None = None
    # The highest escalation-ladder level reached past the breach (2, 3…; 0: none yet).
    # Kept on the record so that a step begun again climbs afresh.
    escalation: int = 0

    @property
    def open(self) -> bool:
        return self.done_at is None

    def late_at(self, now: datetime) -> bool:
        """Over its due time: done late, or still open past it (and not paused)."""
        if self.done_at is not None:
            return self.done_at > self.due_at
        return self.paused_since is None and now > self.due_at

    def elapsed_minutes(self, calendar: WorkingCalendar, until: datetime) -> float:
        """Working minutes spent on the step, hold time excluded."""
        end = self.done_at or self.paused_since or until
        return max(
            0.0, calendar.working_minutes_between(self.started_at, end) - self.paused_minutes
        )


class StepClock:
    """Starts, completes, pauses and resumes steps in the unit's working time."""

    def __init__(self, calendar: WorkingCalendar, standards: TimeStandards = DEFAULT_STANDARDS):
        self.calendar = calendar
        self.standards = standards

    def start(self, step: Step, now: datetime, minutes: float | None = None) -> StepRecord:
        minutes = self.standards.minutes(step) if minutes is None else minutes
        started = self.calendar.next_working_instant(now)
        return StepRecord(
            step=step,
            started_at=started,
            due_at=self.calendar.add_working_minutes(started, minutes),
            standard_minutes=minutes,
        )

    @staticmethod
    def complete(record: StepRecord, now: datetime) -> StepRecord:
        return replace(record, done_at=now)

    @staticmethod
    def pause(record: StepRecord, now: datetime) -> StepRecord:
        return replace(record, paused_since=now)

    def resume(self, record: StepRecord, now: datetime) -> StepRecord:
        if record.paused_since is None:
            return record
        held = self.calendar.working_minutes_between(record.paused_since, now)
        return replace(
            record,
            paused_since=None,
            paused_minutes=record.paused_minutes + held,
            # The step keeps its full standard: its deadline moves by the working time held.
            due_at=self.calendar.add_working_minutes(record.due_at, held)
            if held
            else record.due_at,
        )
