"""Request bodies of the conversation (PRODUCT.md §10), validated by pydantic like the other
forms: a message, the reopen choice, the lost-link lookup."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from tiket.services.action_forms import ReasonForm, ReplyForm


class MessageForm(ReplyForm):
    """Body of ``POST /api/track/<token>/messages`` and of the staff's messages."""

    # Files sent with a message are issue 12's (uploads, then their ids here). Until they
    # are wired, the field is part of the contract but must be absent or empty.
    attachments: Annotated[
        list[str],
        Field(
            default_factory=list,
            json_schema_extra={
                "maxItems": 0,
                "description": "Ids of uploaded files; none are accepted yet",
            },
        ),
    ]

    @field_validator("attachments", mode="before")
    @classmethod
    def _none_yet(cls, value: Any) -> list[str]:
        if value is None or value == []:
            return []
        raise PydanticCustomError("attachments_unavailable", "attachments not accepted yet")


class ReopenForm(ReasonForm):
    """Body of ``POST /api/track/<token>/reopen``: why the problem is not solved."""


class LookupForm(BaseModel):
    """Body of ``POST /api/track/lookup``. Checked loosely on purpose: any number and any
    address get the same answer; only a match is mailed."""

    model_config = ConfigDict(extra="ignore", strict=True, str_strip_whitespace=True)

    number: Annotated[str, Field(min_length=1, max_length=32)]
    email: Annotated[str, Field(min_length=3, max_length=254)]
