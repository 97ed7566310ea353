"""The staff workflow's operations (PRODUCT.md §12) and the schema of their request body."""

from __future__ import annotations

from tiket.domain.lifecycle import STAFF_ACTIONS
from tiket.domain.vocabulary import Status
from tiket.services.search import MAX_TEXT, STATUS_GROUPS
from tiket.web.openapi.helpers import STRING, Schema, json_body, ok, operation, path_param, ref

NUMBER = path_param("number", STRING, "The ticket number", example="TIK-2026-000001")


def staff_action_form() -> Schema:
    """The email link's fields for the action, and the version the page showed."""
    return {
        "allOf": [
            ref("ActionForm"),
            {
                "type": "object",
                "required": ["version"],
                "properties": {
                    "version": {
                        "type": "integer",
                        "description": "The ticket's `version` as the page showed it; "
                        "another one answers 409 and changes nothing",
                    }
                },
            },
        ]
    }


def _query(name: str, schema: Schema, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def workflow_paths() -> dict[str, dict]:
    text = {"type": "string", "maxLength": MAX_TEXT}
    return {
        "/api/staff/tickets/{number}/actions/{action}": {
            "post": operation(
                "staffAction",
                "Act on a ticket from the staff page: the email link's fields and rules "
                "(role, holder), same-origin only (a foreign Origin or Referer: 403)",
                {200: ok("Done; the ticket page as it is now", ref("StaffActed"))},
                (400, 404, 409, 413, 415),
                body=json_body(ref("StaffActionForm")),
                parameters=[
                    NUMBER,
                    path_param(
                        "action", {"type": "string", "enum": list(STAFF_ACTIONS)}, "The action"
                    ),
                ],
                signed_in=True,
                tags=("staff",),
            )
        },
        "/api/staff/tickets": {
            "get": operation(
                "searchTickets",
                "Search every ticket, open or closed, by number, requester, words and "
                "period (through the month index, newest first, at most 100)",
                {200: ok("The tickets found", ref("SearchResult"))},
                (400,),
                signed_in=True,
                parameters=[
                    _query("q", text, "A ticket number, or words of the ticket"),
                    _query("requester", text, "Part of the requester's name, email, NIP or phone"),
                    _query(
                        "status",
                        {"type": "string", "enum": [*STATUS_GROUPS, *Status]},
                        "`open`, `done` (resolved, closed, cancelled) or one status",
                    ),
                    _query("from", {"type": "string", "format": "date"}, "First day filed"),
                    _query("to", {"type": "string", "format": "date"}, "Last day filed (today)"),
                ],
                tags=("staff",),
            )
        },
    }
