"""Request bodies of personal-data routes (PRODUCT.md §14), validated by pydantic."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

REASON_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"  # text, no control characters


class ErasureForm(BaseModel):
    """Body of ``POST /api/me/erasure``: an optional reason."""

    model_config = ConfigDict(extra="forbid", strict=True)

    reason: Annotated[str, Field(max_length=500, pattern=REASON_PATTERN)] = ""


class ErasureDecisionForm(BaseModel):
    """Body of a decision (email link or staff page): approve, or refuse with a reason."""

    model_config = ConfigDict(extra="ignore", strict=True)

    decision: Literal["approve", "refuse"]
    reason: Annotated[str, Field(max_length=500, pattern=REASON_PATTERN)] = ""
