"""Structured log lines: ``log_event("ticket created", ticket=number, action="create")``.

Fields are chosen by the caller; never pass tokens, email addresses or ticket text: only
ticket numbers, actions, routes, status codes and timings. How lines are written (one JSON
object each) is set up by ``tiket.adapters.observability``.
"""

from __future__ import annotations

import logging
from typing import Any

LOGGER_NAME = "tiket"


def log_event(message: str, level: int = logging.INFO, **fields: Any) -> None:
    logging.getLogger(LOGGER_NAME).log(level, message, extra={"fields": fields})
