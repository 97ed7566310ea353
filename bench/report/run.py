"""Benchmark of the year report and the export jobs (issue 14).

1. A year of synthetic tickets (100,000 by default), built through the real lifecycle on the
   real calendar (Indonesian holidays included): a realistic mix of paths, late steps,
   holds, cancellations, open tickets and surveys, the breaches a per-minute sweep would
   have recorded.
2. Stored in the table on moto (in-process) by the unit of work's bulk import, which adds
   every ticket's share of its month's counters (``tiket.domain.aggregates``).
3. The year summary through the real store path (``ReportService.summary``): seconds,
   DynamoDB calls and items read; then the counters against a full recount from the same
   tickets (equal, month by month), and the figures against ``compile_report`` over them.
4. Export jobs of the year (CSV and XLSX): tickets read from the in-memory store (moto's
   DynamoDB serialisation would dominate: ~10 ms an item), the file streamed to S3 on moto
   by multipart upload; seconds, and the peak memory traced for 10k, 50k and all rows.

    .venv/bin/python bench/report/run.py [--tickets 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.update(
    AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="ap-southeast-3"
)

import boto3
from botocore.client import BaseClient
from moto import mock_aws
from tests.support import MemoryTransport, make_services

from tiket.adapters.clock import FixedClock
from tiket.adapters.export_files import ensure_bucket
from tiket.adapters.memory import memory_stores
from tiket.config import CATEGORIES
from tiket.domain.aggregates import recount
from tiket.domain.deadlines import SurveyPolicy, survey_times
from tiket.domain.lifecycle import apply, imported, open_ticket
from tiket.domain.model import Actor, Requester, Survey, Ticket
from tiket.domain.reporting import compile_report
from tiket.domain.standards import StepClock
from tiket.local_moto import patch_moto
from tiket.services.ports import TicketWrite

WIB = ZoneInfo("Asia/Jakarta")
YEAR = 2026
NOW = datetime(YEAR, 12, 31, 15, 0, tzinfo=WIB)
TIK = [Actor(f"tik{i}@example.go.id", f"Pengelola TIK {i}", "tik") for i in range(1, 5)]
RT = [Actor(f"rt{i}@example.go.id", f"Pengelola RT {i}", "rt") for i in range(1, 3)]
UNITS = ["Tata Usaha", "Keuangan", "Kepegawaian", "Laboratorium", "Perencanaan", "Umum"]
BUCKET = "tiket-bench-exports"
POLICY = SurveyPolicy()  # the settings' defaults: reminder after 2, close after 5 working days


class Meter:
    """DynamoDB calls and the items they returned, while on."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.items = 0
        self.on = False
        original = BaseClient._make_api_call
        meter = self

        def metered(client, operation, params):
            response = original(client, operation, params)
            if meter.on and client.meta.service_model.service_name == "dynamodb":
                meter.calls[operation] += 1
                meter.items += len(response.get("Items", ())) + ("Item" in response)
            return response

        BaseClient._make_api_call = metered

    def reset(self) -> None:
        self.calls.clear()
        self.items = 0


def synthetic_tickets(count: int, services, rng: random.Random) -> list[Ticket]:
    calendar = services.calendar
    clock = StepClock(calendar, services.settings.standards)
    first = date(YEAR, 1, 1)
    days = [first + timedelta(days=n) for n in range((NOW.date() - first).days + 1)]
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
        if created <= NOW:
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
        return _swept(ticket, clock)
    if not step("acknowledge", tik, late(5, 0.15)):
        return _swept(ticket, clock)
    refer = rng.random() < 0.25
    estimate = rng.choice((30, 60, 120, 240, 480))
    fields = {"diagnosis": "Hasil diagnosa", "decision": "refer" if refer else "handle"}
    if not refer:
        fields["estimate_minutes"] = estimate
    if not step("diagnose", tik, late(10, 0.15), **fields):
        return _swept(ticket, clock)
    holder = tik
    if refer:
        holder = rng.choice(RT)
        if not step("accept", holder, late(60, 0.2), estimate_minutes=estimate):
            return _swept(ticket, clock)
    if rng.random() < 0.1:
        if not step("hold", holder, rng.uniform(5, estimate), reason="Menunggu suku cadang"):
            return _swept(ticket, clock)
        if not step("resume", holder, rng.uniform(30, 1500)):
            return _swept(ticket, clock)
    if not step("resolve", holder, late(estimate, 0.2), resolution="Selesai ditangani"):
        return _swept(ticket, clock)
    if rng.random() < 0.6:
        skew = rng.choice((2, 3, 3, 4, 4))
        answers = {f"u{i}": max(1, min(4, skew + rng.choice((-1, 0, 0, 1)))) for i in range(1, 10)}
        requester = Actor(ticket.requester.email, ticket.requester.name, "requester")
        step("survey", requester, rng.uniform(10, 2000), survey=Survey(answers, "", at))
    return _swept(ticket, clock)


