"""The conversation's operations (PRODUCT.md §10): messages, reopening, lost-link recovery."""

from __future__ import annotations

from tiket.services.idempotency_keys import KEY_PATTERN, MAX_KEY_LENGTH
from tiket.web.openapi.helpers import (
    STRING,
    TRACK_TOKEN,
    json_body,
    ok,
    operation,
    path_param,
    ref,
)

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN},
    "description": "One per message written (a page makes one per form): the same key again "
    "answers the message it made (200) without claiming its files again; with other text "
    "or files 422",
}


def conversation_paths() -> dict[str, dict]:
    posted = ok("The message, new", ref("MessageView"))
    repeated = ok("The message an earlier request with this key made", ref("MessageView"))
    return {
        "/api/track/{token}/messages": {
            "post": operation(
                "postMessage",
                "Write to the staff (the holder, or the ICT pool when nobody holds it), with up "
                "to 5 uploaded files (`attachments`; a bad one is a 400 naming it)",
                {201: posted, 200: repeated},
                (400, 404, 409, 413, 415, 422, 429),
                body=json_body(ref("MessageForm")),
                parameters=[TRACK_TOKEN, IDEMPOTENCY_KEY],
                tags=("requester",),
            )
        },
        "/api/track/{token}/reopen": {
            "post": operation(
                "reopenTicket",
                "Masalah belum teratasi: reopen a resolved ticket before its survey",
                {200: ok("Back to the status it was resolved from", ref("Reopened"))},
                (400, 404, 409, 413, 415),
                body=json_body(ref("ReopenForm")),
                parameters=[TRACK_TOKEN],
                tags=("requester",),
            )
        },
        "/api/track/lookup": {
            "post": operation(
                "lookupTrackingLink",
                "Lost-link recovery: the same answer whatever the number and address",
                {202: ok("When both match a ticket, its tracking link is mailed", ref("Message"))},
                (400, 413, 415, 429),
                body=json_body(ref("LookupForm")),
                tags=("requester",),
            )
        },
        "/api/staff/tickets/{number}/messages": {
            "post": operation(
                "staffMessage",
                "Write to the requester from the staff ticket page (same origin only), with up "
                "to 5 uploaded files",
                {201: posted, 200: repeated},
                (400, 404, 409, 413, 415, 422),
                body=json_body(ref("MessageForm")),
                signed_in=True,
                parameters=[
                    path_param("number", STRING, "The ticket number", example="TIK-2026-000001"),
                    IDEMPOTENCY_KEY,
                ],
                tags=("staff",),
            )
        },
    }
