"""Why a row of a bulk upload is rejected: kept as message and values (stored with the preview),
so the preview page words them in its own language, whoever uploaded the file."""

from __future__ import annotations

from typing import Any, Protocol

from gis.planner.messages import N_, say
from gis.sites import STATUSES


class CellProblem(Protocol):
    """What the spreadsheet reader found wrong in a cell (etl.readers.spreadsheet.RowProblem)."""

    kind: str
    column: str | None
    letter: str | None
    value: str | None
    detail: str | None


def reason(message: str, **params: Any) -> dict[str, Any]:
    """A rejection reason as the preview stores it."""
    return say(message, **params).stored()


# What the spreadsheet reader found wrong in a cell, by its kind.
_SHEET_MESSAGES = {
    "required": N_("kolonne %(column)s (%(letter)s): verdien mangler"),
    "not_allowed": N_("kolonne %(column)s (%(letter)s): «%(value)s» er ikke en av %(detail)s"),
    "not_number": N_("kolonne %(column)s (%(letter)s): «%(value)s» er ikke et tall"),
    "not_whole": N_("kolonne %(column)s (%(letter)s): «%(value)s» er ikke et heltall"),
    "not_date": N_("kolonne %(column)s (%(letter)s): «%(value)s» er ikke en dato (skriv ÅÅÅÅ-MM-DD)"),
    "not_yes_no": N_(
        "kolonne %(column)s (%(letter)s): «%(value)s» er ikke ja eller nei (skriv true eller false)"
    ),
    "bad_wkt": N_("kolonne %(column)s (%(letter)s): teksten er ikke gyldig WKT"),
    "empty_geometry": N_("kolonne %(column)s (%(letter)s): geometrien er tom"),
    "no_geometry": N_("raden har ingen geometri: fyll inn wkt, eller lat og lon"),
    "not_finite": N_("kolonne %(column)s (%(letter)s): koordinatene er ikke gyldige tall"),
    "point_needs_area": N_(
        "kolonne %(column)s (%(letter)s): en rad med bare et punkt trenger "
        "arealet i m² (et kvadrat med det arealet står for omrisset)"
    ),
}
_OUTSIDE_NORWAY_LAT_LON = N_(
    "kolonne %(column)s (%(letter)s): posisjonen ligger ikke i Norge; er lat og lon byttet om?"
)
_OUTSIDE_NORWAY_SRS = N_(
    "kolonne %(column)s (%(letter)s): posisjonen ligger ikke i Norge; er den "
    "virkelig i EPSG:%(detail)s? Oppgi radens koordinatsystem i en srs-kolonne."
)


def sheet_reason(problem: CellProblem) -> dict[str, Any]:
    """A spreadsheet cell problem as a rejection reason."""
    params = {
        "column": problem.column or "",
        "letter": problem.letter or "",
        "value": problem.value or "",
        "detail": problem.detail or "",
    }
    if problem.kind == "outside_norway":
        message = _OUTSIDE_NORWAY_LAT_LON if problem.detail == "lat_lon" else _OUTSIDE_NORWAY_SRS
    else:
        message = _SHEET_MESSAGES.get(problem.kind, N_("kolonne %(column)s (%(letter)s): ugyldig verdi"))
    return reason(message, **params)


NO_GEOMETRY = N_("nytt areal uten geometri")


def row_reasons(row: dict[str, Any], tolerance: float) -> list[dict[str, Any]]:
    """What is wrong with a classified row (bulk_classify.sql): keys, names, codes, outline."""
    values = row["values"]
    reasons: list[dict[str, Any]] = []
    if not row["site_key"]:
        reasons.append(reason(N_("site_key mangler")))
    if row["key_count"] > 1:
        reasons.append(reason(N_("site_key %(key)s står på flere rader"), key=row["site_key"]))
    if row["site_id"] is None:
        if not values.get("name"):
            reasons.append(reason(N_("nytt areal uten navn")))
        if row["ewkt"] is None:
            reasons.append(reason(NO_GEOMETRY))
    if "status" in values and values["status"] not in STATUSES:
        reasons.append(
            reason(
                N_("ukjent status %(status)s (gyldige: %(known)s)"),
                status=values["status"],
                known=", ".join(STATUSES),
            )
        )
    if "name" in values and not values["name"]:
        reasons.append(reason(N_("navn er tomt")))
    area = values.get("area_m2")
    if area is not None and (not isinstance(area, int | float) or area <= 0):
        reasons.append(reason(N_("area_m2 må være et tall større enn 0")))
    if row["valid"] is False:
        if "Self-intersection" in (row["reason"] or ""):
            reasons.append(reason(N_("polygonet krysser seg selv (%(where)s)"), where=row["reason"]))
        else:
            reasons.append(reason(N_("ugyldig geometri: %(reason)s"), reason=row["reason"]))
    elif row["inside"] is False:
        reasons.append(reason(N_("ligger helt eller delvis utenfor kommunen")))
    drawn = row["geom_area"] or row["current_area"]
    if isinstance(area, int | float) and area > 0 and drawn and abs(area - drawn) / drawn > tolerance:
        reasons.append(
            reason(
                N_("oppgitt areal %(stated)s m² avviker fra geometriens %(drawn)s m² med mer enn %(pct)s %%"),
                stated=round(area),
                drawn=round(drawn),
                pct=round(tolerance * 100),
            )
        )
    return reasons
