"""Response headers every page and API answer carries, CORS by an exact origin list, the
same-origin guard of state-changing staff routes, and the client address behind the
configured number of proxies."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import cache, wraps
from typing import Any, TypeVar, cast
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


def page_csp(files_origin: str | None) -> str:
    """The pages' policy; with a files bucket, its origin for thumbnails (img-src) and the
    browser's upload (connect-src), and ``blob:`` for the preview of a picture being sent."""
    if not files_origin:
        return PAGE_CSP
    return PAGE_CSP.replace(
        "img-src 'self' data:", f"img-src 'self' data: blob: {files_origin}"
    ).replace("connect-src 'self'", f"connect-src 'self' {files_origin}")


API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
CORS_HEADERS = "Content-Type, Idempotency-Key, Accept-Language"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def cross_site(req: Request, own_origin: str) -> bool:
    """Whether a browser says ``req`` comes from another site: its ``Origin``, or without
    one its ``Referer``, names an origin other than ``own_origin`` (``Origin: null`` from a
    sandboxed frame or a redirect included). A request carrying neither is no browser's
    cross-site request (a script, curl): browsers send ``Origin`` with every cross-site
    POST, and the session cookie is ``SameSite=Lax`` besides. A browser's own word
    (``Sec-Fetch-Site``), when sent, counts too."""
    fetch_site = req.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return True
    origin = req.headers.get("Origin")
    if origin is None:
        referer = req.headers.get("Referer")
        if not referer:
            return False
        origin = origin_of(referer)
    return origin.strip().lower() != own_origin


View = TypeVar("View", bound=Callable[..., Any])


def same_origin(view: View) -> View:
    """Route decorator for staff routes that change something: a cross-site request is
    refused with 403 before anything runs (no body read, no session looked at). The site's
    own origin is that of the configured public URL, never the request's Host header."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        own = origin_of(current_app.extensions["tiket"].settings.public_url)
        if cross_site(request, own):
            raise Forbidden(Msg("error.cross_site"))
        return view(*args, **kwargs)

    return cast(View, wrapper)


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


def register(
    app: Flask, settings: Settings, files_origin: Callable[[], str | None] = lambda: None
) -> None:
    """``files_origin``: where browsers reach the files bucket, asked on the first page."""
    allowed = set(settings.allowed_origins) | {origin_of(settings.public_url)}
    secrets = origin_secrets_for(settings)
    pages_csp = cache(lambda: page_csp(files_origin()))

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
        headers.setdefault("Content-Security-Policy", pages_csp() if is_page else API_CSP)
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
