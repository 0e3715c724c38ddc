"""The planner dashboard: arealregnskap, stale entries, unmet demand, new leads."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from flask import Response, render_template

from gis.codes import CATEGORY_LABELS
from gis.csvout import SafeWriter
from gis.planner import accounting
from gis.planner.leads import count_new, purge_expired
from webmap.database import connection
from webmap.i18n import current_language
from webmap.planner.blueprint import bp
from webmap.planner.context import settings
from webmap.planner.labels import zoning_label
from webmap.planner.views_sites import status_label


def _overview() -> dict[str, Any]:
    config = settings()
    with connection() as conn:
        years = accounting.per_year(conn)
        return {
            "by_status": accounting.by_status(conn),
            "by_zoning": accounting.by_zoning(conn),
            "by_abc": accounting.by_abc(conn),
            "by_tettsted": accounting.by_tettsted(conn),
            "years": years,
            "reserve": accounting.reserve(conn, years, config.uptake_years),
            "kpa": accounting.kpa_reserve(conn),
            "stale": accounting.stale_entries(conn, config.verify_after_months),
            "demand": accounting.unmet_demand(conn),
            "new_leads": count_new(conn),
        }


@bp.get("/")
def dashboard() -> str:
    """Overview of the register for planners."""
    with connection() as conn:
        purge_expired(conn, settings().leads_retention_days)
    data = _overview()
    data["by_status"] = [accounting.Row(status_label(row.label), row.count, row.area_m2)
                         for row in data["by_status"]]
    data["by_zoning"] = [accounting.Row(zoning_label(row.label) if row.label != "–" else "–",
                                        row.count, row.area_m2) for row in data["by_zoning"]]
    lang = current_language()
    data["kpa"] = [replace(row, category=CATEGORY_LABELS.get(row.category, (row.category,) * 2)
                           [1 if lang == "en" else 0]) for row in data["kpa"]]
    return render_template("planner/dashboard.html", settings=settings(), **data)


@bp.get("/arealregnskap.csv")
def accounting_csv() -> Response:
    """Every table of the arealregnskap in one CSV (section, label, count, m²)."""
    data = _overview()
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["section", "label", "count", "area_m2"])
    for section in ("by_status", "by_zoning", "by_abc", "by_tettsted"):
        for row in data[section]:
            writer.writerow([section.removeprefix("by_"), row.label, row.count, round(row.area_m2)])
    for year in data["years"]:
        writer.writerow(["taken_up", year.year, year.taken_count, round(year.taken_m2)])
        writer.writerow(["added", year.year, year.added_count, round(year.added_m2)])
    reserve = data["reserve"]
    writer.writerow(["available", "total", reserve.available_count, round(reserve.available_m2)])
    writer.writerow(["uptake_per_year", f"mean of {reserve.window_years} years", "",
                     round(reserve.uptake_m2_per_year)])
    writer.writerow(["years_of_reserve", "", "",
                     "" if reserve.years_left is None else round(reserve.years_left, 1)])
    for kpa in data["kpa"]:
        writer.writerow(["kommuneplan_reserve", kpa.category, kpa.areas, round(kpa.reserve_m2)])
        writer.writerow(["kommuneplan_reserve_in_register", kpa.category, "",
                         round(kpa.in_register_m2)])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=arealregnskap.csv"})
