"""JSON answers of the personal-data routes (``web/privacy.py``), for the OpenAPI document."""

from __future__ import annotations

from typing_extensions import TypedDict

from tiket.domain.privacy import ErasureStatus
from tiket.services.requester_portal import ErasureView


class MeSignedIn(TypedDict):
    email: str
    minutes: int  # how long the session lasts


class ErasureAsked(TypedDict):
    message: str
    erasure: ErasureView


class ErasureItemView(TypedDict):
    id: str
    email: str | None  # kept only until the requester is told the decision
    reason: str
    status: ErasureStatus
    status_label: str
    requested_at: str
    escalated: bool
    tickets: int


class ErasureList(TypedDict):
    requests: list[ErasureItemView]
    count: int


class ErasureDecided(TypedDict):
    ok: bool
    request: ErasureItemView
