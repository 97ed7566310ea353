"""Scheduled entry points (Zappa events). The function path has no hyphen because Zappa
routes a scheduled event by the rule name ``<project>-<stage>-<module.function>``."""

from __future__ import annotations

from tiket.adapters.observability import configure_logging
from tiket.services.bootstrap import shared_services


def sweep(event=None, context=None) -> dict:
    """Every minute: breaches, survey reminders and auto-close, pending emails."""
    configure_logging()
    return shared_services().sweep.run().as_json()
