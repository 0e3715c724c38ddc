"""Bulk upload of sites: read a GeoPackage/GeoJSON (or the spreadsheet template), classify every
row in PostGIS (new, changed, unchanged, rejected with reasons), and apply all in one transaction."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import psycopg
from flask_babel import gettext as _
from psycopg import sql
from psycopg.rows import dict_row

from etl.errors import LoadError
from etl.readers.spreadsheet import RowProblem, read_sheet
from etl.readers.vector import open_batches, read_info
from etl.sources import get_source
from gis.derived import after_sites_changed
from webmap.planner.sites import EDITABLE, STATUSES, GeometryRules, set_actor

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json")
SHEET_SUFFIXES = (".csv", ".xlsx")
UPLOAD_FIELDS = (*EDITABLE, "last_verified")


class UploadError(ValueError):
    """A file that cannot be previewed or an upload that cannot be applied, with the reason."""


def N_(message: str) -> str:
    """Mark a message for translation; it is translated when the preview is shown."""
    return message


def reason(message: str, **params: Any) -> dict[str, Any]:
    """A rejection reason kept as message and values: the preview page words it in its own
    language, whoever uploaded the file."""
    return {"message": message, "params": params}


def reason_text(stored: dict[str, Any] | str) -> str:
    """A stored reason in the current language (older previews stored plain text)."""
    if isinstance(stored, str):
        return stored
    return str(_(stored["message"], **stored["params"]))


# What the spreadsheet reader found wrong in a cell (etl.spreadsheet.RowProblem.kind).
_SHEET_MESSAGES = {
    "required": N_("kolonne %(column)s (%(letter)s): verdien mangler"),
    "not_allowed": N_("kolonne %(column)s (%(letter)s): «%(value)s» er ikke en av %(detail)s"),
    "not_number": N_("kolonne %(column)s (%(letter)s): «%(value)s» er ikke et tall"),
    "not_whole": N_("kolonne %(column)s (%(letter)s): «%(value)s» er ikke et heltall"),
    "not_date": N_("kolonne %(column)s (%(letter)s): «%(value)s» er ikke en dato (skriv ÅÅÅÅ-MM-DD)"),
    "not_yes_no": N_("kolonne %(column)s (%(letter)s): «%(value)s» er ikke ja eller nei "
                     "(skriv true eller false)"),
    "bad_wkt": N_("kolonne %(column)s (%(letter)s): teksten er ikke gyldig WKT"),
    "empty_geometry": N_("kolonne %(column)s (%(letter)s): geometrien er tom"),
    "no_geometry": N_("raden har ingen geometri: fyll inn wkt, eller lat og lon"),
    "not_finite": N_("kolonne %(column)s (%(letter)s): koordinatene er ikke gyldige tall"),
    "point_needs_area": N_("kolonne %(column)s (%(letter)s): en rad med bare et punkt trenger "
                           "arealet i m² (et kvadrat med det arealet står for omrisset)"),
}
_OUTSIDE_NORWAY_LAT_LON = N_("kolonne %(column)s (%(letter)s): posisjonen ligger ikke i Norge; "
                             "er lat og lon byttet om?")
_OUTSIDE_NORWAY_SRS = N_("kolonne %(column)s (%(letter)s): posisjonen ligger ikke i Norge; er den "
                         "virkelig i EPSG:%(detail)s? Oppgi radens koordinatsystem i en srs-kolonne.")


def sheet_reason(problem: RowProblem) -> dict[str, Any]:
    """A spreadsheet cell problem as a rejection reason."""
    params = {"column": problem.column or "", "letter": problem.letter or "",
              "value": problem.value or "", "detail": problem.detail or ""}
    if problem.kind == "outside_norway":
        message = _OUTSIDE_NORWAY_LAT_LON if problem.detail == "lat_lon" else _OUTSIDE_NORWAY_SRS
    else:
        message = _SHEET_MESSAGES.get(problem.kind, N_("kolonne %(column)s (%(letter)s): ugyldig verdi"))
    return reason(message, **params)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_upload(path: Path) -> tuple[int, list[dict[str, Any]]]:
    """Rows of the file: (EPSG, [{row, values, wkb}]); file-level problems raise UploadError."""
    spec = get_source("sites")
    suffix = path.suffix.lower()
    try:
        if suffix in SHEET_SUFFIXES:
            info = _read_sheet(path, spec)
        elif suffix in VECTOR_SUFFIXES:
            info = read_info(path)
        else:
            raise UploadError(_("%(name)s: filtypen støttes ikke; bruk GeoPackage (.gpkg), GeoJSON, "
                                "CSV eller Excel (.xlsx).", name=path.name))
        by_lower = {name.lower(): name for name in info.fields}
        wanted = {f.column: next((by_lower[n.lower()] for n in f.names if n.lower() in by_lower), None)
                  for f in spec.fields if f.column in (*UPLOAD_FIELDS, "site_key")}
        present = {column: name for column, name in wanted.items() if name}
        if "site_key" not in present:
            raise UploadError(_("%(name)s: kolonnen site_key mangler (filen har: %(fields)s).",
                                name=path.name, fields=", ".join(info.fields)))
        problems: dict[int, list[dict[str, Any]]] = {}
        for problem in getattr(info, "problems", ()):
            problems.setdefault(problem.row, []).append(sheet_reason(problem))
        approximate = set(getattr(info, "approximate_rows", ()))
        rows: list[dict[str, Any]] = []
        opener = info.open_batches if hasattr(info, "open_batches") else \
            (lambda columns: open_batches(info, columns))
        with opener(list(present.values())) as batches:
            for batch in batches:
                data = batch.to_pydict()
                for i, fid in enumerate(data["fid"]):
                    # An empty cell means "leave as it is" (an upload never blanks a field).
                    values = {column: _json_value(data[name][i]) for column, name in present.items()
                              if data[name][i] is not None and data[name][i] != ""}
                    wkb = data["geometry"][i]
                    rows.append({"row": int(fid), "values": values,
                                 "wkb": bytes(wkb).hex() if wkb else None,
                                 "problems": problems.get(int(fid), []),
                                 "approximate": int(fid) in approximate})
    except LoadError as exc:
        raise UploadError(str(exc)) from exc
    if not rows:
        raise UploadError(_("%(name)s: filen inneholder ingen rader.", name=path.name))
    return info.epsg, rows


def _read_sheet(path: Path, spec: Any) -> Any:
    """The spreadsheet template, read by the ETL's loader (etl/spreadsheet.py); every bad cell
    is collected, so the preview lists them all."""
    return read_sheet(path, spec, collect=True)


_CLASSIFY = """
WITH s AS (
    SELECT b.*, e.id AS site_id, e.version AS site_version, to_jsonb(e) - 'geom' AS current,
           e.geom AS current_geom,
           count(*) OVER (PARTITION BY b.site_key) AS key_count,
           CASE WHEN b.geom IS NOT NULL THEN ST_IsValid(b.geom) END AS valid,
           CASE WHEN b.geom IS NOT NULL THEN ST_IsValidReason(b.geom) END AS reason,
           CASE WHEN b.geom IS NOT NULL AND ST_IsValid(b.geom) THEN ST_Area(b.geom) END AS geom_area,
           (SELECT bool_and(ST_CoveredBy(b.geom, ST_Buffer(k.geom, 1))) FROM kommune k
             WHERE k.kommunenummer = %(kommune)s AND b.geom IS NOT NULL
               AND ST_IsValid(b.geom)) AS inside
    FROM bulk_stage b LEFT JOIN site e ON e.site_key = b.site_key
)
SELECT row_no, site_key, site_id, site_version, values, ST_AsEWKT(ST_Multi(geom)) AS ewkt,
       ST_AsGeoJSON(ST_Transform(coalesce(geom, current_geom), 4326), 6)::json AS geojson,
       key_count, valid, reason, geom_area, inside, current,
       CASE WHEN geom IS NULL OR current_geom IS NULL THEN geom IS NOT NULL
            ELSE NOT ST_Equals(ST_SnapToGrid(geom, 0.01), ST_SnapToGrid(current_geom, 0.01))
       END AS geometry_changed,
       CASE WHEN current_geom IS NOT NULL THEN ST_Area(current_geom) END AS current_area
