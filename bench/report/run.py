"""Benchmark of the year report: time and peak memory of ``ReportService``.

1. The pure computation (``tiket.domain.reporting`` plus the JSON shaping) of a year summary
   over 100,000 synthetic tickets held in memory.
2. The year's ticket export (CSV) over the same tickets.
3. The year summary read through the store (month index, moto in-process) for a smaller
   sample written to the table first. Moto's response serialisation dominates this figure;
   DynamoDB itself pages 1 MB per Query call.

Tickets go through the real lifecycle on the real calendar (Indonesian holidays included):
a realistic mix of paths, late steps, holds, cancellations, open tickets and surveys.

    .venv/bin/python bench/report/run.py [--tickets 100000] [--stored 2000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from moto import mock_aws

from tiket.adapters.clock import FixedClock
from tiket.config import CATEGORIES, Settings
from tiket.domain.lifecycle import apply, open_ticket
from tiket.domain.model import Actor, Requester, Survey, Ticket
from tiket.domain.reporting import breached_steps
from tiket.domain.standards import StepClock
from tiket.services import exports
from tiket.services.bootstrap import Services, build_services

WIB = ZoneInfo("Asia/Jakarta")
YEAR = 2026
NOW = datetime(YEAR, 12, 31, 15, 0, tzinfo=WIB)
TIK = [Actor(f"tik{i}@example.go.id", f"Pengelola TIK {i}", "tik") for i in range(1, 5)]
RT = [Actor(f"rt{i}@example.go.id", f"Pengelola RT {i}", "rt") for i in range(1, 3)]
SIGNING_KEY = "bench-signing-key-0123456789"
UNITS = ["Tata Usaha", "Keuangan", "Kepegawaian", "Laboratorium", "Perencanaan", "Umum"]


class NoMail:
    def send(self, mail) -> str:
        return mail.id


def synthetic_tickets(count: int, services: Services, rng: random.Random) -> list[Ticket]:
    calendar = services.calendar
    clock = StepClock(calendar, services.settings.standards)
    days = [
        date(YEAR, 1, 1) + timedelta(days=n)
        for n in range((NOW.date() - date(YEAR, 1, 1)).days + 1)
    ]
    days = [day for day in days if calendar.is_working_day(day)]
    tickets = []
    for number in range(1, count + 1):
        day = rng.choice(days)
        opens, closes = calendar.office_hours[day.weekday()]
        start = datetime.combine(day, opens, tzinfo=WIB)
        span = (datetime.combine(day, closes) - datetime.combine(day, opens)).seconds
        # One request in twenty is filed outside office hours (its clocks start next morning).
        offset = rng.uniform(0, span) if rng.random() > 0.05 else rng.uniform(span, span + 3e4)
        created = start + timedelta(seconds=offset)
        if created > NOW:
            continue
        tickets.append(_life(number, created, clock, rng))
    return tickets


def _life(number: int, created: datetime, clock: StepClock, rng: random.Random) -> Ticket:
    """One ticket's story up to ``NOW``: mostly on time, some steps late, some held."""
    calendar = clock.calendar
    ticket = open_ticket(
        number=f"TIK-{YEAR}-{number:06d}",
        requester=Requester(
            f"Pegawai {number}", f"pegawai{number}@example.go.id", rng.choice(UNITS), "Gedung A"
        ),
        category=rng.choice(list(CATEGORIES)),
        subject=f"Kendala {number}",
        description="Uraian kendala.",
        asset_tag=None,
        now=created,
        clock=clock,
    ).ticket
    ticket = replace(
        ticket, notified_at=created + timedelta(seconds=rng.expovariate(1 / 40)), track_token=None
    )
    at = created

    def step(action: str, actor: Actor, minutes: float, **fields) -> bool:
        nonlocal ticket, at
        moment = calendar.add_working_minutes(at, minutes)
        if moment > NOW:
            return False
        at = moment
        ticket = apply(ticket, action, actor, fields, at, clock).ticket
        return True

    def late(on_time: float, share: float) -> float:
        return (
            rng.uniform(on_time * 1.1, on_time * 6)
            if rng.random() < share
            else rng.uniform(0.5, on_time)
        )

    tik = rng.choice(TIK)
    if rng.random() < 0.03:
        step("cancel", tik, rng.uniform(1, 30), reason="Permohonan ganda")
        return _recorded(ticket)
    if not step("acknowledge", tik, late(5, 0.15)):
        return _recorded(ticket)
    refer = rng.random() < 0.25
    estimate = rng.choice((30, 60, 120, 240, 480))
    fields = {"diagnosis": "Hasil diagnosa", "decision": "refer" if refer else "handle"}
    if not refer:
        fields["estimate_minutes"] = estimate
    if not step("diagnose", tik, late(10, 0.15), **fields):
        return _recorded(ticket)
    holder = tik
    if refer:
        holder = rng.choice(RT)
        if not step("accept", holder, late(60, 0.2), estimate_minutes=estimate):
            return _recorded(ticket)
    if rng.random() < 0.1:
        if not step("hold", holder, rng.uniform(5, estimate), reason="Menunggu suku cadang"):
            return _recorded(ticket)
        if not step("resume", holder, rng.uniform(30, 1500)):
            return _recorded(ticket)
    if not step("resolve", holder, late(estimate, 0.2), resolution="Selesai ditangani"):
        return _recorded(ticket)
    if rng.random() < 0.6:
        skew = rng.choice((2, 3, 3, 4, 4))
        answers = {f"u{i}": max(1, min(4, skew + rng.choice((-1, 0, 0, 1)))) for i in range(1, 10)}
        requester = Actor(ticket.requester.email, ticket.requester.name, "requester")
        survey = Survey(answers, "", at)
        step("survey", requester, rng.uniform(10, 2000), survey=survey)
    return _recorded(ticket)


