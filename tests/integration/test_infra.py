"""The CloudFormation templates in infra/: lint-clean, and in step with the code.

No AWS account is involved: cfn-lint validates against the resource schemas of the target
regions, and the rest reads the templates as data.
"""

import fnmatch
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cfnlint.decode import decode

from tiket.adapters.dynamodb.table import table_definition

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "infra" / "tiket.yaml"
EDGE = ROOT / "infra" / "edge.yaml"
OPS = ROOT / "infra" / "ops.yaml"
INBOUND = ROOT / "infra" / "inbound.yaml"
CFN_LINT = Path(sys.executable).parent / "cfn-lint"

# Conditions as they stand in normal production operation (no sandbox, no restore).
PRODUCTION_CONDITIONS = {"InSesSandbox": False, "HasRestoredTable": False, "HasInbound": True}
# What the function calls (adapters/store.py; TransactWriteItems is authorised per item by
# PutItem/UpdateItem/DeleteItem). The lead says when the code's calls change. DeleteItem:
# the sweep folding the report counters (issue 14), on R#... partitions only.
DYNAMODB_CALLS = {
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
}


def load(path: Path) -> dict:
    template, problems = decode(str(path))
    assert not problems, [str(p) for p in problems]
    # Plain dicts/lists/strings: drop cfn-lint's node classes.
    return json.loads(json.dumps(template))


@pytest.fixture(scope="module")
def main() -> dict:
    return load(MAIN)


@pytest.fixture(scope="module")
def waf() -> dict:
    return load(EDGE)


