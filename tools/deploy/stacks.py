"""CloudFormation stacks, created or updated only when their inputs changed.

A stack carries the tag ``tiket:inputs``: a digest of its template and parameter values
(NoEcho ones included, which CloudFormation never shows back). Same digest, no call that
could change anything: a second deploy leaves every stack untouched.

Against an emulator (moto), resource types it cannot create are left out of the template
and references to them stand in with fixed strings; tools/deploy then skips the steps that
need them (the CloudFront invalidation when the distribution is not real). The tests list
those types and check them by cfn-lint and template tests instead.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INPUTS_TAG = "tiket:inputs"
INFRA = Path(__file__).resolve().parents[2] / "infra"
CAPABILITIES = ["CAPABILITY_NAMED_IAM"]


@dataclass
class StackResult:
    name: str
    change: str  # created | updated | unchanged
    outputs: dict[str, str] = field(default_factory=dict)
    emulated: list[str] = field(default_factory=list)  # logical ids left out


def digest(body: str, parameters: dict[str, str]) -> str:
    text = body + "\0" + json.dumps(parameters, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def describe(cf, name: str) -> dict[str, Any] | None:
    try:
        (stack,) = cf.describe_stacks(StackName=name)["Stacks"]
    except cf.exceptions.ClientError as error:
        if "does not exist" in str(error):
            return None
        raise
    return None if stack["StackStatus"] == "DELETE_COMPLETE" else stack


def outputs_of(stack: dict[str, Any] | None) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in (stack or {}).get("Outputs", [])}


def deploy(
    cf, name: str, template: str, parameters: dict[str, str], emulated_types: frozenset[str]
) -> StackResult:
    body = (INFRA / template).read_text()
    left_out: list[str] = []
    if emulated_types:
        body, left_out = emulate(body, emulated_types)
    wanted = digest(body, parameters)
    stack = describe(cf, name)
    if stack and stack["StackStatus"] == "ROLLBACK_COMPLETE":
        # A first creation that failed: CloudFormation allows only deleting it.
        cf.delete_stack(StackName=name)
        cf.get_waiter("stack_delete_complete").wait(StackName=name, WaiterConfig={"Delay": 10})
        stack = None
    if stack and {t["Key"]: t["Value"] for t in stack.get("Tags", [])}.get(INPUTS_TAG) == wanted:
        return StackResult(name, "unchanged", outputs_of(stack), left_out)
    request = {
        "StackName": name,
        "TemplateBody": body,
        "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        "Capabilities": CAPABILITIES,
        "Tags": [{"Key": INPUTS_TAG, "Value": wanted}, {"Key": "app", "Value": "tiket"}],
    }
    if stack is None:
        cf.create_stack(**request, EnableTerminationProtection=False)
        cf.get_waiter("stack_create_complete").wait(StackName=name, WaiterConfig={"Delay": 10})
        change = "created"
    else:
        cf.update_stack(**request)
        cf.get_waiter("stack_update_complete").wait(StackName=name, WaiterConfig={"Delay": 10})
        change = "updated"
    return StackResult(name, change, outputs_of(describe(cf, name)), left_out)


def delete(cf, name: str) -> bool:
    if describe(cf, name) is None:
        return False
    cf.delete_stack(StackName=name)
    cf.get_waiter("stack_delete_complete").wait(StackName=name, WaiterConfig={"Delay": 10})
    return True


# ------------------------------------------------------------------------------------------
# Emulation: leave out what the emulator cannot create
# ------------------------------------------------------------------------------------------


def emulate(body: str, unsupported: frozenset[str]) -> tuple[str, list[str]]:
    """The template without resources of ``unsupported`` types, every reference to them
    replaced by a stand-in string (``emulated-<Id>`` / ``emulated-<Id>-<Attribute>``)."""
    from cfnlint.decode import decode_str

    template, problems = decode_str(body)
    if problems:
        raise ValueError(f"template does not parse: {problems}")
    template = json.loads(json.dumps(template))
    resources = template.get("Resources", {})
    removed = sorted(k for k, v in resources.items() if v["Type"] in unsupported)
    for key in removed:
        del resources[key]
    for resource in resources.values():
        depends = resource.get("DependsOn")
        if depends:
            kept = [
                d for d in ([depends] if isinstance(depends, str) else depends) if d not in removed
            ]
            resource["DependsOn"] = kept
            if not kept:
                del resource["DependsOn"]
    return json.dumps(_stand_in(template, set(removed))), removed


def _stand_in(node: Any, removed: set[str]) -> Any:
    if isinstance(node, list):
        return [_stand_in(item, removed) for item in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"Ref"} and node["Ref"] in removed:
        return f"emulated-{node['Ref']}"
    if set(node) == {"Fn::GetAtt"}:
        target = node["Fn::GetAtt"]
        logical, attribute = target if isinstance(target, list) else target.split(".", 1)
        if logical in removed:
            return f"emulated-{logical}-{attribute}"
    if set(node) == {"Fn::Sub"}:
        sub = node["Fn::Sub"]
        text, variables = (sub, {}) if isinstance(sub, str) else (sub[0], sub[1])

        def replace(match: re.Match[str]) -> str:
            logical, _, attribute = match.group(1).partition(".")
            if logical in removed:
                return f"emulated-{logical}" + (f"-{attribute}" if attribute else "")
            return match.group(0)

        text = re.sub(r"\$\{([A-Za-z0-9]+(?:\.[A-Za-z0-9.]+)?)\}", replace, text)
        variables = _stand_in(variables, removed)
        return {"Fn::Sub": [text, variables] if variables else text}
    return {key: _stand_in(value, removed) for key, value in node.items()}
