"""Benchmark of the device (BMN) import and the QR label sheets.

1. Reading and validating an export (``sheet_rows`` + ``read_assets``), CSV and XLSX, at a
   typical size (5,000 rows) and at the cap (20,000); a 50,000-row file until its refusal.
2. The re-import plan of the same list against itself (nothing to write).
3. A label sheet PDF (QR codes drawn as vectors).

Time is the best of ``--repeat`` runs without tracing; peak memory is measured in a
separate run under tracemalloc (which slows it several times).

    .venv/bin/python bench/assets_import/run.py [--rows 5000] [--labels 240] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the sample files in tests/

from tests.fixtures.bmn import files

from tiket.adapters.labels import labels_pdf
from tiket.adapters.spreadsheets import MAX_ROWS, sheet_rows
from tiket.domain.assets import ImportRefused, plan_import, read_assets

MIB = 1024 * 1024


def measure(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    best = min(_timed(work) for _ in range(repeat))
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak / MIB


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def import_file(data: bytes) -> Callable[[], object]:
    def work() -> object:
        try:
            return read_assets(sheet_rows(io.BytesIO(data)))
        except ImportRefused as refused:
            return refused.code

    return work


def line(measure: str, size: str, seconds: float, peak: float) -> None:
    print(f"| {measure} | {size} | {seconds:.3f} s | {peak:.1f} MiB |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--labels", type=int, default=240)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| measure | file | time | peak memory |")
    print("|---|---|---|---|")
    for rows in (args.rows, MAX_ROWS):
        for kind, make in (("CSV", files.generated_csv), ("XLSX", files.generated_xlsx)):
            data = make(rows)
            size = f"{len(data) / MIB:.2f} MiB"
            line(f"import {rows:,} rows, {kind}", size, *measure(import_file(data), args.repeat))
    data = files.generated_csv(50_000)
    line("50,000 rows, CSV, refused", f"{len(data) / MIB:.2f} MiB", *measure(import_file(data), 1))
    assets = read_assets(sheet_rows(io.BytesIO(files.generated_csv(args.rows)))).assets
    existing = {asset.tag: asset for asset in assets}
    plan = measure(lambda: plan_import(existing, assets), args.repeat)
    line(f"re-import plan, {args.rows:,} unchanged", "–", *plan)
    sheet = assets[: args.labels]

    def pdf() -> bytes:
        return labels_pdf(sheet, "https://helpdesk.example.go.id", "Biro Umum")

    line(
        f"label sheet, {len(sheet)} labels",
        f"{len(pdf()) / MIB:.2f} MiB",
        *measure(pdf, args.repeat),
    )


if __name__ == "__main__":
    main()
