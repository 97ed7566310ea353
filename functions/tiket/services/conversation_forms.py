"""Request bodies of the conversation (PRODUCT.md §10), validated by pydantic like the other
forms: a message, the reopen choice, the lost-link lookup."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from tiket.services.action_forms import ReasonForm, ReplyForm
from tiket.services.forms import attachment_ids


class MessageForm(ReplyForm):
    """Body of ``POST /api/track/<token>/messages``, of the staff's messages and of a reply
    link's JSON. The text stays required (PRODUCT.md §10: 1–2000 characters), files or not:
    a photo comes with a word of what it shows, and every email about a message quotes it."""

    attachments: Annotated[
        list[Any], attachment_ids("Ids of uploaded files (POST /api/uploads), sent with the text")
    ]


class ReopenForm(ReasonForm):
    """Body of ``POST /api/track/<token>/reopen``: why the problem is not solved."""


class LookupForm(BaseModel):
    """Body of ``POST /api/track/lookup``. Checked loosely on purpose: any number and any
    address get the same answer; only a match is mailed."""

    # Lengths as sent (the schema's); the service trims before it compares.
    model_config = ConfigDict(extra="ignore", strict=True)

    number: Annotated[str, Field(min_length=1, max_length=32)]
    email: Annotated[str, Field(min_length=3, max_length=254)]
