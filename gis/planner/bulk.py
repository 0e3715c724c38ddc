"""Bulk upload of sites: classify every row read from a file in PostGIS (new, changed,
unchanged, rejected with reasons), store the preview, and apply it in one transaction through
the sites' write path, which recomputes the ABC profile of every site added or moved."""

from __future__ import annotations

import json
from typing import Any

import psycopg
from psycopg.rows import dict_row

from gis.planner.bulk_reasons import NO_GEOMETRY, row_reasons
from gis.planner.messages import N_, Message, say
from gis.planner.site_rules import GeometryRules
from gis.sites import UPLOADABLE, SiteWrites, site_writes
from gis.sqlfile import sql_file


class UploadError(ValueError):
    """A file that cannot be previewed or an upload that cannot be applied, with the reason."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.text)
        self.message = message


def _same(column: str, new: Any, old: Any) -> bool:
    if column == "area_m2" and new is not None and old is not None:
        return abs(float(new) - float(old)) < 0.5
    if old is None or new is None:
        return old is None and new is None
    return str(new) == str(old)


def _stage(conn: psycopg.Connection, epsg: int, rows: list[dict[str, Any]], storage_srid: int) -> None:
    conn.execute(
        "CREATE TEMP TABLE bulk_stage (row_no int, site_key text, values jsonb, geom geometry) ON COMMIT DROP"
    )
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO bulk_stage VALUES (%s, %s, %s, CASE WHEN %s::text IS NULL THEN NULL "
            "ELSE ST_Transform(ST_SetSRID(ST_GeomFromWKB(decode(%s, 'hex')), %s), %s) END)",
            [
                (
                    r["row"],
                    r["values"].get("site_key"),
                    json.dumps(r["values"]),
                    r["wkb"],
                    r["wkb"],
                    epsg,
                    storage_srid,
                )
                for r in rows
            ],
        )


def preview(
    conn: psycopg.Connection,
    actor: str,
    file_name: str,
    epsg: int,
    rows: list[dict[str, Any]],
    rules: GeometryRules,
) -> int:
    """Classify the rows ({row, values, wkb, problems, approximate}, as read from the file)
    and store the preview; returns its id."""
    _stage(conn, epsg, rows, rules.storage_srid)
    by_row = {r["row"]: r for r in rows}
    with conn.cursor(row_factory=dict_row) as cur:
        classified = cur.execute(
            sql_file("gis.planner", "bulk_classify.sql"), {"kommune": rules.kommunenummer}
        ).fetchall()
    out = []
    for row in classified:
        values = {k: v for k, v in row["values"].items() if k != "site_key"}
        row["values"] = values
        read = by_row.get(row["row_no"], {})
        sheet_problems = read.get("problems") or []
        reasons = [
            *sheet_problems,
            *(
                r
                for r in row_reasons(row, rules.tolerance)
                if not (sheet_problems and r["message"] == NO_GEOMETRY)
            ),
        ]
        current = row["current"] or {}
        changes = [
            {"field": k, "before": current.get(k), "after": v}
            for k, v in values.items()
            if row["site_id"] is not None and not _same(k, v, current.get(k))
        ]
        if row["site_id"] is not None and row["geometry_changed"]:
            changes.append({"field": "geom", "before": None, "after": None})
        if row["site_id"] is None and "area_m2" not in values and row["geom_area"]:
            values["area_m2"] = round(float(row["geom_area"]))  # as in the template: the drawn area
        kind = (
            "rejected"
            if reasons
            else "new"
            if row["site_id"] is None
            else "changed"
            if changes
            else "unchanged"
        )
        out.append(
            {
                "row": row["row_no"],
                "site_key": row["site_key"],
                "name": values.get("name") or current.get("name"),
                "kind": kind,
                "reasons": reasons,
                "changes": changes,
                "values": values,
                "site_id": row["site_id"],
                "site_version": row["site_version"],
                "ewkt": row["ewkt"] if (kind == "new" or row["geometry_changed"]) else None,
                "geojson": row["geojson"],
                "approximate": bool(read.get("approximate")),
            }
        )
    row_id = conn.execute(
        "INSERT INTO bulk_upload (created_by, file_name, rows) VALUES (%s, %s, %s) RETURNING id",
        (actor, file_name, json.dumps(out)),
    ).fetchone()
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
    upload = conn.execute(
        "SELECT status, rows, file_name FROM bulk_upload WHERE id = %s FOR UPDATE", (upload_id,)
    ).fetchone()
    if upload is None:
        raise UploadError(say(N_("Opplastingen finnes ikke.")))
    status, rows, file_name = upload
    if status != "preview":
        raise UploadError(say(N_("Opplastingen er allerede brukt eller forkastet.")))
    counts = summary(rows)
    if counts["rejected"]:
        raise UploadError(
            say(
                N_("%(count)s rader er avvist; rett filen og last den opp på nytt. Ingenting er endret."),
                count=counts["rejected"],
            )
        )
    # The write path recomputes the ABC profile of the sites added or moved, once, at the end.
    with site_writes(conn, actor, f"opplasting {file_name}") as writes:
        for row in rows:
            try:
                if row["kind"] == "new":
                    values = {k: v for k, v in row["values"].items() if k in UPLOADABLE}
                    values.setdefault("published", False)
                    writes.insert(row["site_key"], values, row["ewkt"])
                elif row["kind"] == "changed":
                    _update(writes, row)
            except psycopg.errors.IntegrityError as exc:
                raise UploadError(
                    say(
                        N_(
                            "%(key)s (rad %(row)s): databasen avviste raden "
                            "(%(reason)s). Ingenting er endret."
                        ),
                        key=row["site_key"],
                        row=row["row"],
                        reason=exc.diag.message_primary or str(exc),
                    )
                ) from exc
    conn.execute("UPDATE bulk_upload SET status = 'applied', applied_at = now() WHERE id = %s", (upload_id,))
    return counts


def _update(writes: SiteWrites, row: dict[str, Any]) -> None:
    values = {c["field"]: row["values"][c["field"]] for c in row["changes"] if c["field"] != "geom"}
    if (
        writes.update(int(row["site_id"]), values, row["ewkt"] or None, expected_version=row["site_version"])
        is None
    ):
        raise UploadError(
            say(
                N_(
                    "%(key)s (rad %(row)s) er endret etter forhåndsvisningen; last "
                    "opp filen på nytt. Ingenting er endret."
                ),
                key=row["site_key"],
                row=row["row"],
            )
        )


def discard(conn: psycopg.Connection, upload_id: int) -> None:
    """Forget a preview."""
    conn.execute(
        "UPDATE bulk_upload SET status = 'discarded' WHERE id = %s AND status = 'preview'", (upload_id,)
    )
