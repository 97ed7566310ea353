"""Small request helpers shared by the blueprints."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from flask import current_app, request

from tiket.domain.errors import BadRequest, TiketError
from tiket.domain.text import Msg
from tiket.messages import LANGUAGES, pick_language
from tiket.web.security import client_address

if TYPE_CHECKING:
    from flask import Response

    from tiket.services.bootstrap import Services


IDEMPOTENCY_HEADER = "Idempotency-Key"
FORM_KEY = "idempotency_key"  # a page's form carries its key as a hidden field


class UnsupportedMediaType(TiketError):
    """A body that is not application/json where JSON is expected."""


def services() -> Services:
    return current_app.extensions["tiket"]


def lang() -> str:
    """Pages are Indonesian unless ``?lang=en`` asks otherwise; the API also follows the
    Accept-Language the site's language switch sends (a browser's own default does not
    turn a staff member's action page into English)."""
    accept = request.headers.get("Accept-Language") if wants_json() else None
    return pick_language(accept, request.args.get("lang"))


def refuse_unknown_language() -> None:
    """``?lang=`` names one of the languages, or is absent (before every request)."""
    asked = request.args.get("lang")
    if asked is not None and asked not in LANGUAGES:
        raise BadRequest(Msg("error.lang", {"languages": ", ".join(LANGUAGES)}))


def wants_json() -> bool:
    """API paths always; action pages when the client asks for JSON."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes["application/json"] > 0


def idempotency_key(form: dict[str, Any] | None = None) -> object:
    """The key of a request a client may repeat: the header a JSON client sends, else the
    hidden field of the page's form. Raw: the service checks it (any JSON value may come)."""
    header = request.headers.get(IDEMPOTENCY_HEADER)
    if header or form is None:
        return header
    return form.get(FORM_KEY)


def attachment(body: bytes, content_type: str, filename: str) -> Response:
    """A file the browser saves as ``filename`` (a download), not one it shows."""
    response = current_app.response_class(body, status=200, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_body() -> Any:
    """The request's JSON, strictly: 415 unless application/json, 400 unless valid UTF-8 JSON."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(Msg("error.unsupported_media_type"))
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw.decode("utf-8"))
        # JSON can escape a lone surrogate ("\ud800"): not text that a store, an email or
        # a spreadsheet can encode.
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, RecursionError, ValueError):
        # ValueError: not JSON (JSONDecodeError), or a number of over 4300 digits, which
        # Python refuses to turn into an int.
        raise BadRequest(Msg("error.invalid_json")) from None
    return body


def client() -> str:
    return client_address(request, services().settings.trusted_proxy_hops)
