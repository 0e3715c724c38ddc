"""A WSGI app that answers every request with one byte: what HTTP through gunicorn costs alone."""

from collections.abc import Callable, Iterable
from typing import Any


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """One byte, no work."""
    start_response("200 OK", [("Content-Type", "application/octet-stream"),
                              ("Content-Length", "1")])
    return [b"x"]
