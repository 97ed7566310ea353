"""Input shapes of the public API (pydantic), with every rejection turned into a field
message of the catalogue. The same models give the OpenAPI document its schemas. The forms
of staff actions are in ``action_forms.py``."""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from tiket.domain.attachments import MAX_PER_MESSAGE, UPLOAD_ID_PATTERN
from tiket.domain.errors import ValidationFailed
from tiket.domain.text import Msg

LIMITS = {
    "name": 100,
    "email": 254,
    "nip": 18,
    "phone": 30,
    "unit": 150,
    "location": 150,
    "category": 40,
    "asset_tag": 64,
    "subject": 150,
    "description": 5000,
    "suggestion": 1000,
}
# ASCII digits only: Python's \d would also take other scripts' digits.
NIP = re.compile(r"[0-9]{18}")
PHONE = re.compile(r"[0-9+ ]{5,30}")
PHONE_SCHEMA = r"^ *([0-9+][0-9+ ]{3,28}[0-9+])? *$"  # the same, or blank, before stripping
# The addresses TIKet takes, as one pattern for the code and the OpenAPI document alike: a
# plain local part of up to three dot-separated words, a lower-case domain of up to five
# labels, not a special-use name (.test, .local…). Every address it matches passes
# email-validator too, which then normalises it.
EMAIL = re.compile(
    r"[A-Za-z0-9_+-]{1,20}(?:\.[A-Za-z0-9_+-]{1,20}){0,2}"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?\.){1,4}"
    r"(?!(?:arpa|invalid|local|localhost|onion|test)$)[a-z]{2,12}"
)
EMAIL_SCHEMA = "^\\s*" + EMAIL.pattern.replace(")$)", ")\\s*$)") + "\\s*$"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SINGLE_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# What the validators below accept, as JSON Schema patterns for the OpenAPI document (the
# validators stay the rule; these only describe it): some visible character and none of the
# control characters a field refuses. One-line fields fold line breaks and tabs to spaces.
_ONE_LINE_REFUSED = r"\x00-\x08\x0e-\x1b\x7f"
TEXT_REFUSED = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"


def text_pattern(refused: str, required: bool = True) -> str:
    if not required:
        return f"^[^{refused}]*$"
    return f"^[^{refused}]*[^\\s\\x00-\\x1f\\x7f][^{refused}]*$"


def attachment_ids(description: str | None = None) -> Any:
    """Upload ids (``POST /api/uploads``), at most five; each file is checked by
    ``tiket.services.attachments``, which names a bad one in its 400 (``attachments.<i>``)."""
    schema: dict[str, Any] = {
        "maxItems": MAX_PER_MESSAGE,
        "uniqueItems": True,
        "items": {"type": "string", "pattern": UPLOAD_ID_PATTERN},
    }
    if description:
        schema["description"] = description
    return Field(default_factory=list, json_schema_extra=schema)


def _limit(field: str, **schema: Any):
    return Field(max_length=LIMITS[field], json_schema_extra=schema or None)


def _line(field: str, required: bool = True):
    return _limit(field, pattern=text_pattern(_ONE_LINE_REFUSED, required))


class TicketForm(BaseModel):
    """Body of ``POST /api/tickets``. Unknown fields are ignored: nothing in the body can
    set a status, an assignee or a number."""

    model_config = ConfigDict(extra="ignore", strict=True, str_strip_whitespace=True)

    name: Annotated[str, _line("name")]
    email: Annotated[str, _limit("email", format="email", pattern=EMAIL_SCHEMA)]
    nip: Annotated[str | None, _limit("nip", pattern=r"^([0-9]{18})?$")] = None
    phone: Annotated[str | None, _limit("phone", pattern=PHONE_SCHEMA)] = None
    unit: Annotated[str, _line("unit")]
    location: Annotated[str, _line("location")]
    category: Annotated[str, _limit("category")]  # the configured codes: see web/openapi.py
    asset_tag: Annotated[str | None, _line("asset_tag", required=False)] = None
    subject: Annotated[str, _line("subject")]
    description: Annotated[str, _limit("description", pattern=text_pattern(TEXT_REFUSED))]
    attachments: Annotated[list[Any], attachment_ids()]

    @field_validator("*", mode="after")
    @classmethod
    def _no_blank_no_controls(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str):  # None, or the attachments' list
            return value
        pattern = CONTROL if info.field_name == "description" else SINGLE_LINE_CONTROL
        # Line breaks are allowed only in the description; elsewhere they are stored
        # folded to spaces, since these values go into email headers and one-line cells.
        if info.field_name != "description":
            value = " ".join(value.replace("\r", " ").replace("\n", " ").split())
        # Checked after folding: a value of separators only (e.g. "\x1f") is blank too.
        if value == "":
            if cls.model_fields[info.field_name or ""].is_required():
                raise PydanticCustomError("required", "required")
            return None
        if pattern.search(value):
            raise PydanticCustomError("control_chars", "control characters")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return valid_email(value)

    @field_validator("nip")
    @classmethod
    def _nip(cls, value: str | None) -> str | None:
        if value is not None and not NIP.fullmatch(value):
            raise PydanticCustomError("nip", "invalid nip")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not PHONE.fullmatch(value):
            raise PydanticCustomError("phone", "invalid phone")
        return value

    @field_validator("category")
    @classmethod
    def _category(cls, value: str, info: ValidationInfo) -> str:
        allowed = (info.context or {}).get("categories", ())
        if value not in allowed:
            raise PydanticCustomError("category", "unknown category")
        return value


