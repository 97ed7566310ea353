"""Structured logs (one JSON object per line) and CloudWatch embedded-metric-format metrics.

``log_event`` (``tiket.log``) writes the lines; this module formats them.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from contextvars import ContextVar
from typing import Any

from tiket.log import LOGGER_NAME

# Set by the web layer for the duration of a request, so every line carries its id.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
NAMESPACE = "TIKet"
METRICS_LOGGER = "tiket.metrics"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request_id.get():
            payload["request_id"] = request_id.get()
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["exception"] = where(record.exc_info[1])
        return json.dumps(payload, default=str, ensure_ascii=False)


def where(error: BaseException | None) -> list[str]:
    """The frames of a traceback, without the exception's message (it can echo user input)."""
    if error is None:
        return []
    frames = traceback.extract_tb(error.__traceback__)
    return [type(error).__name__] + [f"{f.filename}:{f.lineno} {f.name}" for f in frames]


def configure_logging(level: str = "INFO") -> logging.Logger:
    logger = logging.getLogger(LOGGER_NAME)
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    # EMF lines must be the bare JSON document, not wrapped in a log object.
    metrics = logging.getLogger(METRICS_LOGGER)
    if not metrics.handlers:
        plain = logging.StreamHandler(sys.stdout)
        plain.setFormatter(logging.Formatter("%(message)s"))
        metrics.addHandler(plain)
    metrics.setLevel(logging.INFO)
    metrics.propagate = False
    return logger


class Metrics:
    """Counters as EMF lines: CloudWatch extracts them from the Lambda log, no API call."""

    def __init__(self, stage: str, emit=None):
        self.stage = stage
        self._emit = emit or self._log

    def count(self, name: str, value: float = 1, **properties: Any) -> None:
        document = {
            "_aws": {
                "Timestamp": int(time.time() * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": NAMESPACE,
                        "Dimensions": [["Stage"]],
                        "Metrics": [{"Name": name, "Unit": "Count"}],
                    }
                ],
            },
            "Stage": self.stage,
            name: value,
            **properties,
        }
        self._emit(document)

    @staticmethod
    def _log(document: dict) -> None:
        logging.getLogger(METRICS_LOGGER).info(json.dumps(document, default=str))