def _recorded(ticket: Ticket) -> Ticket:
    """The breaches the every-minute sweep would have recorded by ``NOW``."""
    return replace(ticket, breaches=breached_steps(ticket, NOW))


def measure(label: str, run: Callable[[], object]) -> object:
    """Time one run, then run again under tracemalloc for the peak it allocates (its input,
    already in memory, is not counted)."""
    started = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<56} {elapsed:8.2f} s {peak / 2**20:10.1f} MiB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--stored", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with mock_aws():
        settings = Settings(env="test", table="tiket-bench", signing_keys=(SIGNING_KEY,))
        services = build_services(settings, clock=FixedClock(NOW), transport=NoMail())
        reports = services.reports
        year = reports.period(str(YEAR))

        started = time.perf_counter()
        tickets = synthetic_tickets(args.tickets, services, rng)
        print(f"built {len(tickets):,} tickets of {YEAR} in {time.perf_counter() - started:.1f} s")
        print(f"{'measure':<56} {'time':>10} {'peak (tracemalloc)':>14}")
        summary = measure(
            f"year summary, in memory ({len(tickets):,} tickets)",
            lambda: reports.summary_of(reports.figures(tickets), year, "id"),
        )
        table = measure(
            f"tickets.csv of the year, in memory ({len(tickets):,})",
            lambda: exports.csv_bytes(exports.ticket_table(tickets, services.calendar, NOW, "id")),
        )

        services.stores.create_table()
        sample = rng.sample(tickets, min(args.stored, len(tickets)))
        # Batch writes: moto copies the whole table for every transaction, so filing the
        # tickets one by one would time moto, not TIKet.
        services.uow.import_tickets(sample)
        stored = measure(
            f"year summary through the store, moto ({len(sample):,} tickets)",
            lambda: reports.summary(year, "id"),
        )
        assert stored["tickets"] == len(sample)

    print(
        f"\nyear in memory: {summary['tickets']:,} tickets, IKM {summary['skm']['converted']} "
        f"({summary['skm']['category']}), acknowledged on time "
        f"{summary['compliance'][1]['percent']}%, backlog {summary['backlog']['total']}; "
        f"tickets.csv {len(table) / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    main()
