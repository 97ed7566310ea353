"""The form of each staff action (the fields a person fills on the action page, the staff page
or in a JSON body), validated by pydantic into what the domain's effect reads. Pages list an
action's fields from its model; the OpenAPI document takes its schema from it."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from tiket.domain.vocabulary import Action, Decision
from tiket.services.forms import TEXT_REFUSED, text_pattern

TEXT_LIMITS = {"diagnosis": 2000, "resolution": 2000, "reason": 500, "text": 2000}
# ASCII digits, a few of them: str.isdigit() also takes "²", which int() refuses, and int()
# refuses more than 4300 digits.
ESTIMATE_DIGITS = re.compile(r"[0-9]{1,9}")
DECISIONS = ", ".join(Decision)


def _text(field: str) -> Any:
    # The schema states what ``_plain_text`` checks: not blank, no control characters.
    pattern = text_pattern(TEXT_REFUSED)
    return Field(max_length=TEXT_LIMITS[field], json_schema_extra={"pattern": pattern})


class ActionForm(BaseModel):
    """Unknown fields are ignored (a page posts its token, a client its version)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_text(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name in TEXT_LIMITS:
            if value is None or (isinstance(value, str) and not value.strip()):
                raise PydanticCustomError("required", "required")
            if isinstance(value, str) and any(
                (ord(ch) < 32 and ch not in "\t\n\r") or ord(ch) == 127 for ch in value
            ):
                raise PydanticCustomError("control_chars", "control characters")
        return value

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(cls.model_fields)


def _estimate_or_preset(value: Any, info: ValidationInfo) -> int:
    """The typed minutes, or the picked preset's when none are typed (a typed number is the
    more deliberate answer)."""
    if value is None or value == "":
        preset = info.data.get("estimate_preset")
        if preset is None:
            raise PydanticCustomError("required", "required")
        value = (info.context or {})["presets"][preset]
    return _estimate(value, info)


def _estimate(value: Any, info: ValidationInfo) -> int:
    """Working minutes, 1 to the configured cap; a form posts it as text."""
    cap = (info.context or {}).get("handle_cap", 1020)
    if isinstance(value, str) and ESTIMATE_DIGITS.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= cap:
        raise PydanticCustomError("integer_range", "whole number in range", {"min": 1, "max": cap})
    return value


class NoFields(ActionForm):
    """Acknowledge and resume ask for nothing."""


class EstimateForm(ActionForm):
    """An estimate is typed in working minutes or picked from the presets
    (``tiket.domain.estimates``, given in the validation context as ``presets``)."""

    estimate_preset: str | None = None

    @field_validator("estimate_preset", mode="before")
    @classmethod
    def _known_preset(cls, value: Any, info: ValidationInfo) -> str | None:
        if value in (None, "", "custom"):  # "custom": the page's "other" choice
            return None
        presets = (info.context or {}).get("presets", {})
        if value not in presets:
            raise PydanticCustomError("choice", "one of", {"choices": ", ".join(presets)})
        return str(value)


class DiagnoseForm(EstimateForm):
    diagnosis: Annotated[str, _text("diagnosis")]
    decision: str
    # Asked only when handled directly; checked against the decision above it.
    estimate_minutes: int | None = Field(default=None, validate_default=True)

    @field_validator("decision", mode="before")
    @classmethod
    def _decision(cls, value: Any) -> Decision:
        if value not in tuple(Decision):
            raise PydanticCustomError("choice", "one of", {"choices": DECISIONS})
        return Decision(value)

    @field_validator("estimate_minutes", mode="before")
    @classmethod
    def _estimate_when_handled(cls, value: Any, info: ValidationInfo) -> int | None:
        if info.data.get("decision") != Decision.HANDLE:
            return None
        return _estimate_or_preset(value, info)


class AcceptForm(EstimateForm):
    estimate_minutes: int | None = Field(default=None, validate_default=True)

    @field_validator("estimate_minutes", mode="before")
    @classmethod
    def _in_range(cls, value: Any, info: ValidationInfo) -> int:
        return _estimate_or_preset(value, info)


class ResolveForm(ActionForm):
    resolution: Annotated[str, _text("resolution")]


class ReasonForm(ActionForm):
    reason: Annotated[str, _text("reason")]


class ReplyForm(ActionForm):
    """A message of the conversation (the reply link; ``conversation_forms`` adds more)."""

    text: Annotated[str, _text("text")]


class ReassignForm(ActionForm):
    """The new holder by address; the service looks them up, the domain judges them."""

    email: Annotated[str, Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")]


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    Action.ACKNOWLEDGE: NoFields,
    Action.DIAGNOSE: DiagnoseForm,
    Action.ACCEPT: AcceptForm,
    Action.RESOLVE: ResolveForm,
    Action.HOLD: ReasonForm,
    Action.RESUME: NoFields,
    Action.CANCEL: ReasonForm,
    Action.REPLY: ReplyForm,
    Action.RETURN: ReasonForm,
    Action.REASSIGN: ReassignForm,
}
