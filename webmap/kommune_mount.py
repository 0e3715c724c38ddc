"""Many kommuner from one process: /k/<kommunenummer>/… is served by that kommune's own app.

Each kommune's app is the same Flask app built from its own kommune file (`create_app` with the
kommune's settings), created on its first request. The prefix goes to SCRIPT_NAME, so every link
the kommune's pages build (`url_for`) stays under /k/<kommunenummer>/. The configured kommune is
also served at the root. Sessions are shared (one secret, one cookie): a planner's kommuner are
checked on every planner request (webmap.auth.require_planner).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import NotFound

from gis.config import Settings
from gis.kommune_registry import settings_for_kommune

if TYPE_CHECKING:
    from flask import Flask

PREFIX = re.compile(r"^/k/(\d{4})(?=/|$)")
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class KommuneMount:
    """WSGI middleware in front of the default kommune's app."""

    def __init__(self, default: WsgiApp, settings: Settings,
                 build: Callable[[Settings], Flask]) -> None:
        self.default = default
        self.settings = settings
        self.build = build
        self.apps: dict[str, Flask | None] = {}
        self.lock = threading.Lock()

    def app_for(self, kommunenummer: str) -> Flask | None:
        """The kommune's app (built once), or None when the instance does not serve it."""
        with self.lock:
            if kommunenummer not in self.apps:
                settings = settings_for_kommune(self.settings, kommunenummer)
                self.apps[kommunenummer] = self.build(settings) if settings else None
            return self.apps[kommunenummer]

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        match = PREFIX.match(path)
        if not match:
            return self.default(environ, start_response)
        app = self.app_for(match.group(1))
        if app is None:
            refused = NotFound(f"Kommune {match.group(1)} finnes ikke i denne tjenesten. / "
                               f"Kommune {match.group(1)} is not served here.")
            return refused(environ, start_response)
        scoped = dict(environ)
        scoped["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + match.group(0)
        scoped["PATH_INFO"] = path[match.end():] or "/"
        return app(scoped, start_response)


def install(app: Flask, settings: Settings) -> None:
    """Serve the instance's other kommuner under /k/<kommunenummer>/ (when there are any)."""
    from gis.kommune_registry import kommune_files
    from webmap import create_app

    if len(kommune_files(settings)) < 2:
        return
    app.wsgi_app = KommuneMount(  # type: ignore[method-assign]
        app.wsgi_app, settings, lambda kommune: create_app(kommune, other_kommuner=False))
