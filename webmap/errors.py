"""API errors as JSON, page errors as short pages."""

from __future__ import annotations

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response


def register_errorhandlers(app: Flask) -> None:
    """JSON problem responses under /api and /tiles."""

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException) -> Response | HTTPException:
        if request.path.startswith(("/api/", "/tiles/")):
            response = jsonify({"status": error.code, "title": error.name,
                                "detail": error.description})
            response.status_code = error.code or 500
            return response
        return error
