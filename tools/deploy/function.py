"""The function through Zappa: its generated settings, deploy, update and rollback.

Every release zip is kept in the stage's deploy bucket under ``releases/<stage>/<sha256>.zip``
and Zappa deploys it from there (``zappa deploy|update --zip s3://…``), so a rollback is
Zappa updating to the zip of an earlier published version, configuration unchanged.

Zappa 0.63 gives CloudFormation its API template as ``https://s3.amazonaws.com/<bucket>/…``,
which S3 refuses for buckets in regions launched after March 2019 (ap-southeast-3 among
them). A botocore hook on Zappa's own CloudFormation client rewrites that URL to the
bucket's regional, virtual-hosted form before the call is made.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tools import zappa_config
from tools.deploy.stagefile import Stage

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_DIR = ROOT / "build" / "deploy"
LEGACY_TEMPLATE_URL = re.compile(r"^https://s3\.amazonaws\.com/([^/]+)/(.+)$")
ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",'
    '"requestTime":"$context.requestTime","httpMethod":"$context.httpMethod",'
    '"resource":"$context.resourcePath","status":"$context.status",'
    '"responseLength":"$context.responseLength","integrationStatus":"$context.integrationStatus",'
    '"integrationLatency":"$context.integrationLatency",'
    '"responseLatency":"$context.responseLatency","wafResponseCode":"$context.wafResponseCode"}'
)  # the path is left out: tracking and action links carry tokens in it


@dataclass(frozen=True)
class Release:
    path: Path
    sha256: str  # hex

    @classmethod
    def of(cls, path: Path) -> Release:
        return cls(path, hashlib.sha256(path.read_bytes()).hexdigest())

    @property
    def code_sha(self) -> str:
        """As Lambda reports it (CodeSha256: base64 of the digest)."""
        return base64.b64encode(bytes.fromhex(self.sha256)).decode()

    def key(self, stage: str) -> str:
        return f"releases/{stage}/{self.sha256}.zip"


def lambda_environment(stage: Stage, infra: dict[str, str], inbound: dict[str, str]) -> dict:
    """The function's environment variables (what tiket.config reads)."""
    public_url = infra["PublicUrl"]
    env = {
        "TIKET_ENV": "production",
        "TIKET_STAGE": stage.stage,
        "TIKET_TABLE": stage.restored_table or infra["TableName"],
        "TIKET_PUBLIC_URL": public_url,
        "TIKET_ALLOWED_ORIGINS": public_url,
        "TIKET_MAIL_SENDER": stage.sender,
        "TIKET_SES_CONFIGURATION_SET": infra["SesConfigurationSet"],
        "TIKET_SIGNING_KEYS_PARAM": infra["SigningKeysParameterName"],
        "TIKET_ORIGIN_SECRET_PARAM": infra["OriginSecretParameterName"],
        "TIKET_UNIT_NAME": stage.unit_name,
        # CloudFront and API Gateway each append an address to X-Forwarded-For.
        "TIKET_TRUSTED_PROXY_HOPS": "2",
        "TIKET_FILES_BUCKET": infra["FilesBucketName"],
        "TIKET_EXPORTS_BUCKET": infra["FilesBucketName"],
    }
    if stage.reply_domain:
        env["TIKET_REPLY_DOMAIN"] = stage.reply_domain
    if inbound:
        env["TIKET_INBOUND_BUCKET"] = inbound["InboundBucketName"]
        env["TIKET_INBOUND_REGION"] = inbound["InboundRegion"]
    return {**env, **stage.settings}


def zappa_settings(stage: Stage, infra: dict[str, str], env: dict[str, str]) -> dict[str, Any]:
    """The stage's own keys on top of zappa_settings.json's ``_common``."""
    return {
        "aws_region": stage.region,
        "architecture": stage.architecture,
        "s3_bucket": infra["DeployBucketName"],
        "role_arn": infra["ExecutionRoleArn"],
        "aws_environment_variables": env,
    }


def regional_template_url(region: str):
    def hook(params: dict[str, Any], **_: Any) -> None:
        match = LEGACY_TEMPLATE_URL.match(params.get("TemplateURL") or "")
        if match:
            bucket, key = match.groups()
            params["TemplateURL"] = f"https://{bucket}.s3.{region}.amazonaws.com/{key}"

    return hook


# Calls an emulator (moto) does not implement, answered as AWS answers them for this stage:
# Zappa's update asks for the function's URL configurations to delete them; it has none.
EMULATOR_ANSWERS = {("lambda", "ListFunctionUrlConfigs"): {"FunctionUrlConfigs": []}}


def _answer_locally(answer: dict[str, Any]):
    def hook(**_: Any):
        # botocore: a (http response, parsed) pair from before-call short-circuits the call.
        return SimpleNamespace(status_code=200, headers={}), answer

    return hook


def zappa_cli(stage: Stage, extra: dict[str, Any], emulated: bool = False):
    folder = SETTINGS_DIR / stage.stage
    path = zappa_config.write(stage.stage, folder, extra)
    cli = zappa_config.cli(stage.stage, path)
    hook = regional_template_url(stage.region)
    for operation in ("CreateStack", "UpdateStack"):
        cli.zappa.cf_client.meta.events.register(
            f"provide-client-params.cloudformation.{operation}", hook
        )
    if emulated:
        for (service, operation), answer in EMULATOR_ANSWERS.items():
            client = getattr(cli.zappa, f"{service}_client")
            client.meta.events.register(
                f"before-call.{service}.{operation}", _answer_locally(answer)
            )
    return cli


