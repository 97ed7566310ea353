"""Personal data's operations (PRODUCT.md §14): the requester's own page, erasure decisions,
the access log."""

from __future__ import annotations

from tiket.web.openapi.helpers import (
    STRING,
    json_body,
    ok,
    operation,
    path_param,
    ref,
)

ME = ("requester",)
PRIVACY = ("privacy",)
LINK = path_param(
    "link",
    {"type": "string", "minLength": 1},
    "The signed decision link of an erasure email: bound to the request and the admin",
)


def _requester(spec: dict) -> dict:
    """An operation of the requester's session (its own cookie, ``tiket_saya``)."""
    spec["security"] = [{"requester": []}]
    return spec


def _query(name: str, schema: dict, text: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": text}


def privacy_paths() -> dict[str, dict]:
    day = {"type": "string", "format": "date"}
    log_filters = [
        _query("ticket", {"type": "string", "maxLength": 32}, "Only this ticket"),
        _query("staff", {"type": "string", "maxLength": 254}, "Only this staff member (email)"),
        _query("from", day, "First day (YYYY-MM-DD), the unit's calendar; a week back by default"),
        _query(
            "to",
            day,
            "Last day (YYYY-MM-DD); today by default; at most 92 days without `ticket` or `staff`",
        ),
    ]
    decision = json_body(ref("ErasureDecisionForm"), form=True)
    return {
        "/api/me/login": {
            "post": operation(
                "meLogin",
                "Ask for a link to one's own page: the same answer for every address",
                {202: ok("A link is mailed when the address has tickets", ref("Message"))},
                (413, 415, 429),
                body=json_body(ref("LoginForm")),
                tags=ME,
            )
        },
        "/api/me/signin": {
            "post": operation(
                "meSignin",
                "Use the emailed link (once): sets the requester session cookie `tiket_saya`",
                {200: ok("Signed in for a short while", ref("MeSignedIn"))},
                (403, 409, 410, 413, 415),
                body=json_body(ref("SigninForm")),
                tags=ME,
            )
        },
        "/api/me/logout": {
            # Forgetting the cookie needs no session (and answers the same without one).
            "post": operation(
                "meLogout",
                "End the requester session (clears the `tiket_saya` cookie)",
                {204: ok("Signed out", None)},
                (403,),
                tags=ME,
            )
        },
        "/api/me/tickets": {
            "get": _requester(
                operation(
                    "meTickets",
                    "All tickets filed from the signed-in address, newest first",
                    {200: ok("Tickets and any pending erasure request", ref("MyTickets"))},
                    (401,),
                    tags=ME,
                )
            )
        },
        "/api/me/export": {
            "get": _requester(
                operation(
                    "meExport",
                    "Everything kept about the requester, as a JSON download",
                    {200: ok("Their data", ref("MyExport"))},
                    (401,),
                    tags=ME,
                )
            )
        },
        "/api/me/erasure": {
            "post": _requester(
                operation(
                    "meErasure",
                    "Ask for erasure; while one is pending, the same pending request",
                    {202: ok("The request (sent to admin)", ref("ErasureAsked"))},
                    (401, 403, 413, 415),
                    body=json_body(ref("ErasureForm")),
                    tags=ME,
                )
            )
        },
        "/erasure/{link}": {
            "get": operation(
                "erasurePage",
                "An erasure request as its decision link shows it (changes nothing)",
                {200: ok("The request", ref("ErasureItemView"), page=True)},
                (403, 404, 410),
                page=True,
                parameters=[LINK],
                tags=PRIVACY,
            ),
            "post": operation(
                "erasureDecide",
                "Approve (erase now) or refuse with a reason, once",
                {200: ok("Decided", ref("ErasureDecided"), page=True)},
                (403, 404, 409, 410, 413, 415),
                page=True,
                body=decision,
                parameters=[LINK],
                tags=PRIVACY,
            ),
        },
        "/api/staff/erasures": {
            "get": operation(
                "erasures",
                "Erasure requests needing work (admin)",
                {200: ok("Pending requests, oldest first", ref("ErasureList"))},
                signed_in=True,
                tags=PRIVACY,
            )
        },
        "/api/staff/erasures/{request_id}": {
            "post": operation(
                "erasureDecideStaff",
                "Decide an erasure request from the staff page (admin, same origin only)",
                {200: ok("Decided", ref("ErasureDecided"))},
                (404, 409, 413, 415),
                body=json_body(ref("ErasureDecisionForm")),
                signed_in=True,
                parameters=[path_param("request_id", STRING, "The request's id")],
                tags=PRIVACY,
            )
        },
        "/api/staff/access-log": {
            "get": operation(
                "accessLog",
                "Staff reads of tickets' personal data, newest first (admin)",
                {200: ok("The entries", ref("AccessLogView"))},
                signed_in=True,
                parameters=log_filters,
                tags=PRIVACY,
            )
        },
        "/api/staff/access-log.csv": {
            "get": operation(
                "accessLogCsv",
                "The same entries as CSV (semicolons, UTF-8 with BOM, for Excel)",
                {200: {"description": "The file", "content": {"text/csv": {"schema": STRING}}}},
                signed_in=True,
                parameters=log_filters,
                tags=PRIVACY,
            )
        },
    }