FROM s ORDER BY row_no
"""


def _same(column: str, new: Any, old: Any) -> bool:
    if column == "area_m2" and new is not None and old is not None:
        return abs(float(new) - float(old)) < 0.5
    if old is None or new is None:
        return old is None and new is None
    return str(new) == str(old)


_NO_GEOMETRY = N_("nytt areal uten geometri")


def _reasons(row: dict[str, Any], rules: GeometryRules) -> list[dict[str, Any]]:
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
            reasons.append(reason(_NO_GEOMETRY))
    if "status" in values and values["status"] not in STATUSES:
        reasons.append(reason(N_("ukjent status %(status)s (gyldige: %(known)s)"), status=values["status"],
                         known=", ".join(STATUSES)))
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
    if isinstance(area, int | float) and area > 0 and drawn and \
            abs(area - drawn) / drawn > rules.tolerance:
        reasons.append(reason(N_("oppgitt areal %(stated)s m² avviker fra geometriens %(drawn)s m² med mer "
                         "enn %(pct)s %%"), stated=round(area), drawn=round(drawn),
                         pct=round(rules.tolerance * 100)))
    return reasons


def preview(conn: psycopg.Connection, actor: str, file_name: str, epsg: int,
            rows: list[dict[str, Any]], rules: GeometryRules) -> int:
    """Classify the rows and store the preview; returns its id."""
    conn.execute("CREATE TEMP TABLE bulk_stage (row_no int, site_key text, values jsonb, "
                 "geom geometry) ON COMMIT DROP")
    by_row = {r["row"]: r for r in rows}
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO bulk_stage VALUES (%s, %s, %s, CASE WHEN %s::text IS NULL THEN NULL "
            "ELSE ST_Transform(ST_SetSRID(ST_GeomFromWKB(decode(%s, 'hex')), %s), %s) END)",
            [(r["row"], r["values"].get("site_key"), json.dumps(r["values"]), r["wkb"], r["wkb"],
              epsg, rules.storage_srid) for r in rows])
    with conn.cursor(row_factory=dict_row) as cur:
        classified = cur.execute(_CLASSIFY, {"kommune": rules.kommunenummer}).fetchall()
    out = []
    for row in classified:
        values = {k: v for k, v in row["values"].items() if k != "site_key"}
        row["values"] = values
        read = by_row.get(row["row_no"], {})
        sheet_problems = read.get("problems") or []
        reasons = [*sheet_problems, *(r for r in _reasons(row, rules)
                                      if not (sheet_problems and r["message"] == _NO_GEOMETRY))]
        current = row["current"] or {}
        changes = [{"field": k, "before": current.get(k), "after": v} for k, v in values.items()
                   if row["site_id"] is not None and not _same(k, v, current.get(k))]
        if row["site_id"] is not None and row["geometry_changed"]:
            changes.append({"field": "geom", "before": None, "after": None})
        if row["site_id"] is None and "area_m2" not in values and row["geom_area"]:
            values["area_m2"] = round(float(row["geom_area"]))  # as in the template: the drawn area
        kind = ("rejected" if reasons else "new" if row["site_id"] is None
                else "changed" if changes else "unchanged")
        out.append({"row": row["row_no"], "site_key": row["site_key"],
                    "name": values.get("name") or current.get("name"), "kind": kind,
                    "reasons": reasons, "changes": changes, "values": values,
                    "site_id": row["site_id"], "site_version": row["site_version"],
                    "ewkt": row["ewkt"] if (kind == "new" or row["geometry_changed"]) else None,
                    "geojson": row["geojson"], "approximate": bool(read.get("approximate"))})
    row_id = conn.execute("INSERT INTO bulk_upload (created_by, file_name, rows) VALUES (%s, %s, %s) "
                          "RETURNING id", (actor, file_name, json.dumps(out))).fetchone()
    assert row_id is not None
    return int(row_id[0])


def get_upload(conn: psycopg.Connection, upload_id: int) -> dict[str, Any] | None:
    """A stored preview."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM bulk_upload WHERE id = %s", (upload_id,)).fetchone()


def summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many rows of each kind."""
    counts = {"new": 0, "changed": 0, "unchanged": 0, "rejected": 0}
    for row in rows:
        counts[row["kind"]] += 1
    return counts


def apply(conn: psycopg.Connection, actor: str, upload_id: int) -> dict[str, int]:
    """Apply a preview in the caller's transaction; any rejected row or a site changed since the
    preview refuses the whole upload and nothing changes."""
    upload = conn.execute("SELECT status, rows, file_name FROM bulk_upload WHERE id = %s FOR UPDATE",
                          (upload_id,)).fetchone()
    if upload is None:
        raise UploadError(_("Opplastingen finnes ikke."))
    status, rows, file_name = upload
    if status != "preview":
        raise UploadError(_("Opplastingen er allerede brukt eller forkastet."))
    counts = summary(rows)
    if counts["rejected"]:
        raise UploadError(_("%(count)s rader er avvist; rett filen og last den opp på nytt. "
                            "Ingenting er endret.", count=counts["rejected"]))
    set_actor(conn, actor, f"opplasting {file_name}")
    placed: list[int] = []  # sites added or moved: their ABC profile is recomputed
    for row in rows:
        try:
            if row["kind"] == "new":
                placed.append(_insert(conn, row))
            elif row["kind"] == "changed":
                _update(conn, row)
                if row["ewkt"]:
                    placed.append(int(row["site_id"]))
        except psycopg.errors.IntegrityError as exc:
            raise UploadError(_("%(key)s (rad %(row)s): databasen avviste raden (%(reason)s). "
                                "Ingenting er endret.", key=row["site_key"], row=row["row"],
                                reason=exc.diag.message_primary or str(exc))) from exc
    after_sites_changed(conn, placed)
    conn.execute("UPDATE bulk_upload SET status = 'applied', applied_at = now() WHERE id = %s",
                 (upload_id,))
    return counts


def _insert(conn: psycopg.Connection, row: dict[str, Any]) -> int:
    values = {k: v for k, v in row["values"].items() if k in UPLOAD_FIELDS}
    values.setdefault("published", False)
    columns = list(values)
    inserted = conn.execute(sql.SQL("INSERT INTO site (site_key, {cols}, geom) VALUES (%s, {params}, "
                                    "ST_GeomFromEWKT(%s)) RETURNING id").format(
        cols=sql.SQL(", ").join(sql.Identifier(c) for c in columns),
        params=sql.SQL(", ").join(sql.Placeholder() for _c in columns)),
        (row["site_key"], *values.values(), row["ewkt"])).fetchone()
    assert inserted is not None
    return int(inserted[0])


def _update(conn: psycopg.Connection, row: dict[str, Any]) -> None:
    values = {c["field"]: row["values"][c["field"]] for c in row["changes"] if c["field"] != "geom"}
    assignments: list[sql.Composable] = [sql.SQL("{} = %s").format(sql.Identifier(c))
                                         for c in values]
    params: list[Any] = list(values.values())
    if row["ewkt"]:
        assignments.append(sql.SQL("geom = ST_GeomFromEWKT(%s)"))
        params.append(row["ewkt"])
    updated = conn.execute(sql.SQL("UPDATE site SET {} WHERE id = %s AND version = %s").format(
        sql.SQL(", ").join(assignments)), (*params, row["site_id"], row["site_version"])).rowcount
    if updated != 1:
        raise UploadError(_("%(key)s (rad %(row)s) er endret etter forhåndsvisningen; last opp filen "
                            "på nytt. Ingenting er endret.", key=row["site_key"], row=row["row"]))


def discard(conn: psycopg.Connection, upload_id: int) -> None:
    """Forget a preview."""
    conn.execute("UPDATE bulk_upload SET status = 'discarded' WHERE id = %s AND status = 'preview'",
                 (upload_id,))
