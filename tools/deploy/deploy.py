"""``make deploy STAGE=…``: one stage, from its stage file to a working service.

Order (each step changes something only when its inputs changed, so a second run reports
every step ``unchanged``):

1. the Lambda package (``tools/package.py``, the stage's architecture);
2. the SecureStrings (signing keys, origin secret), created when missing;
3. ``tiket-<stage>-edge`` in us-east-1 (WAF, its logs; the CloudFront alarm once the
   distribution exists);
4. ``tiket-<stage>-infra`` (table, buckets, role, SES, CloudFront);
5. the function through Zappa (deploy, or update when code or configuration differ);
6. ``tiket-<stage>-inbound`` in the receiving region when the stage has a reply domain;
7. the infra stack again, now routing ``/api/*`` and ``/actions/*`` to the API (and the
   function again if the inbound bucket changed its environment);
8. ``tiket-<stage>-ops`` (alarms, dashboard, queries, backup) and the API access logs;
9. the edge stack again with the distribution's id;
10. ``site/`` to its bucket, a CloudFront invalidation for what changed;
11. the first administrator (``tiket staff add``, with the function's own settings);
12. ``GET <public url>/api/health``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.deploy import function, parameters, site, stacks
from tools.deploy.stagefile import Stage

EDGE_REGION = "us-east-1"  # CloudFront's WAF and metrics live only there


@dataclass
class Report:
    stage: str
    steps: list[tuple[str, str]] = field(default_factory=list)
    emulated: dict[str, list[str]] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    publish: list[str] = field(default_factory=list)  # DNS records only a person can add

    def add(self, step: str, change: str) -> None:
        self.steps.append((step, change))
        print(f"  {step:<34} {change}", flush=True)

    @property
    def changed(self) -> list[str]:
        return [step for step, change in self.steps if change not in ("unchanged", "skipped")]

    def as_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "steps": [{"step": s, "change": c} for s, c in self.steps],
            "emulated": self.emulated,
            "outputs": self.outputs,
            "publish": self.publish,
        }


def _real(value: str) -> str:
    """A stack output, or "" for an emulator's stand-in."""
    return "" if value.startswith("emulated-") else value


