"""Structured logs (one JSON object per line) and CloudWatch embedded-metric-format metrics.

Log fields are chosen by the caller; never pass tokens, email addresses or ticket text:
only ticket numbers, actions, routes, status codes and timings.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

LOGGER_NAME = "tiket"
NAMESPACE = "TIKet"
METRICS_LOGGER = "tiket.metrics"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, ensure_ascii=False)


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


def log_event(message: str, level: int = logging.INFO, **fields: Any) -> None:
    logging.getLogger(LOGGER_NAME).log(level, message, extra={"fields": fields})


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
