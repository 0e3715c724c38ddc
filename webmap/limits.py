"""How big a request body may be, per route. A body over its route's limit is refused with 413
before it is read (Werkzeug checks `request.max_content_length` against the Content-Length).
A chunked body declares no length: whether the server hands it on depends on the server, so it
is refused with 411 before anything reads it (browsers always send a Content-Length)."""

from __future__ import annotations

from flask import Flask, abort, request

KIB = 1024
MIB = 1024 * KIB
# The bulk upload takes a whole spreadsheet or GeoPackage of sites.
UPLOAD_BODY_LIMIT = 50 * MIB
# «Meld interesse» is a short anonymous form: name, e-mail, a message.
INTEREST_BODY_LIMIT = 64 * KIB
# Every other form and JSON body (a drawn site is a few kilobytes).
DEFAULT_BODY_LIMIT = 1 * MIB

_BY_ENDPOINT = {
    "planner.upload": UPLOAD_BODY_LIMIT,
    "planner_en.upload": UPLOAD_BODY_LIMIT,
    "investor.interest": INTEREST_BODY_LIMIT,
    "investor.interest_en": INTEREST_BODY_LIMIT,
}


def body_limit(endpoint: str | None) -> int:
    """The most bytes a request to this endpoint may send."""
    return _BY_ENDPOINT.get(endpoint or "", DEFAULT_BODY_LIMIT)


def init_app(app: Flask) -> None:
    """The global ceiling, and each route's own limit set before anything reads the body."""
    app.config["MAX_CONTENT_LENGTH"] = UPLOAD_BODY_LIMIT

    @app.before_request
    def limit_body() -> None:
        if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
            abort(411, description="Send the request body with a Content-Length header; "
                                   "chunked bodies are not accepted.")
        request.max_content_length = body_limit(request.endpoint)
