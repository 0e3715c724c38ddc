"""Næringskart's web app: `create_app` is the table of contents.

Each package is one feature, with its views, its templates' helpers and its part of
/api/openapi.json:

    map/         the map page (/, /en/) and the place search it uses
    tiles/       vector tiles, their connection pools and cache, and the WSGI fast path
    api/         the public layer API and the OpenAPI document every feature adds to
    indicators/  the indicator dashboard and its charts
    abc/         "Finn riktig tomt" and the ABC API
    investor/    the investor catalogue, fact sheets, exports and interest form
    planner/     the planner workspace (pages and /api/planner)

The modules at the top level are the infrastructure every feature uses, kept flat so that an
import says what it takes (`webmap.database`, not `webmap.core.database`): database (engines,
replicas), security (CSRF, CSP and the security headers), limits (request body sizes), i18n
(languages), routes (bokmål/English URL pairs), errors (error answers), notice (the
fictional-data notice), kommune_mount (/k/<kommunenummer>/), wsgi (gunicorn's entry point);
and two packages of their own: auth/ (planner accounts and sign-in) and cli/ (the
`naeringskart` command).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gis.config import PROJECT_ROOT, Settings, load_settings, require_production_safe

if TYPE_CHECKING:  # the command line imports this package and needs Flask only to serve
    from flask import Flask


def create_app(settings: Settings | None = None, *, other_kommuner: bool = True) -> Flask:
    """Build the app from explicit settings (tests) or the environment; with
    `other_kommuner`, the instance's other kommuner are served under /k/<kommunenummer>/."""
    from flask import Flask

    settings = settings or load_settings()
    require_production_safe(settings)
    app = Flask(__name__, static_folder=str(PROJECT_ROOT / "static"), static_url_path="/static")
    app.config.from_mapping(SECRET_KEY=settings.secret_key, JSON_SORT_KEYS=False)
    register_extensions(app, settings)
    register_blueprints(app)
    register_errorhandlers(app)
    install_tile_fast_path(app)
    if other_kommuner:
        from webmap import kommune_mount

        kommune_mount.install(app, settings)
    return app


def register_extensions(app: Flask, settings: Settings) -> None:
    """Database engine, settings, languages and security."""
    from webmap import database, i18n, notice, security
    from webmap.map import background

    database.init_app(app, settings)
    background.init_app(app)
    i18n.init_app(app)
    notice.init_app(app)
    security.init_app(app, production=settings.env == "production")
    security.trust_proxies(app, settings.trusted_proxies)


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature."""
    from webmap import investor
    from webmap.abc import views as abc_views
    from webmap.api import layers, openapi
    from webmap.indicators import views as indicator_views
    from webmap.map import page, search
    from webmap.tiles import views as tile_views

    app.register_blueprint(openapi.bp)
    app.register_blueprint(layers.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(tile_views.bp)
    app.register_blueprint(page.bp)
    app.register_blueprint(indicator_views.bp)
    app.register_blueprint(abc_views.bp)
    app.register_blueprint(investor.bp)

    from webmap import planner

    planner.init_app(app)


def install_tile_fast_path(app: Flask) -> None:
    """Plain tile GETs are answered before Flask's request machinery (webmap.tiles.fastpath)."""
    from webmap.tiles import fastpath

    fastpath.install(app)


def register_errorhandlers(app: Flask) -> None:
    """Error responses."""
    from webmap.errors import register_errorhandlers as register

    register(app)
