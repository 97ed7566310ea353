"""Scheduled entry points (Zappa events). The function path has no hyphen because Zappa
routes a scheduled event by the rule name ``<project>-<stage>-<module.function>``."""

from __future__ import annotations

from tiket.adapters.observability import configure_logging
from tiket.services.bootstrap import shared_services


def sweep(event=None, context=None) -> dict:
    """Every minute: breaches, survey reminders and auto-close, pending emails."""
    configure_logging()
    return shared_services().sweep.run().as_json()


def export(event=None, context=None) -> dict:
    """An export job's run (``tiket.adapters.job_starters``): as far as this invocation's
    time allows; the job starts itself again for the rest."""
    configure_logging()
    job_id = str((event or {}).get("id", ""))

    def remaining() -> float:
        return context.get_remaining_time_in_millis() / 1000

    shared_services().exports.run(job_id, None if context is None else remaining)
    return {"id": job_id}
