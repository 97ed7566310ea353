"""A text to be shown to someone later, in their language: a catalogue key and parameters.

The domain names what happened (``Msg("action.not_allowed", {"status": Status.NEW})``);
``tiket.messages`` renders it for the reader, labelling vocabulary codes on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Msg:
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkingMinutes:
    """A duration in the unit's working time, written for people ("1 jam 30 menit")."""

    minutes: float
