"""The operations of the HTTP contract (PRODUCT.md §7, §10–§15), path by path."""

from __future__ import annotations

from tiket.config import Settings
from tiket.messages import REPORT_CHARTS
from tiket.services.idempotency_keys import KEY_PATTERN
from tiket.web.openapi.asset_paths import asset_paths
from tiket.web.openapi.conversation_paths import IDEMPOTENCY_KEY, conversation_paths
from tiket.web.openapi.helpers import (
    ACTION_TOKEN,
    FILED_LINKS,
    STRING,
    TRACK_TOKEN,
    json_body,
    ok,
    operation,
    path_param,
    ref,
)
from tiket.web.openapi.privacy_paths import privacy_paths
from tiket.web.openapi.workflow import workflow_paths


def paths(settings: Settings) -> dict[str, dict]:
    filed = ok("The ticket, or the earlier one of this Idempotency-Key", ref("FiledView"))
    filed["links"] = FILED_LINKS
    reports = ("reports",)
    # Rules across fields (both dates or neither, in order, at most three years, a
    # period or dates) are the 400's to tell: a schema of query parameters cannot say them.
    day = {"type": "string", "format": "date"}
    period_pattern = r"^[0-9]{4}(-(0[1-9]|1[0-2]|[Qq][1-4]|[Ss][12]))?$"
    period = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": schema,
            "description": text,
        }
        for name, schema, text in (
            (
                "period",
                {"type": "string", "pattern": period_pattern},
                "2026-11, 2026-Q4, 2026-S2 or 2026 (years 2000-2100); the current month "
                "when absent",
            ),
            ("from", day, "first day (YYYY-MM-DD), with `to` instead of `period`"),
            ("to", day, "last day (YYYY-MM-DD), at most three years after `from`"),
        )
    ]
    return {
        **conversation_paths(),
        **privacy_paths(),
        "/api/health": {"get": operation("health", "Liveness", {200: ok("Up", ref("Health"))})},
        "/api/openapi.json": {
            "get": operation(
                "openapi", "This document", {200: ok("OpenAPI 3.1", {"type": "object"})}
            )
        },
        "/api/options": {
            "get": operation(
                "options",
                "What the request form needs: categories, standards, office hours, SKM",
                {200: ok("Options", ref("Options"))},
            )
        },
        "/api/tickets": {
            "post": operation(
                "fileTicket",
                "File a request (SOP step 3)",
                {201: filed, 200: filed},
                (400, 413, 415, 422, 429),
                body=json_body(ref("TicketForm")),
                parameters=[
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 200, "pattern": KEY_PATTERN},
                        "description": "Same key and body again: the same ticket, no second "
                        "email; same key, other body: 422",
                    }
                ],
                tags=("requester",),
            )
        },
        "/api/uploads": {
            "post": operation(
                "requestUpload",
                "A presigned POST for one file (JPEG, PNG, WebP or PDF, at most 10 MB): "
                "send `fields` and then `file` as multipart/form-data to `url`, then list "
                "the `id` in `attachments` of the ticket",
                {201: ok("Upload it within 5 minutes", ref("UploadView"))},
                (400, 413, 415, 429),
                body=json_body(ref("UploadForm")),
                tags=("requester",),
            )
        },
        "/api/track/{token}": {
            "get": operation(
                "track",
                "The tracking page's data",
                {200: ok("The ticket as its requester sees it", ref("TrackingView"))},
                (404,),
                parameters=[TRACK_TOKEN],
                tags=("requester",),
            )
        },
        "/api/track/{token}/survey": {
            "post": operation(
                "submitSurvey",
                "Answer the SKM survey (once, when resolved)",
                {201: ok("Recorded; the ticket is closed", ref("SurveyDone"))},
                (400, 404, 409, 413, 415),
                body=json_body(ref("SurveyForm")),
                parameters=[TRACK_TOKEN],
                tags=("requester",),
            )
        },
        "/actions/{token}": {
            "get": operation(
                "showAction",
                "What the email link will do; changes nothing (mail scanners open links)",
                {200: ok("The confirmation page", ref("ActionView"), page=True)},
                (403, 404, 409, 410),
                page=True,
                parameters=[ACTION_TOKEN],
                tags=("staff links",),
            ),
            "post": operation(
                "performAction",
                "Do what the email link says, once. The request that used the link, sent again "
                "with its Idempotency-Key (an answer lost to a timeout), answers the change it "
                "made (200); any other request for a used link is a 409",
                {200: ok("Done", ref("ActionDone"), page=True)},
                (400, 403, 404, 409, 410, 413, 422),
                page=True,
                body=json_body(ref("ActionForm"), form=True),
                parameters=[ACTION_TOKEN, IDEMPOTENCY_KEY],
                tags=("staff links",),
            ),
        },
        "/actions/{token}/resend": {
            "post": operation(
                "resendAction",
                "Mail a fresh link for this one (expired or not) to its own recipient",
                {202: ok("Sent", ref("Resent"), page=True)},
                (403, 404, 409, 413, 429),
                page=True,
                parameters=[ACTION_TOKEN],
                tags=("staff links",),
            )
        },
        "/api/auth/login": {
            "post": operation(
                "login",
                "Ask for a sign-in link; the same answer for every address",
                {202: ok("A known staff address gets a link", ref("Message"))},
                (400, 413, 415, 429),
                body=json_body(ref("LoginForm")),
                tags=("staff",),
            )
        },
        "/api/auth/signin": {
            "post": operation(
                "signin",
                "Sign in with the link's token; sets the session cookie",
                {200: ok("Signed in", ref("StaffMember"))},
                (400, 403, 409, 410, 413, 415),
                body=json_body(ref("SigninForm")),
                tags=("staff",),
            )
        },
        "/api/auth/logout": {
            "post": operation(
                "logout",
                "Sign out",
                {204: ok("Signed out", None)},
                (400, 413, 415),
                body=json_body({"type": "object"}),
                tags=("staff",),
            )
        },
        "/api/auth/me": {
            "get": operation(
                "me",
                "Who is signed in",
                {200: ok("The staff member", ref("StaffMember"))},
                signed_in=True,
                tags=("staff",),
            )
        },
        "/api/staff/queue": {
            "get": operation(
                "queue",
                "Open tickets by due time",
                {200: ok("The queue", ref("Queue"))},
                signed_in=True,
                parameters=[
                    {"name": "status", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "assignee",
                        "in": "query",
                        "schema": {"type": "string"},
                        "description": "an email, `me` or `pool`",
                    },
                    {
                        "name": "late",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["1", "true"]},
                    },
                ],
                tags=("staff",),
            )
        },
        "/api/staff/tickets/{number}": {
            "get": operation(
                "staffTicket",
                "One ticket with its steps and history",
                {200: ok("The ticket, and what the reader may do on it", ref("StaffTicketPage"))},
                (404,),
                signed_in=True,
                parameters=[
                    path_param("number", STRING, "The ticket number", example="TIK-2026-000001")
                ],
                tags=("staff",),
            )
        },
        "/api/reports/summary": {
            "get": operation(
                "reportSummary",
                "The figures of a period (PRODUCT.md §6, §13)",
                {200: ok("The figures", ref("ReportSummary"))},
                (400,),
                signed_in=True,
                parameters=period,
                tags=reports,
            )
        },
        "/api/reports/{name}.{format}": {
            "get": operation(
                "reportFile",
                "A table of the period as CSV or XLSX (monitoring: XLSX only)",
                {
                    200: {
                        "description": "The file (formula-like cells neutralised)",
                        "content": {
                            "text/csv": {"schema": STRING},
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                "schema": STRING
                            },
                        },
                    }
                },
                (400, 404),
                signed_in=True,
                parameters=[
                    path_param(
                        "name",
                        {"type": "string", "enum": ["tickets", "skm", "monitoring"]},
                        "Which table",
                    ),
                    path_param("format", {"type": "string", "enum": ["csv", "xlsx"]}, "Format"),
                    *period,
                ],
                tags=reports,
            )
        },
        "/api/reports/exports": {
            "post": operation(
                "startExport",
                "Start an export of the period's ticket list (CSV or XLSX), written in the "
                "background (PRODUCT.md §13)",
                {202: ok("The job, to follow", ref("ExportStarted"))},
                (400, 409, 415),
                body=json_body(ref("ExportRequest")),
                signed_in=True,
                tags=reports,
            )
        },
        "/api/reports/exports/{job_id}": {
            "get": operation(
                "exportStatus",
                "An export job's progress; once done, a link to the file valid 15 minutes",
                {200: ok("The job", ref("ExportStatus"))},
                (404,),
                signed_in=True,
                parameters=[path_param("job_id", STRING, "The id from starting the export")],
                tags=reports,
            )
        },
        "/api/reports/charts/{name}.svg": {
            "get": operation(
                "reportChart",
                "A chart of the period",
                {200: {"description": "SVG", "content": {"image/svg+xml": {"schema": STRING}}}},
                (400, 404),
                signed_in=True,
                parameters=[
                    path_param("name", {"type": "string", "enum": list(REPORT_CHARTS)}, "Chart"),
                    *period,
                    {
                        "name": "size",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["narrow"]},
                        "description": "`narrow`: drawn 360 px wide for a phone (labels wrap)",
                    },
                ],
                tags=reports,
            )
        },
        **workflow_paths(),
        **asset_paths(period),
    }
