"""The indicator dashboard (/indikatorer, /en/indicators): the plan's indicators, the jordvern
ledger, workplaces per tettsted and centre, and the plan's projection; printable, with CSV."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import psycopg
from flask import Blueprint, Response, render_template
from flask_babel import gettext as _

from gis import indicators as ind
from gis import jordvern
from gis.csvout import SafeWriter
from gis.fictional import holds_fictional_data
from webmap.database import connection, get_settings
from webmap.i18n import current_language
from webmap.indicators.charts import ChartLabels, Point, bar_line_chart
from webmap.routes import bilingual_route, other_language_url

bp = Blueprint("indicators", __name__)


@dataclass
class Dashboard:
    """Everything the page shows."""

    year: int
    reports: list[ind.IndicatorReport]
    ledger: list[jordvern.LedgerYear]
    pipeline: jordvern.Pipeline
    plans: list[jordvern.PlanFigure]
    tettsteder: list[ind.PlaceFigures]
    tettsted_series: list[ind.PlaceSeries]
    centres: list[ind.PlaceFigures]
    former: list[ind.PlaceFigures]
    published_egendekning: list[ind.Observation]
    central: ind.CentralShare | None
    projection: list[ind.ProjectionYear]
    settings: ind.IndicatorSettings
    fictional: bool
    target_daa: float

    @property
    def tettsted_years(self) -> list[int]:
        """Every year some tettsted has workplaces for."""
        return sorted({y for t in self.tettsted_series for y in t.workplaces})

    @property
    def egendekning_tettsteder(self) -> list[ind.PlaceSeries]:
        """Tettsteder whose egendekning can be computed for some year."""
        return [t for t in self.tettsted_series if t.egendekning_pct]

    @property
    def egendekning_missing(self) -> list[ind.PlaceSeries]:
        """Tettsteder with workplaces but no employed residents for any of those years."""
        return [t for t in self.tettsted_series if t.workplaces and not t.egendekning_pct]

    prepared: dt.date


def build_dashboard(conn: psycopg.Connection, year: int | None = None) -> Dashboard:
    """Collect every figure of the dashboard (refreshing jordvern if its inputs changed)."""
    kommune = get_settings().kommune
    settings = ind.IndicatorSettings.from_kommune(kommune)
    regions = settings.regions(kommune.kommunenummer)
    year = year or dt.date.today().year
    target = kommune.jordvern.target_daa_per_year
    jordvern.ensure_current(conn)
    fictional = holds_fictional_data(conn)
    ledger = jordvern.ledger(conn, target_daa=target, up_to_year=year, regions=regions)
    by_year = {e.year: (e.total_daa, fictional) for e in ledger if e.plans or e.rezoned.total_m2}
    return Dashboard(
        year=year,
        reports=ind.indicator_set(conn, settings, regions, jordvern_target=target, jordvern_by_year=by_year),
        ledger=ledger,
        pipeline=jordvern.pipeline(conn, year=year, target_daa=target, regions=regions),
        plans=jordvern.plan_figures(conn, regions=regions),
        tettsteder=ind.tettsted_figures(conn),
        tettsted_series=ind.tettsted_series(conn),
        centres=ind.centre_figures(conn),
        former=ind.former_kommune_figures(conn, settings),
        published_egendekning=ind.published_egendekning(conn, settings),
        central=ind.central_share(conn, settings, regions),
        projection=ind.projection(conn, settings, regions),
        settings=settings,
        fictional=fictional,
        target_daa=target,
        prepared=dt.date.today(),
    )


def indicator_chart(report: ind.IndicatorReport, lang: str) -> Any:
    """The report's chart in the page's language."""
    d = report.definition
    points = []
    for year in report.years:
        result = report.primary_result(year)
        ambition = report.ambition_for(year)
        points.append(
            Point(
                year,
                result.value if result else None,
                ambition.value if ambition else None,
                bool(result and result.fictional),
            )
        )
    title = d.title_en if lang == "en" else d.title_nb
    shown = [p for p in points if p.result is not None]
    if shown:
        last = shown[-1]
        summary = _(
            "Siste resultat %(year)s: %(value)s.",
            year=last.year,
            value=_number(last.result or 0, d.decimals, lang),
        )
    else:
        summary = _("Ingen resultater er lastet ennå.")
    rank = d.unit == "plass" and d.better == "lower"
    description = " ".join(
        [
            _("Søyler viser resultater, stiplet linje med ruter viser ambisjoner."),
            *([_("Plass 1 er øverst: jo høyere søyle, jo bedre plassering.")] if rank else []),
            summary,
            _("Alle tall står i tabellen under."),
        ]
    )
    labels = ChartLabels(
        title=title,
        description=description,
        result=_("Resultat"),
        ambition=_("Ambisjon"),
        fictional=_("Fiktivt resultat"),
        unit=_("plass (1 er best, øverst)") if rank else _unit(d.unit),
    )
    return bar_line_chart(
        points, labels, chart_id=f"chart-{d.id}", decimals=d.decimals, lang=lang, lower_is_better=rank
    )


def projection_chart(years: list[ind.ProjectionYear], lang: str) -> Any:
    """Actual workplaces (bars) against the plan's projection (dashed line), every other year."""
    points = [
        Point(p.year, p.actual_workplaces, p.projected_workplaces, p.fictional)
        for p in years
        if p.year % 2 == 0 or p.actual_workplaces is not None
    ]
    labels = ChartLabels(
        title=_("Arbeidsplasser: faktisk og framskrevet til %(year)s", year=years[-1].year),
        description=_(
            "Søyler viser faktiske arbeidsplasser, stiplet linje viser planens "
            "framskriving. Alle tall står i tabellen under."
        ),
        result=_("Faktisk"),
        ambition=_("Framskrevet"),
        fictional=_("Fiktivt resultat"),
        unit=_("antall"),
    )
    return bar_line_chart(points, labels, chart_id="chart-projection", lang=lang)


