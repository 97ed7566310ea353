"""Runs the real local stack (``tiket run``) in a subprocess for end-to-end tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalStack:
    def __init__(self, var_dir: Path, env: dict[str, str] | None = None):
        """``env``: settings for the stack (``TIKET_*``); the caller's own are not passed on."""
        self.var_dir = var_dir
        self.env = env or {}
        self.port = free_port()
        self.aws_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = var_dir / "stack.log"

    def start(self, timeout: float = 60, interrupt_ignored: bool = False) -> LocalStack:
        """``interrupt_ignored``: start it as a background job or ``nohup`` would, with SIGINT
        ignored, which the stack must undo for Ctrl-C to stop it."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TIKET_", "AWS_"))
        }
        env.update(
            self.env,
            PORT=str(self.port),
            TIKET_AWS_PORT=str(self.aws_port),
            TIKET_VAR_DIR=str(self.var_dir),
        )
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tiket.cli", "run"],
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
            if interrupt_ignored
            else None,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"local stack exited: {self.log.read_text()[-2000:]}")
            try:
                if self.get("/api/health") == {"status": "ok"}:
                    return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        raise TimeoutError(f"local stack did not answer: {self.log.read_text()[-2000:]}")

    def stop(self, timeout: float = 30) -> int:
        """Ctrl-C, as a person would; returns the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise

    def request(self, method: str, path: str, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def text(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return response.read().decode()

    def get(self, path: str):
        return self.request("GET", path)[1]

    def mails(self) -> list[dict]:
        return self.get("/_dev/mail?format=json")["mails"]
