"""The planner workspace: pages under /planner (and /en/planner), JSON under /api/planner."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, redirect, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Response

from webmap import routes
from webmap.i18n import current_language
from webmap.planner.paths import EDIT_PARAMETER, ENGLISH_WORDS, query_in_language, translate_path
from webmap.routes import ENGLISH_SUFFIX, localized_url, register_bilingual

# The planner's page blueprints; each is registered again in English as <name>_en.
PLANNER_BLUEPRINTS = ("planner", "planner_admin")
ENGLISH_PLANNER_PREFIX = "/en/planner/"


def planner_url(endpoint: str, **values: Any) -> str:
    """url_for a planner page in the current language ('dashboard' → planner[_en].dashboard,
    'planner_admin.users' → planner_admin[_en].users)."""
    return localized_url(endpoint if "." in endpoint else f"planner.{endpoint}", **values)


def other_language_url() -> str | None:
    """The same planner page in the other language, its edit parameter renamed too (None
    outside the planner pages, and for the answer to a form)."""
    blueprint = request.blueprint or ""
    if blueprint.removesuffix(ENGLISH_SUFFIX) not in PLANNER_BLUEPRINTS or request.method != "GET":
        return None
    url = routes.other_language_url()
    if url is None:
        return None
    path, mark, query = url.partition("?")
    source, target = ("en", "nb") if blueprint.endswith(ENGLISH_SUFFIX) else ("nb", "en")
    return path + mark + query_in_language(query, source, target)


def redirect_norwegian_words_in_english_paths() -> Response | None:
    """English planner pages had Norwegian path words until they got their own
    (/en/planner/henvendelser is now /en/planner/leads): a bookmark of the old path is moved
    permanently to the page it meant, instead of a 404."""
    if not isinstance(request.routing_exception, NotFound) or request.method not in ("GET", "HEAD"):
        return None
    if not request.path.startswith(ENGLISH_PLANNER_PREFIX):
        return None
    english = translate_path(request.path, ENGLISH_WORDS)
    if english == request.path:
        return None
    try:
        current_app.url_map.bind_to_environ(request.environ).match(english, method="GET")
    except HTTPException:
        return None
    query = query_in_language(request.query_string.decode("utf-8", "replace"), "nb", "en")
    return redirect(request.script_root + english + (f"?{query}" if query else ""), 301)


def init_app(app: Flask) -> None:
    """Sign-in, the planner and admin pages in both languages, the planner API."""
    from webmap import auth
    from webmap.auth import views as auth_views
    from webmap.planner import admin, api, pages, premises_api

    auth.init_app(app)
    app.register_blueprint(auth_views.bp)
    english_words = {"path_words": ENGLISH_WORDS}
    register_bilingual(app, pages.bp, "/planner", "/en/planner", english_options=english_words)
    register_bilingual(app, admin.bp, "/planner/admin", "/en/planner/admin",
                       english_options=english_words)
    app.register_blueprint(api.bp)
    app.register_blueprint(premises_api.bp)
    app.before_request(redirect_norwegian_words_in_english_paths)

    @app.context_processor
    def planner_helpers() -> dict[str, object]:
        helpers: dict[str, object] = {"planner_url": planner_url, "current_user": current_user,
                                      "edit_parameter": EDIT_PARAMETER[current_language()]}
        other = other_language_url()
        if other:
            helpers["other_language_url"] = other
        return helpers
