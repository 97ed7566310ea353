"""The HTTP contract of PRODUCT.md §7 as an OpenAPI 3.1 document, served at
``GET /api/openapi.json``.

Request bodies are the JSON Schemas of the pydantic models that validate them
(``services/forms.py``, ``services/action_forms.py``); answers are the schemas of the
``TypedDict``s the views build (``services/views.py``, ``web/schemas.py``), so the document
cannot drift from the code. ``tests/integration/test_openapi.py`` holds it to the app: every
registered route is in it, and schemathesis checks that every operation answers as documented.
"""

from __future__ import annotations

from flask import Blueprint

from tiket.config import Settings
from tiket.messages import LANGUAGES
from tiket.web.errors import json_response
from tiket.web.http import services
from tiket.web.openapi.helpers import STRING, Schema
from tiket.web.openapi.paths import paths
from tiket.web.openapi.workflow import staff_action_form
from tiket.web.schemas import component_schemas

bp = Blueprint("openapi", __name__, url_prefix="/api")

JSON = "application/json"
HTML = "text/html"
FORM = "application/x-www-form-urlencoded"


@bp.get("/openapi.json")
def document():
    response = json_response(build_document(services().settings), 200)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# --- schema helpers -----------------------------------------------------------------------


def _schemas(settings: Settings) -> dict[str, Schema]:
    schemas = component_schemas(settings.standards.handle_cap)
    schemas["TicketForm"]["properties"]["category"]["enum"] = list(settings.categories)
    schemas["StaffActionForm"] = staff_action_form()
    return schemas


# --- responses ------------------------------------------------------------------------------


def build_document(settings: Settings) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "TIKet",
            "version": "1",
            "description": "ICT helpdesk API (PRODUCT.md §7). Errors are always "
            '`{"error", "message", "fields"}`; times are ISO 8601 with offset.',
        },
        "servers": [{"url": settings.public_url}],
        "paths": paths(settings),
        "components": {
            "schemas": _schemas(settings),
            "parameters": {
                "lang": {
                    "name": "lang",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": list(LANGUAGES)},
                    "description": "Language of labels and messages (default Indonesian)",
                }
            },
            "headers": {
                "X-Request-Id": {
                    "description": "The id in the logs and in a 500's message",
                    "schema": STRING,
                }
            },
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "tiket_session"},
                "requester": {"type": "apiKey", "in": "cookie", "name": "tiket_saya"},
            },
        },
    }
