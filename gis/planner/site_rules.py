"""What a planner's change to a site must satisfy: a valid outline inside the kommune whose area
matches the stated one, a name, a positive area and a status reached by an allowed step."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row

from gis.lonlat_geometry import lonlat_polygon_problem
from gis.numbers import finite_number
from gis.planner.messages import N_, Message, Problems, say
from gis.sites import EDITABLE, STATUSES, TEXT_FIELDS

# The workflow: one step forward, one step back (a correction), and withdrawal/reinstatement.
TRANSITIONS: dict[str, set[str]] = {
    "ledig": {"reservert", "trukket_tilbake"},
    "reservert": {"ledig", "under_utbygging", "trukket_tilbake"},
    "under_utbygging": {"reservert", "utbygd", "trukket_tilbake"},
    "utbygd": {"under_utbygging"},
    "trukket_tilbake": {"ledig"},
}


class SiteError(Problems):
    """A change that cannot be saved; `problems` are messages for the planner."""


@dataclass(frozen=True)
class GeometryRules:
    """What a drawn polygon is checked against."""

    storage_srid: int
    kommunenummer: str
    tolerance: float


def _m2(area: float) -> str:
    return f"{area:,.0f}".replace(",", " ")


def area_mismatch(stated: float, drawn: float, tolerance: float) -> Message:
    """The stated area differs from the drawn one by more than the tolerance."""
    return say(
        N_("Oppgitt areal (%(stated)s m²) avviker fra tegnet areal (%(drawn)s m²) med mer enn %(pct)s %%."),
        stated=_m2(stated),
        drawn=_m2(drawn),
        pct=round(tolerance * 100),
    )


_CHECK = (
    "WITH g AS (SELECT ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326), %s) AS geom) "
    "SELECT ST_GeometryType(geom) AS kind, ST_IsValid(geom) AS valid, "
    "ST_IsValidReason(geom) AS reason, ST_Area(geom) AS area, ST_AsEWKT(ST_Multi(geom)) AS ewkt, "
    "(SELECT bool_and(ST_CoveredBy(g.geom, ST_Buffer(k.geom, 1))) FROM kommune k "
    " WHERE k.kommunenummer = %s) AS inside FROM g"
)
_UNUSABLE = N_("Geometrien kan ikke brukes: %(reason)s")


def check_geometry(
    conn: psycopg.Connection,
    geometry: dict[str, Any],
    *,
    rules: GeometryRules,
    stated_area: float | None,
) -> tuple[str, float]:
    """Validate a drawn lon/lat polygon in PostGIS; returns (EWKT in storage SRID, area)."""
    shape_problem = lonlat_polygon_problem(geometry)
    if shape_problem:
        raise SiteError([say(_UNUSABLE, reason=shape_problem)])
    try:
        # A savepoint: a geometry PostGIS cannot project (far outside the storage CRS's domain)
        # is the user's mistake, not a failed request.
        with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(
                _CHECK, (json.dumps(geometry), rules.storage_srid, rules.kommunenummer)
            ).fetchone()
    except (psycopg.errors.InternalError_, psycopg.errors.DataError) as exc:
        raise SiteError([say(_UNUSABLE, reason=exc.diag.message_primary or str(exc))]) from exc
    assert row is not None
    problems = []
    if row["kind"] not in ("ST_Polygon", "ST_MultiPolygon"):
        raise SiteError([say(N_("Geometrien må være et polygon."))])
    if not row["valid"]:
        if "Self-intersection" in (row["reason"] or ""):
            problems.append(
                say(
                    N_(
                        "Polygonet krysser seg selv (%(where)s). Flytt hjørnene slik at "
                        "kantene ikke krysser hverandre."
                    ),
                    where=row["reason"],
                )
            )
        else:
            problems.append(say(N_("Polygonet er ugyldig: %(reason)s"), reason=row["reason"]))
    elif row["inside"] is False:
        problems.append(say(N_("Arealet ligger helt eller delvis utenfor kommunen.")))
    area = float(row["area"] or 0)
    if row["valid"] and area <= 0:
        problems.append(say(N_("Polygonet har ikke noe areal.")))
    if (
        row["valid"]
        and stated_area is not None
        and area > 0
        and abs(stated_area - area) / area > rules.tolerance
    ):
        problems.append(area_mismatch(stated_area, area, rules.tolerance))
    if problems:
        raise SiteError(problems)
    return str(row["ewkt"]), area


def check_values(values: dict[str, Any], current_status: str | None) -> list[Message]:
    """What is wrong with a site's attribute values (and the status step from `current_status`)."""
    problems = []
    if "name" in values and not (values["name"] or "").strip():
        problems.append(say(N_("Navn må fylles ut.")))
    if "area_m2" in values:
        try:
            if finite_number(values["area_m2"]) <= 0:
                problems.append(say(N_("Arealet må være større enn 0 m².")))
        except (TypeError, ValueError):
            problems.append(say(N_("Arealet må være et tall (m²).")))
    status = values.get("status")
    if status is not None and status not in STATUSES:
        problems.append(say(N_("Ukjent status: %(status)s"), status=status))
    elif (
        status is not None
        and current_status is not None
        and status != current_status
        and status not in TRANSITIONS[current_status]
    ):
        problems.append(
            say(N_("Status kan ikke gå fra %(old)s til %(new)s."), old=current_status, new=status)
        )
    return problems


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """The editable values of a form or request, trimmed and typed."""
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if key not in EDITABLE or (key == "area_m2" and value in (None, "")):
            continue
        if key in TEXT_FIELDS:
            value = (str(value).strip() or None) if value is not None else None
        elif key == "area_m2" and value not in (None, ""):
            with contextlib.suppress(ValueError):
                value = finite_number(value)
        elif key == "published":
            value = value in (True, "true", "on", "1", 1)
        cleaned[key] = value
    return cleaned
