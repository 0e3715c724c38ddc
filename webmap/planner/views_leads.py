"""The planner inbox of interest requests."""

from __future__ import annotations

import io

from flask import Response, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as BaseResponse

from gis.accounts.users import list_accounts
from gis.csvout import SafeWriter
from gis.planner.leads import (
    EXPORT_COLUMNS,
    assign,
    delete_lead,
    get_lead,
    list_leads,
    mark_answered,
    purge_expired,
    reply_subject,
    save_note,
)
from webmap.database import connection, get_settings
from webmap.planner import planner_url
from webmap.planner.blueprint import bp
from webmap.planner.context import actor, settings

LEAD_STATUS_LABELS = {"ny": _l("Ny"), "tildelt": _l("Tildelt"), "besvart": _l("Besvart")}
LANGUAGE_LABELS = {"nb": _l("Norsk"), "en": _l("Engelsk")}


@bp.app_template_filter("lead_status")
def lead_status_filter(status: str) -> str:
    """Jinja: {{ lead.status|lead_status }}."""
    return str(LEAD_STATUS_LABELS.get(status, status))


@bp.app_template_filter("enquiry_language")
def enquiry_language_filter(lang: str | None) -> str:
    """Jinja: the language the investor wrote in."""
    return str(LANGUAGE_LABELS.get(lang or "nb", lang))


@bp.get("/henvendelser")
def leads() -> str:
    """The inbox (expired requests are purged first)."""
    with connection() as conn:
        purge_expired(conn, settings().leads_retention_days)
        rows = list_leads(conn)
    return render_template("planner/leads.html", leads=rows,
                           retention_days=settings().leads_retention_days)


@bp.get("/henvendelser/<int:lead_id>")
def lead(lead_id: int) -> str:
    """One request, with assign/answer/delete."""
    with connection() as conn:
        purge_expired(conn, settings().leads_retention_days)
        row = get_lead(conn, lead_id)
        accounts = [a for a in list_accounts(conn) if a.active]
    if row is None:
        abort(404)
    subject = reply_subject(row, get_settings().kommune.name)
    return render_template("planner/lead.html", lead=row, accounts=accounts, subject=subject)


@bp.post("/henvendelser/<int:lead_id>/notat")
def lead_note(lead_id: int) -> BaseResponse:
    """Keep an internal note on the request."""
    with connection() as conn:
        if not save_note(conn, lead_id, request.form.get("planner_note", "")):
            abort(404)
    flash(_("Det interne notatet er lagret."), "info")
    return redirect(planner_url("lead", lead_id=lead_id))


@bp.post("/henvendelser/<int:lead_id>/tildel")
def lead_assign(lead_id: int) -> BaseResponse:
    """Assign the request."""
    with connection() as conn:
        if not assign(conn, lead_id, request.form.get("assigned_to")):
            abort(404)
    flash(_("Henvendelsen er tildelt."), "info")
    return redirect(planner_url("lead", lead_id=lead_id))


@bp.post("/henvendelser/<int:lead_id>/besvart")
def lead_answered(lead_id: int) -> BaseResponse:
    """Mark the request answered."""
    with connection() as conn:
        if not mark_answered(conn, lead_id, actor()):
            abort(404)
    flash(_("Henvendelsen er merket som besvart."), "info")
    return redirect(planner_url("lead", lead_id=lead_id))


@bp.post("/henvendelser/<int:lead_id>/slett")
def lead_delete(lead_id: int) -> BaseResponse:
    """Delete the request and its personal data."""
    with connection() as conn:
        if not delete_lead(conn, lead_id):
            abort(404)
    flash(_("Henvendelsen og personopplysningene i den er slettet."), "info")
    return redirect(planner_url("leads"))


@bp.get("/henvendelser.csv")
def leads_csv() -> Response:
    """Every request as CSV."""
    with connection() as conn:
        purge_expired(conn, settings().leads_retention_days)
        rows = list_leads(conn)
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in EXPORT_COLUMNS])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=henvendelser.csv",
                             "Cache-Control": "no-store"})


def _cell(value: object) -> object:
    return "" if value is None else value  # formulas: SafeWriter