@dataclass
class Deployment:
    stage: Stage
    session: Any
    emulated_types: frozenset[str] = frozenset()
    zip_path: Path | None = None
    health_check: bool = True
    report: Report = field(init=False)

    def __post_init__(self) -> None:
        self.report = Report(self.stage.stage)

    def client(self, service: str, region: str | None = None):
        return self.session.client(service, region_name=region or self.stage.region)

    def stack(self, template: str, suffix: str, params: dict[str, str], region: str | None = None):
        name = f"tiket-{self.stage.stage}-{suffix}"
        cf = self.client("cloudformation", region)
        result = stacks.deploy(cf, name, template, params, self.emulated_types)
        if result.emulated:
            self.report.emulated[name] = result.emulated
        self.report.add(f"stack {name}", result.change)
        return result

    def existing_outputs(self, suffix: str, region: str | None = None) -> dict[str, str]:
        cf = self.client("cloudformation", region)
        return stacks.outputs_of(stacks.describe(cf, f"tiket-{self.stage.stage}-{suffix}"))

    # --- steps -------------------------------------------------------------------------

    def check_account(self) -> None:
        account = self.client("sts").get_caller_identity()["Account"]
        if account != self.stage.account:
            raise SystemExit(
                f"signed in to account {account}, the stage file says {self.stage.account}"
            )

    def package(self) -> Path:
        if self.zip_path is None:
            from tools import package

            before = package.zip_path(self.stage.stage, self.stage.architecture)
            built_at = before.stat().st_mtime_ns if before.exists() else None
            self.zip_path = package.build(self.stage.stage, self.stage.architecture)
            fresh = built_at is not None and self.zip_path.stat().st_mtime_ns == built_at
            self.report.add(f"package {self.zip_path.name}", "unchanged" if fresh else "built")
        else:
            self.report.add(f"package {self.zip_path.name}", "unchanged")
        return self.zip_path

    def secrets(self) -> str:
        ssm = self.client("ssm")
        for name in (self.stage.signing_keys_param, self.stage.origin_secret_param):
            self.report.add(f"parameter {name}", parameters.ensure(ssm, name))
        return parameters.newest(ssm, self.stage.origin_secret_param)

    def edge(self, distribution: str) -> dict[str, str]:
        params = {
            "Stage": self.stage.stage,
            "AlarmEmail": self.stage.alarm_email,
            "DistributionId": distribution,
            "EnableWaf": str(self.stage.waf).lower(),
        }
        return self.stack("edge.yaml", "edge", params, EDGE_REGION).outputs

    def infra(self, origin_secret: str, web_acl: str, inbound: dict[str, str]) -> dict[str, str]:
        s = self.stage
        params = {
            "Stage": s.stage,
            "SenderDomain": s.sender_domain,
            "CreateSenderIdentity": str(s.create_sender_identity).lower(),
            "SesSandbox": str(s.ses_sandbox).lower(),
            "SiteDomainName": s.site_domain,
            "SiteCertificateArn": s.site_certificate_arn,
            "WebAclArn": web_acl,
            "ApiDomainName": function.api_domain(self.session, s),
            "OriginSecret": origin_secret,
            "FilesRetentionDays": str(s.files_retention_days),
            "InboundBucketName": inbound.get("InboundBucketName", ""),
            "RestoredTableName": s.restored_table,
        }
        return self.stack("tiket.yaml", "infra", params).outputs

    def release(self, infra: dict[str, str], inbound: dict[str, str]) -> dict[str, Any]:
        env = function.lambda_environment(self.stage, infra, inbound)
        extra = function.zappa_settings(self.stage, infra, env)
        change = function.release(
            self.session, self.stage, extra, self.zip_path, bool(self.emulated_types)
        )
        self.report.add(f"function {self.stage.function}", change)
        return extra

    def inbound(self) -> dict[str, str]:
        s = self.stage
        if not s.reply_domain:
            return {}
        arn = self.client("lambda").get_function(FunctionName=s.function)["Configuration"]
        params = {
            "Stage": s.stage,
            "ReplyDomain": s.reply_domain,
            "FunctionArn": arn["FunctionArn"],
        }
        result = self.stack("inbound.yaml", "inbound", params, s.inbound_region)
        if "RuleSet" not in result.emulated:
            self.report.add("active receipt rule set", self.activate_rule_set(result.outputs))
        self.report.publish.append(result.outputs["MxRecord"])
        return result.outputs

    def activate_rule_set(self, outputs: dict[str, str]) -> str:
        ses = self.client("ses", self.stage.inbound_region)
        wanted = outputs["ReceiptRuleSetName"]
        active = ses.describe_active_receipt_rule_set().get("Metadata", {}).get("Name")
        if active == wanted:
            return "unchanged"
        if active:
            raise SystemExit(
                f"{self.stage.inbound_region} already has the active receipt rule set {active!r}; "
                f"add the rule of {wanted!r} to it by hand (docs/deploy.md, Replies by email)"
            )
        ses.set_active_receipt_rule_set(RuleSetName=wanted)
        return "updated"

    def ops(self, infra: dict[str, str]) -> None:
        has_api = bool(function.api_id(self.session, self.stage))
        params = {
            "Stage": self.stage.stage,
            "AlarmEmail": self.stage.alarm_email,
            "TableArn": infra["TableArn"],
            "ApiStageName": self.stage.stage if has_api else "",
        }
        outputs = self.stack("ops.yaml", "ops", params).outputs
        log_group = _real(outputs.get("ApiAccessLogGroupArn", ""))
        if log_group:
            self.report.add(
                "api access logs", function.access_logs(self.session, self.stage, log_group)
            )

    def site(self, infra: dict[str, str], emulated: list[str]) -> None:
        result = site.publish(self.client("s3"), infra["SiteBucketName"])
        detail = f" ({len(result.uploaded)} uploaded, {len(result.deleted)} removed)"
        self.report.add("site" + (detail if result.change != "unchanged" else ""), result.change)
        if "Distribution" in emulated:
            self.report.add("cloudfront invalidation", "skipped")
            return
        site.invalidate(self.client("cloudfront", EDGE_REGION), infra["DistributionId"], result)
        self.report.add("cloudfront invalidation", result.invalidation or "unchanged")

    def first_admin(self, env: dict[str, str]) -> None:
        admin = self.stage.first_admin
        command = [sys.executable, "-m", "tiket.cli", "staff", "add"]
        command += ["--email", admin.email, "--name", admin.name, "--role", "admin"]
        keep = {k: v for k, v in os.environ.items() if k.startswith(("AWS_", "PATH", "HOME"))}
        done = subprocess.run(  # noqa: S603 - this repo's own CLI, fixed arguments
            command,
            env={
                **keep,
                **env,
                "AWS_REGION": self.stage.region,
                "AWS_DEFAULT_REGION": self.stage.region,
            },
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"first administrator: {done.stdout}{done.stderr}")
        self.report.add(
            "first administrator", "unchanged" if "(unchanged)" in done.stdout else "created"
        )

    def health(self, public_url: str) -> None:
        if not self.health_check:
            self.report.add("health check", "skipped")
            return
        url = f"{public_url}/api/health"
        deadline = time.monotonic() + 300  # CloudFront takes minutes to route a new origin
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - https
                    if json.loads(answer.read()) == {"status": "ok"}:
                        self.report.add("health check", "ok")
                        return
            except OSError as error:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{url} does not answer: {error}") from error
            time.sleep(10)

    def run(self) -> Report:
        print(f"Deploying stage {self.stage.stage} to {self.stage.account} {self.stage.region}")
        self.check_account()
        self.package()
        origin_secret = self.secrets()
        previous = self.existing_outputs("infra")
        edge = self.edge(_real(previous.get("DistributionId", "")))
        web_acl = _real(edge.get("WebAclArn", ""))
        inbound = (
            self.existing_outputs("inbound", self.stage.inbound_region or None)
            if self.stage.reply_domain
            else {}
        )
        infra = self.infra(origin_secret, web_acl, inbound)
        extra = self.release(infra, inbound)
        inbound = self.inbound()
        infra = self.infra(origin_secret, web_acl, inbound)
        extra = self.release(infra, inbound)
        self.ops(infra)
        self.edge(_real(infra.get("DistributionId", "")))
        emulated = self.report.emulated.get(f"tiket-{self.stage.stage}-infra", [])
        self.site(infra, emulated)
        self.first_admin(extra["aws_environment_variables"])
        self.health(infra["PublicUrl"])
        self.report.outputs = {**infra, **{f"Inbound{k}": v for k, v in inbound.items()}}
        self.report.publish += [v for k, v in infra.items() if k.startswith("DkimRecord")]
        self.report.publish += [v for k, v in inbound.items() if k.startswith("DkimRecord")]
        if self.stage.site_domain:
            self.report.publish.append(
                f"{self.stage.site_domain} CNAME {infra['DistributionDomainName']}"
            )
        self.report.publish = [r for r in self.report.publish if "emulated-" not in r]
        return self.report
