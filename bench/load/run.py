"""Load bench: the real local stack (``tiket run``) on loopback, driven over HTTP.

1. N submissions (default 1,000) at concurrency C (default 20), each with its own
   Idempotency-Key;
2. R tickets (default 100) raced: both ICT staff POST their acknowledge link from the outbox
   at once (``Accept: application/json``, each click with its own Idempotency-Key, as the
   link's page sends), 2R clicks.

With faults (the default; ``--no-faults`` for a clean run): SES refuses every send during the
first third of the submissions, and DynamoDB throttles 5 % of all writes throughout (both
answered in moto's place at the HTTP level, through the stack's ``/_dev/faults``, so botocore
retries them as real ones). Clients do what the API asks: a 503 is sent again after its
Retry-After with the same Idempotency-Key, and so is a submission that timed out (as a real
client would). Afterwards the outbox is drained by sweeps run
as if hours had passed (``/_dev/sweep?at=``).

Prints throughput, p50/p95 latency and errors by kind for each phase, then the audit, read
from the table and the outbox: tickets stored = tickets answered, numbers distinct, one
ticket per Idempotency-Key, exactly one acknowledgement per raced ticket, every email of
those kinds sent exactly once (confirmation and two new-request emails per ticket, two per
acknowledgement), every outbox record sent, and the report counters kept by every change
equal a recount of the tickets (``tiket reports rebuild --check``). Exits 1 if the audit
fails.

The stack runs in a temporary directory (the user's ``var/`` is untouched) with the rate
limits raised for the bench. Every request has a timeout; every loop is bounded.
Run: ``.venv/bin/python bench/load/run.py`` (about two minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import boto3
from tests.stack import LocalStack
from tests.support import VALID_TICKET

TIMEOUT_S = 30
RETRIES = 5
THROTTLE = 0.05  # share of DynamoDB writes throttled
DRAIN_HOPS = 36  # two hours apart: three days
DRAIN_SWEEPS = 30  # sweeps at one time, at most
SWEEP_BATCH = 200  # tickets a sweep takes (``DynamoTickets.due``)
MAIL_BATCH = 100  # due emails a sweep sends (``Mailer.send_due``)
GENEROUS = {"tickets": [100_000, 60], "login": [100_000, 60], "resend": [100_000, 60]}
TIK = ("tik1@example.go.id", "tik2@example.go.id")
ACTION_LINK = re.compile(r"https?://\S+/actions/[A-Za-z0-9_.\-]+")


def call(method: str, url: str, body: dict | None = None, headers: dict | None = None):
    """(status or error kind, seconds, JSON body or None); never raises."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT_S)
    started = time.perf_counter()
    try:
        connection.request(
            method,
            parts.path,
            body=None if body is None else json.dumps(body),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                **(headers or {}),
            },
        )
        response = connection.getresponse()
        status, payload = response.status, response.read()
    except (OSError, http.client.HTTPException) as error:  # timeouts and refusals included
        return type(error).__name__, time.perf_counter() - started, None
    finally:
        connection.close()
    elapsed = time.perf_counter() - started
    try:
        return status, elapsed, json.loads(payload or b"null")
    except ValueError:
        return status, elapsed, None


def patient_call(method: str, url: str, body=None, headers=None):
    """A client that follows the API: a 503 is tried again after Retry-After, and a request
    carrying an Idempotency-Key is sent again after a timeout or a dropped connection too
    (the same key makes that safe: the answer is the ticket the first attempt made, if it
    made one), a few times. A request without a key is never repeated."""
    started = time.perf_counter()
    repeatable = bool(headers and "Idempotency-Key" in headers)
    for _ in range(RETRIES):
        status, _, payload = call(method, url, body, headers)
        if status != 503 and not (repeatable and isinstance(status, str)):
            break
        time.sleep(1)
    return status, time.perf_counter() - started, payload


def run_phase(name: str, jobs: list, concurrency: int) -> list:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda job: patient_call(*job), jobs))
    wall = time.perf_counter() - started
    latencies = sorted(seconds for _, seconds, _ in results)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    kinds = Counter(str(status) for status, _, _ in results)
    print(
        f"{name:<12} {len(jobs):>5} requests in {wall:6.1f} s = {len(jobs) / wall:6.1f}/s"
        f"   p50 {cuts[49] * 1000:6.0f} ms   p95 {cuts[94] * 1000:6.0f} ms"
        f"   answers {dict(sorted(kinds.items()))}"
    )
    return results


