"""What issue 14 needs from the execution role, and no more: the sweep deletes the report
counters' folded fresh items (``R#`` partitions only), an export job deletes its pending
bytes (``exports/``), and the function invokes itself for export jobs."""

from __future__ import annotations

import pytest

from tests.integration.test_infra import (
    MAIN,
    PRODUCTION_CONDITIONS,
    _as_list,
    _role_statements,
    load,
)


@pytest.fixture(scope="module")
def template() -> dict:
    return load(MAIN)


def statements_with(template: dict, action: str) -> list[dict]:
    return [
        s
        for s in _role_statements(template, PRODUCTION_CONDITIONS)
        if action in _as_list(s["Action"])
    ]


def test_deleting_items_is_limited_to_the_report_counters(template):
    (statement,) = statements_with(template, "dynamodb:DeleteItem")
    assert _as_list(statement["Action"]) == ["dynamodb:DeleteItem"]
    assert statement["Condition"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["R#*"]}}


def test_export_jobs_may_delete_their_pending_bytes_and_invoke_the_function(template):
    (files,) = statements_with(template, "s3:DeleteObject")
    assert {"Fn::Sub": "${FilesBucket.Arn}/exports/*"} in _as_list(files["Resource"])
    invoke = statements_with(template, "lambda:InvokeFunction")
    assert any(
        "function:tiket-${Stage}" in str(resource)
        for statement in invoke
        for resource in _as_list(statement["Resource"])
    )
