"""Benchmark: dollars per 1,000 tickets through their whole life, and the fixed monthly
cost of an idle unit, at the ap-southeast-3 price sheet (``prices.py``).

Each ticket lives its SOP happy path through the real Flask app on moto, as its users
drive it: the requester loads the dashboard and the form, files it, follows the tracking
page; the ICT manager acknowledges, diagnoses and resolves from the email links (each a
page view and a form post); the requester answers the survey; the sweep runs after every
step. A botocore recorder (``meter.py``) bills every DynamoDB call by item sizes as
on-demand capacity does and counts SES messages with their sizes; each HTTP request is one
API Gateway request and one Lambda invocation, timed here and scaled to the configured
memory's CPU share. Run: ``.venv/bin/python bench/cost/run.py [--tickets 20]``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import logging
import math
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.update(
    AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="ap-southeast-3"
)

import prices
from cfnlint.decode import decode
from meter import Meter
from moto import mock_aws
from tests.conftest import MONDAY_8
from tests.support import ACTION_LINK, TRACK_LINK, VALID_TICKET, MemoryTransport, make_services
from tools import zappa_config

from tiket.adapters.clock import FixedClock
from tiket.adapters.mail.message import to_bytes
from tiket.adapters.observability import LOGGER_NAME, METRICS_LOGGER, JsonFormatter
from tiket.local_moto import patch_moto
from tiket.web.app import create_app

SETTINGS = zappa_config.common()
MEMORY_MB = SETTINGS["memory_size"]
ARCH = SETTINGS["architecture"]
# Lambda gives a function CPU in proportion to its memory: one vCPU at 1,769 MB. This
# machine's run of a request is scaled by that share (a core here stands for one vCPU).
CPU_SCALE = max(1.0, 1769 / MEMORY_MB)
COLD_START_SHARE = 0.05  # the sweep keeps one instance warm; cold starts are the rare rest
COLD_START_S = 0.45  # bench/coldstart: package init + first request, at 1 vCPU
PLATFORM_LOG_BYTES = 330  # START, END and REPORT lines of one invocation
ACCESS_LOG_BYTES = 340  # one API Gateway access log line (infra/ops.yaml format)
SENDER = "TIKet <tiket@example.go.id>"
PAGES = {  # what a browser fetches per view (no-cache HTML, assets cached 5 minutes)
    "dashboard": ["index.html", "css/tiket.css", "js/common.js", "js/i18n.js", "js/index.js"],
    "form": ["request.html", "js/request.js"],
    "tracking": ["track.html", "js/track.js", "js/steps.js"],
    "tracking again": ["track.html"],
}


class Life:
    """Counts one ticket's requests, bytes, time and log lines."""

    def __init__(self, client, meter: Meter):
        self.client = client
        self.meter = meter
        self.requests = 0
        self.seconds = 0.0
        self.response_bytes = 0
        self.static: list[int] = []

    def call(self, method: str, path: str, **kwargs):
        started = time.perf_counter()
        response = self.client.open(path, method=method, **kwargs)
        self.seconds += time.perf_counter() - started
        self.requests += 1
        self.response_bytes += len(response.data)
        assert response.status_code < 400, (path, response.status_code, response.data[:200])
        return response

    def view(self, page: str) -> None:
        for name in PAGES[page]:
            self.static.append(len(gzip.compress((ROOT / "site" / name).read_bytes())))

    def act(self, token: str, **form: str) -> None:
        self.call("GET", f"/actions/{token}")
        self.call("POST", f"/actions/{token}", data=form)


def link(transport: MemoryTransport, to: str, kind: str, action: str, services) -> str:
    from tiket.services.links import ACTION_PURPOSE

    mail = [m for m in transport.sent if m.to == to and m.kind == kind][-1]
    for token in ACTION_LINK.findall(mail.text):
        if services.signer.verify(ACTION_PURPOSE, token)["a"] == action:
            return token
    raise AssertionError(f"no {action} link in {kind}")