def submissions(url: str, count: int) -> list:
    return [
        (
            "POST",
            f"{url}/api/tickets",
            {**VALID_TICKET, "subject": f"Beban {i}: printer tidak mencetak"},
            {"Idempotency-Key": str(uuid.uuid4())},
        )
        for i in range(count)
    ]


def outbox(directory: Path) -> list[dict]:
    """Every email the stack sent, from its .eml copies."""
    mails = []
    for path in sorted(directory.glob("*.eml")):
        message = BytesParser(policy=policy.default).parse(path.open("rb"))
        text = message.get_body(preferencelist=("plain",)).get_content()
        mails.append(
            {
                "ticket": message["X-TIKet-Ticket"],
                "to": message["To"].addresses[0].addr_spec,
                "kind": path.stem.split("-")[-2],  # <time>-<ticket>-<kind>-<id>
                "links": ACTION_LINK.findall(text),
            }
        )
    return mails


def races(mails: list[dict], numbers: list[str]) -> list:
    """For each ticket, both ICT staff members' acknowledge links (the first link of their
    new-request email), side by side in the queue: the pool sends each pair at once."""
    links = {
        (mail["ticket"], mail["to"]): mail["links"][0]
        for mail in mails
        if mail["kind"] == "new_ticket" and mail["links"]
    }
    # Each click carries its own Idempotency-Key, as the link's page does: a click whose
    # answer was lost (a 503 after the commit, a timeout) is sent again and answered with
    # the change it made, not the 409 of a used link.
    return [
        ("POST", links[(number, tik)], {}, {"Idempotency-Key": str(uuid.uuid4())})
        for number in numbers
        for tik in TIK
    ]


def table(stack: LocalStack) -> list[dict]:
    """The whole table, through the stack's DynamoDB endpoint (a Scan: the bench only)."""
    client = boto3.client(
        "dynamodb",
        endpoint_url=f"http://127.0.0.1:{stack.aws_port}",
        region_name="ap-southeast-3",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return [
        item
        for page in client.get_paginator("scan").paginate(TableName="tiket")
        for item in page["Items"]
    ]


def drain(stack: LocalStack, *, to_the_end: bool) -> None:
    """Faults off, then sweeps as if hours had passed, two hours apart, each time until the
    sweep finds no more tickets or emails due. Until every email is out; ``to_the_end``:
    through all ``DRAIN_HOPS`` (three days, so that the steps' working minutes run out
    whatever the time of day the bench starts, and every breach and escalation is sent):
    the stack's own per-minute sweep then has nothing left, and the audit reads a table
    nothing is changing."""
    stack.request("POST", "/_dev/faults", {"ses_down": False, "write_throttle": 0})
    later = datetime.now(UTC)
    for _ in range(DRAIN_HOPS):
        later += timedelta(hours=2)
        at = later.isoformat().replace("+", "%2B")
        for _ in range(DRAIN_SWEEPS):
            # One sweep does hours of breaches and emails at once: a long timeout.
            connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=900)
            connection.request("POST", "/_dev/sweep?at=" + at)
            report = json.loads(connection.getresponse().read())
            connection.close()
            if report["due_tickets"] < SWEEP_BATCH and report["emails_sent"] < MAIL_BATCH:
                break
        if to_the_end:
            continue
        statuses = {i["status"]["S"] for i in table(stack) if i["pk"]["S"].startswith("MAIL#")}
        if statuses <= {"sent", "decoy"}:
            return


def figures_recounted(stack: LocalStack) -> tuple[int, str]:
    """``tiket reports rebuild --check`` on this year, against the stack's table: exit code
    0 when every month's counters equal a recount of its tickets and their histories."""
    env = {
        **os.environ,
        "TIKET_TABLE": "tiket",
        "TIKET_DYNAMODB_ENDPOINT": f"http://127.0.0.1:{stack.aws_port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-southeast-3",
    }
    year = time.strftime("%Y")
    command = [sys.executable, "-m", "tiket.cli", "reports", "rebuild", "--check", year]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    busy = [line for line in done.stdout.splitlines() if "\t0 tickets" not in line]
    return done.returncode, "; ".join(busy) or done.stderr[-300:]