# --------------------------------------------------------------------------------------
# (a) cfn-lint
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "region"),
    [
        (MAIN, "ap-southeast-3"),
        (OPS, "ap-southeast-3"),
        (EDGE, "us-east-1"),
        (INBOUND, "us-east-1"),
    ],
    ids=["tiket.yaml", "ops.yaml", "edge.yaml", "inbound.yaml"],
)
def test_cfn_lint_clean(template: Path, region: str) -> None:
    assert CFN_LINT.exists(), f"cfn-lint not installed next to {sys.executable}"
    result = subprocess.run(
        [str(CFN_LINT), str(template.relative_to(ROOT)), "--regions", region],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        f"cfn-lint exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    )


# --------------------------------------------------------------------------------------
# (b) the table matches the code's table_definition()
# --------------------------------------------------------------------------------------


def _key_schema(items: list[dict]) -> list[tuple[str, str]]:
    # KeySchema order is meaningful (HASH then RANGE) but compare it sorted by key type
    # so the YAML may list the pair either way.
    return sorted((k["KeyType"], k["AttributeName"]) for k in items)


def test_table_matches_code(main: dict) -> None:
    props = main["Resources"]["Table"]["Properties"]
    expected = table_definition("tiket-test")

    assert props["BillingMode"] == expected["BillingMode"] == "PAY_PER_REQUEST"
    assert sorted(
        (a["AttributeName"], a["AttributeType"]) for a in props["AttributeDefinitions"]
    ) == sorted((a["AttributeName"], a["AttributeType"]) for a in expected["AttributeDefinitions"])
    assert _key_schema(props["KeySchema"]) == _key_schema(expected["KeySchema"])

    def indexes(gsis: list[dict]) -> dict:
        return {
            g["IndexName"]: {
                "keys": _key_schema(g["KeySchema"]),
                "projection": g["Projection"],
                "other": sorted(set(g) - {"IndexName", "KeySchema", "Projection"}),
            }
            for g in gsis
        }

    assert indexes(props["GlobalSecondaryIndexes"]) == indexes(expected["GlobalSecondaryIndexes"])
    assert props.get("LocalSecondaryIndexes") is None


def test_table_protection(main: dict) -> None:
    table = main["Resources"]["Table"]
    props = table["Properties"]
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["DeletionProtectionEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"


# --------------------------------------------------------------------------------------
# (c) least privilege of the execution role
# --------------------------------------------------------------------------------------


def _resolve(node, conditions: dict):
    """Evaluate Fn::If for the given condition values; drop AWS::NoValue."""
    if isinstance(node, list):
        out = [_resolve(item, conditions) for item in node]
        return [item for item in out if item is not _NO_VALUE]
    if isinstance(node, dict):
        if set(node) == {"Fn::If"}:
            name, when_true, when_false = node["Fn::If"]
            return _resolve(when_true if conditions[name] else when_false, conditions)
        if node == {"Ref": "AWS::NoValue"}:
            return _NO_VALUE
        return {key: _resolve(value, conditions) for key, value in node.items()}
    return node


_NO_VALUE = object()


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _resource_text(resource) -> str:
    """A readable form of one Resource entry: the literal or the Fn::Sub template."""
    if isinstance(resource, str):
        return resource
    if "Fn::Sub" in resource:
        sub = resource["Fn::Sub"]
        return sub if isinstance(sub, str) else sub[0]
    if "Fn::GetAtt" in resource:
        logical, attribute = resource["Fn::GetAtt"]
        return f"${{{logical}.{attribute}}}"
    if "Ref" in resource:
        return f"${{{resource['Ref']}}}"
    raise AssertionError(f"unexpected Resource form {resource!r}")


def _role_statements(main: dict, conditions: dict) -> list[dict]:
    role = main["Resources"]["ExecutionRole"]["Properties"]
    statements = []
    for policy in role.get("Policies", []):
        statements += _as_list(_resolve(policy["PolicyDocument"], conditions)["Statement"])
    assert not role.get("ManagedPolicyArns"), "no managed policies: everything is spelled out"
    # Any separate policy resource attached to the role is checked the same way.
    for resource in main["Resources"].values():
        if resource["Type"] in {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}:
            doc = _resolve(resource["Properties"]["PolicyDocument"], conditions)
            statements += _as_list(doc["Statement"])
    return statements


GUARDED = ("dynamodb", "ses", "ssm", "s3")


@pytest.mark.parametrize(
    "conditions",
    [
        PRODUCTION_CONDITIONS,
        {"InSesSandbox": True, "HasRestoredTable": True, "HasInbound": False},
    ],
    ids=["production", "sandbox+restore"],
)
def test_role_never_scans_and_has_no_wildcards(main: dict, conditions: dict) -> None:
    statements = _role_statements(main, conditions)
    assert statements
    for statement in statements:
        assert statement["Effect"] == "Allow"
        assert "NotAction" not in statement and "NotResource" not in statement, statement
        actions = [a.lower() for a in _as_list(statement["Action"])]
        for action in actions:
            assert action != "*", statement
            assert not fnmatch.fnmatchcase("dynamodb:scan", action), f"{action} allows Scan"
            service = action.split(":", 1)[0]
            if service in GUARDED:
                assert "*" not in action, f"wildcard action {action}"
        if any(a.split(":", 1)[0] in GUARDED for a in actions):
            for resource in _as_list(statement["Resource"]):
                text = _resource_text(resource)
                assert text != "*", statement
                assert ":*:" not in text, f"wildcard region/account in {text}"


def _grants(main: dict, conditions: dict) -> dict[str, set[str]]:
    by_service: dict[str, set[str]] = {}
    for statement in _role_statements(main, conditions):
        services = {a.split(":", 1)[0] for a in _as_list(statement["Action"])}
        for service in services:
            by_service.setdefault(service, set()).update(
                _resource_text(r) for r in _as_list(statement["Resource"])
            )
    return by_service


def test_role_resources_in_production(main: dict) -> None:
    grants = _grants(main, PRODUCTION_CONDITIONS)
    ses = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"
    ssm = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:"
    assert grants["dynamodb"] == {"${Table.Arn}", "${Table.Arn}/index/*"}
    assert grants["ses"] == {
        ses + "identity/${SenderDomain}",
        ses + "configuration-set/${MailConfigurationSet}",
    }
    assert grants["ssm"] == {
        ssm + "parameter/tiket/${Stage}/signing-keys",
        ssm + "parameter/tiket/${Stage}/origin-secret",
    }
    files = "${FilesBucket.Arn}/"
    assert grants["s3"] == {
        *(files + prefix + "/*" for prefix in ("uploads", "attachments", "thumbs", "exports")),
        "arn:${AWS::Partition}:s3:::${InboundBucketName}/inbound/*",
    }


def test_role_actions(main: dict) -> None:
    actions = {
        a
        for statement in _role_statements(main, PRODUCTION_CONDITIONS)
        for a in _as_list(statement["Action"])
    }
    assert {a for a in actions if a.startswith("dynamodb:")} == DYNAMODB_CALLS
    assert {a for a in actions if a.startswith("ssm:")} == {"ssm:GetParameters"}
    assert {a for a in actions if a.startswith("ses:")} == {"ses:SendEmail"}
    assert {a for a in actions if a.startswith("s3:")} == {
        "s3:GetObject",
        "s3:PutObject",
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
    }
    assert not [a for a in actions if a.startswith("cloudwatch:")], (
        "metrics go out as EMF log lines"
    )


def test_kms_decrypt_is_pinned_to_ssm_and_the_parameter(main: dict) -> None:
    (statement,) = [
        s
        for s in _role_statements(main, PRODUCTION_CONDITIONS)
        if "kms:Decrypt" in _as_list(s["Action"])
    ]
    condition = statement["Condition"]["StringEquals"]
    assert _resource_text(condition["kms:ViaService"]) == "ssm.${AWS::Region}.amazonaws.com"
    contexts = [_resource_text(a) for a in condition["kms:EncryptionContext:PARAMETER_ARN"]]
    assert [c.rsplit(":parameter", 1)[1] for c in contexts] == [
        "/tiket/${Stage}/signing-keys",
        "/tiket/${Stage}/origin-secret",
    ]


# --------------------------------------------------------------------------------------
# Wiring the code relies on
# --------------------------------------------------------------------------------------


def test_log_group_is_the_functions(main: dict) -> None:
    props = main["Resources"]["LogGroup"]["Properties"]
    assert _resource_text(props["LogGroupName"]) == "/aws/lambda/tiket-${Stage}"


def test_distribution_routes_dynamic_paths_to_the_api_uncached(main: dict) -> None:
    config = main["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    assert config["DefaultRootObject"] == "index.html"
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "site"
    name, behaviours, absent = config["CacheBehaviors"]["Fn::If"]
    assert name == "HasApi" and absent == {"Ref": "AWS::NoValue"}
    by_path = {b["PathPattern"]: b for b in behaviours}
    assert {"/api/*", "/actions/*"} <= set(by_path)
    for behaviour in by_path.values():
        assert behaviour["TargetOriginId"] == "api"
        assert behaviour["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
        assert behaviour["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"
        assert "POST" in behaviour["AllowedMethods"]


def test_alarms_watch_the_metrics_the_code_emits() -> None:
    alarms = [
        r["Properties"]
        for r in load(OPS)["Resources"].values()
        if r["Type"] == "AWS::CloudWatch::Alarm"
    ]
    app = {a["MetricName"] for a in alarms if a["Namespace"] == "TIKet"}
    assert {"Breaches", "EmailsFailed", "Errors"} <= app
    for alarm in alarms:
        if alarm["Namespace"] == "TIKet":
            assert alarm["Dimensions"] == [{"Name": "Stage", "Value": {"Ref": "Stage"}}]
    ses = {a["MetricName"] for a in alarms if a["Namespace"] == "AWS/SES"}
    assert {"Reputation.BounceRate", "Reputation.ComplaintRate"} <= ses


def test_waf_limits_ticket_intake_and_login(waf: dict) -> None:
    acl = waf["Resources"]["WebAcl"]["Properties"]
    assert acl["Scope"] == "CLOUDFRONT"
    limited = {}
    for rule in acl["Rules"]:
        rate = rule["Statement"].get("RateBasedStatement")
        if not rate:
            continue
        assert rate["AggregateKeyType"] == "IP"
        matches = {
            next(iter(s["ByteMatchStatement"]["FieldToMatch"])): s["ByteMatchStatement"][
                "SearchString"
            ]
            for s in rate["ScopeDownStatement"]["AndStatement"]["Statements"]
        }
        assert matches["Method"] == "POST"
        limited[matches["UriPath"]] = rule
    assert set(limited) == {"/api/tickets", "/api/auth/login"}
    for rule in limited.values():
        statements = rule["Statement"]["RateBasedStatement"]["ScopeDownStatement"]["AndStatement"]
        (path,) = [
            s
            for s in statements["Statements"]
            if "UriPath" in s["ByteMatchStatement"]["FieldToMatch"]
        ]
        transforms = [t["Type"] for t in path["ByteMatchStatement"]["TextTransformations"]]
        # /api/%74ickets must count as /api/tickets (issue 16).
        assert transforms == ["URL_DECODE", "NORMALIZE_PATH", "LOWERCASE"]
    (common,) = [r for r in acl["Rules"] if "ManagedRuleGroupStatement" in r["Statement"]]
    assert common["OverrideAction"] == {"Count": {}}