def live(services, client, transport, meter, clock) -> Life:
    life = Life(client, meter)
    tik = "tik1@example.go.id"
    life.view("dashboard")
    life.view("form")
    life.call("GET", "/api/options")
    filed = life.call("POST", "/api/tickets", json=VALID_TICKET).get_json()
    token = filed["track_token"]
    steps = [
        lambda: life.act(link(transport, tik, "new_ticket", "acknowledge", services)),
        lambda: life.act(
            link(transport, tik, "next_steps", "diagnose", services),
            diagnosis="Driver printer rusak",
            decision="handle",
            estimate_minutes="30",
        ),
        lambda: (life.view("tracking"), life.call("GET", f"/api/track/{token}")),
        lambda: life.act(
            link(transport, tik, "next_steps", "resolve", services),
            resolution="Driver dipasang ulang",
        ),
        lambda: (life.view("tracking again"), life.call("GET", f"/api/track/{token}")),
        lambda: life.call(
            "POST",
            f"/api/track/{token}/survey",
            json={"answers": {f"u{i}": 4 for i in range(1, 10)}},
        ),
    ]
    for step in steps:
        clock.advance(minutes=3)
        step()
        services.sweep.run()
    assert TRACK_LINK.search(transport.sent[0].text)
    return life


def sweep_seconds(services, meter: Meter, runs: int = 20) -> tuple[float, float, float]:
    """An idle sweep: seconds, write and read units."""
    w, r = meter.write_units, meter.read_units
    started = time.perf_counter()
    for _ in range(runs):
        services.sweep.run()
    return (
        (time.perf_counter() - started) / runs,
        (meter.write_units - w) / runs,
        (meter.read_units - r) / runs,
    )


def lambda_cost(seconds: float, invocations: int) -> float:
    billed = math.ceil(seconds * CPU_SCALE * 1000) / 1000
    gb_s = billed * MEMORY_MB / 1024
    return gb_s * prices.LAMBDA_GB_SECOND[ARCH] + invocations * prices.LAMBDA_REQUEST


