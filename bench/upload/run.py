"""Benchmark: the function's work per attached file, in time and peak memory.

For each sample (a 12-megapixel phone photo with EXIF GPS and orientation 6 first), every
run is a fresh process that imports what the Lambda function imports, warms Pillow up on a
tiny picture of each type, and only then notes its peak RSS (``ru_maxrss``) as the baseline;
it then reads the file (as the function holds the bytes it fetched from S3), runs
``inspect`` once and reports the time taken and the new peak. The work's memory is that
peak minus the baseline; the whole process's peak is set against the Lambda memory setting
(``memory_size`` in zappa_settings.json, Zappa's default 512 MB when absent).

Then the whole attach of the 12-megapixel photo as ``POST /api/tickets`` does it
(``tiket.services.attachments``): read the upload's head and bytes from S3, inspect, write
the kept copy and its thumbnail, delete the upload; against a moto server on loopback, so
the S3 calls are real HTTP requests.

Run: ``.venv/bin/python bench/upload/run.py`` (``--runs N``, default 7). The samples are
made once, with Pillow, under ``var/bench/upload/`` (about 30 s).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "var" / "bench" / "upload"
ZAPPA_DEFAULT_MB = 512
SAMPLE_FILES = [
    ("12 MP phone photo, JPEG, EXIF GPS, orientation 6", "photo-12mp.jpg", "image/jpeg"),
    ("48 MP phone photo, JPEG (decoded at 1/2 scale)", "photo-48mp.jpg", "image/jpeg"),
    ("24 MP progressive 4:4:4 JPEG (largest allowed)", "photo-24mp-progressive.jpg", "image/jpeg"),
    ("24 MP RGBA PNG (largest allowed)", "screen-24mp.png", "image/png"),
    ("12 MP WebP (largest allowed)", "photo-12mp.webp", "image/webp"),
    ("PDF, 1,000 pages with a link each", "document.pdf", "application/pdf"),
]


def child(path: Path, content_type: str) -> None:
    """One measured run; prints one JSON line."""
    import flask  # noqa: F401 - the function's own imports make its baseline
    import pynamodb  # noqa: F401
    from PIL import Image

    import tiket.adapters.blobs
    import tiket.web.app  # noqa: F401
    from tiket.adapters.file_inspection import inspect

    for fmt, mime in (("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")):
        tiny = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(tiny, fmt)
        inspect(tiny.getvalue(), mime)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    data = path.read_bytes()
    start = time.perf_counter()
    kept = inspect(data, content_type)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "ms": elapsed * 1000,
                "baseline_kib": baseline,
                "peak_kib": peak,
                "out_bytes": kept.size,
                "out_size": [kept.width, kept.height],
            }
        )
    )


def attach_child(endpoint: str, bucket: str, upload_id: str) -> None:
    """One measured attach through the service, against S3 at ``endpoint``."""
    import flask  # noqa: F401
    import pynamodb  # noqa: F401
    from PIL import Image

    import tiket.web.app  # noqa: F401
    from tiket.adapters.blobs import Blobs, s3_client
    from tiket.adapters.file_inspection import inspect
    from tiket.domain.attachments import upload_key
    from tiket.services.attachments import AttachmentService

    class Unused:
        """Metrics and claims: not what is measured (no commit happens here)."""

        def count(self, name: str, value: float = 1, **properties: object) -> None:
            pass

        def upload_claimed(self, upload_id: str) -> str | None:
            return None

    blobs = Blobs(s3_client("ap-southeast-3", endpoint), bucket)
    service = AttachmentService(blobs, Unused(), inspect, Unused())
    tiny = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(tiny, "JPEG")
    inspect(tiny.getvalue(), "image/jpeg")
    blobs.head("warm-up")  # the client's first request (its connection) is not the work's
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with service.attaching("TIK-2026-000001", [upload_id]) as batch:
        kept = batch.attachments[0]
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert blobs.head(kept.key) is not None and blobs.head(upload_key(upload_id)) is None
    print(json.dumps({"ms": elapsed * 1000, "baseline_kib": baseline, "peak_kib": peak}))


def measure_attach(runs: int, limit_mib: int) -> None:
    """The whole attach, each run in a fresh process, S3 on a moto server in this one."""
    import logging
    import os

    from moto.server import ThreadedMotoServer

    from tiket.adapters.blobs import s3_client
    from tiket.domain.attachments import new_upload_id, upload_key

    os.environ.update(dict.fromkeys(("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"), "bench"))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's access log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint, bucket = f"http://{host}:{port}", "tiket-bench-files"
    s3 = s3_client("ap-southeast-3", endpoint)
    s3.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"}
    )
    data = (SAMPLES / SAMPLE_FILES[0][1]).read_bytes()
    results = []
    try:
        for _ in range(runs):
            upload_id = new_upload_id()
            s3.put_object(
                Bucket=bucket,
                Key=upload_key(upload_id),
                Body=data,
                ContentType="image/jpeg",
                Metadata={"name": "IMG_0001.jpg"},
            )
            out = subprocess.run(
                [sys.executable, __file__, "--attach", endpoint, bucket, upload_id],
                check=True,
                capture_output=True,
                text=True,
                env=os.environ,
            ).stdout
            results.append(json.loads(out))
    finally:
        server.stop()
    work = max(r["peak_kib"] - r["baseline_kib"] for r in results) / 1024
    process = max(r["peak_kib"] for r in results) / 1024
    print(
        f"| {SAMPLE_FILES[0][0]}: whole attach (S3 on loopback) | "
        f"{len(data) / 2**20:.1f} MiB | 3000×4000 "
        f"| {statistics.median(r['ms'] for r in results):.0f} | {work:.0f} | {process:.0f} "
        f"| {limit_mib - process:.0f} MiB ({(limit_mib - process) / limit_mib:.0%}) |"
    )


def photo(size: tuple[int, int]):
    """Something like a photo to a JPEG encoder: gradients, blotches, fine grain."""
    from PIL import Image

    width, height = size
    gradients = [
        Image.linear_gradient("L").resize(size),
        Image.linear_gradient("L").rotate(90).resize(size),
        Image.radial_gradient("L").resize(size),
    ]
    blotches = [
        Image.effect_noise((width // 4, height // 4), 60).resize(size, Image.Resampling.BICUBIC)
        for _ in range(3)
    ]
    grain = [Image.effect_noise(size, 12) for _ in range(3)]
    picture = Image.blend(Image.merge("RGB", gradients), Image.merge("RGB", blotches), 0.45)
    return Image.blend(picture, Image.merge("RGB", grain), 0.2)


def phone_exif():
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to view
    exif[0x010F], exif[0x0110] = "PhoneMaker", "Model X"
    exif.get_ifd(0x8825).update({1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)})
    return exif


def screenshot(size: tuple[int, int]):
    """A flat, sharp-edged RGBA picture: compresses to little, decodes to a lot."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGBA", size, (245, 245, 245, 255))
    draw = ImageDraw.Draw(picture)
    for top in range(0, size[1], 40):
        for left in range(0, size[0], 400):
            shade = (top // 40 * 7 + left // 400 * 13) % 200
            draw.rectangle((left + 10, top + 10, left + 300, top + 28), fill=(shade, 80, 160, 255))
    return picture


def make_samples() -> None:
    """Run in a process of its own: Linux carries a process's peak RSS over to the children
    it starts (``ru_maxrss`` survives fork and exec), so the parent must stay small."""
    SAMPLES.mkdir(parents=True, exist_ok=True)
    build = {
        "photo-12mp.jpg": lambda p: photo((4000, 3000)).save(
            p, "JPEG", quality=90, exif=phone_exif()
        ),
        "photo-48mp.jpg": lambda p: photo((8000, 6000)).save(
            p, "JPEG", quality=80, exif=phone_exif()
        ),
        "photo-24mp-progressive.jpg": lambda p: photo((6000, 4000)).save(
            p, "JPEG", quality=75, progressive=True, subsampling=0
        ),
        "screen-24mp.png": lambda p: screenshot((6000, 4000)).save(p, "PNG"),
        "photo-12mp.webp": lambda p: photo((4000, 3000)).save(p, "WEBP", quality=80),
        "document.pdf": write_pdf,
    }
    for _, name, _ in SAMPLE_FILES:
        if not (SAMPLES / name).exists():
            build[name](SAMPLES / name)


def write_pdf(path: Path) -> None:
    from pypdf import PdfWriter
    from pypdf.annotations import Link

    writer = PdfWriter()
    for number in range(1000):
        writer.add_blank_page(595, 842)
        writer.add_annotation(
            number, Link(rect=(50, 50, 200, 70), url=f"https://layanan.go.id/{number}")
        )
    with path.open("wb") as out:
        writer.write(out)


def lambda_memory_mb() -> int:
    settings = json.loads((ROOT / "zappa_settings.json").read_text())
    return int(settings.get("dev", {}).get("memory_size", ZAPPA_DEFAULT_MB))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", nargs=2, metavar=("PATH", "TYPE"), help=argparse.SUPPRESS)
    parser.add_argument("--make-samples", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--attach", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1])
        return
    if args.attach:
        attach_child(*args.attach)
        return
    if args.make_samples:
        make_samples()
        return
    subprocess.run([sys.executable, __file__, "--make-samples"], check=True)
    limit_mib = lambda_memory_mb()
    print(f"Lambda memory setting: {limit_mib} MB; {args.runs} fresh processes per sample\n")
    # Lambda's MB are MiB.
    print("| sample | file | kept as | median ms | work peak MiB | process peak MiB | headroom |")
    print("|---|---|---|---|---|---|---|")
    for label, name, mime in SAMPLE_FILES:
        path = SAMPLES / name
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--child", str(path), mime],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            for _ in range(args.runs)
        ]
        work = max(r["peak_kib"] - r["baseline_kib"] for r in runs) / 1024
        process = max(r["peak_kib"] for r in runs) / 1024
        size = runs[0]["out_size"]
        kept = f"{size[0]}×{size[1]}" if size[0] else "as is"
        print(
            f"| {label} | {path.stat().st_size / 2**20:.1f} MiB | {kept} "
            f"| {statistics.median(r['ms'] for r in runs):.0f} | {work:.0f} | {process:.0f} "
            f"| {limit_mib - process:.0f} MiB ({(limit_mib - process) / limit_mib:.0%}) |"
        )
    measure_attach(args.runs, limit_mib)


if __name__ == "__main__":
    main()