def _swept(ticket: Ticket, clock: StepClock) -> Ticket:
    """What the every-minute sweep would have done by ``NOW``: breaches recorded, survey
    reminders sent, unanswered surveys closed."""
    ticket = replace(ticket, breaches=ticket.late_steps(NOW))
    times = survey_times(ticket, clock.calendar, POLICY)
    if times is not None and times[1] <= NOW:
        fields = {"days": POLICY.close_working_days}
        return apply(ticket, "auto_close", Actor.system(), fields, times[1], clock).ticket
    if times is not None and times[0] <= NOW:
        return replace(ticket, survey_reminded_at=times[0])
    return ticket


def timed(run, repeat: int = 1):
    """(result, median seconds) of ``repeat`` runs."""
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    return result, statistics.median(seconds)


def peak_mib(run) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def check_figures(services, tickets: list[Ticket], summary: dict) -> list[str]:
    """The counters against a recount, and the summary against ``compile_report``."""
    failures = []
    history = imported(tickets[0], NOW).history  # every ticket came in by one import
    fresh = recount(((t, [replace(history, at=NOW)]) for t in tickets), services.calendar)
    for month, tally in sorted(fresh.items()):
        if services.stores.figures.month(month) != tally:
            failures.append(f"counters of {month} differ from the recount")
    exact = compile_report(tickets, services.calendar, NOW, categories=services.settings.categories)
    if summary["tickets"] != exact.tickets:
        failures.append("ticket count")
    for row in summary["compliance"]:
        figures = exact.compliance[row["step"]]
        expected = (figures.completed, figures.on_time, figures.open_overdue, figures.breaches)
        got = (row["completed"], row["on_time"], row["open_overdue"], row["breaches"])
        if got != expected:
            failures.append(f"compliance of {row['step']}: {got} != {expected}")
    for row in summary["durations"]:
        spread = exact.durations[row["measure"]]
        if abs(row["median_minutes"] - spread.median) > 0.011 * spread.median + 0.05:
            failures.append(f"median of {row['measure']}")
    return failures


class Sink:
    """Export files counted and dropped: S3 on moto keeps whole files in this process, which
    would be traced with the job's own memory."""

    def __init__(self) -> None:
        self.parts = 0
        self.size = 0

    def begin(self, key: str, content_type: str) -> str:
        self.parts = self.size = 0
        return "upload"

    def part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        self.parts += 1
        self.size += len(data)
        return f"etag-{number}"

    def complete(self, key, upload_id, etags) -> None:
        pass

    def abort(self, key, upload_id) -> None:
        pass

    def put(self, key, data) -> None:
        pass

    def get(self, key) -> bytes:
        return b""

    def delete(self, key) -> None:
        pass

    def link(self, key, filename, content_type) -> str:
        return key


