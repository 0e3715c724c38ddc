"""CSRF protection, a per-request CSP nonce and security headers on every response."""

from __future__ import annotations

import secrets

from flask import Flask, g
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

csrf = CSRFProtect()

# Where the browser may fetch from: our own origin, Kartverket's basemap tiles and search APIs.
BASEMAP_ORIGIN = "https://cache.kartverket.no"
SEARCH_ORIGIN = "https://ws.geonorge.no"


def csp_nonce() -> str:
    """The nonce every inline <script> of this response must carry."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    nonce: str = g.csp_nonce
    return nonce


def content_security_policy(nonce: str) -> str:
    """Scripts only from us or nonced; styles may be inline (Leaflet positions with them)."""
    return "; ".join([
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
    ])


def init_app(app: Flask, *, production: bool) -> None:
    """CSRF on every state-changing request; headers on every response."""
    csrf.init_app(app)
    # Session cookies: never readable by scripts, not sent on cross-site POSTs, HTTPS-only live.
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=production, SESSION_COOKIE_NAME="naeringskart_session")
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        if production:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def trust_proxies(app: Flask, hops: int) -> None:
    """Take the client's address and scheme from the last `hops` proxies' X-Forwarded-For and
    X-Forwarded-Proto; with 0 the headers are ignored (anyone can send them)."""
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
