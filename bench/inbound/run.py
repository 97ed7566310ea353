"""Inbound mail: how long parse_inbound takes on real replies and on the largest mail accepted.

    .venv/bin/python bench/inbound/run.py [--repeat N]

Prints the median time per message for each fixture of tests/fixtures/inbound, for mails just
under the 10 MiB limit (plain text, HTML, a deep '>' quote, a big attachment), the cost of
verifying a reply address, and what importing the inbound modules adds to a process that
already runs the web app (a Lambda cold start pays it once if the app imports them).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tiket.adapters.mail.inbound import MAX_BYTES, parse_inbound
from tiket.adapters.mail.reply_address import ReplyAddresses

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "inbound"
HEAD = (
    "From: Ana <ana@example.go.id>\r\nTo: x@balas.example.go.id\r\nSubject: Re: x\r\n"
    "MIME-Version: 1.0\r\n"
)


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def row(label: str, raw: bytes, repeat: int) -> None:
    elapsed = median_ms(lambda: parse_inbound(raw), repeat)
    print(f"{label:42s} {len(raw):>10,d} {elapsed:>8.2f} ms")


def near_limit(content_type: str, line: str) -> bytes:
    head = f"{HEAD}Content-Type: {content_type}\r\n\r\n".encode()
    body = line.encode() * ((MAX_BYTES - len(head) - 1024) // len(line.encode()))
    return head + body


def big_attachment() -> bytes:
    boundary = "b0undary"
    head = (
        f'{HEAD}Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
        f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTerlampir.\r\n"
        f"--{boundary}\r\nContent-Type: application/pdf\r\n"
        "Content-Disposition: attachment; filename=scan.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    line = b"A" * 76 + b"\r\n"
    return head + line * ((MAX_BYTES - len(head) - len(tail) - 1024) // len(line)) + tail


def import_cost() -> str:
    code = (
        "import time, tiket.web.app\n"
        "t = time.perf_counter()\n"
        "import tiket.adapters.mail.inbound\n"
        "print(f'{(time.perf_counter() - t) * 1000:.1f}')\n"
    )
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(5)
    ]
    return f"{statistics.median(runs):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat

    print(f"{'message':42s} {'size':>10s} {'median':>10s}")
    for path in sorted(FIXTURES.glob("*.eml")):
        raw = path.read_bytes()
        row(path.name, raw, repeat)
    worst = {
        "plain text, 10 MiB of lines": near_limit(
            "text/plain; charset=utf-8", "Layar biru lagi.\r\n"
        ),
        "plain text, 10 MiB quoted with '>'": near_limit(
            "text/plain; charset=utf-8", "> kutipan lama\r\n"
        ),
        "HTML, 10 MiB of paragraphs": near_limit(
            "text/html; charset=utf-8", "<p>Layar biru lagi.</p>\r\n"
        ),
        "a line and a 10 MiB attachment": big_attachment(),
    }
    for label, raw in worst.items():
        row(label, raw, max(3, repeat // 5))

    replies = ReplyAddresses(
        ["bench-key-000000000000000", "older-key-0000000000000000"], "balas.example.go.id"
    )
    expires = datetime(2026, 12, 30, tzinfo=UTC)
    address = replies.address("TIK-2026-000123", "ana@example.go.id", expires)
    now = expires - timedelta(days=1)
    per_call = median_ms(lambda: [replies.verify(address, now) for _ in range(1000)], repeat) / 1000
    print(f"{'reply address verify (one call)':42s} {'':>10s} {per_call * 1000:>8.1f} µs")
    print(f"{'import inbound after the web app':42s} {'':>10s} {import_cost():>11s}")


if __name__ == "__main__":
    main()