def bench_exports(services, tickets: list[Ticket], counts: list[int]) -> None:
    """Export jobs from an in-memory ticket store: timed writing to S3 on moto, memory
    traced writing to a sink."""
    memory = memory_stores(WIB)
    history = imported(tickets[0], NOW).history
    memory.tickets.write_many(
        TicketWrite(ticket=t, expected_revision=None, history=history, next_check=None)
        for t in tickets
    )
    exports = services.exports
    exports.tickets = memory.figures
    staff = services.staff.get("supervisor@example.go.id")
    title = "export job (in-memory tickets → S3 on moto)"
    print(f"\n{title:<44} {'rows':>8} {'MiB':>6} {'parts':>5} {'time':>8} {'peak':>10}")
    created = sorted(t.created_at for t in tickets)
    for fmt in ("csv", "xlsx"):
        for limit in counts:
            last = created[limit - 1].astimezone(WIB).date()
            body = {"from": f"{YEAR}-01-01", "to": last.isoformat(), "format": fmt}

            def run(body=body):
                job_id = exports.start(staff, body, "id")["id"]
                exports.starter.started.clear()
                exports.run(job_id)
                return services.stores.exports.get(job_id)

            job, seconds = timed(run)
            head = boto3.client("s3").head_object(Bucket=BUCKET, Key=job.key)
            parts = head["ETag"].strip('"').partition("-")[2] or "1"
            s3 = exports.files
            exports.files = Sink()
            peak = peak_mib(run)
            exports.files = s3
            size = head["ContentLength"] / 2**20
            label = f"{fmt}, Jan 1 to {last}"
            print(
                f"{label:<44} {job.rows:>8,} {size:>6.1f} {parts:>5} {seconds:>6.1f} s "
                f"{peak:>6.1f} MiB"
            )


def bench_summary(services, tickets: list[Ticket], meter: Meter) -> None:
    """The year stored in moto, its summary through the store, checked against a recount."""
    _, seconds = timed(
        lambda: compile_report(tickets, services.calendar, NOW, categories=CATEGORIES)
    )
    print(f"recount from the tickets in memory (compile_report): {seconds:.1f} s")
    _, seconds = timed(lambda: services.uow.import_tickets(tickets))
    print(f"stored in moto with their counters (bulk import): {seconds:.0f} s")
    reports = services.reports
    year = reports.period(str(YEAR))
    runs = 3
    meter.reset()
    meter.on = True
    summary, seconds = timed(lambda: reports.summary(year, "id"), repeat=runs)
    meter.on = False
    calls = {op: n // runs for op, n in meter.calls.items()}
    print(
        f"\nyear summary through the store (moto): {seconds:.2f} s (median of {runs}); "
        f"DynamoDB calls {calls}, items read {meter.items // runs}"
    )
    figures = services.stores.figures
    _, counters = timed(lambda: [figures.month(f"{YEAR}-{m:02d}") for m in range(1, 13)])
    _, due = timed(lambda: figures.past_due(NOW))
    print(f"  of which: twelve months' counters {counters:.2f} s, tickets past due {due:.2f} s")
    failures = check_figures(services, tickets, summary)
    verdict = "yes" if not failures else "NO: " + "; ".join(failures)
    print(f"counters = recount, summary = compile_report: {verdict}")
    acknowledge = summary["compliance"][1]
    print(
        f"the year: {summary['tickets']:,} tickets, IKM {summary['skm']['converted']} "
        f"({summary['skm']['category']}), acknowledged on time {acknowledge['percent']}% of "
        f"{acknowledge['measured']:,}, backlog {summary['backlog']['total']}"
    )


class Noted:
    def __init__(self) -> None:
        self.started: list[str] = []

    def start(self, job_id: str) -> None:
        self.started.append(job_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--exports-only", action="store_true", help="skip storing the year and its summary"
    )
    args = parser.parse_args()
    logging.getLogger("tiket").setLevel(logging.ERROR)
    patch_moto()
    meter = Meter()
    rng = random.Random(args.seed)

    with mock_aws():
        services = make_services(
            FixedClock(NOW), MemoryTransport(), exports_bucket=BUCKET, table="tiket-bench"
        )
        ensure_bucket(boto3.client("s3"), BUCKET, "ap-southeast-3")
        services.exports.starter = Noted()
        tickets, seconds = timed(lambda: synthetic_tickets(args.tickets, services, rng))
        print(f"built {len(tickets):,} tickets of {YEAR} in {seconds:.1f} s")

        if not args.exports_only:
            bench_summary(services, tickets, meter)
        counts = sorted({min(n, len(tickets)) for n in (10_000, 50_000, len(tickets))})
        bench_exports(services, tickets, counts)


if __name__ == "__main__":
    main()
