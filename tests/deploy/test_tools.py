"""tools/deploy piece by piece: the Zappa template-URL fix, the stage file's refusals, the
emulator's stand-ins, the site's headers, secrets never overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from tools.deploy import function, parameters, site, stacks
from tools.deploy.stagefile import StageFileError, parse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "stages" / "example.json").read_text())


def test_zappas_legacy_template_url_is_made_regional():
    cf = boto3.client("cloudformation", region_name="ap-southeast-3")
    hook = function.regional_template_url("ap-southeast-3")
    cf.meta.events.register("provide-client-params.cloudformation.CreateStack", hook)
    regional = (
        "https://tiket-prod-deploy.s3.ap-southeast-3.amazonaws.com/tiket-prod-template-1.json"
    )
    with Stubber(cf) as stub:
        stub.add_response(
            "create_stack",
            {"StackId": "arn:aws:cloudformation:ap-southeast-3:123456789012:stack/tiket-prod/1"},
            {"StackName": "tiket-prod", "TemplateURL": regional},
        )
        # What Zappa 0.63's update_stack passes (S3 refuses it for opt-in regions).
        cf.create_stack(
            StackName="tiket-prod",
            TemplateURL="https://s3.amazonaws.com/tiket-prod-deploy/tiket-prod-template-1.json",
        )
        stub.assert_no_pending_responses()


def test_the_example_stage_file_is_valid():
    stage = parse(EXAMPLE)
    assert stage.sender_domain == "unit.go.id" and stage.function == "tiket-prod"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stage": "Prod"}, "stage"),
        ({"account": "12345"}, "account"),
        ({"sender": "tiket at unit"}, "sender"),
        ({"site_certificate_arn": ""}, "go together"),
        ({"inbound_region": ""}, "inbound_region"),
        ({"architecture": "sparc"}, "architecture"),
        ({"settings": {"TIKET_TABLE": "other"}}, "set by the deploy"),
        ({"settings": {"lowercase": "x"}}, "settings"),
        ({"surprise": 1}, "unknown keys"),
        ({"first_admin": {"email": "admin@unit.go.id"}}, "name"),
    ],
)
def test_a_bad_stage_file_is_refused_with_the_field_named(change, message):
    with pytest.raises(StageFileError, match=message):
        parse({**EXAMPLE, **change})


def test_emulation_leaves_out_unsupported_types_and_stands_in_for_them():
    body = (ROOT / "infra" / "tiket.yaml").read_text()
    emulated, removed = stacks.emulate(body, frozenset({"AWS::CloudFront::Distribution"}))
    assert removed == ["Distribution"]
    template = json.loads(emulated)
    assert "Distribution" not in template["Resources"]
    outputs = template["Outputs"]
    assert outputs["DistributionId"]["Value"] == "emulated-Distribution"
    assert "emulated-Distribution-DomainName" in json.dumps(outputs["PublicUrl"])
    text = json.dumps(template)
    for reference in ('{"Ref": "Distribution"}', '["Distribution", ', "${Distribution"):
        assert reference not in text


def test_site_types_and_cache_headers():
    assert site.content_type(Path("a/index.html")) == "text/html; charset=utf-8"
    assert site.cache_control("text/html; charset=utf-8") == "no-cache"
    assert site.content_type(Path("js/x.js")) == "text/javascript; charset=utf-8"
    assert site.cache_control("text/javascript; charset=utf-8") == "public, max-age=300"
    assert site.cache_control(site.content_type(Path("logo.png"))) == "public, max-age=86400"
    for path in (ROOT / "site").rglob("*"):
        if path.is_file():
            assert site.content_type(path) != "application/octet-stream", path


def test_secrets_are_created_once_and_rotate_through_two_values(aws):
    ssm = boto3.client("ssm", region_name="ap-southeast-3")
    name = "/tiket/scratch/origin-secret"
    assert parameters.ensure(ssm, name) == "created"
    first = parameters.values(ssm, name)
    assert parameters.ensure(ssm, name) == "unchanged"
    assert parameters.values(ssm, name) == first
    parameters.prepend(ssm, name)
    rotating = parameters.values(ssm, name)
    assert len(rotating) == 2 and rotating[1] == first[0]
    parameters.keep_newest(ssm, name)
    assert parameters.values(ssm, name) == rotating[:1]
