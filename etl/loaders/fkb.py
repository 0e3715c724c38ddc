"""FKB-Bygning GML whose layers mix footprints and point-only buildings (etl.readers.fkb):
the footprints into `building_footprint` and the buildings with only a representation point
into `building`, in the same load (one run, one transaction)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from psycopg import sql

from etl.loaders.vector import load_vector
from etl.readers.fkb import building_layers
from etl.runs import Counts, Progress
from etl.sources import get_source


def load_fkb_buildings(conn: Any, path: Path, run_id: int, storage_srid: int, srs: str | None,
                       counts: Counts, progress: Progress | None) -> list[str]:
    """Load the file's buildings; returns the tables written (for the refresh after a load)."""
    footprints, points, skipped = building_layers(path, srs)
    tables: list[str] = []
    notes: list[str] = []
    if skipped:
        notes.append(f"{path.name}: layers not read (no bygningsnummer): {', '.join(skipped)}")
    # Both parts of this file's earlier loads are replaced, whichever source it was loaded as.
    for table in ("building", "building_footprint"):
        conn.execute(sql.SQL(
            "DELETE FROM {} WHERE load_id IN (SELECT id FROM load_run WHERE source IN "
            "('buildings', 'building_footprints') AND file_name = %s AND status = 'published')"
        ).format(sql.Identifier(table)), (path.name,))
    for source, infos, what in (("building_footprints", footprints, "footprints"),
                                ("buildings", points, "point-only buildings")):
        spec = get_source(source)
        for info in infos:
            part = Counts()
            load_vector(conn, spec, info, run_id, storage_srid, part, progress)
            counts.read += part.read
            counts.written += part.written
            counts.repaired += part.repaired
            counts.warnings += part.warnings
            notes.append(f"{path.name}: layer {info.layer}: {part.written} {what} published "
                         f"to {spec.table}")
            tables.append(spec.table)
    counts.warnings += notes
    return tables
