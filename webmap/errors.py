"""API errors as JSON, page errors as short pages; 503 while the database is unreachable."""

from __future__ import annotations

import psycopg
import sqlalchemy.exc
from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from webmap.i18n import current_language

# psycopg_pool.PoolTimeout is a psycopg.OperationalError too.
DATABASE_UNAVAILABLE = (psycopg.OperationalError, sqlalchemy.exc.OperationalError)
# A restart takes seconds; clients that honour Retry-After come back after this many.
RETRY_AFTER_SECONDS = 10


def register_errorhandlers(app: Flask) -> None:
    """JSON problem responses under /api and /tiles; 503 when the database does not answer."""

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException) -> Response | HTTPException:
        if request.path.startswith(("/api/", "/tiles/")):
            response = jsonify({"status": error.code, "title": error.name, "detail": error.description})
            response.status_code = error.code or 500
            # Keep what the error says besides its body, e.g. Allow on 405, WWW-Authenticate.
            for name, value in error.get_headers():
                if name.lower() != "content-type":
                    response.headers[name] = value
            return response
        if error.code in (404, 410):
            return _not_found_page(error)
        if error.code is not None and error.code >= 400:
            return error_page(error)
        return error

    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)


def error_page(error: HTTPException) -> Response:
    """An error as a page of the site (header, language, fictional-data notice), keeping the
    error's own headers (Allow on 405)."""
    from flask import render_template

    code = error.code or 500
    # A description given where the error was raised says what was wrong; werkzeug's stock
    # descriptions (English) add nothing to the page's own text.
    detail = error.description if error.description != type(error).description else None
    body = render_template("error.html", code=code, not_found=code == 404, detail=detail)
    response = Response(body, status=code, mimetype="text/html")
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def database_unavailable(error: Exception) -> Response:
    """503 with Retry-After: an empty tile, a JSON problem under /api, else a short page."""
    cause = getattr(error, "orig", None) or error  # SQLAlchemy wraps psycopg's error
    reason = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    current_app.logger.warning("database unavailable: %s %s: %s", request.method, request.path, reason)
    if request.path.startswith("/tiles/"):
        response = Response(status=503)
        del response.headers["Content-Type"]  # no body, so no type
    elif request.path.startswith("/api/"):
        response = jsonify(
            {
                "status": 503,
                "title": "Service Unavailable",
                "detail": "The database is unavailable; try again shortly.",
            }
        )
        response.status_code = 503
    else:
        response = Response(_unavailable_page(), status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _unavailable_page() -> str:
    """The page in the request's language, without the app's context processors: they may
    need the database themselves (Flask-Login loads the signed-in user for every template)."""
    lang = current_language()
    query = request.query_string.decode("latin-1")
    template = current_app.jinja_env.get_template("unavailable.html")
    return template.render(lang=lang, retry_url=request.path + (f"?{query}" if query else ""))


def _not_found_page(error: HTTPException) -> Response:
    """404 and 410 as a page with the site's header, in the request's language, with links back
    to the catalogue (a withdrawn site says it was withdrawn)."""
    from flask import render_template

    from webmap.routes import other_language_url

    other = other_language_url() or ("/" if current_language() == "en" else "/en/")
    page = render_template("investor/gone.html", code=error.code, other_language_url=other)
    return Response(page, status=error.code, mimetype="text/html")