UNSUR_CODES = tuple(f"u{i}" for i in range(1, 10))


def _whole(value: Any) -> Any:
    """JSON has one number type: ``2.0`` is the answer 2 (a JSON Schema integer)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Answer = Annotated[StrictInt, Field(ge=1, le=4), BeforeValidator(_whole)]


class SurveyAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    u1: Answer
    u2: Answer
    u3: Answer
    u4: Answer
    u5: Answer
    u6: Answer
    u7: Answer
    u8: Answer
    u9: Answer


class SurveyForm(BaseModel):
    """Body of ``POST /api/track/<token>/survey``."""

    model_config = ConfigDict(extra="ignore", strict=True)

    answers: SurveyAnswers
    suggestion: Annotated[
        str | None, _limit("suggestion", pattern=text_pattern(TEXT_REFUSED, required=False))
    ] = None

    @field_validator("suggestion")
    @classmethod
    def _suggestion(cls, value: str | None) -> str | None:
        if value is not None and CONTROL.search(value):
            raise PydanticCustomError("control_chars", "control characters")
        return value.strip() if value else None


def valid_email(value: str) -> str:
    """The address normalised, or a field error (``field.email``)."""
    if not EMAIL.fullmatch(value.strip()):
        raise PydanticCustomError("email", "invalid email")
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise PydanticCustomError("email", "invalid email") from None


class LoginForm(BaseModel):
    """Body of ``POST /api/auth/login``: any text is taken (and answered alike)."""

    model_config = ConfigDict(extra="ignore", strict=True)

    email: Annotated[str, Field(max_length=254)]


class SigninForm(BaseModel):
    """Body of ``POST /api/auth/signin``: the token of a sign-in link."""

    model_config = ConfigDict(extra="ignore", strict=True)

    token: Annotated[str, Field(max_length=1024)]


def _message(error: ErrorDetails) -> Msg:
    kind = error["type"]
    context = error.get("ctx") or {}
    location = error["loc"]
    if location and location[0] == "answers" and len(location) > 1:
        if kind == "extra_forbidden":
            return Msg("field.choice", {"choices": ", ".join(UNSUR_CODES)})
        return Msg("field.required") if kind == "missing" else Msg("survey.invalid_answer")
    simple = {
        "missing": "field.required",
        "required": "field.required",
        "string_type": "field.text",
        "control_chars": "field.control_chars",
        "email": "field.email",
        "nip": "field.nip",
        "phone": "field.phone",
        "category": "field.category",
        "model_type": "field.object",
        "dict_type": "field.object",
        "model_attributes_type": "field.object",
        "string_too_short": "field.required",
        "list_type": "attachment.list",
    }
    if kind == "string_too_long":
        return Msg("field.too_long", {"max": context.get("max_length")})
    if kind in ("integer_range", "choice"):  # custom errors carry their own parameters
        return Msg(f"field.{kind}", dict(context))
    return Msg(simple.get(kind, "field.text"))


Form = TypeVar("Form", bound=BaseModel)


def parse(model: type[Form], data: Any, **context: Any) -> Form:
    """Validate ``data``; raise ``ValidationFailed`` with one message per field."""
    if not isinstance(data, dict):
        raise ValidationFailed({}, Msg("field.object"))
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        fields: dict[str, Msg] = {}
        for item in error.errors():
            name = ".".join(str(part) for part in item["loc"]) or "body"
            fields.setdefault(name, _message(item))
        raise ValidationFailed(fields) from None