def audit(stack: LocalStack, filed: list, clicks: list, raced: list[str]) -> bool:
    numbers = [body["number"] for status, _, body in filed if status in (200, 201)]
    stored, acks, outbox_records = set(), Counter(), Counter()
    for item in table(stack):
        pk, sk = item["pk"]["S"], item["sk"]["S"]
        if pk.startswith("T#") and sk == "META":
            stored.add(item["number"]["S"])
        elif pk.startswith("T#") and sk.startswith("H#") and item["action"]["S"] == "acknowledge":
            acks[pk.removeprefix("T#")] += 1
        elif pk.startswith("MAIL#"):
            outbox_records[item["status"]["S"]] += 1
    mails = outbox(stack.var_dir / "outbox")
    sent = Counter(mail["kind"] for mail in mails)
    # Breach notices and escalations go once per step (and per level of the escalation
    # ladder, issue 15), which the file name does not say: a recipient can rightly get
    # several for one ticket. Their once-only records guarantee that (tests/integration/
    # test_escalation_ladder.py); every other kind goes once per ticket and recipient.
    repeated = [
        key
        for key, n in Counter((m["ticket"], m["kind"], m["to"]) for m in mails).items()
        if n > 1 and key[1] not in ("breach", "escalation")
    ]
    answered = Counter(status for status, _, _ in clicks)
    expected = {
        "confirmation": len(numbers),
        "new_ticket": len(numbers) * len(TIK),
        "acknowledged": len(raced),
        "next_steps": len(raced),
    }
    once = sum(acks[number] == 1 for number in raced)
    checks = [
        ("tickets stored = 201s returned", len(stored), len(numbers)),
        ("numbers distinct", len(set(numbers)), len(numbers)),
        ("stored numbers = returned numbers", stored == set(numbers), True),
        ("raced tickets acknowledged exactly once", once, len(raced)),
        ("acknowledgements in all", sum(acks.values()), len(raced)),
        ("clicks answered 200 / 409", (answered[200], answered[409]), (len(raced),) * 2),
        ("emails by kind (outbox files)", {k: sent[k] for k in expected}, expected),
        ("no email sent twice", repeated, []),
        ("outbox records, all sent", dict(outbox_records), {"sent": sum(sent.values())}),
    ]
    code, months = figures_recounted(stack)
    checks.append((f"report counters = recount ({months})", code, 0))
    print("\naudit")
    ok = True
    for label, got, want in checks:
        ok &= got == want
        print(f"  {'ok  ' if got == want else 'FAIL'} {label}: {got}", end="")
        print("" if got == want else f" (expected {want})")
    if sent["breach"] or sent["escalation"]:
        print(
            f"  note: {sent['breach']} breach notices and {sent['escalation']} escalations from"
            " the sweeps (the drain runs them hours later)"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--races", type=int, default=100)
    parser.add_argument("--no-faults", dest="faults", action="store_false")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tiket-load-") as tmp:
        stack = LocalStack(Path(tmp) / "var", env={"TIKET_RATE_LIMITS": json.dumps(GENEROUS)})
        stack.start(timeout=120)
        try:
            print(f"local stack {stack.url}: {args.tickets} tickets, {args.concurrency} at once")
            jobs = submissions(stack.url, args.tickets)
            third = len(jobs) // 3
            if args.faults:
                print(f"faults: SES down for the first {third}, {THROTTLE:.0%} writes throttled")
                stack.request(
                    "POST", "/_dev/faults", {"ses_down": True, "write_throttle": THROTTLE}
                )
                filed = run_phase("subm. (SES down)", jobs[:third], args.concurrency)
                stack.request("POST", "/_dev/faults", {"ses_down": False})
                filed += run_phase("submissions", jobs[third:], args.concurrency)
            else:
                filed = run_phase("submissions", jobs, args.concurrency)
            answered = [body["number"] for status, _, body in filed if status in (200, 201)]
            if args.faults:
                drain(stack, to_the_end=False)  # the emails out before their links are raced
            raced = answered[: args.races]
            if args.faults:  # the acknowledge race under throttling too
                stack.request("POST", "/_dev/faults", {"write_throttle": THROTTLE})
            clicks = run_phase(
                "acknowledge", races(outbox(stack.var_dir / "outbox"), raced), args.concurrency
            )
            injected = stack.request("POST", "/_dev/faults", {})[1]["injected"]
            drain(stack, to_the_end=True)
            print(f"injected faults: {injected}")
            ok = audit(stack, filed, clicks, raced)
        finally:
            try:
                stack.stop(timeout=300)
            except subprocess.TimeoutExpired:
                # Saving a big snapshot can outlast the wait on a loaded machine; the data is a
                # temporary directory's: the audit counts.
                print("\nthe stack did not stop within 300 s; killed")
    print("\naudit passed" if ok else "\naudit FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
