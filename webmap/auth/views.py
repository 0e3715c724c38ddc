"""Sign-in and sign-out pages (bokmål and English)."""

from __future__ import annotations

import math
from datetime import datetime

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from gis.accounts import throttle
from gis.accounts.passwords import needs_rehash, verify_password
from gis.accounts.sessions import create_session, end_session, load_session, purge_expired
from gis.accounts.users import claim_totp_step, find_account, totp_step, update_hash
from webmap.auth import PlannerUser, clock
from webmap.auth.next_url import safe_next
from webmap.database import connection
from webmap.planner.blueprint import no_store
from webmap.routes import bilingual_route, localized_url, other_language_url

bp = Blueprint("planner_auth", __name__)
bp.after_request(no_store)


def _home() -> str:
    return localized_url("planner.dashboard")


def _wait_message(until: datetime, now: datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return _("For mange mislykkede innlogginger. Prøv igjen om %(minutes)s min.", minutes=minutes)


def _attempt(username: str, password: str, code: str) -> tuple[PlannerUser | None, str, int]:
    """Check the credentials; returns the user or the message and status to show."""
    address = request.remote_addr or "unknown"
    now = clock.now()
    # One message for every wrong credential: it tells nobody which part was right.
    wrong = _("Feil brukernavn, passord eller engangskode.")
    with connection() as conn:
        throttle.serialise_attempts(conn, username)
        until = throttle.refused_until(conn, username, address, now)
        if until is not None:
            # Not recorded: refused attempts neither count nor extend the lock.
            return None, _wait_message(until, now), 429
        account = find_account(conn, username)
        valid = verify_password(account.password_hash if account else None, password)
        if not (account and account.active and valid):
            throttle.record_attempt(conn, username, address, False, now)
            return None, wrong, 401
        if account.totp_secret:
            step = totp_step(account, code, now)
            if step is None or not claim_totp_step(conn, account.id, step):
                throttle.record_attempt(conn, username, address, False, now)
                return None, wrong, 401
        throttle.record_attempt(conn, username, address, True, now)
        if needs_rehash(account.password_hash):
            update_hash(conn, account.id, password)
        purge_expired(conn)  # sign-ins are rare: a good moment to drop expired sessions
        token = create_session(conn, account.id, address=address,
                               user_agent=request.headers.get("User-Agent"))
        user = load_session(conn, token)
    assert user is not None
    return PlannerUser(user), "", 200


@bilingual_route(bp, "/planner/logg-inn", "/en/planner/sign-in", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """The sign-in form; a new server-side session (and session id) on success."""
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(_home())
    error = ""
    status = 200
    next_path = safe_next(request.args.get("next"))
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        user, error, status = _attempt(username, request.form.get("password", ""),
                                       request.form.get("code", ""))
        if user is not None:
            target = next_path or _home()
            # A fresh cookie session: nothing from before sign-in survives (session fixation).
            session.clear()
            login_user(user)
            return redirect(target)
    # An explicit action: the form never posts back to whatever query string brought us here.
    action = url_for(request.endpoint or "planner_auth.login", next=next_path)
    page = render_template("planner/login.html", error=error, action=action,
                           username=request.form.get("username", ""),
                           other_language_url=other_language_url(with_query=False))
    return page, status


@bilingual_route(bp, "/planner/logg-ut", "/en/planner/sign-out", methods=["POST"])
def logout() -> Response:
    """End the server-side session; the old cookie signs in nobody afterwards."""
    if current_user.is_authenticated:
        with connection() as conn:
            end_session(conn, current_user.get_id())
        logout_user()
    session.clear()
    return redirect(localized_url("planner_auth.login", signed_out=1))

