"""Scheduled entry points (Zappa events), and the inbound-mail job SES events are routed to
(``tiket.handler``). A function path has no hyphen because Zappa routes a scheduled event by
the rule name ``<project>-<stage>-<module.function>``."""

from __future__ import annotations

import logging
from typing import Any

from tiket.adapters.observability import configure_logging
from tiket.log import log_event
from tiket.services.bootstrap import shared_services


def sweep(event=None, context=None) -> dict:
    """Every minute: breaches, survey reminders and auto-close, pending emails."""
    configure_logging()
    return shared_services().sweep.run().as_json()


def inbound_mail(event: dict[str, Any], context: Any = None) -> dict:
    """Replies by email (PRODUCT.md §10). SES stored each raw message under
    ``inbound/<messageId>`` of ``TIKET_INBOUND_BUCKET`` (in ``TIKET_INBOUND_REGION``) and
    invoked the function, asynchronously, with its receipt (recipients and verdicts).

    A mail that cannot become a message is dropped with a log line and the invocation
    succeeds. A failure of S3 or DynamoDB raises: Lambda invokes again (twice, then the
    on-failure destination), and the SES message id, the message's idempotency key, keeps
    a retry from posting twice."""
    configure_logging()
    from tiket.adapters.mail.inbox import s3_inbox
    from tiket.services.inbound import reason_code

    services = shared_services()
    inbox = s3_inbox(services.settings)
    results = []
    for record in event.get("Records") or []:
        ses = record.get("ses") or {}
        mail, receipt = ses.get("mail") or {}, ses.get("receipt") or {}
        message_id = mail.get("messageId")
        if not isinstance(message_id, str) or not message_id or "/" in message_id:
            log_event("inbound mail dropped", logging.WARNING, reason="no-message-id")
            results.append("no-message-id")
            continue
        try:
            raw = inbox.read(message_id)
        except ValueError as error:  # too large, or not there (any more)
            reason = reason_code(error)
            log_event("inbound mail dropped", logging.WARNING, reason=reason)
            results.append(reason)
            continue
        results.append(services.inbound.receive(raw, receipt, key=f"ses:{message_id}").reason)
    return {"results": results}


def export(event=None, context=None) -> dict:
    """An export job's run (``tiket.adapters.job_starters``): as far as this invocation's
    time allows; the job starts itself again for the rest."""
    configure_logging()
    job_id = str((event or {}).get("id", ""))

    def remaining() -> float:
        return context.get_remaining_time_in_millis() / 1000

    shared_services().exports.run(job_id, None if context is None else remaining)
    return {"id": job_id}
