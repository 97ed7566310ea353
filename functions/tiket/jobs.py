"""Scheduled entry points (Zappa events). The function path has no hyphen because Zappa
routes a scheduled event by the rule name ``<project>-<stage>-<module.function>``."""

from __future__ import annotations

from functools import cache

from tiket import config
from tiket.adapters.observability import configure_logging
from tiket.services.context import Services, build_services


@cache
def _services() -> Services:
    configure_logging()
    return build_services(config.from_env())


def sweep(event=None, context=None) -> dict:
    """Every minute: breaches, survey reminders and auto-close, pending emails."""
    return _services().sweep.run().as_json()
