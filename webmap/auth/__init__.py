"""Sign-in for planners and admins: Flask-Login over server-side sessions in the database."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, redirect, request, url_for
from flask_login import LoginManager, UserMixin, current_user
from werkzeug.wrappers import Response

from gis.accounts.sessions import SessionUser, load_session

login_manager = LoginManager()


class PlannerUser(UserMixin):
    """The signed-in planner; Flask-Login's id is the server-side session token."""

    def __init__(self, session_user: SessionUser) -> None:
        self.session_user = session_user
        self.user_id = session_user.user_id
        self.username = session_user.username
        self.display_name = session_user.display_name
        self.role = session_user.role
        self.kommuner = session_user.kommuner

    def get_id(self) -> str:
        """The session token (so that deleting the session row signs the user out)."""
        return self.session_user.token

    @property
    def is_admin(self) -> bool:
        """Admins manage accounts as well as the register."""
        return self.role == "admin"

    def plans_for(self, kommunenummer: str) -> bool:
        """Whether the user works on this kommune's register."""
        return self.kommuner is None or kommunenummer in self.kommuner


def _load_user(token: str) -> PlannerUser | None:
    from webmap.database import connection

    with connection() as conn:
        found = load_session(conn, token)
    return PlannerUser(found) if found else None


def is_api_request() -> bool:
    """JSON callers get status codes, people get pages."""
    return request.path.startswith("/api/")


def _unauthorized() -> Any:
    if is_api_request():
        abort(401, description="sign-in required")
    endpoint = "planner_auth.login_en" if request.path.startswith("/en/") else "planner_auth.login"
    return redirect(url_for(endpoint, next=request.full_path.rstrip("?")))


def require_planner() -> Response | None:
    """before_request of every planner blueprint: anonymous users are refused."""
    if not current_user.is_authenticated:
        response: Response = login_manager.unauthorized()
        return response
    from webmap.database import get_settings

    kommune = get_settings().kommune
    if not current_user.plans_for(kommune.kommunenummer):
        abort(403, description=f"{current_user.username} er ikke planlegger for {kommune.name} "
                               f"({kommune.kommunenummer}) / is not a planner for {kommune.name}")
    return None


def require_admin() -> Response | None:
    """before_request of every admin blueprint: planners get 403."""
    refused = require_planner()
    if refused is not None:
        return refused
    if not current_user.is_admin:
        abort(403, description="administrators only")
    return None


def init_app(app: Flask) -> None:
    """Flask-Login with database sessions; no remember-me cookie."""
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = "basic"