def _configuration_matches(current: dict[str, Any], cli, env: dict[str, str]) -> bool:
    wanted = {
        "Runtime": cli.runtime,
        "Handler": cli.lambda_handler,
        "MemorySize": cli.memory_size,
        "Timeout": cli.timeout_seconds,
        "Role": cli.zappa.credentials_arn,
        "Architectures": [cli.architecture],
        "Environment": env,
    }
    have = {key: current.get(key) for key in wanted}
    have["Environment"] = (current.get("Environment") or {}).get("Variables", {})
    have["Architectures"] = current.get("Architectures", ["x86_64"])
    return have == wanted


@contextlib.contextmanager
def _quiet_zappa(folder: Path):
    """Zappa prints progress bars and chatter; the deploy prints its own summary (errors
    still surface as exceptions)."""
    out = io.StringIO()
    logger = logging.getLogger("zappa.core")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        redirected = contextlib.redirect_stdout(out), contextlib.redirect_stderr(out)
        with zappa_config.working_directory(folder), redirected[0], redirected[1]:
            yield out
    finally:
        logger.setLevel(level)


def release(
    session, stage: Stage, extra: dict[str, Any], zip_path: Path, emulated: bool = False
) -> str:
    """Deploy or update the function to ``zip_path``; ``created|updated|unchanged``."""
    build = Release.of(zip_path)
    bucket = extra["s3_bucket"]
    s3 = session.client("s3", region_name=stage.region)
    lam = session.client("lambda", region_name=stage.region)
    try:
        s3.head_object(Bucket=bucket, Key=build.key(stage.stage))
    except s3.exceptions.ClientError:
        s3.upload_file(str(zip_path), bucket, build.key(stage.stage))
    source = f"s3://{bucket}/{build.key(stage.stage)}"
    env = extra["aws_environment_variables"]
    cli = zappa_cli(stage, extra, emulated)
    try:
        current = lam.get_function_configuration(FunctionName=stage.function)
    except lam.exceptions.ResourceNotFoundException:
        current = None
    if current is None:
        with _quiet_zappa(SETTINGS_DIR / stage.stage):
            cli.deploy(source)
        return "created"
    same = current["CodeSha256"] == build.code_sha and _configuration_matches(current, cli, env)
    if same and _wired(session, stage):
        return "unchanged"
    update(session, stage, cli, source)
    return "updated"


def update(session, stage: Stage, cli, source: str) -> None:
    """``zappa update``, leaving a paused sweep paused (Zappa re-enables its schedule: a
    restore in progress must not have the sweep run before its checks)."""
    events = session.client("events", region_name=stage.region)
    rule = sweep_rule(stage)
    try:
        paused = events.describe_rule(Name=rule)["State"] == "DISABLED"
    except events.exceptions.ResourceNotFoundException:
        paused = False
    with _quiet_zappa(SETTINGS_DIR / stage.stage):
        cli.update(source)
    if paused:
        events.disable_rule(Name=rule)


def _wired(session, stage: Stage) -> bool:
    """The schedule and the API are there (someone may have deleted one by hand)."""
    events = session.client("events", region_name=stage.region)
    try:
        events.describe_rule(Name=sweep_rule(stage))
    except events.exceptions.ResourceNotFoundException:
        return False
    return api_id(session, stage) is not None


def sweep_rule(stage: Stage) -> str:
    return f"{stage.function}-tiket.jobs.sweep"


def previous_release(session, stage: Stage, back: int = 1) -> str:
    """The release key of the ``back``-th earlier code among the published versions."""
    lam = session.client("lambda", region_name=stage.region)
    current = lam.get_function_configuration(FunctionName=stage.function)["CodeSha256"]
    pages = lam.get_paginator("list_versions_by_function").paginate(FunctionName=stage.function)
    versions = [v for page in pages for v in page["Versions"] if v["Version"] != "$LATEST"]
    versions.sort(key=lambda v: int(v["Version"]), reverse=True)
    seen = [current]
    for version in versions:
        if version["CodeSha256"] not in seen:
            seen.append(version["CodeSha256"])
        if len(seen) > back:
            break
    if len(seen) <= back:
        raise SystemExit(f"no release {back} back among the retained versions of {stage.function}")
    return f"releases/{stage.stage}/{base64.b64decode(seen[back]).hex()}.zip"


def rollback(
    session, stage: Stage, extra: dict[str, Any], back: int = 1, emulated: bool = False
) -> str:
    key = previous_release(session, stage, back)
    cli = zappa_cli(stage, extra, emulated)
    update(session, stage, cli, f"s3://{extra['s3_bucket']}/{key}")
    return key


def api_id(session, stage: Stage) -> str | None:
    cf = session.client("cloudformation", region_name=stage.region)
    try:
        resource = cf.describe_stack_resource(StackName=stage.function, LogicalResourceId="Api")
    except cf.exceptions.ClientError:
        return None
    return resource["StackResourceDetail"]["PhysicalResourceId"]


def api_domain(session, stage: Stage) -> str:
    found = api_id(session, stage)
    return f"{found}.execute-api.{stage.region}.amazonaws.com" if found else ""


def access_logs(session, stage: Stage, log_group_arn: str) -> str:
    """Point the API stage's access log at the ops stack's group (once)."""
    found = api_id(session, stage)
    if not found:
        return "unchanged"
    apigateway = session.client("apigateway", region_name=stage.region)
    destination = log_group_arn.removesuffix(":*")
    current = apigateway.get_stage(restApiId=found, stageName=stage.stage).get("accessLogSettings")
    if current == {"format": ACCESS_LOG_FORMAT, "destinationArn": destination}:
        return "unchanged"
    apigateway.update_stage(
        restApiId=found,
        stageName=stage.stage,
        patchOperations=[
            {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": destination},
            {"op": "replace", "path": "/accessLogSettings/format", "value": ACCESS_LOG_FORMAT},
        ],
    )
    return "updated"
