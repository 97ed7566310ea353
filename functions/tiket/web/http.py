"""Small request helpers shared by the blueprints."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from flask import current_app, request

from tiket.domain.errors import BadRequest, TiketError
from tiket.domain.text import Msg
from tiket.messages import pick_language
from tiket.web.security import client_address

if TYPE_CHECKING:
    from tiket.services.bootstrap import Services


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


def wants_json() -> bool:
    """API paths always; action pages when the client asks for JSON."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes["application/json"] > 0


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
