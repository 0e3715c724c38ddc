"""CSRF protection, a per-request CSP nonce and security headers on every response."""

from __future__ import annotations

import secrets

from flask import Flask, abort, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from webmap import limits

csrf = CSRFProtect()
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PLANNER_API_PREFIX = "/api/planner/"

# Where the browser may fetch from: our own origin, Kartverket's basemap tiles and search APIs.
BASEMAP_ORIGIN = "https://cache.kartverket.no"
SEARCH_ORIGIN = "https://ws.geonorge.no"

# Every response carries these, pages and the tiles' fast path alike (each adds its own CSP).
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
)
# Pages only: what the browser may use on them.
PERMISSIONS_POLICY = ("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
# Live (HTTPS) only.
STRICT_TRANSPORT_SECURITY = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# A response that is data, never a document (a tile): nothing in it may run or be framed.
DATA_CSP = "default-src 'none'; frame-ancestors 'none'"
DATA_HEADERS: tuple[tuple[str, str], ...] = (("Content-Security-Policy", DATA_CSP), *SECURITY_HEADERS)


def csp_nonce() -> str:
    """The nonce every inline <script> of this response must carry."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    nonce: str = g.csp_nonce
    return nonce


def content_security_policy(nonce: str) -> str:
    """Scripts only from us or nonced; styles may be inline (Leaflet positions with them)."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {BASEMAP_ORIGIN}",
            f"connect-src 'self' {SEARCH_ORIGIN}",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def refuse_anonymous_api_writes() -> None:
    """401 (JSON problem) for a planner API write without a signed-in session."""
    if (
        request.method not in SAFE_METHODS
        and request.path.startswith(PLANNER_API_PREFIX)
        and not current_user.is_authenticated
    ):
        abort(401, description="sign-in required")


def init_app(app: Flask, *, production: bool) -> None:
    """CSRF on every state-changing request; headers on every response."""
    # First of all hooks: the route's body limit must apply before anything reads the body.
    limits.init_app(app)
    # Registered before CSRF's hook so that it runs first: without a session the answer is
    # "sign in" (401), not "CSRF token missing" (400).
    app.before_request(refuse_anonymous_api_writes)
    csrf.init_app(app)
    # Session cookies: never readable by scripts, not sent on cross-site POSTs, HTTPS-only live.
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        SESSION_COOKIE_NAME="naeringskart_session",
    )
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        for name, value in (*SECURITY_HEADERS, PERMISSIONS_POLICY):
            headers.setdefault(name, value)
        if production:
            headers.setdefault(*STRICT_TRANSPORT_SECURITY)
        return response


def trust_proxies(app: Flask, hops: int) -> None:
    """Take the client's address and scheme from the last `hops` proxies' X-Forwarded-For and
    X-Forwarded-Proto; with 0 the headers are ignored (anyone can send them)."""
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
