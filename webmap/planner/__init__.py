"""The planner workspace: pages under /planner (and /en/planner), JSON under /api/planner."""

from __future__ import annotations

from typing import Any

from flask import Flask, request, url_for
from flask_login import current_user

from webmap.i18n import current_language
from webmap.planner.paths import EDIT_PARAMETER, ENGLISH_WORDS


def planner_url(endpoint: str, **values: Any) -> str:
    """url_for a planner page in the current language ('dashboard' → planner[_en].dashboard)."""
    if "." in endpoint and endpoint.split(".")[0] == "planner_admin":
        prefix = "planner_admin_en" if current_language() == "en" else "planner_admin"
        return url_for(f"{prefix}.{endpoint.split('.', 1)[1]}", **values)
    prefix = "planner_en" if current_language() == "en" else "planner"
    return url_for(f"{prefix}.{endpoint}", **values)


_TWINS = {"planner": "planner_en", "planner_en": "planner",
          "planner_admin": "planner_admin_en", "planner_admin_en": "planner_admin"}


def other_language_url() -> str | None:
    """The same planner page in the other language (None outside the planner pages)."""
    endpoint = request.endpoint or ""
    blueprint, _dot, name = endpoint.partition(".")
    if blueprint not in _TWINS or request.method != "GET":
        return None
    url = url_for(f"{_TWINS[blueprint]}.{name}", **(request.view_args or {}))
    query = request.query_string.decode("utf-8", "replace")
    source, target = ("nb", "en") if not blueprint.endswith("_en") else ("en", "nb")
    query = query.replace(f"{EDIT_PARAMETER[source]}=", f"{EDIT_PARAMETER[target]}=")
    return url + (f"?{query}" if query else "")


def init_app(app: Flask) -> None:
    """Sign-in, the planner and admin pages in both languages, the planner API."""
    from webmap import auth
    from webmap.auth import views as auth_views
    from webmap.planner import admin, api, pages, premises_api

    auth.init_app(app)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(pages.bp, url_prefix="/planner")
    app.register_blueprint(pages.bp, url_prefix="/en/planner", name="planner_en",
                           path_words=ENGLISH_WORDS)
    app.register_blueprint(admin.bp, url_prefix="/planner/admin")
    app.register_blueprint(admin.bp, url_prefix="/en/planner/admin", name="planner_admin_en",
                           path_words=ENGLISH_WORDS)
    app.register_blueprint(api.bp)
    app.register_blueprint(premises_api.bp)

    @app.context_processor
    def planner_helpers() -> dict[str, object]:
        helpers: dict[str, object] = {"planner_url": planner_url, "current_user": current_user,
                                      "edit_parameter": EDIT_PARAMETER[current_language()]}
        other = other_language_url()
        if other:
            helpers["other_language_url"] = other
        return helpers
