"""The buckets, the inbound-mail stack, WAF logging and template sizes of infra/ (read as
data; cfn-lint runs in test_infra.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.test_infra import EDGE, INBOUND, MAIN, OPS, _as_list, _resource_text, load


@pytest.fixture(scope="module")
def main() -> dict:
    return load(MAIN)


@pytest.fixture(scope="module")
def waf() -> dict:
    return load(EDGE)


@pytest.fixture(scope="module")
def inbound() -> dict:
    return load(INBOUND)


def test_waf_logs_never_hold_a_path_query_or_cookie(waf: dict) -> None:
    (logging,) = [
        r for r in waf["Resources"].values() if r["Type"] == "AWS::WAFv2::LoggingConfiguration"
    ]
    redacted = logging["Properties"]["RedactedFields"]
    assert {"UriPath": {}} in redacted and {"QueryString": {}} in redacted
    assert {"SingleHeader": {"Name": "cookie"}} in redacted
    group = waf["Resources"]["WafLogGroup"]["Properties"]["LogGroupName"]
    assert _resource_text(group).startswith("aws-waf-logs-")


def test_buckets_are_private_encrypted_and_https_only(main: dict) -> None:
    buckets = {k: v for k, v in main["Resources"].items() if v["Type"] == "AWS::S3::Bucket"}
    assert set(buckets) == {"SiteBucket", "FilesBucket", "DeployBucket"}
    for props in (b["Properties"] for b in buckets.values()):
        assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
        (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    policies = {
        r["Properties"]["Bucket"]["Ref"]: r["Properties"]["PolicyDocument"]["Statement"]
        for r in main["Resources"].values()
        if r["Type"] == "AWS::S3::BucketPolicy"
    }
    for name in ("SiteBucket", "FilesBucket"):
        assert [s for s in policies[name] if s["Sid"] == "DenyInsecureTransport"]


def test_files_bucket_lifecycle_and_cors(main: dict) -> None:
    props = main["Resources"]["FilesBucket"]["Properties"]
    expiry = {
        r["Prefix"]: r["ExpirationInDays"]
        for r in props["LifecycleConfiguration"]["Rules"]
        if "Prefix" in r
    }
    assert expiry == {
        "uploads/": 1,
        "attachments/": {"Ref": "FilesRetentionDays"},
        "thumbs/": {"Ref": "FilesRetentionDays"},
        "exports/": 1,
    }
    (cors,) = props["CorsConfiguration"]["CorsRules"]
    assert cors["AllowedMethods"] == ["POST"]
    (origin,) = cors["AllowedOrigins"]
    name, custom, default = origin["Fn::If"]
    assert name == "HasCustomDomain"
    assert _resource_text(custom) == "https://${SiteDomainName}"
    assert _resource_text(default) == "https://${Distribution.DomainName}"


def test_inbound_rule_stores_raw_mail_then_hands_over_the_verdicts(inbound: dict) -> None:
    rule = inbound["Resources"]["Rule"]["Properties"]["Rule"]
    assert rule["ScanEnabled"] is True and rule["Recipients"] == [{"Ref": "ReplyDomain"}]
    store, hand_over = rule["Actions"]
    assert store["S3Action"]["ObjectKeyPrefix"] == "inbound/"
    assert store["S3Action"]["BucketName"] == {"Ref": "InboundBucket"}
    assert hand_over["LambdaAction"]["InvocationType"] == "Event"
    assert hand_over["LambdaAction"]["FunctionArn"]["Fn::If"][0] == "SameRegion"
    statements = inbound["Resources"]["InboundBucketPolicy"]["Properties"]["PolicyDocument"][
        "Statement"
    ]
    (ses,) = [s for s in statements if s.get("Principal") == {"Service": "ses.amazonaws.com"}]
    assert ses["Action"] == "s3:PutObject"
    assert _resource_text(ses["Resource"]).endswith("/inbound/*")
    assert "aws:SourceAccount" in ses["Condition"]["StringEquals"]
    forwarder = inbound["Resources"]["ForwarderRole"]["Properties"]["Policies"][0]
    actions = {a for s in forwarder["PolicyDocument"]["Statement"] for a in _as_list(s["Action"])}
    assert actions == {"lambda:InvokeFunction", "logs:CreateLogStream", "logs:PutLogEvents"}


def test_inbound_forwarder_code_compiles(inbound: dict) -> None:
    code = inbound["Resources"]["Forwarder"]["Properties"]["Code"]["ZipFile"]
    compile(code, "index.py", "exec")
    assert 'InvocationType="Event"' in code


@pytest.mark.parametrize("template", [MAIN, OPS, EDGE, INBOUND], ids=lambda p: p.name)
def test_templates_fit_in_a_cloudformation_request(template: Path) -> None:
    # tools/deploy sends each as TemplateBody, which CloudFormation caps at 51,200 bytes.
    assert len(template.read_bytes()) < 51_200
