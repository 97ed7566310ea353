"""The forms of staff actions: every problem reported per field, form strings accepted."""

from __future__ import annotations

import pytest

from tiket.domain.errors import ValidationFailed
from tiket.domain.standards import DEFAULT_STANDARDS
from tiket.domain.vocabulary import Action
from tiket.services.action_forms import ACTION_FORMS
from tiket.services.forms import parse


def parse_fields(action: str, form: dict) -> dict:
    model = ACTION_FORMS[Action(action)]
    return parse(model, form, handle_cap=DEFAULT_STANDARDS.handle_cap).model_dump()


@pytest.mark.parametrize(
    ("action", "form", "bad"),
    [
        ("diagnose", {}, {"diagnosis", "decision"}),
        ("diagnose", {"diagnosis": "x", "decision": "handle"}, {"estimate_minutes"}),
        (
            "diagnose",
            {"diagnosis": "x", "decision": "handle", "estimate_minutes": True},
            {"estimate_minutes"},
        ),
        (
            "diagnose",
            {"diagnosis": "x", "decision": "handle", "estimate_minutes": 1021},
            {"estimate_minutes"},
        ),
        ("accept", {"estimate_minutes": -5}, {"estimate_minutes"}),
        ("resolve", {"resolution": "  "}, {"resolution"}),
        ("resolve", {"resolution": "a\x00b"}, {"resolution"}),
        ("hold", {"reason": "r" * 501}, {"reason"}),
        ("cancel", {"reason": 5}, {"reason"}),
    ],
)
def test_parse_fields_reports_every_problem(action, form, bad):
    with pytest.raises(ValidationFailed) as failed:
        parse_fields(action, form)
    assert set(failed.value.fields) == bad


def test_parse_fields_accepts_form_strings():
    fields = parse_fields(
        "diagnose", {"diagnosis": " ok ", "decision": "handle", "estimate_minutes": "15"}
    )
    assert fields == {
        "diagnosis": "ok",
        "decision": "handle",
        "estimate_preset": None,
        "estimate_minutes": 15,
    }
