"""``make destroy STAGE=…``: remove a scratch stage. The data stays unless asked.

The function, its API and schedule go (``zappa undeploy``), then the ops, inbound, edge and
infra stacks, after emptying the buckets whose contents can be rebuilt (the site, the
release zips). The table, the files bucket, the backup vault and the SecureStrings are
retained by their stacks and left as they are; ``--delete-data`` removes the table, the
files bucket and the SecureStrings too (the vault's recovery points expire by their plan).
``prod`` is never destroyed by this command.
"""

from __future__ import annotations

import contextlib
import io

from tools import zappa_config
from tools.deploy import function, stacks
from tools.deploy.deploy import EDGE_REGION
from tools.deploy.stagefile import Stage


def empty_bucket(s3, bucket: str) -> None:
    try:
        pages = s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
        for page in pages:
            items = page.get("Versions", []) + page.get("DeleteMarkers", [])
            objects = [{"Key": i["Key"], "VersionId": i["VersionId"]} for i in items]
            if objects:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
    except s3.exceptions.NoSuchBucket:
        return


def destroy(session, stage: Stage, delete_data: bool = False) -> list[str]:
    if stage.stage == "prod":
        raise SystemExit("make destroy is for scratch stages; prod is taken down by hand")
    done: list[str] = []
    cf = session.client("cloudformation", region_name=stage.region)
    infra = stacks.outputs_of(stacks.describe(cf, f"tiket-{stage.stage}-infra"))
    lam = session.client("lambda", region_name=stage.region)
    try:
        lam.get_function(FunctionName=stage.function)
        extra = {
            "s3_bucket": infra.get("DeployBucketName", ""),
            "role_arn": infra.get("ExecutionRoleArn", ""),
        }
        cli = function.zappa_cli(stage, {**extra, "aws_region": stage.region})
        with (
            zappa_config.working_directory(function.SETTINGS_DIR / stage.stage),
            contextlib.redirect_stdout(io.StringIO()),
        ):
            cli.undeploy(no_confirm=True, remove_logs=False)
        done.append(f"function {stage.function}")
    except lam.exceptions.ResourceNotFoundException:
        pass
    s3 = session.client("s3", region_name=stage.region)
    if stage.reply_domain:
        ses = session.client("ses", region_name=stage.inbound_region)
        name = f"tiket-{stage.stage}-inbound"
        with contextlib.suppress(ses.exceptions.ClientError):
            if ses.describe_active_receipt_rule_set().get("Metadata", {}).get("Name") == name:
                ses.set_active_receipt_rule_set()  # none active
        inbound_cf = session.client("cloudformation", region_name=stage.inbound_region)
        inbound = stacks.outputs_of(stacks.describe(inbound_cf, name))
        if inbound.get("InboundBucketName"):
            empty_bucket(
                session.client("s3", region_name=stage.inbound_region), inbound["InboundBucketName"]
            )
        if stacks.delete(inbound_cf, name):
            done.append(f"stack {name}")
    if stacks.delete(cf, f"tiket-{stage.stage}-ops"):
        done.append(f"stack tiket-{stage.stage}-ops")
    for key in ("SiteBucketName", "DeployBucketName"):
        if infra.get(key):
            empty_bucket(s3, infra[key])
    if stacks.delete(cf, f"tiket-{stage.stage}-infra"):
        done.append(f"stack tiket-{stage.stage}-infra")
    edge_cf = session.client("cloudformation", region_name=EDGE_REGION)
    if stacks.delete(edge_cf, f"tiket-{stage.stage}-edge"):
        done.append(f"stack tiket-{stage.stage}-edge")
    if delete_data:
        done += _delete_data(session, stage, infra)
    return done


def _delete_data(session, stage: Stage, infra: dict[str, str]) -> list[str]:
    done = []
    dynamodb = session.client("dynamodb", region_name=stage.region)
    table = infra.get("TableName", stage.function)
    with contextlib.suppress(dynamodb.exceptions.ResourceNotFoundException):
        dynamodb.update_table(TableName=table, DeletionProtectionEnabled=False)
        dynamodb.delete_table(TableName=table)
        done.append(f"table {table}")
    if infra.get("FilesBucketName"):
        s3 = session.client("s3", region_name=stage.region)
        empty_bucket(s3, infra["FilesBucketName"])
        with contextlib.suppress(s3.exceptions.NoSuchBucket):
            s3.delete_bucket(Bucket=infra["FilesBucketName"])
            done.append(f"bucket {infra['FilesBucketName']}")
    ssm = session.client("ssm", region_name=stage.region)
    names = [stage.signing_keys_param, stage.origin_secret_param]
    ssm.delete_parameters(Names=names)
    done += [f"parameter {name}" for name in names]
    return done