def _unit(unit: str) -> str:
    return {"plass": _("plass"), "%": "%", "daa": _("dekar")}.get(unit, unit)


def _number(value: float | None, decimals: int = 0, lang: str = "nb") -> str:
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text if lang == "en" else text.replace(",", "\u202f").replace(".", ",")


@bp.app_template_filter("num")
def number_filter(value: float | None, decimals: int = 0) -> str:
    """A number in the page's language (thin-space thousands, decimal comma in bokmål)."""
    return _number(value, decimals, current_language())


@bilingual_route(bp, "/indikatorer", "/en/indicators")
def dashboard_page() -> str:
    """The dashboard."""
    lang = current_language()
    with connection() as conn:
        data = build_dashboard(conn)
    charts = {r.definition.id: indicator_chart(r, lang) for r in data.reports}
    return render_template(
        "indicators.html",
        data=data,
        charts=charts,
        projection_chart=projection_chart(data.projection, lang) if data.projection else None,
        fictional=data.fictional,
        kommune=get_settings().kommune,
        difference_reason=jordvern.difference_reason,
        other_language_url=other_language_url(with_query=False),
    )


def _csv_response(rows: list[list[Any]], name: str) -> Response:
    out = io.StringIO()
    SafeWriter(out, lineterminator="\n").writerows(rows)
    return Response(
        out.getvalue(), mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bilingual_route(bp, "/indikatorer.csv", "/en/indicators.csv")
def dashboard_csv() -> Response:
    """Every indicator value with its source, calculation and update date."""
    with connection() as conn:
        data = build_dashboard(conn)
    rows: list[list[Any]] = [
        ["indicator", "year", "kind", "value", "unit", "source", "calculation", "fictional", "updated"]
    ]
    for report in data.reports:
        for obs in report.results + report.ambitions:
            rows.append(
                [
                    report.definition.id,
                    obs.year,
                    obs.kind,
                    f"{obs.value:g}",
                    report.definition.unit,
                    obs.source,
                    obs.calculation or "",
                    "yes" if obs.fictional else "no",
                    obs.updated.isoformat() if obs.updated else "",
                ]
            )
    return _csv_response(rows, "indikatorer.csv")


@bilingual_route(bp, "/indikatorer/jordvern.csv", "/en/indicators/jordvern.csv")
def jordvern_csv() -> Response:
    """The jordvern ledger as CSV."""
    with connection() as conn:
        data = build_dashboard(conn)
    return Response(
        jordvern.ledger_csv(data.ledger),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="jordvern.csv"'},
    )
