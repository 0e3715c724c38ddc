"""The NHO Kommune-NM rank entry (values with no machine source), stored as
`naeringskart indicator set` stores them; the dashboard shows them at once."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gis.indicators import set_manual_value
from gis.planner import nho_rank
from webmap.database import connection, get_settings
from webmap.i18n import current_language
from webmap.planner.blueprint import bp
from webmap.planner.context import actor
from webmap.planner.wording import words


def _recent() -> list[tuple[int, str, float, str, dt.date | None, str | None]]:
    """The entered ranks, newest year first."""
    with connection() as conn:
        return nho_rank.recent_ranks(conn, get_settings().kommune.kommunenummer)


def _form(values: dict[str, str], errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    return render_template("planner/nho_rank.html", values=values, errors=errors,
                           recent=_recent(), max_rank=nho_rank.MAX_RANK,
                           this_year=dt.date.today().year), status


@bp.get("/indikatorer/nho")
def nho_rank_form() -> tuple[str, int]:
    """The form, with the ranks entered so far."""
    today = dt.date.today()
    return _form({"year": str(today.year), "source": f"NHO Kommune-NM {today.year}",
                  "source_date": ""}, {})


@bp.post("/indikatorer/nho")
def nho_rank_save() -> Response | tuple[str, int]:
    """Validate and store the rank (and county rank), then show the dashboard."""
    values = {key: request.form.get(key, "") for key in
              ("year", "rank", "county_rank", "source", "source_date")}
    entry, problems = nho_rank.parse(values, dt.date.today())
    if entry is None:
        return _form(values, {field: words(problem) for field, problem in problems.items()}, 422)
    kommune = get_settings().kommune.kommunenummer
    with connection() as conn:
        ranks = [("nho_rank", entry.rank)]
        if entry.county_rank is not None:
            ranks.append(("nho_county_rank", entry.county_rank))
        for indicator, value in ranks:
            set_manual_value(conn, indicator=indicator, region=kommune, year=entry.year,
                             value=value, kind="result", source=entry.source,
                             source_date=entry.source_date, entered_by=actor())
    flash(_("NHO-plasseringen for %(year)s er lagret.", year=entry.year), "info")
    return redirect("/en/indicators#nho_rank" if current_language() == "en"
                    else "/indikatorer#nho_rank")
