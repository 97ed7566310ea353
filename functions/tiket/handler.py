"""The Lambda entry point (Zappa setting ``lambda_handler: tiket.handler.lambda_handler``).

Zappa's own ``handler`` module imports asyncio, boto3 and its ASGI, websocket and Django
support before it looks at an event. This one imports only what the event in hand needs:

- API Gateway (REST ``1.0`` and HTTP ``2.0``) and ALB requests go to the Flask app through
  ``apig_wsgi``, with the same WSGI environ keys Zappa sets (``lambda.context``,
  ``lambda.event``, https, the caller's address from API Gateway, never from a header);
- scheduled events are routed by their rule name as Zappa names them
  (``<project>-<stage>-<module.function>``), so ``zappa schedule`` keeps working;
- SES receipt events (inbound replies, issue 11) go to :data:`INBOUND_MAIL`;
- the function's own asynchronous invocations for background jobs (``{"tiket_job":
  "export", "id": ...}``, issue 14) go to :data:`JOBS`;
- anything else (``zappa invoke`` commands, S3/SNS/SQS records mapped in Zappa's settings,
  keep-warm pings) is handed to Zappa's own handler, imported only then.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# The inbound-mail job (issue 11). Called with the SES receipt event, whether SES invoked
# the function itself (a receiving region) or the forwarder of infra/inbound.yaml did.
INBOUND_MAIL = "tiket.jobs.inbound_mail"
# Background jobs the function starts by invoking itself (``tiket.adapters.job_starters``).
JOBS = {"export": "tiket.jobs.export"}

Event = dict[str, Any]
_http: Callable[[Event, Any], Event] | None = None


def _function(path: str) -> Callable[..., Any]:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _lambda_environ(app: Callable) -> Callable:
    """Fill in what Zappa's WSGI environ carries and the app reads."""

    def wrapped(environ: dict[str, Any], start_response: Callable) -> Any:
        event = environ.get("apig_wsgi.full_event") or {}
        context = event.get("requestContext") or {}
        source = (context.get("identity") or {}).get("sourceIp") or (
            (context.get("http") or {}).get("sourceIp")
        )
        environ["REMOTE_ADDR"] = source or "127.0.0.1"
        environ["wsgi.url_scheme"] = "https"
        environ["HTTPS"] = "on"
        environ["lambda.event"] = event
        environ["lambda.context"] = environ.get("apig_wsgi.context")
        return app(environ, start_response)

    return wrapped


def _http_handler() -> Callable[[Event, Any], Event]:
    global _http
    if _http is None:
        from apig_wsgi import make_lambda_handler

        from tiket.wsgi import app

        # Binary support as in zappa_settings.json: XLSX exports leave base64-encoded.
        _http = make_lambda_handler(_lambda_environ(app), binary_support=True)
    return _http


def is_http(event: Event) -> bool:
    return "httpMethod" in event or (
        event.get("version") == "2.0" and "http" in (event.get("requestContext") or {})
    )


def scheduled_function(event: Event) -> str | None:
    """``tiket.jobs.sweep`` from ``arn:...:rule/tiket-prod-tiket.jobs.sweep``, as Zappa reads it."""
    if event.get("detail-type") != "Scheduled Event" or not event.get("resources"):
        return None
    path = str(event["resources"][0]).rsplit("/", 1)[-1].rsplit("-", 1)[-1]
    return path if path.startswith("tiket.") and "." in path else None


def is_ses_receipt(event: Event) -> bool:
    records = event.get("Records") or []
    return bool(records) and all(r.get("eventSource") == "aws:ses" for r in records)


def lambda_handler(event: Event, context: Any) -> Any:
    if is_http(event):
        return _http_handler()(event, context)
    scheduled = scheduled_function(event)
    if scheduled:
        return _function(scheduled)(event, context)
    if is_ses_receipt(event):
        return _function(INBOUND_MAIL)(event, context)
    if event.get("tiket_job") in JOBS:
        return _function(JOBS[event["tiket_job"]])(event, context)
    from zappa.handler import lambda_handler as zappa_handler

    return zappa_handler(event, context)
