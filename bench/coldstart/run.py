"""Benchmark: cold start of the Lambda package, beside plain Zappa and django-helpdesk.

Each sample is a fresh process that imports a Lambda handler from an unpacked package and
serves its first request that reads the database, all with the runtime's Python (3.13):

- ``tiket``: the package as ``make package`` builds it (this machine's architecture),
  through its configured handler ``tiket.handler`` (lean: no asyncio, no boto3 before the
  app needs it), first ``GET /api/track/<token>`` (a DynamoDB GetItem; 404 for the
  unknown token), AWS on a moto server on loopback;
- ``tiket, Zappa's handler``: the same tree through ``zappa.handler``;
- ``plain Zappa``: the same tree through Zappa's handler and without the bytecode, which
  is what a plain ``zappa package`` amounts to on Lambda (its ``.pyc`` files are stale
  there, so every module compiles at each cold start);
- ``django-helpdesk``: django-helpdesk 2.6.1 from PyPI in its own virtualenv
  (``build/coldstart``), Django set up and its public ``GET /tickets/submit/`` served by
  its WSGI application from SQLite (the queues are read).

Medians of ``--samples`` (default 10) per variant, variants interleaved, after one warm-up
round. Run: ``.venv/bin/python bench/coldstart/run.py`` (the first run builds the package
and the helpdesk virtualenv: a minute or two).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
# moto's and this process's: nothing here reaches AWS.
os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")

import boto3
from moto.server import ThreadedMotoServer
from tests.artifact import runtime
from tests.artifact.test_package import HOST_ARCH, VARIABLES
from tools import package, pythons, zappa_config

HERE = Path(__file__).resolve().parent
HELPDESK = package.BUILD / "coldstart"
HELPDESK_VERSION = "django-helpdesk==2.6.1"
REGION = "ap-southeast-3"
ORIGIN = VARIABLES["TIKET_ORIGIN_SECRET"]


def helpdesk_site(python: str) -> tuple[Path, Path]:
    """django-helpdesk's virtualenv and a migrated SQLite site with one public queue."""
    venv, data = HELPDESK / "helpdesk-venv", HELPDESK / "helpdesk-data"
    if not (venv / "bin" / "python").exists():
        package.run([python, "-m", "venv", venv])
        package.run([venv / "bin" / "python", "-m", "pip", "install", "-q", HELPDESK_VERSION])
    if not (data / "db.sqlite3").exists():
        data.mkdir(parents=True, exist_ok=True)
        env = helpdesk_env(data)
        django = [venv / "bin" / "python", "-m", "django"]
        package.run([*django, "migrate", "-v0"], env=env, cwd=data)
        create = "from helpdesk.models import Queue; Queue.objects.get_or_create(title='ICT', slug='ict', defaults={'allow_public_submission': True})"  # noqa: E501
        package.run([*django, "shell", "-c", create], env=env, cwd=data)
    return venv, data


def helpdesk_env(data: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HELPDESK_BENCH_DIR": str(data),
        "PYTHONPATH": str(HERE / "helpdesk_site"),
        "DJANGO_SETTINGS_MODULE": "settings",
        "LANG": "en_US.UTF-8",
    }


def sample(command: list, env: dict[str, str], cwd: Path) -> dict[str, float]:
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def without_bytecode(task: Path, folder: Path) -> Path:
    shutil.copytree(task, folder, ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's access log
    python = pythons.require(package.runtime_version())
    zip_file = package.build("dev", HOST_ARCH)
    venv, data = helpdesk_site(python)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    with tempfile.TemporaryDirectory(prefix="coldstart-") as tmp:
        try:
            host, port = server.get_host_and_port()
            endpoint = f"http://{host}:{port}"
            env = runtime.lambda_environment(VARIABLES, endpoint, "tiket-dev")
            credentials = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
            boto3.client(
                "ssm", region_name=REGION, endpoint_url=endpoint, **credentials
            ).put_parameter(
                Name=VARIABLES["TIKET_SIGNING_KEYS_PARAM"],
                Type="SecureString",
                Value="coldstart-key-0123456789abcdef",
            )
            from zoneinfo import ZoneInfo

            from tiket.adapters.dynamodb import connect

            zone = ZoneInfo("Asia/Jakarta")
            connect(VARIABLES["TIKET_TABLE"], endpoint, REGION, zone).create_table()
            task = runtime.unpack(zip_file, Path(tmp) / "task")
            sdk = runtime.runtime_sdk(task, Path(tmp) / "sdk")
            plain = without_bytecode(task, Path(tmp) / "plain")
            event = Path(tmp) / "event.json"
            path = "/api/track/unknown0token0unknown0token0unknown0"
            event.write_text(
                json.dumps(runtime.http_event("GET", path, **{"X-Tiket-Origin": ORIGIN}))
            )
            lean = zappa_config.common()["lambda_handler"]
            child = [python, "-I", "-S", "-B", HERE / "first_request.py"]
            variants = {
                "tiket": ([*child, task, sdk, lean, event], env, task),
                "tiket, Zappa's handler": (
                    [*child, task, sdk, "zappa.handler.lambda_handler", event],
                    env,
                    task,
                ),
                "plain Zappa": (
                    [*child, plain, sdk, "zappa.handler.lambda_handler", event],
                    env,
                    plain,
                ),
                "django-helpdesk": (
                    [venv / "bin" / "python", "-B", HERE / "helpdesk_request.py"],
                    helpdesk_env(data),
                    data,
                ),
            }
            runs: dict[str, list[dict[str, float]]] = {key: [] for key in variants}
            for round_ in range(args.samples + 1):
                for key, (command, variant_env, cwd) in variants.items():
                    measured = sample(command, variant_env, cwd)
                    if round_:  # the first round warms the file cache
                        runs[key].append(measured)
        finally:
            server.stop()
    report(runs, args.samples, zip_file)


def report(runs: dict[str, list[dict[str, float]]], samples: int, zip_file: Path) -> None:
    medians = {
        key: {part: statistics.median(r[part] for r in measured) for part in measured[0]}
        for key, measured in runs.items()
    }
    print(
        f"cold start: fresh process, init + first request reading the database, median of {samples}"
    )
    size = zip_file.stat().st_size / 2**20
    print(f"package {zip_file.name}, {size:.1f} MiB; load average {os.getloadavg()[0]:.1f}")
    print(f"{'variant':<26}{'init ms':>10}{'1st request ms':>16}{'total ms':>10}")
    for key, m in medians.items():
        print(
            f"{key:<26}{m['import_ms']:>10.0f}{m['first_request_ms']:>16.0f}{m['total_ms']:>10.0f}"
        )

    def ratio(a: str, b: str) -> float:
        return medians[a]["total_ms"] / medians[b]["total_ms"]

    zappa = "tiket, Zappa's handler"
    print(f"tiket / plain Zappa:       {ratio('tiket', 'plain Zappa'):.2f}x (goal <= 0.35)")
    print(f"tiket / django-helpdesk:   {ratio('tiket', 'django-helpdesk'):.2f}x (goal <= 0.5)")
    print(f"tiket's handler / Zappa's: {ratio('tiket', zappa):.2f}x")


if __name__ == "__main__":
    main()
