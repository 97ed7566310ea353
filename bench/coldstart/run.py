"""Benchmark: cold start of the Lambda package, with and without bytecode, beside a
hello-world Flask app packaged the same way.

Each sample is a fresh ``python -I -S -B`` process (``first_request.py``) that imports
Zappa's handler from the unpacked zip and serves its first ``GET /api/health``; TIKet reads
its signing key from SSM on a moto server on loopback. "Without bytecode" strips every
``__pycache__``, which is what a plain ``zappa package`` amounts to (its ``.pyc`` files are
stale on Lambda). Median of 10 per variant, variants interleaved, after one warm-up each.

Run: ``.venv/bin/python bench/coldstart/run.py`` (builds the packages first if needed;
``--samples N`` to change the count).
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
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import boto3
from moto.server import ThreadedMotoServer
from tools import package

HERE = Path(__file__).resolve().parent
HELLO = package.BUILD / "coldstart"
HELLO_APP = """from flask import Flask

app = Flask(__name__)


@app.get("/api/health")
def health():
    return {"status": "ok"}
"""
REGION = "ap-southeast-3"
# moto's and the child's: nothing here reaches AWS.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}


def hello_package() -> Path:
    """The hello-world app through the same steps as TIKet: a clean virtualenv with Flask
    (TIKet's version) and Zappa, the dev stage's packaging settings, the same rewrite."""
    target = HELLO / "hello.zip"
    if target.exists():
        return target
    flask = package.distributions(package.site_packages())["flask"].version
    venv, project = HELLO / "venv", HELLO / "hello"
    shutil.rmtree(HELLO, ignore_errors=True)
    project.mkdir(parents=True)
    (project / "hello.py").write_text(HELLO_APP)
    settings = {
        k: v
        for k, v in package.stage_settings("dev").items()
        if k not in ("events", "aws_environment_variables", "exclude_glob")
    }
    settings.update(project_name="hello", app_function="hello.app")
    (project / "zappa_settings.json").write_text(json.dumps({"bench": settings}))
    package.run([sys.executable, "-m", "venv", venv])
    pip = [venv / "bin/python", "-m", "pip", "install", "-q"]
    package.run([*pip, f"flask=={flask}", package.zappa_requirement()])
    raw = HELLO / "raw.zip"
    package.run_zappa("bench", raw, venv, project)
    drop = package.tooling_names(package.site_packages(venv), app="flask")
    package.rewrite(raw, target, drop, venv / "bin/python")
    raw.unlink()
    return target


def unpack(zip_file: Path, folder: Path, bytecode: bool) -> Path:
    with zipfile.ZipFile(zip_file) as archive:
        for name in archive.namelist():
            if bytecode or "__pycache__" not in name:
                archive.extract(name, folder)
    return folder


def zipped_size(folder: Path) -> int:
    with tempfile.TemporaryFile() as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                archive.write(path, path.relative_to(folder))
        return out.tell()


def environment(endpoint: str) -> dict[str, str]:
    env = dict(package.stage_settings("dev")["aws_environment_variables"])
    env.update(
        TIKET_PUBLIC_URL="https://tiket.example.go.id",
        TIKET_ALLOWED_ORIGINS="https://tiket.example.go.id",
        TIKET_MAIL_SENDER="TIKet <tiket@example.go.id>",
        TIKET_DYNAMODB_ENDPOINT=endpoint,
        TIKET_SES_ENDPOINT=endpoint,
        TIKET_SSM_ENDPOINT=endpoint,
        AWS_REGION=REGION,
        AWS_DEFAULT_REGION=REGION,
        **CREDENTIALS,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        LANG="en_US.UTF-8",
        PATH="/usr/bin:/bin",
    )
    return env


def sample(python: Path, task: Path, sdk: Path, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [python, "-I", "-S", "-B", HERE / "first_request.py", task, sdk],
        env=env,
        cwd=task,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's access log

    packages = {"tiket": package.build("dev"), "hello": hello_package()}
    sites = {"tiket": package.site_packages(), "hello": package.site_packages(HELLO / "venv")}
    python = package.VENV / "bin" / "python"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    with tempfile.TemporaryDirectory(prefix="coldstart-") as tmp:
        try:
            host, port = server.get_host_and_port()
            env = environment(f"http://{host}:{port}")
            ssm = boto3.Session(
                CREDENTIALS["AWS_ACCESS_KEY_ID"], CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
            ).client("ssm", region_name=REGION, endpoint_url=env["TIKET_SSM_ENDPOINT"])
            ssm.put_parameter(
                Name=env["TIKET_SIGNING_KEYS_PARAM"],
                Type="SecureString",
                Value="coldstart-bench-signing-key-0123456789",
            )
            variants = {}
            for app, zip_file in packages.items():
                for bytecode in (True, False):
                    folder = unpack(zip_file, Path(tmp) / f"{app}-{bytecode}", bytecode)
                    sdk = package.runtime_sdk(sites[app], folder, Path(tmp) / f"{app}-sdk")
                    size = zip_file.stat().st_size if bytecode else zipped_size(folder)
                    variants[(app, bytecode)] = {"task": folder, "sdk": sdk, "size": size}
            runs = {key: [] for key in variants}
            for round_ in range(args.samples + 1):
                for key, variant in variants.items():
                    measured = sample(python, variant["task"], variant["sdk"], env)
                    if round_:  # the first round warms the file cache
                        runs[key].append(measured)
        finally:
            server.stop()

    medians = {
        key: {part: statistics.median(r[part] for r in samples) for part in samples[0]}
        for key, samples in runs.items()
    }
    print(f"cold start: fresh process, import + first GET /api/health, median of {args.samples}")
    print("(import: Zappa's handler module; first invoke: loading the app, then the request)")
    print(f"{'package':<24}{'zip MiB':>9}{'import ms':>11}{'1st invoke ms':>15}{'total ms':>10}")
    for (app, bytecode), m in medians.items():
        label = f"{app} ({'bytecode' if bytecode else 'no bytecode'})"
        size = variants[(app, bytecode)]["size"] / 2**20
        print(
            f"{label:<24}{size:>9.1f}{m['import_ms']:>11.0f}"
            f"{m['first_request_ms']:>15.0f}{m['total_ms']:>10.0f}"
        )

    def total(app: str, bytecode: bool) -> float:
        return medians[(app, bytecode)]["total_ms"]

    print(f"tiket without / with bytecode:  {total('tiket', False) / total('tiket', True):.2f}x")
    print(f"hello without / with bytecode:  {total('hello', False) / total('hello', True):.2f}x")
    print(f"tiket / hello, with bytecode:   {total('tiket', True) / total('hello', True):.2f}x")
    print(f"tiket / hello, no bytecode:     {total('tiket', False) / total('hello', False):.2f}x")


if __name__ == "__main__":
    main()
