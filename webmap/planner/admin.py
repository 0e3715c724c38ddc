"""Administration: accounts (listed and disabled here; created on the command line)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gis.accounts.users import AccountError, disable_account, list_accounts
from webmap.database import connection
from webmap.planner import planner_url
from webmap.planner.blueprint import admin_bp as bp


@bp.get("/brukere")
def users() -> str:
    """Every account with its role, second factor and state."""
    with connection() as conn:
        accounts = list_accounts(conn)
    return render_template("planner/users.html", accounts=accounts)


@bp.post("/brukere/deaktiver")
def disable() -> Response:
    """Disable an account and end its sessions."""
    try:
        with connection() as conn:
            account = disable_account(conn, request.form.get("username", ""))
        flash(_("Kontoen %(name)s er deaktivert.", name=account.username), "info")
    except AccountError as exc:
        flash(str(exc), "error")
    return redirect(planner_url("planner_admin.users"))
