"""How big a request body may be, per route. A body over its route's limit is refused with 413
before it is read (Werkzeug checks `request.max_content_length` against the Content-Length).
A chunked body declares no length: whether the server hands it on depends on the server, so it
is refused with 411 before anything reads it (browsers always send a Content-Length)."""

from __future__ import annotations

from flask import Flask, abort, request

from gis.text import Text

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
            abort(411, description=_in_page_language(CHUNKED_REFUSED))
        request.max_content_length = body_limit(request.endpoint)
        if _carries_nul():
            abort(400, description=_in_page_language(NUL_REFUSED))


CHUNKED_REFUSED = Text(
    "Send forespørselen med en Content-Length-overskrift; oppdelte (chunked) forespørsler "
    "godtas ikke.",
    "Send the request body with a Content-Length header; chunked bodies are not accepted.")
NUL_REFUSED = Text(
    "Forespørselen inneholder en NUL-byte (\\0, %00 eller \\u0000), som ingen felt godtar.",
    "The request contains a NUL byte (\\0, %00 or \\u0000), which no field accepts.")


def _in_page_language(text: Text) -> str:
    """The API speaks English, as all its errors do; pages speak their own language."""
    from webmap.i18n import current_language

    english = request.path.startswith(("/api/", "/tiles/")) or current_language() == "en"
    return text("en" if english else "nb")


# How a NUL byte is written in each part of a request. PostgreSQL text cannot hold one, so it
# would fail deep in a query; refusing it here gives one clear 400 for every route.
_NUL_IN_URL = ("%00", "\x00")
_NUL_IN_BODY = {"application/x-www-form-urlencoded": (b"%00", b"\x00"),
                "application/json": (b"\\u0000", b"\x00"),
                "text/plain": (b"\x00",)}


def _carries_nul() -> bool:
    """Whether the path, query string or a text body holds a NUL byte (files may: not checked)."""
    raw_path = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    url_parts = (request.path, request.query_string.decode("latin-1"), raw_path)
    if any(marker in part.lower() for part in url_parts for marker in _NUL_IN_URL):
        return True
    markers = _NUL_IN_BODY.get(request.mimetype)
    if not markers or not request.content_length:
        return False
    body = request.get_data(cache=True)
    return any(marker in body.lower() for marker in markers)