def count_fixed() -> dict[str, int]:
    counts = {"alarms": 0, "waf_rules": 0, "dashboards": 0, "metric_filters": 0}
    for name in ("ops.yaml", "edge.yaml"):
        template, _ = decode(str(ROOT / "infra" / name))
        for resource in template["Resources"].values():
            kind = resource["Type"]
            counts["alarms"] += kind == "AWS::CloudWatch::Alarm"
            counts["dashboards"] += kind == "AWS::CloudWatch::Dashboard"
            counts["metric_filters"] += kind == "AWS::Logs::MetricFilter"
            if kind == "AWS::WAFv2::WebACL":
                counts["waf_rules"] = len(resource["Properties"]["Rules"])
    source = "\n".join(p.read_text() for p in (ROOT / "functions" / "tiket").rglob("*.py"))
    counts["emf_metrics"] = len(set(re.findall(r'metrics\.count\("(\w+)"', source)))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    patch_moto()
    meter = Meter()
    logs = io.StringIO()
    handler = logging.StreamHandler(logs)
    handler.setFormatter(JsonFormatter())
    # Before the app configures its own (stdout) handler, which it then leaves out.
    for name in (LOGGER_NAME, METRICS_LOGGER):
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).propagate = False
    with mock_aws():
        clock = FixedClock(MONDAY_8)
        transport = MemoryTransport()
        services = make_services(clock=clock, transport=transport)
        app = create_app(services=services)
        client = app.test_client()
        meter.install()
        idle_s, idle_w, idle_r = sweep_seconds(services, meter)
        logs.seek(0)
        logs.truncate()
        meter.write_units = meter.read_units = 0
        meter.writes_by_kind.clear()
        meter.emails.clear()
        transport.sent.clear()
        lives = [live(services, client, transport, meter, clock) for _ in range(args.tickets)]
        sweeps = args.tickets * 6
        meter.on = False
        table = services.stores.table.client.scan(TableName=services.settings.table)["Items"]
    n = args.tickets
    per = 1000 / n
    requests = sum(life.requests for life in lives)
    seconds = sum(life.seconds for life in lives)
    static = [size for life in lives for size in life.static]
    mails = [len(to_bytes(m, SENDER)) for m in transport.sent]
    log_bytes = len(logs.getvalue().encode()) + requests * (PLATFORM_LOG_BYTES + ACCESS_LOG_BYTES)
    write_units = meter.write_units - sweeps * idle_w
    read_units = meter.read_units - sweeps * idle_r
    out_bytes = sum(life.response_bytes for life in lives) + sum(static)
    cold = requests * COLD_START_SHARE * COLD_START_S
    cost = {
        "Lambda (requests, GB-s)": lambda_cost(seconds + cold, requests) * per,
        "API Gateway requests": requests * prices.API_GATEWAY_REQUEST * per,
        "DynamoDB writes": write_units * prices.DYNAMODB_WRITE_UNIT * per,
        "DynamoDB reads": read_units * prices.DYNAMODB_READ_UNIT * per,
        "SES emails": len(mails) * prices.SES_EMAIL * per,
        "SES data": sum(mails) / 2**30 * prices.SES_DATA_GB * per,
        "CloudFront requests": (requests + len(static)) * prices.CLOUDFRONT_HTTPS_REQUEST * per,
        "CloudFront data out": out_bytes / 2**30 * prices.CLOUDFRONT_DATA_GB * per,
        "S3 GETs (every static file a cache miss)": len(static) * prices.S3_GET * per,
        "WAF requests": (requests + len(static)) * prices.WAF_REQUEST * per,
        "CloudWatch Logs ingestion": log_bytes / 2**30 * prices.LOGS_INGEST_GB * per,
        "KMS (SSM decrypt at cold starts)": requests
        * COLD_START_SHARE
        * 2
        * prices.KMS_REQUEST
        * per,
    }
    total = sum(cost.values())
    stored = sum(len(json.dumps(item)) for item in table) / n * 1000  # bytes per 1,000 tickets
    print(f"One ticket's life, averaged over {n} (prices: ap-southeast-3, {prices.DATE}):")
    mail_kib = sum(mails) / len(mails) / 1024
    print(f"  HTTP requests {requests / n:.1f}, static files {len(static) / n:.1f}, ", end="")
    print(f"emails {len(mails) / n:.1f} ({mail_kib:.1f} KiB each)")
    print(f"  DynamoDB units: {write_units / n:.1f} write, {read_units / n:.1f} read")
    print(f"  DynamoDB calls (all {n}): {dict(meter.calls)}")
    kinds = ", ".join(f"{k} {v / n:.0f}" for k, v in meter.writes_by_kind.most_common())
    print(f"  write units by item (pk prefix): {kinds}")
    per_request = seconds / requests * 1000
    print(
        f"  Lambda: {per_request:.1f} ms a request here, x{CPU_SCALE:.2f} at {MEMORY_MB} MB {ARCH}"
    )
    print("\nPer 1,000 tickets (USD):")
    for name, value in cost.items():
        print(f"  {name:<42}{value:>9.4f}")
    print(f"  {'total':<42}{total:>9.4f}   (goal <= 0.60)")
    monthly = stored / 2**30 * (prices.DYNAMODB_STORAGE_GB_MONTH + prices.DYNAMODB_PITR_GB_MONTH)
    print(
        f"  storage: {stored / 2**20:.2f} MiB per 1,000 tickets: ${monthly:.4f} a month while kept"
    )
    fixed = count_fixed()
    sweep_month = 30 * 24 * 60
    idle = {
        f"WAF web ACL + {fixed['waf_rules']} rules": prices.WAF_WEB_ACL_MONTH
        + fixed["waf_rules"] * prices.WAF_RULE_MONTH,
        f"{fixed['alarms']} alarms": fixed["alarms"] * prices.ALARM_MONTH,
        f"{fixed['emf_metrics'] + fixed['metric_filters']} custom metrics": (
            fixed["emf_metrics"] + fixed["metric_filters"]
        )
        * prices.CUSTOM_METRIC_MONTH,
        "dashboard (free if the account has <= 3)": fixed["dashboards"] * prices.DASHBOARD_MONTH,
        "sweep: Lambda, every minute": lambda_cost(idle_s * sweep_month, sweep_month),
        "sweep: DynamoDB": sweep_month
        * (idle_w * prices.DYNAMODB_WRITE_UNIT + idle_r * prices.DYNAMODB_READ_UNIT),
        "sweep: logs": sweep_month * (PLATFORM_LOG_BYTES + 300) / 2**30 * prices.LOGS_INGEST_GB,
    }
    print("\nIdle unit, per month (USD):")
    for name, value in idle.items():
        print(f"  {name:<42}{value:>9.4f}")
    print(f"  {'total':<42}{sum(idle.values()):>9.4f}")


if __name__ == "__main__":
    main()
