"""Response headers every page and API answer carries, CORS by an exact origin list, and
the client address behind the configured number of proxies."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Flask, Request, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from tiket.adapters.secrets import load_origin_secrets
from tiket.config import Settings
from tiket.domain.errors import Forbidden
from tiket.domain.text import Msg

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
CORS_HEADERS = "Content-Type, Idempotency-Key, Accept-Language"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def client_address(req: Request, trusted_hops: int) -> str:
    """The caller's address: with N trusted proxies appending to X-Forwarded-For, the Nth
    entry from the right (entries further left are the client's own claims)."""
    if trusted_hops > 0:
        hops = [part.strip() for part in req.headers.get("X-Forwarded-For", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= trusted_hops:
            return hops[-trusted_hops]
    return req.remote_addr or "unknown"


def origin_secrets_for(settings: Settings) -> tuple[str, ...]:
    """The accepted X-Tiket-Origin values. In production behind proxies (CloudFront and API
    Gateway) there must be one: without it the execute-api URL would bypass CloudFront, its
    WAF and the X-Forwarded-For hops the rate limits trust, so the app refuses to start."""
    secrets = load_origin_secrets(settings)
    if settings.production and settings.trusted_proxy_hops > 0 and not secrets:
        raise ValueError(
            "Refusing to start: production behind proxies needs TIKET_ORIGIN_SECRET_PARAM "
            "(or TIKET_ORIGIN_SECRET), the header CloudFront adds to every API request"
        )
    return secrets


def origin_matches(given: str, secrets: tuple[str, ...]) -> bool:
    # Every value compared in constant time: which one matched, or how far, never shows.
    matches = [hmac.compare_digest(given.encode(), secret.encode()) for secret in secrets]
    return any(matches)


View = TypeVar("View", bound=Callable)


def accepts_body(max_bytes: int) -> Callable[[View], View]:
    """Route decorator (put it under the route's): this route takes a body of up to
    ``max_bytes`` (a file upload) instead of the app's cap."""

    def mark(view: View) -> View:
        view.max_body_bytes = max_bytes  # type: ignore[attr-defined]
        return view

    return mark


def body_cap(default: int) -> int:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "max_body_bytes", default)


def register(app: Flask, settings: Settings) -> None:
    allowed = set(settings.allowed_origins) | {origin_of(settings.public_url)}
    secrets = origin_secrets_for(settings)

    @app.before_request
    def _only_through_cloudfront() -> None:
        given = request.headers.get("X-Tiket-Origin", "")
        if secrets and request.path != "/api/health" and not origin_matches(given, secrets):
            raise Forbidden(Msg("error.origin"))

    @app.before_request
    def _refuse_oversized_body() -> None:
        # Every route, including those that never read their body (resend, logout): refused
        # before any work, the rate limit's count included. Reading enforces it too.
        cap = body_cap(settings.max_body_bytes)
        request.max_content_length = cap  # reading the body holds to the same cap
        if (request.content_length or 0) > cap:
            raise RequestEntityTooLarge()

    @app.before_request
    def _refuse_foreign_preflight() -> None:
        origin = request.headers.get("Origin")
        if request.method == "OPTIONS" and origin is not None and origin not in allowed:
            raise Forbidden(Msg("error.origin"))

    @app.after_request
    def _headers(response):
        headers = response.headers
        is_page = response.mimetype == "text/html"
        headers.setdefault("Content-Security-Policy", PAGE_CSP if is_page else API_CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers.setdefault("Cache-Control", "no-store")
        if settings.production:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        origin = request.headers.get("Origin")
        # Exact match only: never "*", never "null", never a pattern.
        if origin and origin in allowed and request.path.startswith("/api/"):
            headers["Access-Control-Allow-Origin"] = origin
            headers["Access-Control-Allow-Headers"] = CORS_HEADERS
            headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            headers["Access-Control-Max-Age"] = "600"
            headers.add("Vary", "Origin")
        return response
